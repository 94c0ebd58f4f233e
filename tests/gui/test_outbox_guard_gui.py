"""The outbox guard in the app (issue 8): the relay runs in the background when enabled, a
fifth follow-up from a mail client (smtplib) is refused and the app shows the notice with
*Allow once* and *Close the loop instead*; the Drafts watcher notices a warned draft.
Real relay, real aiosmtpd upstream, real Dovecot."""

from __future__ import annotations

import smtplib
import socket
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QTabWidget

from netguard import outbox, secrets
from netguard.gui import i18n
from netguard.gui.app import start_session
from netguard.gui.held_notices import HeldNotice
from netguard.gui.main_window import MainWindow
from netguard.gui.notices import CrashReporter
from netguard.gui.outbox_guard import Source
from netguard.gui.settings_dialog import SettingsDialog
from netguard.gui.worker import AccountWorker, SerialExecutor
from netguard.relay.credentials import credentials
from netguard.settings import Account, Relay, Settings
from netguard.store.people import add_me
from netguard.workspace import Workspace
from tests.gui.support import screenshot
from tests.integration.mailflow import CONTACT, seed_streak
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import SmtpServer, free_port

ME = "me@example.test"
WAIT_MS = 30_000


def message(subject: str = "Proposal") -> bytes:
    return (
        f"From: Me <{ME}>\r\nTo: Anna de Vries <{CONTACT}>\r\nSubject: {subject}\r\n"
        f"Date: {format_datetime(datetime.now(UTC))}\r\n"
        f"Message-ID: {make_msgid(domain='example.test')}\r\n\r\nHello Anna\r\n"
    ).encode()


@dataclass
class App:
    window: MainWindow
    workspace: Workspace
    upstream: SmtpServer
    port: int

    def send(self, raw: bytes) -> None:
        """What a mail client does: log in to the relay and submit."""
        with smtplib.SMTP("127.0.0.1", self.port, timeout=10) as client:
            client.login(*credentials())
            client.sendmail(ME, [CONTACT], raw)

    def refused(self, raw: bytes) -> str:
        with pytest.raises(smtplib.SMTPDataError) as refused:
            self.send(raw)
        assert refused.value.smtp_code == 550
        return bytes(refused.value.smtp_error).decode()


@pytest.fixture
def upstream(tmp_path: Path) -> Iterator[SmtpServer]:
    server = SmtpServer("plain", ME, "upstream-secret", cert_dir=tmp_path).start()
    yield server
    server.stop()


def open_app(qtbot: Any, settings: Settings) -> tuple[MainWindow, Workspace, AccountWorker]:
    workspace = Workspace.open()
    workspace.save_settings(settings)
    add_me(workspace.store, ME, "login")
    session = start_session(workspace)
    session.lang = i18n.install("en")
    worker = AccountWorker(SerialExecutor())
    window = MainWindow(session, worker, CrashReporter(show=False))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    return window, workspace, worker


@pytest.fixture
def app(home: Path, qapp: Any, qtbot: Any, upstream: SmtpServer) -> Iterator[App]:
    secrets.set_password(ME, "upstream-secret")
    port = free_port()
    settings = Settings(account=Account(host="imap.example.test", user=ME,
                                        smtp_host=upstream.host, smtp_port=upstream.port,
                                        smtp_security="plain", timeout_seconds=10.0),
                        relay=Relay(enabled=True, port=port))  # IMAP is never reached here
    window, workspace, worker = open_app(qtbot, settings)
    seed_streak(workspace, ME, followups=4)
    window.refresh()
    qtbot.waitUntil(lambda: window.guard.relay.running, timeout=WAIT_MS)
    yield App(window, workspace, upstream, port)
    window.close()
    worker.shutdown()
    workspace.close()


def wait_for_notice(app: App, qtbot: Any) -> HeldNotice:
    qtbot.waitUntil(lambda: app.window.held_notices.notice_for(CONTACT) is not None,
                    timeout=WAIT_MS)
    notice = app.window.held_notices.notice_for(CONTACT)
    assert notice is not None
    return notice


