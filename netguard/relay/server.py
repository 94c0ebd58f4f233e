"""The relay server: aiosmtpd on loopback, AUTH required, the guard before every message.

    relay = Relay(conn, settings, port=2525).start()   # 127.0.0.1 or ::1 only
    ...
    relay.stop()

A clear message is submitted upstream *before* the client gets its answer, and the client
gets upstream's verdict: a permanent refusal stays permanent, anything else that went wrong
upstream (network, login, a 4xx) is a temporary 451 so the client retries. A message whose
Message-ID was already delivered is acknowledged without sending it again.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from netguard import outbox
from netguard.accounts.credentials import Credentials, credentials_for
from netguard.errors import KnownError, NetworkError, UsageError
from netguard.mail.headers import parse
from netguard.mail.send import remember_sent
from netguard.mail.smtp import Envelope, SmtpRefused, deliver
from netguard.relay import credentials
from netguard.relay.decide import Decision, decide, is_mine, smtp_reply
from netguard.settings import Settings
from netguard.texts import language, text

log = logging.getLogger(__name__)
DEFAULT_HOST = "127.0.0.1"


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class RelayHandler:
    """aiosmtpd hooks. Runs on the relay's event loop; the upstream send runs in a thread."""

    def __init__(self, conn: sqlite3.Connection, settings: Settings, upstream: Credentials,
                 on_refused: Callable[[Decision], None] | None = None) -> None:
        self.conn, self.settings, self.upstream = conn, settings, upstream
        self.lang = language(settings.language)
        self.on_refused = on_refused

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:
        if not loopback(str(session.peer[0])):
            return "550 5.7.1 NetGuard relays only for this computer"
        if not session.authenticated:
            return smtp_reply(530, "5.7.0", text("relay", self.lang, "auth_required"))
        if not is_mine(self.conn, self.settings, address):
            return smtp_reply(553, "5.7.1", text("relay", self.lang, "not_my_sender",
                                                 sender=address))
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        try:
            return await self._relay(envelope)
        except Exception:  # never a permanent error for our own failure: the client retries
            log.exception("The relay failed on a message")
            return "451 4.3.0 NetGuard could not handle the message; your mail client will retry"

    async def _relay(self, envelope: Any) -> str:
        raw = bytes(envelope.original_content or b"")
        sender = str(envelope.mail_from)
        if self._delivered(parse(raw, datetime.now(UTC)).message_id):
            return "250 2.0.0 Already delivered by NetGuard"  # a client's retry: not twice
        decision = decide(self.conn, self.settings, sender, raw, self.lang)
        if decision.reply:
            log.info("Relay refused %s: %s", decision.headers.message_id, decision.reply)
            if self.on_refused is not None:
                self.on_refused(decision)
            return decision.reply
        reply = await self._upstream(Envelope(sender, tuple(envelope.rcpt_tos), raw))
        if reply.startswith("250"):
            if decision.allowed_past:
                outbox.record_override(self.conn, decision.headers.message_id,
                                       decision.allowed_past, "allow")
            remember_sent(self.conn, raw, self.settings.account.sent_folder)
        return reply

    async def _upstream(self, envelope: Envelope) -> str:
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(None, deliver, self.settings.account, self.upstream,
                                       envelope)
        except SmtpRefused as err:
            if err.temporary:
                return self._temporary(str(err))
            return smtp_reply(err.code if 500 <= err.code < 600 else 554, "5.0.0", str(err))
        except KnownError as err:
            return self._temporary(str(err))
        return "250 2.0.0 Delivered upstream by NetGuard"

    def _temporary(self, reason: str) -> str:
        log.warning("Upstream failed: %s", reason)
        return smtp_reply(451, "4.4.1", text("relay", self.lang, "upstream_down", reason=reason))

    def _delivered(self, message_id: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM messages m JOIN folders f ON f.id = m.folder_id "
            "WHERE f.role = 'sent' AND m.message_id = ? LIMIT 1", (message_id,)
        ).fetchone()
        return row is not None


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str,
                  auth_data: Any) -> AuthResult:
    if isinstance(auth_data, LoginPassword) and credentials.matches(auth_data.login,
                                                                    auth_data.password):
        return AuthResult(success=True)
    return AuthResult(success=False, handled=False)


class Relay:
    """The running relay: ``start()`` binds (loopback only), ``stop()`` closes."""

    def __init__(self, conn: sqlite3.Connection, settings: Settings, port: int = 2525,
                 host: str = DEFAULT_HOST,
                 on_refused: Callable[[Decision], None] | None = None) -> None:
        """``on_refused(decision)`` runs on the relay's thread for every refused message
        (the app shows its *Allow once* notice from there)."""
        lang = language(settings.language)
        if not loopback(host):
            raise UsageError(text("relay", lang, "not_loopback", host=host))
        self.host, self.port = host, port
        credentials.credentials()  # make the relay login now, not during the first AUTH
        handler = RelayHandler(conn, settings, credentials_for(settings), on_refused)
        # Loopback only, so the login may go without TLS: nothing leaves this computer.
        self._controller = Controller(
            handler, hostname=host, port=port, authenticator=_authenticate,
            auth_require_tls=False, server_hostname="netguard-relay",
        )

    def start(self) -> Relay:
        try:
            self._controller.start()
        except OSError as err:
            self._controller.loop.close()  # aiosmtpd leaves it open when the bind fails
            raise NetworkError(f"The relay cannot listen on {self.host}:{self.port}: "
                               f"{err.strerror or err}") from None
        return self

    def stop(self) -> None:
        self._controller.stop()
