"""Sentence roles: whom a claim is about, and whether a sentence asks or presses the reader.

A claim belongs to the nearest person before it in its sentence: "I'm the fastest" is about me,
"your pages are the best I've seen" about the reader, "their work is sloppy" about a third party.
"""

from __future__ import annotations

from typing import Literal

from netguard.lint.document import Sentence
from netguard.lint.findings import Check

Role = Literal["self", "reader", "other"]


def owner(check: Check, sentence: Sentence, offset: int) -> Role | None:
    """Whom the words at ``offset`` are about: the nearest person before them in ``sentence``."""
    lex = check.lex
    for word in reversed(sentence.words):
        if word.start >= offset:
            continue
        if word.key in lex.first_person:
            return "self"
        if word.key in lex.second_person:
            return "reader"
        if word.key in lex.third_person:
            return "other"
    return None


def text_of(check: Check, sentence: Sentence) -> str:
    return check.doc.masked[sentence.start:sentence.end]


def asks(check: Check, sentence: Sentence) -> bool:
    """Whether ``sentence`` asks the reader something (a question or a request)."""
    body = text_of(check, sentence)
    return "?" in body or check.lex.notes.request.search(body) is not None


def presses(check: Check, sentence: Sentence) -> bool:
    """Whether ``sentence`` asks something of the reader or carries a pressure word."""
    return asks(check, sentence) or check.lex.pressing.search(text_of(check, sentence)) is not None
