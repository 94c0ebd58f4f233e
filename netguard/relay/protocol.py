"""The relay's SMTP dialect: aiosmtpd with long lines, a size limit, and a slow wrong login.

- Lines up to ``LINE_LIMIT`` bytes are taken (aiosmtpd's default of 1,001 refuses the long
  unwrapped lines msmtp and others send); the upstream server decides about them.
- ``SIZE`` is announced in EHLO (``data_size_limit``): a larger message is refused at MAIL.
- A wrong login is logged (user, never the password), answered, then the connection waits
  ``login_delay(n)`` before the next command: 1, 2, 4 s by default. After ``MAX_FAILED_LOGINS``
  the relay closes the connection.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

from netguard.relay import credentials

log = logging.getLogger(__name__)
LINE_LIMIT = 1024 * 1024
MAX_FAILED_LOGINS = 3
LoginDelay = Callable[[int], Awaitable[None]]


async def growing_delay(failures: int) -> None:
    """1 s after the first wrong login on a connection, 2 s after the second, then 4 s."""
    await asyncio.sleep(2.0 ** (failures - 1))


class RelaySMTP(SMTP):
    """One client connection."""

    line_length_limit = LINE_LIMIT

    def __init__(self, handler: Any, *, login_delay: LoginDelay = growing_delay,
                 **kwargs: Any) -> None:
        super().__init__(handler, authenticator=_authenticate, **kwargs)
        self.login_delay = login_delay
        self.failed_logins = 0
        self.refused_login: bytes | None = None

    async def smtp_AUTH(self, arg: str) -> None:
        await super().smtp_AUTH(arg)
        if self.refused_login is None:
            return
        self.failed_logins += 1
        user = self.refused_login.decode("utf-8", "replace")
        self.refused_login = None
        peer = self.session.peer if self.session else None
        log.warning("Relay login refused for user %r from %s (%d on this connection)",
                    user, peer, self.failed_logins)
        if self.failed_logins >= MAX_FAILED_LOGINS:
            await self.push("421 4.7.0 Too many failed logins; closing the connection")
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

    def __init__(self, handler: Any, login_delay: LoginDelay, **kwargs: Any) -> None:
        self.login_delay = login_delay
        super().__init__(handler, **kwargs)

    def factory(self) -> RelaySMTP:
        return RelaySMTP(self.handler, login_delay=self.login_delay, **self.SMTP_kwargs)
