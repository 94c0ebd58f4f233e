"""A real CalDAV server for the suite: Radicale on loopback with a htpasswd login, its own
config and storage in a temp folder; ``calendar(name)`` makes a calendar collection."""

from __future__ import annotations

import base64
import contextlib
import http.client
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.servers.dovecot import free_port

HOST = "127.0.0.1"


class Radicale:
    def __init__(self, root: Path, user: str, password: str) -> None:
        self.root, self.user, self.password = root, user, password
        self.port = free_port()
        (root / "users").write_text(f"{user}:{password}\n", encoding="utf-8")
        config = root / "config"
        config.write_text("\n".join([
            "[server]", f"hosts = {HOST}:{self.port}",
            "[auth]", "type = htpasswd", f"htpasswd_filename = {root / 'users'}",
            "htpasswd_encryption = plain", "delay = 0",
            "[storage]", f"filesystem_folder = {root / 'collections'}",
            "[rights]", "type = owner_only",
            "[logging]", "level = warning", "",
        ]), encoding="utf-8")
        self.log = (root / "radicale.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", str(config)],
            stdout=self.log, stderr=subprocess.STDOUT)
        self._wait_ready()

    def _wait_ready(self, seconds: float = 20.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("radicale exited: "
                                   + (self.root / "radicale.log").read_text(errors="replace"))
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), 1):
                return
            time.sleep(0.05)  # polling for the port to open, not synchronising work
        raise RuntimeError("radicale did not start")

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}/{path.strip('/')}/"

    def calendar(self, name: str) -> str:
        """Create the calendar ``/<user>/<name>/``; returns its URL."""
        status = self.request("MKCALENDAR", f"/{self.user}/{name}/")
        assert status == 201, status
        return self.url(f"{self.user}/{name}")

    def request(self, method: str, path: str) -> int:
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=10)
        try:
            connection.request(method, path, headers={"Authorization": f"Basic {token}"})
            return connection.getresponse().status
        finally:
            connection.close()

    def events(self, name: str) -> list[Path]:
        folder = self.root / "collections" / "collection-root" / self.user / name
        return sorted(folder.glob("*.ics"))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()
