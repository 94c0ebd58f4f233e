"""Handing a message to the account's SMTP server: SSL (465), STARTTLS (587), or plain on request.

Certificates are verified (the system store, or ``account.ca_file``). Recipients are checked
one by one before DATA, so a refused recipient refuses the whole message: either every
recipient gets it or nobody does. Every failure becomes a known error; ``SmtpRefused``
carries the server's reply code so the relay can pass it on as temporary or permanent.
"""

from __future__ import annotations

import logging
import smtplib
import socket
import ssl
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from netguard.accounts.credentials import Credentials, as_credentials
from netguard.errors import AuthError, CertificateError, ConfigError, NetworkError, ServerError
from netguard.settings import Account

log = logging.getLogger(__name__)


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
    """What SMTP needs: the envelope sender, every recipient (To, Cc, Bcc) and the bytes."""

    sender: str
    recipients: tuple[str, ...]
    raw: bytes


def deliver(account: Account, credentials: Credentials | str, envelope: Envelope) -> None:
    """Submit ``envelope`` to the account's SMTP server, or raise a known error.

    ``credentials`` logs in (a string is the password)."""
    if not account.smtp_host:
        raise ConfigError("No SMTP server is configured. Run `netguard account set "
                          "--smtp-host H ...` first.")
    where = f"{account.smtp_host}:{account.smtp_port}"
    try:
        with _session(account) as smtp:
            _login(smtp, account, as_credentials(account.user, credentials), where)
            _transfer(smtp, envelope, where)
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
        raise NetworkError(f"Cannot reach the SMTP server {where}: {_reason(err)}") from None


@contextmanager
def _session(account: Account) -> Iterator[smtplib.SMTP]:
    context = tls_context(account)
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
    return ssl.create_default_context(cafile=account.ca_file or None)


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


def _transfer(smtp: smtplib.SMTP, envelope: Envelope, where: str) -> None:
    _expect(smtp.mail(envelope.sender), f"the sender {envelope.sender}", where)
    for recipient in envelope.recipients:
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            smtp.rset()
            raise SmtpRefused(f"The SMTP server {where} refused the recipient {recipient}: "
                              f"{code} {_text(reply)}", code)
    _expect(smtp.data(envelope.raw), "the message", where)


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
