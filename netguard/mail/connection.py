"""Opening a logged-in IMAP connection: TLS verified, timeouts everywhere, errors made known.

    with connect(account, credentials) as client:  # an imapclient.IMAPClient, logged in
        with imap_errors("EXAMINE", "Sent"):
            client.select_folder("Sent", readonly=True)

``security`` is ``ssl`` (implicit TLS), ``starttls`` or ``plain``. Certificates are verified with
the system store, or ``account.ca_file``; ``account.pinned_fingerprint`` (SHA-256, hex with or
without colons) trusts exactly one certificate instead. A certificate that fails verification
raises ``CertificateError`` naming the host and the certificate's SHA-256 fingerprint.
The login is a ``Credentials`` from ``netguard.accounts`` (a password, or OAuth2 with XOAUTH2 /
OAUTHBEARER); a plain string is taken as the password. A refused login is an ``AuthError`` and
is not retried here (OAuth2 refreshes its token once itself).

Every read from the server has a timeout (the socket's, ``timeout_seconds``) and a size cap
(``CappedClient``): a literal over ``MAX_LITERAL`` is refused before a byte of it is read, and one
command's answer over ``MAX_ANSWER`` stops it — whatever the command (LIST, STATUS, SEARCH,
EXAMINE's untagged answers). An answer that cannot be read is an ``UnreadableAnswer``.
"""

from __future__ import annotations

import imaplib
import logging
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import lru_cache
from typing import BinaryIO, cast

from imapclient import IMAPClient
from imapclient.exceptions import (
    IMAPClientAbortError,
    IMAPClientError,
    LoginError,
    ProtocolError,
)
from imapclient.imap4 import IMAP4WithTimeout
from imapclient.imapclient import SocketTimeout
from imapclient.tls import IMAP4_TLS

from netguard.accounts.credentials import Credentials, as_credentials
from netguard.errors import AuthError, CertificateError, NetworkError, ServerError
from netguard.settings import Account
from netguard.texts import language, text

log = logging.getLogger(__name__)
_LOOPBACK = ("127.", "::1", "localhost")
MAX_LITERAL = 16_000_000  # a header block or a folder name is KBs; more is a hostile server
MAX_ANSWER = 128_000_000  # one command's whole answer (a FETCH batch of 2,000 headers: ~10 MB)
READ_BUFFER = 1 << 20  # bytes read from the socket at most at a time


class UnreadableAnswer(imaplib.IMAP4.error):
    """The server's answer has not the shape the command's answer must have."""


class AnswerTooLarge(ConnectionError):
    """The server's answer outgrew a cap; the rest of it is never read, so the connection is
    of no more use. (Not an ``IMAP4.abort``: imaplib would rewrite its message.)"""


class _CappedReads(imaplib.IMAP4):
    """Caps what one command may read: each literal and the whole answer (see the module doc).

    imaplib reads every answer — the greeting too — through ``read`` and ``readline``, and
    every command starts with a ``send``."""

    _left = MAX_ANSWER

    def open(self, host: str = "", port: int = 143, timeout: float | None = None) -> None:
        super().open(host, port, timeout)
        # Before a byte is read: a larger buffer, so that the FETCH reader finds many answers
        # buffered at once (fetch.read_fetch). Python 3.14's imaplib keeps its own buffer and
        # makes ``file`` a read-only property: left as it is there.
        if not isinstance(getattr(type(self), "file", None), property):
            self.file = cast(BinaryIO, self.sock.makefile("rb", buffering=READ_BUFFER))

    def send(self, data: bytes) -> None:  # type: ignore[override]
        self._left = MAX_ANSWER
        super().send(data)

    def read(self, size: int) -> bytes:
        self._take(size, literal=True)
        data = super().read(size)
        if len(data) != size:
            raise imaplib.IMAP4.abort("the connection closed in the middle of an answer")
        return data

    def readline(self) -> bytes:
        line = super().readline()
        self._take(len(line))
        return line

    def _take(self, size: int, literal: bool = False) -> None:
        """Count ``size`` bytes against the caps; refuse before reading what is over."""
        if literal and size > MAX_LITERAL:
            raise AnswerTooLarge(f"a {size}-byte literal announced, at most {MAX_LITERAL} "
                                 "accepted")
        self._left -= size
        if self._left < 0:
            raise AnswerTooLarge(f"over {MAX_ANSWER} bytes in all")


class _CappedPlain(_CappedReads, IMAP4WithTimeout):  # type: ignore[misc]  # untyped base
    pass


class _CappedTLS(_CappedReads, IMAP4_TLS):  # type: ignore[misc]  # untyped base
    pass


class CappedClient(IMAPClient):  # type: ignore[misc]  # untyped base
    """An ``IMAPClient`` whose every read from the server is capped (``_CappedReads``)."""

    def _create_IMAP4(self) -> imaplib.IMAP4:
        timeout = getattr(self._timeout, "connect", None)
        if self.ssl:
            return _CappedTLS(self.host, self.port, self.ssl_context, timeout)  # type: ignore[call-arg]
        return _CappedPlain(self.host, self.port, timeout)


def connect(account: Account, credentials: Credentials | str) -> IMAPClient:
    """A logged-in ``IMAPClient`` for ``account``; use it as a context manager (logs out)."""
    step = as_credentials(account.user, credentials)
    client = open_client(account)
    try:
        _login(client, step, account)
    except BaseException:
        _close_quietly(client)
        raise
    return client


