"""Shared set-up for the send, relay and watch tests: a profile wired to Dovecot + aiosmtpd,
and a store that already holds a streak of follow-ups to one contact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from netguard import secrets
from netguard.mail.headers import parse
from netguard.model import Role
from netguard.settings import Settings
from netguard.store.messages import add_batch, ensure_folder
from netguard.store.people import add_me
from netguard.workspace import Workspace

CONTACT = "anna@example.org"


@dataclass
class MailSetup:
    workspace: Workspace
    imap: Any  # DovecotAccount
    smtp: Any  # SmtpServer

    @property
    def me(self) -> str:
        return str(self.imap.user)


def wire(home: Path, dovecot: Any, smtp: Any, **account: Any) -> MailSetup:
    """A workspace in ``home`` whose account is the Dovecot user, sending through ``smtp``."""
    workspace = Workspace.open(str(home))
    settings = Settings(account=dovecot.account(
        "plain", smtp_host=smtp.host, smtp_port=smtp.port, smtp_security="plain", **account))
    workspace.save_settings(settings)
    secrets.set_password(dovecot.user, dovecot.password)
    add_me(workspace.store, dovecot.user, "login")
    return MailSetup(workspace, dovecot, smtp)


def raw_message(sender: str, to: str, subject: str, when: datetime, number: int,
                name: str = "Anna de Vries") -> bytes:
    return (
        f"From: {sender}\r\nTo: {name} <{to}>\r\nSubject: {subject}\r\n"
        f"Date: {format_datetime(when)}\r\nMessage-ID: <seed-{number}-{to}@example.test>\r\n"
        "\r\nHello\r\n"
    ).encode()


def seed_streak(workspace: Workspace, me: str, followups: int, contact: str = CONTACT,
                subject: str = "Proposal") -> list[str]:
    """An opener eight days ago plus ``followups`` follow-ups within the last week, in Sent."""
    now = datetime.now(UTC)
    times = [now - timedelta(days=8)] + [
        now - timedelta(days=6) + timedelta(hours=12 * i) for i in range(followups)
    ]
    conn = workspace.store
    folder = ensure_folder(conn, "Sent", Role.SENT)
    batch = []
    for number, when in enumerate(times, start=1):
        headers = parse(raw_message(me, contact, subject, when, number), when)
        batch.append((number, headers))
    add_batch(conn, folder, batch, len(batch))
    return [headers.message_id for _, headers in batch]
