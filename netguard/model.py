"""Typed records shared by mail access, the store and analysis."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntFlag, StrEnum


class Role(StrEnum):
    """What a folder is to NetGuard."""

    SENT = "sent"
    RECEIVED = "received"
    DRAFTS = "drafts"


class TimeSource(StrEnum):
    """Where a message's time came from (SPEC §1 "Message time")."""

    DATE = "date"  # the Date header, with its offset
    INTERNALDATE = "internaldate"  # the server's INTERNALDATE (or the mbox/Maildir file time)


class BulkSign(IntFlag):
    """What in a message's headers says it went out in bulk, not from one person to another
    (SPEC §1 "others"); stored per message as one integer."""

    LIST_UNSUBSCRIBE = 1  # a List-Unsubscribe field
    FEEDBACK_ID = 2  # a Feedback-ID field (bulk senders' complaint loop)
    PRECEDENCE = 4  # Precedence: bulk, junk or list


@dataclass(frozen=True, slots=True)
class Address:
    """A parsed mail address: ``addr`` lower-cased, ``name`` decoded for display."""

    addr: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class MailHeaders:
    """The headers NetGuard keeps of one message (SPEC §4), already interpreted.

    ``time`` is timezone-aware UTC. ``automatic`` is SPEC §1 "automatic" (auto-submitted,
    auto-reply, bulk precedence, bounce, out-of-office subject); ``is_list`` means a List-Id;
    ``bulk_signs`` holds the ``BulkSign`` flags of the message.
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
    bulk_signs: int = 0

    @property
    def recipient_count(self) -> int:
        return len(self.to) + len(self.cc)

    def values(self) -> HeaderValues:
        """The same headers as a ``HeaderValues`` tuple."""
        return (self.message_id, self.in_reply_to, " ".join(self.references),
                epoch_seconds(self.time), self.time_source, self.sender, self.to, self.cc,
                self.subject, self.automatic, self.is_list, self.bulk_signs)

    @classmethod
    def of(cls, values: HeaderValues) -> MailHeaders:
        """The headers a ``HeaderValues`` tuple holds."""
        (message_id, in_reply_to, references, time, source, sender, to, cc, subject, automatic,
         is_list, bulk_signs) = values
        return cls(message_id, in_reply_to, tuple(references.split()),
                   datetime.fromtimestamp(time, UTC), source, sender, to, cc, subject, automatic,
                   is_list, bulk_signs)


# ``MailHeaders`` as a plain tuple, the shape a bulk sync builds by the 100,000 (a tuple costs a
# fraction of a frozen dataclass): message_id, in_reply_to, references (space-separated), time
# (UTC epoch seconds), time_source, sender, to, cc, subject, automatic, is_list, bulk_signs.
HeaderValues = tuple[str, str, str, int, TimeSource, Address | None, tuple[Address, ...],
                     tuple[Address, ...], str, bool, bool, int]


@dataclass(frozen=True, slots=True)
class FolderState:
    """What the store knows of one folder: enough for an incremental sync."""

    name: str
    role: Role
    uidvalidity: int
    highest_uid: int


def epoch_seconds(time: datetime) -> int:
    """Whole seconds since the epoch (rounded down, before 1970 too) of an aware time."""
    return int(time.replace(microsecond=0).timestamp())
