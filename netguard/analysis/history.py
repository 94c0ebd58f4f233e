"""Per-contact history from the store: the personal messages both ways, as SPEC §1 counts them.

An ``Event`` is one *personal* message with one contact: a non-bulk, non-list message of mine
with the contact in To or Cc (from a Sent folder), or a genuine reply from them (a received,
non-automatic, non-list message whose From is the contact). Bulk mail, list mail and
automatic messages never become events. A Message-ID stored in several folders counts once.

Two loaders share these rules: ``contact_events`` (indexed queries for one address, for the
guard) and ``all_events`` (two lean scans grouped in Python, for the report).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Container
from dataclasses import dataclass, field
from typing import NamedTuple

from netguard.store.people import my_addresses


class Event(NamedTuple):
    time: int  # UTC epoch seconds
    message_id: str
    sent: bool  # True: mine to the contact; False: a genuine reply from the contact
    to: bool  # sent with the contact in To (a Cc-only message is False)
    subject: str


@dataclass(slots=True)
class ContactEvents:
    """The personal history with one contact, being collected."""

    address: str
    name: str = ""
    name_time: int = -1
    by_id: dict[tuple[bool, str], Event] = field(default_factory=dict)

    def add(self, event: Event, name: str = "") -> None:
        key = (event.sent, event.message_id)
        known = self.by_id.get(key)
        if known is None or (event.to and not known.to):
            self.by_id[key] = event
        if name and event.time >= self.name_time:
            self.name, self.name_time = name, event.time

    def ordered(self) -> tuple[Event, ...]:
        return tuple(sorted(self.by_id.values()))


_NOT_A_PERSON = re.compile(
    r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|postmaster|"
    r"undisclosed[-_.]?recipients)([-+_.].*)?$"
)

_SENT = (
    "SELECT m.message_id, m.time, m.subject, r.address, r.name, r.kind = 'to'"
    " FROM messages m JOIN folders f ON f.id = m.folder_id JOIN recipients r ON r.message = m.id"
    " WHERE f.role = 'sent' AND m.is_list = 0 AND m.n_recipients <= ? AND m.time <= ?"
)
_RECEIVED = (
    "SELECT m.message_id, m.time, m.subject, m.from_addr, m.from_name"
    " FROM messages m JOIN folders f ON f.id = m.folder_id"
    " WHERE f.role = 'received' AND m.is_list = 0 AND m.automatic = 0 AND m.time <= ?"
)


def normalise(address: str) -> str:
    """Addresses compare case-insensitively (SPEC §1 "Address")."""
    return address.strip().strip("<>").lower()


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


def contact_events(
    conn: sqlite3.Connection, address: str, bulk_recipients: int, until: int
) -> ContactEvents:
    """The personal history with ``address`` up to ``until``: two indexed queries."""
    found = ContactEvents(address)
    sent = conn.execute(_SENT + " AND r.address = ?", (bulk_recipients, until, address))
    for message_id, time, subject, _, name, to in sent:
        found.add(Event(time, message_id, True, bool(to), subject), name)
    received = conn.execute(_RECEIVED + " AND m.from_addr = ?", (until, address))
    for message_id, time, subject, _, name in received:
        found.add(Event(time, message_id, False, False, subject), name)
    return found


def all_events(
    conn: sqlite3.Connection, bulk_recipients: int, until: int
) -> dict[str, ContactEvents]:
    """Every contact's personal history up to ``until``: two scans, grouped in Python."""
    me = my_addresses(conn)
    contacts: dict[str, ContactEvents] = {}
    sent = conn.execute(_SENT, (bulk_recipients, until))
    for message_id, time, subject, address, name, to in sent:
        history = _history(contacts, address, me)
        if history is not None:
            history.add(Event(time, message_id, True, bool(to), subject), name)
    for message_id, time, subject, address, name in conn.execute(_RECEIVED, (until,)):
        history = _history(contacts, address, me)
        if history is not None:
            history.add(Event(time, message_id, False, False, subject), name)
    return {address: h for address, h in contacts.items() if h is not _EXCLUDED}


_EXCLUDED = ContactEvents("")


def _history(
    contacts: dict[str, ContactEvents], address: str, me: Container[str]
) -> ContactEvents | None:
    history = contacts.get(address)
    if history is None:
        history = ContactEvents(address) if is_contact_address(address, me) else _EXCLUDED
        contacts[address] = history
    return None if history is _EXCLUDED else history
