"""The composer hands a message to the core's guarded send on the account's worker, through a
real SMTP server; the store counts it at once. A close-the-loop goes out at the fifth follow-up
without a loop of warnings (SPEC §1 "Closing the loop")."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from netguard import secrets
from netguard.analysis.report import build_report
from netguard.gui import i18n
from netguard.gui.app import start_session
from netguard.gui.composer import Choice
from netguard.gui.main_window import MainWindow
from netguard.gui.sending import AccountSender
from netguard.gui.worker import AccountWorker, SerialExecutor
from netguard.settings import Account
from netguard.workspace import Workspace
from tests.gui.support import ScriptedAsker
from tests.integration.mailflow import CONTACT, seed_streak
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


def test_close_the_loop_instead_goes_out_without_a_second_warning(
        home: Any, qapp: Any, qtbot: Any, smtp: SmtpServer) -> None:
    workspace = Workspace.open()
    account = Account(user=USER, smtp_host=smtp.host, smtp_port=smtp.port,
                      smtp_security="plain", timeout_seconds=10.0)
    workspace.save_settings(replace(workspace.settings, account=account))
    secrets.set_password(USER, PASSWORD)
    seed_streak(workspace, USER, followups=4)  # the next message would be the fifth follow-up
    session = start_session(workspace)
    session.lang = i18n.install("en")
    worker = AccountWorker(SerialExecutor())
    asker = ScriptedAsker(Choice.CLOSE_LOOP)
    window = MainWindow(session, worker, asker=asker)
    window.crashes.show = False
    qtbot.addWidget(window)
    try:
        composer = window.open_composer()
        composer.to_edit.setText(CONTACT)
        composer.subject_edit.setText("Proposal")
        composer.body.setPlainText("Hi Anna, a short note on the proposal I sent you.")
        composer.send()  # the warning: the asker chooses Close the loop instead
        assert len(asker.questions) == 1 and smtp.received == []
        assert composer.form.template() == "close-the-loop"
        with qtbot.waitSignal(composer.sent, timeout=30_000) as sent:
            composer.send()
        assert len(asker.questions) == 1  # no second dialog
        assert "loop is closed" in str(sent.args[0])
        assert [r.rcpt_tos for r in smtp.received] == [(CONTACT,)]
        store = workspace.store
        assert store.execute("SELECT address FROM closings").fetchall() == [(CONTACT,)]
        assert store.execute("SELECT count(*) FROM guard_overrides").fetchone() == (0,)
        report = build_report(store, workspace.settings.rules)
        assert [c.status for c in report.contacts] == [("let-it-rest",)]
        # a second close-the-loop in the same streak is judged normally, and says why
        again = window.open_composer(CONTACT)
        assert again.form.template() == "close-the-loop"
        asker.choice = Choice.CANCEL
        again.send()
        assert asker.offered_close[-1] is False
        assert "already closed the loop" in asker.questions[-1]
        assert len(smtp.received) == 1
        assert window.crashes.reports == []
    finally:
        worker.shutdown()
        workspace.close()
