"""One contact's history for the contact pane: weekly counts and the message list.

``contact_timeline`` counts what the rules count (personal messages: no bulk, list or
automatic mail). ``contact_messages`` lists every stored message with the contact, once per
Message-ID, flagged so the pane can show why a message does not count.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

from netguard.analysis.clock import epoch, reference, utc
from netguard.analysis.history import contact_events, normalise
from netguard.analysis.model import HistoryItem, WeekCount
from netguard.settings import Rules

DEFAULT_BULK = Rules().bulk_recipients


def contact_timeline(
    conn: sqlite3.Connection,
    address: str,
    at: datetime | None = None,
    weeks: int = 52,
    bulk_recipients: int = DEFAULT_BULK,
) -> list[WeekCount]:
    """``weeks`` weeks (oldest first) ending with the week of ``at``; empty weeks included."""
    when = reference(at)
    last_monday = _monday(when.date())
    first_monday = last_monday - timedelta(weeks=weeks - 1)
    counts = {first_monday + timedelta(weeks=i): [0, 0] for i in range(weeks)}
    events = contact_events(conn, normalise(address), bulk_recipients, epoch(when))
    for event in events.ordered():
        week = _monday(datetime.fromtimestamp(event.time, UTC).date())
        if week in counts:
            counts[week][0 if event.sent else 1] += 1
    return [WeekCount(week, sent, received) for week, (sent, received) in counts.items()]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


_MESSAGES = (
    "SELECT m.message_id, m.time, m.subject, 'sent', 0, min(r.kind) = 'cc', m.n_recipients"
    " FROM recipients r JOIN messages m ON m.id = r.message JOIN folders f ON f.id = m.folder_id"
    " WHERE r.address = ?1 AND f.role = 'sent' AND m.is_list = 0 GROUP BY m.id"
    " UNION ALL"
    " SELECT m.message_id, m.time, m.subject, 'received', m.automatic, 0, m.n_recipients"
    " FROM messages m JOIN folders f ON f.id = m.folder_id"
    " WHERE m.from_addr = ?1 AND f.role = 'received' AND m.is_list = 0"
    " ORDER BY 2 DESC"
)


def contact_messages(
    conn: sqlite3.Connection,
    address: str,
    limit: int = 200,
    bulk_recipients: int = DEFAULT_BULK,
) -> list[HistoryItem]:
    """The newest ``limit`` messages with ``address``, both ways, newest first."""
    items: list[HistoryItem] = []
    seen: set[tuple[str, str]] = set()
    rows = conn.execute(_MESSAGES, (normalise(address),))
    for message_id, time, subject, direction, automatic, cc_only, count in rows:
        if (direction, message_id) in seen:
            continue
        seen.add((direction, message_id))
        sent = direction == "sent"
        items.append(HistoryItem(
            time=utc(time),
            direction="sent" if sent else "received",
            subject=subject,
            message_id=message_id,
            automatic=bool(automatic),
            cc_only=bool(cc_only),
            bulk=sent and count > bulk_recipients,
        ))
        if len(items) >= limit:
            break
    return items
