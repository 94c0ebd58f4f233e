"""The Account dialog's e-mail address first: Detect looks up off the GUI thread, fills the
fields and says where it found them; nothing is saved before Save."""

from __future__ import annotations

import socket
from dataclasses import replace
from typing import Any

from netguard.gui import i18n
from netguard.gui.account_dialog import AccountDialog
from netguard.gui.main_window import MainWindow
from netguard.gui.worker import AccountWorker, InlineExecutor
from netguard.settings import AccountSetup
from tests.gui.support import screenshot


def dialog_for(window: MainWindow, qtbot: Any,
               worker: AccountWorker | None = None) -> AccountDialog:
    dialog = AccountDialog(window.session, worker or AccountWorker(InlineExecutor()), window)
    qtbot.addWidget(dialog)
    return dialog


def test_detect_fills_the_fields_and_save_stores_them(window: MainWindow, qtbot: Any) -> None:
    before = window.session.settings.account
    dialog = dialog_for(window, qtbot)
    dialog.email.setText("jan@XS4ALL.nl")
    dialog.detect_button.click()
    assert (dialog.host.text(), dialog.port.value(), dialog.security.currentData()) == (
        "imap.kpnmail.nl", 993, "ssl")
    assert (dialog.smtp_host.text(), dialog.smtp_port.value(),
            dialog.smtp_security.currentData()) == ("smtp.kpnmail.nl", 465, "ssl")
    assert dialog.user.text() == "jan@XS4ALL.nl"
    label = dialog.detect_label.text()
    assert "Found in the NetGuard provider list (KPN" in label and "Login: password" in label
    assert window.session.settings.account == before  # nothing saved yet
    dialog.show()
    qtbot.waitExposed(dialog)
    screenshot(dialog, "account-detected")

    dialog.port.setValue(1993)  # every value stays editable
    dialog.save()
    saved = window.session.settings.account
    assert (saved.host, saved.port, saved.smtp_host, saved.auth) == (
        "imap.kpnmail.nl", 1993, "smtp.kpnmail.nl", "password")


def test_detect_runs_off_the_gui_thread(window: MainWindow, qtbot: Any) -> None:
    worker = AccountWorker()  # the real background thread
    dialog = dialog_for(window, qtbot, worker)
    dialog.email.setText("an@hotmail.nl")
    dialog.detect()
    assert "Looking up the servers for an@hotmail.nl" in dialog.detect_label.text()
    assert not dialog.detect_button.isEnabled()
    qtbot.waitUntil(dialog.detect_button.isEnabled, timeout=5000)
    worker.shutdown()
    assert dialog.host.text() == "outlook.office365.com"
    assert dialog.smtp_security.currentData() == "starttls" and dialog.smtp_port.value() == 587
    assert "sign in with Microsoft in your browser" in dialog.detect_label.text()
    dialog.save()
    account = window.session.settings.account
    assert (account.auth, account.oauth_provider) == ("oauth2", "microsoft")


def test_detect_in_dutch(window: MainWindow, qtbot: Any) -> None:
    i18n.install("nl")
    dialog = dialog_for(window, qtbot)
    assert dialog.detect_button.text() == "Zoeken"
    dialog.email.setText("piet@ziggo.nl")
    dialog.detect_button.click()
    assert "Gevonden in de providerlijst van NetGuard (Ziggo" in dialog.detect_label.text()
    assert "Inloggen: wachtwoord" in dialog.detect_label.text()


def test_not_an_address(window: MainWindow, qtbot: Any) -> None:
    dialog = dialog_for(window, qtbot)
    dialog.email.setText("jan")
    dialog.detect_button.click()
    assert "Type an e-mail address first" in dialog.detect_label.text()
    assert dialog.detect_button.isEnabled()


def test_nothing_found_asks_for_the_servers(window: MainWindow, qtbot: Any) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    session = window.session
    nowhere = AccountSetup(autoconfig_urls=[], dns_servers=["127.0.0.1"], dns_port=port,
                           timeout_seconds=0.5)
    session.workspace.save_settings(replace(session.settings, account_setup=nowhere))
    dialog = dialog_for(window, qtbot)
    host = dialog.host.text()
    dialog.email.setText("an@eigen-domein.nl")
    dialog.detect_button.click()
    assert "could not find the mail servers of eigen-domein.nl" in dialog.detect_label.text()
    assert dialog.detect_button.isEnabled() and dialog.host.text() == host
    assert window.crashes.reports == []


def test_detect_chooses_the_sign_in_method(window: MainWindow, qtbot: Any) -> None:
    """The sign-in panel follows what Detect found: Google's sign-in for Gmail (no password
    row), a password again for KPN."""
    dialog = dialog_for(window, qtbot)
    dialog.email.setText("anna@gmail.com")
    dialog.detect_button.click()
    assert dialog.sign_in.chosen() == ("oauth2", "google")
    assert dialog.sign_in.sign_in_button.isVisibleTo(dialog)
    assert dialog.sign_in.sign_in_button.text() == "Sign in with Google"
    assert not dialog.password.isVisibleTo(dialog)
    dialog.email.setText("jan@xs4all.nl")
    dialog.detect_button.click()
    assert dialog.sign_in.chosen() == ("password", "")
    assert dialog.password.isVisibleTo(dialog)
    assert not dialog.sign_in.sign_in_button.isVisibleTo(dialog)
