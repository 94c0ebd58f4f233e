"""The bundled provider table: every entry valid, looked up by domain and by MX host."""

from __future__ import annotations

from typing import Any

import pytest

from netguard.accounts import providers
from netguard.accounts.detected import Source, domain_of
from netguard.accounts.providers import by_domain, by_mx


def test_every_entry_is_complete_and_encrypted() -> None:
    table = providers.providers()
    assert len(table) >= 12
    for provider in table:
        assert provider.name and provider.source.startswith("ISPDB "), provider.key
        assert all(domain_of(f"x@{d}") == d for d in provider.domains), provider.key
        for server in (provider.imap, provider.smtp):
            assert server.security in ("ssl", "starttls"), provider.key
            assert "." in server.host and 0 < server.port < 65536, provider.key
        assert (provider.login == "oauth2") == (provider.oauth in ("microsoft", "google"))


def test_no_domain_or_mx_suffix_belongs_to_two_providers() -> None:
    domains = [d for p in providers.providers() for d in p.domains]
    suffixes = [s for p in providers.providers() for s in p.mx]
    assert len(domains) == len(set(domains))
    assert len(suffixes) == len(set(suffixes))


@pytest.mark.parametrize(("domain", "key"), [
    ("gmail.com", "gmail"), ("GoogleMail.COM", "gmail"), ("hotmail.nl", "outlook"),
    ("Outlook.com.", "outlook"), ("live.nl", "outlook"), ("icloud.com", "icloud"),
    ("yahoo.com", "yahoo"), ("fastmail.com", "fastmail"),
    # the Dutch providers
    ("kpnmail.nl", "kpn"), ("XS4ALL.nl", "kpn"), ("telfort.nl", "kpn"), ("hetnet.nl", "kpn"),
    ("planet.nl", "kpn"), ("ziggo.nl", "ziggo"), ("home.nl", "ziggo"), ("upcmail.nl", "ziggo"),
    ("casema.nl", "ziggo"), ("zeelandnet.nl", "zeelandnet"), ("one.com", "one-com"),
    ("strato.de", "strato"), ("posteo.nl", "posteo"),
])
def test_lookup_by_domain_ignores_case(domain: str, key: str) -> None:
    found = by_domain(domain)
    assert found is not None and found.key == key


def test_unknown_domain_and_lookalikes_are_not_found() -> None:
    assert by_domain("example.nl") is None
    assert by_domain("notgmail.com") is None
    assert by_domain("gmail.com.evil.example") is None


@pytest.mark.parametrize(("host", "key"), [
    ("example-nl.mail.protection.outlook.com", "microsoft-365"),
    ("Example-NL.mail.protection.outlook.com.", "microsoft-365"),
    ("eur.olc.protection.outlook.com", "outlook"),
    ("aspmx.l.google.com", "google-workspace"),
    ("alt1.aspmx.l.google.com", "google-workspace"),
    ("aspmx2.googlemail.com", "google-workspace"),
])
def test_lookup_by_mx_host(host: str, key: str) -> None:
    found = by_mx(host)
    assert found is not None and found.key == key


def test_mx_suffix_needs_a_label_boundary() -> None:
    assert by_mx("evilgoogle.com") is None
    assert by_mx("mail.protection.outlook.com.evil.example") is None
    assert by_mx("mx.kpnmail.nl") is None  # no MX rule for KPN


def test_detected_fills_user_and_login() -> None:
    outlook = by_domain("hotmail.com")
    icloud = by_domain("icloud.com")
    assert outlook is not None and icloud is not None
    found = outlook.detected(" Frank@Hotmail.com ", Source.PROVIDERS, outlook.name)
    assert (found.user, found.login, found.oauth_provider) == (
        "Frank@Hotmail.com", "oauth2", "microsoft")
    assert (found.imap.host, found.smtp.host, found.smtp.port, found.smtp.security) == (
        "outlook.office365.com", "smtp-mail.outlook.com", 587, "starttls")
    apple = icloud.detected("anna@icloud.com", Source.PROVIDERS, icloud.name)
    assert (apple.user, apple.login) == ("anna", "app-password")  # IMAP wants the local part


def entry(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "X", "source": "ISPDB x.xml", "domains": ["x.nl"],
        "imap": {"host": "imap.x.nl", "port": 993, "security": "ssl"},
        "smtp": {"host": "smtp.x.nl", "port": 465, "security": "ssl"},
        "username": "address", "login": "password",
    }
    return {**base, **changes}


@pytest.mark.parametrize("bad", [
    {"login": "oauth2"},  # no provider named
    {"oauth": "google"},  # a provider without oauth2
    {"login": "kerberos"},
    {"domains": ["X.nl"]},
    {"domains": []},
    {"imap": {"host": "imap.x.nl", "port": 0, "security": "ssl"}},
    {"smtp": {"host": "smtp.x.nl", "port": 465, "security": "tls"}},
    {"username": "email"},
])
def test_a_malformed_entry_is_refused(bad: dict[str, Any]) -> None:
    assert providers._provider("x", entry()).domains == ("x.nl",)
    with pytest.raises(ValueError, match=r"providers.toml \[x\]"):
        providers._provider("x", entry(**bad))


@pytest.mark.parametrize(("address", "domain"), [
    ("a@Example.NL", "example.nl"), ("a.b+c@sub.example.org.", "sub.example.org"),
    ("no-at-sign.nl", ""), ("@example.nl", ""), ("a@localhost", ""), ("a@exa mple.nl", ""),
    ("a@bücher.de", "bücher.de"), ("a@xn--bcher-kva.de", "xn--bcher-kva.de"),
    ("a@evil.example/x", ""), ("a@evil.example?x=1", ""), ("a@evil.example#x", ""),
    ("a@b@evil.example:8443", ""), ("a@-bad.example", ""), ("a@under_score.example", ""),
    ("a@%2e.example", ""), ("a@.example", ""), ("a@example..nl", ""),
])
def test_domain_of(address: str, domain: str) -> None:
    assert domain_of(address) == domain


def test_lookup_settings_round_trip_and_a_missing_ca_is_a_config_error(tmp_path: Any) -> None:
    from netguard.accounts.detect import Lookups
    from netguard.errors import ConfigError
    from netguard.settings import AccountSetup, Settings, load, save

    setup = AccountSetup(autoconfig_urls=["https://127.0.0.1:8443/{domain}?e={email}"],
                         dns_servers=["127.0.0.1"], dns_port=5353, timeout_seconds=1.5)
    save(Settings(account_setup=setup), tmp_path / "settings.toml")
    assert load(tmp_path / "settings.toml").account_setup == setup
    lookups = Lookups.from_settings(setup)
    assert (lookups.dns_servers, lookups.dns_port, lookups.timeout) == (("127.0.0.1",), 5353, 1.5)
    with pytest.raises(ConfigError, match="ca_file"):
        Lookups.from_settings(AccountSetup(ca_file=str(tmp_path / "missing.pem")))
