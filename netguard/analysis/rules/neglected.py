"""``neglected`` (pitfall 4): a relationship whose last exchange is months old."""

from __future__ import annotations

from netguard.analysis.facts import DAY, ContactFacts
from netguard.analysis.findings import ago, days_between, make_finding
from netguard.analysis.model import Finding, Severity
from netguard.settings import Rules

RULE = "neglected"
PITFALL = 4


def applies(facts: ContactFacts, rules: Rules) -> bool:
    last = facts.last_exchange
    if not facts.relationship or last is None:
        return False
    return facts.at - last > rules.neglect_after_days * DAY


def evaluate(facts: ContactFacts, rules: Rules, lang: str) -> Finding | None:
    if not applies(facts, rules):
        return None
    last = facts.last_event
    assert last is not None  # applies() saw a last exchange
    return make_finding(
        RULE, PITFALL, facts, Severity.INFO, lang, evidence=(last,),
        days=days_between(last.time, facts.at), ago=ago(last.time, facts.at, lang),
    )
