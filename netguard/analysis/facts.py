"""What one contact's history amounts to at a reference time: counts, the streak, the window.

SPEC §1 "Unanswered streak", "Window", "Relationship". The rules, the guard, the report and
the recipient context all read a ``ContactFacts``. It is computed from the raw rows in time
order with cheap list operations; ``Event`` objects are built only for the few messages the
rules quote (the streak, recent replies, the last exchange), so a report over 200k messages
stays fast.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Collection
from dataclasses import dataclass

from netguard.analysis.history import (
    TIME,
    TO,
    ContactEvents,
    Event,
    Row,
    best_name,
    event,
    row_time,
)
from netguard.settings import Rules

DAY = 86_400


@dataclass(frozen=True, slots=True)
class ContactFacts:
    address: str
    name: str
    at: int  # reference time, UTC epoch seconds; nothing later was loaded
    sent_rows: list[Row]  # my personal messages to the contact (To or Cc), time order
    received_rows: list[Row]  # their genuine replies, time order
    streak: tuple[Event, ...]  # opener first, then the follow-ups
    window_followups: tuple[Event, ...]  # follow-ups in (at - window, at]
    recent_received: tuple[Event, ...]  # their replies of the last unreciprocated_days
    relationship: bool
    closed: Event | None = None  # the message of this streak that closed the loop, if any

    @property
    def sent(self) -> int:
        return len(self.sent_rows)

    @property
    def received(self) -> int:
        return len(self.received_rows)

    @property
    def last_sent(self) -> int | None:
        return self.sent_rows[-1][TIME] if self.sent_rows else None

    @property
    def last_received(self) -> int | None:
        """The time of their last genuine reply."""
        return self.received_rows[-1][TIME] if self.received_rows else None

    @property
    def followups(self) -> tuple[Event, ...]:
        return self.streak[1:]

    @property
    def last_exchange(self) -> int | None:
        """The time of the last personal message either way."""
        sent, received = self.last_sent, self.last_received
        if sent is None or received is None:
            return received if sent is None else sent
        return max(sent, received)

    @property
    def last_event(self) -> Event | None:
        """The last personal message either way; of the same second, the largest."""
        return _last_event(self.sent_rows, self.received_rows)

    def latest_before(self, time: int) -> int | None:
        """The time of the last personal message either way before ``time``."""
        times = [rows[i - 1][TIME] for rows in (self.sent_rows, self.received_rows)
                 if (i := _index_after(rows, time - 1)) > 0]
        return max(times, default=None)


def contact_facts(history: ContactEvents, rules: Rules, at: int,
                  closings: Collection[str] = ()) -> ContactFacts:
    """The facts of ``history`` (rows no later than ``at``) under ``rules``.

    ``closings``: the Message-IDs NetGuard sent to this contact as the close-the-loop; the
    first of them in the current streak is ``closed`` (SPEC §1 "Closing the loop").
    """
    sent, received = history.unique()
    last_reply = received[-1][TIME] if received else None
    streak = current_streak(sent, last_reply)
    since = at - rules.window_days * DAY
    recent = received[_index_after(received, at - rules.unreciprocated_days * DAY):]
    return ContactFacts(
        address=history.address,
        name=best_name(sent, received),
        at=at,
        sent_rows=sent,
        received_rows=received,
        streak=streak,
        window_followups=tuple(e for e in streak[1:] if e.time > since),
        recent_received=tuple(sorted(event(r, sent=False) for r in recent)),
        relationship=len(sent) >= rules.relationship_min
        and len(received) >= rules.relationship_min,
        closed=next((e for e in streak if e.message_id in closings), None) if closings else None,
    )


def current_streak(sent: list[Row], last_reply: int | None) -> tuple[Event, ...]:
    """My messages with the contact in To since their last reply (Cc-only ones excluded)."""
    start = 0 if last_reply is None else _index_after(sent, last_reply)
    return tuple(sorted(event(r, sent=True) for r in sent[start:] if r[TO]))


def would_overload(facts: ContactFacts, rules: Rules) -> bool:
    """SPEC §1 "The send guard": one more message would be the fifth follow-up in a week."""
    if not facts.streak:
        return False  # the next message would be an opener
    return len(facts.window_followups) + 1 >= rules.followup_limit


def _index_after(rows: list[Row], time: int) -> int:
    """The index of the first row later than ``time`` (rows in time order)."""
    return bisect_right(rows, time, key=row_time)


def _last_event(sent: list[Row], received: list[Row]) -> Event | None:
    """The latest message either way; among messages of the same second, the largest."""
    latest = max((rows[-1][TIME] for rows in (sent, received) if rows), default=None)
    if latest is None:
        return None
    return max(event(row, sent=rows is sent) for rows in (sent, received)
               for row in rows[_index_after(rows, latest - 1):])
