"""``unreciprocated`` (pitfall 2): they wrote me several times lately; I answered none of it."""

from __future__ import annotations

from netguard.analysis.facts import ContactFacts
from netguard.analysis.findings import make_finding
from netguard.analysis.history import Event
from netguard.analysis.model import Finding, Severity
from netguard.settings import Rules

RULE = "unreciprocated"
PITFALL = 2


def unanswered(facts: ContactFacts) -> tuple[Event, ...]:
    """Their replies of the last ``unreciprocated_days``, if I sent nothing since the first.

    Any personal message of mine to them (To or Cc) after one of theirs answers it.
    """
    theirs = facts.recent_received
    if not theirs or (facts.last_sent is not None and facts.last_sent >= theirs[0].time):
        return ()
    return theirs


def applies(facts: ContactFacts, rules: Rules) -> bool:
    return len(unanswered(facts)) >= rules.unreciprocated_min


def evaluate(facts: ContactFacts, rules: Rules, lang: str) -> Finding | None:
    if not applies(facts, rules):
        return None
    theirs = unanswered(facts)
    return make_finding(
        RULE, PITFALL, facts, Severity.WARN, lang, evidence=theirs,
        count=len(theirs), days=rules.unreciprocated_days,
    )
