"""The phrase index's shortcuts find what plain matching finds (netguard/lint/phrases_index.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netguard.lint.document import read
from netguard.lint.evaluation import folders
from netguard.lint.lexicon import _indexes, lexicon
from netguard.lint.phrases_index import Patterns, _scan, build, leftmost

DATA = Path(__file__).resolve().parents[1] / "data" / "drafts"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_screen_finds_what_each_index_finds_alone(language: str) -> None:
    lex = lexicon(language)
    indexes = list(_indexes(lex))
    assert len(lex.screen.indexes) == len({id(i) for i in indexes}) > 20
    drafts = folders(DATA, ["sealed-1", "sealed-2", "sealed-3", "train-p"], language)
    matched = 0
    for draft in drafts:
        screened, plain = read(draft.text), read(draft.text)
        lex.screen.fill(screened, screened.memo)
        for index in indexes:
            assert index.spans(screened) == index.spans(plain), draft.id
            matched += bool(index.spans(plain))
    assert matched > len(drafts)  # the drafts do hit the patterns


@pytest.mark.parametrize("text", [
    "100% sure, a100% not, 100 % again", "x#1 and #1 and ##1", "'t is maar dat ge het weet",
    "zo 't is maar dat ge het weet", "100%100%", "", "#1",
])
def test_scanning_without_a_look_behind_finds_the_same(text: str) -> None:
    index = build([("100\\s*%", "100\\s*%"), ("#1", "#1"),
                   ("'t is maar", "['’]t\\s+is\\s+maar")])
    assert index.scanned is not None
    behind = re.compile(r"(?<![\w'’])" + index.scanned.pattern)
    assert _scan(index.scanned, text) == [m.span() for m in behind.finditer(text)]
    assert leftmost(_scan(index.scanned, text)) == index.spans(read(text))


def _compiled(patterns: Patterns) -> int:
    return len(patterns._compiled)


def test_patterns_compile_only_when_asked_for() -> None:
    patterns = Patterns({"he": "hello|help", "wo": "world"}, re.IGNORECASE)
    assert patterns.keys() & {"he": 1, "zz": 2}.keys() == {"he"}
    assert "wo" in patterns and "zz" not in patterns and len(patterns) == 2
    assert _compiled(patterns) == 0  # keys, membership and size compile nothing
    assert patterns["he"].match("HELP") and patterns["he"] is patterns["he"]
    assert _compiled(patterns) == 1
    assert patterns == Patterns({"he": "hello|help", "wo": "world"}, re.IGNORECASE)
    assert patterns != Patterns({"he": "hello|help", "wo": "world"})
    with pytest.raises(KeyError):
        patterns["zz"]


def test_a_lexicon_loads_without_compiling_its_phrases_and_a_draft_compiles_few() -> None:
    lex = lexicon.__wrapped__("en")  # a fresh load, not the process's cached one
    kept = [index.by_prefix for index in lex.screen.indexes] + [lex.screen.by_prefix]
    assert sum(map(_compiled, kept)) == 0
    doc = read("Hi Sam, great to meet you at the fair. Could we talk on Tuesday?")
    lex.screen.fill(doc, doc.memo)  # as a lint reads: the screen first, then the indexes
    assert 0 < sum(map(_compiled, kept)) < sum(map(len, kept)) / 10
