"""The history rules of SPEC §1, one module each: ``evaluate(facts, rules, lang)``."""

from __future__ import annotations

from collections.abc import Callable

from netguard.analysis.facts import ContactFacts
from netguard.analysis.model import Finding
from netguard.analysis.rules import (
    burst_after_silence,
    drifting,
    followup_overload,
    let_it_rest,
    neglected,
    reply_rhythm,
    unreciprocated,
)
from netguard.settings import Rules

Rule = Callable[[ContactFacts, Rules, str], Finding | None]

RULES: tuple[Rule, ...] = (
    followup_overload.evaluate,
    let_it_rest.evaluate,
    burst_after_silence.evaluate,
    neglected.evaluate,
    drifting.evaluate,
    unreciprocated.evaluate,
    reply_rhythm.evaluate,
)


def evaluate_all(facts: ContactFacts, rules: Rules, lang: str) -> tuple[Finding, ...]:
    found = (rule(facts, rules, lang) for rule in RULES)
    return tuple(f for f in found if f is not None)
