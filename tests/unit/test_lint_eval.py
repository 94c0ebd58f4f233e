"""The labelled drafts in tests/data/drafts hold the lint to its floors, per rule and language.

The development part is what the lexicons were tuned and the model trained on; its floors are
the training fit. The cross-writer floors hold what matters more: trained without one writer's
drafts, the lint must still do well on that writer's (bench/lint_eval.py prints the figures).
The sealed part (``sealed/<lang>.toml``) is put in place only to be scored, by people who never
saw the lint; its floors are set once it has been scored (README, "Draft lint"). The tests run
over the parts that are there.
"""

from __future__ import annotations

import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from netguard.lint.evaluation import (
    WRITERS,
    LabelledDraft,
    existing_parts,
    folders,
    fully_right,
    part,
    score,
)
from netguard.lint.findings import PITFALLS
from netguard.lint.training import cross_writer, example

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "drafts"
LANGUAGES = ("nl", "en")
# (precision, recall) floors for every rule, and the share of drafts fully right.
# sealed: used only while a sealed part is in place (the tests run over the parts there are);
# a little under its one score (the seventh and eighth sealed parts together, 2026-12-07:
# precision 0.91 and recall 0.91 at worst, 97 % fully right in each language); set anew when a
# new sealed part is scored
FLOORS = {"development": (0.97, 0.91), "sealed": (0.88, 0.88)}
FULLY_RIGHT = {"development": 0.97, "sealed": 0.95}
# Leave one writer out (all writers together, per language): a little under what was measured
# (README, "Draft lint"); the targets are 0.9 / 0.85 and 90 % fully right.
CROSS_WRITER = {
    "nl": {"self-focus": (0.95, 0.97), "gossip": (0.91, 0.84), "ask-after-silence": (0.95, 0.96),
           "cold-no-homework": (0.96, 0.97), "exaggeration": (0.9, 0.86),
           "pushy-wording": (0.94, 0.93)},
    "en": {"self-focus": (0.95, 0.97), "gossip": (0.87, 0.82), "ask-after-silence": (0.96, 0.94),
           "cold-no-homework": (0.97, 0.97), "exaggeration": (0.92, 0.91),
           "pushy-wording": (0.95, 0.93)},
}
CROSS_WRITER_FULLY_RIGHT = 0.9
PARTS = existing_parts(DATA)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PARTS)
def test_each_part_is_big_balanced_and_has_every_rule(name: str, language: str) -> None:
    drafts = part(DATA, name, language)
    big = name == "development"
    assert len(drafts) >= (300 if big else 30)
    clean = sum(1 for d in drafts if not d.expect)
    assert 0.35 <= clean / len(drafts) <= 0.65
    assert len({d.id for d in drafts}) == len(drafts)
    for rule in PITFALLS:
        assert sum(1 for d in drafts if rule in d.expect) >= (5 if big else 3), rule


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PARTS)
def test_precision_and_recall_per_rule(name: str, language: str) -> None:
    drafts = part(DATA, name, language)
    scores, wrong_language = score(drafts)
    assert wrong_language == []
    report = {rule: (round(s.precision, 2), round(s.recall, 2), s.false_alarms, s.misses)
              for rule, s in scores.items()}
    precision, recall = FLOORS[name]
    for rule, s in scores.items():
        assert s.precision >= precision, report[rule]
        assert s.recall >= recall, report[rule]
    right, total = fully_right(drafts)
    assert right / total >= FULLY_RIGHT[name]


@cache
def _cross_writer(language: str) -> tuple[list[LabelledDraft], dict[str, frozenset[str]]]:
    groups = {name: [example(d) for d in folders(DATA, names, language)]
              for name, names in WRITERS.items()}
    return [e.draft for group in groups.values() for e in group], cross_writer(groups)


@pytest.mark.parametrize("language", LANGUAGES)
def test_trained_without_a_writer_the_lint_still_does_well_on_their_drafts(
        language: str) -> None:
    drafts, verdicts = _cross_writer(language)

    def judge(d: LabelledDraft) -> tuple[str, frozenset[str]]:
        return language, verdicts[d.id]

    scores, _ = score(drafts, judge)
    for rule, s in scores.items():
        precision, recall = CROSS_WRITER[language][rule]
        assert s.precision >= precision, (rule, s.false_alarms)
        assert s.recall >= recall, (rule, s.misses)
    right, total = fully_right(drafts, judge)
    assert right / total >= CROSS_WRITER_FULLY_RIGHT


def test_the_shipped_weights_are_what_the_training_script_makes() -> None:
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "train_lint.py"), "--check"],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
