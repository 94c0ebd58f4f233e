"""``let-it-rest`` (pitfall 7): many unanswered follow-ups, and the last one is weeks old."""

from __future__ import annotations

from netguard.analysis.facts import DAY, ContactFacts
from netguard.analysis.findings import ago, days_between, make_finding
from netguard.analysis.model import Finding, Severity
from netguard.settings import Rules

RULE = "let-it-rest"
PITFALL = 7


def applies(facts: ContactFacts, rules: Rules) -> bool:
    followups = facts.followups
    if len(followups) < rules.rest_after:
        return False
    return facts.at - followups[-1].time > rules.rest_quiet_days * DAY


def evaluate(facts: ContactFacts, rules: Rules, lang: str) -> Finding | None:
    if not applies(facts, rules):
        return None
    followups = facts.followups
    return make_finding(
        RULE, PITFALL, facts, Severity.INFO, lang, evidence=facts.streak,
        count=len(followups), quiet=days_between(followups[-1].time, facts.at),
        ago=ago(followups[-1].time, facts.at, lang),
    )
