"""A draft cut into words and sentences, with offsets into the original text.

Words are runs of letters (any script, with diacritics) joined by apostrophes, so ``z'n``,
``I'm`` and ``d’r`` are one word each; digits and punctuation separate words.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import NamedTuple

from netguard.lint.mailtext import own_words
from netguard.lint.phrases_index import fold, word_prefixes

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Quotations on one line: "…", “…”, „…”, «…», ‘…’ (not a plain ' , which is an apostrophe).
_QUOTATION = re.compile(r'"[^"\n]{1,300}"|“[^”\n]{1,300}”|„[^“”"\n]{1,300}[“”"]|«[^»\n]{1,300}»'
                        r"|(?<!\w)‘[^‘’\n]{1,300}’(?!\w)")
# A sentence ends after . ! ? … followed by space, at a blank line, or before a list item.
# A title's full stop ("Mr. Gerritsen", "dhr. De Vries") ends no sentence.
_TITLES = "".join(rf"(?<!\b{t}\.)" for t in (
    "Mr", "mr", "Mrs", "Ms", "Dr", "dr", "Prof", "prof", "St", "dhr", "Dhr", "mevr", "Mevr", "drs",
    "ir", "ing"))
_BOUNDARY = re.compile(rf"(?<=[.!?…]){_TITLES}[\"'”’)]*\s+|\n[ \t]*\n\s*"
                       r"|\n(?=[ \t]*(?:[-*•]|\d+[.)])[ \t])")


class Word(NamedTuple):
    start: int
    end: int
    text: str
    key: str  # lowercase, with a typographic apostrophe made plain


def _words(masked: str) -> tuple[Word, ...]:
    lowered = masked.lower().replace("’", "'")
    spans = [m.span() for m in _WORD.finditer(masked)]
    if len(lowered) != len(masked):  # a rare letter whose lowercase is longer
        return tuple(Word(a, b, masked[a:b], masked[a:b].lower().replace("’", "'"))
                     for a, b in spans)
    return tuple(map(Word._make, [(a, b, masked[a:b], lowered[a:b]) for a, b in spans]))


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    words: tuple[Word, ...]


@dataclass(frozen=True, slots=True)
class Document:
    text: str  # the original input
    masked: str  # the same, with quoted mail, greeting and signature blanked
    folded: str  # ``masked`` in lowercase, which the lexicon's patterns match (``fold``)
    words: tuple[Word, ...]
    sentences: tuple[Sentence, ...]
    greeted: tuple[str, ...]
    word_starts: tuple[int, ...]
    sentence_starts: tuple[int, ...]
    prefixes: dict[str, list[int]]  # word offsets by how the word begins (phrases_index)
    quotations: tuple[tuple[int, int], ...] = ()  # quoted words: someone else's wording
    memo: dict[int, list[tuple[int, int]]] = field(default_factory=dict, compare=False)

    def quoted(self, start: int, end: int) -> bool:
        """Whether ``start:end`` lies inside a quotation ("about "Reminder: proposal"")."""
        return any(a < start and end < b for a, b in self.quotations)

    def sentence_of(self, offset: int) -> Sentence | None:
        index = bisect_left(self.sentence_starts, offset + 1) - 1
        if index >= 0 and offset < self.sentences[index].end:
            return self.sentences[index]
        return None

    def words_before(self, offset: int, count: int) -> tuple[Word, ...]:
        """Up to ``count`` words that start before ``offset``."""
        index = bisect_left(self.word_starts, offset)
        return self.words[max(0, index - count):index]


def _sentence_spans(masked: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for boundary in _BOUNDARY.finditer(masked):
        spans.append((start, boundary.start()))
        start = boundary.end()
    spans.append((start, len(masked)))
    return [(a, b) for a, b in spans if masked[a:b].strip()]


def _trimmed(masked: str, start: int, end: int) -> tuple[int, int]:
    while start < end and masked[start].isspace():
        start += 1
    while end > start and masked[end - 1].isspace():
        end -= 1
    return start, end


def read(text: str) -> Document:
    """Cut ``text`` into the writer's own words and sentences."""
    own = own_words(text)
    masked = own.masked
    words = _words(masked)
    starts = tuple(w.start for w in words)
    sentences = []
    for span in _sentence_spans(masked):
        a, b = _trimmed(masked, *span)
        inside = words[bisect_left(starts, a):bisect_left(starts, b)]
        sentences.append(Sentence(a, b, inside))
    return Document(text, masked, fold(masked), words, tuple(sentences), own.greeted, starts,
                    tuple(s.start for s in sentences),
                    word_prefixes(zip(starts, [w.key for w in words], strict=True)),
                    tuple(m.span() for m in _QUOTATION.finditer(masked)))
