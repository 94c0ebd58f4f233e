"""Setup from an address: the provider table, then autoconfig, then MX; else ask for servers."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path

from netguard.accounts import autoconfig, providers
from netguard.accounts.detected import PROVIDER_NAMES, Detected, Source, domain_of
from netguard.accounts.mx import mx_hosts
from netguard.errors import ConfigError, KnownError, UsageError
from netguard.settings import AccountSetup
from netguard.texts import text


class NotDetected(KnownError):
    """Nothing knew this domain's servers: the user fills them in."""


@dataclass(frozen=True)
class Lookups:
    """Where to look beyond the bundled table; ``from_settings`` for the real thing."""

    autoconfig_urls: tuple[str, ...]
    context: ssl.SSLContext
    dns_servers: tuple[str, ...] = ()
    dns_port: int = 53
    timeout: float = 4.0

    @classmethod
    def from_settings(cls, setup: AccountSetup) -> Lookups:
        context = ssl.create_default_context()
        if setup.ca_file:
            try:
                context.load_verify_locations(cafile=str(Path(setup.ca_file).expanduser()))
            except (OSError, ssl.SSLError) as err:
                raise ConfigError(f"[account_setup] ca_file {setup.ca_file}: {err}") from err
        return cls(tuple(setup.autoconfig_urls), context, tuple(setup.dns_servers),
                   setup.dns_port, setup.timeout_seconds)


def detect(address: str, lookups: Lookups, lang: str = "en") -> Detected:
    """The settings for ``address`` and where they came from; ``NotDetected`` when none knew."""
    domain = domain_of(address)
    if not domain:
        raise UsageError(text("setup", lang, "not_an_address", address=address))
    known = providers.by_domain(domain)
    if known is not None:
        return known.detected(address, Source.PROVIDERS, known.name)
    found = autoconfig.lookup(address, domain, lookups.autoconfig_urls, lookups.context,
                              lookups.timeout)
    if found is not None:
        return found
    for host in mx_hosts(domain, list(lookups.dns_servers), lookups.dns_port, lookups.timeout):
        by_mx = providers.by_mx(host)
        if by_mx is not None:
            return by_mx.detected(address, Source.MX, host)
    raise NotDetected(text("setup", lang, "not_found", name=domain))


def describe(found: Detected, lang: str) -> str:
    """One sentence: where the settings came from."""
    key = {Source.PROVIDERS: "from_providers", Source.AUTOCONFIG: "from_autoconfig",
           Source.MX: "from_mx"}[found.source]
    return text("setup", lang, key, where=found.where, provider=found.provider or found.where)


def describe_login(found: Detected, lang: str) -> str:
    """How this account logs in, for people: password, app password, or browser sign-in."""
    if found.login == "oauth2":
        name = PROVIDER_NAMES.get(found.oauth_provider)
        return (text("setup", lang, "login_oauth2", provider=name) if name
                else text("setup", lang, "login_oauth2_unknown"))
    key = "login_app_password" if found.login == "app-password" else "login_password"
    return text("setup", lang, key)
