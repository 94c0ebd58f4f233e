"""Building an outgoing message: own Message-ID and Date, From the account, threading headers."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

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


def compose(sender: str, draft: Draft, now: datetime | None = None) -> EmailMessage:
    """The message to send or save, with a fresh Message-ID in the sender's domain."""
    msg = EmailMessage(policy=SMTP)
    msg["From"] = sender
    msg["To"] = ", ".join(draft.to)
    if draft.cc:
        msg["Cc"] = ", ".join(draft.cc)
    msg["Subject"] = draft.subject
    msg["Date"] = format_datetime((now or datetime.now(UTC)).astimezone())
    msg["Message-ID"] = make_msgid(domain=_domain(sender))
    if draft.in_reply_to:
        msg["In-Reply-To"] = draft.in_reply_to
        msg["References"] = " ".join(_thread(draft.references, draft.in_reply_to))
    msg["User-Agent"] = "NetGuard"
    msg.set_content(draft.body)
    return msg


def thread_of(conn: sqlite3.Connection, message_id: str) -> tuple[str, ...]:
    """The References of a stored message followed by its own id: the thread a reply continues."""
    row = conn.execute(
        "SELECT refs, in_reply_to FROM messages WHERE message_id = ? LIMIT 1", (message_id,)
    ).fetchone()
    refs: list[str] = _MSGID.findall(row[0]) if row else []
    if row and not refs and row[1]:
        refs = [row[1]]
    return tuple(_thread(refs, message_id))


def last_sent_in_thread(conn: sqlite3.Connection, address: str, subject: str) -> str:
    """The Message-ID of my latest message to ``address`` with the same subject, or ''.

    A follow-up continues that conversation, so its In-Reply-To points there.
    """
    rows = conn.execute(
        "SELECT m.message_id, m.subject FROM messages m "
        "JOIN folders f ON f.id = m.folder_id "
        "JOIN recipients r ON r.message = m.id "
        "WHERE f.role = 'sent' AND r.address = ? AND r.kind = 'to' ORDER BY m.time DESC LIMIT 50",
        (address.strip().lower(),),
    )
    wanted = base_subject(subject)
    for message_id, stored_subject in rows:
        if base_subject(stored_subject) == wanted:
            return str(message_id)
    return ""


def base_subject(subject: str) -> str:
    """The subject without Re:/Fwd: prefixes, case-folded and unfolded."""
    return " ".join(_REPLY_PREFIX.sub("", subject).split()).casefold()


def _thread(references: Sequence[str], parent: str) -> list[str]:
    chain = [ref for ref in references if ref != parent]
    return [*chain, parent]


def _domain(sender: str) -> str:
    _, _, domain = sender.rpartition("@")
    cleaned = domain.strip().strip(">").lower()
    return cleaned if cleaned and re.fullmatch(r"[a-z0-9.-]+", cleaned) else "netguard.invalid"
