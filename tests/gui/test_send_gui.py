"""The composer hands a message to the core's guarded send on the account's worker, through a
real SMTP server; the store counts it at once. A close-the-loop goes out at the fifth follow-up
without a loop of warnings (SPEC §1 "Closing the loop")."""

from __future__ import annotations

import email
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email import policy
from email.utils import format_datetime
from typing import Any

import pytest

from netguard import secrets
from netguard.analysis.report import build_report
from netguard.gui import i18n
from netguard.gui.app import start_session
from netguard.gui.composer import Choice
from netguard.gui.main_window import MainWindow
from netguard.gui.sending import AccountSender
from netguard.gui.worker import AccountWorker, InlineExecutor, SerialExecutor
from netguard.mail.headers import parse
from netguard.model import Role
from netguard.settings import Account
from netguard.store.messages import add_batch, ensure_folder
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


def _seed(workspace: Workspace, role: Role, folder: str, raw: str) -> None:
    when = datetime.now(UTC) - timedelta(days=2 if role is Role.SENT else 1)
    raw = raw.replace("DATE", format_datetime(when))
    folder_id = ensure_folder(workspace.store, folder, role)
    add_batch(workspace.store, folder_id, [(1, parse(raw.encode(), when))], 1)


def _app_with_login_sanne(workspace: Workspace, smtp: SmtpServer) -> MainWindow:
    account = Account(user="sanne", smtp_host=smtp.host, smtp_port=smtp.port,
                      smtp_security="plain", timeout_seconds=10.0)
    workspace.save_settings(replace(workspace.settings, account=account))
    secrets.set_password("sanne", PASSWORD)
    session = start_session(workspace)
    session.lang = i18n.install("en")
    window = MainWindow(session, AccountWorker(InlineExecutor()))
    window.crashes.show = False
    return window


def test_a_reply_from_the_app_is_sent_as_me_on_my_domain_and_threaded(
        home: Any, qapp: Any, qtbot: Any, tmp_path: Any) -> None:
    """Issue 15.4: the login is "sanne", not an address; From comes from Sent, not the login."""
    smtp = SmtpServer("plain", "sanne", PASSWORD, cert_dir=tmp_path).start()
    workspace = Workspace.open()
    _seed(workspace, Role.SENT, "Sent",
          "From: Sanne de Vries <sanne@example.nl>\r\nTo: Mira <mira@stone.example>\r\n"
          "Subject: Introduction\r\nDate: DATE\r\nMessage-ID: <intro@example.nl>\r\n\r\nHi\r\n")
    _seed(workspace, Role.RECEIVED, "INBOX",
          "From: Mira <mira@stone.example>\r\nTo: sanne@example.nl\r\n"
          "Subject: Re: Introduction\r\nDate: DATE\r\nMessage-ID: <answer@stone.example>\r\n"
          "In-Reply-To: <intro@example.nl>\r\nReferences: <intro@example.nl>\r\n\r\nThanks\r\n")
    window = _app_with_login_sanne(workspace, smtp)
    qtbot.addWidget(window)
    try:
        composer = window.open_composer()
        composer.to_edit.setText("mira@stone.example")
        composer.subject_edit.setText("Re: Introduction")
        composer.body.setPlainText("Hi Mira, thank you for your answer about the workshop.")
        composer.send()
        [received] = smtp.received
        assert received.mail_from == "sanne@example.nl"
        message = email.message_from_bytes(received.content, policy=policy.default)
        assert str(message["From"]) == "Sanne de Vries <sanne@example.nl>"
        assert str(message["Message-ID"]).endswith("@example.nl>")
        assert message["In-Reply-To"] == "<answer@stone.example>"
        assert str(message["References"]).split() == ["<intro@example.nl>",
                                                      "<answer@stone.example>"]
        assert window.crashes.reports == []
    finally:
        window.worker.shutdown()
        smtp.stop()
        workspace.close()


def test_the_app_without_an_identity_sends_nothing_and_says_how_to_set_it(
        home: Any, qapp: Any, qtbot: Any, tmp_path: Any) -> None:
    smtp = SmtpServer("plain", "sanne", PASSWORD, cert_dir=tmp_path).start()
    workspace = Workspace.open()
    window = _app_with_login_sanne(workspace, smtp)
    qtbot.addWidget(window)
    try:
        composer = window.open_composer()
        composer.to_edit.setText("mira@stone.example")
        composer.subject_edit.setText("Hello")
        composer.body.setPlainText("Hi Mira, thank you for the introduction last week.")
        composer.send()
        assert smtp.received == []
        assert "--from ADDRESS" in composer.banner.text.text()
        assert window.crashes.reports == []
    finally:
        window.worker.shutdown()
        smtp.stop()
        workspace.close()
