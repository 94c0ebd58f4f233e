"""The lint's word lists and phrase patterns, loaded once per language from ``resources/lexicons``.

The data files say *what* counts as a pitfall; this module only compiles them. A phrase pattern
is a regular expression matched case-insensitively on whole words, in which a space stands for
any whitespace and an apostrophe for either ``'`` or ``’``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import cache
from typing import Any

from netguard.lint.phrases_index import (
    Patterns,
    PhraseIndex,
    Screen,
    build,
    lowercase,
    screen,
)
from netguard.resources import read_text

LANGUAGES = ("nl", "en")


@dataclass(frozen=True, slots=True)
class PhraseRule:
    """Patterns for one phrase rule, and sentences that excuse a match.

    ``phrases`` fire wherever they stand; ``own`` only in a claim about the writer (``roles``);
    ``weak`` only in a sentence that asks or presses the reader.
    """

    phrases: PhraseIndex
    exempt: re.Pattern[str] | None
    own: PhraseIndex
    weak: PhraseIndex


@dataclass(frozen=True, slots=True)
class NoteWords:
    """What the clarity notes look for: requests without a question mark, small talk, limits."""

    request: PhraseIndex
    small_talk: PhraseIndex
    max_asks: int
    max_follow_up_words: int
    max_subject_chars: int


@dataclass(frozen=True, slots=True)
class Lexicon:
    language: str
    stopwords: frozenset[str]
    first_person: frozenset[str]
    second_person: frozenset[str]
    plural_first: frozenset[str]
    inclusive: PhraseIndex
    min_words: int
    min_first: int
    ratio: float
    negative: PhraseIndex
    negation: frozenset[str]
    not_names: frozenset[str]
    third_person: frozenset[str]
    refers_back: frozenset[str]
    no_gossip: re.Pattern[str] | None
    pressing: PhraseIndex
    homework: PhraseIndex
    exaggeration: PhraseRule
    pushy: PhraseRule
    stacked: re.Pattern[str]
    release: PhraseIndex
    ask: PhraseRule
    notes: NoteWords
    classes: tuple[tuple[str, PhraseIndex], ...]  # word classes for the model (``features``)
    class_words: dict[str, tuple[str, ...]]  # the classes' single plain words, looked up
    superlative_endings: tuple[str, ...]
    screen: Screen = field(default=Screen(Patterns({}), ()), compare=False)  # all the indexes above


def phrase(source: str) -> str:
    """One data-file pattern as a regex: spaces match whitespace (`` ?``: maybe some), apostrophes
    both kinds.

    Inside a look-behind, which needs a fixed width, write a space as ``\\x20``.
    """
    return source.replace(" ?", "\0").replace(" ", r"\s+").replace("\0", r"\s*").replace(
        "'", "['’]")


def phrases(sources: list[str]) -> PhraseIndex:
    return build((s, phrase(s)) for s in sources)


def word_pattern(word: str) -> str:
    """A word list entry ``stem*`` means every word starting with ``stem``."""
    return re.escape(word[:-1]) + r"[\w'’-]*" if word.endswith("*") else re.escape(word)


def _exempt(sources: list[str]) -> re.Pattern[str] | None:
    if not sources:
        return None
    return re.compile(lowercase("|".join(f"(?:{phrase(s)})" for s in sources)))


def _phrase_rule(table: dict[str, Any]) -> PhraseRule:
    return PhraseRule(phrases(list(table.get("patterns", []))),
                      _exempt(list(table.get("exempt", []))),
                      phrases(list(table.get("own_patterns", []))),
                      phrases(list(table.get("weak_patterns", []))))


def _notes(table: dict[str, Any]) -> NoteWords:
    return NoteWords(phrases(list(table["request"])), phrases(list(table["small_talk"])),
                     int(table["max_asks"]), int(table["max_follow_up_words"]),
                     int(table["max_subject_chars"]))


def _words(values: list[str]) -> frozenset[str]:
    return frozenset(v.lower().replace("’", "'") for v in values)


def _plain(word: str) -> bool:
    """A single word without pattern syntax: looked up rather than matched."""
    return re.fullmatch(r"[^\W\d_]+(?:'[^\W\d_]+)?", word) is not None


def _class_words(classes: dict[str, list[str]], language: str) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for name, words in classes.items():
        for word in filter(_plain, words):
            found[word.lower()] = (*found.get(word.lower(), ()), name)
    for word, name in _polarity(language):
        found[word] = (*found.get(word, ()), name)
    return found


def _polarity(language: str) -> list[tuple[str, str]]:
    """The words of ``resources/lint/polarity-<lang>.tsv`` (``tools/polarity_lists.py``), each
    with its class: ``neg`` or ``pos``."""
    names = {"-": "neg", "+": "pos"}
    rows = (line.split("\t") for line in read_text("lint", f"polarity-{language}.tsv").splitlines()
            if line and not line.startswith("#"))
    return [(word, names[sign]) for word, sign in rows]


_SYNTAX = re.compile(r"([.^$*+?{}\[\]\\|()])")


def _phrase_lists(language: str) -> dict[str, list[str]]:
    """The marker phrases of ``resources/lint/phrases-<lang>.toml``, written by someone who
    never saw the lexicon, as word classes: each list its own (``p-ironic``), and its
    look-alikes that are usually fine (``ironic_harmless``) together as ``p-harmless``."""
    lists = tomllib.loads(read_text("lint", f"phrases-{language}.toml"))[language]
    classes: dict[str, list[str]] = {}
    for name, found in lists.items():
        key = "p-harmless" if name.endswith("_harmless") else f"p-{name}"
        classes.setdefault(key, []).extend(_SYNTAX.sub(r"\\\1", p) for p in found)
    return classes


def _model_classes(data: dict[str, Any], language: str) -> dict[str, list[str]]:
    return {**data["model"]["classes"], **_phrase_lists(language)}


def _indexes(value: object) -> Iterator[PhraseIndex]:
    """Every phrase index in ``value``: a lexicon, one of its parts, or a tuple of them."""
    if isinstance(value, PhraseIndex):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _indexes(item)
    elif is_dataclass(value):
        for f in fields(value):
            yield from _indexes(getattr(value, f.name))


@cache
def lexicon(language: str) -> Lexicon:
    """The compiled lexicon of ``language`` (``nl`` or ``en``), cached for the process, with
    one ``Screen`` over all its phrase indexes."""
    lex = _compiled(language)
    return replace(lex, screen=screen(_indexes(lex)))


def _compiled(language: str) -> Lexicon:
    data = tomllib.loads(read_text("lexicons", f"{language}.toml"))
    focus, gossip = data["self_focus"], data["gossip"]
    classes = _model_classes(data, language)
    negative = [(w, word_pattern(w)) for w in gossip["negative"]]
    return Lexicon(
        language=language,
        stopwords=_words(data["detect"]["stopwords"]),
        first_person=_words(focus["first_person"]),
        second_person=_words(focus["second_person"]),
        plural_first=_words(focus["plural_first"]),
        inclusive=phrases(list(focus["inclusive"])),
        min_words=int(focus["min_words"]),
        min_first=int(focus["min_first"]),
        ratio=float(focus["ratio"]),
        negative=build(negative + [(p, phrase(p)) for p in gossip["negative_phrases"]]),
        negation=_words(gossip["negation"]),
        not_names=_words(gossip["not_names"]),
        third_person=_words(data["roles"]["third_person"]),
        refers_back=_words(gossip["refers_back"]),
        no_gossip=_exempt(list(gossip["exempt"])),
        pressing=phrases(list(data["roles"]["pressing"])),
        homework=phrases(list(data["cold"]["homework"])),
        exaggeration=_phrase_rule(data["exaggeration"]),
        pushy=_phrase_rule(data["pushy"]),
        stacked=re.compile(data["pushy"]["stacked"]),
        release=phrases(list(data["pushy"]["release"])),
        ask=_phrase_rule(data["ask"]),
        notes=_notes(data["notes"]),
        classes=tuple((name, phrases([w for w in words if not _plain(w)]))
                      for name, words in classes.items()),
        class_words=_class_words(classes, language),
        superlative_endings=tuple(data["model"]["superlative_endings"]),
    )
