"""In the background (issue 19): offscreen has no tray, so the fallback is tested, and the
tray's logic through its model and its object; the relay and watcher outlive the window and
stop on quit."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QSystemTrayIcon

from netguard.gui import tray
from netguard.gui.app import Shell
from netguard.gui.outbox_guard import Held, Source
from netguard.gui.session import Session
from netguard.gui.tray_model import NO_TRAY, TrayState, held_message


def test_the_model_says_what_runs() -> None:
    idle = TrayState()
    assert idle.relay_line() == "Outbox guard: not running"
    assert idle.watcher_line() == "Drafts watcher: off"
    busy = TrayState(relay_running=True, relay_port=2525, watching_drafts=True, held=2)
    assert busy.relay_line() == "Outbox guard: running on port 2525"
    assert busy.tooltip().splitlines() == [
        "NetGuard", "Outbox guard: running on port 2525",
        "Drafts watcher: checking every minute", "2 held back: open NetGuard to decide"]
    title, body = held_message("Frank", 4, 7)
    assert "Frank" in title and "follow-up number 5 within 7 days" in body


def test_offscreen_has_no_tray_and_the_window_minimises_saying_why(session: Session,
                                                                   qtbot: Any) -> None:
    assert not tray.available()
    shell = Shell(session)
    try:
        window = shell.open()
        qtbot.addWidget(window)
        assert shell.start_tray() is None
        tray.fall_back(window)
        assert window.isMinimized()
        assert window.statusBar().currentMessage() == NO_TRAY
    finally:
        shell.shutdown()


def test_the_tray_counts_held_messages_and_forgets_them_when_seen(session: Session,
                                                                  qtbot: Any) -> None:
    shell = Shell(session)
    opened: list[bool] = []
    quits: list[bool] = []
    try:
        icon = tray.Tray(shell.guard, lambda: opened.append(True), lambda: quits.append(True))
        assert icon.relay_action.text() == "Outbox guard: not running"
        held = Held(Source.RELAY, "frank@example.com", "Frank", 4, 7, "Any news?")
        shell.guard.held.emit(held)
        assert icon.state.held == 1
        assert "1 held back" in icon.icon.toolTip()
        icon.icon.messageClicked.emit()
        assert opened == [True]
        icon.seen()
        assert icon.state.held == 0
        icon.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
        assert opened == [True, True]
        quit_action = icon.menu.actions()[-1]
        assert quit_action.text() == "Quit NetGuard"
        quit_action.trigger()
        assert quits == [True]
    finally:
        shell.shutdown()


def test_the_guard_outlives_the_window_and_stops_on_quit(session: Session, qtbot: Any) -> None:
    shell = Shell(session)
    window = shell.open()
    qtbot.addWidget(window)
    shell.guard.drafts.timer.start()  # as when watching Drafts
    window.close()
    assert shell.guard.drafts.timer.isActive()  # the shell's guard is not the window's
    shell.shutdown()  # what Quit NetGuard leads to
    assert not shell.guard.drafts.timer.isActive()