def test_a_fifth_followup_is_refused_and_allow_once_lets_the_resend_through_once(
        app: App, qtbot: Any) -> None:
    raw = message()
    assert "5th follow-up to Anna" in app.refused(raw)
    notice = wait_for_notice(app, qtbot)
    assert notice.held.source is Source.RELAY
    assert "NetGuard held back your message to Anna de Vries" in notice.message
    assert "follow-up number 5" in notice.message and "nothing is lost" in notice.message
    assert not notice.allow_button.isHidden() and not notice.close_loop_button.isHidden()
    app.window.show()
    screenshot(app.window, "relay-notice")
    assert app.upstream.received == []

    qtbot.mouseClick(notice.allow_button, qtbot_left())
    assert outbox.allowed(app.workspace.store, [CONTACT])
    assert "Press Send again in your mail client" in notice.message
    assert notice.allow_button.isHidden()

    app.send(raw)  # the user presses Send again
    assert [r.rcpt_tos for r in app.upstream.received] == [(CONTACT,)]
    app.refused(message("Another one"))  # the allowance is used up
    assert len(app.upstream.received) == 1
    assert app.window.crashes.reports == []


def test_close_the_loop_instead_opens_the_composer_on_that_template(app: App, qtbot: Any) -> None:
    app.refused(message())
    notice = wait_for_notice(app, qtbot)
    qtbot.mouseClick(notice.close_loop_button, qtbot_left())
    composer = app.window.composer
    assert composer is not None
    assert composer.to_edit.text() == CONTACT
    assert composer.form.template() == "close-the-loop"
    assert composer.body.toPlainText().strip()
    assert app.upstream.received == []


def test_after_an_account_change_the_relay_uses_the_new_password(app: App, qtbot: Any) -> None:
    def restart_with(password: str) -> None:
        secrets.set_password(ME, password)
        app.window.apply_guard(restart=True)
        assert not app.window.guard.relay.running
        qtbot.waitUntil(lambda: app.window.guard.relay.running, timeout=WAIT_MS)

    clear = message().replace(CONTACT.encode(), b"bob@example.org")
    restart_with("an-old-password")
    with smtplib.SMTP("127.0.0.1", app.port, timeout=10) as client:
        client.login(*credentials())
        with pytest.raises(smtplib.SMTPDataError) as later:
            client.sendmail(ME, ["bob@example.org"], clear)
    assert later.value.smtp_code == 451  # upstream said no: the mail client tries again
    restart_with("upstream-secret")
    with smtplib.SMTP("127.0.0.1", app.port, timeout=10) as client:
        client.login(*credentials())
        client.sendmail(ME, ["bob@example.org"], clear)
    assert [r.rcpt_tos for r in app.upstream.received] == [("bob@example.org",)]


def test_disabling_the_relay_in_settings_stops_it(app: App, qtbot: Any) -> None:
    dialog = SettingsDialog(app.window.session, app.window)
    qtbot.addWidget(dialog)
    assert dialog.relay_check.isChecked() and dialog.relay_port.value() == app.port
    assert not dialog.watch_drafts.isChecked()  # off by default
    tabs = dialog.ui.findChild(QTabWidget, "tabs")
    assert tabs is not None
    tabs.setCurrentIndex(tabs.count() - 1)
    dialog.show()
    screenshot(dialog, "settings-outbox-guard")
    dialog.relay_check.setChecked(False)
    dialog.save()
    app.window.apply_guard()
    assert not app.window.guard.relay.running
    assert not app.workspace.settings.relay.enabled
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", app.port), timeout=5).close()


def test_a_busy_port_is_a_calm_banner_not_a_crash(home: Path, qapp: Any, qtbot: Any,
                                                  upstream: SmtpServer) -> None:
    secrets.set_password(ME, "upstream-secret")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = Settings(account=Account(user=ME, smtp_host=upstream.host,
                                            smtp_port=upstream.port, smtp_security="plain"),
                            relay=Relay(enabled=True, port=port))
        window, workspace, worker = open_app(qtbot, settings)
        try:
            qtbot.waitUntil(lambda: "outbox guard" in window.banner.message(), timeout=WAIT_MS)
            assert "The outbox guard is not running" in window.banner.message()
            assert str(port) in window.banner.message()
            assert not window.guard.relay.running
            assert window.crashes.reports == []
        finally:
            window.close()
            worker.shutdown()
            workspace.close()