def open_client(account: Account) -> IMAPClient:
    """A connected (TLS as configured) but not yet logged-in client."""
    context = tls_context(account) if account.security != "plain" else None
    timeout = SocketTimeout(connect=account.timeout_seconds, read=account.timeout_seconds)
    use_ssl = account.security == "ssl"
    try:
        client = CappedClient(account.host, port=account.port, ssl=use_ssl,
                              ssl_context=context if use_ssl else None, timeout=timeout)
        if account.security == "starttls" and context is not None:
            _starttls(client, context)
    except ssl.SSLCertVerificationError as err:
        raise certificate_error(account, err.verify_message or str(err)) from None
    except (OSError, IMAPClientError) as err:
        raise NetworkError(_say("unreachable", host=account.host, port=account.port,
                                reason=_reason(err))) from None
    if account.pinned_fingerprint and account.security != "plain":
        _check_pin(client, account)
    return client


def tls_context(account: Account) -> ssl.SSLContext:
    """Verified TLS (system store or ``ca_file``), or pin-only when a fingerprint is pinned."""
    return _context(account.ca_file, bool(account.pinned_fingerprint))


@lru_cache(maxsize=8)
def _context(ca_file: str, pinned: bool) -> ssl.SSLContext:
    """Loading the system store costs tens of ms: one context per trust setting, reused."""
    if pinned:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the pin below is the check
        return context
    try:
        return ssl.create_default_context(cafile=ca_file or None)
    except (OSError, ssl.SSLError) as err:
        raise CertificateError(_say("bad_ca_file", path=ca_file, reason=err)) from None


def _starttls(client: IMAPClient, context: ssl.SSLContext) -> None:
    if not client.has_capability("STARTTLS"):
        raise NetworkError(_say("no_starttls", host=client.host))
    client.starttls(context)


def _check_pin(client: IMAPClient, account: Account) -> None:
    der = client._imap.sock.getpeercert(binary_form=True)
    found = fingerprint(der)
    if normalize_fingerprint(account.pinned_fingerprint) != normalize_fingerprint(found):
        _close_quietly(client)
        raise CertificateError(_say("pin_mismatch", host=account.host, fingerprint=found,
                                    pinned=account.pinned_fingerprint), found)


def fingerprint(der: bytes) -> str:
    """SHA-256 of a DER certificate as ``AB:CD:...`` (the way openssl prints it)."""
    import hashlib  # only for a certificate's fingerprint (issue 18)

    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def normalize_fingerprint(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch in "0123456789ABCDEF")


def certificate_error(account: Account, reason: str) -> CertificateError:
    """The fingerprint message: fetch the certificate without trusting it, just to name it."""
    try:
        found = fingerprint(peer_certificate(account))
    except (OSError, imaplib.IMAP4.error) as err:
        log.info("Could not read the certificate of %s: %s", account.host, err)
        found = "?"
    return CertificateError(_say("untrusted", host=account.host, reason=reason,
                                 fingerprint=found), found)


def peer_certificate(account: Account) -> bytes:
    """The server's certificate (DER), read over an unverified handshake."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    if account.security == "starttls":
        imap = imaplib.IMAP4(account.host, account.port, timeout=account.timeout_seconds)
        try:
            imap.starttls(context)
            der = imap.sock.getpeercert(binary_form=True)  # type: ignore[attr-defined]
        finally:
            imap.shutdown()
    else:
        with socket.create_connection((account.host, account.port),
                                      timeout=account.timeout_seconds) as raw, \
                context.wrap_socket(raw, server_hostname=account.host) as tls:
            der = tls.getpeercert(binary_form=True)
    if not der:
        raise OSError("no certificate offered")
    return bytes(der)


def _login(client: IMAPClient, step: Credentials, account: Account) -> None:
    refused = "login_refused_oauth" if account.auth == "oauth2" else "login_refused"
    try:
        step.imap_login(client)
    except LoginError as err:
        raise AuthError(_say(refused, user=step.user, host=account.host,
                             reason=_reason(err))) from None
    except IMAPClientAbortError as err:
        raise NetworkError(_say("dropped", host=account.host, reason=_reason(err))) from None
    except IMAPClientError as err:
        raise AuthError(_say(refused, user=step.user, host=account.host,
                             reason=_reason(err))) from None
    except OSError as err:
        raise NetworkError(_say("dropped", host=account.host, reason=_reason(err))) from None


@contextmanager
def imap_errors(command: str, folder: str = "", host: str = "") -> Iterator[None]:
    """Turn imapclient/imaplib/socket failures into known errors naming command and folder."""
    where = f" ({folder})" if folder else ""
    try:
        yield
    except AnswerTooLarge as err:
        raise NetworkError(_say("too_large", host=host or "the server", command=command,
                                where=where, reason=_reason(err))) from None
    except (IMAPClientAbortError, OSError, EOFError) as err:
        raise NetworkError(_say("dropped", host=host or "the server",
                                reason=_reason(err))) from None
    except (UnreadableAnswer, ProtocolError) as err:
        raise ServerError(_say("unreadable", host=host or "the server", command=command,
                               where=where, reason=_reason(err))) from None
    except IMAPClientError as err:
        raise ServerError(_say("refused", command=command, where=where,
                               reason=_reason(err))) from None


@contextmanager
def answer_parsed() -> Iterator[None]:
    """imapclient raises ``ValueError`` on some malformed answers (a SEARCH with garbage in it):
    inside ``imap_errors``, that becomes the known unreadable-answer error."""
    try:
        yield
    except ValueError as err:
        raise UnreadableAnswer(str(err)) from None


def is_loopback(host: str) -> bool:
    return host.startswith(_LOOPBACK)


def _close_quietly(client: IMAPClient) -> None:
    with suppress(OSError, IMAPClientError):
        client.shutdown()


def _reason(err: BaseException) -> str:
    message = err.args[0] if err.args else err
    if isinstance(message, bytes):
        message = message.decode("utf-8", "replace")
    return str(message) or type(err).__name__


def _say(key: str, **values: object) -> str:
    return text("mail", language(), key, **values)
