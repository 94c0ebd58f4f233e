"""Senders that are not people (SPEC §1 "others"): newsletters, announcement boxes, no-reply.

A sender I never wrote to is one of the *others* when their mail looks automated: most of
their messages carry a bulk sign (``List-Unsubscribe``, ``Feedback-ID``, ``Precedence:
bulk``), went to many people (more than ``bulk_recipients``) or came through a mailing list
(``List-Id``); or their address is a role or broadcast box (``role_address``). Messages stored
before the bulk signs were kept have none (NULL): their recipient count, list mark and the
address still speak. Others are listed apart, never judged. Writing to one (a personal message
in Sent with them in To or Cc) makes them a contact.
"""

from __future__ import annotations

import re
import sqlite3
import tomllib
from collections.abc import Container
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache

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
    """A sender's received messages that look bulk (counts of messages)."""

    address: str
    marked: int  # messages with a bulk sign, many recipients or a List-Id
    personal: int  # of those, the ones neither automatic nor list mail (in the history)
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


# A scan of the reply folders for the few rows that look bulk; the index on from_addr would
# only make SQLite jump between the rows of every sender. Every column an int, never NULL
# (bulk_signs is NULL for mail stored before it was kept): a row is a SenderMarks as it is.
_MARKS = (
    "SELECT from_addr, count(*), sum(automatic = 0 AND is_list = 0),"
    " ifnull(sum(bulk_signs & :unsubscribe != 0), 0), ifnull(sum(bulk_signs & :feedback != 0), 0),"
    " ifnull(sum(bulk_signs & :precedence != 0), 0), sum(n_recipients > :bulk), sum(is_list)"
    " FROM messages NOT INDEXED"
    " WHERE folder_id IN (SELECT id FROM folders WHERE role = 'received') AND time <= :until"
    " AND (bulk_signs > 0 OR n_recipients > :bulk OR is_list) GROUP BY from_addr"
)


def sender_marks(conn: sqlite3.Connection, bulk_recipients: int,
                 until: int) -> dict[str, SenderMarks]:
    """The senders in the reply folders with mail that looks bulk up to ``until``, by address."""
    rows = conn.execute(_MARKS, {
        "bulk": bulk_recipients, "until": until, "unsubscribe": BulkSign.LIST_UNSUBSCRIBE,
        "feedback": BulkSign.FEEDBACK_ID, "precedence": BulkSign.PRECEDENCE})
    return {row[0]: SenderMarks(*row) for row in rows}


def looks_automated(address: str, marks: SenderMarks | None, personal: int) -> tuple[Why, ...]:
    """Why ``address`` looks automated; ``()`` for someone who writes as a person.

    ``personal``: their messages in the history (neither automatic nor list mail). Most of
    their mail must look bulk: one club newsletter among a person's own mail does not count.
    """
    role = (Why.ROLE_ADDRESS,) if role_address(address) else ()
    if marks is not None and marks.marked > personal - marks.personal:
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
    marks = sender_marks(conn, bulk_recipients, until)
    candidates = set(marks) | {a for a in senders(conn) if role_address(a)}
    others: list[Other] = []
    for address in sorted(candidates):
        history = histories.get(address)
        if address in me or "@" not in address or (history is not None and history.sent):
            continue
        why = looks_automated(address, marks.get(address), len(history.received) if history
                              else 0)
        received = received_count(conn, address, until) if why else 0
        if received:
            histories.pop(address, None)
            others.append(Other(address, most_used_name(conn, address, until), received, why))
    return others


def senders(conn: sqlite3.Connection) -> list[str]:
    """Every From address in the store (the index holds them: no table rows are read)."""
    return [str(row[0]) for row in conn.execute("SELECT DISTINCT from_addr FROM messages")]


def received_count(conn: sqlite3.Connection, address: str, until: int) -> int:
    """The sender's messages in the reply folders up to ``until``, each Message-ID once."""
    row = conn.execute(
        "SELECT count(DISTINCT message_id) FROM messages WHERE from_addr = ? AND time <= ?"
        " AND folder_id IN (SELECT id FROM folders WHERE role = 'received')",
        (address, until)).fetchone()
    return int(row[0])


_NAMES = (
    "SELECT from_name, count(*), max(time) FROM messages WHERE from_addr = ? AND time <= ?"
    " AND from_name != '' GROUP BY from_name"
)


def most_used_name(conn: sqlite3.Connection, address: str, until: int) -> str:
    """The sender's From display name used most (the latest of equally used ones)."""
    rows = [(count, last, name) for name, count, last in conn.execute(_NAMES, (address, until))
            if is_display_name(name, address)]
    return max(rows)[2] if rows else ""


_WORD_SPLIT = re.compile(r"[._+\-0-9]+")


@lru_cache(maxsize=65536)
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
