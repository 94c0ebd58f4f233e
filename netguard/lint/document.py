"""A draft cut into words and sentences, with offsets into the original text.

Words are runs of letters (any script, with diacritics) joined by apostrophes, so ``z'n``,
``I'm`` and ``d’r`` are one word each; digits and punctuation separate words.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from netguard.lint.mailtext import own_words

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# A sentence ends after . ! ? … followed by space, at a blank line, or before a list item.
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+|\n[ \t]*\n\s*|\n(?=[ \t]*(?:[-*•]|\d+[.)])[ \t])")


@dataclass(frozen=True, slots=True)
class Word:
    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        """Lowercase, with a typographic apostrophe made plain."""
        return self.text.lower().replace("’", "'")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    words: tuple[Word, ...]


@dataclass(frozen=True, slots=True)
class Document:
    text: str  # the original input
    masked: str  # the same, with quoted mail, greeting and signature blanked
    words: tuple[Word, ...]
    sentences: tuple[Sentence, ...]
    greeted: tuple[str, ...]

    def sentence_of(self, offset: int) -> Sentence | None:
        starts = [s.start for s in self.sentences]
        index = bisect_left(starts, offset + 1) - 1
        if index >= 0 and offset < self.sentences[index].end:
            return self.sentences[index]
        return None


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
    words = tuple(Word(m.start(), m.end(), m.group()) for m in _WORD.finditer(masked))
    starts = [w.start for w in words]
    sentences = []
    for span in _sentence_spans(masked):
        a, b = _trimmed(masked, *span)
        inside = words[bisect_left(starts, a):bisect_left(starts, b)]
        sentences.append(Sentence(a, b, inside))
    return Document(text, masked, words, tuple(sentences), own.greeted)
