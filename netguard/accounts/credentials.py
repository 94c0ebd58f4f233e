"""A way to log in: what mail/ and relay/ ask for, without knowing which kind it is.

    credentials = credentials_for(settings)       # password from the keyring, or OAuth2
    credentials.imap_login(client)                # LOGIN, or AUTHENTICATE XOAUTH2/OAUTHBEARER
    credentials.smtp_login(smtp)                  # AUTH LOGIN/PLAIN, or AUTH XOAUTH2/OAUTHBEARER

A refused login raises the library's own error (imapclient's ``LoginError``, smtplib's
``SMTPAuthenticationError``); the caller makes it a known error. OAuth2 refreshes its access
token itself, once after a refusal; a password is never retried.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from netguard import secrets
from netguard.settings import Settings

if TYPE_CHECKING:  # the protocol modules load with the connection that logs in
    import smtplib

    from imapclient import IMAPClient


class Credentials(Protocol):
    """One account's login for IMAP and SMTP."""

    @property
    def user(self) -> str: ...

    def imap_login(self, client: IMAPClient) -> None: ...

    def smtp_login(self, smtp: smtplib.SMTP) -> None: ...


@dataclass(frozen=True)
class Password:
    """A password or app password. ``repr`` never shows it."""

    user: str
    password: str = field(repr=False)

    def imap_login(self, client: IMAPClient) -> None:
        client.login(self.user, self.password)

    def smtp_login(self, smtp: smtplib.SMTP) -> None:
        smtp.login(self.user, self.password)


_SIGNED_IN: dict[tuple[str, str, str], Credentials] = {}  # access tokens live in memory only


def credentials_for(settings: Settings) -> Credentials:
    """The account's way to log in: its password from the keyring, or its OAuth2 sign-in
    (one per account and process, so its access token is reused until it nears expiry)."""
    account = settings.account
    if account.auth != "oauth2":
        return Password(account.user, secrets.require_password(account.user))
    from netguard.accounts.oauth import OAuth2Login  # authlib loads only when needed

    key = (account.user, account.oauth_provider, account.oauth_issuer)
    known = _SIGNED_IN.get(key)
    if isinstance(known, OAuth2Login) and known.settings == settings:
        return known
    _SIGNED_IN[key] = fresh = OAuth2Login(settings)
    return fresh


def forget_access_tokens() -> None:
    """Drop every access token held in memory (after a new sign-in; in tests)."""
    _SIGNED_IN.clear()


def as_credentials(user: str, given: Credentials | str) -> Credentials:
    """``given`` itself, or a password for ``user`` when it is a string."""
    return Password(user, given) if isinstance(given, str) else given
