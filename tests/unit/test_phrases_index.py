"""The phrase index's shortcuts find what plain matching finds (netguard/lint/phrases_index.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netguard.lint.document import read
from netguard.lint.evaluation import folders
from netguard.lint.lexicon import _indexes, lexicon
from netguard.lint.phrases_index import _scan, build, leftmost

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