def test_a_missing_password_is_a_calm_banner_too(home: Path, qapp: Any, qtbot: Any,
                                                 upstream: SmtpServer) -> None:
    settings = Settings(account=Account(user=ME, smtp_host=upstream.host,
                                        smtp_port=upstream.port, smtp_security="plain"),
                        relay=Relay(enabled=True, port=free_port()))
    window, workspace, worker = open_app(qtbot, settings)
    try:
        qtbot.waitUntil(lambda: "outbox guard" in window.banner.message(), timeout=WAIT_MS)
        assert "keyring" in window.banner.message()
        assert window.crashes.reports == []
    finally:
        window.close()
        worker.shutdown()
        workspace.close()


def qtbot_left() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


# -- the Drafts watcher -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def dovecot() -> Iterator[DovecotServer]:
    started = DovecotServer.start()
    yield started
    started.stop()


def draft(me: str, to: str, message_id: str) -> bytes:
    return (
        f"From: {me}\r\nTo: Anna de Vries <{to}>\r\nSubject: Proposal\r\n"
        f"Date: {format_datetime(datetime.now(UTC))}\r\nMessage-ID: {message_id}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nHi Anna,\r\n\r\nAny news?\r\n"
    ).encode()


def test_the_drafts_watcher_shows_a_notice_for_a_warned_draft(
        home: Path, qapp: Any, qtbot: Any, dovecot: DovecotServer) -> None:
    user = dovecot.new_user()
    secrets.set_password(user.name, user.password)
    dovecot.append(user, "Drafts", draft(user.name, CONTACT, "<warned@example.test>"),
                   flags="\\Draft")
    dovecot.append(user, "Drafts", draft(user.name, "bob@example.org", "<clear@example.test>"))
    account = Account(host=dovecot.host, port=dovecot.port, user=user.name, security="plain",
                      timeout_seconds=10.0)
    workspace = Workspace.open()
    seed_streak(workspace, user.name, followups=4)
    workspace.save_settings(Settings(account=account))
    before = dovecot.snapshot(user)
    session = start_session(workspace)
    session.lang = i18n.install("en")
    worker = AccountWorker(SerialExecutor())
    window = MainWindow(session, worker, CrashReporter(show=False))
    qtbot.addWidget(window)
    try:
        assert not window.guard.drafts.timer.isActive()  # off by default
        workspace.save_settings(replace(workspace.settings,
                                        relay=replace(workspace.settings.relay,
                                                      watch_drafts=True)))
        with qtbot.waitSignal(window.guard.drafts.checked, timeout=WAIT_MS) as checked:
            window.apply_guard()
        assert checked.args == [2]
        qtbot.waitUntil(lambda: window.held_notices.notice_for(CONTACT) is not None)
        [notice] = window.held_notices.notices()  # bob's draft is clear
        assert notice.held.source is Source.DRAFT
        assert "It is still a draft" in notice.message
        assert notice.allow_button.isHidden()
        assert dovecot.snapshot(user) == before  # reading Drafts changed nothing
        with qtbot.waitSignal(window.guard.drafts.checked, timeout=WAIT_MS) as again:
            window.guard.drafts.check_now()
        assert again.args == [0]  # the same draft is not reported twice
        assert window.crashes.reports == []
    finally:
        window.close()
        worker.shutdown()
        workspace.close()


def test_the_relay_outlives_a_language_switch_and_stops_on_quit(
        home: Path, qapp: Any, qtbot: Any, upstream: SmtpServer) -> None:
    from netguard.gui.app import Shell

    secrets.set_password(ME, "upstream-secret")
    port = free_port()
    workspace = Workspace.open()
    workspace.save_settings(Settings(
        account=Account(host="imap.example.test", user=ME, smtp_host=upstream.host,
                        smtp_port=upstream.port, smtp_security="plain"),
        relay=Relay(enabled=True, port=port)))
    shell = Shell(start_session(workspace))
    shell.crashes.show = False
    try:
        window = shell.open()
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: shell.guard.relay.running, timeout=WAIT_MS)
        shell.switch_language("nl")
        assert shell.window is not None and shell.window is not window
        qtbot.addWidget(shell.window)
        assert shell.guard.relay.running  # the same relay, not restarted
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            assert client.noop()[0] == 250
    finally:
        shell.shutdown()
        i18n.install("en")
        workspace.close()
    assert not shell.guard.relay.running
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    assert shell.crashes.reports == []
