"""``let-it-rest`` (pitfall 7): many unanswered follow-ups, and the last one is weeks old; or
a message of the streak closed the loop (SPEC §1 "Closing the loop"): rest until they write."""

from __future__ import annotations

from datetime import UTC, datetime

from netguard.analysis.facts import DAY, ContactFacts
from netguard.analysis.findings import ago, days_between, make_finding
from netguard.analysis.model import Finding, Severity
from netguard.settings import Rules

RULE = "let-it-rest"
PITFALL = 7


def applies(facts: ContactFacts, rules: Rules) -> bool:
    if facts.closed is not None:
        return True
    followups = facts.followups
    if len(followups) < rules.rest_after:
        return False
    return facts.at - followups[-1].time > rules.rest_quiet_days * DAY


def evaluate(facts: ContactFacts, rules: Rules, lang: str) -> Finding | None:
    if not applies(facts, rules):
        return None
    if facts.closed is not None:
        return _closed(facts, lang)
    followups = facts.followups
    return make_finding(
        RULE, PITFALL, facts, Severity.INFO, lang, evidence=facts.streak,
        count=len(followups), quiet=days_between(followups[-1].time, facts.at),
        ago=ago(followups[-1].time, facts.at, lang),
    )


def _closed(facts: ContactFacts, lang: str) -> Finding:
    closed = facts.closed
    assert closed is not None
    day = datetime.fromtimestamp(closed.time, UTC).date().isoformat()
    return make_finding(
        RULE, PITFALL, facts, Severity.INFO, lang, evidence=(closed,),
        message_key="closed_message", advice_key="closed_advice", date=day,
    )
