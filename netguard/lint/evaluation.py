"""Scoring the lint on labelled drafts (``tests/data/drafts``).

Each draft lists the rules that should fire. A rule that fires on a draft where it should
not is a false alarm; one that stays quiet where it should fire is a miss. The drafts come in
two parts: the *development* part, which the lexicons are tuned and the model is trained on,
and the *sealed* part (``sealed/<lang>.toml``), written by someone who never saw the lint and
scored only after tuning. The development part comes from several writers (``WRITERS``): the
drafts written alongside the lexicons (``<lang>.toml``, ``dev/``), six earlier sealed parts
(``sealed-1/`` ... ``sealed-6/``, each scored once, then learned from) and fourteen sets written
blind for training (``train-a/`` ... ``train-t/``); leaving one writer out at a time
measures how the lint does on text by someone it never learned from. Used by
``bench/lint_eval.py``, ``tools/train_lint.py`` and the tests that hold the lint to its floors.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netguard.analysis.model import RecipientContext
from netguard.lint.engine import lint
from netguard.lint.findings import PITFALLS


@dataclass(frozen=True, slots=True)
class LabelledDraft:
    id: str
    language: str
    text: str
    expect: frozenset[str]
    recipients: tuple[RecipientContext, ...] = ()
    competitors: tuple[str, ...] = ()


@dataclass(slots=True)
class Score:
    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_pos + self.false_pos
        return self.true_pos / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_pos + self.false_neg
        return self.true_pos / wanted if wanted else 1.0


def _recipient(data: dict[str, Any]) -> RecipientContext:
    return RecipientContext(
        address=str(data["address"]),
        name=str(data.get("name", "")),
        first_name=str(data.get("name", "")).split(" ")[0],
        has_history=bool(data.get("has_history", True)),
        neglected=bool(data.get("neglected", False)),
    )


def load(path: Path, prefix: str = "") -> list[LabelledDraft]:
    """The drafts of one labelled file; its language is the file's stem (``nl.toml``); ``prefix``
    goes before each id (``dev/``) so the parts' ids stay apart."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    drafts = []
    for item in data["draft"]:
        unknown = set(item["expect"]) - set(PITFALLS)
        if unknown:
            raise ValueError(f"{path}: {item['id']} expects unknown rules {sorted(unknown)}")
        drafts.append(LabelledDraft(
            id=prefix + item["id"],
            language=path.stem,
            text=item["text"],
            expect=frozenset(item["expect"]),
            recipients=(_recipient(item["to"]),) if "to" in item else (),
            competitors=tuple(item.get("competitors", ())),
        ))
    return drafts


# The development part's writers, each with the folders of their drafts.
WRITERS: dict[str, tuple[str, ...]] = {
    "lexicon": (".", "dev"), "sealed-1": ("sealed-1",), "sealed-2": ("sealed-2",),
    "train-a": ("train-a",),
    "train-b": ("train-b",), "train-e": ("train-e",), "train-f": ("train-f",),
    "train-g": ("train-g",), "sealed-3": ("sealed-3",), "train-j": ("train-j",),
    "train-k": ("train-k",), "train-l": ("train-l",), "train-p": ("train-p",),
    "sealed-4": ("sealed-4",), "train-m": ("train-m",), "train-q": ("train-q",),
    "train-r": ("train-r",), "sealed-5": ("sealed-5",), "sealed-6": ("sealed-6",),
    "train-s": ("train-s",), "train-t": ("train-t",),
}
PARTS: dict[str, tuple[str, ...]] = {
    "development": tuple(f for folders in WRITERS.values() for f in folders),
    "sealed": ("sealed",),
}


def folders(root: Path, names: Iterable[str], language: str) -> list[LabelledDraft]:
    """The drafts in ``language`` of those of the folders ``names`` that exist under ``root``."""
    drafts: list[LabelledDraft] = []
    for folder in names:
        path = root / folder / f"{language}.toml"
        if path.exists():
            drafts += load(path, "" if folder == "." else f"{folder}/")
    return drafts


def part(root: Path, name: str, language: str) -> list[LabelledDraft]:
    """The drafts of one part (``development`` or ``sealed``) in one language."""
    return folders(root, PARTS[name], language)


def existing_parts(root: Path) -> list[str]:
    """The parts that have drafts here: the sealed part is put in place only to be scored."""
    return [name for name in PARTS if any(part(root, name, lang) for lang in ("nl", "en"))]


def fired(draft: LabelledDraft) -> tuple[str, frozenset[str]]:
    """The detected language and the rules that fired on ``draft``."""
    result = lint(draft.text, recipients=draft.recipients, competitors=draft.competitors)
    return result.language, frozenset(f.rule for f in result.findings)


Judge = Callable[[LabelledDraft], tuple[str, frozenset[str]]]


def score(drafts: Iterable[LabelledDraft],
          judge: Judge = fired) -> tuple[dict[str, Score], list[str]]:
    """Per-rule scores, and the ids of drafts whose language was detected wrongly."""
    scores = {rule: Score() for rule in PITFALLS}
    wrong_language = []
    for draft in drafts:
        language, rules = judge(draft)
        if language != draft.language:
            wrong_language.append(draft.id)
        for rule, s in scores.items():
            if rule in rules and rule in draft.expect:
                s.true_pos += 1
            elif rule in rules:
                s.false_pos += 1
                s.false_alarms.append(draft.id)
            elif rule in draft.expect:
                s.false_neg += 1
                s.misses.append(draft.id)
    return scores, wrong_language


def fully_right(drafts: Iterable[LabelledDraft], judge: Judge = fired) -> tuple[int, int]:
    """How many drafts got exactly the expected rules, out of how many."""
    results = [judge(d)[1] == d.expect for d in drafts]
    return sum(results), len(results)
