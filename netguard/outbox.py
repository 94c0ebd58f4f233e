"""The local outbox: a message is written here before SMTP sees it and leaves only once sent.

States: ``queued`` (not yet accepted by SMTP) and ``sent`` (accepted; filing in Sent or the
local store still pending). A queued message is *in doubt* when its data went to the SMTP
server and no answer to it was recorded (the connection dropped after the data, or NetGuard
was killed between the server's 250 and recording it): it may have been delivered, so it is
sent again only when the user says so. Also the user's decisions around the guard: allowances from
``netguard allow`` (consumed by the next message to that address) and forced sends.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass

from netguard.store.db import transaction


@dataclass(frozen=True)
class Pending:
    """One message in the outbox."""

    message_id: str
    raw: bytes
    sender: str
    recipients: tuple[str, ...]
    state: str
    attempts: int
    last_error: str
    forced: bool
    handed_over: int = 0  # when its data went to SMTP without an answer kept; 0: never

    @property
    def in_doubt(self) -> bool:
        """Perhaps delivered: the data went out and no answer to it was recorded."""
        return self.state == "queued" and self.handed_over > 0


_SELECT = ("SELECT message_id, raw, sender, recipients, state, attempts, last_error, forced, "
           "handed_over FROM outbox")


def put(conn: sqlite3.Connection, message_id: str, raw: bytes, *, sender: str,
        recipients: Iterable[str], forced: bool = False) -> None:
    """Queue a message; queuing the same Message-ID again changes nothing."""
    conn.execute(
        "INSERT INTO outbox (message_id, raw, sender, recipients, state, forced, created) "
        "VALUES (?, ?, ?, ?, 'queued', ?, ?) "
        "ON CONFLICT (message_id) DO NOTHING",
        (message_id, raw, sender, " ".join(recipients), int(forced), int(time.time())),
    )


def get(conn: sqlite3.Connection, message_id: str) -> Pending | None:
    row = conn.execute(_SELECT + " WHERE message_id = ?",
                       (message_id,)).fetchone()
    return _pending(row) if row else None


def pending(conn: sqlite3.Connection) -> list[Pending]:
    """Everything still in the outbox, oldest first."""
    rows = conn.execute(_SELECT + " ORDER BY created, id")
    return [_pending(row) for row in rows]


def attempt(conn: sqlite3.Connection, message_id: str) -> None:
    conn.execute("UPDATE outbox SET attempts = attempts + 1 WHERE message_id = ?", (message_id,))


def failed(conn: sqlite3.Connection, message_id: str, error: str) -> None:
    conn.execute("UPDATE outbox SET last_error = ? WHERE message_id = ?", (error, message_id))


def handing_over(conn: sqlite3.Connection, message_id: str) -> None:
    """Record, before the data goes to SMTP, that from now on the message may be delivered.

    Written through to the disk (synchronous FULL), so not even a power cut forgets it."""
    previous = int(conn.execute("PRAGMA synchronous").fetchone()[0])
    conn.execute("PRAGMA synchronous = FULL")
    try:
        conn.execute("UPDATE outbox SET handed_over = ? WHERE message_id = ?",
                     (int(time.time()), message_id))
    finally:
        conn.execute(f"PRAGMA synchronous = {previous}")


def not_delivered(conn: sqlite3.Connection, message_id: str) -> None:
    """The server answered the data with a refusal: the message is plainly queued again."""
    conn.execute("UPDATE outbox SET handed_over = 0 WHERE message_id = ?", (message_id,))


def mark_sent(conn: sqlite3.Connection, message_id: str) -> None:
    conn.execute("UPDATE outbox SET state = 'sent', last_error = '', handed_over = 0 "
                 "WHERE message_id = ?", (message_id,))


def remove(conn: sqlite3.Connection, message_id: str) -> None:
    conn.execute("DELETE FROM outbox WHERE message_id = ?", (message_id,))


def allow(conn: sqlite3.Connection, address: str, minutes: int, now: float | None = None) -> int:
    """Let the next message to ``address`` pass the guard within ``minutes``; returns the end."""
    until = int((now if now is not None else time.time()) + minutes * 60)
    conn.execute(
        "INSERT INTO relay_allowances (address, until) VALUES (?, ?) "
        "ON CONFLICT (address) DO UPDATE SET until = excluded.until",
        (address.strip().lower(), until),
    )
    return until


def allowed(conn: sqlite3.Connection, addresses: Iterable[str],
            now: float | None = None) -> bool:
    """Whether every one of ``addresses`` has an allowance that has not run out."""
    moment = now if now is not None else time.time()
    for address in addresses:
        row = conn.execute("SELECT until FROM relay_allowances WHERE address = ?",
                           (address.strip().lower(),)).fetchone()
        if row is None or row[0] < moment:
            return False
    return True


def record_override(conn: sqlite3.Connection, message_id: str, addresses: Iterable[str],
                    via: str) -> None:
    """Remember that the user sent past a warning (``force``) or with an allowance (``allow``);
    an allowance is used up by this message."""
    now = int(time.time())
    with transaction(conn):
        for address in addresses:
            key = address.strip().lower()
            conn.execute("INSERT INTO guard_overrides (message_id, address, time, via) "
                         "VALUES (?, ?, ?, ?)", (message_id, key, now, via))
            if via == "allow":
                conn.execute("DELETE FROM relay_allowances WHERE address = ?", (key,))


def _pending(row: tuple[object, ...]) -> Pending:
    raw = row[1]
    return Pending(
        message_id=str(row[0]),
        raw=bytes(raw) if isinstance(raw, bytes | memoryview) else str(raw).encode(),
        sender=str(row[2]),
        recipients=tuple(str(row[3]).split()),
        state=str(row[4]),
        attempts=int(str(row[5])),
        last_error=str(row[6]),
        forced=bool(row[7]),
        handed_over=int(str(row[8])),
    )
