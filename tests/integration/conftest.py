"""Real IMAP servers for integration tests, started on 127.0.0.1 by the suite itself.

Fixtures (import nothing: pytest finds them for every test under tests/integration/):

``dovecot`` -> ``DovecotAccount`` (function scope): a fresh user on the session's Dovecot, so tests
    are isolated. Fields: ``host``, ``port`` (plain, STARTTLS offered), ``tls_port`` (implicit TLS,
    self-signed), ``ca_file`` (trusts that certificate), ``user`` (an address), ``password``,
    ``server`` (the ``tests.servers.dovecot.DovecotServer``). Folders: INBOX, ``Sent`` (\\Sent),
    ``Drafts`` (\\Drafts), ``Archive`` (\\Archive), ``Verzonden items`` (no flag).
    Helpers: ``account(security="plain"|"starttls"|"ssl", **Account fields)`` -> a
    ``netguard.settings.Account`` pointing at this user; ``append(folder, *raw, flags="")`` (IMAP
    APPEND); ``snapshot()`` (flags + HIGHESTMODSEQ per folder); ``messages(folder)`` -> the
    full raw messages of a folder in UID order (check what a test sent or saved);
    ``login_attempts()`` -> password checks Dovecot logged for this user.
``dovecot_user(folders=...)`` -> a factory for a fresh ``DovecotAccount`` with only those folders
    (INBOX always exists); e.g. ``dovecot_user(folders=["Verzonden items"])`` has no \\Sent at all.
``dovecot_server`` (session scope): the running server, if a test needs it directly.
``pymap`` -> ``PymapServer`` (session scope): pymap's in-memory demo (user ``demouser`` /
    ``demopass``, folders INBOX, Sent, Trash, and no SPECIAL-USE), plain on ``port``;
    ``account()`` gives the matching ``Account``.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from netguard.settings import Account
from tests.servers.dovecot import (
    HOST,
    STANDARD_FOLDERS,
    DovecotServer,
    FolderSnapshot,
    User,
    free_port,
)


@dataclass(frozen=True)
class DovecotAccount:
    server: DovecotServer
    user: str
    password: str

    @property
    def host(self) -> str:
        return self.server.host

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def tls_port(self) -> int:
        return self.server.tls_port

    @property
    def ca_file(self) -> Path:
        return self.server.ca_file

    @property
    def _user(self) -> User:
        return User(self.user, self.password)

    def account(self, security: str = "plain", **changes: Any) -> Account:
        port = self.tls_port if security == "ssl" else self.port
        base = Account(host=self.host, port=port, user=self.user, security=security,  # type: ignore[arg-type]
                       timeout_seconds=10.0)
        return replace(base, **changes)

    def append(self, folder: str, *messages: bytes, flags: str = "") -> None:
        self.server.append(self._user, folder, *messages, flags=flags)

    def snapshot(self) -> dict[str, FolderSnapshot]:
        return self.server.snapshot(self._user)

    def messages(self, folder: str) -> list[bytes]:
        """The full raw messages in ``folder``, in UID order."""
        with self.server.imap(self._user) as imap:
            imap.select(f'"{folder}"', readonly=True)
            _typ, rows = imap.uid("FETCH", "1:*", "(BODY.PEEK[])")
            return [row[1] for row in rows if isinstance(row, tuple)]

    def login_attempts(self) -> int:
        return self.server.login_attempts(self.user)


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[DovecotServer]:
    server = DovecotServer.start()
    yield server
    server.stop()


@pytest.fixture
def dovecot_user(dovecot_server: DovecotServer) -> Callable[..., DovecotAccount]:
    def make(folders: Iterable[str] = STANDARD_FOLDERS) -> DovecotAccount:
        user = dovecot_server.new_user(folders)
        return DovecotAccount(dovecot_server, user.name, user.password)

    return make


@pytest.fixture
def dovecot(dovecot_user: Callable[..., DovecotAccount]) -> DovecotAccount:
    return dovecot_user()


@dataclass(frozen=True)
class PymapServer:
    port: int
    user: str = "demouser"
    password: str = "demopass"
    host: str = HOST

    def account(self, **changes: Any) -> Account:
        return replace(Account(host=self.host, port=self.port, user=self.user, security="plain",
                               timeout_seconds=10.0), **changes)


@pytest.fixture(scope="session")
def pymap() -> Iterator[PymapServer]:
    port = free_port()
    pymap_bin = Path(sys.executable).with_name("pymap")
    process = subprocess.Popen(
        [str(pymap_bin), "--host", HOST, "--port", str(port), "--no-tls", "dict", "--demo-data"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_greeting(port, process)
        yield PymapServer(port)
    finally:
        process.terminate()
        process.wait(10)


def _wait_for_greeting(port: int, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("pymap exited before listening")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), 1) as sock:
            if sock.recv(100).startswith(b"* OK"):
                return
        time.sleep(0.05)
    raise RuntimeError("pymap did not start")


# --- SMTP (aiosmtpd) -------------------------------------------------------------------------
# ``smtp_server`` -> ``tests.servers.smtp.SmtpServer`` (function scope): a started aiosmtpd on
#     127.0.0.1, plain, offering AUTH for user ``netguard@example.test`` / ``smtp-secret``;
#     ``.received`` lists what it accepted; ``.stop()`` / ``.start()`` take it down and up on the
#     same port. ``smtp_factory(security=..., user=..., password=...)`` makes more (ssl/starttls
#     with a self-signed certificate whose ``cert_file`` a client trusts as ``ca_file``).


@pytest.fixture
def smtp_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Any]]:
    from tests.servers.smtp import SmtpServer

    started: list[SmtpServer] = []
    cert_dir = tmp_path_factory.mktemp("smtp-cert")

    def make(security: str = "plain", user: str = "netguard@example.test",
             password: str = "smtp-secret", **options: Any) -> SmtpServer:
        server = SmtpServer(security, user, password, cert_dir=cert_dir, **options).start()
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def smtp_server(smtp_factory: Callable[..., Any]) -> Any:
    return smtp_factory()
