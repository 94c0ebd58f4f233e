"""Fast phrase matching: many patterns, tried only where a word starts the way they start.

One big alternation scanned over the whole text costs about a millisecond per 2 KB in
Python's ``re``; grouping the patterns by how their first word begins and trying them only
at words that begin that way brings it down to a fraction. Patterns whose start cannot be
read off (``100\\s?%``, ``#1``) are scanned the ordinary way.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, KeysView, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Protocol

_OPTIONAL = ("?", "*", "{")


class Indexed(Protocol):
    """A text with the offsets of its words by how they begin (see ``word_prefixes``)."""

    @property
    def masked(self) -> str: ...
    @property
    def folded(self) -> str: ...
    @property
    def prefixes(self) -> Mapping[str, Sequence[int]]: ...


def fold(text: str) -> str:
    """``text`` in lowercase, letter for letter (a letter whose lowercase is longer stays), so
    that offsets still fit: the patterns match it without ``re.IGNORECASE``, which makes
    Python's ``re`` several times slower."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join([c if len(c.lower()) != 1 else c.lower() for c in text])


def lowercase(src: str) -> str:
    """A pattern's letters in lowercase, its escapes (``\\S``, ``\\W``) left as they are: the
    pattern, matched against ``fold``'s text, finds what it found ignoring case."""
    parts = _ESCAPE.split(src)  # text, escape, text, ...: the escapes at odd places
    parts[::2] = [part.lower() for part in parts[::2]]
    return "".join(parts)


_ESCAPE = re.compile(r"(\\.)", re.DOTALL)


def word_prefixes(words: Iterable[tuple[int, str]]) -> dict[str, list[int]]:
    """Offsets of words by their first two letters and by first letter + ``.``."""
    two: defaultdict[str, list[int]] = defaultdict(list)
    for start, key in words:
        two[key[:2]].append(start)
    index: defaultdict[str, list[int]] = defaultdict(list)
    for prefix, starts_ in two.items():
        index[prefix[0] + "."] += starts_
    index.update(two)
    return index


