"""A real SMTP server for tests: aiosmtpd on loopback, recording what it receives.

``SmtpServer(...).start()`` picks a free port itself (aiosmtpd's ``Controller(port=0)`` does not
work: its readiness probe connects to port 0). ``stop()`` and ``start()`` again reuse the same
port, so a test can take the server "down" and bring it "up" again. Security is ``plain``,
``starttls`` or ``ssl`` with a self-signed certificate for ``localhost``/``127.0.0.1`` whose file
(``cert_file``) a client can trust as its CA. With ``user``/``password`` set the server offers
AUTH and accepts only that login; a failing authenticator returns
``AuthResult(success=False, handled=False)`` (anything else hangs the client).

With ``oauth=BearerCheck(issuer, public_key_pem)`` it also offers XOAUTH2 and OAUTHBEARER and
validates the JWT (signature, issuer, expiry, ``email`` = the SASL user) like Dovecot does; on a
refusal it sends the JSON error challenge and then 535. ``oauth_logins`` and ``oauth_refusals``
record what happened. Its command and line limits are raised: the AUTH line is long.

``smtputf8=False`` makes a server without SMTPUTF8; ``line_limit`` raises aiosmtpd's 1,001-byte
line limit; ``hold_over=N`` keeps any message over N bytes waiting (``holding`` is set) until
``release()``, so a test can look at what happens meanwhile.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import collections
import json
import socket
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import MISSING, AuthResult, Envelope, LoginPassword, Session
from aiosmtpd.smtp import SMTP as SMTPServer

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Received:
    """One message the server accepted."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes
    mail_options: tuple[str, ...] = ()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1: ``(cert, key)``."""
    cert, key = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    if not cert.exists():
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2",
             "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
            check=True, capture_output=True,
        )
    return cert, key


@dataclass
class _Recorder:
    """The aiosmtpd handler: records every accepted message; can refuse a recipient, hold its
    answer to the data until released, or drop the connection instead of answering."""

    received: list[Received] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    after_data: str = "answer"  # "answer" | "hold" (until ``released``) | "drop"
    released: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: threading.Condition = field(init=False)
    hold_over: int = 0
    holding: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.arrived = threading.Condition(self.lock)

    async def handle_RCPT(self, server: SMTPServer, session: Session, envelope: Envelope,
                          address: str, options: list[str]) -> str:
        if address.lower() in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTPServer, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        if self.hold_over and len(content) > self.hold_over:
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.released.wait, 60)
        with self.arrived:
            self.received.append(
                Received(str(envelope.mail_from), tuple(envelope.rcpt_tos), bytes(content),
                         tuple(envelope.mail_options))
            )
            self.arrived.notify_all()
        if self.after_data == "hold":
            await asyncio.get_running_loop().run_in_executor(None, self.released.wait)
        elif self.after_data == "drop":
            server.transport.close()  # the message is here; its sender never hears so
        return "250 2.0.0 OK queued"


class _Authenticator:
    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user.encode(), password.encode()

    def __call__(self, server: SMTPServer, session: Session, envelope: Envelope,
                 mechanism: str, auth_data: Any) -> AuthResult:
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == self.user
              and auth_data.password == self.password)
        if ok:
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)


@dataclass
class BearerCheck:
    """Validates bearer tokens the way the test Dovecot does (issuer, key, expiry, email)."""

    issuer: str
    public_key_pem: bytes
    logins: list[tuple[str, str]] = field(default_factory=list)  # (mechanism, user)
    refusals: list[str] = field(default_factory=list)  # reasons

    def refusal(self, user: str, token: str) -> str:
        """Why the token is refused for ``user``, or "" when it is good."""
        import jwt

        try:
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(token, self.public_key_pem, algorithms=["RS256"],
                                issuer=self.issuer, options={"verify_aud": False})
        except jwt.PyJWTError as err:
            return f"{type(err).__name__}: {err}"
        if header.get("typ") != "JWT":
            return "typ is not JWT"
        if claims.get("email") != user:
            return f"token is for {claims.get('email')}, not {user}"
        return ""


def _bearer(blob: bytes) -> tuple[str, str]:
    """``(user, token)`` from an XOAUTH2 or OAUTHBEARER initial response."""
    user = token = ""
    for part in blob.decode("utf-8", "replace").split("\x01"):
        if part.startswith("user="):
            user = part[5:]
        elif part.startswith("auth=Bearer "):
            token = part[12:]
        elif part.startswith("n,"):
            user = next((f[2:] for f in part.split(",") if f.startswith("a=")), "")
            user = user.replace("=2C", ",").replace("=3D", "=")
    return user, token


class _OAuthRecorder(_Recorder):
    """The recorder, plus XOAUTH2 and OAUTHBEARER (aiosmtpd finds ``auth_*`` on the handler)."""

    def __init__(self, check: BearerCheck, hold_over: int = 0) -> None:
        super().__init__(hold_over=hold_over)
        self.check = check

    async def auth_XOAUTH2(self, server: SMTPServer, args: list[str]) -> AuthResult:
        return await self._bearer_auth("XOAUTH2", server, args)

    async def auth_OAUTHBEARER(self, server: SMTPServer, args: list[str]) -> AuthResult:
        return await self._bearer_auth("OAUTHBEARER", server, args)

    async def _bearer_auth(self, mechanism: str, server: SMTPServer,
                           args: list[str]) -> AuthResult:
        if len(args) > 1:
            try:
                blob = base64.b64decode(args[1], validate=True)
            except binascii.Error:
                return AuthResult(success=False, handled=False)
        else:
            answer = await server.challenge_auth("")
            if answer is MISSING:
                return AuthResult(success=False, handled=True)
            blob = bytes(answer)
        user, token = _bearer(blob)
        reason = self.check.refusal(user, token)
        if not reason:
            self.check.logins.append((mechanism, user))
            return AuthResult(success=True, auth_data=user)
        self.check.refusals.append(reason)
        await server.challenge_auth(json.dumps({"status": "401", "schemes": "bearer"}))
        return AuthResult(success=False, handled=False)


class _RoomySMTP(SMTPServer):
    """aiosmtpd with room for a long ``AUTH XOAUTH2 <token>`` line (FACTS.md)."""

    command_size_limit = 16384
    line_length_limit = 16384

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.command_size_limits = collections.defaultdict(lambda: 16384)


class _LineController(Controller):
    """aiosmtpd's controller with its own line length limit (roomy: the OAuth2 server's)."""

    def __init__(self, line_limit: int, handler: Any, roomy: bool = False,
                 **kwargs: Any) -> None:
        base = _RoomySMTP if roomy else SMTPServer
        limit = max(line_limit, base.line_length_limit)
        self.smtp_class = type("LongLines", (base,), {"line_length_limit": limit})
        super().__init__(handler, **kwargs)

    def factory(self) -> SMTPServer:
        return self.smtp_class(self.handler, **self.SMTP_kwargs)  # type: ignore[no-any-return]


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1 that can go down and come back on the same port."""

    def __init__(self, security: str = "plain", user: str = "", password: str = "",
                 cert_dir: Path | None = None, oauth: BearerCheck | None = None, *,
                 smtputf8: bool = True, line_limit: int = 1001, hold_over: int = 0) -> None:
        if security not in ("plain", "starttls", "ssl"):
            raise ValueError(security)
        self.security = security
        self.user, self.password = user, password
        self.host = HOST
        self.port = free_port()
        self.cert_file: Path | None = None
        self._context: ssl.SSLContext | None = None
        if security != "plain":
            if cert_dir is None:
                raise ValueError("TLS needs a cert_dir")
            self.cert_file, key = make_certificate(cert_dir)
            self._context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self._context.load_cert_chain(self.cert_file, key)
        self.oauth = oauth
        self.smtputf8, self.line_limit = smtputf8, line_limit
        self.handler = (_Recorder(hold_over=hold_over) if oauth is None
                        else _OAuthRecorder(oauth, hold_over=hold_over))
        self._controller: Controller | None = None

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    @property
    def holding(self) -> threading.Event:
        """Set once a message over ``hold_over`` bytes arrived (and is held)."""
        return self.handler.holding

    def refuse(self, address: str) -> None:
        """Answer 550 to RCPT TO this address from now on."""
        self.handler.refuse.add(address.lower())

    def after_data(self, what: str) -> None:
        """After receiving a message: "answer" 250, "hold" the answer until ``release()``, or
        "drop" the connection without an answer."""
        self.handler.released.clear()
        self.handler.after_data = what

    def release(self) -> None:
        self.handler.released.set()

    def wait_for(self, count: int, seconds: float = 60) -> bool:
        """Block until ``count`` messages arrived (False after ``seconds``)."""
        with self.handler.arrived:
            return self.handler.arrived.wait_for(lambda: len(self.handler.received) >= count,
                                                 seconds)

    def start(self) -> SmtpServer:
        kwargs: dict[str, Any] = {"auth_require_tls": False}  # loopback tests only
        if self.user or self.oauth:
            kwargs["authenticator"] = _Authenticator(self.user, self.password)
        if self.security == "starttls":
            kwargs["tls_context"] = self._context
        ssl_context = self._context if self.security == "ssl" else None
        self._controller = _LineController(
            self.line_limit, self.handler, roomy=self.oauth is not None, hostname=self.host,
            port=self.port, ssl_context=ssl_context, server_hostname="localhost",
            enable_SMTPUTF8=self.smtputf8, **kwargs,
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        self.release()  # a held answer must not keep the server's loop from stopping
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None
