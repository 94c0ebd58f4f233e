"""Self-focus (pitfall 1, "ikke, ikke, ikke"): first-person words clearly outweigh "you"."""

from __future__ import annotations

from netguard.lint.findings import Check, finding
from netguard.lint.model import LintFinding


def self_focus(check: Check) -> list[LintFinding]:
    lex, doc = check.lex, check.doc
    if len(doc.words) < lex.min_words:
        return []
    first = sum(1 for w in doc.words if w.key in lex.first_person)
    second = sum(1 for w in doc.words if w.key in lex.second_person)
    if first < lex.min_first or first < lex.ratio * max(second, 1):
        return []
    densest = max(doc.sentences,
                  key=lambda s: sum(1 for w in s.words if w.key in lex.first_person))
    return [finding(check, "self-focus", densest.start, densest.end, first=first, second=second)]
