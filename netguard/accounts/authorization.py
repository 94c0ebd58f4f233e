"""Where each provider's authorization server is, and which registered client NetGuard is there.

Microsoft and Google have fixed endpoints; any other provider is found by OpenID Connect
discovery (``<issuer>/.well-known/openid-configuration``). Every endpoint must be HTTPS (verified
certificates, ``requests``' default); plain ``http://`` only on the loopback address (tests).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from ipaddress import ip_address
from urllib.parse import urlsplit

import requests

from netguard.accounts.detected import PROVIDER_NAMES as NAMES
from netguard.errors import ConfigError, NetworkError
from netguard.resources import read_text
from netguard.settings import Account, OAuth
from netguard.texts import language, text

TIMEOUT = 15.0
MICROSOFT_SCOPES = ("https://outlook.office.com/IMAP.AccessAsUser.All",
                    "https://outlook.office.com/SMTP.Send", "offline_access")
GOOGLE_SCOPES = ("https://mail.google.com/",)
OIDC_SCOPES = ("openid", "email", "offline_access")


@dataclass(frozen=True)
class Endpoints:
    """An authorization server: where to send the browser, where to fetch tokens."""

    provider: str
    authorize: str
    token: str
    scopes: tuple[str, ...]
    redirect_host: str = "127.0.0.1"  # Microsoft registers http://localhost (any port)
    extra: tuple[tuple[str, str], ...] = ()  # more authorization parameters


@dataclass(frozen=True)
class Client:
    """NetGuard's registration at the provider. ``repr`` never shows the secret."""

    client_id: str
    client_secret: str = ""

    def __repr__(self) -> str:
        return f"Client(client_id={self.client_id!r})"


MICROSOFT = Endpoints(
    "microsoft", "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
    "https://login.microsoftonline.com/common/oauth2/v2.0/token", MICROSOFT_SCOPES, "localhost")
# Google gives a refresh token only with access_type=offline, and again only with prompt=consent.
GOOGLE = Endpoints("google", "https://accounts.google.com/o/oauth2/v2/auth",
                   "https://oauth2.googleapis.com/token", GOOGLE_SCOPES,
                   extra=(("access_type", "offline"), ("prompt", "consent")))


def endpoints(account: Account) -> Endpoints:
    """The authorization server of ``account`` (discovery for ``oidc``)."""
    if account.oauth_provider == "microsoft":
        return MICROSOFT
    if account.oauth_provider == "google":
        return GOOGLE
    if account.oauth_provider == "oidc":
        if not account.oauth_issuer:
            raise ConfigError(_say("oauth_no_issuer"))
        return discover(account.oauth_issuer)
    raise ConfigError(_say("oauth_no_provider"))


@lru_cache(maxsize=4)
def discover(issuer: str) -> Endpoints:
    """OpenID Connect discovery; the document must name the same issuer."""
    require_secure(issuer)
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as err:
        raise NetworkError(_say("oauth_discovery_failed", issuer=issuer, reason=err)) from None
    if not isinstance(document, dict) or document.get("issuer", "").rstrip("/") != \
            issuer.rstrip("/"):
        raise ConfigError(_say("oauth_wrong_issuer", issuer=issuer))
    authorize, token = str(document["authorization_endpoint"]), str(document["token_endpoint"])
    require_secure(authorize)
    require_secure(token)
    return Endpoints("oidc", authorize, token, OIDC_SCOPES)


def require_secure(url: str) -> None:
    """HTTPS, or plain HTTP to the loopback address only."""
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and _loopback(parts.hostname or "")):
        return
    raise ConfigError(_say("oauth_not_https", url=url))


def _loopback(host: str) -> bool:
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def client(provider: str, overrides: OAuth, secret: str = "") -> Client:
    """The client ID: the settings' override, else the bundled one; a clear error without one."""
    bundled = _bundled().get(provider, {})
    configured = getattr(overrides, provider).client_id if provider in NAMES else ""
    client_id = configured or str(bundled.get("client_id", ""))
    if not client_id:
        raise ConfigError(_say("oauth_no_client_id", provider=NAMES.get(provider, provider),
                               table=provider))
    if not secret and not configured:
        secret = str(bundled.get("client_secret", ""))
    return Client(client_id, secret)


@lru_cache(maxsize=1)
def _bundled() -> dict[str, dict[str, object]]:
    data = tomllib.loads(read_text("mail", "oauth_clients.toml"))
    return {name: dict(table) for name, table in data.items() if isinstance(table, dict)}


def _say(key: str, **values: object) -> str:
    return text("account", language(), key, **values)
