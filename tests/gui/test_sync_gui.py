"""Sync from a real Dovecot in the background: progress, the table updates, Cancel stops
cleanly, and a wrong password is a calm banner rather than a crash."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from email.utils import format_datetime
from typing import Any

import pytest

from netguard import secrets
from netguard.gui import i18n
from netguard.gui.app import start_session
from netguard.gui.main_window import MainWindow
from netguard.gui.session import Session
from netguard.gui.worker import AccountWorker, SerialExecutor
from netguard.settings import Account
from netguard.store.sync_log import last_sync
from netguard.workspace import Workspace
from tests.servers.dovecot import DovecotServer, User


@pytest.fixture(scope="module")
def server() -> Iterator[DovecotServer]:
    started = DovecotServer.start()
    yield started
    started.stop()


def message(sender: str, to: str, subject: str, day: int) -> bytes:
    from datetime import UTC, datetime

    when = format_datetime(datetime(2026, 11, day, 10, 0, tzinfo=UTC))
    return (f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: {when}\r\n"
            f"Message-ID: <{subject.replace(' ', '.')}.{day}@test>\r\n\r\nHello\r\n").encode()


@pytest.fixture
def mailbox(server: DovecotServer) -> tuple[User, Account]:
    user = server.new_user()
    for day in (10, 12, 14):
        server.append(user, "Sent", message(user.name, "Mira Stone <mira@stone.example>",
                                            "Proposal", day))
    server.append(user, "INBOX", message("Mira Stone <mira@stone.example>", user.name,
                                         "Re: Proposal", 11))
    account = Account(host=server.host, port=server.port, user=user.name, security="plain",
                      timeout_seconds=10.0)
    return user, account


@contextmanager
def window_for(account: Account, qtbot: Any) -> Iterator[tuple[MainWindow, Session]]:
    """The app's window on a fresh profile with ``account``, syncing on a real worker."""
    workspace = Workspace.open()
    workspace.save_settings(replace(workspace.settings, account=account))
    session = start_session(workspace)
    session.lang = i18n.install("en")
    worker = AccountWorker(SerialExecutor())
    window = MainWindow(session, worker)
    window.crashes.show = False
    qtbot.addWidget(window)
    try:
        yield window, session
    finally:
        worker.shutdown()
        workspace.close()


@pytest.fixture
def synced_window(home: Any, qapp: Any, qtbot: Any, mailbox: tuple[User, Account]
                  ) -> Iterator[tuple[MainWindow, Session]]:
    with window_for(mailbox[1], qtbot) as opened:
        yield opened


def test_sync_runs_in_the_background_and_fills_the_table(synced_window: Any, qtbot: Any,
                                                         mailbox: tuple[User, Account]) -> None:
    window, _session = synced_window
    secrets.set_password(mailbox[0].name, mailbox[0].password)
    assert window.model.rowCount() == 0
    progress: list[tuple[str, int, int]] = []
    window.syncer.progress.connect(lambda *args: progress.append(args))
    with qtbot.waitSignal(window.syncer.finished, timeout=30_000):
        window.sync_now()
        assert window.syncer.running and not window.progress.isHidden()  # GUI thread is free
    assert progress and any(folder == "Sent" for folder, _done, _total in progress)
    qtbot.waitUntil(window.progress.isHidden)
    assert window.model.row_of("mira@stone.example") >= 0
    mira = window.model.contact(window.model.row_of("mira@stone.example"))
    assert mira.sent == 3 and mira.received == 1
    assert "Last sync" in window.sync_label.text()
    assert window.crashes.reports == []
    stored = last_sync(_session.conn)
    assert stored is not None and window.syncer.last_sync == stored
    restarted = MainWindow(_session, AccountWorker(SerialExecutor()))
    qtbot.addWidget(restarted)
    assert restarted.sync_label.text() == window.sync_label.text()
    restarted.worker.shutdown()


def test_cancel_stops_cleanly_and_the_next_sync_works(synced_window: Any, qtbot: Any,
                                                      mailbox: tuple[User, Account]) -> None:
    window, _session = synced_window
    secrets.set_password(mailbox[0].name, mailbox[0].password)
    with qtbot.waitSignal(window.syncer.cancelled, timeout=30_000):
        window.sync_now()
        window.cancel_button.click()
    qtbot.waitUntil(lambda: not window.syncer.running)
    assert window.cancel_button.isHidden() and window.sync_action.isEnabled()
    assert "cancelled" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.syncer.finished, timeout=30_000):
        window.sync_now()
    assert window.model.row_of("mira@stone.example") >= 0
    assert window.crashes.reports == []


def test_wrong_password_shows_the_banner_not_a_crash(synced_window: Any, qtbot: Any,
                                                     mailbox: tuple[User, Account]) -> None:
    window, _session = synced_window
    secrets.set_password(mailbox[0].name, "not-the-password")
    with qtbot.waitSignal(window.syncer.failed, timeout=30_000):
        window.sync_now()
    assert not window.banner.isHidden()
    assert window.banner.message()
    assert window.crashes.reports == []
    assert window.crashes.dialog is None


def test_missing_password_is_a_known_error_too(synced_window: Any, qtbot: Any) -> None:
    window, _session = synced_window
    with qtbot.waitSignal(window.syncer.failed, timeout=30_000):
        window.sync_now()
    assert "keyring" in window.banner.message()
    assert window.crashes.reports == []


def test_account_dialog_tests_the_connection_off_the_gui_thread(
        synced_window: Any, qtbot: Any, mailbox: tuple[User, Account]) -> None:
    from netguard.gui.account_dialog import AccountDialog

    window, session = synced_window
    dialog = AccountDialog(session, window.worker, window)
    qtbot.addWidget(dialog)
    dialog.password.setText(mailbox[0].password)
    dialog.test_connection()
    assert not dialog.test_button.isEnabled()  # the job runs in the background
    qtbot.waitUntil(dialog.test_button.isEnabled, timeout=30_000)
    assert dialog.test_label.text().startswith("Connected")
    assert dialog.probe is not None and dialog.probe.sent == "Sent"
    assert "Verzonden items" in [dialog.sent.itemText(i) for i in range(dialog.sent.count())]
    dialog.password.setText("wrong")
    dialog.test_connection()
    qtbot.waitUntil(dialog.test_button.isEnabled, timeout=30_000)
    assert not dialog.test_label.text().startswith("Connected")
    assert window.crashes.reports == []


def test_a_folder_that_fails_is_an_error_banner_and_the_rest_is_shown(
        home: Any, qapp: Any, qtbot: Any) -> None:
    from tests.servers.hostile_imap import HostileImap, Script

    refused = b"Archief \xe9t\xe9"  # a raw 8-bit name a strict server refuses on EXAMINE
    with (HostileImap(Script(refuse={refused}, extra=[(refused, b"\\Archive")])) as server,
          window_for(server.account(), qtbot) as (window, session)):
        secrets.set_password("me", "pw")
        with qtbot.waitSignal(window.syncer.finished, timeout=30_000):
            window.sync_now()
        assert window.banner.kind == "error"
        assert "Some folders could not be synced" in window.banner.message()
        assert "Archief" in window.banner.message()
        assert window.model.rowCount() > 0  # Sent and INBOX were synced all the same
        assert last_sync(session.conn) is None  # not a complete sync
        assert window.crashes.reports == []
