"""Typed records shared by mail access, the store and analysis."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    """What a folder is to NetGuard."""

    SENT = "sent"
    RECEIVED = "received"
    DRAFTS = "drafts"


class TimeSource(StrEnum):
    """Where a message's time came from (SPEC §1 "Message time")."""

    DATE = "date"  # the Date header, with its offset
    INTERNALDATE = "internaldate"  # the server's INTERNALDATE (or the mbox/Maildir file time)


@dataclass(frozen=True, slots=True)
class Address:
    """A parsed mail address: ``addr`` lower-cased, ``name`` decoded for display."""

    addr: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class MailHeaders:
    """The headers NetGuard keeps of one message (SPEC §4), already interpreted.

    ``time`` is timezone-aware UTC. ``automatic`` is SPEC §1 "automatic" (auto-submitted,
    auto-reply, bulk precedence, bounce, out-of-office subject); ``is_list`` means a List-Id.
    ``message_id`` is never empty: a message without one gets a stable synthetic id.
    """

    message_id: str
    in_reply_to: str
    references: tuple[str, ...]
    time: datetime
    time_source: TimeSource
    sender: Address | None
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    subject: str
    automatic: bool
    is_list: bool

    @property
    def recipient_count(self) -> int:
        return len(self.to) + len(self.cc)


@dataclass(frozen=True, slots=True)
class FolderState:
    """What the store knows of one folder: enough for an incremental sync."""

    name: str
    role: Role
    uidvalidity: int
    highest_uid: int
