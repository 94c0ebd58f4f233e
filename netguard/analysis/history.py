"""Per-contact history from the store: the personal messages both ways, as SPEC §1 counts them.

An ``Event`` is one *personal* message with one contact: a non-bulk, non-list message of mine
with the contact in To or Cc (from a Sent folder), or a genuine reply from them (a received,
non-automatic, non-list message whose From is the contact). Bulk mail, list mail and
automatic messages never become events. A Message-ID stored in several folders counts once.

Three loaders share these rules: ``contact_events`` (indexed queries for one address, for the
guard), ``all_events`` (two lean scans grouped in Python, for the report; it leaves
subjects out to stay fast at 200k messages) and ``every_contact_events`` (the same scans
sorted by address in SQLite, one contact at a time: the summary's rebuild, in bounded memory).
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from heapq import merge
from itertools import groupby
from operator import itemgetter
from typing import Final, NamedTuple

from netguard.store.people import my_addresses


class Event(NamedTuple):
    time: int  # UTC epoch seconds
    message_id: str
    sent: bool  # True: mine to the contact; False: a genuine reply from the contact
    to: bool  # sent with the contact in To (a Cc-only message is False)
    subject: str = ""


# A raw row as the queries return it: (address, time, message_id, to, name, subject).
# Kept as plain tuples: the report handles 200k of them, and builds Events only where needed.
Row = tuple[str, int, str, int, str, str]
TIME: Final = 1
MESSAGE_ID: Final = 2
TO: Final = 3
NAME: Final = 4
SUBJECT: Final = 5
# A row's time: a sort or bisect key without a Python call per row (ints compare fast;
# ties are settled where it matters)
row_time = itemgetter(TIME)
_ID = itemgetter(MESSAGE_ID)
_NAME = itemgetter(NAME)


@dataclass(slots=True)
class ContactEvents:
    """The personal history with one contact as loaded: raw rows, possibly duplicated."""

    address: str
    sent: list[Row] = field(default_factory=list)
    received: list[Row] = field(default_factory=list)
    clean: bool = False  # already once per Message-ID and in time order (from the summary)

    def unique(self) -> tuple[list[Row], list[Row]]:
        """Sent and received rows in time order, each Message-ID once per direction.

        Sorts the loaded lists in place, by time only: rows of the same second keep the
        store's order, so whatever the rules quote (streak, recent replies, last message)
        is ordered fully as Events and never depends on insertion order.
        """
        if self.clean:
            return self.sent, self.received
        sent, received = once(self.sent), once(self.received)
        sent.sort(key=row_time)
        received.sort(key=row_time)
        return sent, received

    def ordered(self) -> tuple[Event, ...]:
        """Both directions as Events in time order."""
        sent, received = self.unique()
        events = [event(row, sent=True) for row in sent]
        events += [event(row, sent=False) for row in received]
        events.sort()
        return tuple(events)


def best_name(sent: list[Row], received: list[Row]) -> str:
    """From rows in time order: the display name used most in our last ``NAME_ROWS`` messages
    each way (my mail to them, theirs to me); of names used equally often, the latest. Names
    that are an address are none.

    One odd spelling ("F. Jansen | Jansen Bouw", from another client) does not win over the
    name they go by; without any name the caller shows the address, once.
    """
    if not (sent or received):
        return ""
    address = (sent or received)[0][0]
    sent, received = sent[-NAME_ROWS:], received[-NAME_ROWS:]
    spellings = set(map(_NAME, sent))
    spellings.update(map(_NAME, received))
    spellings.discard("")
    if len(spellings) < 2:  # the usual: one name (or none), nothing to count
        name = spellings.pop() if spellings else ""
        return name if is_display_name(name, address) else ""
    counts: Counter[str] = Counter(map(_NAME, sent))
    counts.update(map(_NAME, received))
    names = [(count, name) for name, count in counts.items() if is_display_name(name, address)]
    if not names:
        return ""
    most = max(names)[0]
    best = {name for count, name in names if count == most}
    if len(best) == 1:
        return best.pop()
    return max((row[TIME], row[NAME]) for rows in (sent, received) for row in rows
               if row[NAME] in best)[1]


NAME_ROWS = 50  # names change (a new job, a new client): recent mail says how they go by


def is_display_name(name: str, address: str) -> bool:
    """A name worth showing for ``address``: not empty, and not an address (often the address
    itself)."""
    return bool(name.strip()) and "@" not in name and name.strip().lower() != address


def event(row: Row, sent: bool) -> Event:
    return Event(row[TIME], row[MESSAGE_ID], sent, sent and bool(row[TO]), row[SUBJECT])


def once(rows: list[Row]) -> list[Row]:
    """Rows with a Message-ID seen before dropped; a To wins over a Cc of the same message.

    Without duplicates (the common case) the list itself is returned.
    """
    if len(set(map(_ID, rows))) == len(rows):
        return rows
    kept: dict[str, Row] = {}
    for row in sorted(rows, key=lambda r: -r[TO]):  # To rows first
        kept.setdefault(row[MESSAGE_ID], row)
    return list(kept.values())


_NOT_A_PERSON = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|postmaster|"
    r"undisclosed[-_.]?recipients)([-+_.].*)?$"
)

_SENT = (
    "SELECT r.address, m.time, m.message_id, r.kind = 'to', r.name, {subject}"
    " FROM messages m CROSS JOIN recipients r ON r.message = m.id"
    " WHERE m.folder_id IN ({folders}) AND m.is_list = 0 AND m.n_recipients <= ?"
    " AND +m.time <= ?"
)
_RECEIVED = (
    "SELECT m.from_addr, m.time, m.message_id, 0, m.from_name, {subject}"
    " FROM messages m WHERE m.folder_id IN ({folders}) AND m.is_list = 0 AND m.automatic = 0"
    " AND +m.time <= ?"
)

# One contact: the address indexes lead (recipients_address, messages_from_time).
_CONTACT_SENT = (
    "SELECT r.address, m.time, m.message_id, r.kind = 'to', r.name, m.subject"
    " FROM recipients r CROSS JOIN messages m ON m.id = r.message"
    " WHERE r.address = ? AND +m.folder_id IN ({folders}) AND m.is_list = 0"
    " AND m.n_recipients <= ? AND m.time <= ?"
)
_CONTACT_RECEIVED = (
    "SELECT m.from_addr, m.time, m.message_id, 0, m.from_name, m.subject FROM messages m"
    " WHERE m.from_addr = ? AND m.time <= ? AND +m.folder_id IN ({folders})"
    " AND m.is_list = 0 AND m.automatic = 0"
)

# The same scans in address order (SQLite's sorter spills to disk: memory stays bounded), each
# contact's rows in the order the scans above give them (ORDER BY: their plan's own order).
_SENT_BY_ADDRESS = _SENT + " ORDER BY r.address, m.folder_id, m.uid, r.rowid"
_RECEIVED_BY_ADDRESS = _RECEIVED + " ORDER BY m.from_addr, m.folder_id, m.uid"


def normalise(address: str) -> str:
    """Addresses compare case-insensitively (SPEC §1 "Address"); ``Name <addr>`` is parsed."""
    if "<" in address:
        from email.utils import parseaddr  # rare here; the stdlib's email costs 10 ms to load

        address = parseaddr(address)[1]
    return address.strip().lower()


def is_contact_address(address: str, me: Container[str]) -> bool:
    """SPEC §1 "Contact": not me, not undisclosed-recipients, no-reply or a bounce sender."""
    local, at, domain = address.partition("@")
    if not (at and local and domain) or address in me:
        return False
    return _NOT_A_PERSON.match(local) is None


def is_me(conn: sqlite3.Connection, address: str) -> bool:
    """Whether ``address`` is mine, with indexed lookups only (the guard runs per keystroke)."""
    row = conn.execute(
        "SELECT 1 FROM me WHERE address = ?1 UNION ALL SELECT 1 FROM messages m"
        " JOIN folders f ON f.id = m.folder_id WHERE m.from_addr = ?1 AND f.role = 'sent'"
        " LIMIT 1",
        (address,),
    ).fetchone()
    return row is not None


def folder_ids(conn: sqlite3.Connection, role: str) -> list[int]:
    return [int(row[0]) for row in conn.execute("SELECT id FROM folders WHERE role = ?", (role,))]


def contact_events(
    conn: sqlite3.Connection, address: str, bulk_recipients: int, until: int
) -> ContactEvents:
    """The personal history with ``address`` up to ``until``, by two indexed queries."""
    found = ContactEvents(address)
    sent, received = folder_ids(conn, "sent"), folder_ids(conn, "received")
    found.sent = conn.execute(_query(_CONTACT_SENT, sent),
                              (address, *sent, bulk_recipients, until)).fetchall()
    found.received = conn.execute(_query(_CONTACT_RECEIVED, received),
                                  (address, until, *received)).fetchall()
    return found


def every_contact_events(conn: sqlite3.Connection, bulk_recipients: int,
                         until: int) -> Iterator[ContactEvents]:
    """What ``all_events(conn, bulk_recipients, until, ())`` gives, in address order and one
    contact at a time (rows in the same order): the same two scans, sorted by SQLite, merged."""
    sent, received = folder_ids(conn, "sent"), folder_ids(conn, "received")
    sent_rows = conn.execute(_query(_SENT_BY_ADDRESS, sent, "''"),
                             (*sent, bulk_recipients, until))
    received_rows = conn.execute(_query(_RECEIVED_BY_ADDRESS, received, "''"), (*received, until))
    both = merge(_by_address(sent_rows, True), _by_address(received_rows, False),
                 key=itemgetter(0))
    for address, parts in groupby(both, key=itemgetter(0)):
        if not is_contact_address(address, ()):
            continue
        history = ContactEvents(address)
        for _, sent_side, rows in parts:
            if sent_side:
                history.sent = rows
            else:
                history.received = rows
        yield history


def _by_address(rows: Iterable[Row], sent: bool) -> Iterator[tuple[str, bool, list[Row]]]:
    for address, group in groupby(rows, key=itemgetter(0)):
        yield address, sent, list(group)


def all_events(
    conn: sqlite3.Connection, bulk_recipients: int, until: int,
    me: Container[str] | None = None,
) -> dict[str, ContactEvents]:
    """Every contact's personal history up to ``until`` (no subjects): two scans, grouped.
    ``me``: my addresses, when the caller has them already."""
    if me is None:
        me = my_addresses(conn)
    contacts: dict[str, ContactEvents] = {}
    sent, received = folder_ids(conn, "sent"), folder_ids(conn, "received")
    rows = conn.execute(_query(_SENT, sent, "''"), (*sent, bulk_recipients, until))
    _group(contacts, rows, me, sent=True)
    rows = conn.execute(_query(_RECEIVED, received, "''"), (*received, until))
    _group(contacts, rows, me, sent=False)
    return {address: h for address, h in contacts.items() if h is not _EXCLUDED}


_EXCLUDED = ContactEvents("")


def _query(template: str, folders: Sequence[int], subject: str = "") -> str:
    return template.format(folders=",".join("?" * len(folders)) or "NULL", subject=subject)


def _group(
    contacts: dict[str, ContactEvents], rows: Iterable[Row], me: Container[str], sent: bool
) -> None:
    known = contacts.get
    for row in rows:
        history = known(row[0])
        if history is None:
            history = ContactEvents(row[0]) if is_contact_address(row[0], me) else _EXCLUDED
            contacts[row[0]] = history
        if sent:
            history.sent.append(row)
        else:
            history.received.append(row)
