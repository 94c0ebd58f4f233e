"""The relay's user and password on the Settings → Outbox guard tab.

They come from ``netguard.relay.credentials`` (the same login `netguard relay --credentials`
prints, made on first use) and are read on the account's worker: the keyring may block or ask
to be unlocked. The password stays hidden until Show; each field has Copy. The demo mailbox
never touches the keyring.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

from netguard.errors import KnownError
from netguard.gui import designer
from netguard.gui.i18n import t
from netguard.gui.worker import AccountWorker
from netguard.relay.credentials import credentials


class RelayLogin(QObject):
    def __init__(self, form: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.user = designer.child(form, QLineEdit, "relay_user_edit")
        self.password = designer.child(form, QLineEdit, "relay_password_edit")
        self.show_button = designer.child(form, QPushButton, "show_password_button")
        self.copy_user = designer.child(form, QPushButton, "copy_user_button")
        self.copy_password = designer.child(form, QPushButton, "copy_password_button")
        self.show_button.toggled.connect(self._reveal)
        self.copy_user.clicked.connect(lambda: self._copy(self.user))
        self.copy_password.clicked.connect(lambda: self._copy(self.password))

    def load(self, worker: AccountWorker | None, demo: bool = False) -> None:
        """Fill in the login from the keyring, off the GUI thread."""
        if demo or worker is None:
            self._placeholder(t("Not used by the demo mailbox."))
            return
        self._placeholder(t("Reading the keyring…"))
        worker.run(credentials, self._loaded, self._failed)

    def _placeholder(self, text: str) -> None:
        self.user.setPlaceholderText(text)
        self.password.setPlaceholderText(text)

    def _loaded(self, login: tuple[str, str]) -> None:
        self.user.setText(login[0])
        self.password.setText(login[1])
        for button in (self.show_button, self.copy_user, self.copy_password):
            button.setEnabled(True)

    def _failed(self, err: KnownError) -> None:
        self._placeholder(t("Not available: {reason}", reason=err))
        self.password.setToolTip(str(err))

    def _reveal(self, shown: bool) -> None:
        self.password.setEchoMode(QLineEdit.EchoMode.Normal if shown
                                  else QLineEdit.EchoMode.Password)
        self.show_button.setText(t("Hide") if shown else t("Show"))

    @staticmethod
    def _copy(edit: QLineEdit) -> None:
        QGuiApplication.clipboard().setText(edit.text())
