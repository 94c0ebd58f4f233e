"""Senders that are not people (SPEC §1 "others"): newsletters, announcement boxes, no-reply.

A sender I never wrote to is one of the *others* when their mail looks automated: most of the
messages whose marks are known carry a bulk sign (``List-Unsubscribe``, ``Feedback-ID``,
``Precedence: bulk``), went to many people (more than ``bulk_recipients``) or came through a
mailing list (``List-Id``); or their address is a role or broadcast box (``role_address``).
Messages stored before the bulk signs were kept have none (NULL): only their recipient count,
list mark and the address say something about them. Others are listed apart, never judged.
Writing to one (a personal message in Sent with them in To or Cc) makes them a contact.
"""

from __future__ import annotations

import re
import sqlite3
import tomllib
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from netguard.analysis.history import ContactEvents, is_display_name
from netguard.analysis.model import Other
from netguard.model import BulkSign
from netguard.resources import read_text


class Why(StrEnum):
    """What makes a sender one of the others (the report's ``why``)."""

    ROLE_ADDRESS = "role-address"
    LIST_UNSUBSCRIBE = "list-unsubscribe"
    FEEDBACK_ID = "feedback-id"
    PRECEDENCE = "precedence-bulk"
    MANY_RECIPIENTS = "many-recipients"
    LIST_ID = "list-id"


@dataclass(frozen=True, slots=True)
class SenderMarks:
    """What the received folders say about one sender's mail (counts of messages)."""

    address: str
    messages: int
    known: int  # messages whose bulk signs were stored, or that are bulk or list mail anyway
    marked: int  # messages with a bulk sign, many recipients or a List-Id
    unsubscribe: int
    feedback: int
    precedence: int
    many: int
    listed: int

    def why(self) -> tuple[Why, ...]:
        found = [(self.unsubscribe, Why.LIST_UNSUBSCRIBE), (self.feedback, Why.FEEDBACK_ID),
                 (self.precedence, Why.PRECEDENCE), (self.many, Why.MANY_RECIPIENTS),
                 (self.listed, Why.LIST_ID)]
        return tuple(why for count, why in found if count)


_MARKS = (
    "SELECT from_addr, count(DISTINCT message_id),"
    " sum(bulk_signs IS NOT NULL OR n_recipients > :bulk OR is_list),"
    " sum(bulk_signs > 0 OR n_recipients > :bulk OR is_list),"
    " sum(bulk_signs & :unsubscribe != 0), sum(bulk_signs & :feedback != 0),"
    " sum(bulk_signs & :precedence != 0), sum(n_recipients > :bulk), sum(is_list)"
    " FROM messages WHERE folder_id IN (SELECT id FROM folders WHERE role = 'received')"
    " AND time <= :until AND from_addr != '' GROUP BY from_addr"
)


def sender_marks(conn: sqlite3.Connection, bulk_recipients: int,
                 until: int) -> list[SenderMarks]:
    """Every sender in the reply folders up to ``until``, with the marks of their mail."""
    rows = conn.execute(_MARKS, {
        "bulk": bulk_recipients, "until": until, "unsubscribe": BulkSign.LIST_UNSUBSCRIBE,
        "feedback": BulkSign.FEEDBACK_ID, "precedence": BulkSign.PRECEDENCE})
    return [SenderMarks(str(row[0]), *(int(v or 0) for v in row[1:])) for row in rows]


def looks_automated(marks: SenderMarks) -> tuple[Why, ...]:
    """Why ``marks``' sender looks automated; ``()`` for someone who writes as a person."""
    role = (Why.ROLE_ADDRESS,) if role_address(marks.address) else ()
    if marks.marked * 2 > marks.known:  # most of what is known of their mail is bulk
        return role + marks.why()
    return role


def split_others(
    conn: sqlite3.Connection,
    histories: dict[str, ContactEvents],
    me: Container[str],
    bulk_recipients: int,
    until: int,
) -> list[Other]:
    """Take the others out of ``histories`` (contacts by address) and return them, by address.

    Anyone with a personal message of mine in ``histories`` stays a contact.
    """
    others: list[Other] = []
    for marks in sender_marks(conn, bulk_recipients, until):
        address = marks.address
        history = histories.get(address)
        if address in me or "@" not in address or (history is not None and history.sent):
            continue
        why = looks_automated(marks)
        if why:
            histories.pop(address, None)
            others.append(Other(address, "", marks.messages, why))
    names = most_used_names(conn, [o.address for o in others], until)
    others.sort(key=lambda o: o.address)
    return [Other(o.address, names.get(o.address, ""), o.received, o.why) for o in others]


_NAMES = (
    "SELECT from_name, count(*), max(time) FROM messages WHERE from_addr = ? AND time <= ?"
    " AND from_name != '' GROUP BY from_name"
)


def most_used_names(conn: sqlite3.Connection, addresses: Sequence[str],
                    until: int) -> Mapping[str, str]:
    """Each address's From display name used most (the latest of equally used ones)."""
    found: dict[str, str] = {}
    for address in addresses:
        rows = [(count, last, name) for name, count, last in conn.execute(_NAMES, (address, until))
                if is_display_name(name, address)]
        if rows:
            found[address] = max(rows)[2]
    return found


_WORD_SPLIT = re.compile(r"[._+\-0-9]+")


def role_address(address: str) -> bool:
    """Whether the local part is a role or broadcast box (``resources/mail/role_addresses.toml``):
    the whole of it, or a run of its words written together (``no.address``, ``no-reply-42``)."""
    words = [w for w in _WORD_SPLIT.split(address.partition("@")[0].lower()) if w]
    known = _role_words()
    return any("".join(words[i:j]) in known
               for i in range(len(words)) for j in range(i + 1, min(len(words), i + 3) + 1))


@cache
def _role_words() -> frozenset[str]:
    table = tomllib.loads(read_text("mail", "role_addresses.toml"))
    return frozenset(str(word).lower() for word in table["words"])
