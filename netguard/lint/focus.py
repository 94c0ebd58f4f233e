"""Self-focus (pitfall 1, "ikke, ikke, ikke"): first-person words clearly outweigh "you".

An inclusive "we" ("shall we meet", "zoals we bespraken": you and I) is not about me, so in
such a sentence "we/us/our" do not count; an exclusive "we" (my company) does.
"""

from __future__ import annotations

from netguard.lint.document import Sentence
from netguard.lint.findings import Check, finding
from netguard.lint.model import LintFinding
from netguard.lint.roles import sentences_with


def _mine(check: Check, sentence: Sentence, inclusive: frozenset[int]) -> int:
    """First-person words of ``sentence`` that are about me (not an inclusive "we")."""
    lex, shared = check.lex, sentence.start in inclusive
    return sum(1 for w in sentence.words
               if w.key in lex.first_person and not (shared and w.key in lex.plural_first))


def counts(check: Check) -> tuple[int, int, dict[int, int]]:
    """How often the draft speaks of me and of you, and of me per sentence (by its start)."""
    if not check.counted:
        lex, doc = check.lex, check.doc
        inclusive = sentences_with(doc, lex.inclusive)
        mine = {s.start: _mine(check, s, inclusive) for s in doc.sentences}
        second = sum(1 for w in doc.words if w.key in lex.second_person)
        check.counted.append((sum(mine.values()), second, mine))
    return check.counted[0]


def self_focus(check: Check) -> list[LintFinding]:
    lex, doc = check.lex, check.doc
    if len(doc.words) < lex.min_words:
        return []
    first, second, mine = counts(check)
    if first < lex.min_first or first < lex.ratio * max(second, 1):
        return []
    densest = max(doc.sentences, key=lambda s: mine[s.start])
    return [finding(check, "self-focus", densest.start, densest.end, first=first, second=second)]
