"""Typed results of the history analysis: findings, the guard's verdict, the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Literal


class Severity(StrEnum):
    INFO = "info"
    WARN = "warn"


@dataclass(frozen=True, slots=True)
class Finding:
    """One observation about one contact, tied to a pitfall of the article."""

    pitfall: int
    rule: str
    contact: str
    severity: Severity
    message: str
    advice: str
    evidence: tuple[str, ...] = ()  # Message-IDs


@dataclass(frozen=True, slots=True)
class RecipientVerdict:
    """The send guard's judgement for one To recipient (SPEC §1 "The send guard")."""

    address: str
    followups_in_window: int
    window_days: int
    followup_limit: int
    warn: bool
    streak_length: int = 0
    streak_started: datetime | None = None
    last_reply: datetime | None = None
    findings: tuple[Finding, ...] = ()
    muted: bool = False  # counted, but a muted contact never warns and gets no notes
    closing: bool = False  # this message closes the loop: the advice, so no warning
    closed_at: datetime | None = None  # an earlier message of this streak closed the loop


@dataclass(frozen=True, slots=True)
class Verdict:
    at: datetime
    recipients: tuple[RecipientVerdict, ...]

    @property
    def warn(self) -> bool:
        return any(r.warn for r in self.recipients)


@dataclass(frozen=True, slots=True)
class ContactState:
    """One row of the report (SPEC §6 ``report.contacts``)."""

    address: str
    name: str
    sent: int
    received: int
    last_sent: datetime | None
    last_received: datetime | None
    unanswered_streak: int
    followups_in_window: int
    status: tuple[str, ...] = ()  # rule ids
    muted: bool = False


@dataclass(frozen=True, slots=True)
class Other:
    """A sender that is not a contact (SPEC §1 "others", §6 ``report.others``): mail that
    looks automated from someone I never wrote to. ``why``: the reasons, as ids."""

    address: str
    name: str
    received: int  # their messages in the reply folders, each Message-ID once
    why: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Report:
    at: datetime
    contacts: tuple[ContactState, ...]
    findings: tuple[Finding, ...] = field(default=())
    others: tuple[Other, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class RecipientContext:
    """What the history says about one recipient, for the draft lint and the templates.

    ``has_history`` is False for someone I never exchanged mail with (pitfall 5: cold).
    """

    address: str
    name: str = ""
    first_name: str = ""
    has_history: bool = False
    neglected: bool = False
    let_it_rest: bool = False
    guard_warns: bool = False
    unreciprocated: bool = False
    streak_length: int = 0
    days_since_last_sent: int | None = None
    days_since_last_reply: int | None = None
    last_subject: str = ""
    last_message_id: str = ""
    muted: bool = False  # the user muted warnings for this contact; the flags above stay true


@dataclass(frozen=True, slots=True)
class WeekCount:
    """Personal messages with one contact in one week (Monday, UTC), for the timeline."""

    week_start: date
    sent: int
    received: int


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """One stored message with a contact, with the distinctions of SPEC §1 for display."""

    time: datetime
    direction: Literal["sent", "received"]
    subject: str
    message_id: str
    automatic: bool = False
    cc_only: bool = False
    bulk: bool = False
