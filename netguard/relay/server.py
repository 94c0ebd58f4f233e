"""The relay server: aiosmtpd on loopback, AUTH required, the guard before every message.

    relay = Relay(conn, settings, port=2525).start()   # 127.0.0.1 or ::1 only
    ...
    relay.stop()

A clear message is submitted upstream *before* the client gets its answer, and the client
gets upstream's verdict: a permanent refusal stays permanent, anything else that went wrong
upstream (network, login, a 4xx) is a temporary 451 so the client retries. A message that
already went to the same recipients (same Message-ID, see ``deliveries``) is acknowledged
without sending it again; a copy of it to someone else goes out.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, TypeVar

from netguard import outbox
from netguard.accounts.credentials import Credentials, credentials_for
from netguard.errors import KnownError, NetworkError, UsageError
from netguard.mail.headers import parse
from netguard.mail.send import remember_sent
from netguard.mail.smtp import Envelope, SmtpRefused, deliver
from netguard.relay import credentials, deliveries
from netguard.relay.certificate import server_context
from netguard.relay.decide import (
    HEADER_LIMIT,
    Decision,
    decide,
    header_block,
    is_mine,
    resent_by,
    smtp_reply,
)
from netguard.relay.protocol import LoginDelay, RelayController, growing_delay
from netguard.settings import Settings
from netguard.texts import language, text

log = logging.getLogger(__name__)
DEFAULT_HOST = "127.0.0.1"
T = TypeVar("T")
UPSTREAM_SESSIONS = 16  # messages handed upstream side by side (one big one holds only one)


def read_header(spool: IO[bytes]) -> bytes:
    """The header block of the spooled message (what the guard reads)."""
    spool.seek(0)
    return header_block(spool.read(HEADER_LIMIT))


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class RelayHandler:
    """aiosmtpd hooks on the relay's event loop. Nothing slow runs there: the store and the
    guard run on one store thread (they share one connection), the upstream send in a pool."""

    def __init__(self, conn: sqlite3.Connection, settings: Settings, upstream: Credentials,
                 on_refused: Callable[[Decision], None] | None = None) -> None:
        self.conn, self.settings, self.upstream = conn, settings, upstream
        self.lang = language(settings.language)
        self.on_refused = on_refused
        self.store = ThreadPoolExecutor(max_workers=1, thread_name_prefix="relay-store")
        self.senders = ThreadPoolExecutor(max_workers=UPSTREAM_SESSIONS,
                                          thread_name_prefix="relay-upstream")
        self.in_flight: set[tuple[str, tuple[str, ...]]] = set()

    async def handle_MAIL(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:
        if not loopback(str(session.peer[0])):
            return "550 5.7.1 NetGuard relays only for this computer"
        if not session.authenticated:
            return smtp_reply(530, "5.7.0", text("relay", self.lang, "auth_required"))
        if not await self._on_store(is_mine, self.conn, self.settings, address):
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
        spool: IO[bytes] = envelope.spool
        sender, recipients = str(envelope.mail_from), tuple(envelope.rcpt_tos)
        header = await self._on_store(read_header, spool)
        decision = await self._on_store(self._judge, sender, header, recipients)
        if decision is None:
            # a client's retry of what went out: not twice
            return smtp_reply(250, "2.0.0", text("relay", self.lang, "already_delivered"))
        if decision.reply:
            return self._refused(decision)
        key = (decision.headers.message_id, deliveries.recipients_key(recipients))
        if key in self.in_flight:  # the same retry while the first is still on its way
            return smtp_reply(451, "4.4.1", text("relay", self.lang, "in_flight"))
        self.in_flight.add(key)
        try:
            reply = await self._upstream(Envelope(sender, recipients, spool,
                                                  tuple(envelope.mail_options)))
        finally:
            self.in_flight.discard(key)
        if reply.startswith("250"):
            await self._on_store(self._delivered, decision, header, recipients)
        return reply

    async def _on_store(self, work: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.store, work, *args)

    def _judge(self, sender: str, header: bytes,
               recipients: tuple[str, ...]) -> Decision | None:
        """On the store thread: None when this went to these recipients already."""
        headers = parse(header, datetime.now(UTC))
        if deliveries.delivered(self.conn, headers.message_id, recipients):
            return None
        return decide(self.conn, self.settings, sender, headers, self.lang,
                      judged=deliveries.known(self.conn, headers.message_id),
                      resender=resent_by(header))

    def _refused(self, decision: Decision) -> str:
        log.info("Relay refused %s: %s", decision.headers.message_id, decision.reply)
        if self.on_refused is not None:
            self.on_refused(decision)
        return decision.reply

    def _delivered(self, decision: Decision, header: bytes,
                   recipients: tuple[str, ...]) -> None:
        deliveries.record(self.conn, decision.headers.message_id, recipients)
        if decision.allowed_past:
            outbox.record_override(self.conn, decision.headers.message_id,
                                   decision.allowed_past, "allow")
        if not decision.resent:  # a bounce's From is not mine (SPEC §1 "Me")
            remember_sent(self.conn, header, self.settings.account.sent_folder)

    async def _upstream(self, envelope: Envelope) -> str:
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self.senders, deliver, self.settings.account,
                                       self.upstream, envelope)
        except SmtpRefused as err:
            if err.temporary:
                return self._temporary(str(err))
            return smtp_reply(err.code if 500 <= err.code < 600 else 554, "5.0.0", str(err))
        except KnownError as err:
            return self._temporary(str(err))
        return "250 2.0.0 Delivered upstream by NetGuard"

    def close(self) -> None:
        self.store.shutdown()
        self.senders.shutdown()

    def _temporary(self, reason: str) -> str:
        log.warning("Upstream failed: %s", reason)
        return smtp_reply(451, "4.4.1", text("relay", self.lang, "upstream_down", reason=reason))


class Relay:
    """The running relay: ``start()`` binds (loopback only), ``stop()`` closes.

    With ``tls_dir`` (the profile's data folder) it offers STARTTLS with its own certificate
    kept there; the login works with or without it (loopback only). ``login_delay(n)`` is
    awaited after the n-th wrong login on a connection (tests pass one that records).
    """

    def __init__(self, conn: sqlite3.Connection, settings: Settings, *, port: int = 2525,
                 host: str = DEFAULT_HOST,
                 on_refused: Callable[[Decision], None] | None = None,
                 tls_dir: Path | None = None, login_delay: LoginDelay = growing_delay) -> None:
        """``on_refused(decision)`` runs on a relay thread for every refused message
        (the app shows its *Allow once* notice from there)."""
        lang = language(settings.language)
        if not loopback(host):
            raise UsageError(text("relay", lang, "not_loopback", host=host))
        self.host, self.port = host, port
        logging.getLogger("mail.log").setLevel(logging.ERROR)  # aiosmtpd: a line per command
        credentials.credentials()  # make the relay login now, not during the first AUTH
        self._handler = RelayHandler(conn, settings, credentials_for(settings), on_refused)
        tls = {"tls_context": server_context(tls_dir)} if tls_dir is not None else {}
        # Loopback only, so the login may go without TLS: nothing leaves this computer.
        self._controller = RelayController(
            self._handler, login_delay, lang, hostname=host, port=port, auth_require_tls=False,
            server_hostname="netguard-relay", enable_SMTPUTF8=True,
            data_size_limit=settings.relay.max_message_mb * 1024 * 1024, **tls,
        )

    def start(self) -> Relay:
        try:
            self._controller.start()
        except OSError as err:
            self._controller.loop.close()  # aiosmtpd leaves it open when the bind fails
            self._handler.close()
            raise NetworkError(f"The relay cannot listen on {self.host}:{self.port}: "
                               f"{err.strerror or err}") from None
        return self

    def stop(self) -> None:
        self._controller.stop()
        self._handler.close()
