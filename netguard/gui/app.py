"""Starting the desktop app: the QApplication, its look, the language, the crash reporter,
and the two ways in — the user's profile, or the demo mailbox (optionally as a screenshot)."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

from netguard import collector
from netguard.gui import i18n, states, style
from netguard.gui.main_window import MainWindow
from netguard.gui.notices import CrashReporter
from netguard.gui.outbox_guard import OutboxGuard
from netguard.gui.sending import sender_for
from netguard.gui.session import Session
from netguard.gui.worker import AccountWorker
from netguard.workspace import Workspace

if TYPE_CHECKING:
    from netguard.analysis.report_process import ReportProcess
    from netguard.gui.tray import Tray

SCREEN_SIZE = (1280, 800)


def application() -> QApplication:
    """The one QApplication, created on first use and styled."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    if app.property("netguard-styled"):
        return app
    app.setProperty("netguard-styled", True)
    app.setApplicationName("NetGuard")
    app.setOrganizationName("NetGuard")
    app.setStyle("Fusion")
    app.setPalette(style.palette())
    font = QFont(app.font())
    font.setPointSizeF(10.0)
    app.setFont(font)
    app.setStyleSheet(style.STYLE)
    app.setWindowIcon(states.icon("netguard-app"))
    return app


class Shell:
    """Owns the worker, the outbox guard and the window; rebuilds the window when the language
    changes (the relay keeps running). Closing the window into the tray keeps its periodic sync
    running; only quitting (``shutdown``) stops it."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.worker = AccountWorker()
        self.guard = OutboxGuard(session.workspace, self.worker)
        self.crashes = CrashReporter()
        self.window: MainWindow | None = None
        self.tray: Tray | None = None

    def open(self) -> MainWindow:
        window = MainWindow(self.session, self.worker, self.crashes, guard=self.guard)
        AfterFirstPaint(window.table.viewport(), window.build_hidden)
        AfterFirstPaint(window.table.viewport(), collector.resume)
        self.crashes.parent = window
        window.language_changed.connect(self.switch_language)
        self.window = window
        return window

    def switch_language(self, setting: str) -> None:
        self.session.lang = i18n.install(i18n.resolve(setting))
        old = self.window
        window = self.open()
        if old is not None:
            window.restoreGeometry(old.saveGeometry())
            old.stop_syncing()  # the new window's runner takes over
            old.close()
            old.deleteLater()
        window.show()

    def start_tray(self) -> Tray | None:
        """The tray icon, where the desktop has one; the app then outlives its window."""
        from netguard.gui.tray import Tray
        from netguard.gui.tray import available as tray_available

        if not tray_available():
            return None
        self.tray = Tray(self.session, self.guard, self.show_window, application().quit,
                         allow=lambda address: self.shown_window().allow_once(address),
                         close_loop=lambda address: self.shown_window().close_the_loop(address))
        application().setQuitOnLastWindowClosed(False)
        return self.tray

    def show_window(self) -> None:
        window = self.window or self.open()
        window.showNormal()
        window.raise_()
        window.activateWindow()
        if self.tray is not None:
            self.tray.seen()

    def shown_window(self) -> MainWindow:
        """The window, shown: a desktop notification's buttons use its own *Allow once* and
        *Close the loop instead*."""
        self.show_window()
        return self.window or self.open()

    def shutdown(self) -> None:
        if self.window is not None:
            self.window.stop_syncing()
        self.guard.shutdown()  # the relay stops before the worker finishes its last job
        self.worker.shutdown()


class AfterFirstPaint(QObject):
    """Calls ``then`` once, right after ``widget`` has painted for the first time."""

    def __init__(self, widget: QWidget, then: Callable[[], object]) -> None:
        super().__init__(widget)
        self._then = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._then)
        return False


def start_session(workspace: Workspace, *, demo: bool = False,
                  fixed_now: datetime | None = None,
                  early: ReportProcess | None = None) -> Session:
    """The session; ``early``: its first report, started before the GUI's modules loaded."""
    application()
    lang = i18n.install(i18n.resolve(workspace.settings.language))
    return Session(workspace, lang=lang, demo=demo, fixed_now=fixed_now,
                   sender=sender_for(workspace, demo), early=early)


def run_app(workspace: Workspace, background: bool = False,
            early: ReportProcess | None = None) -> int:
    """The app on the user's profile; returns the exit code. With a system tray, closing the
    window leaves the outbox guard running until *Quit NetGuard*; ``background`` starts
    without showing the window (minimised where there is no tray). ``early``: the first
    report, started before the GUI's modules loaded (``cli.demo``)."""
    session = start_session(workspace, early=early)
    shell = Shell(session)
    shell.crashes.install()
    window = shell.open()
    if background:
        collector.resume()  # no paint to wait for
        if shell.start_tray() is None:
            from netguard.gui.tray import fall_back

            fall_back(window)
    else:
        window.show()
        AfterFirstPaint(window.table.viewport(), shell.start_tray)
    if workspace.settings.account.configured:
        # The sync starts on the worker (its imports hold the GIL): after the first paint.
        if background:
            QTimer.singleShot(0, window.sync_now)
        else:
            AfterFirstPaint(window.table.viewport(), window.sync_now)
    code = application().exec()
    shell.shutdown()
    return int(code)


def run_demo(screenshot: str | None = None, view: str = "dashboard") -> int:
    from netguard.demo_mailbox import DEMO_AT, demo_workspace

    with tempfile.TemporaryDirectory(prefix="netguard-demo-") as root:
        workspace = demo_workspace(Path(root))
        try:
            session = start_session(workspace, demo=True, fixed_now=DEMO_AT)
            shell = Shell(session)
            window = shell.open()
            if screenshot:
                save_view(window, view, Path(screenshot))
                window.close()
                shell.shutdown()
                return 0
            shell.crashes.install()
            window.show()
            code = application().exec()
            shell.shutdown()
            return int(code)
        finally:
            workspace.close()


def show_view(window: MainWindow, view: str,
              size: tuple[int, int] = SCREEN_SIZE) -> QWidget:
    """Put ``window`` in the state of ``view`` and return the widget that shows it."""
    window.resize(*size)
    window.show()
    contacts = window.report.contacts if window.report else ()
    if view == "dashboard":
        return window
    if view == "week":
        window.show_this_week()
        return window
    limit = window.session.rules.followup_limit
    pick = next((c for c in contacts if c.followups_in_window + 1 >= limit and not c.muted),
                contacts[0] if contacts else None)
    if view == "contact":
        if pick is not None:
            window.select_contact(pick.address)
        return window
    composer = window.open_composer(pick.address if pick else "")
    composer.resize(*size)
    return composer


def save_view(window: MainWindow, view: str, path: Path) -> Path:
    widget = show_view(window, view)
    if view == "dashboard":
        window.overview.setFocus()  # no focus frame on a table cell in the picture
    return grab(widget, path)


def grab(widget: QWidget, path: Path) -> Path:
    """Save what ``widget`` shows, once its layout has settled, to ``path`` (a PNG)."""
    app = application()
    for _ in range(3):
        app.processEvents()
    for child in widget.findChildren(QWidget):  # offscreen, the pointer "hovers" at (0, 0)
        if child.underMouse():
            QApplication.sendEvent(child, QEvent(QEvent.Type.Leave))
    path.parent.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(path)):
        raise OSError(f"cannot write {path}")
    return path
