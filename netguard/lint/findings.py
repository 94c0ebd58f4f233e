"""Building a finding: its pitfall, its span, and calm sentences in the draft's language."""

from __future__ import annotations

from dataclasses import dataclass, field

from netguard.analysis.model import RecipientContext
from netguard.lint.document import Document
from netguard.lint.lexicon import Lexicon
from netguard.lint.model import LintFinding
from netguard.texts import text

PITFALLS: dict[str, int] = {
    "self-focus": 1,
    "gossip": 3,
    "ask-after-silence": 4,
    "cold-no-homework": 5,
    "exaggeration": 6,
    "pushy-wording": 7,
}


@dataclass(frozen=True, slots=True)
class Check:
    """Everything a rule looks at."""

    doc: Document
    lex: Lexicon
    recipients: tuple[RecipientContext, ...] = ()
    competitors: tuple[str, ...] = ()
    my_names: tuple[str, ...] = ()
    known_names: frozenset[str] = field(default_factory=frozenset)
    # the third party each sentence names, worked out once (``gossip``) for the rule and the model
    named: dict[int, str | None] = field(default_factory=dict, compare=False)
    # whether a rule's exemptions excuse a sentence, by rule and sentence start (``features``)
    excused: dict[tuple[str, int], bool] = field(default_factory=dict, compare=False)
    # how the draft speaks of me and of you (``focus.counts``), worked out once
    counted: list[tuple[int, int, dict[int, int]]] = field(default_factory=list, compare=False)
    # the party each sentence names or refers back to (``gossip.parties``), worked out once
    referred: dict[int, str | None] = field(default_factory=dict, compare=False)

    @property
    def language(self) -> str:
        return self.lex.language


def finding(check: Check, rule: str, start: int, end: int, *, message: str = "",
            **values: object) -> LintFinding:
    """A finding for ``rule`` over ``start:end`` of the original text; ``message`` names
    another message of the rule's (``gossip_sentence`` for ``gossip_sentence_message``)."""
    key = rule.replace("-", "_")
    snippet = check.doc.text[start:end]
    values.setdefault("text", snippet)
    return LintFinding(
        pitfall=PITFALLS[rule],
        rule=rule,
        start=start,
        end=end,
        text=snippet,
        message=text("lint", check.language, f"{message or key}_message", **values),
        advice=text("lint", check.language, f"{key}_advice", **values),
    )
