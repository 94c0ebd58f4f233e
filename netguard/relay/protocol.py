"""The relay's SMTP dialect: aiosmtpd with long lines, a size limit, and a slow wrong login.

- Message lines of any length are taken (aiosmtpd's 1,001 bytes refused the long unwrapped
  lines msmtp and others send); the upstream server decides about them. Commands keep
  aiosmtpd's limits.
- ``SIZE`` is announced in EHLO (``data_size_limit``): a larger message is refused at MAIL.
- DATA is read in pieces into a spool (``SpooledTemporaryFile``: memory up to
  ``SPOOL_MEMORY``, then an unnamed temporary file), never into one bytes object: the handler
  gets ``envelope.spool``; ``envelope.content`` stays None. This replaces aiosmtpd's
  ``smtp_DATA``, which reads line by line and keeps every message whole in memory (twice while
  joining it).
- A wrong login is logged (user, never the password), answered, then the connection waits
  ``login_delay(n)`` before the next command: 1, 2, 4 s by default. After ``MAX_FAILED_LOGINS``
  the relay closes the connection.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from tempfile import SpooledTemporaryFile
from typing import IO, Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import MISSING, SMTP, AuthResult, LoginPassword

from netguard.relay import credentials
from netguard.relay.decide import smtp_reply
from netguard.texts import text

log = logging.getLogger(__name__)
MAX_FAILED_LOGINS = 3
SPOOL_MEMORY = 1024 * 1024
READ_CHUNK = HOLD = 256 * 1024
TOO_MUCH = "552 Error: Too much mail data"
LoginDelay = Callable[[int], Awaitable[None]]


async def growing_delay(failures: int) -> None:
    """1 s after the first wrong login on a connection, 2 s after the second, then 4 s."""
    await asyncio.sleep(2.0 ** (failures - 1))


class DataReader:
    """DATA as it arrives, piece by piece: the message with dots unstuffed, until CRLF.CRLF.

    Only CRLF ends a line (a bare LF never ends DATA: no SMTP smuggling). A line may be any
    length: what is held back is at most one partial line of ``HOLD`` bytes.
    """

    def __init__(self) -> None:
        self.pending, self.line_start, self.done = b"", True, False

    def feed(self, chunk: bytes) -> bytes:
        """The message bytes that ``chunk`` completes (sets ``done`` at the lone dot)."""
        self.pending += chunk
        end = self.pending.rfind(b"\r\n")
        if end < 0:
            return self._partial()
        block, self.pending = self.pending[:end + 2], self.pending[end + 2:]
        head = b""
        if not self.line_start:  # the rest of a long line written before
            cut = block.index(b"\r\n") + 2
            head, block = block[:cut], block[cut:]
        lines = b"\r\n" + block  # every line now starts after a CRLF
        stop = lines.find(b"\r\n.\r\n")
        if stop >= 0:
            self.done, lines = True, lines[:stop + 2]
        self.line_start = True
        return head + lines.replace(b"\r\n.", b"\r\n")[2:]

    def _partial(self) -> bytes:
        if len(self.pending) <= HOLD:
            return b""
        part, self.pending = self.pending[:-1], self.pending[-1:]  # a CR may end it
        if self.line_start and part.startswith(b"."):
            part = part[1:]
        self.line_start = False
        return part


class RelaySMTP(SMTP):
    """One client connection."""

    def __init__(self, handler: Any, *, login_delay: LoginDelay = growing_delay,
                 lang: str = "en", **kwargs: Any) -> None:
        super().__init__(handler, authenticator=_authenticate, **kwargs)
        self.login_delay, self.lang = login_delay, lang
        self.failed_logins = 0
        self.refused_login: bytes | None = None

    async def smtp_DATA(self, arg: str) -> None:
        """As aiosmtpd's, but the message goes to a spool as it arrives."""
        if await self.check_helo_needed() or await self.check_auth_needed("DATA"):
            return
        assert self.envelope is not None
        if not self.envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        if arg:
            await self.push("501 Syntax: DATA")
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        with SpooledTemporaryFile(max_size=SPOOL_MEMORY) as spool:
            problem = await self._receive(spool)
            status = problem or await self._hand_over(spool)
        self._set_post_data_state()  # type: ignore[no-untyped-call]
        await self.push("250 OK" if status is MISSING else status)

    async def _receive(self, spool: IO[bytes]) -> str:
        """Read DATA up to the lone dot into ``spool``; an SMTP error, or "" when it fits."""
        reader, size, problem = DataReader(), 0, ""
        while not reader.done:
            try:
                chunk = await self._reader.read(READ_CHUNK)
            except asyncio.CancelledError:  # the connection went during DATA
                self._writer.close()
                raise
            if not chunk:
                raise ConnectionResetError("the client left during DATA")
            content = reader.feed(chunk)
            size += len(content)
            if self.data_size_limit and size > self.data_size_limit:
                problem = TOO_MUCH
            if not problem:
                spool.write(content)
        return problem

    async def _hand_over(self, spool: IO[bytes]) -> Any:
        assert self.envelope is not None
        spool.seek(0)
        self.envelope.spool = spool  # type: ignore[attr-defined]
        return await self._call_handler_hook("DATA")

    async def smtp_AUTH(self, arg: str) -> None:
        await super().smtp_AUTH(arg)
        if self.refused_login is None:
            return
        self.failed_logins += 1
        user = self.refused_login.decode("utf-8", "replace")
        self.refused_login = None
        peer = self.session.peer if self.session else None
        log.warning("Relay: a wrong sign-in for user %r from %s (%d on this connection)",
                    user, peer, self.failed_logins)
        if self.failed_logins >= MAX_FAILED_LOGINS:
            await self.push(smtp_reply(421, "4.7.0", text("relay", self.lang, "too_many_logins")))
            if self.transport is not None:
                self.transport.close()
            return
        await self.login_delay(self.failed_logins)


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str,
                  auth_data: Any) -> AuthResult:
    if isinstance(auth_data, LoginPassword):
        if credentials.matches(auth_data.login, auth_data.password):
            return AuthResult(success=True)
        server.refused_login = auth_data.login
    return AuthResult(success=False, handled=False)


class RelayController(Controller):
    """aiosmtpd's controller, making ``RelaySMTP`` connections."""

    def __init__(self, handler: Any, login_delay: LoginDelay, lang: str,
                 **kwargs: Any) -> None:
        self.login_delay, self.lang = login_delay, lang
        super().__init__(handler, **kwargs)

    def factory(self) -> RelaySMTP:
        return RelaySMTP(self.handler, login_delay=self.login_delay, lang=self.lang,
                         **self.SMTP_kwargs)
