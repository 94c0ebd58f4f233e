"""What the relay delivered to whom: a retry is recognised, a copy to someone else is not one.

A message counts as already delivered only when *every* envelope recipient of the new
transaction already received that Message-ID through the relay. A Bcc copy sent in a second
transaction, a second recipient, or a bounce/resend that keeps the Message-ID goes out; the
same message to the same recipients again (a client that lost the ``250``) does not.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable

KEEP_DAYS = 30


def recipients_key(recipients: Iterable[str]) -> tuple[str, ...]:
    """Envelope recipients as compared: without brackets and spaces, lower case, each once."""
    return tuple(sorted({r.strip().strip("<>").lower() for r in recipients}))


def delivered(conn: sqlite3.Connection, message_id: str, recipients: Iterable[str]) -> bool:
    """Whether every recipient already received ``message_id`` through the relay."""
    wanted = recipients_key(recipients)
    if not wanted:
        return False
    rows = conn.execute("SELECT recipient FROM relay_deliveries WHERE message_id = ?",
                        (message_id,)).fetchall()
    return set(wanted) <= {str(row[0]) for row in rows}


def known(conn: sqlite3.Connection, message_id: str) -> bool:
    """Whether the relay delivered ``message_id`` to anyone (the guard judged it then)."""
    row = conn.execute("SELECT 1 FROM relay_deliveries WHERE message_id = ? LIMIT 1",
                       (message_id,)).fetchone()
    return row is not None


def record(conn: sqlite3.Connection, message_id: str, recipients: Iterable[str]) -> None:
    """Note a delivery; deliveries older than ``KEEP_DAYS`` are forgotten (no client retries
    that late)."""
    now = int(time.time())
    conn.execute("DELETE FROM relay_deliveries WHERE time < ?", (now - KEEP_DAYS * 86400,))
    conn.executemany(
        "INSERT OR IGNORE INTO relay_deliveries (message_id, recipient, time) VALUES (?, ?, ?)",
        [(message_id, r, now) for r in recipients_key(recipients)],
    )
