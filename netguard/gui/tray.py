"""NetGuard in the background (issue 19): a system tray icon with the state of the outbox
guard and the Drafts watcher, a notification when the guard holds a message back, *Start
NetGuard when I log in*, and *Quit NetGuard*, which stops relay and watcher cleanly. Where the
desktop has no tray, the window minimises instead and says why (``fall_back``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QSystemTrayIcon

from netguard import autostart
from netguard.analysis.review import build_review
from netguard.calendar.ics import parse_day, parse_time
from netguard.errors import UsageError
from netguard.gui import states
from netguard.gui.desktop_notify import DesktopNotifier
from netguard.gui.i18n import t
from netguard.gui.outbox_guard import Held, OutboxGuard, Source
from netguard.gui.session import Session
from netguard.gui.tray_model import (
    NO_TRAY,
    TrayState,
    held_message,
    review_due,
    review_message,
)

REVIEW_CHECK_MS = 10 * 60 * 1000  # the weekly reminder is looked at every ten minutes


def available() -> bool:
    return QSystemTrayIcon.isSystemTrayAvailable()


class Tray(QObject):
    def __init__(self, session: Session, guard: OutboxGuard, show_window: Callable[[], None],
                 quit_app: Callable[[], None], parent: Any = None, *,
                 allow: Callable[[str], object] | None = None,
                 close_loop: Callable[[str], object] | None = None) -> None:
        super().__init__(parent)
        self.desktop = DesktopNotifier(self)  # with buttons, where the desktop has a server
        if allow is not None:
            self.desktop.allow_requested.connect(allow)
        if close_loop is not None:
            self.desktop.close_loop_requested.connect(close_loop)
        self.session, self.guard, self.state = session, guard, TrayState()
        self.icon = QSystemTrayIcon(states.icon("netguard-app"), self)
        self.menu = QMenu()
        self.open_action = self.menu.addAction(t("Open NetGuard"), show_window)
        self.relay_action = self._status_line()
        self.watcher_action = self._status_line()
        self.menu.addSeparator()
        self.login_action = self.menu.addAction(t("Start NetGuard when I log in"))
        self.login_action.setCheckable(True)
        self.login_action.setChecked(autostart.enabled())
        self.login_action.setEnabled(autostart.supported())
        self.login_action.toggled.connect(self._login_toggled)
        self.menu.addAction(t("Quit NetGuard"), quit_app)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(lambda _reason: show_window())
        self.icon.messageClicked.connect(show_window)
        self.review_shown: date | None = None
        self.review_timer = QTimer(self, interval=REVIEW_CHECK_MS)
        self.review_timer.timeout.connect(lambda: self.check_review(datetime.now().astimezone()))
        self.review_timer.start()
        self.desktop.undelivered.connect(
            lambda title, body: self.icon.showMessage(title, body,
                                                      QSystemTrayIcon.MessageIcon.Warning))
        guard.relay.running_changed.connect(lambda _on: self.refresh())
        guard.held.connect(self.notify_held)
        self.refresh()
        self.icon.show()

    def _status_line(self) -> QAction:
        action = self.menu.addAction("")
        action.setEnabled(False)
        return action

    def refresh(self, held: int | None = None) -> None:
        settings = self.guard.relay.workspace.settings
        self.state = TrayState(self.guard.relay.running, settings.relay.port,
                               self.guard.drafts.enabled,
                               self.state.held if held is None else held)
        self.relay_action.setText(self.state.relay_line())
        self.watcher_action.setText(self.state.watcher_line())
        self.icon.setToolTip(self.state.tooltip())

    def notify_held(self, held: Held) -> None:
        name = held.name or held.address
        self.refresh(self.state.held + 1)
        if held.source is Source.RELAY and self.desktop.notify_held(
                held.address, *held_message(name, held.followups, held.window_days, buttons=True)):
            return
        title, body = held_message(name, held.followups, held.window_days)
        self.icon.showMessage(title, body, QSystemTrayIcon.MessageIcon.Warning)

    def check_review(self, now: datetime) -> bool:
        """On the networking hour's day and from its time: one notification with the review's
        size; clicking it opens the window."""
        session = self.session
        chosen = session.settings.calendar
        try:
            day, start = parse_day(chosen.day), parse_time(chosen.time)
        except UsageError:
            return False  # a hand-edited setting that means nothing: no reminder
        if not review_due(now, day, start, self.review_shown):
            return False
        self.review_shown = now.date()
        count = len(build_review(session.conn, session.rules, now, session.lang).items)
        self.icon.showMessage(*review_message(count))
        return True

    @staticmethod
    def _login_toggled(on: bool) -> None:
        autostart.set_enabled(on)

    def seen(self) -> None:
        self.refresh(0)


def fall_back(window: QMainWindow) -> None:
    """No tray: keep guarding as a minimised window, and say why."""
    window.showMinimized()
    window.statusBar().showMessage(t(NO_TRAY))
