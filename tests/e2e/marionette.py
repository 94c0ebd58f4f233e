"""Just enough of a Marionette client to run chrome scripts in Thunderbird.

The protocol (Marionette protocol 3): on connect the server sends a hello; every packet is
``<length>:<JSON>``; a command is ``[0, id, name, params]``, its answer ``[1, id, error, result]``.
"""

from __future__ import annotations

import json
import socket
import time
from typing import Any


class MarionetteError(RuntimeError):
    pass


class Marionette:
    def __init__(self, port: int, startup_seconds: float = 60) -> None:
        self.sock = _connect(port, startup_seconds)
        self.buffer = b""
        self.next_id = 0
        hello = self._packet()
        if hello.get("marionetteProtocol") != 3:
            raise MarionetteError(f"unexpected hello {hello!r}")

    def start(self, script_seconds: float = 30) -> None:
        self.command("WebDriver:NewSession", {"strictFileInteractability": True})
        self.command("WebDriver:SetTimeouts", {"script": int(script_seconds * 1000)})
        self.command("Marionette:SetContext", {"value": "chrome"})

    def execute_async(self, script: str, *args: Any) -> Any:
        """Run ``script`` in chrome; its last argument resolves it with the value returned."""
        result = self.command("WebDriver:ExecuteAsyncScript",
                              {"script": script, "args": list(args), "newSandbox": True})
        return result["value"]

    def command(self, name: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        data = json.dumps([0, self.next_id, name, params]).encode()
        self.sock.sendall(str(len(data)).encode() + b":" + data)
        kind, answered, error, result = self._packet()
        if (kind, answered) != (1, self.next_id):
            raise MarionetteError(f"unexpected answer to {name}")
        if error:
            raise MarionetteError(f"{name}: {error}")
        return result

    def close(self) -> None:
        try:
            self.command("WebDriver:DeleteSession", {})
        finally:
            self.sock.close()

    def _packet(self) -> Any:
        while b":" not in self.buffer:
            self._fill()
        length, _, self.buffer = self.buffer.partition(b":")
        while len(self.buffer) < int(length):
            self._fill()
        body, self.buffer = self.buffer[:int(length)], self.buffer[int(length):]
        return json.loads(body)

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise MarionetteError("Thunderbird closed the connection")
        self.buffer += chunk


def _connect(port: int, seconds: float) -> socket.socket:
    """Connect once Thunderbird listens (it opens the port a few seconds after starting)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
        else:
            return sock
