"""The lint's first load (issue 18), in a thread, started when a composer first needs it.

Loading the lint (both lexicons, the models, the lemma tables) is ≈0.12 s of Python; its
patterns are compiled as drafts need them (``phrases_index.Patterns``: at once they took
≈0.7 s). In the window's thread the load would stall the composer; in a thread at launch the
whole load took Python's lock from the window's thread for most of a second, so a contact's
pane, whose SQLite rows each wait for the lock back, took up to a second to show
(`bench/dashboard.py`).
So nothing loads it until a composer asks: its notes say the checks are loading, and ``ready``
(in the window's thread) tells it to check the draft.
"""

from __future__ import annotations

import logging
import threading
from functools import cache

from PySide6.QtCore import QObject, QTimer, Signal

from netguard.lint.engine import warm_up, warmed

log = logging.getLogger(__name__)


class LintLoading(QObject):
    """The process's one load of the lint; ``ready`` once it has ended."""

    ready = Signal()
    _finished = Signal()  # emitted in the loading thread, delivered in the window's

    def __init__(self) -> None:
        super().__init__()
        self._asked = False
        self._ended = threading.Event()
        self._finished.connect(self.ready)

    def ready_now(self) -> bool:
        """Whether a lint runs without loading first; if not, the load starts (once, once the
        events already queued are handled: the composer's showing and the window's repaints
        would otherwise wait for Python's lock call after call) and ``ready`` follows. A load
        that failed counts as ended: the lint then loads (or fails) where it is called."""
        if warmed() or self._ended.is_set():
            return True
        if not self._asked:
            self._asked = True
            QTimer.singleShot(0, self._start)
        return False

    def _start(self) -> None:
        threading.Thread(target=self._load, name="lint-loading", daemon=True).start()

    def _load(self) -> None:
        try:
            warm_up()
        except Exception:  # a damaged resource: the composer's own call reports it
            log.exception("Could not load the draft checks")
        finally:
            self._ended.set()
        self._finished.emit()


@cache
def lint_loading() -> LintLoading:
    """The process's ``LintLoading`` (made in the window's thread, by the first composer)."""
    return LintLoading()
