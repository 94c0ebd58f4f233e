"""The lint's word lists and phrase patterns, loaded once per language from ``resources/lexicons``.

The data files say *what* counts as a pitfall; this module only compiles them. A phrase pattern
is a regular expression matched case-insensitively on whole words, in which a space stands for
any whitespace and an apostrophe for either ``'`` or ``’``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any

from netguard.resources import read_text

LANGUAGES = ("nl", "en")


@dataclass(frozen=True, slots=True)
class PhraseRule:
    """Patterns for one phrase rule, and sentences that excuse a match."""

    pattern: re.Pattern[str] | None
    exempt: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class Lexicon:
    language: str
    stopwords: frozenset[str]
    first_person: frozenset[str]
    second_person: frozenset[str]
    min_words: int
    min_first: int
    ratio: float
    negative: re.Pattern[str]
    negation: frozenset[str]
    not_names: frozenset[str]
    homework: re.Pattern[str]
    exaggeration: PhraseRule
    pushy: PhraseRule
    stacked: re.Pattern[str]
    ask: PhraseRule


def phrase(source: str) -> str:
    """One data-file pattern as a regex: spaces match whitespace, apostrophes both kinds.

    Inside a look-behind, which needs a fixed width, write a space as ``\\x20``.
    """
    return source.replace(" ", r"\s+").replace("'", "['’]")


def alternation(sources: list[str], words: bool = True) -> re.Pattern[str] | None:
    """All ``sources`` as one case-insensitive pattern on whole words (None when empty)."""
    if not sources:
        return None
    body = "|".join(f"(?:{phrase(s)})" for s in sources)
    if words:
        body = rf"(?<![\w'’])(?:{body})(?![\w])"
    return re.compile(body, re.IGNORECASE)


def word_pattern(words: list[str]) -> str:
    """A word list entry ``stem*`` means every word starting with ``stem``."""
    return "|".join(re.escape(w[:-1]) + r"[\w'’-]*" if w.endswith("*") else re.escape(w)
                    for w in words)


def _phrase_rule(table: dict[str, Any]) -> PhraseRule:
    return PhraseRule(alternation(list(table.get("patterns", []))),
                      alternation(list(table.get("exempt", [])), words=False))


def _words(values: list[str]) -> frozenset[str]:
    return frozenset(v.lower().replace("’", "'") for v in values)


@cache
def lexicon(language: str) -> Lexicon:
    """The compiled lexicon of ``language`` (``nl`` or ``en``), cached for the process."""
    data = tomllib.loads(read_text("lexicons", f"{language}.toml"))
    focus, gossip = data["self_focus"], data["gossip"]
    negative = [word_pattern(gossip["negative"])] + [phrase(p) for p in gossip["negative_phrases"]]
    return Lexicon(
        language=language,
        stopwords=_words(data["detect"]["stopwords"]),
        first_person=_words(focus["first_person"]),
        second_person=_words(focus["second_person"]),
        min_words=int(focus["min_words"]),
        min_first=int(focus["min_first"]),
        ratio=float(focus["ratio"]),
        negative=re.compile(rf"(?<![\w'’])(?:{'|'.join(negative)})(?!\w)", re.IGNORECASE),
        negation=_words(gossip["negation"]),
        not_names=_words(gossip["not_names"]),
        homework=alternation(list(data["cold"]["homework"])) or re.compile(r"(?!)"),
        exaggeration=_phrase_rule(data["exaggeration"]),
        pushy=_phrase_rule(data["pushy"]),
        stacked=re.compile(data["pushy"]["stacked"]),
        ask=_phrase_rule(data["ask"]),
    )
