"""The contact summary of a first load, gathered from its rows as they are stored (issue 18).

After a first sync into an empty store, ``summary.rebuild`` would read every message again: two
scans sorted by address (≈1.2 s of CPU at 200k messages and 780k recipients, and the
recipients' message index built first for their join). ``FirstLoad`` is handed each batch the
sync has stored (``sync(..., on_stored=...)``) and keeps, per address, what the rebuild reads
for it, compactly: each message's time and Message-ID once, and per row one number (the message,
and whether the address was in To) and the display name. ``summary.keep_up`` then writes the
summary from it: the rows ``rebuild`` writes, in the same order, with no scan, encoded while
SQLite builds the store's indexes on another connection (Python and SQLite on two cores).

It is used only when the load began on an empty store and every message in the store passed
through it: none replaced or deleted meanwhile, none stored by another writer. Otherwise
``write`` declines and the summary is rebuilt from the messages as before.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Iterator
from functools import cache
from itertools import islice
from operator import itemgetter, lt
from typing import TYPE_CHECKING, Final

from netguard.analysis.history import ContactEvents, Row, is_contact_address
from netguard.model import Role
from netguard.store import summary
from netguard.store.db import transaction
from netguard.store.messages import TO, MessageRow, Rows, count_all, is_empty

if TYPE_CHECKING:
    from netguard.mail.headers import RecipientGatherer, SenderGatherer, SideRows

# The columns of a ``messages.MessageRow`` read here.
_UID: Final = 1
_ID: Final = 2
_TIME: Final = 5
_FROM: Final = 7
_NAME: Final = 8
_AUTOMATIC: Final = 10
_LIST: Final = 11
_COUNT: Final = 12
_IDS, _TIMES = itemgetter(_ID), itemgetter(_TIME)


class _Side:
    """One address's rows of one direction: ``codes`` (message number * 2 + in To) and the
    display names, in the order they were stored."""

    __slots__ = ("codes", "names")

    def __init__(self) -> None:
        self.codes = array("q")
        self.names: list[str] = []


class FirstLoad:
    """Gathers the summary's rows of a load into an empty store, under ``bulk_recipients``."""

    def __init__(self, conn: sqlite3.Connection, bulk_recipients: int) -> None:
        self.bulk_recipients = bulk_recipients
        self.gathering = is_empty(conn)  # asked at every sync: no count of 200k rows
        self.stored = 0  # messages stored, of every folder
        self.ids: list[str] = []  # per message number, as stored
        self.times = array("q")
        self.keys = array("q")  # folder id and UID: the order of the rebuild's scans
        self.sent: dict[str, _Side] = {}
        self.received: dict[str, _Side] = {}
        self.names: dict[str, str] = {}  # one object per spelling of a name

    def add(self, folder_id: int, role: Role, rows: Rows) -> None:
        """A batch of the folder ``folder_id``, stored (committed) just now."""
        if not self.gathering:
            return
        messages = rows.messages
        self.stored += len(messages)
        if role is Role.DRAFTS or not messages:
            return
        first = len(self.ids)
        self.ids.extend(map(_IDS, messages))
        self.times.extend(map(_TIMES, messages))
        folder = folder_id << 32
        self.keys.extend([folder | row[_UID] for row in messages])
        if role is Role.SENT:
            self._sent(first, rows)
        else:
            self._received(first, messages)

    def _sent(self, first: int, rows: Rows) -> None:
        """My messages' recipients: those of messages neither list mail nor bulk."""
        bulk = self.bulk_recipients
        counted = [not row[_LIST] and row[_COUNT] <= bulk for row in rows.messages]
        sides, names = self.sent, self.names
        compiled = _compiled()
        if compiled is not None:  # the loop below in C (780k rows at 100k + 100k)
            compiled[0](sides, names, _Side, rows.recipients, counted, first)
            return
        for index, address, name, kind in rows.recipients:
            if counted[index]:
                side = sides.get(address)
                if side is None:
                    side = sides[address] = _Side()
                side.codes.append((first + index) * 2 + (kind == TO))
                side.names.append(names.setdefault(name, name))

    def _received(self, first: int, messages: list[MessageRow]) -> None:
        """The senders of replies: messages neither list mail nor automatic."""
        sides, names = self.received, self.names
        compiled = _compiled()
        if compiled is not None:  # the loop below in C
            compiled[1](sides, names, _Side, messages, first)
            return
        for number, row in enumerate(messages, first):
            if not row[_LIST] and not row[_AUTOMATIC]:
                address, name = row[_FROM], row[_NAME]
                side = sides.get(address)
                if side is None:
                    side = sides[address] = _Side()
                side.codes.append(number * 2)
                side.names.append(names.setdefault(name, name))

    def usable(self, conn: sqlite3.Connection, bulk_recipients: int) -> bool:
        """Whether what was gathered is the whole store's summary under ``bulk_recipients``."""
        return bulk_recipients == self.bulk_recipients and self.whole(conn)

    def encoded(self) -> list[summary.Encoded]:
        """The summary gathered, encoded as it is stored. Python only, no store access:
        ``summary.keep_up`` runs it while SQLite builds the indexes on another connection."""
        return list(summary.encode(self._contacts(), shared=True))

    def write(self, conn: sqlite3.Connection, bulk_recipients: int,
              encoded: list[summary.Encoded] | None = None) -> bool:
        """Write the summary gathered (``encoded`` already, or now), in a transaction of its
        own; False (nothing written) when it is not the whole store's, or was gathered under
        another bulk limit."""
        if not self.usable(conn, bulk_recipients):
            return False
        contacts = self.encoded() if encoded is None else encoded
        with transaction(conn):
            if not self.whole(conn):  # another writer came first
                return False
            summary.replace_all(conn, contacts, summary.State(
                summary.last_message(conn), bulk_recipients))
        return True

    def whole(self, conn: sqlite3.Connection) -> bool:
        """Every message in the store passed through ``add``, and only those: the store was
        empty and nothing was replaced or deleted (ids then run from 1 without a gap)."""
        return (self.gathering and self.stored == count_all(conn)
                == summary.last_message(conn))

    def _contacts(self) -> Iterator[tuple[str, list[Row], list[Row]]]:
        """What ``rebuild`` writes: per contact address, in address order, its rows once per
        Message-ID and in time order (``ContactEvents.unique``)."""
        rank = self._rank()
        for address in sorted(self.sent.keys() | self.received.keys()):
            if is_contact_address(address, ()):
                history = ContactEvents(address, self._rows(address, self.sent, rank),
                                        self._rows(address, self.received, rank))
                yield (address, *history.unique())

    def _rows(self, address: str, sides: dict[str, _Side],
              rank: array[int] | None) -> list[Row]:
        """The address's rows as the rebuild's scan reads them: in folder and UID order."""
        side = sides.get(address)
        if side is None:
            return []
        ids, times = self.ids, self.times
        compiled = _compiled()
        if rank is None and compiled is not None:  # the list below, made in C
            return compiled[2](address, side.codes, side.names, times, ids)
        pairs: Iterator[tuple[int, str]] | list[tuple[int, str]] = zip(
            side.codes, side.names, strict=True)
        if rank is not None:
            pairs = sorted(pairs, key=lambda pair: rank[pair[0] >> 1])
        return [(address, times[code >> 1], ids[code >> 1], code & 1, name, "")
                for code, name in pairs]

    def _rank(self) -> array[int] | None:
        """Each message's place in folder and UID order; None when that is the order they were
        stored in (one folder after another, in ascending ids and UIDs: the usual)."""
        keys = self.keys
        if all(map(lt, keys, islice(keys, 1, None))):
            return None
        rank = array("q", bytes(8 * len(keys)))
        for place, number in enumerate(sorted(range(len(keys)), key=keys.__getitem__)):
            rank[number] = place
        return rank


@cache
def _compiled() -> tuple[RecipientGatherer, SenderGatherer, SideRows] | None:
    """The compiled loops of ``_sent``, ``_received`` and ``_rows`` (the header parser's
    module), or None: looked up at the first batch (a sync with nothing new loads no header
    parser)."""
    from netguard.mail.headers import summary_loops

    return summary_loops()
