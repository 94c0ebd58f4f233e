"""Precision and recall of the draft lint per rule and language, and its speed per 2 KB draft.

    /work/main/.venv/bin/python bench/lint_eval.py [--quiet]

Two parts of labelled drafts (tests/data/drafts, see netguard/lint/evaluation.py): the
development part, which the lexicons are tuned and the model trained on (its misses and false
alarms are listed; these are training-set figures), and the sealed part, when present, written
by someone who never saw the lint and scored once after tuning. Between them, the cross-writer
figures: each writer of the development part held out in turn, the model trained on the others
(tools/train_lint.py's recipe) and scored on the held-out writer. The "blind writers" rows leave
out the drafts written alongside the lexicons, which the hand-written rules were tuned on.
Targets (issue 17): precision >= 0.9 and recall >= 0.85 per rule and language, at least 90 % of
drafts fully right, and well under 5 ms per 2 KB draft.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from netguard.lint.engine import lint
from netguard.lint.evaluation import (
    WRITERS,
    Judge,
    LabelledDraft,
    Score,
    existing_parts,
    folders,
    fully_right,
    part,
    score,
)
from netguard.lint.lexicon import LANGUAGES
from netguard.lint.training import cross_writer, example

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "drafts"


def _table(title: str, scores: dict[str, Score], listed: bool) -> None:
    print(f"\n{title}")
    print(f"{'rule':<20} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4}")
    for rule, s in scores.items():
        print(f"{rule:<20} {s.precision:>9.2f} {s.recall:>7.2f} "
              f"{s.true_pos:>4} {s.false_pos:>4} {s.false_neg:>4}")
        if listed and (s.misses or s.false_alarms):
            print(f"{'':<20} misses: {', '.join(s.misses) or '-'}; "
                  f"false alarms: {', '.join(s.false_alarms) or '-'}")


def _two_kilobytes(drafts: list[LabelledDraft]) -> list[str]:
    """Each draft repeated to 2 KB, so the timing is per 2 KB of realistic text."""
    out = []
    for d in drafts:
        body = d.text
        while len(body.encode()) < 2048:
            body += "\n" + d.text
        out.append(body.encode()[:2048].decode(errors="ignore"))
    return out


def _timing(drafts: list[LabelledDraft], rounds: int = 20) -> tuple[float, float, float]:
    """Mean wall and CPU milliseconds per 2 KB draft, and the slowest draft's CPU time."""
    texts = _two_kilobytes(drafts)
    for text in texts:  # warm the caches (lexicons, regexes)
        lint(text, recipients=drafts[0].recipients)
    wall, cpu, worst = time.perf_counter(), time.process_time(), 0.0
    for d, text in zip(drafts, texts, strict=True):
        one = time.process_time()
        for _ in range(rounds):
            lint(text, recipients=d.recipients, competitors=d.competitors)
        worst = max(worst, (time.process_time() - one) / rounds)
    runs = rounds * len(texts)
    return ((time.perf_counter() - wall) / runs * 1000, (time.process_time() - cpu) / runs * 1000,
            worst * 1000)


def _part(name: str, listed: bool) -> list[LabelledDraft]:
    every: list[LabelledDraft] = []
    for language in LANGUAGES:
        drafts = part(DATA, name, language)
        if not drafts:
            print(f"\n[{name} · {language}] no drafts")
            continue
        every += drafts
        scores, wrong = score(drafts)
        right, total = fully_right(drafts)
        clean = sum(1 for d in drafts if not d.expect)
        _table(f"[{name} · {language}] {total} drafts, {clean} clean; fully right {right}/{total}"
               f" = {right / total:.0%}; language detected wrongly: {', '.join(wrong) or 'none'}",
               scores, listed)
    if every:
        scores, _ = score(every)
        right, total = fully_right(every)
        _table(f"[{name} · all] {total} drafts; fully right {right}/{total} = {right / total:.0%}",
               scores, False)
    return every


def _report(title: str, drafts: list[LabelledDraft], judge: Judge) -> None:
    scores, _ = score(drafts, judge)
    right, total = fully_right(drafts, judge)
    _table(f"{title} {total} drafts; fully right {right}/{total} = {right / total:.0%}",
           scores, False)


def _cross_writer() -> None:
    """Leave-one-writer-out figures per language, for all writers and for the blind ones."""
    for language in LANGUAGES:
        groups = {name: [example(d) for d in folders(DATA, names, language)]
                  for name, names in WRITERS.items()}
        verdicts = cross_writer(groups)

        def judge(d: LabelledDraft, lang: str = language,
                  fired: dict[str, frozenset[str]] = verdicts) -> tuple[str, frozenset[str]]:
            return lang, fired[d.id]

        every = [e.draft for group in groups.values() for e in group]
        blind = [e.draft for name, group in groups.items() if name != "lexicon" for e in group]
        _report(f"[cross-writer · {language} · all writers]", every, judge)
        _report(f"[cross-writer · {language} · blind writers]", blind, judge)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quiet", action="store_true",
                        help="leave out the development part's misses and false alarms")
    args = parser.parse_args()
    every: list[LabelledDraft] = []
    for name in existing_parts(DATA):
        every += _part(name, listed=name == "development" and not args.quiet)
        if name == "development":
            _cross_writer()
    wall, cpu, worst = _timing(every)
    print(f"\nlint time per 2 KB draft: {cpu:.2f} ms CPU ({wall:.2f} ms wall clock) on average "
          f"over {len(every)} drafts; slowest draft {worst:.2f} ms CPU")


if __name__ == "__main__":
    main()
