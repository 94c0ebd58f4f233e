"""What setup from an address found, and where: typed, so the CLI and the dialog read the same."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Literal

Security = Literal["ssl", "starttls", "plain"]
Login = Literal["password", "app-password", "oauth2"]
OAuthProvider = Literal["", "microsoft", "google"]
SECURITIES: tuple[Security, ...] = ("ssl", "starttls", "plain")
LOGINS: tuple[Login, ...] = ("password", "app-password", "oauth2")
OAUTH_PROVIDERS: tuple[OAuthProvider, ...] = ("", "microsoft", "google")
# The sign-in providers NetGuard knows, by the name people know them by (setup, sign-in, show).
PROVIDER_NAMES = {"microsoft": "Microsoft", "google": "Google", "oidc": "OpenID Connect"}
# Two or more labels of letters, digits and inner hyphens (any script): nothing that could
# change the meaning of a URL the domain is put into (no /, ?, #, @, :, %, spaces).
_LABEL = r"[^\W_](?:(?:[^\W_]|-){0,61}[^\W_])?"
DOMAIN = re.compile(rf"(?:{_LABEL}\.)+{_LABEL}")


class Source(Enum):
    """Where the settings came from, in the order they are tried."""

    PROVIDERS = "providers"
    AUTOCONFIG = "autoconfig"
    MX = "mx"


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    security: Security


@dataclass(frozen=True)
class Detected:
    """IMAP and SMTP servers, the user name and login method for one address.

    ``where`` says more about the source: the provider's name for the table, the URL for
    autoconfig, the MX host for MX. ``oauth_provider`` is set only when ``login`` is
    ``oauth2`` and the provider is one NetGuard signs in with.
    """

    address: str
    imap: Server
    smtp: Server
    user: str
    login: Login
    source: Source
    where: str
    provider: str = ""
    oauth_provider: OAuthProvider = ""
    sent_folder: str = ""
    drafts_folder: str = ""


def domain_of(address: str) -> str:
    """The domain of ``address``, lower case; "" when it is not an address."""
    local, at, domain = address.strip().rpartition("@")
    domain = domain.strip().rstrip(".").lower()
    if not at or not local or not DOMAIN.fullmatch(domain):
        return ""
    return domain


def user_for(address: str, username: str) -> str:
    """The login name: the whole address, or its local part (``username = "localpart"``)."""
    return address.strip().rpartition("@")[0] if username == "localpart" else address.strip()
