"""The trained lint model: per rule and language, weights over the features of ``features``.

The hand-written rules run first; their verdicts are features of the model, beside the words
and roles of each sentence. The model decides whether a rule fires: it can confirm a rule's
hit, veto a weak one, or fire where no rule matched (a paraphrase), which takes more
confidence than confirming, and never without a cue of the rule's kind (``possible``): a model
that learned words can be fooled by a near-miss. A confirmed hit keeps the rule's own spans
(and, for pushy wording and exaggeration, gains the other sentences that carry the rule on
their own: ``verdict``); otherwise the finding covers the sentence that weighs most for the rule.

The weights live in ``resources/lint/model-<lang>.json``, written by ``tools/train_lint.py``;
without that file the rules alone decide.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cache

from netguard.lint.features import AT_PARTY
from netguard.lint.findings import Check
from netguard.resources import resource

BIAS = "(bias)"


def about_party(draft: Collection[str], sentences: Sequence[Collection[str]]) -> frozenset[str]:
    """The draft's own features and those of its sentences about a third party."""
    return frozenset(draft).union(*(names for names in sentences if AT_PARTY in names))


@dataclass(frozen=True, slots=True)
class RuleModel:
    """Weights for one rule, summed over the features in its ``scope``: ``"draft"``, every
    feature the draft has (self-focus, a first message without homework); ``"sentence"``, the
    draft's own features and its strongest sentence's only (exaggeration), so a long, otherwise
    harmless draft does not drown a clear pitfall; ``"party"``, the draft's own features and
    those of the sentences about a third party (``AT_PARTY``: gossip), so that pushy or boastful
    sentences elsewhere in the draft neither hide nor make it."""

    bias: float
    threshold: float  # the probability from which the model confirms a rule's hit
    alone: float  # the probability from which it fires where the rule found nothing
    weights: dict[str, float]
    scope: str = "draft"
    known: frozenset[str] = field(init=False)  # the features that have a weight

    def __post_init__(self) -> None:
        object.__setattr__(self, "known", frozenset(self.weights))

    def _sum(self, names: Collection[str]) -> float:
        weights = self.weights
        return sum([weights[f] for f in self.known.intersection(names)])

    def judge(self, draft: Collection[str], sentences: Sequence[Collection[str]],
              every: Collection[str]) -> float:
        """The probability that the rule applies; ``every`` is the union of ``draft`` and
        ``sentences``."""
        if self.scope == "sentence":
            strongest = max((self._sum(names) for names in sentences), default=0.0)
            margin = self.bias + self._sum(draft) + strongest
        elif self.scope == "party":
            margin = self.bias + self._sum(about_party(draft, sentences))
        else:
            margin = self.bias + self._sum(every)
        return _probability(margin)

    def on_its_own(self, sentence: Collection[str]) -> float:
        """The probability from one sentence's features alone, without the draft's (the rule's
        verdict, counts over the draft): whether the sentence would carry the rule by itself."""
        return _probability(self.bias + self._sum(sentence))

    def strongest(self, sentences: Sequence[Collection[str]]) -> int:
        """The index of the sentence that weighs most for the rule (-1: there are none)."""
        sums = [self._sum(names) for names in sentences]
        return max(range(len(sums)), key=sums.__getitem__, default=-1)

    def fires(self, probability: float, hit: bool) -> bool:
        return probability >= (self.threshold if hit else self.alone)

    def to_json(self) -> dict[str, object]:
        return {"bias": self.bias, "threshold": self.threshold, "alone": self.alone,
                "scope": self.scope, "weights": dict(sorted(self.weights.items()))}


def _probability(margin: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, margin))))


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


# What a rule needs in some sentence before it can fire at all (SPEC §2), so that the model
# never fires on words alone: gossip a third party named in the draft (whether the sentences
# about them judge them is the model's to weigh: an account of someone's poor work or an ironic
# aside carries no judgement word, measured across writers), an ask after a silence a request,
# exaggeration and pushy wording a cue of their kind that no negation or exemption takes back
# (an ask: a request, not a question out of interest).
# And what rules a rule out (``_RULED_OUT``): a draft that releases the reader (a close-the-loop)
# does not press them, and a first message that names their company has done its homework.
_NEEDS: dict[str, frozenset[str]] = {
    "gossip": frozenset({AT_PARTY}),
    "ask-after-silence": frozenset({"x:request", "x:ask", "c:request"}),
    "exaggeration": frozenset({"x:exaggeration", "x:exaggeration-weak", "c:absolute",
                               "c:superlative"}),
    "pushy-wording": frozenset({"x:pushy", "x:pushy-weak", "x:pressing", "c:pressure",
                                "c:guilt", "c:count", "??"}),
}
_RULED_OUT: dict[str, str] = {"pushy-wording": "x:release",
                               "cold-no-homework": "ctx:their-company"}


def possible(rule: str, every: Collection[str]) -> bool:
    """Whether the features of a draft and its sentences (``every``) allow ``rule``
    (``_NEEDS``, ``_RULED_OUT``)."""
    if _RULED_OUT.get(rule) in every:
        return False
    needs = _NEEDS.get(rule)
    return needs is None or not needs.isdisjoint(every)


def from_json(data: dict[str, object]) -> dict[str, RuleModel]:
    models = {}
    for rule, raw in data.items():
        assert isinstance(raw, dict)
        models[rule] = RuleModel(float(raw["bias"]), float(raw["threshold"]),
                                 float(raw["alone"]),
                                 {str(k): float(v) for k, v in raw["weights"].items()},
                                 str(raw["scope"]))
    return models


@cache
def model(language: str) -> dict[str, RuleModel]:
    """The shipped model of ``language`` by rule; empty when none is shipped."""
    path = resource("lint", f"model-{language}.json")
    if not path.is_file():
        return {}
    return from_json(json.loads(path.read_text(encoding="utf-8"))["rules"])
