"""Train the draft lint's model and write its weights to resources/lint/model-<lang>.json.

    /work/main/.venv/bin/python tools/train_lint.py [--check]

Trains on the development part of tests/data/drafts (all its writers; see
netguard/lint/evaluation.py), one sparse logistic regression per rule and language
(netguard/lint/training.py). Deterministic: the same drafts give the same file. ``--check``
writes nothing and exits 1 when the shipped weights differ from what the drafts give.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from netguard.lint.evaluation import part
from netguard.lint.lexicon import LANGUAGES
from netguard.lint.training import example, train

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "drafts"
OUT = ROOT / "resources" / "lint"


def weights(language: str) -> str:
    """The model file of ``language``, as text."""
    examples = [example(d) for d in part(DATA, "development", language)]
    models = train(examples)
    data = {"language": language, "drafts": len(examples),
            "rules": {rule: m.to_json() for rule, m in models.items()}}
    return json.dumps(data, ensure_ascii=False, indent=0, sort_keys=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args()
    stale = []
    for language in LANGUAGES:
        path = OUT / f"model-{language}.json"
        text = weights(language)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            OUT.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"{path.relative_to(ROOT)}: {len(text) // 1024} KB")
    if stale:
        print(f"stale: {', '.join(stale)}; run tools/train_lint.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
