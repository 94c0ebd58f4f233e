"""A small mailbox for the analysis tests, built through the real path:
raw header bytes -> ``netguard.mail.headers.parse`` -> ``netguard.store.messages.add_batch``."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime

from netguard.mail.headers import parse
from netguard.model import Role
from netguard.store import open_store
from netguard.store.messages import add_batch, ensure_folder

ME = "me@mine.nl"
T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # a Friday


def days(n: float) -> timedelta:
    return timedelta(days=n)


class Mailbox:
    def __init__(self, conn: sqlite3.Connection | None = None) -> None:
        self.conn = conn or open_store(":memory:")
        self.folders = {
            "Sent": ensure_folder(self.conn, "Sent", Role.SENT),
            "INBOX": ensure_folder(self.conn, "INBOX", Role.RECEIVED),
        }
        self.uids = {name: 0 for name in self.folders}
        self.count = 0

    def folder(self, name: str, role: Role) -> None:
        self.folders[name] = ensure_folder(self.conn, name, role)
        self.uids[name] = 0

    def sent(
        self,
        to: str | list[str],
        when: datetime,
        cc: str | list[str] = (),  # type: ignore[assignment]
        frm: str = ME,
        subject: str = "Voorstel",
        zone: timezone = UTC,
        extra: str = "",
        folder: str = "Sent",
        message_id: str | None = None,
    ) -> str:
        return self.add(folder, frm, to, when, cc=cc, subject=subject, zone=zone, extra=extra,
                        message_id=message_id)

    def received(
        self,
        frm: str,
        when: datetime,
        subject: str = "Re: Voorstel",
        zone: timezone = UTC,
        extra: str = "",
        to: str | list[str] = ME,
        folder: str = "INBOX",
        message_id: str | None = None,
    ) -> str:
        return self.add(folder, frm, to, when, subject=subject, zone=zone, extra=extra,
                        message_id=message_id)

    def add(
        self,
        folder: str,
        frm: str,
        to: str | list[str],
        when: datetime | None,
        cc: str | list[str] = (),  # type: ignore[assignment]
        subject: str = "",
        zone: timezone = UTC,
        extra: str = "",
        message_id: str | None = None,
        date_header: str | None = None,
        internaldate: datetime | None = None,
    ) -> str:
        self.count += 1
        mid = message_id or f"<m{self.count}@test.invalid>"
        lines = [f"From: {frm}", f"To: {_join(to)}", f"Message-ID: {mid}", f"Subject: {subject}"]
        if cc:
            lines.append(f"Cc: {_join(cc)}")
        if date_header is not None:
            if date_header:
                lines.append(f"Date: {date_header}")
        elif when is not None:
            lines.append(f"Date: {format_datetime(when.astimezone(zone))}")
        if extra:
            lines.extend(extra.strip().splitlines())
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode()
        self.uids[folder] += 1
        uid = self.uids[folder]
        headers = parse(raw, internaldate or when or T0)
        add_batch(self.conn, self.folders[folder], [(uid, headers)], uid)
        return mid


def _join(value: str | list[str] | tuple[str, ...]) -> str:
    return value if isinstance(value, str) else ", ".join(value)
