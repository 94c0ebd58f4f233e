"""Settings and account dialogs, shortcuts, the crash dialog, and screenshots of each."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from netguard.gui.account_dialog import AccountDialog
from netguard.gui.main_window import MainWindow
from netguard.gui.notices import CrashDialog
from netguard.gui.settings_dialog import SettingsDialog, aliases
from netguard.gui.worker import AccountWorker, InlineExecutor
from netguard.store.people import muted_contacts, set_muted
from tests.gui.support import screenshot


def test_settings_dialog_saves_thresholds_language_competitors(window: MainWindow,
                                                               qtbot: Any) -> None:
    session = window.session
    set_muted(session.conn, "bas@hendriks-media.nl", True)
    dialog = SettingsDialog(session, window)
    qtbot.addWidget(dialog)
    assert dialog.spin("followup_limit").value() == 5
    dialog.spin("followup_limit").setValue(4)
    dialog.competitors.setPlainText("Pixelpushers\n\n  Webwizards  ")
    dialog.language.setCurrentIndex(dialog.language.findData("nl"))
    dialog.muted.setCurrentRow(0)
    _click(dialog, "unmute_button")
    dialog.alias_edit.setText("Sanne@Privé.example")
    _click(dialog, "add_alias_button")
    dialog.show()
    qtbot.waitExposed(dialog)
    screenshot(dialog, "settings")
    dialog.save()
    settings = session.workspace.settings
    assert settings.rules.followup_limit == 4
    assert settings.lint.competitors == ["Pixelpushers", "Webwizards"]
    assert settings.language == "nl"
    assert "bas@hendriks-media.nl" not in muted_contacts(session.conn)
    assert "sanne@privé.example" in aliases(session)


def test_restore_defaults_resets_the_thresholds(window: MainWindow, qtbot: Any) -> None:
    dialog = SettingsDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.spin("window_days").setValue(30)
    _click(dialog, "defaults_button")
    assert dialog.spin("window_days").value() == 7


def test_escape_closes_dialogs(window: MainWindow, qtbot: Any) -> None:
    dialog = SettingsDialog(window.session, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    composer = window.open_composer()
    qtbot.keyClick(composer, Qt.Key.Key_Escape)
    assert not composer.isVisible()


def test_account_dialog_needs_server_and_user(window: MainWindow, qtbot: Any) -> None:
    dialog = AccountDialog(window.session, AccountWorker(InlineExecutor()), window)
    qtbot.addWidget(dialog)
    dialog.host.clear()
    dialog.test_connection()
    assert "server" in dialog.test_label.text()
    dialog.show()
    qtbot.waitExposed(dialog)
    screenshot(dialog, "account")


def test_account_dialog_reports_an_unreachable_server_calmly(window: MainWindow,
                                                             qtbot: Any) -> None:
    dialog = AccountDialog(window.session, AccountWorker(InlineExecutor()), window)
    qtbot.addWidget(dialog)
    dialog.host.setText("127.0.0.1")
    dialog.port.setValue(_closed_port())
    dialog.security.setCurrentIndex(dialog.security.findData("plain"))
    dialog.port.setValue(_closed_port())
    dialog.password.setText("secret")
    dialog.test_connection()
    assert dialog.test_label.text() and dialog.test_button.isEnabled()
    assert window.crashes.reports == []


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_account_dialog_stores_the_password_in_the_keyring(window: MainWindow, qtbot: Any,
                                                          memory_keyring: Any) -> None:
    dialog = AccountDialog(window.session, AccountWorker(InlineExecutor()), window)
    qtbot.addWidget(dialog)
    dialog.host.setText("imap.example.test")
    dialog.user.setText("me@example.test")
    dialog.password.setText("app-password")
    dialog.save()
    assert memory_keyring.passwords[("netguard", "me@example.test")] == "app-password"
    account = window.session.workspace.settings.account
    assert account.host == "imap.example.test" and account.user == "me@example.test"
    assert "app-password" not in window.session.workspace.profile.settings_file.read_text()


def test_account_dialog_saves_the_identity_and_refuses_a_from_that_is_no_address(
        window: MainWindow, qtbot: Any) -> None:
    from netguard.settings import load

    dialog = AccountDialog(window.session, AccountWorker(InlineExecutor()), window)
    qtbot.addWidget(dialog)
    assert dialog.from_address.text() == ""
    assert "(most used in Sent)" in dialog.from_address.placeholderText()  # the demo's Sent
    dialog.host.setText("imap.example.test")
    dialog.user.setText("sanne")
    dialog.from_name.setText("  Zoë   de Vries ")
    dialog.from_address.setText("sanne")
    dialog.save()
    assert "not an e-mail address" in dialog.test_label.text()
    assert window.session.workspace.settings.account.from_address == ""
    dialog.from_address.setText(" zoe@example.nl ")
    dialog.save()
    saved = load(window.session.workspace.profile.settings_file).account
    assert (saved.from_name, saved.from_address) == ("Zoë de Vries", "zoe@example.nl")
    again = AccountDialog(window.session, AccountWorker(InlineExecutor()), window)
    qtbot.addWidget(again)
    assert (again.from_name.text(), again.from_address.text()) == ("Zoë de Vries",
                                                                   "zoe@example.nl")


def test_shortcuts(window: MainWindow, qtbot: Any) -> None:
    from PySide6.QtWidgets import QApplication

    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.search.hasFocus)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert "demo" in window.statusBar().currentMessage()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    composer = window.composer
    assert composer is not None and composer.isVisible()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is composer)
    composer.to_edit.setText("ethan@brooksandco.com")
    qtbot.keyClick(composer.body, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(window.session.sender.sent) == 1  # type: ignore[attr-defined]


def test_a_bug_in_a_job_goes_to_one_crash_dialog(window: MainWindow) -> None:
    def broken() -> None:
        raise RuntimeError("a bug")

    window.worker.run(broken, lambda _v: None)
    window.worker.run(broken, lambda _v: None)
    assert len(window.crashes.reports) == 2
    assert "RuntimeError: a bug" in window.crashes.reports[0]
    assert window.banner.isHidden()  # bugs are not dressed up as known errors


def test_crash_dialog_copies_details(qtbot: Any, qapp: Any) -> None:
    dialog = CrashDialog("Traceback: something")
    qtbot.addWidget(dialog)
    dialog.copy()
    assert QGuiApplication.clipboard().text() == "Traceback: something"
    screenshot(dialog, "crash-dialog")


def _click(dialog: Any, name: str) -> None:
    from PySide6.QtWidgets import QPushButton

    button = dialog.ui.findChild(QPushButton, name)
    assert button is not None
    button.click()




def test_first_start_invites_to_set_up_the_account(home: Any, qapp: Any, make_window: Any) -> None:
    from netguard.gui import i18n
    from netguard.gui.app import start_session
    from netguard.workspace import Workspace

    workspace = Workspace.open()
    try:
        session = start_session(workspace)
        session.lang = i18n.install("en")
        window = make_window(session)
        window.show()
        assert "Set up your mail account" in window.banner.message()
        assert "No contacts yet" in window.overview.toPlainText()
        screenshot(window, "first-start")
    finally:
        workspace.close()
