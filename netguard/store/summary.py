"""The per-contact summary's tables (``_v9_contact_summary``): rows in, rows out, its state.

What goes in is decided in ``analysis.summary``; here only how it is kept. A contact's rows
are stored with ``marshal`` (plain tuples of ints and strings: the fastest to read back), each
distinct string once.
Deleting messages makes the summary stale (``mark_stale``); new messages need no bookkeeping:
they have ids above ``State.last_message``.
"""

from __future__ import annotations

import marshal
import sqlite3
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, NamedTuple

FORMAT = marshal.version
PUT_AT_ONCE = 200  # contacts encoded and written per statement
_EMPTY = marshal.dumps([])


class State(NamedTuple):
    last_message: int  # every message with an id up to this one is in the summary
    bulk_recipients: int  # the bulk limit the rows were chosen under


def state(conn: sqlite3.Connection) -> State | None:
    """The summary's state, or None when it must be rebuilt before it is read."""
    row = conn.execute("SELECT last_message, bulk_recipients, format FROM summary_state").fetchone()
    if row is None or row[2] != FORMAT:
        return None
    return State(int(row[0]), int(row[1]))


def mark_stale(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM summary_state")


def last_message(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM messages").fetchone()[0])


def rows(conn: sqlite3.Connection) -> Iterator[tuple[str, list[Any], list[Any]]]:
    """Every address with its sent and received rows."""
    for address, sent, received in conn.execute(
            "SELECT address, sent, received FROM contact_summary"):
        # Written by NetGuard into the user's own store, never read from elsewhere.
        yield address, marshal.loads(sent), marshal.loads(received)  # noqa: S302


Contacts = Iterable[tuple[str, list[Any], list[Any]]]  # address, sent rows, received rows
Encoded = tuple[str, bytes, bytes]  # the same, each side as it is stored


def replace_all(conn: sqlite3.Connection, contacts: Iterable[Encoded], done: State) -> None:
    """The whole summary at once (a rebuild), from ``encode``'s items."""
    conn.execute("DELETE FROM contact_summary")
    put_encoded(conn, contacts, done)


def put(conn: sqlite3.Connection, contacts: Contacts, done: State) -> None:
    """These addresses' rows (an address with no rows left is dropped), then the state."""
    put_encoded(conn, encode(contacts), done)


def encode(contacts: Contacts, *, shared: bool = False) -> Iterator[Encoded]:
    """Each contact's rows as they are stored. ``shared``: the rows' equal values are one
    object already (``analysis.first_load``)."""
    dumps = marshal.dumps if shared else _dumps
    for address, sent, received in contacts:
        yield address, dumps(sent), dumps(received)


def put_encoded(conn: sqlite3.Connection, contacts: Iterable[Encoded], done: State) -> None:
    """``put`` of rows encoded already; ``contacts`` is read ``PUT_AT_ONCE`` at a time (a
    rebuild streams them)."""
    them = iter(contacts)
    while items := list(islice(them, PUT_AT_ONCE)):
        conn.executemany("DELETE FROM contact_summary WHERE address = ?",
                         [(a,) for a, s, r in items])
        conn.executemany("INSERT INTO contact_summary (address, sent, received)"
                         " VALUES (?, ?, ?)",
                         [item for item in items if item[1] != _EMPTY or item[2] != _EMPTY])
    conn.execute("INSERT OR REPLACE INTO summary_state (id, last_message, bulk_recipients, format)"
                 " VALUES (1, ?, ?, ?)", (done.last_message, done.bulk_recipients, FORMAT))


def touched_since(conn: sqlite3.Connection, message: int) -> set[str]:
    """The addresses of the messages stored after ``message``: their senders and recipients."""
    found = {str(a) for (a,) in conn.execute(
        "SELECT from_addr FROM messages WHERE id > ?", (message,))}
    found.update(str(a) for (a,) in conn.execute(
        "SELECT address FROM recipients WHERE message > ?", (message,)))
    return found


def _dumps(rows: list[Any]) -> bytes:
    """The rows with equal values made one object first (the address in every row, the same
    name again and again): marshal then writes them once, and reading makes them once.
    Column by column, so the lookups run without a Python call per value."""
    if not rows:
        return _EMPTY
    same: dict[object, object] = {}
    one = same.setdefault
    columns = [list(map(one, column, column)) for column in zip(*rows, strict=True)]
    return marshal.dumps(list(zip(*columns, strict=True)))