def _structure(src: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """Each character of ``src`` from ``start`` that shapes the pattern, with the group depth
    it stands at; escapes and character classes are stepped over."""
    depth, i, in_class = 0, start, False
    while i < len(src):
        char = src[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        else:
            depth -= char == ")"
            yield i, char, depth
            depth += char == "("
        i += 1


def _group_end(src: str, start: int) -> int | None:
    """The index of the ``)`` closing the group that opens at ``start``."""
    for i, char, depth in _structure(src, start):
        if char == ")" and depth == 0:
            return i
    return None


def _alternatives(src: str) -> list[str]:
    """``src`` split at its top-level ``|``."""
    cuts = [i for i, char, depth in _structure(src) if char == "|" and depth == 0]
    bounds = [-1, *cuts, len(src)]
    return [src[left + 1:right] for left, right in pairwise(bounds)]


def starts(src: str) -> frozenset[str] | None:
    """How a match of ``src`` can begin, as word prefixes: two letters (``"he"``), a whole
    one-letter word (``"i"``), or one letter and a dot (``"h."``: any word starting with h).
    None when that cannot be read off the pattern."""
    if src.startswith("\\b"):
        return starts(src[2:])
    if src[:1].isalpha():
        return frozenset({_prefix(src)})
    end = _group_end(src, 0) if src.startswith("(?:") else None
    if end is None or src[end + 1:end + 2] in ("*", "{"):
        return None
    optional = src[end + 1:end + 2] == "?"  # "(?:do )?read": starts as "do" or as "read"
    found: set[str] = set()
    for alternative in _alternatives(src[3:end]):
        prefixes = starts(alternative + ("" if optional else src[end + 1:end + 2]))
        if prefixes is None:
            return None
        found |= prefixes
    if optional:
        rest = starts(src[end + 2:])
        if rest is None:
            return None
        found |= rest
    return frozenset(found)


def _prefix(src: str) -> str:
    first, second = src[0].lower(), src[1:2]
    third = src[2:3]
    if second in ("", " "):
        return first
    if (second.isalpha() or second == "'") and third not in _OPTIONAL:
        return first + second.lower()
    return first + "."


class Patterns(Mapping[str, re.Pattern[str]]):
    """Regexes by key, each compiled the first time it is asked for. A lexicon holds about 900
    of them, ≈0.9 s of ``re.compile`` together; a draft's words begin in a few of the ways they
    do, so a check compiles those few and the lexicon loads at once (issue 18: the composer's
    first keystroke waited for a whole load). Two threads asking at once compile it twice,
    and either copy serves."""

    __slots__ = ("_compiled", "_flags", "sources")

    def __init__(self, sources: dict[str, str], flags: int = 0) -> None:
        self.sources = sources
        self._flags = flags
        self._compiled: dict[str, re.Pattern[str]] = {}

    def __getitem__(self, key: str) -> re.Pattern[str]:
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = re.compile(self.sources[key], self._flags)
        return found

    def __contains__(self, key: object) -> bool:
        return key in self.sources

    def keys(self) -> KeysView[str]:
        return self.sources.keys()

    def __iter__(self) -> Iterator[str]:
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)

    def __eq__(self, other: object) -> bool:  # by source: comparing compiles nothing
        if not isinstance(other, Patterns):
            return NotImplemented
        return (self.sources, self._flags) == (other.sources, other._flags)

    __hash__ = None  # type: ignore[assignment]  # unhashable, as a dict


@dataclass(frozen=True, slots=True)
class PhraseIndex:
    """Patterns grouped by first letter, plus the rest scanned over the text. They match the
    lowercase text (``fold``), but for those that care about case somewhere (``(?-i:[A-Z])``),
    which match the text as written, ignoring case elsewhere (``cased``)."""

    by_prefix: Patterns
    scanned: re.Pattern[str] | None
    cased: Patterns

    def spans(self, doc: Indexed) -> list[tuple[int, int]]:
        """Non-overlapping matches, leftmost first (longest at the same start); remembered
        by a document that keeps a ``memo`` (the rules and the model ask for the same)."""
        memo: dict[int, list[tuple[int, int]]] | None = getattr(doc, "memo", None)
        if memo is None:
            return self._spans(doc)
        key = id(self)
        if key not in memo:
            memo[key] = self._spans(doc)
        return memo[key]

    def _spans(self, doc: Indexed,
               screened: Mapping[str, Sequence[int]] | None = None) -> list[tuple[int, int]]:
        """The matches, tried at the word starts of ``screened`` (``Screen``) where given,
        else at every word that begins the way a pattern does."""
        found: list[tuple[int, int]] = []
        prefixes = doc.prefixes
        tried = prefixes if screened is None else screened  # {}: the screen found nothing
        for text, by_prefix, starts_ in ((doc.folded, self.by_prefix, tried),
                                         (doc.masked, self.cased, prefixes)):
            for prefix in by_prefix.keys() & starts_.keys():
                match = by_prefix[prefix].match
                found += [m.span() for start in starts_[prefix] if (m := match(text, start))]
        if self.scanned is not None:
            found += _scan(self.scanned, doc.folded)
        return leftmost(found)

    def any(self, doc: Indexed) -> bool:
        return bool(self.spans(doc))


_WORDY = re.compile(r"[\w'’]")


def _scan(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """The matches of ``pattern`` in ``text`` that do not start inside a word: what a
    ``(?<![\\w'’])`` in front would find, several times faster (a look-behind first keeps
    ``re`` from skipping ahead to the characters a match can start with)."""
    found, at = [], 0
    while m := pattern.search(text, at):
        start = m.start()
        if start and _WORDY.match(text, start - 1):
            at = start + 1
        else:
            found.append(m.span())
            at = max(m.end(), start + 1)
    return found


@dataclass(frozen=True, slots=True)
class Screen:
    """One pass for many indexes: by first letters, the alternation of all their patterns,
    tried once at each word, so that each index is then tried only at the few words where one
    of them matches (one call per word instead of one per word and index: about half the
    time of a lexicon's phrase matching)."""

    by_prefix: Patterns
    indexes: tuple[PhraseIndex, ...]

    def fill(self, doc: Indexed, memo: dict[int, list[tuple[int, int]]]) -> None:
        """Works out the spans of every index in ``doc`` into its ``memo`` (see ``spans``)."""
        text, prefixes, screened = doc.folded, doc.prefixes, {}
        for prefix in self.by_prefix.keys() & prefixes.keys():
            match = self.by_prefix[prefix].match
            if hits := [start for start in prefixes[prefix] if match(text, start)]:
                screened[prefix] = hits
        for index in self.indexes:
            if id(index) not in memo:
                memo[id(index)] = index._spans(doc, screened)


def screen(indexes: Iterable[PhraseIndex]) -> Screen:
    """A ``Screen`` over ``indexes`` (each counted once)."""
    unique = tuple({id(index): index for index in indexes}.values())
    groups: dict[str, list[str]] = {}
    for index in unique:
        for prefix, source in index.by_prefix.sources.items():
            groups.setdefault(prefix, []).append(source)
    return Screen(Patterns({prefix: "|".join(f"(?:{p})" for p in patterns)
                            for prefix, patterns in groups.items()}), unique)


def leftmost(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    kept: list[tuple[int, int]] = []
    for span in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def build(sources: Iterable[tuple[str, str]]) -> PhraseIndex:
    """An index over ``(data-file source, regex)`` pairs."""
    groups: dict[str, list[str]] = {}
    cased: dict[str, list[str]] = {}
    rest: list[str] = []
    for raw, src in sources:
        prefixes = starts(raw.lower())
        if prefixes is None:
            rest.append(src)
            continue
        for prefix in prefixes:
            (cased if "(?-i:" in src else groups).setdefault(prefix, []).append(src)

    def source(parts: list[str], flags: int = 0) -> str:
        alternatives = "|".join(f"(?:{p})" for p in parts)
        return (alternatives if flags else lowercase(alternatives)).join(("(?:", r")(?!\w)"))

    scanned = None
    if rest:
        scanned = re.compile(source(rest))  # matched where no word goes on before it (``_scan``)
    return PhraseIndex(Patterns({k: source(v) for k, v in groups.items()}), scanned,
                       Patterns({k: source(v, re.IGNORECASE) for k, v in cased.items()},
                                re.IGNORECASE))
