"""Phrase rules: exaggeration (pitfall 6), pushy wording (7) and asking after a silence (4).

Words in quotation marks are someone else's wording (a subject, a tagline, their question),
not the writer's, so these rules leave them alone. Some patterns count only in context: a
superlative only in a claim about the writer ("I'm the fastest", not "your site is the
fastest"), a reminder only where the sentence presses the reader.
"""

from __future__ import annotations

from netguard.lint.findings import Check, finding
from netguard.lint.lexicon import PhraseRule
from netguard.lint.model import LintFinding
from netguard.lint.phrases_index import leftmost
from netguard.lint.roles import owner, presses


def _excused(check: Check, rule: PhraseRule, offset: int, seen: dict[int, bool]) -> bool:
    """Whether the sentence around ``offset`` matches one of the rule's exemptions."""
    sentence = check.doc.sentence_of(offset)
    if rule.exempt is None or sentence is None:
        return False
    if sentence.start not in seen:
        found = rule.exempt.search(check.doc.folded, sentence.start, sentence.end)
        seen[sentence.start] = found is not None
    return seen[sentence.start]


def _in_context(check: Check, rule: PhraseRule) -> list[tuple[int, int]]:
    """The ``own`` matches in a claim about the writer and the ``weak`` ones in a sentence that
    presses the reader."""
    doc, kept = check.doc, []
    for a, b in rule.own.spans(doc):
        sentence = doc.sentence_of(a)
        if sentence is not None and owner(check, sentence, a) == "self":
            kept.append((a, b))
    for a, b in rule.weak.spans(doc):
        sentence = doc.sentence_of(a)
        if sentence is not None and presses(check, sentence):
            kept.append((a, b))
    return kept


def _matches(check: Check, rule: PhraseRule) -> list[tuple[int, int]]:
    seen: dict[int, bool] = {}
    spans = leftmost(rule.phrases.spans(check.doc) + _in_context(check, rule))
    return [(a, b) for a, b in spans
            if not check.doc.quoted(a, b) and not _excused(check, rule, a, seen)]


def exaggeration(check: Check) -> list[LintFinding]:
    spans = _matches(check, check.lex.exaggeration)
    return [finding(check, "exaggeration", a, b) for a, b in spans]


def pushy_wording(check: Check) -> list[LintFinding]:
    """Pressure on the reader; a draft that releases them (a close-the-loop) does not press."""
    if check.lex.release.any(check.doc):
        return []
    spans = _matches(check, check.lex.pushy)
    spans += [m.span() for m in check.lex.stacked.finditer(check.doc.masked)
              if not check.doc.quoted(*m.span()) and _stacked_presses(check, m.group(), spans,
                                                                     m.start())]
    return [finding(check, "pushy-wording", a, b) for a, b in sorted(spans)]


def _stacked_presses(check: Check, marks: str, spans: list[tuple[int, int]], at: int) -> bool:
    """``??`` presses; ``!!`` only in a sentence that already presses ("It's urgent!!"), not in
    congratulations ("wat een mijlpaal!!")."""
    if "?" in marks:
        return True
    sentence = check.doc.sentence_of(max(at - 1, 0))
    return sentence is not None and any(sentence.start <= a < sentence.end for a, _ in spans)


def ask_after_silence(check: Check) -> list[LintFinding]:
    quiet = [r for r in check.recipients if r.neglected and not r.muted]
    if not quiet:
        return []
    name = ", ".join(r.first_name or r.name or r.address for r in quiet)
    return [finding(check, "ask-after-silence", a, b, name=name)
            for a, b in _matches(check, check.lex.ask)]
