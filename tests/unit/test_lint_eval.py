"""The labelled drafts in tests/data/drafts are the lint's spec of behaviour: per rule and
language, precision >= 0.9 and recall >= 0.8, and the language is recognised."""

from __future__ import annotations

from pathlib import Path

import pytest

from netguard.lint.evaluation import load, score
from netguard.lint.findings import PITFALLS

DATA = Path(__file__).resolve().parents[1] / "data" / "drafts"
LANGUAGES = ("nl", "en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_set_is_big_and_balanced(language: str) -> None:
    drafts = load(DATA / f"{language}.toml")
    assert len(drafts) >= 40
    clean = sum(1 for d in drafts if not d.expect)
    assert 0.4 <= clean / len(drafts) <= 0.6
    assert len({d.id for d in drafts}) == len(drafts)
    for rule in PITFALLS:
        assert sum(1 for d in drafts if rule in d.expect) >= 5, rule


@pytest.mark.parametrize("language", LANGUAGES)
def test_precision_and_recall_per_rule(language: str) -> None:
    scores, wrong_language = score(load(DATA / f"{language}.toml"))
    assert wrong_language == []
    report = {rule: (round(s.precision, 2), round(s.recall, 2), s.false_alarms, s.misses)
              for rule, s in scores.items()}
    for rule, s in scores.items():
        assert s.precision >= 0.9, report[rule]
        assert s.recall >= 0.8, report[rule]
