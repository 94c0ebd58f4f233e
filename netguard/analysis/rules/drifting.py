"""``drifting`` (pitfall 4, issue 19): a relationship whose silence is well past its own usual
gap (a weekly contact after a month), before the fixed ``neglected`` rule would notice."""

from __future__ import annotations

from netguard.analysis.facts import DAY, ContactFacts
from netguard.analysis.findings import days_between, make_finding
from netguard.analysis.model import Finding, Severity
from netguard.analysis.rhythm import drift, is_drifting
from netguard.analysis.rules.reply_rhythm import usual_gap_days
from netguard.settings import Rules

RULE = "drifting"
PITFALL = 4


def applies(facts: ContactFacts, rules: Rules) -> bool:
    return is_drifting(facts, rules.neglect_after_days * DAY)


def evaluate(facts: ContactFacts, rules: Rules, lang: str) -> Finding | None:
    found = drift(facts, rules.neglect_after_days * DAY)
    if found is None:
        return None
    last = facts.last_event
    assert last is not None  # drifting needs a last exchange
    return make_finding(
        RULE, PITFALL, facts, Severity.INFO, lang, evidence=(last,),
        gap=usual_gap_days(found), count=found.gaps.count, days=days_between(last.time, facts.at),
    )
