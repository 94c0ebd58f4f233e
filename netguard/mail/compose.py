"""Building an outgoing message: own Message-ID and Date, From the identity, threading headers."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from netguard.mail.identity import Identity

_MSGID = re.compile(r"<[^<>\s]+>")
_REPLY_PREFIX = re.compile(r"^\s*((re|aw|antw|fw|fwd|wg)\s*:\s*)+", re.IGNORECASE)


@dataclass(frozen=True)
class Draft:
    """What the user wrote: recipients, subject, body, and the thread it continues, if any."""

    to: tuple[str, ...]
    subject: str
    body: str
    cc: tuple[str, ...] = ()
    in_reply_to: str = ""
    references: tuple[str, ...] = ()


def compose(sender: Identity, draft: Draft, now: datetime | None = None) -> EmailMessage:
    """The message to send or save: From ``Name <address>``, a fresh Message-ID on its domain."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = sender.mailbox
    msg["To"] = ", ".join(draft.to)
    if draft.cc:
        msg["Cc"] = ", ".join(draft.cc)
    msg["Subject"] = draft.subject
    msg["Date"] = format_datetime((now or datetime.now(UTC)).astimezone())
    msg["Message-ID"] = make_msgid(domain=_domain(sender.domain))
    if draft.in_reply_to:
        msg["In-Reply-To"] = draft.in_reply_to
        msg["References"] = " ".join(_thread(draft.references, draft.in_reply_to))
    msg["User-Agent"] = "NetGuard"
    msg.set_content(draft.body)
    return msg


def threaded(conn: sqlite3.Connection, draft: Draft) -> Draft:
    """The draft as a reply: In-Reply-To the message it answers, References its thread.

    The message answered is ``draft.in_reply_to`` when given, else the latest message between
    me and the first To recipient with the same subject (see ``last_in_thread``). The CLI's
    ``send`` and ``save-draft`` and the app's composer all thread through here.
    """
    parent = draft.in_reply_to
    if not parent and draft.to:
        parent = last_in_thread(conn, draft.to[0], draft.subject)
    if not parent:
        return draft
    return replace(draft, in_reply_to=parent, references=thread_of(conn, parent)[:-1])


def thread_of(conn: sqlite3.Connection, message_id: str) -> tuple[str, ...]:
    """The References of a stored message followed by its own id: the thread a reply continues."""
    row = conn.execute(
        "SELECT refs, in_reply_to FROM messages WHERE message_id = ? LIMIT 1", (message_id,)
    ).fetchone()
    refs: list[str] = _MSGID.findall(row[0]) if row else []
    if row and not refs and row[1]:
        refs = [row[1]]
    return tuple(_thread(refs, message_id))


def last_in_thread(conn: sqlite3.Connection, address: str, subject: str) -> str:
    """The Message-ID of the latest message with the same subject between me and ``address``
    (mine to them in To, or theirs to me), or ''.

    A follow-up continues my conversation and a reply answers theirs, so In-Reply-To points there.
    """
    key = address.strip().lower()
    rows = conn.execute(
        "SELECT message_id, subject, time FROM ("
        " SELECT m.message_id, m.subject, m.time FROM messages m"
        " JOIN folders f ON f.id = m.folder_id JOIN recipients r ON r.message = m.id"
        " WHERE f.role = 'sent' AND r.address = ? AND r.kind = 'to'"
        " UNION ALL SELECT m.message_id, m.subject, m.time FROM messages m"
        " JOIN folders f ON f.id = m.folder_id"
        " WHERE f.role = 'received' AND m.from_addr = ?"
        ") ORDER BY time DESC LIMIT 50",
        (key, key),
    )
    wanted = base_subject(subject)
    for message_id, stored_subject, _time in rows:
        if base_subject(stored_subject) == wanted:
            return str(message_id)
    return ""


def base_subject(subject: str) -> str:
    """The subject without Re:/Fwd: prefixes, case-folded and unfolded."""
    return " ".join(_REPLY_PREFIX.sub("", subject).split()).casefold()


def _thread(references: Sequence[str], parent: str) -> list[str]:
    chain = [ref for ref in references if ref != parent]
    return [*chain, parent]


def _domain(domain: str) -> str:
    return domain if re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", domain) else "netguard.invalid"
