"""``burst-after-silence`` (pitfall 4): months of silence, then several messages in one week.

SPEC §1: a relationship with a gap of at least ``neglect_after_days`` after which I sent at
least 3 messages to the contact within one window without a reply. NetGuard looks at the
current unanswered streak: its opener ended a silence that long, and three of its messages
fall within one window. Once the contact replies, the burst is over and the finding goes.
"""

from __future__ import annotations

from netguard.analysis.facts import DAY, ContactFacts
from netguard.analysis.findings import make_finding, silence
from netguard.analysis.history import Event
from netguard.analysis.model import Finding, Severity
from netguard.settings import Rules

RULE = "burst-after-silence"
PITFALL = 4
BURST = 3


def burst(facts: ContactFacts, rules: Rules) -> tuple[Event, ...]:
    """The streak messages of the first window that holds ``BURST`` of them after the gap."""
    streak = facts.streak
    if not facts.relationship or len(streak) < BURST:
        return ()
    before = facts.latest_before(streak[0].time)
    if before is None or streak[0].time - before < rules.neglect_after_days * DAY:
        return ()
    window = rules.window_days * DAY
    for i in range(len(streak) - BURST + 1):
        if streak[i + BURST - 1].time - streak[i].time < window:
            return tuple(e for e in streak[i:] if e.time - streak[i].time < window)
    return ()


def evaluate(facts: ContactFacts, rules: Rules, lang: str) -> Finding | None:
    found = burst(facts, rules)
    if not found:
        return None
    gap = facts.streak[0].time - (facts.latest_before(facts.streak[0].time) or 0)
    return make_finding(
        RULE, PITFALL, facts, Severity.WARN, lang, evidence=found,
        gap=gap // DAY, silence=silence(gap // DAY, lang), count=len(found),
        days=rules.window_days,
    )
