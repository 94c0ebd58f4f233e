"""A private session bus and a fake freedesktop notification server for tests.

``SessionBus()`` starts Debian's ``dbus-daemon --session --nofork`` and knows its address;
``stop()`` kills it. ``python -m tests.servers.notifications ACTION`` (with
``DBUS_SESSION_BUS_ADDRESS`` set) owns ``org.freedesktop.Notifications``, answers each
``Notify`` with id 7 after printing the call's signature and arguments as one JSON line, and
then emits ``ActionInvoked(7, ACTION)`` as if the user had pressed that button. It runs in its
own process: a blocking QtDBus call and a server thread would hold each other up.
"""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
from typing import Any

from jeepney import DBusAddress, HeaderFields, MessageType, new_method_return, new_signal
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import open_dbus_connection

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
READY_TIMEOUT = 10.0


def read_line(process: subprocess.Popen[str], timeout: float = READY_TIMEOUT) -> str:
    """One line of the process's output, waiting at most ``timeout`` seconds."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            raise TimeoutError(f"no output from {process.args!r} in {timeout} s")
    return process.stdout.readline().strip()


class SessionBus:
    def __init__(self) -> None:
        self.process = subprocess.Popen(
            ["dbus-daemon", "--session", "--print-address", "--nofork"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            self.address = read_line(self.process)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


class RealServer:
    """GNOME's reference notification server (GDBus: it checks each call's signature) on its
    own Xvfb display, for the call as a real desktop receives it."""

    DAEMON = "/usr/lib/notification-daemon/notification-daemon"

    def __init__(self, env: dict[str, str]) -> None:
        read_end, write_end = os.pipe()
        self.display = subprocess.Popen(["Xvfb", "-displayfd", str(write_end), "-nolisten", "tcp"],
                                        pass_fds=(write_end,), stderr=subprocess.DEVNULL)
        os.close(write_end)
        self.daemon: subprocess.Popen[bytes] | None = None
        with os.fdopen(read_end) as number:
            with selectors.DefaultSelector() as selector:
                selector.register(number, selectors.EVENT_READ)
                ready = selector.select(READY_TIMEOUT)
            display = number.readline().strip() if ready else ""
        if not display:
            self.stop()
            raise TimeoutError("Xvfb gave no display")
        self.daemon = subprocess.Popen([self.DAEMON], env=dict(env, DISPLAY=f":{display}"),
                                       stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        for process in (self.daemon, self.display):
            if process is not None:
                process.kill()
                process.wait()


class FakeServer:
    """The server process; ``calls()`` reads the Notify calls it recorded."""

    def __init__(self, env: dict[str, str], action: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.servers.notifications", action],
            stdout=subprocess.PIPE, text=True, env=env)
        try:
            assert read_line(self.process) == "ready"
        except BaseException:
            self.stop()
            raise

    def next_call(self) -> dict[str, Any]:
        call: dict[str, Any] = json.loads(read_line(self.process))
        return call

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()


def serve(action: str) -> None:
    conn = open_dbus_connection("SESSION")
    conn.send_and_get_reply(message_bus.RequestName(SERVICE), timeout=READY_TIMEOUT)
    print("ready", flush=True)
    emitter = DBusAddress(PATH, interface=SERVICE)
    while True:
        msg = conn.receive()
        fields = msg.header.fields
        if (msg.header.message_type is not MessageType.method_call
                or fields.get(HeaderFields.member) != "Notify"):
            continue
        print(json.dumps({"signature": fields.get(HeaderFields.signature),
                          "args": list(msg.body)}), flush=True)
        conn.send(new_method_return(msg, "u", (7,)))
        conn.send(new_signal(emitter, "ActionInvoked", "us", (7, action)))


if __name__ == "__main__":
    serve(sys.argv[1])
