"""Issue 19: when the relay holds a message back, a freedesktop notification with *Allow
once* / *Close the loop instead*, sent over a real private session bus to a fake notification
server; without a server, or without a bus, the tray message stays (never an error)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from netguard.gui import app, i18n, tray
from netguard.gui.app import Shell
from netguard.gui.desktop_notify import DesktopNotifier
from netguard.gui.outbox_guard import Held, Source
from netguard.gui.session import Session
from tests.servers.notifications import FakeServer, RealServer, SessionBus

pytestmark = pytest.mark.skipif(shutil.which("dbus-daemon") is None,
                                reason="needs dbus-daemon (apt-get install dbus)")

FRANK = Held(Source.RELAY, "frank@example.com", "Frank", 4, 7, "Any news?")


@pytest.fixture
def bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[SessionBus]:
    started = SessionBus()
    try:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", started.address)
        yield started
    finally:
        started.stop()


def serving(action: str) -> FakeServer:
    return FakeServer(dict(os.environ, PYTHONPATH=os.getcwd()), action)


@pytest.mark.parametrize("action", ["allow", "close-loop"])
def test_the_buttons_reach_the_windows_handlers_in_the_users_language(
        session: Session, bus: SessionBus, qtbot: Any, action: str) -> None:
    session.lang = i18n.install("nl")
    server = serving(action)
    shell = Shell(session)
    allowed: list[str] = []
    closed: list[str] = []
    try:
        icon = tray.Tray(session, shell.guard, lambda: None, lambda: None,
                         allow=allowed.append, close_loop=closed.append)
        assert icon.desktop.available()
        shell.guard.held.emit(FRANK)
        qtbot.waitUntil(lambda: bool(allowed or closed), timeout=10_000)
        call = server.next_call()
    finally:
        shell.shutdown()
        server.stop()
    assert call["signature"] == "susssasa{sv}i"
    app_name, replaces_id, _icon, summary, body, actions, hints, expire = call["args"]
    assert (app_name, replaces_id, hints, expire) == ("NetGuard", 0, {}, -1)
    assert "Frank" in summary and "5" in body
    assert "sta het één keer toe" in body and "Open NetGuard" not in body  # the buttons say how
    assert actions == ["allow", "Eén keer toestaan", "close-loop", "Liever netjes afsluiten"]
    assert (allowed, closed) == ((["frank@example.com"], []) if action == "allow"
                                 else ([], ["frank@example.com"]))
    assert icon.state.held == 1


def test_the_shells_tray_wires_allow_once_to_the_window(session: Session, qtbot: Any,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tray, "available", lambda: True)  # offscreen has no tray
    quits = app.application().quitOnLastWindowClosed()
    shell = Shell(session)
    try:
        window = shell.open()
        qtbot.addWidget(window)
        icon = shell.start_tray()
        assert icon is not None
        window.show_held(FRANK)
        qtbot.waitUntil(lambda: window.held_notices.notice_for(FRANK.address) is not None)
        notice = window.held_notices.notice_for(FRANK.address)
        assert notice is not None and not notice.allow_button.isHidden()
        icon.desktop.allow_requested.emit(FRANK.address)  # as the notification's button does
        assert notice.allow_button.isHidden()
        assert "Press Send again" in notice.message
    finally:
        shell.shutdown()
        app.application().setQuitOnLastWindowClosed(quits)


@pytest.mark.skipif(shutil.which("Xvfb") is None or not os.path.exists(RealServer.DAEMON),
                    reason="needs Xvfb and notification-daemon")
def test_a_real_notification_server_accepts_the_call(bus: SessionBus, qtbot: Any) -> None:
    server = RealServer(dict(os.environ))
    notifiers: list[DesktopNotifier] = []

    def connected() -> bool:  # the daemon owns its name once it has started
        for old in notifiers:
            old.close()
        notifiers.append(DesktopNotifier())
        return notifiers[-1].available()

    try:
        qtbot.waitUntil(connected, timeout=10_000)
        notifier = notifiers[-1]
        refused: list[str] = []
        notifier.undelivered.connect(lambda title, _body: refused.append(title))
        assert notifier.notify_held(FRANK.address, "NetGuard held back a message", "body")
        qtbot.waitUntil(lambda: bool(notifier.shown or refused), timeout=10_000)
        assert refused == []  # GDBus refuses a signed replaces_id ("(sisssasa{sv}i)")
        assert list(notifier.shown.values()) == [FRANK.address]
    finally:
        for old in notifiers:
            old.close()
        server.stop()


def test_a_bus_without_a_notification_server_keeps_the_tray_message(
        session: Session, bus: SessionBus, qtbot: Any) -> None:
    shell = Shell(session)
    try:
        icon = tray.Tray(session, shell.guard, lambda: None, lambda: None)
        assert not icon.desktop.available()
        shell.guard.held.emit(FRANK)  # the tray message, no error
        assert icon.state.held == 1
    finally:
        shell.shutdown()


def test_no_bus_at_all_is_no_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Any,
                                   qapp: Any) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", f"unix:path={tmp_path}/no-bus")
    notifier = DesktopNotifier()
    assert not notifier.available()
    assert not notifier.notify_held("frank@example.com", "title", "body")
