"""When the last complete sync finished, kept in the store so it outlives the session.

The CLI's `netguard sync` and the app's sync runner call ``record_sync`` after a sync that ran
to the end (not cancelled, no error); `netguard account show` and the app's status bar read it.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime


def record_sync(conn: sqlite3.Connection, at: datetime | None = None) -> datetime:
    """Remember ``at`` (default: now) as the time of the last complete sync; returns it."""
    when = (at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    conn.execute("INSERT INTO last_sync (id, time) VALUES (1, ?) "
                 "ON CONFLICT (id) DO UPDATE SET time = excluded.time",
                 (int(when.timestamp()),))
    return when


def last_sync(conn: sqlite3.Connection) -> datetime | None:
    """The time of the last complete sync (UTC), or None if there never was one."""
    row = conn.execute("SELECT time FROM last_sync WHERE id = 1").fetchone()
    return datetime.fromtimestamp(int(row[0]), UTC) if row else None
