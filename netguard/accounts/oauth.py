"""OAuth2 sign-in in the system browser, and the access tokens that follow from it.

``sign_in`` runs the authorization-code flow with PKCE (S256): it opens the provider's page in
the system browser (Python's ``webbrowser``, so ``$BROWSER`` is honoured; the opener is
injectable), waits on the loopback receiver, exchanges the code and keeps only the refresh
token (``tokens``). ``OAuth2Login`` logs in to IMAP and SMTP with XOAUTH2 or OAUTHBEARER; it
refreshes the access token when less than five minutes remain, and once more after a refused
login. A refused refresh (``invalid_grant``) is one ``AuthError`` saying the sign-in expired.
"""

from __future__ import annotations

import logging
import smtplib
import socket
import threading
import time
import webbrowser
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any, cast

from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session, OAuthError
from imapclient import IMAPClient
from imapclient.exceptions import LoginError
from requests import RequestException

from netguard.accounts import sasl, tokens
from netguard.accounts.authorization import TIMEOUT, Client, Endpoints, client, endpoints
from netguard.accounts.loopback import LoopbackReceiver
from netguard.errors import AuthError, NetworkError
from netguard.settings import Account, Settings
from netguard.texts import language, text

log = logging.getLogger(__name__)
REFRESH_MARGIN = 300.0  # seconds: refresh when less than five minutes remain
WAIT_SECONDS = 300.0
Opener = Callable[[str], object]


def client_secret_key(user: str) -> str:
    """The keyring entry of a client secret given with ``--oauth-client-secret``."""
    return f"{user} oauth2 client secret"


def registration(settings: Settings) -> tuple[Endpoints, Client]:
    """Where to sign in for the settings' account, and as which client."""
    from netguard import secrets

    account = settings.account
    secret = secrets.get_password(client_secret_key(account.user)) or ""
    return endpoints(account), client(account.oauth_provider, settings.oauth, secret)


def _session(place: Endpoints, who: Client, redirect_uri: str = "") -> OAuth2Session:
    return OAuth2Session(
        who.client_id, who.client_secret or None, scope=" ".join(place.scopes),
        redirect_uri=redirect_uri or None, code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_post" if who.client_secret else "none",
        default_timeout=TIMEOUT)


def sign_in(settings: Settings, say: Callable[[str], None], open_url: Opener | None = None,
            cancelled: Callable[[], bool] = lambda: False,
            wait_seconds: float = WAIT_SECONDS) -> None:
    """The browser flow for the settings' account; the refresh token goes to the keyring."""
    place, who = registration(settings)
    account = settings.account
    verifier, state = generate_token(64), generate_token(32)
    with LoopbackReceiver(state) as receiver:
        redirect = f"http://{place.redirect_host}:{receiver.port}/"
        session = _session(place, who, redirect)
        url, _ = session.create_authorization_url(place.authorize, state=state,
                                                  code_verifier=verifier,
                                                  login_hint=account.user,
                                                  **dict(place.extra))
        say(_say("oauth_open", url=url))
        (open_url or _browser)(url)
        answer = receiver.wait(wait_seconds, cancelled)
    if "error" in answer:
        raise AuthError(_say("oauth_denied", reason=answer.get("error_description")
                             or answer["error"]))
    token = _call(lambda: session.fetch_token(place.token, code=answer["code"],
                                              code_verifier=verifier, state=state), account)
    refresh = token.get("refresh_token")
    if not refresh:
        raise AuthError(_say("oauth_no_refresh_token"))
    tokens.save(account.user, str(refresh))


def _browser(url: str) -> None:
    try:
        webbrowser.open(url, new=1)
    except webbrowser.Error as err:
        log.info("No browser could be started: %s", err)


def _call(request: Callable[[], Any], account: Account) -> dict[str, Any]:
    """A token request; refusals and network failures become known errors."""
    try:
        return dict(request())
    except OAuthError as err:
        if err.error == "invalid_grant":
            raise AuthError(_say("oauth_expired", user=account.user)) from None
        raise AuthError(_say("oauth_refused", reason=err.description or err.error)) from None
    except RequestException as err:
        raise NetworkError(_say("oauth_unreachable", reason=type(err).__name__)) from None


@dataclass
class OAuth2Login:
    """Credentials for an OAuth2 account: an access token in memory, refreshed when needed."""

    settings: Settings
    mechanism: str = ""  # "" picks what the server offers: XOAUTH2 first
    access_token: str = field(default="", repr=False)
    expires_at: float = 0.0
    clock: Callable[[], float] = time.time
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def user(self) -> str:
        return self.settings.account.user

    def imap_login(self, client: IMAPClient) -> None:
        offered = {c.decode().upper()[5:] for c in client.capabilities()
                   if c.upper().startswith(b"AUTH=")}
        mechanism = sasl.choose(offered, self.mechanism)

        def attempt(token: str) -> None:
            first = sasl.initial_response(mechanism, self.user, token, client.host, client.port)
            with _no_delay(client):
                client.sasl_login(mechanism, sasl.conversation(mechanism, first))

        self._twice(attempt, LoginError)

    def smtp_login(self, smtp: smtplib.SMTP) -> None:
        offered = set(smtp.esmtp_features.get("auth", "").upper().split())
        mechanism = sasl.choose(offered, self.mechanism)

        def attempt(token: str) -> None:
            first = sasl.initial_response(mechanism, self.user, token)
            step = cast(Any, sasl.conversation(mechanism, first))  # typeshed: an overload
            smtp.auth(mechanism, step, initial_response_ok=True)

        self._twice(attempt, smtplib.SMTPAuthenticationError)

    def _twice(self, attempt: Callable[[str], object], refused: type[Exception]) -> None:
        """Log in; after a refusal, refresh once and try again (unless just refreshed)."""
        fresh = self._ensure_token()
        try:
            attempt(self.access_token)
        except refused:
            if fresh:
                raise
            log.info("The server refused the access token of %s; refreshing it once", self.user)
            self.refresh()
            attempt(self.access_token)

    def _ensure_token(self) -> bool:
        """Refresh when less than five minutes remain; True when it refreshed."""
        with self.lock:  # the relay logs in from several threads; one refresh at a time
            if self.access_token and self.expires_at - self.clock() > REFRESH_MARGIN:
                return False
            self._refresh()
            return True

    def refresh(self) -> None:
        """A new access token from the stored refresh token; a rotated one is saved at once."""
        with self.lock:
            self._refresh()

    def _refresh(self) -> None:
        stored = tokens.load(self.user)
        if stored is None:
            raise AuthError(_say("oauth_not_signed_in", user=self.user))
        place, who = registration(self.settings)
        session = _session(place, who)
        token = _call(lambda: session.refresh_token(place.token, refresh_token=stored),
                      self.settings.account)
        rotated = token.get("refresh_token")
        if rotated and rotated != stored:
            tokens.save(self.user, str(rotated))
        self.access_token = str(token["access_token"])
        self.expires_at = self.clock() + float(token.get("expires_in") or 3600)


@contextmanager
def _no_delay(client: IMAPClient) -> Iterator[None]:
    """TCP_NODELAY during AUTHENTICATE: imaplib writes the response and its CRLF apart, and
    Nagle's algorithm with delayed ACKs then added 40 ms to every token login (measured)."""
    sock: Any = getattr(client._imap, "sock", None)
    before = None
    with suppress(OSError, AttributeError):
        before = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        yield
    finally:
        if before is not None:
            with suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, before)


def _say(key: str, **values: object) -> str:
    return text("account", language(), key, **values)
