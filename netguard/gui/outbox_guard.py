"""The outbox guard in the app (SPEC §8): the local relay and the Drafts watcher, in the background.

    guard = OutboxGuard(workspace, worker)
    guard.held.connect(show_notice, Qt.ConnectionType.QueuedConnection)
    guard.apply()      # start, restart or stop both to match the settings
    guard.shutdown()   # on quit

The relay runs on aiosmtpd's own thread; it is started on the account's worker (the keyring
may block) with its own store connection. Its refusal callback runs on the relay's thread and
only emits a signal. The watcher makes one read-only pass over Drafts per minute, each pass a
job on the account's worker, never on the GUI thread.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from netguard.analysis.model import RecipientVerdict
from netguard.errors import KnownError
from netguard.gui.worker import AccountWorker
from netguard.model import Address
from netguard.settings import Settings
from netguard.store import open_store
from netguard.workspace import Workspace

if TYPE_CHECKING:  # the relay's modules (and the stdlib's email) load when it starts
    from netguard.relay.decide import Decision

WATCH_INTERVAL_MS = 60_000


class Source(Enum):
    RELAY = "relay"  # the relay refused it; the mail client still has the message
    DRAFT = "draft"  # a draft in the Drafts folder


@dataclass(frozen=True)
class Held:
    """One recipient the guard warns about, as the notice shows it."""

    source: Source
    address: str
    name: str
    followups: int  # already sent within the window; this one would be the next
    window_days: int
    subject: str


def held_from(source: Source, warned: Iterable[RecipientVerdict], to: Iterable[Address],
              subject: str) -> list[Held]:
    names = {a.addr: a.name for a in to}
    return [Held(source, r.address, names.get(r.address) or r.address, r.followups_in_window,
                 r.window_days, subject) for r in warned if r.warn]


def relay_settings(settings: Settings) -> Settings | None:
    """The settings the relay should run with, or None when it should not run."""
    account = settings.account
    return settings if settings.relay.enabled and account.user and account.smtp_host else None


@dataclass
class _Running:
    """A started relay and the store connection it alone uses."""

    relay: Any  # netguard.relay.server.Relay (imported on the worker: aiosmtpd is heavy)
    conn: sqlite3.Connection
    settings: Settings

    @classmethod
    def open(cls, database: Path, settings: Settings,
             on_refused: Callable[[Decision], None]) -> _Running:
        from netguard.relay.server import Relay

        conn = open_store(database)
        try:
            relay = Relay(conn, settings, port=settings.relay.port, on_refused=on_refused,
                          tls_dir=database.parent)
            return cls(relay.start(), conn, settings)
        except BaseException:
            conn.close()
            raise

    def close(self) -> None:
        self.relay.stop()
        self.conn.close()


class RelayRunner(QObject):
    """Keeps the relay in step with the settings; ``held`` fires on the relay's thread."""

    held = Signal(object)  # Held
    failed = Signal(object)  # KnownError
    running_changed = Signal(bool)

    def __init__(self, workspace: Workspace, worker: AccountWorker,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.worker = workspace, worker
        self._running: _Running | None = None
        self._starting = False
        self._closing = threading.Event()
        worker.crashed.connect(self._crashed)

    @property
    def running(self) -> bool:
        return self._running is not None

    def apply(self, restart: bool = False) -> None:
        """Match the settings; ``restart`` also after a change they do not show (a new
        password in the keyring)."""
        if self._starting or self._closing.is_set():
            return  # _started() looks again
        wanted = relay_settings(self.workspace.settings)
        if self._running is not None and self._running.settings == wanted and not restart:
            return
        self.stop()
        if wanted is not None:
            self._start(wanted)

    def _start(self, settings: Settings) -> None:
        self._starting = True
        database, closing = self.workspace.profile.database, self._closing

        def job() -> _Running | None:
            running = _Running.open(database, settings, self._refused)
            if closing.is_set():  # the app quit while the relay was starting
                running.close()
                return None
            return running

        self.worker.run(job, self._started, self._failed)

    def _refused(self, decision: Decision) -> None:
        """On the relay's thread: hand the news to the GUI thread, nothing more."""
        headers = decision.headers
        for held in held_from(Source.RELAY, decision.warned, headers.to, headers.subject):
            self.held.emit(held)

    def _started(self, running: object) -> None:
        self._starting = False
        if isinstance(running, _Running):
            self._running = running
            self.running_changed.emit(True)
            self.apply()  # the settings may have changed while it started

    def _failed(self, err: KnownError) -> None:
        self._starting = False
        self.failed.emit(err)

    def _crashed(self, _details: str) -> None:
        self._starting = False

    def stop(self) -> None:
        running, self._running = self._running, None
        if running is not None:
            running.close()
            self.running_changed.emit(False)

    def shutdown(self) -> None:
        self._closing.set()
        self.stop()


class DraftsWatcher(QObject):
    """One read-only pass over Drafts per minute on the account's worker, while enabled."""

    held = Signal(object)  # Held
    failed = Signal(object)  # KnownError
    checked = Signal(int)  # drafts reported in a pass

    def __init__(self, workspace: Workspace, worker: AccountWorker,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace, self.worker = workspace, worker
        self._busy = False
        self.timer = QTimer(self, interval=WATCH_INTERVAL_MS)
        self.timer.timeout.connect(self.check_now)
        worker.crashed.connect(self._crashed)

    @property
    def enabled(self) -> bool:
        settings = self.workspace.settings
        return settings.relay.watch_drafts and settings.account.configured

    def apply(self) -> None:
        if not self.enabled:
            self.timer.stop()
            return
        if not self.timer.isActive():
            self.timer.start()
            self.check_now()

    def check_now(self) -> None:
        if self._busy or not self.enabled:
            return
        self._busy = True
        database, settings = self.workspace.profile.database, self.workspace.settings

        def job() -> list[Any]:
            from netguard.watch import watch

            conn = open_store(database)
            try:
                return list(watch(conn, settings, once=True))
            finally:
                conn.close()

        self.worker.run(job, self._done, self._failed)

    def _done(self, reports: object) -> None:
        self._busy = False
        found = list(reports) if isinstance(reports, list) else []
        for report in found:
            warned = report.verdict.recipients
            to = tuple(Address(a) for a in report.to)
            for held in held_from(Source.DRAFT, warned, to, report.subject):
                self.held.emit(held)
        self.checked.emit(len(found))

    def _failed(self, err: KnownError) -> None:
        self._busy = False
        self.failed.emit(err)

    def _crashed(self, _details: str) -> None:
        self._busy = False

    def shutdown(self) -> None:
        self.timer.stop()


class OutboxGuard(QObject):
    """Both ways in, behind one object the window talks to."""

    held = Signal(object)  # Held, from either
    relay_failed = Signal(object)  # KnownError, for the calm banner
    drafts_failed = Signal(object)  # KnownError; the watcher tries again in a minute

    def __init__(self, workspace: Workspace, worker: AccountWorker,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.relay = RelayRunner(workspace, worker, self)
        self.drafts = DraftsWatcher(workspace, worker, self)
        queued = Qt.ConnectionType.QueuedConnection  # the relay's news comes from its thread
        self.relay.held.connect(self.held, queued)
        self.drafts.held.connect(self.held, queued)
        self.relay.failed.connect(self.relay_failed)
        self.drafts.failed.connect(self.drafts_failed)

    def apply(self, restart: bool = False) -> None:
        self.relay.apply(restart)
        self.drafts.apply()

    def shutdown(self) -> None:
        self.drafts.shutdown()
        self.relay.shutdown()
