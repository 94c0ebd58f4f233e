"""How the account logs in, in the Account dialog: a password, or *Sign in with Microsoft /
Google* (or any OpenID Connect provider) in the system browser.

The browser flow runs on the panel's own worker thread (netguard/gui/worker.py), so the window
never freezes and a five-minute wait never holds up a sync; Cancel stops it. The core does the
work (``netguard.accounts.oauth.sign_in``); this panel only shows where it stands.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from netguard.errors import KnownError
from netguard.gui.i18n import t
from netguard.gui.richtext import link
from netguard.gui.worker import AccountWorker, SerialExecutor
from netguard.settings import Account, Auth, OAuthProvider, Settings

METHODS: tuple[tuple[Auth, OAuthProvider, str], ...] = (
    ("password", "", "Password or app password"),
    ("oauth2", "microsoft", "Microsoft (Outlook.com, Microsoft 365)"),
    ("oauth2", "google", "Google (Gmail, Google Workspace)"),
    ("oauth2", "oidc", "Another provider (OpenID Connect)"),
)
BUTTONS = {"microsoft": "Sign in with Microsoft", "google": "Sign in with Google",
           "oidc": "Sign in"}


class SignInPanel(QWidget):
    """The login-method choice, the Sign in button, and the waiting state with Cancel."""

    signed_in = Signal()
    method_changed = Signal(bool)  # True when the method is a password
    _say = Signal(str)

    def __init__(self, settings_of: Callable[[], Settings], parent: QWidget | None = None,
                 worker: AccountWorker | None = None) -> None:
        super().__init__(parent)
        self.settings_of = settings_of
        self.worker = worker or AccountWorker(SerialExecutor(), self)
        self.open_url: Callable[[str], object] | None = None  # None: the system browser
        self._cancel = threading.Event()
        self._build()
        self._say.connect(self._show_address)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.method = QComboBox(self)
        for auth, provider, label in METHODS:
            self.method.addItem(t(label), f"{auth}:{provider}")
        self.issuer = QLineEdit(self)
        self.issuer.setPlaceholderText("https://login.example.com")
        row = QHBoxLayout()
        self.sign_in_button = QPushButton(self)
        self.cancel_button = QPushButton(t("Cancel sign-in"), self)
        self.again = QLabel(self)  # the sign-in page as a link, should the browser not open
        self.again.setTextFormat(Qt.TextFormat.RichText)
        self.again.setOpenExternalLinks(True)
        row.addWidget(self.sign_in_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.again)
        row.addStretch(1)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for part in (self.method, self.issuer):
            layout.addWidget(part)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.method.currentIndexChanged.connect(self._method_changed)
        self.sign_in_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.stop)
        self._method_changed()

    def fill(self, account: Account) -> None:
        provider = account.oauth_provider if account.auth == "oauth2" else ""
        self.method.setCurrentIndex(max(0, self.method.findData(f"{account.auth}:{provider}")))
        self.issuer.setText(account.oauth_issuer)

    def chosen(self) -> tuple[Auth, OAuthProvider]:
        """``(auth, provider)`` of the chosen method."""
        auth, provider, _label = METHODS[max(0, self.method.currentIndex())]
        return auth, provider

    def applied_to(self, account: Account) -> Account:
        """``account`` with the chosen login method."""
        auth, provider = self.chosen()
        issuer = self.issuer.text().strip() if provider == "oidc" else ""
        return replace(account, auth=auth, oauth_provider=provider, oauth_issuer=issuer)

    def _method_changed(self) -> None:
        auth, provider = self.chosen()
        oauth = auth == "oauth2"
        self.issuer.setVisible(provider == "oidc")
        self.sign_in_button.setVisible(oauth)
        self.sign_in_button.setText(t(BUTTONS.get(provider, "Sign in")))
        self.cancel_button.hide()
        self.again.hide()
        self.status.setVisible(oauth)
        self.method_changed.emit(not oauth)

    def start(self) -> None:
        """Run the browser flow off the GUI thread; the panel waits with Cancel."""
        from netguard.accounts.credentials import forget_access_tokens
        from netguard.accounts.oauth import sign_in

        settings = self.settings_of()
        opener, cancelled, say = self.open_url, self._cancel.is_set, self._say.emit
        self._cancel.clear()
        self._waiting(True)
        self._plain(t("Waiting for you to sign in in the browser…"))

        def job() -> None:
            sign_in(settings, say=say, open_url=opener, cancelled=cancelled)
            forget_access_tokens()

        self.worker.run(job, self._done, self._failed)

    def stop(self) -> None:
        """Cancel a sign-in that is waiting for the browser (also when the dialog closes)."""
        self._cancel.set()

    def _show_address(self, said: str) -> None:
        """The core's "open this address" line, as a link the person can click."""
        address = said.rsplit("\n", 1)[-1].strip()
        self.again.setText(link(address, t("Open the sign-in page again")))
        self.again.show()

    def _plain(self, message: str) -> None:
        self.status.setText(message)

    def _waiting(self, waiting: bool) -> None:
        self.sign_in_button.setEnabled(not waiting)
        self.method.setEnabled(not waiting)
        self.cancel_button.setVisible(waiting)
        if not waiting:
            self.again.hide()

    def _done(self, _none: object) -> None:
        self._waiting(False)
        self._plain(t("Signed in. NetGuard keeps only the refresh token, in the keyring."))
        self.signed_in.emit()

    def _failed(self, err: KnownError) -> None:
        self._waiting(False)
        self._plain(str(err))
