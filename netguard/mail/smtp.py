"""Handing a message to the account's SMTP server: SSL (465), STARTTLS (587), or plain on request.

Certificates are verified (the system store, or ``account.ca_file``). Recipients are checked
one by one before DATA, so a refused recipient refuses the whole message: either every
recipient gets it or nobody does. Every failure becomes a known error; ``SmtpRefused``
carries the server's reply code so the relay can pass it on as temporary or permanent.
"""

from __future__ import annotations

import functools
import io
import logging
import smtplib
import socket
import ssl
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from netguard.accounts.credentials import Credentials, as_credentials
from netguard.errors import AuthError, CertificateError, ConfigError, NetworkError, ServerError
from netguard.settings import Account

log = logging.getLogger(__name__)
CHUNK = 256 * 1024  # DATA is read and sent in pieces of this size: memory stays flat


class SmtpRefused(ServerError):
    """The SMTP server refused the message (or a recipient) with ``code``."""

    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code

    @property
    def temporary(self) -> bool:
        return 400 <= self.code < 500


@dataclass(frozen=True)
class Envelope:
    """What SMTP needs: the envelope sender, every recipient (To, Cc, Bcc) and the message,
    as bytes or as a file to stream from (the relay's spool of a large message).

    ``mail_options`` are the MAIL FROM parameters a client gave the relay (``SMTPUTF8``,
    ``BODY=8BITMIME``, ``SIZE=n``); they are passed on as far as the server offers them.
    """

    sender: str
    recipients: tuple[str, ...]
    raw: bytes | IO[bytes]
    mail_options: tuple[str, ...] = ()


def _nothing() -> None:
    pass


def deliver(account: Account, credentials: Credentials | str, envelope: Envelope,
            on_data: Callable[[], None] = _nothing) -> None:
    """Submit ``envelope`` to the account's SMTP server, or raise a known error.

    ``credentials`` logs in (a string is the password). ``on_data`` runs just before the DATA
    command: from then on a lost connection may mean a delivered message (the outbox marks it
    *in doubt*)."""
    if not account.smtp_host:
        raise ConfigError("No SMTP server is configured. Run `netguard account set "
                          "--smtp-host H ...` first.")
    where = f"{account.smtp_host}:{account.smtp_port}"
    handed: list[bool] = []

    def data_goes_out() -> None:
        on_data()
        handed.append(True)

    try:
        with _session(account) as smtp:
            _login(smtp, account, as_credentials(account.user, credentials), where)
            _transfer(smtp, envelope, where, data_goes_out)
    except ssl.SSLCertVerificationError as err:
        raise CertificateError(
            f"The certificate of the SMTP server {where} could not be verified "
            f"({err.verify_message}). Check the server name, or trust its certificate "
            "in the account settings."
        ) from None
    except smtplib.SMTPResponseException as err:
        raise SmtpRefused(f"The SMTP server {where} refused the message: {err.smtp_code} "
                          f"{_text(err.smtp_error)}", err.smtp_code) from None
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError) as err:
        if handed:
            raise NetworkError(f"The SMTP server {where} did not answer the message: "
                               f"{_reason(err)}.") from None
        raise NetworkError(f"Cannot reach the SMTP server {where}: {_reason(err)}") from None


@contextmanager
def _session(account: Account) -> Iterator[smtplib.SMTP]:
    context = tls_context(account) if account.smtp_security != "plain" else None
    timeout = account.timeout_seconds
    smtp: smtplib.SMTP
    if account.smtp_security == "ssl":
        smtp = smtplib.SMTP_SSL(account.smtp_host, account.smtp_port, timeout=timeout,
                                context=context)
    else:
        smtp = smtplib.SMTP(account.smtp_host, account.smtp_port, timeout=timeout)
    try:
        smtp.ehlo()
        if account.smtp_security == "starttls":
            if not smtp.has_extn("starttls"):
                raise ServerError(f"The SMTP server {account.smtp_host} does not offer STARTTLS.")
            smtp.starttls(context=context)
            smtp.ehlo()
        yield smtp
    finally:
        _close(smtp)


def tls_context(account: Account) -> ssl.SSLContext:
    """A verifying client context: the system's CAs, or the account's own CA file."""
    return _verifying_context(account.ca_file)


@functools.lru_cache(maxsize=4)
def _verifying_context(ca_file: str) -> ssl.SSLContext:
    """Made once per CA file: loading the system's CAs costs ~100 ms, every message."""
    return ssl.create_default_context(cafile=ca_file or None)


