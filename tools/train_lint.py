"""Train the draft lint's model and write it to resources/lint/.

    /work/main/.venv/bin/python tools/train_lint.py [--check]

Two files per language: ``lemmas-<lang>.json``, the word forms ``simplemma`` (a training-time
dependency, in the ``test`` extra) knows of the lemmas used in at least two training drafts, so
that the lint needs no lemmatiser at run time; and ``model-<lang>.json``, one sparse logistic
regression per rule (netguard/lint/training.py) trained on the development part of
tests/data/drafts (all its writers; see netguard/lint/evaluation.py). Deterministic: the same
drafts give the same files. ``--check`` writes nothing and exits 1 when the shipped files differ
from what the drafts give.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from simplemma.strategies import DefaultDictionaryFactory

from netguard.lint.document import read
from netguard.lint.evaluation import LabelledDraft, part
from netguard.lint.features import use_lemmas
from netguard.lint.lexicon import LANGUAGES
from netguard.lint.training import example, train

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "drafts"
OUT = ROOT / "resources" / "lint"


def _text(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n"


def lemma_table(language: str, drafts: list[LabelledDraft]) -> dict[str, str]:
    """Every lowercase form simplemma knows of the lemmas of words in two drafts or more."""
    dictionary = DefaultDictionaryFactory().get_dictionary(language)
    seen = Counter(key for d in drafts for key in {w.key for w in read(d.text).words})
    wanted = {dictionary.get(w, w) for w, count in seen.items() if count >= 2}
    return {form: base for form in sorted(dictionary)
            if (base := dictionary[form]) in wanted and form != base and form == form.lower()}


def files(language: str) -> dict[str, str]:
    """The lemma table and the model of ``language``, as file name -> text."""
    drafts = part(DATA, "development", language)
    table = lemma_table(language, drafts)
    use_lemmas(language, table)
    models = train([example(d) for d in drafts])
    model = {"language": language, "drafts": len(drafts),
             "rules": {rule: m.to_json() for rule, m in models.items()}}
    return {f"lemmas-{language}.json": _text(table), f"model-{language}.json": _text(model)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args()
    stale = []
    for language in LANGUAGES:
        for name, text in files(language).items():
            path = OUT / name
            if args.check:
                if not path.exists() or path.read_text(encoding="utf-8") != text:
                    stale.append(name)
                continue
            OUT.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"{path.relative_to(ROOT)}: {len(text.encode()) // 1024} KB")
    if stale:
        print(f"stale: {', '.join(stale)}; run tools/train_lint.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
