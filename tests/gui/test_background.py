"""The account worker: jobs run one at a time off the GUI thread, results come back through
signals on the GUI thread; the periodic sync timer follows the settings."""

from __future__ import annotations

import threading
from typing import Any

from netguard.errors import NetworkError
from netguard.gui.main_window import MainWindow
from netguard.gui.worker import AccountWorker, SerialExecutor


def test_jobs_run_serially_off_the_gui_thread_and_report_back_on_it(qapp: Any,
                                                                   qtbot: Any) -> None:
    worker = AccountWorker(SerialExecutor())
    gui = threading.get_ident()
    ran: list[tuple[int, int]] = []
    delivered: list[tuple[int, int]] = []
    try:
        for n in range(5):
            worker.run(lambda n=n: ran.append((n, threading.get_ident())) or n,
                       lambda value: delivered.append((value, threading.get_ident())))
        qtbot.waitUntil(lambda: len(delivered) == 5)
    finally:
        worker.shutdown()
    assert [n for n, _ in ran] == [0, 1, 2, 3, 4]
    assert all(thread != gui for _, thread in ran)
    assert delivered == [(n, gui) for n in range(5)]
    assert not worker.busy


def test_a_known_error_from_a_job_goes_to_the_banner(qapp: Any, qtbot: Any) -> None:
    worker = AccountWorker(SerialExecutor())
    errors: list[object] = []
    worker.known_error.connect(errors.append)

    def unreachable() -> None:
        raise NetworkError("The server imap.example.test could not be reached.")

    try:
        with qtbot.waitSignal(worker.known_error):
            worker.run(unreachable, lambda _v: None)
    finally:
        worker.shutdown()
    assert [str(e) for e in errors] == ["The server imap.example.test could not be reached."]


def test_periodic_sync_follows_the_settings(window: MainWindow) -> None:
    timer = window.syncer.timer
    assert timer.isActive() and timer.interval() == 15 * 60_000
    window.syncer.set_interval(0)
    assert not timer.isActive()
    window.syncer.set_interval(30)
    assert timer.isActive() and timer.interval() == 30 * 60_000


def test_sync_without_an_account_invites_to_set_one_up(window: MainWindow) -> None:
    window.session.demo = False
    window.sync_now()
    assert "Set up your mail account" in window.banner.message()
    assert window.banner.action.text() == "Set up account…"
