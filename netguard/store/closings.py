"""Which sent messages closed the loop (SPEC §1 "Closing the loop").

NetGuard records a message here when it sends it as the close-the-loop (the composer's
*Close the loop instead*, the close-the-loop template, ``send --close-the-loop``): its
Message-ID, for each To address it closes the loop with. When that message later appears
in Sent (stored at once after sending, or synced), the analysis recognises it by its
Message-ID.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable

from netguard.store.db import transaction


def record(conn: sqlite3.Connection, message_id: str, addresses: Iterable[str],
           when: float | None = None) -> None:
    """Remember ``message_id`` as the closing message for each of ``addresses``."""
    moment = int(when if when is not None else time.time())
    with transaction(conn):
        for address in addresses:
            conn.execute(
                "INSERT INTO closings (address, message_id, time) VALUES (?, ?, ?) "
                "ON CONFLICT (address, message_id) DO NOTHING",
                (address.strip().lower(), message_id, moment),
            )


def message_ids(conn: sqlite3.Connection, address: str) -> frozenset[str]:
    """The Message-IDs of the closing messages sent to ``address`` (indexed)."""
    rows = conn.execute("SELECT message_id FROM closings WHERE address = ?",
                        (address.strip().lower(),))
    return frozenset(row[0] for row in rows)


def by_address(conn: sqlite3.Connection) -> dict[str, frozenset[str]]:
    """Every address's closing Message-IDs, for the report."""
    found: dict[str, set[str]] = {}
    for address, message_id in conn.execute("SELECT address, message_id FROM closings"):
        found.setdefault(address, set()).add(message_id)
    return {address: frozenset(ids) for address, ids in found.items()}
