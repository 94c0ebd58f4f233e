"""Settings → Outbox guard shows the relay's login: read off the GUI thread from the keyring,
the password hidden until Show, each with Copy; the same login `netguard relay --credentials`
prints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keyring
import keyring.errors
import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QTabWidget

from netguard.cli.main import main
from netguard.gui import i18n
from netguard.gui.app import start_session
from netguard.gui.main_window import MainWindow
from netguard.gui.settings_dialog import SettingsDialog
from netguard.gui.worker import AccountWorker, InlineExecutor, SerialExecutor
from netguard.relay.credentials import RELAY_USER
from netguard.workspace import Workspace
from tests.gui.support import screenshot
from tests.keyrings import MemoryKeyring


def open_settings(qtbot: Any, worker: AccountWorker) -> tuple[SettingsDialog, Workspace]:
    workspace = Workspace.open()
    session = start_session(workspace)
    session.lang = i18n.install("en")
    dialog = SettingsDialog(session, None, worker)
    qtbot.addWidget(dialog)
    return dialog, workspace


def test_the_relay_login_is_shown_hidden_and_copyable(
        home: Path, qapp: Any, qtbot: Any, memory_keyring: MemoryKeyring,
        capsys: pytest.CaptureFixture[str]) -> None:
    worker = AccountWorker(SerialExecutor())  # a real background thread, as in the app
    dialog, workspace = open_settings(qtbot, worker)
    login = dialog.relay_login
    qtbot.waitUntil(lambda: login.password.text() != "")
    worker.shutdown()
    assert main(["relay", "--credentials"]) == 0
    printed = capsys.readouterr().out.split()
    assert [login.user.text(), login.password.text()] == printed  # made once, the same login
    assert printed[0] == RELAY_USER
    assert memory_keyring.passwords[("netguard", RELAY_USER)] == printed[1]
    assert login.password.echoMode() == QLineEdit.EchoMode.Password
    tabs = dialog.ui.findChild(QTabWidget, "tabs")
    assert tabs is not None
    tabs.setCurrentIndex(tabs.count() - 1)
    dialog.show()
    qtbot.waitExposed(dialog)
    screenshot(dialog, "settings-relay-login")
    login.show_button.click()
    assert login.password.echoMode() == QLineEdit.EchoMode.Normal
    assert login.show_button.text() == "Hide"
    login.show_button.click()
    assert login.password.echoMode() == QLineEdit.EchoMode.Password
    login.copy_password.click()
    assert QGuiApplication.clipboard().text() == printed[1]
    login.copy_user.click()
    assert QGuiApplication.clipboard().text() == RELAY_USER
    workspace.close()


class LockedKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("the keyring is locked")


def test_a_locked_keyring_is_said_calmly(home: Path, qapp: Any, qtbot: Any) -> None:
    keyring.set_keyring(LockedKeyring())  # the autouse fixture restores the old one
    dialog, workspace = open_settings(qtbot, AccountWorker(InlineExecutor()))
    login = dialog.relay_login
    assert login.password.text() == "" and not login.copy_password.isEnabled()
    assert login.password.placeholderText().startswith("Not available:")
    workspace.close()


def test_the_demo_never_touches_the_keyring(window: MainWindow, qtbot: Any,
                                            memory_keyring: MemoryKeyring) -> None:
    dialog = SettingsDialog(window.session, window, window.worker)
    qtbot.addWidget(dialog)
    assert dialog.relay_login.password.text() == ""
    assert not dialog.relay_login.show_button.isEnabled()
    assert memory_keyring.passwords == {}
