"""Sign in with OAuth2 from the Account dialog: the browser flow runs off the GUI thread, the
dialog waits with Cancel, and says plainly when a client ID is missing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtCore import Qt

from netguard.accounts import tokens
from netguard.gui.account_dialog import AccountDialog
from netguard.gui.main_window import MainWindow
from netguard.gui.worker import AccountWorker, InlineExecutor
from netguard.settings import OAuth, OAuthClient
from tests.gui.support import screenshot
from tests.servers.oauth_server import AuthorizationServer, Browser

USER = "sanne@example.test"


@pytest.fixture
def authority() -> Iterator[AuthorizationServer]:
    server = AuthorizationServer(client_id="netguard-test").start()
    yield server
    server.stop()


def dialog_for(window: MainWindow, qtbot: Any, issuer: str, client_id: str) -> AccountDialog:
    workspace = window.session.workspace
    workspace.save_settings(replace(workspace.settings, oauth=OAuth(oidc=OAuthClient(client_id))))
    dialog = AccountDialog(window.session, AccountWorker(InlineExecutor()), window)
    qtbot.addWidget(dialog)
    dialog.host.setText("127.0.0.1")
    dialog.user.setText(USER)
    panel = dialog.sign_in
    panel.method.setCurrentIndex(panel.method.findData("oauth2:oidc"))
    panel.issuer.setText(issuer)
    return dialog


def test_choosing_microsoft_offers_its_sign_in_and_hides_the_password(window: MainWindow,
                                                                      qtbot: Any) -> None:
    dialog = AccountDialog(window.session, AccountWorker(InlineExecutor()), window)
    qtbot.addWidget(dialog)
    dialog.show()
    panel = dialog.sign_in
    assert dialog.password.isVisible() and not panel.sign_in_button.isVisible()
    panel.method.setCurrentIndex(panel.method.findData("oauth2:microsoft"))
    assert panel.sign_in_button.text() == "Sign in with Microsoft"
    assert panel.sign_in_button.isVisible() and not dialog.password.isVisible()
    assert dialog.account().auth == "oauth2" and dialog.account().oauth_provider == "microsoft"
    qtbot.waitExposed(dialog)
    screenshot(dialog, "account-sign-in-microsoft")


def test_without_a_client_id_the_dialog_says_so_plainly(window: MainWindow, qtbot: Any,
                                                        authority: AuthorizationServer) -> None:
    dialog = dialog_for(window, qtbot, authority.issuer, client_id="")
    dialog.sign_in.start()
    qtbot.waitUntil(dialog.sign_in.sign_in_button.isEnabled, timeout=10_000)
    assert "client ID" in dialog.sign_in.status.text()
    assert window.crashes.reports == []


def test_signing_in_waits_off_the_gui_thread_then_keeps_the_sign_in(
        window: MainWindow, qtbot: Any, authority: AuthorizationServer) -> None:
    dialog = dialog_for(window, qtbot, authority.issuer, "netguard-test")
    dialog.show()
    panel = dialog.sign_in
    panel.open_url = Browser()
    with qtbot.waitSignal(panel.signed_in, timeout=20_000):
        qtbot.mouseClick(panel.sign_in_button, Qt.MouseButton.LeftButton)
        assert not panel.sign_in_button.isEnabled() and panel.cancel_button.isVisible()
    assert panel.sign_in_button.isEnabled() and not panel.cancel_button.isVisible()
    assert panel.status.text().startswith("Signed in")
    assert tokens.load(USER) == authority.issued_refresh_tokens[-1]
    saved = window.session.workspace.settings.account
    assert (saved.auth, saved.oauth_provider, saved.oauth_issuer) == (
        "oauth2", "oidc", authority.issuer)
    dialog.sign_in.worker.shutdown()


def test_cancel_stops_a_sign_in_that_waits_for_the_browser(
        window: MainWindow, qtbot: Any, authority: AuthorizationServer) -> None:
    dialog = dialog_for(window, qtbot, authority.issuer, "netguard-test")
    dialog.show()
    panel = dialog.sign_in
    opened: list[str] = []
    panel.open_url = opened.append  # a browser nobody signs in to
    panel.start()
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    assert panel.cancel_button.isVisible()
    qtbot.waitUntil(lambda: opened[0].replace("&", "&amp;") in panel.again.text(),
                    timeout=10_000)  # the address as a link, should the browser not open
    assert panel.again.isVisible()
    screenshot(dialog, "account-sign-in-waiting")
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(panel.sign_in_button.isEnabled, timeout=10_000)
    assert "cancelled" in panel.status.text() and not panel.again.isVisible()
    assert tokens.load(USER) is None
    assert window.crashes.reports == []
    dialog.sign_in.worker.shutdown()
