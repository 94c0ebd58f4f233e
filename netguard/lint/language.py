"""Dutch or English? A tiny stop-word score: no model, no network."""

from __future__ import annotations

from collections import Counter

from netguard.lint.document import Document
from netguard.lint.lexicon import LANGUAGES, lexicon


def detect(doc: Document, default: str = "en") -> str:
    """The language whose frequent words occur most in the draft; ``default`` on a tie."""
    counts = Counter(w.key for w in doc.words)
    scores = {lang: sum(n for k, n in counts.items() if k in stop)
              for lang, stop in ((lang, lexicon(lang).stopwords) for lang in LANGUAGES)}
    best = max(scores.values())
    winners = [lang for lang, score in scores.items() if score == best]
    return default if len(winners) > 1 else winners[0]
