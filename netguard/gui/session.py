"""What one window works on: the workspace, the language, the clock, and how mail is sent.

In demo mode the clock stands still at the demo mailbox's reference time, so the demo
always shows the same week.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from netguard.analysis.model import Report
from netguard.analysis.report import build_report
from netguard.gui.sending import Sender, UnavailableSender
from netguard.settings import Rules, Settings
from netguard.workspace import Workspace

if TYPE_CHECKING:  # started by cli.demo before the GUI loads
    from netguard.analysis.report_process import ReportProcess


@dataclass
class Session:
    workspace: Workspace
    lang: str = "en"
    demo: bool = False
    fixed_now: datetime | None = None
    sender: Sender = field(default_factory=UnavailableSender)
    early: ReportProcess | None = None  # the first report, being built beside the start-up
    _me_name: str | None = field(default=None, init=False, repr=False)

    def now(self) -> datetime:
        return self.fixed_now or datetime.now(UTC)

    @property
    def conn(self) -> sqlite3.Connection:
        return self.workspace.store

    @property
    def settings(self) -> Settings:
        return self.workspace.settings

    @property
    def rules(self) -> Rules:
        return self.workspace.settings.rules

    def report(self) -> Report:
        early, self.early = self.early, None
        if early is not None and (found := early.take(self.rules, self.lang)) is not None:
            return found
        return build_report(self.conn, self.rules, at=self.now(), lang=self.lang)

    def me_name(self) -> str:
        """My display name (the identity's: set, or most used in Sent), else the login's
        local part."""
        if self._me_name is None:
            self._me_name = self._find_me_name()
        return self._me_name

    def forget(self) -> None:
        """Drop what was derived from the store (after a sync or an account change)."""
        self._me_name = None

    def _find_me_name(self) -> str:
        from netguard.mail.identity import derive  # with the composer, not before the dashboard

        identity = derive(self.conn, self.settings.account)
        if identity is not None and identity.name:
            return identity.name
        user = self.settings.account.user
        return user.split("@")[0] if user else ""
