"""``lint()``: check a draft for the networking pitfalls of the article (SPEC §2).

Only the writer's own words are judged: quoted earlier mail, the greeting, the closing and the
signature are skipped. Spans are offsets into the original input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from netguard.analysis.model import RecipientContext
from netguard.errors import UsageError
from netguard.lint.cold import cold_no_homework
from netguard.lint.document import read
from netguard.lint.findings import Check
from netguard.lint.focus import self_focus
from netguard.lint.gossip import gossip, name_key
from netguard.lint.language import detect
from netguard.lint.learned import model
from netguard.lint.lexicon import LANGUAGES, lexicon
from netguard.lint.model import LintFinding, LintResult
from netguard.lint.notes import clarity_notes
from netguard.lint.phrases import ask_after_silence, exaggeration, pushy_wording
from netguard.lint.verdict import decide

Rule = Callable[[Check], list[LintFinding]]
RULES: tuple[Rule, ...] = (
    self_focus, gossip, ask_after_silence, cold_no_homework, exaggeration, pushy_wording,
)
_NAME_PART = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _name_parts(names: Sequence[str]) -> set[str]:
    return {name_key(part) for name in names for part in _NAME_PART.findall(name)}


def _known_names(recipients: Sequence[RecipientContext], my_names: Sequence[str],
                 greeted: Sequence[str]) -> frozenset[str]:
    names = [*my_names, *greeted]
    for r in recipients:
        names += [r.name, r.first_name, r.address.partition("@")[0]]
    return frozenset(_name_parts(names))


def prepare(
    text: str,
    *,
    language: str = "auto",
    recipients: Sequence[RecipientContext] = (),
    competitors: Sequence[str] = (),
    my_names: Sequence[str] = (),
) -> Check:
    """The draft read into words and sentences, with its lexicon and context."""
    if language != "auto" and language not in LANGUAGES:
        raise UsageError(f"unknown draft language {language!r}: use nl, en or auto")
    doc = read(text)
    lang = detect(doc) if language == "auto" else language
    lex = lexicon(lang)
    lex.screen.fill(doc, doc.memo)
    return Check(
        doc=doc,
        lex=lex,
        recipients=tuple(recipients),
        competitors=tuple(competitors),
        my_names=tuple(my_names),
        known_names=_known_names(recipients, my_names, doc.greeted),
    )


def rule_findings(check: Check) -> dict[str, list[LintFinding]]:
    """What the hand-written rules find, by rule id."""
    found: dict[str, list[LintFinding]] = {}
    for rule in RULES:
        for f in rule(check):
            found.setdefault(f.rule, []).append(f)
    return found


def lint(
    text: str,
    *,
    language: str = "auto",
    recipients: Sequence[RecipientContext] = (),
    competitors: Sequence[str] = (),
    my_names: Sequence[str] = (),
    subject: str | None = None,
) -> LintResult:
    """Findings and clarity notes for ``text``, in its language (``auto``: Dutch or English,
    from the text); the subject is judged only when given. The rules propose, the trained
    model (``learned``) decides."""
    check = prepare(text, language=language, recipients=recipients, competitors=competitors,
                    my_names=my_names)
    findings = decide(check, rule_findings(check), model(check.language))
    findings.sort(key=lambda f: (f.start, f.end, f.rule))
    notes = clarity_notes(check.doc, check.lex, check.recipients, subject)
    return LintResult(check.language, tuple(findings), notes)
