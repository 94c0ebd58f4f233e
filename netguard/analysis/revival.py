"""Revived relationships (issue 19, the review's *went well*): a relationship that had been
neglected or drifting apart until an exchange of the last ``window_days`` ended the silence.

"Had been" is judged by the report's own rules (``neglected``, ``drifting``) applied to the
history as it stood just before that exchange: nothing is decided twice.
"""

from __future__ import annotations

from netguard.analysis.facts import DAY, ContactFacts, contact_facts
from netguard.analysis.history import TIME, ContactEvents
from netguard.analysis.rules import drifting, neglected
from netguard.settings import Rules


def revived_silence(facts: ContactFacts, rules: Rules) -> int | None:
    """The silence (seconds) that an exchange of the last ``window_days`` ended, when that
    silence had made the relationship neglected or drifting apart; otherwise None."""
    since = facts.at - rules.window_days * DAY
    first = min((row[TIME] for rows in (facts.sent_rows, facts.received_rows) for row in rows
                 if row[TIME] > since), default=None)
    if first is None:
        return None
    before = facts.latest_before(first)
    if before is None:
        return None  # a first exchange ever, not a revival
    then = as_of(facts, first, rules)
    if neglected.applies(then, rules) or drifting.applies(then, rules):
        return first - before
    return None


def as_of(facts: ContactFacts, at: int, rules: Rules) -> ContactFacts:
    """The facts as they were at ``at``, from the messages before it."""
    earlier = ContactEvents(facts.address, clean=True,
                            sent=[row for row in facts.sent_rows if row[TIME] < at],
                            received=[row for row in facts.received_rows if row[TIME] < at])
    return contact_facts(earlier, rules, at)
