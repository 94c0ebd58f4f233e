"""The status bar shows the last complete sync, also after the app was restarted."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from netguard.gui import i18n
from netguard.gui.app import start_session
from netguard.gui.main_window import MainWindow, local_time
from netguard.gui.notices import CrashReporter
from netguard.gui.worker import AccountWorker, InlineExecutor
from netguard.settings import Account
from netguard.store.sync_log import record_sync
from netguard.workspace import Workspace


def open_window(qtbot: Any) -> tuple[MainWindow, Workspace]:
    workspace = Workspace.open()
    session = start_session(workspace)
    session.lang = i18n.install("en")
    window = MainWindow(session, AccountWorker(InlineExecutor()), CrashReporter(show=False))
    qtbot.addWidget(window)
    return window, workspace


def with_account() -> Workspace:
    workspace = Workspace.open()
    workspace.save_settings(replace(workspace.settings, account=Account(
        host="mail.example.nl", user="me@example.nl")))
    return workspace


def test_a_restarted_window_shows_the_stored_sync_time(home: Path, qapp: Any, qtbot: Any
                                                       ) -> None:
    workspace = with_account()
    window, _ = open_window(qtbot)
    assert window.sync_label.text() == "Not synced yet."
    window.close()
    when = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    record_sync(workspace.store, when)
    workspace.close()

    restarted, reopened = open_window(qtbot)
    assert restarted.syncer.last_sync == when
    assert restarted.sync_label.text() == f"Last sync: {local_time(when)}"
    assert str(when.astimezone().year) in restarted.sync_label.text()  # not today: with date
    restarted.close()
    reopened.close()


def test_a_sync_today_shows_only_the_clock() -> None:
    now = datetime.now(UTC)
    assert local_time(now) == now.astimezone().strftime("%H:%M")


def test_the_time_until_midnight_is_local_and_never_zero() -> None:
    from netguard.gui.day_timer import msecs_to_midnight

    zone = timezone(timedelta(hours=2))
    assert msecs_to_midnight(datetime(2026, 11, 28, 23, 59, 30, tzinfo=zone)) == 31_000
    assert msecs_to_midnight(datetime(2026, 11, 28, 0, 0, 0, tzinfo=zone)) == 86_401_000
    assert msecs_to_midnight(datetime(2026, 12, 31, 23, 59, 59, 900_000, tzinfo=zone)) == 1_100


def test_at_midnight_the_last_sync_is_shown_with_its_date(home: Path, qapp: Any, qtbot: Any
                                                          ) -> None:
    workspace = with_account()
    window, opened = open_window(qtbot)
    assert window.day_timer.timer.isActive()
    assert window.day_timer.timer.remainingTime() <= 86_401_000
    yesterday = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    window.syncer.last_sync = yesterday  # the label still says what it said before midnight
    with qtbot.waitSignal(window.day_timer.new_day):
        window.day_timer.timer.timeout.emit()
    assert window.sync_label.text() == f"Last sync: {local_time(yesterday)}"
    assert window.day_timer.timer.isActive(), "armed again for the next midnight"
    window.close()
    opened.close()
    workspace.close()
