"""Background work: one serial worker per account, results back through signals.

imapclient is not thread-safe, so everything that talks to the account (sync, test
connection, send, keyring) runs one job at a time on the account's own thread and opens its
own connection there. The executor is injectable: tests can run jobs inline.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QThreadPool, Signal, Slot

from netguard.errors import KnownError

log = logging.getLogger(__name__)


class Executor(Protocol):
    def submit(self, job: Callable[[], None]) -> None: ...
    def shutdown(self) -> None: ...


class SerialExecutor:
    """Runs jobs one after another on a single background thread."""

    def __init__(self) -> None:
        self._pool = QThreadPool()
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)

    def submit(self, job: Callable[[], None]) -> None:
        self._pool.start(job)

    def shutdown(self) -> None:
        self._pool.clear()
        self._pool.waitForDone()


class InlineExecutor:
    """Runs each job at once on the calling thread (tests)."""

    def submit(self, job: Callable[[], None]) -> None:
        job()

    def shutdown(self) -> None:
        pass


class AccountWorker(QObject):
    """The one worker of one account. ``run`` a job; its result or error arrives as a signal."""

    known_error = Signal(object)  # KnownError, for the calm banner
    crashed = Signal(str)  # a bug's traceback, for the crash dialog
    busy_changed = Signal(bool)
    _done = Signal(object, object)

    def __init__(self, executor: Executor | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.executor = executor or SerialExecutor()
        self._pending = 0
        self._done.connect(self._deliver)

    def run(self, job: Callable[[], Any], on_done: Callable[[Any], None],
            on_error: Callable[[KnownError], None] | None = None) -> None:
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)

        def task() -> None:
            try:
                outcome: tuple[Callable[[Any], None] | None, Any] = (on_done, job())
            except KnownError as err:
                outcome = (on_error, err)
            except Exception:
                log.exception("Background job failed")
                outcome = (None, traceback.format_exc())
            self._done.emit(*outcome)

        self.executor.submit(task)

    @Slot(object, object)
    def _deliver(self, callback: Callable[[Any], None] | None, value: Any) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.busy_changed.emit(False)
        if callback is not None:
            callback(value)
        elif isinstance(value, KnownError):
            self.known_error.emit(value)
        else:
            self.crashed.emit(str(value))

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def shutdown(self) -> None:
        self.executor.shutdown()
