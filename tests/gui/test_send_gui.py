"""The composer hands a message to the core's guarded send on the account's worker, through a
real SMTP server; the store counts it at once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from netguard import secrets
from netguard.gui import i18n
from netguard.gui.app import start_session
from netguard.gui.main_window import MainWindow
from netguard.gui.sending import AccountSender
from netguard.gui.worker import AccountWorker, SerialExecutor
from netguard.settings import Account
from netguard.workspace import Workspace
from tests.servers.smtp import SmtpServer

USER, PASSWORD = "me@mine.example", "smtp-secret"


@pytest.fixture
def smtp(tmp_path: Any) -> Iterator[SmtpServer]:
    server = SmtpServer("plain", USER, PASSWORD, cert_dir=tmp_path).start()
    yield server
    server.stop()


def test_send_goes_through_smtp_off_the_gui_thread(home: Any, qapp: Any, qtbot: Any,
                                                   smtp: SmtpServer) -> None:
    workspace = Workspace.open()
    account = Account(user=USER, smtp_host=smtp.host, smtp_port=smtp.port,
                      smtp_security="plain", timeout_seconds=10.0)
    workspace.save_settings(replace(workspace.settings, account=account))
    secrets.set_password(USER, PASSWORD)
    session = start_session(workspace)
    session.lang = i18n.install("en")
    assert isinstance(session.sender, AccountSender)
    worker = AccountWorker(SerialExecutor())
    window = MainWindow(session, worker)
    window.crashes.show = False
    qtbot.addWidget(window)
    try:
        composer = window.open_composer()
        composer.to_edit.setText("mira@stone.example")
        composer.subject_edit.setText("Thank you")
        composer.body.setPlainText("Hi Mira, thank you for the introduction last week.")
        with qtbot.waitSignal(composer.sent, timeout=30_000):
            composer.send()
        assert [r.rcpt_tos for r in smtp.received] == [("mira@stone.example",)]
        assert window.model.row_of("mira@stone.example") >= 0  # counted at once
        assert window.crashes.reports == []
    finally:
        worker.shutdown()
        workspace.close()
