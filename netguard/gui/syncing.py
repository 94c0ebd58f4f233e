"""Background sync of the account: progress, Cancel, and a periodic timer.

The job runs on the account's worker; it asks netguard.accounts for the login (the password
from the keyring, or OAuth2) and opens its own store connection there (a SQLite connection
belongs to one thread). After a first sync the lookup indexes the load set aside are built in a
job of their own, once the window has been told (and reads the report, which needs none of
them): until then a contact's pane reads without them.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from netguard.errors import KnownError
from netguard.gui.worker import AccountWorker
from netguard.store import open_store
from netguard.store.db import missing_indexes
from netguard.store.sync_log import last_sync, record_sync
from netguard.workspace import Workspace


class SyncRunner(QObject):
    started = Signal()
    progress = Signal(str, int, int)  # folder, done, total
    finished = Signal(object)  # SyncResult
    cancelled = Signal()
    failed = Signal(object)  # KnownError
    ended = Signal()  # after any of the above, and after a crash

    def __init__(self, workspace: Workspace, worker: AccountWorker,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.worker = worker
        self.last_sync: datetime | None = last_sync(workspace.store)  # kept in the store
        self._cancel = threading.Event()
        self._running = False
        self._lookups_left = False  # a first sync left lookup indexes to build
        worker.crashed.connect(self._crashed)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.start)
        self.set_interval(workspace.settings.sync.interval_minutes)

    @property
    def running(self) -> bool:
        return self._running

    def set_interval(self, minutes: int) -> None:
        self.timer.stop()
        if minutes > 0:
            self.timer.start(minutes * 60_000)

    def start(self) -> None:
        settings = self.workspace.settings
        account = settings.account
        if self._running or not account.configured:
            return
        self._running = True
        self._cancel.clear()
        self.started.emit()
        database = self.workspace.profile.database
        rules = self.workspace.settings.rules

        def job() -> Any:
            # On this worker thread, when a sync starts: keyring's backend discovery and the
            # IMAP client do not slow the window's start.
            from netguard.accounts.credentials import credentials_for
            from netguard.analysis.first_load import FirstLoad
            from netguard.analysis.summary import keep_up
            from netguard.mail.sync import sync

            conn = open_store(database)
            try:
                credentials = credentials_for(settings)
                first_load = FirstLoad(conn, rules.bulk_recipients)
                result = sync(account, credentials, conn, progress=self.progress.emit,
                              should_cancel=self._cancel.is_set, on_stored=first_load.add)
                if not result.cancelled and not result.failed:  # complete syncs only
                    record_sync(conn)
                # here, not on the window's thread; the lookup indexes after the report
                keep_up(conn, rules.bulk_recipients, first_load, lookups=False)
                self._lookups_left = bool(missing_indexes(conn))
                return result
            finally:
                conn.close()

        self.worker.run(job, self._done, self._failed)

    def _build_lookups(self) -> None:
        """The lookup indexes a first load set aside, on the worker (``open_store`` builds
        them), after the window has the sync's result."""
        self._lookups_left = False
        database = self.workspace.profile.database
        self.worker.run(lambda: open_store(database).close(), lambda _: None)

    def cancel(self) -> None:
        self._cancel.set()

    def _done(self, result: Any) -> None:
        self._running = False
        if self._cancel.is_set() or getattr(result, "cancelled", False):
            self.cancelled.emit()
        else:
            self.last_sync = last_sync(self.workspace.store)
            self.finished.emit(result)
        self.ended.emit()
        if self._lookups_left:
            self._build_lookups()

    def _failed(self, err: KnownError) -> None:
        self._running = False
        if self._cancel.is_set():
            self.cancelled.emit()
        else:
            self.failed.emit(err)
        self.ended.emit()

    def _crashed(self, _details: str) -> None:
        if self._running:
            self._running = False
            self.ended.emit()
