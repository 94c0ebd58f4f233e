"""Training the lint model: a sparse logistic regression per rule and language, in pure Python.

The learner is FTRL-Proximal (McMahan et al., "Ad click prediction: a view from the trenches",
2013): online, with a learning rate per feature and L1 + L2 regularisation (none on the bias), so most features
end with weight zero and the shipped weights stay small. The drafts are visited in a fixed
order, so the same data always gives the same weights. Used by ``tools/train_lint.py`` and by
the leave-one-writer-out figures of ``bench/lint_eval.py``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from netguard.lint.engine import prepare, rule_findings
from netguard.lint.evaluation import LabelledDraft
from netguard.lint.features import features
from netguard.lint.findings import PITFALLS
from netguard.lint.learned import BIAS, RuleModel, applies

Sample = tuple[frozenset[str], bool]


@dataclass(frozen=True, slots=True)
class Params:
    alpha: float = 0.3  # learning rate scale
    beta: float = 1.0
    l1: float = 0.6
    l2: float = 1.0
    epochs: int = 8
    min_drafts: int = 2  # a feature must occur in this many training drafts
    positive_weight: float = 2.0  # pitfalls are rarer than clean drafts


def _weight(z: float, n: float, p: Params, l1: float) -> float:
    if abs(z) <= l1:
        return 0.0
    return -(z - math.copysign(l1, z)) / ((p.beta + math.sqrt(n)) / p.alpha + p.l2)


def _rows(samples: Sequence[Sample], p: Params) -> tuple[list[str], list[list[int]]]:
    seen = Counter(f for features, _ in samples for f in features)
    names = sorted(f for f, c in seen.items() if c >= p.min_drafts)
    index = {f: i for i, f in enumerate(names, start=1)}
    rows = [[0] + sorted(index[f] for f in features if f in index) for features, _ in samples]
    return [BIAS, *names], rows


def fit(samples: Sequence[Sample], thresholds: tuple[float, float],
        p: Params = Params()) -> RuleModel:
    """Weights for one rule from ``samples`` (features, whether the rule should fire)."""
    names, rows = _rows(samples, p)
    z, n = [0.0] * len(names), [0.0] * len(names)
    for _ in range(p.epochs):
        for row, (_, wanted) in zip(rows, samples, strict=True):
            w = [_weight(z[i], n[i], p, p.l1 if i else 0.0) for i in row]
            margin = max(-30.0, min(30.0, sum(w)))
            g = 1.0 / (1.0 + math.exp(-margin)) - (1.0 if wanted else 0.0)
            g *= p.positive_weight if wanted else 1.0
            for i, wi in zip(row, w, strict=True):
                sigma = (math.sqrt(n[i] + g * g) - math.sqrt(n[i])) / p.alpha
                z[i] += g - sigma * wi
                n[i] += g * g
    weights = {name: round(_weight(z[i], n[i], p, p.l1 if i else 0.0), 4)
               for i, name in enumerate(names)}
    bias = weights.pop(BIAS)
    return RuleModel(bias, *thresholds, {f: w for f, w in weights.items() if w})


# Per rule: the learner's settings and the probabilities from which the model confirms a
# rule's hit and fires on its own, chosen by the leave-one-writer-out figures
# (bench/lint_eval.py), not by the fit on the training drafts.
SETTINGS: dict[str, tuple[Params, tuple[float, float]]] = {
    rule: (Params(), (0.5, 0.8)) for rule in PITFALLS}


@dataclass(frozen=True, slots=True)
class Example:
    """A labelled draft as the model sees it."""

    draft: LabelledDraft
    language: str  # as detected
    features: frozenset[str]
    applicable: frozenset[str]  # the rules that can fire on it (``learned.applies``)


def example(draft: LabelledDraft) -> Example:
    check = prepare(draft.text, recipients=draft.recipients, competitors=draft.competitors)
    found = frozenset(rule_findings(check))
    return Example(draft, check.language, frozenset(features(check, found).all()),
                   frozenset(r for r in PITFALLS if applies(check, r)))


def train(examples: Sequence[Example]) -> dict[str, RuleModel]:
    """A model per rule from ``examples`` (one language), in a fixed order."""
    ordered = sorted(examples, key=lambda e: e.draft.id)
    models = {}
    for rule, (params, thresholds) in SETTINGS.items():
        samples = [(e.features, rule in e.draft.expect) for e in ordered if rule in e.applicable]
        models[rule] = fit(samples, thresholds, params)
    return models


def verdicts(example: Example, models: dict[str, RuleModel]) -> frozenset[str]:
    """The rules ``models`` fire on ``example`` (as ``verdict.decide`` would)."""
    every = set(example.features)
    return frozenset(rule for rule, m in models.items() if rule in example.applicable
                     and m.fires(every, f"rule:{rule}" in every))


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
