"""``neglected`` (pitfall 4): a relationship whose last exchange is months old, unless such a
silence is usual for the two of you (``rhythm``: a once-a-year contact)."""

from __future__ import annotations

from netguard.analysis.facts import DAY, ContactFacts
from netguard.analysis.findings import ago, days_between, make_finding
from netguard.analysis.model import Finding, Severity
from netguard.analysis.rhythm import silence_is_usual
from netguard.settings import Rules

RULE = "neglected"
PITFALL = 4


def applies(facts: ContactFacts, rules: Rules) -> bool:
    last = facts.last_exchange
    if not facts.relationship or last is None:
        return False
    if facts.at - last <= rules.neglect_after_days * DAY:
        return False
    return not silence_is_usual(facts)  # a yearly contact is not neglected after 90 days


def evaluate(facts: ContactFacts, rules: Rules, lang: str) -> Finding | None:
    if not applies(facts, rules):
        return None
    last = facts.last_event
    assert last is not None  # applies() saw a last exchange
    return make_finding(
        RULE, PITFALL, facts, Severity.INFO, lang, evidence=(last,),
        days=days_between(last.time, facts.at), ago=ago(last.time, facts.at, lang),
    )
