"""Training the lint model: a sparse logistic regression per rule and language, in pure Python.

The learner is FTRL-Proximal (McMahan et al., "Ad click prediction: a view from the trenches",
2013): online, with a learning rate per feature and L1 + L2 regularisation (none on the
bias), so most features end with weight zero and the shipped weights stay small. The drafts
are visited in a fixed order, so the same data always gives the same weights. Used by
``tools/train_lint.py`` and by the leave-one-writer-out figures of ``bench/lint_eval.py``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from netguard.lint.engine import prepare, rule_findings
from netguard.lint.evaluation import LabelledDraft
from netguard.lint.features import features
from netguard.lint.findings import PITFALLS
from netguard.lint.learned import BIAS, RuleModel, about_party, applies, possible


@dataclass(frozen=True, slots=True)
class Sample:
    draft: frozenset[str]  # the draft's own features
    sentences: tuple[frozenset[str], ...]  # each sentence's features
    wanted: bool  # whether the rule should fire


@dataclass(frozen=True, slots=True)
class Params:
    alpha: float = 0.3  # learning rate scale
    beta: float = 1.0
    l1: float = 0.2
    l2: float = 1.0
    epochs: int = 8
    min_drafts: int = 2  # a feature must occur in this many training drafts
    positive_weight: float = 2.0  # pitfalls are rarer than clean drafts
    scope: str = "draft"  # see ``learned.RuleModel``
    blind_to: tuple[str, ...] = ()  # features naming one of these are not the rule's to learn


def _weight(z: float, n: float, p: Params, l1: float) -> float:
    if abs(z) <= l1:
        return 0.0
    return -(z - math.copysign(l1, z)) / ((p.beta + math.sqrt(n)) / p.alpha + p.l2)


Row = tuple[list[int], list[list[int]]]  # the draft's feature numbers, and each sentence's


def _rows(samples: Sequence[Sample], p: Params) -> tuple[list[str], list[Row]]:
    seen = Counter(f for s in samples for f in s.draft.union(*s.sentences))
    names = sorted(f for f, c in seen.items()
                   if c >= p.min_drafts and not any(b in f for b in p.blind_to))
    index = {f: i for i, f in enumerate(names, start=1)}

    def numbers(features: Iterable[str]) -> list[int]:
        return sorted(index[f] for f in features if f in index)

    rows = []
    for s in samples:
        if p.scope == "sentence":
            rows.append(([0, *numbers(s.draft)], [numbers(names) for names in s.sentences]))
        elif p.scope == "party":
            rows.append(([0, *numbers(about_party(s.draft, s.sentences))], []))
        else:
            rows.append(([0, *numbers(s.draft.union(*s.sentences))], []))
    return [BIAS, *names], rows


def _active(row: Row, weight: Callable[[int], float]) -> list[int]:
    """The features that count for this draft: all of them, or the draft's own and those of
    its strongest sentence."""
    own, sentences = row
    if not sentences:
        return own
    best = max(sentences, key=lambda names: sum(weight(i) for i in names))
    return own + best


def fit(samples: Sequence[Sample], thresholds: tuple[float, float],
        p: Params = Params()) -> RuleModel:
    """Weights for one rule from ``samples``."""
    names, rows = _rows(samples, p)
    z, n = [0.0] * len(names), [0.0] * len(names)

    def weight(i: int) -> float:
        return _weight(z[i], n[i], p, p.l1 if i else 0.0)

    for _ in range(p.epochs):
        for row, sample in zip(rows, samples, strict=True):
            active = _active(row, weight)
            w = [weight(i) for i in active]
            margin = max(-30.0, min(30.0, sum(w)))
            g = 1.0 / (1.0 + math.exp(-margin)) - (1.0 if sample.wanted else 0.0)
            g *= p.positive_weight if sample.wanted else 1.0
            for i, wi in zip(active, w, strict=True):
                sigma = (math.sqrt(n[i] + g * g) - math.sqrt(n[i])) / p.alpha
                z[i] += g - sigma * wi
                n[i] += g * g
    weights = {name: round(weight(i), 4) for i, name in enumerate(names)}
    bias = weights.pop(BIAS)
    return RuleModel(bias, *thresholds, {f: w for f, w in weights.items() if w}, p.scope)


# Per rule: the learner's settings and the probabilities from which the model confirms a
# rule's hit and fires on its own, chosen by the leave-one-writer-out figures
# (bench/lint_eval.py), not by the fit on the training drafts.
# The word classes of gossip's kinds (an account of a party's failures, sarcasm, a confidence,
# a contrast with them) and the blind-written marker phrases (``c:p-``, see
# ``lexicon._phrase_lists``) are the gossip model's only: the other rules learn without them
# (the phrases' self-claims and pressure did not help exaggeration and pushy wording across
# writers, measured).
_GOSSIP_ONLY = ("c:failing", "c:sarcasm", "c:confide", "c:unlike", "n:gossip-kinds", "c:p-")
_WHOLE = Params(blind_to=_GOSSIP_ONLY)
_SENTENCE = Params(scope="sentence", blind_to=_GOSSIP_ONLY)
SETTINGS: dict[str, tuple[Params, tuple[float, float]]] = {
    "self-focus": (_WHOLE, (0.1, 0.6)),
    "gossip": (Params(scope="party"), (0.55, 0.6)),
    "ask-after-silence": (_WHOLE, (0.5, 0.8)),
    "cold-no-homework": (_WHOLE, (0.5, 0.6)),
    "exaggeration": (_SENTENCE, (0.45, 0.5)),
    "pushy-wording": (_WHOLE, (0.4, 0.3)),
}


@dataclass(frozen=True, slots=True)
class Example:
    """A labelled draft as the model sees it."""

    draft: LabelledDraft
    language: str  # as detected
    own: frozenset[str]  # the draft's own features
    sentences: tuple[frozenset[str], ...]
    applicable: frozenset[str]  # the rules that can fire on it (``learned.applies``)


def example(draft: LabelledDraft) -> Example:
    check = prepare(draft.text, recipients=draft.recipients, competitors=draft.competitors)
    found = features(check, frozenset(rule_findings(check)))
    sentences = tuple(frozenset(names) for _, names in found.sentences)
    every = frozenset(found.draft).union(*sentences)
    return Example(draft, check.language, frozenset(found.draft), sentences,
                   frozenset(r for r in PITFALLS if applies(check, r) and possible(r, every)))


def train(examples: Sequence[Example]) -> dict[str, RuleModel]:
    """A model per rule from ``examples`` (one language), in a fixed order."""
    ordered = sorted(examples, key=lambda e: e.draft.id)
    models = {}
    for rule, (params, thresholds) in SETTINGS.items():
        samples = [Sample(e.own, e.sentences, rule in e.draft.expect)
                   for e in ordered if rule in e.applicable]
        models[rule] = fit(samples, thresholds, params)
    return models


def verdicts(example: Example, models: dict[str, RuleModel]) -> frozenset[str]:
    """The rules ``models`` fire on ``example`` (as ``verdict.decide`` would)."""
    fired = set()
    every = example.own.union(*example.sentences)
    for rule, m in models.items():
        if rule in example.applicable:
            probability = m.judge(example.own, example.sentences, every)
            if m.fires(probability, f"rule:{rule}" in example.own):
                fired.add(rule)
    return frozenset(fired)


def cross_writer(groups: dict[str, list[Example]]) -> dict[str, frozenset[str]]:
    """Leave one writer out: for each draft id, the rules fired by a model trained on the other
    writers' drafts only."""
    out: dict[str, frozenset[str]] = {}
    for held_out, tested in groups.items():
        if not tested:
            continue
        models = train([e for name, group in groups.items() if name != held_out
                        for e in group])
        out.update((e.draft.id, verdicts(e, models)) for e in tested)
    return out
