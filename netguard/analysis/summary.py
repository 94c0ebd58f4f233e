"""The report's per-contact histories, read from the summary kept beside the messages (issue 18).

A report over 200k messages would otherwise scan and group them all each time. The summary
(``store.summary``) holds, per address, the rows ``history.all_events`` would give for it, once
per Message-ID and in time order, with no subjects and no time limit. Before it is read it is
brought up to date: the addresses of messages stored since (by id) are computed again with the
per-contact queries, or, after many new messages, a deleted one or a changed bulk limit, the
whole summary is rebuilt from the messages (``rebuild``: one contact at a time, in address
order, so its memory is that of a few contacts, not of 200k messages). ``me`` and the
reference time are applied as it is read, so neither an alias added nor ``--at`` needs a
rebuild. A sync or an import brings it up to date as it ends (``keep_up``), off the window's
thread in the app; after a first sync into an empty store it is written from the rows the sync
gathered as it stored them (``first_load``), with no scan.
"""

from __future__ import annotations

import logging
import sqlite3
from bisect import bisect_right
from collections.abc import Container, Iterable, Iterator
from contextlib import contextmanager

from netguard.analysis.first_load import FirstLoad
from netguard.analysis.history import (
    TIME,
    ContactEvents,
    Row,
    all_events,
    contact_events,
    every_contact_events,
    is_contact_address,
    row_time,
)
from netguard.store import summary
from netguard.store.db import (
    REPORT_INDEXES,
    indexes_building,
    restore_indexes,
    transaction,
    unmapped,
)
from netguard.store.migrations import INDEXES

# What ``refresh``'s queries read through: they look up by address and join recipients to
# their messages (a rebuild without ``recipients_message`` would scan them per message).
READ_INDEXES = ("messages_from_time", "recipients_address", "recipients_message")
FOREVER = 2**62  # the summary keeps every message, whatever its time
REBUILD_ABOVE = 300  # more addresses touched than this: one rebuild is cheaper
log = logging.getLogger(__name__)


def contact_histories(
    conn: sqlite3.Connection, bulk_recipients: int, until: int, me: Container[str]
) -> dict[str, ContactEvents]:
    """What ``all_events(conn, bulk_recipients, until, me)`` gives, from the summary."""
    try:
        refresh(conn, bulk_recipients)
    except sqlite3.OperationalError as err:  # locked or read-only: answer from the messages
        log.warning("The contact summary could not be updated (%s); reading every message.", err)
        return all_events(conn, bulk_recipients, until, me)
    found: dict[str, ContactEvents] = {}
    for address, all_sent, all_received in summary.rows(conn):
        if not is_contact_address(address, me):
            continue
        sent, received = _until(all_sent, until), _until(all_received, until)
        if sent or received:
            found[address] = ContactEvents(address, sent, received, clean=True)
    return found


def keep_up(conn: sqlite3.Connection, bulk_recipients: int,
            first_load: FirstLoad | None = None, *, lookups: bool = True) -> None:
    """Bring the summary up to date after a sync or an import, so the report that follows
    reads it as it is, and build the indexes a first load set aside: the one the report needs
    (its others, looked up by sender) and, with ``lookups``, the rest (the guard, a contact's
    pane, replies' threads; the app builds those in a job of its own, after the window has the
    report). After a first sync (``first_load`` gathered the whole store) the summary is
    written from what it gathered, encoded while SQLite builds the indexes on a connection of
    its own (``db.indexes_building``: two cores, as the server's is free again); otherwise
    ``refresh`` reads the messages. A store busy or read-only now is no error: the next read
    brings the summary up to date, the next opening of the store builds the indexes."""
    names = INDEXES if lookups else REPORT_INDEXES
    try:
        if first_load is not None and first_load.usable(conn, bulk_recipients):
            with indexes_building(conn, names):  # SQLite builds them meanwhile, GIL released
                encoded = first_load.encoded()
            if first_load.write(conn, bulk_recipients, encoded):
                return
        refresh(conn, bulk_recipients, names)
        restore_indexes(conn, names)
    except sqlite3.OperationalError as err:
        log.warning("The contact summary could not be updated now (%s).", err)


def refresh(conn: sqlite3.Connection, bulk_recipients: int,
            also: Iterable[str] = INDEXES) -> None:
    """Bring the summary up to date with the messages stored (a no-op when it is). The
    indexes its queries need are built first, with those of ``also`` (in one go: ``keep_up``
    with ``lookups`` False leaves the rest to the app)."""
    newest = summary.last_message(conn)
    state = summary.state(conn)
    if state == summary.State(newest, bulk_recipients):
        return
    restore_indexes(conn, dict.fromkeys((*READ_INDEXES, *also)))
    with _writing(conn):
        full = (state is None or state.bulk_recipients != bulk_recipients
                or state.last_message > newest)
        touched = set() if state is None or full else summary.touched_since(
            conn, state.last_message)
        if full or len(touched) > REBUILD_ABOVE:
            _rebuild(conn, bulk_recipients, newest)
        else:
            summary.put(conn, [_one(conn, a, bulk_recipients) for a in sorted(touched)],
                        summary.State(newest, bulk_recipients))


def rebuild(conn: sqlite3.Connection, bulk_recipients: int) -> None:
    """The whole summary again from the messages."""
    with _writing(conn):
        _rebuild(conn, bulk_recipients, summary.last_message(conn))


def _rebuild(conn: sqlite3.Connection, bulk_recipients: int, newest: int) -> None:
    """One contact at a time, in address order: memory stays that of the largest contact."""
    with unmapped(conn):
        histories = every_contact_events(conn, bulk_recipients, FOREVER)
        summary.replace_all(conn, summary.encode((h.address, *h.unique()) for h in histories),
                            summary.State(newest, bulk_recipients))


def _one(conn: sqlite3.Connection, address: str,
         bulk_recipients: int) -> tuple[str, list[Row], list[Row]]:
    if not is_contact_address(address, ()):
        return address, [], []
    found = contact_events(conn, address, bulk_recipients, FOREVER)
    found.sent = [(*row[:5], "") for row in found.sent]  # no subjects, as all_events
    found.received = [(*row[:5], "") for row in found.received]
    return (address, *found.unique())


def _until(rows: list[Row], until: int) -> list[Row]:
    """The rows no later than ``until`` (rows in time order)."""
    if not rows or rows[-1][TIME] <= until:
        return rows
    return rows[:bisect_right(rows, until, key=row_time)]


@contextmanager
def _writing(conn: sqlite3.Connection) -> Iterator[None]:
    """A transaction of its own, or the caller's when one is open."""
    if conn.in_transaction:
        yield
        return
    with transaction(conn):
        yield
