"""The account: the e-mail address with Detect (the servers and login method looked up),
server, security, user, password (to the keyring) or *Sign in with Microsoft / Google*
(netguard/gui/sign_in.py), the identity I send as, Test connection off the GUI thread with the
exact problem or the detected folders, and an override for each folder. Scrolls on a small
screen."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import cast

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from netguard import secrets
from netguard.accounts.credentials import Credentials, credentials_for
from netguard.accounts.detect import Lookups, describe, describe_login, detect
from netguard.accounts.detected import Detected, domain_of
from netguard.errors import KnownError
from netguard.gui import designer
from netguard.gui.i18n import current as ui_language
from netguard.gui.i18n import t
from netguard.gui.session import Session
from netguard.gui.sign_in import SignInPanel
from netguard.gui.worker import AccountWorker
from netguard.mail.connection import connect
from netguard.mail.folders import discover, list_folders
from netguard.mail.identity import derive, valid_address
from netguard.settings import Account, Settings

SECURITY = (("ssl", "SSL/TLS"), ("starttls", "STARTTLS"),
            ("plain", "None (only on a trusted network)"))
DEFAULT_PORTS = {"ssl": 993, "starttls": 143, "plain": 143}
SMTP_PORTS = {"ssl": 465, "starttls": 587, "plain": 25}


@dataclass(frozen=True)
class Probe:
    """What Test connection found."""

    folders: tuple[str, ...]
    sent: str
    drafts: str
    received: tuple[str, ...] = ()


def probe(account: Account, credentials: Credentials | str) -> Probe:
    """Log in, list the folders and detect them as a sync would; read-only. Worker thread."""
    me = [account.user.lower()] if "@" in account.user else []
    with connect(account, credentials) as client:
        names = tuple(folder.name for folder in list_folders(client))
        found = discover(client, account, me)
    return Probe(names, found.sent, found.drafts or "", found.received)


class AccountDialog(QDialog):
    def __init__(self, session: Session, worker: AccountWorker,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.worker = worker
        self.setWindowTitle(t("Mail account — NetGuard"))
        self.setMinimumWidth(560)
        self.ui = designer.embed_scrolling("account_dialog.ui", self)
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(14, 12, 14, 12)
        self.host = designer.child(self.ui, QLineEdit, "host_edit")
        self.port = designer.child(self.ui, QSpinBox, "port_spin")
        self.security = designer.child(self.ui, QComboBox, "security_combo")
        self.user = designer.child(self.ui, QLineEdit, "user_edit")
        self.password = designer.child(self.ui, QLineEdit, "password_edit")
        self.from_name = designer.child(self.ui, QLineEdit, "from_name_edit")
        self.from_address = designer.child(self.ui, QLineEdit, "from_address_edit")
        self.smtp_host = designer.child(self.ui, QLineEdit, "smtp_host_edit")
        self.smtp_port = designer.child(self.ui, QSpinBox, "smtp_port_spin")
        self.smtp_security = designer.child(self.ui, QComboBox, "smtp_security_combo")
        self.sent = designer.child(self.ui, QComboBox, "sent_combo")
        self.drafts = designer.child(self.ui, QComboBox, "drafts_combo")
        self.replies = designer.child(self.ui, QLineEdit, "reply_edit")
        self.test_label = designer.child(self.ui, QLabel, "test_label")
        self.test_button = designer.child(self.ui, QPushButton, "test_button")
        self.email = designer.child(self.ui, QLineEdit, "email_edit")
        self.detect_button = designer.child(self.ui, QPushButton, "detect_button")
        self.detect_label = designer.child(self.ui, QLabel, "detect_label")
        self.probe: Probe | None = None
        self._add_sign_in()
        self._fill(session.settings.account)
        self._connect()
        designer.fit_wrapped_labels(self)
        designer.fit_to_screen(self, 600, 720)  # scrolls on a small screen

    def _add_sign_in(self) -> None:
        """The login method above the password row; the password row only for passwords."""
        form = designer.child(self.ui, QFormLayout, "imap_form")
        self.sign_in = SignInPanel(self.settings_with_account, self)
        position = cast(tuple[int, object], form.getWidgetPosition(self.password))
        form.insertRow(position[0], t("Log in with:"), self.sign_in)
        self.sign_in.method_changed.connect(lambda password: form.setRowVisible(
            self.password, password))
        self.sign_in.signed_in.connect(self._signed_in)
        self.finished.connect(lambda _result: self.sign_in.stop())

    def settings_with_account(self) -> Settings:
        return replace(self.session.settings, account=self.account())

    def _signed_in(self) -> None:
        self.session.workspace.save_settings(self.settings_with_account())

    def _fill(self, account: Account) -> None:
        for combo in (self.security, self.smtp_security):
            for code, label in SECURITY:
                combo.addItem(t(label), code)
        self.host.setText(account.host)
        self.port.setValue(account.port)
        self.security.setCurrentIndex(max(0, self.security.findData(account.security)))
        self.user.setText(account.user)
        self._fill_identity(account)
        self.smtp_host.setText(account.smtp_host)
        self.smtp_port.setValue(account.smtp_port)
        smtp_index = self.smtp_security.findData(account.smtp_security)
        self.smtp_security.setCurrentIndex(max(0, smtp_index))
        self.sent.setEditText(account.sent_folder)
        self.drafts.setEditText(account.drafts_folder)
        self.replies.setText(", ".join(account.reply_folders))
        self.sign_in.fill(account)
        if "@" in account.user:
            self.email.setText(account.user)

    def _fill_identity(self, account: Account) -> None:
        """The set name and address; unset, what sending would use shows as the placeholder."""
        self.from_name.setText(account.from_name)
        self.from_address.setText(account.from_address)
        found = derive(self.session.conn, replace(account, from_name="", from_address=""))
        self.from_name.setPlaceholderText(found.name if found and found.name else
                                          t("the name recipients see"))
        if found is None:
            self.from_address.setPlaceholderText(t("needed to send: the address people answer"))
        elif found.source == "sent":
            self.from_address.setPlaceholderText(t("{address} (most used in Sent)",
                                                   address=found.address))
        else:
            self.from_address.setPlaceholderText(t("{address} (your login)",
                                                   address=found.address))

    def _connect(self) -> None:
        buttons = designer.child(self.ui, QDialogButtonBox, "button_box")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.test_button.clicked.connect(self.test_connection)
        self.detect_button.clicked.connect(self.detect)
        self.security.currentIndexChanged.connect(
            lambda: self.port.setValue(DEFAULT_PORTS[str(self.security.currentData())]))
        self.smtp_security.currentIndexChanged.connect(
            lambda: self.smtp_port.setValue(SMTP_PORTS[str(self.smtp_security.currentData())]))

    def account(self) -> Account:
        current = self.session.settings.account
        replies = [name.strip() for name in self.replies.text().split(",") if name.strip()]
        return self.sign_in.applied_to(replace(
            current, host=self.host.text().strip(), port=self.port.value(),
            security=self.security.currentData(), user=self.user.text().strip(),
            smtp_host=self.smtp_host.text().strip(), smtp_port=self.smtp_port.value(),
            smtp_security=self.smtp_security.currentData(),
            from_name=" ".join(self.from_name.text().split()),
            from_address=self.from_address.text().strip(),
            sent_folder=self.sent.currentText().strip(),
            drafts_folder=self.drafts.currentText().strip(), reply_folders=replies))

    def detect(self) -> None:
        """Look the servers up for the typed address, off the GUI thread; nothing is saved."""
        address = self.email.text().strip()
        if not domain_of(address):
            self.detect_label.setText(t("Type an e-mail address first, such as you@example.com."))
            return
        self.detect_button.setEnabled(False)
        self.detect_label.setText(t("Looking up the servers for {address}…", address=address))
        setup, lang = self.session.settings.account_setup, ui_language()
        self.worker.run(lambda: detect(address, Lookups.from_settings(setup), lang),
                        self._detected, self._not_detected)

    def _detected(self, found: Detected) -> None:
        self.detect_button.setEnabled(True)
        self.sign_in.fill(replace(  # the login method comes with the detected servers
            self.account(), auth="oauth2" if found.login == "oauth2" else "password",
            oauth_provider=found.oauth_provider))
        for combo, security in ((self.security, found.imap.security),
                                (self.smtp_security, found.smtp.security)):
            combo.setCurrentIndex(max(0, combo.findData(security)))
        self.host.setText(found.imap.host)
        self.port.setValue(found.imap.port)
        self.user.setText(found.user)
        self.smtp_host.setText(found.smtp.host)
        self.smtp_port.setValue(found.smtp.port)
        if found.sent_folder:
            self.sent.setEditText(found.sent_folder)
        if found.drafts_folder:
            self.drafts.setEditText(found.drafts_folder)
        lang = ui_language()
        self.detect_label.setText(t("{found} Login: {login}. Check the fields, then Save.",
                                    found=describe(found, lang),
                                    login=describe_login(found, lang)))

    def _not_detected(self, err: KnownError) -> None:
        self.detect_button.setEnabled(True)
        self.detect_label.setText(str(err))

    def test_connection(self) -> None:
        account = self.account()
        if not account.configured:
            self.test_label.setText(t("Fill in the server and the user name first."))
            return
        self.test_button.setEnabled(False)
        self.test_label.setText(t("Connecting…"))
        typed = self.password.text() if account.auth == "password" else ""
        settings = self.settings_with_account()

        def job() -> Probe:
            return probe(account, typed or credentials_for(settings))

        self.worker.run(job, self._tested, self._test_failed)

    def _tested(self, result: Probe) -> None:
        self.probe = result
        self.test_button.setEnabled(True)
        for combo, detected in ((self.sent, result.sent), (self.drafts, result.drafts)):
            chosen = combo.currentText()
            combo.clear()
            combo.addItems(list(result.folders))
            combo.setEditText(chosen or detected)
        self.replies.setPlaceholderText(", ".join(result.received))
        self.test_label.setText(t("Connected. Sent: {sent}; Drafts: {drafts}.",
                                  sent=result.sent or t("not found"),
                                  drafts=result.drafts or t("not found")))

    def _test_failed(self, err: KnownError) -> None:
        self.test_button.setEnabled(True)
        self.test_label.setText(str(err))

    def save(self) -> None:
        account = self.account()
        if not account.configured:
            self.test_label.setText(t("Fill in the server and the user name first."))
            return
        if account.from_address and not valid_address(account.from_address):
            self.test_label.setText(t("The From address {address} is not an e-mail address.",
                                      address=account.from_address))
            self.from_address.setFocus()
            return
        account = replace(account, from_address=valid_address(account.from_address))
        typed = self.password.text() if account.auth == "password" else ""
        session = self.session
        session.workspace.save_settings(replace(session.settings, account=account))
        if not typed:
            self.accept()
            return
        self.test_label.setText(t("Storing the password in the keyring…"))
        self.worker.run(lambda: secrets.set_password(account.user, typed),
                        lambda _none: self.accept(), self._test_failed)
