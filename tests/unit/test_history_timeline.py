"""The contact pane's data: weekly counts and the message list."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from analysis_mailbox import T0, Mailbox, days

from netguard.analysis.timeline import contact_messages, contact_timeline
from netguard.model import Role

FRANK = "frank@example.com"


def test_timeline_counts_personal_mail_per_week() -> None:
    box = Mailbox()
    box.sent(FRANK, T0)  # Friday 20 Nov 2026: week of Monday 16 Nov
    box.sent("anna@example.com", T0 - days(1), cc=FRANK)
    box.received(FRANK, T0 - days(7))  # week of 9 Nov
    box.received(FRANK, T0 - days(7), subject="Out of office")  # automatic: not counted
    box.sent([FRANK, *(f"p{i}@example.com" for i in range(11))], T0)  # bulk: not counted
    box.sent(FRANK, T0 - days(400))  # before the timeline
    weeks = contact_timeline(box.conn, "Frank@Example.com", at=T0, weeks=3)
    assert [(w.week_start, w.sent, w.received) for w in weeks] == [
        (date(2026, 11, 2), 0, 0), (date(2026, 11, 9), 0, 1), (date(2026, 11, 16), 2, 0)]


def test_timeline_default_is_a_year_of_weeks() -> None:
    weeks = contact_timeline(Mailbox().conn, FRANK, at=T0)
    assert len(weeks) == 52
    assert weeks[-1].week_start == date(2026, 11, 16)
    steps = {b.week_start - a.week_start for a, b in pairwise(weeks)}
    assert steps == {timedelta(weeks=1)}


def test_messages_newest_first_with_their_distinctions() -> None:
    box = Mailbox()
    box.folder("Archive", Role.SENT)
    mid = box.sent(FRANK, T0 - days(3), subject="Voorstel")
    box.sent(FRANK, T0 - days(3), subject="Voorstel", folder="Archive", message_id=mid)
    box.sent("anna@example.com", T0 - days(2), cc=FRANK, subject="Cc")
    box.sent([FRANK, *(f"p{i}@example.com" for i in range(11))], T0 - days(1), subject="Bulk")
    box.received(FRANK, T0, subject="Automatisch antwoord")
    box.received(FRANK, T0 - days(4), subject="List", extra="List-Id: <x.example>")
    items = contact_messages(box.conn, FRANK)
    assert [(i.subject, i.direction, i.automatic, i.cc_only, i.bulk) for i in items] == [
        ("Automatisch antwoord", "received", True, False, False),
        ("Bulk", "sent", False, False, True),
        ("Cc", "sent", False, True, False),
        ("Voorstel", "sent", False, False, False),
    ]
    assert items[0].time == T0
    assert len(contact_messages(box.conn, FRANK, limit=2)) == 2
