"""The bundled provider table (``resources/mail/providers.toml``): read once, checked, looked up."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from netguard.accounts.detected import (
    LOGINS,
    OAUTH_PROVIDERS,
    SECURITIES,
    Detected,
    Login,
    OAuthProvider,
    Security,
    Server,
    Source,
    user_for,
)
from netguard.resources import read_text


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    source: str
    domains: tuple[str, ...]
    mx: tuple[str, ...]
    imap: Server
    smtp: Server
    username: str
    login: Login
    oauth: OAuthProvider = ""
    sent_folder: str = ""
    drafts_folder: str = ""

    def detected(self, address: str, source: Source, where: str) -> Detected:
        return Detected(
            address=address.strip(), imap=self.imap, smtp=self.smtp,
            user=user_for(address, self.username), login=self.login, source=source,
            where=where, provider=self.name, oauth_provider=self.oauth,
            sent_folder=self.sent_folder, drafts_folder=self.drafts_folder)


@cache
def providers() -> tuple[Provider, ...]:
    """Every entry of the table; a malformed entry is a bug in the bundled file (ValueError)."""
    table = tomllib.loads(read_text("mail", "providers.toml"))
    return tuple(_provider(key, entry) for key, entry in table.items())


def by_domain(domain: str) -> Provider | None:
    wanted = domain.strip().rstrip(".").lower()
    return next((p for p in providers() if wanted in p.domains), None)


def by_mx(host: str) -> Provider | None:
    """The provider whose MX suffix ``host`` ends with (``x.mail.protection.outlook.com``)."""
    name = host.strip().rstrip(".").lower()
    for provider in providers():
        if any(name == suffix or name.endswith("." + suffix) for suffix in provider.mx):
            return provider
    return None


def _provider(key: str, entry: dict[str, Any]) -> Provider:
    login = _one_of(entry.get("login"), LOGINS, key, "login")
    oauth = _one_of(entry.get("oauth", ""), OAUTH_PROVIDERS, key, "oauth")
    if (login == "oauth2") != bool(oauth):
        raise ValueError(f"providers.toml [{key}]: oauth is needed with, and only with, oauth2")
    return Provider(
        key=key, name=_text(entry, "name", key), source=_text(entry, "source", key),
        domains=_names(entry, "domains", key), mx=_names(entry, "mx", key, required=False),
        imap=_server(entry.get("imap"), key, "imap"), smtp=_server(entry.get("smtp"), key, "smtp"),
        username=_one_of(entry.get("username"), ("address", "localpart"), key, "username"),
        login=cast(Login, login), oauth=cast(OAuthProvider, oauth),
        sent_folder=str(entry.get("sent_folder", "")),
        drafts_folder=str(entry.get("drafts_folder", "")))


def _server(raw: Any, key: str, part: str) -> Server:
    if not isinstance(raw, dict):
        raise ValueError(f"providers.toml [{key}]: {part} must be a table")
    host, port = raw.get("host"), raw.get("port")
    if not isinstance(host, str) or not host or not isinstance(port, int) or not 0 < port < 65536:
        raise ValueError(f"providers.toml [{key}]: {part} needs a host and a port")
    security = _one_of(raw.get("security"), SECURITIES, key, f"{part}.security")
    return Server(host, port, cast(Security, security))


def _names(entry: dict[str, Any], field: str, key: str, required: bool = True) -> tuple[str, ...]:
    raw = entry.get(field, [])
    if not isinstance(raw, list) or not all(isinstance(n, str) and n == n.lower() for n in raw):
        raise ValueError(f"providers.toml [{key}]: {field} must be a list of lower-case names")
    if required and not raw:
        raise ValueError(f"providers.toml [{key}]: {field} is empty")
    return tuple(raw)


def _text(entry: dict[str, Any], field: str, key: str) -> str:
    value = entry.get(field)
    if not isinstance(value, str) or not value:
        raise ValueError(f"providers.toml [{key}]: {field} is missing")
    return value


def _one_of(value: Any, allowed: tuple[str, ...], key: str, field: str) -> str:
    if value not in allowed:
        raise ValueError(f"providers.toml [{key}]: {field} must be one of {allowed}")
    return str(value)
