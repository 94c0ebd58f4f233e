"""What one contact's history amounts to at a reference time: counts, the streak, the window.

Pure functions over ``Event`` tuples (SPEC §1 "Unanswered streak", "Window", "Relationship");
the rules, the guard and the report all read a ``ContactFacts``.
"""

from __future__ import annotations

from dataclasses import dataclass

from netguard.analysis.history import Event
from netguard.settings import Rules

DAY = 86_400


@dataclass(frozen=True, slots=True)
class ContactFacts:
    address: str
    name: str
    at: int  # reference time, UTC epoch seconds
    events: tuple[Event, ...]  # personal messages both ways, time order, none after ``at``
    sent: int
    received: int
    last_sent: int | None
    last_received: int | None  # the last genuine reply
    streak: tuple[Event, ...]  # opener first, then the follow-ups
    window_followups: tuple[Event, ...]  # follow-ups in (at - window, at]
    relationship: bool

    @property
    def followups(self) -> tuple[Event, ...]:
        return self.streak[1:]

    @property
    def last_exchange(self) -> int | None:
        times = [t for t in (self.last_sent, self.last_received) if t is not None]
        return max(times) if times else None


def contact_facts(
    address: str, name: str, events: tuple[Event, ...], rules: Rules, at: int
) -> ContactFacts:
    """``events`` in time order and none later than ``at``."""
    sent = [e for e in events if e.sent]
    received = [e for e in events if not e.sent]
    last_reply = received[-1].time if received else None
    streak = current_streak(sent, last_reply)
    since = at - rules.window_days * DAY
    return ContactFacts(
        address=address,
        name=name,
        at=at,
        events=events,
        sent=len(sent),
        received=len(received),
        last_sent=sent[-1].time if sent else None,
        last_received=last_reply,
        streak=streak,
        window_followups=tuple(e for e in streak[1:] if e.time > since),
        relationship=len(sent) >= rules.relationship_min
        and len(received) >= rules.relationship_min,
    )


def current_streak(sent: list[Event], last_reply: int | None) -> tuple[Event, ...]:
    """My messages with the contact in To since their last reply (Cc-only ones excluded)."""
    return tuple(
        e for e in sent if e.to and (last_reply is None or e.time > last_reply)
    )


def would_overload(facts: ContactFacts, rules: Rules) -> bool:
    """SPEC §1 "The send guard": one more message would be the fifth follow-up in a week."""
    if not facts.streak:
        return False  # the next message would be an opener
    return len(facts.window_followups) + 1 >= rules.followup_limit
