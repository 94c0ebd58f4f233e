"""In the background (issue 19): offscreen has no tray, so the fallback is tested, and the
tray's logic through its model and its object; the relay and watcher outlive the window and
stop on quit."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel, QSystemTrayIcon

from netguard.gui import tray
from netguard.gui.app import Shell
from netguard.gui.outbox_guard import Held, Source
from netguard.gui.session import Session
from netguard.gui.tray_model import NO_TRAY, TrayState, held_message, review_due


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
    assert "Open NetGuard to allow it once" in body  # a tray message has no buttons
    assert "Open NetGuard" not in held_message("Frank", 4, 7, buttons=True)[1]


def test_a_held_message_reaches_the_desktop_once_through_the_tray_not_the_window(
        session: Session, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    shell = Shell(session)
    try:
        window = shell.open()
        qtbot.addWidget(window)
        window.show_held(Held(Source.RELAY, "frank@example.com", "Frank", 4, 7, "Any news?"))
        assert window.held_notices.notice_for("frank@example.com") is not None
        assert window.findChildren(QSystemTrayIcon) == []  # the tray's own icon says it once
    finally:
        shell.shutdown()


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
        icon = tray.Tray(session, shell.guard, lambda: opened.append(True),
                         lambda: quits.append(True))
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


def test_the_weekly_reminder_comes_once_on_its_day_from_its_hour() -> None:
    monday_nine = datetime(2026, 11, 23, 9, 0)
    assert review_due(monday_nine, 0, time(9, 0), None)
    assert not review_due(monday_nine.replace(hour=8), 0, time(9, 0), None)
    assert not review_due(monday_nine, 0, time(9, 0), date(2026, 11, 23))  # shown today
    assert review_due(monday_nine + (datetime(2026, 11, 30) - datetime(2026, 11, 23)), 0,
                      time(9, 0), date(2026, 11, 23))  # next week again
    assert not review_due(monday_nine.replace(day=24), 0, time(9, 0), None)  # Tuesday


def test_the_tray_reminds_of_the_review_with_its_size(session: Session, qtbot: Any) -> None:
    shell = Shell(session)
    try:
        icon = tray.Tray(session, shell.guard, lambda: None, lambda: None)
        friday = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # the demo's moment; default: Monday
        assert not icon.check_review(friday)
        monday = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
        assert icon.check_review(monday)
        assert icon.review_shown == date(2026, 11, 23)
        assert not icon.check_review(monday.replace(hour=10))  # once a day
    finally:
        shell.shutdown()


def test_periodic_sync_goes_on_with_the_window_in_the_tray_and_stops_on_quit(
        session: Session, qtbot: Any) -> None:
    shell = Shell(session)
    window = shell.open()
    qtbot.addWidget(window)
    window.syncer.set_interval(15)
    window.close()  # into the tray: the app keeps running
    assert window.syncer.timer.isActive()
    assert window.syncer.timer.interval() == 15 * 60_000
    shell.shutdown()  # what Quit NetGuard leads to
    assert not window.syncer.timer.isActive()


def test_a_window_of_its_own_stops_syncing_when_closed(session: Session, qtbot: Any) -> None:
    from netguard.gui.main_window import MainWindow

    window = MainWindow(session)  # no shell, no tray: closing ends it
    qtbot.addWidget(window)
    window.syncer.set_interval(15)
    window.close()
    assert not window.syncer.timer.isActive()


def test_the_networking_hour_chosen_in_settings_is_saved_and_moves_the_reminder(
        session: Session, qtbot: Any) -> None:
    from PySide6.QtCore import QTime

    from netguard.gui.settings_dialog import SettingsDialog
    from netguard.settings import load

    shell = Shell(session)
    try:
        dialog = SettingsDialog(session)
        qtbot.addWidget(dialog)
        assert dialog.hour_day.currentText() == "Monday"  # the default, Monday 09:00
        assert dialog.hour_time.time() == QTime(9, 0)
        dialog.hour_day.setCurrentIndex(dialog.hour_day.findText("Wednesday"))
        dialog.hour_time.setTime(QTime(14, 30))
        dialog.save()
        on_disk = load(session.workspace.profile.settings_file).calendar
        assert (on_disk.day, on_disk.time) == ("wed", "14:30")
        icon = tray.Tray(session, shell.guard, lambda: None, lambda: None)
        assert not icon.check_review(datetime(2026, 11, 23, 9, 30, tzinfo=UTC))  # Monday
        assert not icon.check_review(datetime(2026, 11, 25, 14, 0, tzinfo=UTC))  # too early
        assert icon.check_review(datetime(2026, 11, 25, 14, 45, tzinfo=UTC))
    finally:
        shell.shutdown()


def test_the_networking_hour_speaks_dutch(session: Session, qtbot: Any) -> None:
    from netguard.gui import i18n
    from netguard.gui.settings_dialog import SettingsDialog

    session.lang = i18n.install("nl")
    dialog = SettingsDialog(session)
    qtbot.addWidget(dialog)
    assert [dialog.hour_day.itemText(i) for i in (0, 6)] == ["maandag", "zondag"]
    label = dialog.ui.findChild(QLabel, "hour_label")
    assert label is not None and label.text() == "Mijn netwerkuur:"
