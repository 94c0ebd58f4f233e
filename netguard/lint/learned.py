"""The trained lint model: per rule and language, weights over the features of ``features``.

The hand-written rules run first; their verdicts are features of the model, beside the words
and roles of each sentence. The model decides whether a rule fires: it can confirm a rule's
hit, veto a weak one, or fire where no rule matched (a paraphrase), which takes more
confidence than confirming: a model that learned words can be fooled by a near-miss. A confirmed hit keeps the
rule's own spans; otherwise the finding covers the sentence that weighs most for the rule.

The weights live in ``resources/lint/model-<lang>.json``, written by ``tools/train_lint.py``;
without that file the rules alone decide.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache

from netguard.lint.document import Sentence
from netguard.lint.features import DraftFeatures
from netguard.lint.findings import Check
from netguard.resources import resource

BIAS = "(bias)"


@dataclass(frozen=True, slots=True)
class RuleModel:
    bias: float
    threshold: float  # the probability from which the model confirms a rule's hit
    alone: float  # the probability from which it fires where the rule found nothing
    weights: dict[str, float]

    def fires(self, features: set[str], hit: bool) -> bool:
        return self.probability(features) >= (self.threshold if hit else self.alone)

    def probability(self, features: set[str]) -> float:
        weights = self.weights
        margin = self.bias + sum(weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, margin))))

    def strongest(self, features: DraftFeatures) -> Sentence | None:
        """The sentence whose features weigh most for this rule."""
        weights = self.weights
        best, top = None, -math.inf
        for sentence, names in features.sentences:
            weight = sum(weights.get(f, 0.0) for f in names)
            if weight > top:
                best, top = sentence, weight
        return best

    def to_json(self) -> dict[str, object]:
        return {"bias": self.bias, "threshold": self.threshold, "alone": self.alone,
                "weights": dict(sorted(self.weights.items()))}


def applies(check: Check, rule: str) -> bool:
    """Whether ``rule`` can fire at all on this draft: the context rules need their recipient
    (a first message, a neglected contact), self-focus a draft long enough to judge."""
    if rule == "cold-no-homework":
        return any(not r.has_history and not r.muted for r in check.recipients)
    if rule == "ask-after-silence":
        return any(r.neglected and not r.muted for r in check.recipients)
    if rule == "self-focus":
        return len(check.doc.words) >= check.lex.min_words
    return bool(check.doc.sentences)


def from_json(data: dict[str, object]) -> dict[str, RuleModel]:
    models = {}
    for rule, raw in data.items():
        assert isinstance(raw, dict)
        models[rule] = RuleModel(float(raw["bias"]), float(raw["threshold"]),
                                 float(raw["alone"]), {str(k): float(v) for k, v in raw["weights"].items()})
    return models


@cache
def model(language: str) -> dict[str, RuleModel]:
    """The shipped model of ``language`` by rule; empty when none is shipped."""
    path = resource("lint", f"model-{language}.json")
    if not path.is_file():
        return {}
    return from_json(json.loads(path.read_text(encoding="utf-8"))["rules"])
