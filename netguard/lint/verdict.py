"""The final say per rule: the trained model weighs the rules' hits with the draft's features.

A rule the model confirms keeps its own findings (their spans point at the words); pushy
wording and exaggeration also gain one over each other sentence that carries the rule by itself
(a pushy sentence beside the phrase the rule saw). A rule the model fires on its own gets one
finding over the sentence that weighs most; a hit the model does not confirm is dropped.
Without a model for the language, the rules' findings stand.
"""

from __future__ import annotations

from netguard.lint.document import Sentence
from netguard.lint.features import DraftFeatures, features
from netguard.lint.findings import PITFALLS, Check, finding
from netguard.lint.focus import counts
from netguard.lint.gossip import parties
from netguard.lint.learned import RuleModel, applies, possible
from netguard.lint.model import LintFinding
from netguard.texts import text


def _values(check: Check, rule: str, start: int) -> dict[str, object]:
    """What the message of ``rule`` names, for a finding the model made on its own."""
    if rule == "self-focus":
        first, second, _ = counts(check)
        return {"first": first, "second": second}
    if rule == "gossip":
        party = parties(check).get(start)
        return {"name": party or text("lint", check.language, "someone_else")}
    if rule in ("cold-no-homework", "ask-after-silence"):
        return {"name": ", ".join(r.first_name or r.name or r.address for r in check.recipients)}
    return {}


def _own_finding(check: Check, rule: str, sentence: Sentence) -> LintFinding:
    """A finding over the whole sentence (gossip says so: the judgement may be implied)."""
    message = "gossip_sentence" if rule == "gossip" else ""
    return finding(check, rule, sentence.start, sentence.end, message=message,
                   **_values(check, rule, sentence.start))


def decide(check: Check, found: dict[str, list[LintFinding]],
           models: dict[str, RuleModel]) -> list[LintFinding]:
    """The findings that stand, from the rules' ``found`` and the language's ``models``."""
    if not models:
        return [f for rule_found in found.values() for f in rule_found]
    draft = features(check, frozenset(found))
    sentences = [names for _, names in draft.sentences]
    every = set(draft.draft).union(*sentences)
    out: list[LintFinding] = []
    for rule in PITFALLS:
        rule_model = models.get(rule)
        if rule_model is None:
            out += found.get(rule, [])
            continue
        if not (applies(check, rule) and possible(rule, every)):
            continue
        probability = rule_model.judge(draft.draft, sentences, every)
        if not rule_model.fires(probability, rule in found):
            continue
        if rule in found:
            out += found[rule]
            out += [_own_finding(check, rule, sentence)
                    for sentence in _also(rule, rule_model, draft, found[rule])]
            continue
        best = rule_model.strongest(sentences)
        if best >= 0:
            out.append(_own_finding(check, rule, draft.sentences[best][0]))
    return out


# The rules whose findings point at words, not at the draft as a whole: a sentence beside the
# rule's hit can carry them too (gossip's finding is its sentences about the party already).
_WORD_RULES = ("pushy-wording", "exaggeration")


def _also(rule: str, rule_model: RuleModel, draft: DraftFeatures,
          hits: list[LintFinding]) -> list[Sentence]:
    """For a rule of ``_WORD_RULES``, the sentences outside its ``hits`` that carry it on their
    own (with a cue of its kind, as sure as the model must be to fire where no rule matched)."""
    if rule not in _WORD_RULES:
        return []
    spans = [(hit.start, hit.end) for hit in hits]
    return [sentence for sentence, names in draft.sentences
            if not any(start < sentence.end and sentence.start < end for start, end in spans)
            and possible(rule, names)
            and rule_model.fires(rule_model.on_its_own(names), False)]
