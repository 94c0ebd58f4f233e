"""Gossip (pitfall 3): a negative judgement of a named third party or of their work.

The party is named in the judgement's sentence, or in one of the two sentences before it when
the judgement refers back to them ("I'd steer clear of BrightPixel. Their designers are
clueless."; "Total amateurs."). Sympathy ("sorry to hear the storm hit Bakkerij Jansen") and
complaints about things (the train, the wifi, the A12) are not gossip, and neither is anything
about the recipient's own company.

A third party is a configured competitor, or a capitalised word that is not the recipient,
not me and not an ordinary word (nor a discourse word such as "Honestly" or "Eerlijk"). A
capitalised word that opens a sentence or a line only counts as a name when the next word,
right after it with no punctuation between, is capitalised too ("Pixel Perfect") or when the
draft also writes it capitalised mid-sentence: in "Honestly, Pixel did ..." the party is Pixel.
"""

from __future__ import annotations

import re
from functools import lru_cache

from netguard.lint.cold import company
from netguard.lint.document import Sentence, Word
from netguard.lint.findings import Check, finding
from netguard.lint.model import LintFinding


@lru_cache(maxsize=32)
def competitor_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    cleaned = [re.escape(n.strip()).replace(r"\ ", r"\s+") for n in names if n.strip()]
    if not cleaned:
        return None
    return re.compile(rf"(?<!\w)(?:{'|'.join(cleaned)})(?!\w)", re.IGNORECASE)


def name_key(word: str) -> str:
    """``Jansen's`` and ``Jansen’s`` are ``jansen``."""
    key = word.lower().replace("’", "'")
    return key[:-2] if key.endswith("'s") else key


def _opens(check: Check, word: Word, sentence: Sentence) -> bool:
    if word.start == sentence.start:
        return True
    line_start = check.doc.masked.rfind("\n", 0, word.start) + 1
    return not check.doc.masked[line_start:word.start].strip()


def _capitalised(word: Word) -> bool:
    return word.text[0].isupper() and len(word.text) > 1


def _candidate(check: Check, word: Word) -> bool:
    if not _capitalised(word):
        return False
    key = name_key(word.text)
    return key not in check.lex.not_names and key not in check.known_names


def _named(check: Check, sentence: Sentence, mid_capitals: frozenset[str]) -> str | None:
    """The first name in ``sentence``; not one in quotation marks (a subject line, a title)."""
    words = sentence.words
    for i, word in enumerate(words):
        if not word.text[0].isupper() or not _candidate(check, word) or check.doc.quoted(
                word.start, word.end):
            continue
        if _opens(check, word, sentence):
            pair = i + 1 < len(words) and _joined(check, word, words[i + 1])
            if not pair and name_key(word.text) not in mid_capitals:
                continue
        return _whole_name(check, words[i:])
    return None


def _joined(check: Check, word: Word, following: Word) -> bool:
    """Whether ``following`` continues the name ``word`` starts ("Pixel Perfect", not
    "Honestly, Pixel")."""
    between = check.doc.masked[word.end:following.start]
    return not between.strip() and _candidate(check, following)


def _whole_name(check: Check, words: tuple[Word, ...]) -> str:
    """The name starting at ``words[0]``, with the capitalised words right after it."""
    end = 1
    while end < len(words) and _joined(check, words[end - 1], words[end]):
        end += 1
    return check.doc.text[words[0].start:words[end - 1].end]


def _third_party(check: Check, sentence: Sentence, mid_capitals: frozenset[str]) -> str | None:
    rivals = competitor_pattern(check.competitors)
    if rivals is not None:
        found = rivals.search(check.doc.masked, sentence.start, sentence.end)
        if found is not None:
            return found.group()
    return _named(check, sentence, mid_capitals)


def _mid_capitals(check: Check) -> frozenset[str]:
    return frozenset(
        name_key(w.text)
        for s in check.doc.sentences
        for w in s.words
        if w.text[0].isupper() and _capitalised(w) and not _opens(check, w, s)
    )


def negated(check: Check, start: int) -> bool:
    """A negation among the two or three words before the judgement ("niet slecht", "far from
    useless")."""
    before = f" {' '.join(w.key for w in check.doc.words_before(start, 3))} "
    last_two = before.split()[-2:]
    return any(w in check.lex.negation for w in last_two) or any(
        f" {n} " in before for n in check.lex.negation if " " in n)


def _refers_back(check: Check, sentence: Sentence) -> bool:
    """Whether ``sentence`` points back at someone named before ("They're cowboys.", "Total
    amateurs.")."""
    words = sentence.words
    return (len(words) <= 3 or any(w.key in check.lex.third_person for w in words)
            or (bool(words) and words[0].key in check.lex.refers_back))


def _own_company(check: Check, party: str) -> bool:
    squeezed = re.sub(r"[\W_]+", "", party.lower())
    return any(squeezed and squeezed == company(r) for r in check.recipients)


def _party(check: Check, sentence: Sentence, named: dict[int, str | None]) -> str | None:
    """The party a judgement in ``sentence`` is about: named in it, or, when it refers back, in
    one of the two sentences before it. ``named`` caches each sentence's own party."""
    party = named[sentence.start]
    if party is None and _refers_back(check, sentence):
        index = check.doc.sentence_starts.index(sentence.start)
        for earlier in reversed(check.doc.sentences[max(0, index - 2):index]):
            party = named[earlier.start]
            if party is not None:
                break
    return None if party is None or _own_company(check, party) else party


def _excused(check: Check, sentence: Sentence) -> bool:
    exempt = check.lex.no_gossip
    return exempt is not None and exempt.search(
        check.doc.folded, sentence.start, sentence.end) is not None


def _named_sentences(check: Check) -> dict[int, str | None]:
    if not check.named and check.doc.sentences:
        mid_capitals = _mid_capitals(check)
        check.named.update(
            (s.start, _third_party(check, s, mid_capitals)) for s in check.doc.sentences)
    return check.named


def parties(check: Check) -> dict[int, str | None]:
    """For each sentence (by its start), the third party it names or refers back to."""
    if not check.referred:
        named = _named_sentences(check)
        check.referred.update((s.start, _party(check, s, named)) for s in check.doc.sentences)
    return check.referred


def gossip(check: Check) -> list[LintFinding]:
    out: list[LintFinding] = []
    named: dict[int, str | None] | None = None
    excused: dict[int, bool] = {}
    for start, end in check.lex.negative.spans(check.doc):
        sentence = check.doc.sentence_of(start)
        if sentence is None or negated(check, start):
            continue
        if sentence.start not in excused:
            excused[sentence.start] = _excused(check, sentence)
        if excused[sentence.start]:
            continue
        if named is None:
            named = _named_sentences(check)
        party = _party(check, sentence, named)
        if party is not None:
            out.append(finding(check, "gossip", start, end, name=party))
    return out
