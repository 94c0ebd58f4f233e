"""A relay in front of a real aiosmtpd upstream, for the relay's integration tests."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

from netguard import secrets
from netguard.relay.credentials import credentials
from netguard.relay.server import Relay
from netguard.settings import Account, Settings
from netguard.store.people import add_me
from netguard.workspace import Workspace
from tests.integration.mailflow import CONTACT
from tests.servers.smtp import free_port

ME = "me@example.test"


class Env:
    """The workspace, the upstream server, the relay's port and the login delays it asked for."""

    def __init__(self, workspace: Workspace, upstream: Any, port: int) -> None:
        self.workspace, self.upstream, self.port = workspace, upstream, port
        self.delays: list[int] = []

    async def record_delay(self, failures: int) -> None:
        self.delays.append(failures)

    @property
    def tls_dir(self) -> Path:
        return self.workspace.profile.data_dir

    def client(self, login: bool = True) -> smtplib.SMTP:
        client = smtplib.SMTP("127.0.0.1", self.port, timeout=30)
        if login:
            client.login(*credentials())
        return client

    def send(self, message: bytes, sender: str = ME, to: str = CONTACT) -> None:
        self.send_to(message, [to], sender)

    def send_to(self, message: bytes, to: list[str], sender: str = ME,
                options: tuple[str, ...] = ()) -> None:
        with self.client() as client:
            client.sendmail(sender, to, message, mail_options=options)


def message(subject: str = "Proposal", sender: str = ME, to: str = CONTACT,
            message_id: str = "", body: str = "Hello Anna\r\n") -> bytes:
    return (
        f"From: Me <{sender}>\r\nTo: Anna de Vries <{to}>\r\nSubject: {subject}\r\n"
        f"Date: {format_datetime(datetime.now(UTC))}\r\n"
        f"Message-ID: {message_id or make_msgid(domain='example.test')}\r\n"
        f"X-Client: Thunderbird\r\n\r\n{body}"
    ).encode()


@contextmanager
def relay_env(home: Path, smtp_factory: Any, **upstream_options: Any) -> Iterator[Env]:
    """A profile whose account submits to a fresh upstream, and a relay on a free port
    (STARTTLS with its certificate in the profile; login delays recorded, never slept)."""
    upstream = smtp_factory(user=ME, password="upstream-secret", **upstream_options)
    workspace = Workspace.open(str(home))
    workspace.save_settings(Settings(account=Account(
        host="", user=ME, smtp_host=upstream.host, smtp_port=upstream.port,
        smtp_security="plain", timeout_seconds=30)))
    secrets.set_password(ME, "upstream-secret")
    add_me(workspace.store, ME, "login")
    env = Env(workspace, upstream, free_port())
    relay = Relay(workspace.store, workspace.settings, port=env.port, tls_dir=env.tls_dir,
                  login_delay=env.record_delay).start()
    try:
        yield env
    finally:
        relay.stop()
        workspace.close()
