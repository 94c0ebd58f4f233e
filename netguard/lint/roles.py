"""Sentence roles: whom a claim is about, and whether a sentence asks or presses the reader.

A claim belongs to the nearest person before it in its sentence: "I'm the fastest" is about me,
"your pages are the best I've seen" about the reader, "their work is sloppy" about a third party.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from netguard.lint.document import Document, Sentence, Word
from netguard.lint.findings import Check
from netguard.lint.phrases_index import PhraseIndex

Role = Literal["self", "reader", "other"]


def person(check: Check, words: Iterable[Word]) -> Role | None:
    """The first of ``words`` that names a person (I, you, they), as a role; else None."""
    lex = check.lex
    for word in words:
        if word.key in lex.first_person:
            return "self"
        if word.key in lex.second_person:
            return "reader"
        if word.key in lex.third_person:
            return "other"
    return None


def owner(check: Check, sentence: Sentence, offset: int) -> Role | None:
    """Whom the words at ``offset`` are about: the nearest person before them in ``sentence``."""
    return person(check, (w for w in reversed(sentence.words) if w.start < offset))


def sentences_with(doc: Document, index: PhraseIndex) -> frozenset[int]:
    """The starts of the sentences in which a pattern of ``index`` begins."""
    found = set()
    for start, _ in index.spans(doc):
        sentence = doc.sentence_of(start)
        if sentence is not None:
            found.add(sentence.start)
    return frozenset(found)


def is_question(doc: Document, sentence: Sentence) -> bool:
    return "?" in doc.masked[sentence.start:sentence.end]


def presses(check: Check, sentence: Sentence) -> bool:
    """Whether ``sentence`` asks something of the reader (a question or a request) or carries a
    pressure word."""
    doc, lex = check.doc, check.lex
    return (is_question(doc, sentence) or sentence.start in sentences_with(doc, lex.notes.request)
            or sentence.start in sentences_with(doc, lex.pressing))