def _login(smtp: smtplib.SMTP, account: Account, credentials: Credentials, where: str) -> None:
    if not smtp.has_extn("auth"):
        if account.smtp_security == "plain":
            return  # a local server without AUTH, configured on purpose
        raise ServerError(f"The SMTP server {where} does not offer a login.")
    try:
        credentials.smtp_login(smtp)
    except smtplib.SMTPAuthenticationError as err:
        check = ("Sign in again with `netguard account login`." if account.auth == "oauth2"
                 else "Check the password in the account settings.")
        raise AuthError(f"The SMTP server {where} refused the login for {account.user} "
                        f"({err.smtp_code}). {check}") from None
    except smtplib.SMTPException as err:
        raise ServerError(f"The SMTP server {where} refused the login: {err}") from None


def _transfer(smtp: smtplib.SMTP, envelope: Envelope, where: str,
              on_data: Callable[[], None] = _nothing) -> None:
    options = mail_options(smtp, envelope, where)
    _expect(smtp.mail(envelope.sender, options), f"the sender {envelope.sender}", where)
    for recipient in envelope.recipients:
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            smtp.rset()
            raise SmtpRefused(f"The SMTP server {where} refused the recipient {recipient}: "
                              f"{code} {_text(reply)}", code)
    on_data()
    _send_data(smtp, envelope.raw, where)


def _send_data(smtp: smtplib.SMTP, raw: bytes | IO[bytes], where: str) -> None:
    """DATA as ``smtplib.SMTP.data`` sends it (dots doubled at line starts, a final CRLF),
    read and sent a piece at a time instead of copied whole."""
    code, reply = smtp.docmd("DATA")
    if code != 354:
        raise SmtpRefused(f"The SMTP server {where} refused the message: {code} "
                          f"{_text(reply)}", code)
    source = io.BytesIO(raw) if isinstance(raw, bytes) else raw
    source.seek(0)
    for piece in stuffed(source):
        smtp.send(piece)
    _expect(smtp.getreply(), "the message", where)


def stuffed(source: IO[bytes], size: int = CHUNK) -> Iterator[bytes]:
    """The message as DATA carries it, in pieces: a dot that starts a line doubled, a CRLF
    at the end if missing, then the lone dot (as ``smtplib.SMTP.data``). The dot goes out
    with the last piece: a separate small write would wait for a delayed ACK (Nagle)."""
    line_start, last, held = True, b"", b""
    while chunk := source.read(size):
        if held:
            yield held
        piece = chunk.replace(b"\n.", b"\n..")
        held = b"." + piece if line_start and chunk.startswith(b".") else piece
        line_start, last = chunk.endswith(b"\n"), (last + chunk)[-2:]
    yield held + (b".\r\n" if last == b"\r\n" else b"\r\n.\r\n")


def mail_options(smtp: smtplib.SMTP, envelope: Envelope, where: str) -> list[str]:
    """MAIL FROM parameters for this server: SMTPUTF8 where an address needs it (a server
    without it refuses such a message for good), 8BITMIME and SIZE where offered."""
    asked = {option.upper().partition("=")[0]: option.upper() for option in envelope.mail_options}
    options: list[str] = []
    addresses = (envelope.sender, *envelope.recipients)
    if "SMTPUTF8" in asked or not all(address.isascii() for address in addresses):
        if not smtp.has_extn("smtputf8"):
            raise SmtpRefused(f"The SMTP server {where} does not accept international (UTF-8) "
                              "addresses (no SMTPUTF8); send this message without them.", 553)
        options.append("SMTPUTF8")
    size, ascii_only = _measure(envelope.raw)
    if (asked.get("BODY") == "BODY=8BITMIME" or not ascii_only) and smtp.has_extn("8bitmime"):
        options.append("BODY=8BITMIME")
    if smtp.has_extn("size"):
        options.append(f"SIZE={size}")
    return options


def _measure(raw: bytes | IO[bytes]) -> tuple[int, bool]:
    """``(size, ascii only)`` of the message, a piece at a time for a file."""
    if isinstance(raw, bytes):
        return len(raw), raw.isascii()
    raw.seek(0)
    size, ascii_only = 0, True
    while chunk := raw.read(CHUNK):
        size += len(chunk)
        ascii_only = ascii_only and chunk.isascii()
    return size, ascii_only


def _expect(answer: tuple[int, bytes], what: str, where: str) -> None:
    code, reply = answer
    if code != 250:
        raise SmtpRefused(f"The SMTP server {where} refused {what}: {code} {_text(reply)}", code)


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(text.split())


def _reason(err: BaseException) -> str:
    if isinstance(err, socket.timeout | TimeoutError):
        return "the connection timed out"
    if isinstance(err, ConnectionRefusedError):
        return "the connection was refused"
    if isinstance(err, smtplib.SMTPServerDisconnected):
        return "the server closed the connection"
    return str(err) or type(err).__name__


def recipients_of(to: Sequence[str], cc: Sequence[str] = (), bcc: Sequence[str] = ()) -> tuple[
        str, ...]:
    """Envelope recipients in order, each once (case-insensitively)."""
    seen: dict[str, str] = {}
    for address in (*to, *cc, *bcc):
        seen.setdefault(address.lower(), address)
    return tuple(seen.values())
