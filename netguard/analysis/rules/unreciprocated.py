"""``unreciprocated`` (pitfall 2): they wrote me several times lately; I answered none of it."""

from __future__ import annotations

from netguard.analysis.facts import ContactFacts
from netguard.analysis.findings import make_finding
from netguard.analysis.history import Event
from netguard.analysis.model import Finding, Severity
from netguard.settings import Rules

RULE = "unreciprocated"
PITFALL = 2


def unanswered(facts: ContactFacts, rules: Rules) -> tuple[Event, ...]:
    """Their replies of the last ``unreciprocated_days``, if I sent nothing since the first.

    Any personal message of mine to them (To or Cc) after one of theirs answers it.
    """
    theirs = facts.recent_received
    if not theirs or (facts.last_sent is not None and facts.last_sent >= theirs[0].time):
        return ()
    return theirs


def evaluate(facts: ContactFacts, rules: Rules, lang: str) -> Finding | None:
    theirs = unanswered(facts, rules)
    if len(theirs) < rules.unreciprocated_min:
        return None
    return make_finding(
        RULE, PITFALL, facts, Severity.WARN, lang, evidence=theirs,
        count=len(theirs), days=rules.unreciprocated_days,
    )
