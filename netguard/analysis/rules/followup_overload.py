"""``followup-overload`` (pitfall 7): one more message would be the fifth follow-up in a week."""

from __future__ import annotations

from netguard.analysis.facts import ContactFacts, would_overload
from netguard.analysis.findings import make_finding
from netguard.analysis.model import Finding, Severity
from netguard.settings import Rules

RULE = "followup-overload"
PITFALL = 7


def evaluate(facts: ContactFacts, rules: Rules, lang: str) -> Finding | None:
    """The report's warning; once a message of the streak closed the loop, the state is
    *Let it rest* instead (the send guard still warns on a further follow-up)."""
    if facts.closed is not None or not would_overload(facts, rules):
        return None
    return make_finding(
        RULE, PITFALL, facts, Severity.WARN, lang, evidence=facts.window_followups,
        count=len(facts.window_followups), days=rules.window_days,
    )


def guard_finding(facts: ContactFacts, rules: Rules, lang: str) -> Finding:
    """The send guard's warning: the outgoing message itself would be the next follow-up.
    Once the loop was closed in this streak, the advice is to let it rest, not to close again."""
    return make_finding(
        RULE, PITFALL, facts, Severity.WARN, lang, evidence=facts.window_followups,
        message_key="guard_message", advice_key="closed_advice" if facts.closed else "advice",
        next=len(facts.window_followups) + 1, days=rules.window_days,
    )
