"""Desktop notifications with buttons (issue 19): when the relay holds a message back, a
freedesktop notification offers *Allow once* and *Close the loop instead*.

The call goes over the session D-Bus with jeepney (installed with keyring on Linux), because
PySide6's QtDBus sends Python ints as signed (``i``) and the specification wants the
``replaces_id`` unsigned (``susssasa{sv}i``). Replies and ``ActionInvoked`` are read when the
bus socket has data (a ``QSocketNotifier``), so nothing blocks the window. Where there is no
session bus, no notification server, or not Linux, ``available()`` is False and the caller
shows its tray message instead: never an error. The bus is asked only when a notification is
first needed, not while the app starts.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, Signal

from netguard.gui.i18n import t

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
SIGNATURE = "susssasa{sv}i"
ALLOW, CLOSE_LOOP = "allow", "close-loop"
SETUP_TIMEOUT = 2.0  # seconds, for the bus's own answers at start


def _connect() -> Any | None:
    """A bus connection that listens for ActionInvoked, or None without bus or server."""
    if sys.platform != "linux":
        return None
    try:
        from jeepney import MatchRule
        from jeepney.bus_messages import message_bus
        from jeepney.io.blocking import open_dbus_connection

        conn = open_dbus_connection("SESSION")
    except Exception:  # no jeepney, no address, a bus that is gone: no buttons
        return None
    try:
        owned = conn.send_and_get_reply(message_bus.NameHasOwner(SERVICE),
                                        timeout=SETUP_TIMEOUT).body[0]
        startable = SERVICE in conn.send_and_get_reply(
            message_bus.ListActivatableNames(), timeout=SETUP_TIMEOUT).body[0]
        if not (owned or startable):
            conn.close()
            return None
        rule = MatchRule(type="signal", interface=SERVICE, member="ActionInvoked", path=PATH)
        conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=SETUP_TIMEOUT)
    except Exception:
        conn.close()
        return None
    return conn


class DesktopNotifier(QObject):
    """Sends held-message notifications and says which button the user pressed."""

    allow_requested = Signal(str)  # address
    close_loop_requested = Signal(str)  # address
    undelivered = Signal(str, str)  # title, body: the server refused, show them another way

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.conn: Any | None = None
        self.asked = False  # whether the bus was asked yet (once: a bus that is gone stays gone)
        self.sent: dict[int, tuple[str, str, str]] = {}  # call serial → address, title, body
        self.shown: dict[int, str] = {}  # notification id → address
        self.reader: QSocketNotifier | None = None

    def available(self) -> bool:
        if not self.asked:
            self.asked = True
            self.conn = _connect()
            if self.conn is not None:
                self.reader = QSocketNotifier(self.conn.sock.fileno(),
                                              QSocketNotifier.Type.Read, self)
                self.reader.activated.connect(self._read)
        return self.conn is not None

    def notify_held(self, address: str, title: str, body: str) -> bool:
        """Show the notification; False when there is no server to show it (use the tray)."""
        if not self.available() or self.conn is None:
            return False
        from jeepney import DBusAddress, new_method_call

        actions = [ALLOW, t("Allow once"), CLOSE_LOOP, t("Close the loop instead")]
        call = new_method_call(DBusAddress(PATH, SERVICE, SERVICE), "Notify", SIGNATURE,
                               ("NetGuard", 0, "netguard", title, body, actions, {}, -1))
        serial = next(self.conn.outgoing_serial)
        try:
            self.conn.send(call, serial=serial)
        except OSError:
            self.close()
            return False
        self.sent[serial] = (address, title, body)
        return True

    def _read(self) -> None:
        while self.conn is not None:
            try:
                message = self.conn.receive(timeout=0)
            except TimeoutError:
                return
            except Exception:  # the bus went away: later notices use the tray
                self.close()
                return
            self._handle(message)

    def _handle(self, message: Any) -> None:
        from jeepney import HeaderFields, MessageType

        fields, kind = message.header.fields, message.header.message_type
        serial = fields.get(HeaderFields.reply_serial)
        if serial in self.sent:
            address, title, body = self.sent.pop(serial)
            if kind is MessageType.method_return:
                self.shown[message.body[0]] = address
            else:
                self.undelivered.emit(title, body)
        elif kind is MessageType.signal and fields.get(HeaderFields.member) == "ActionInvoked":
            number, action = message.body
            held = self.shown.pop(number, None)  # a pressed button closes it
            if held is not None and action == ALLOW:
                self.allow_requested.emit(held)
            elif held is not None and action == CLOSE_LOOP:
                self.close_loop_requested.emit(held)

    def close(self) -> None:
        if self.reader is not None:
            self.reader.setEnabled(False)
        if self.conn is not None:
            self.conn.close()
        self.conn = None
