"""Setup from an address against local servers: autoconfig over HTTPS (a throwaway CA), MX
from a local DNS server, and `netguard account set --email --yes` ending in a real sync."""

from __future__ import annotations

import io
import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from netguard import secrets
from netguard.accounts.detect import Lookups, NotDetected, detect
from netguard.accounts.detected import Server, Source
from netguard.cli.main import main
from netguard.settings import AccountSetup, Settings, load, save
from tests.integration.conftest import DovecotAccount
from tests.integration.test_sync import mail
from tests.servers.autoconfig import AutoconfigServer, make_ca_and_certificate
from tests.servers.dns import MxServer

CONFIG = """<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1"><emailProvider id="{domain}">
  <displayName>Local test mail</displayName>
  <incomingServer type="imap"><hostname>{imap_host}</hostname><port>{imap_port}</port>
    <socketType>SSL</socketType><username>%EMAILADDRESS%</username>
    <authentication>password-cleartext</authentication></incomingServer>
  <outgoingServer type="smtp"><hostname>{smtp_host}</hostname><port>{smtp_port}</port>
    <socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username>
    <authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>"""
FIRST = "/{domain}/mail/config-v1.1.xml?emailaddress={email}"
SECOND = "/.well-known/{domain}/autoconfig/mail/config-v1.1.xml"


def config(domain: str, imap_host: str = "imap.example.test", imap_port: int = 993,
           smtp_host: str = "smtp.example.test", smtp_port: int = 587) -> bytes:
    return CONFIG.format(domain=domain, imap_host=imap_host, imap_port=imap_port,
                         smtp_host=smtp_host, smtp_port=smtp_port).encode()


@pytest.fixture
def web(tmp_path: Path) -> Iterator[AutoconfigServer]:
    server = AutoconfigServer.start(tmp_path / "ca")
    yield server
    server.stop()


@pytest.fixture
def dns() -> Iterator[MxServer]:
    server = MxServer.start({
        "bedrijf.nl": ["bedrijf-nl.mail.protection.outlook.com"],
        "winkel.nl": ["alt1.aspmx.l.google.com", "aspmx.l.google.com"],
        "eigen.nl": ["mx1.hosting.example"],
    })
    yield server
    server.stop()


def lookups(web: AutoconfigServer, dns: MxServer, context: ssl.SSLContext | None = None,
            timeout: float = 4.0) -> Lookups:
    return Lookups((web.url(FIRST), web.url(SECOND)), context or web.client_context(),
                   ("127.0.0.1",), dns.port, timeout)


def test_autoconfig_over_https(web: AutoconfigServer, dns: MxServer) -> None:
    web.pages["/studio.nl/mail/config-v1.1.xml?emailaddress=eva@studio.nl"] = (
        200, {"Content-Type": "text/xml"}, config("studio.nl"))
    found = detect("eva@studio.nl", lookups(web, dns))
    assert (found.source, found.where) == (
        Source.AUTOCONFIG, web.url("/studio.nl/mail/config-v1.1.xml?emailaddress=eva@studio.nl"))
    assert found.imap == Server("imap.example.test", 993, "ssl")
    assert found.smtp == Server("smtp.example.test", 587, "starttls")
    assert (found.user, found.login) == ("eva@studio.nl", "password")
    assert dns.queries == []  # autoconfig answered: no MX lookup


def test_the_well_known_address_is_tried_second(web: AutoconfigServer, dns: MxServer) -> None:
    web.pages["/.well-known/studio.nl/autoconfig/mail/config-v1.1.xml"] = (
        200, {}, config("studio.nl"))
    found = detect("eva@studio.nl", lookups(web, dns))
    assert found.where.endswith("/.well-known/studio.nl/autoconfig/mail/config-v1.1.xml")
    assert len(web.requests) == 2  # the first answered 404


def test_an_untrusted_certificate_is_not_believed(web: AutoconfigServer, dns: MxServer) -> None:
    web.pages["/bedrijf.nl/mail/config-v1.1.xml?emailaddress=an@bedrijf.nl"] = (
        200, {}, config("bedrijf.nl", imap_host="imap.attacker.example"))
    found = detect("an@bedrijf.nl", lookups(web, dns, context=ssl.create_default_context()))
    assert found.source is Source.MX  # the autoconfig was refused; MX decided
    assert found.imap.host == "outlook.office365.com"


def test_a_redirect_to_plain_http_is_refused(web: AutoconfigServer, dns: MxServer) -> None:
    web.pages["/eigen.nl/mail/config-v1.1.xml?emailaddress=a@eigen.nl"] = (
        302, {"Location": f"http://127.0.0.1:{web.port}/plain"}, b"")
    web.pages["/plain"] = (200, {}, config("eigen.nl"))
    with pytest.raises(NotDetected):
        detect("a@eigen.nl", lookups(web, dns))
    assert "/plain" not in web.requests


def test_a_redirect_within_https_is_followed(web: AutoconfigServer, dns: MxServer) -> None:
    web.pages["/eigen.nl/mail/config-v1.1.xml?emailaddress=a@eigen.nl"] = (
        301, {"Location": web.url("/moved")}, b"")
    web.pages["/moved"] = (200, {}, config("eigen.nl"))
    assert detect("a@eigen.nl", lookups(web, dns)).imap.host == "imap.example.test"


def test_a_huge_autoconfig_is_refused(web: AutoconfigServer, dns: MxServer) -> None:
    huge = config("eigen.nl").replace(b"</clientConfig>",
                                      b"<!--" + b"x" * 300_000 + b"--></clientConfig>")
    web.pages["/eigen.nl/mail/config-v1.1.xml?emailaddress=a@eigen.nl"] = (200, {}, huge)
    with pytest.raises(NotDetected):
        detect("a@eigen.nl", lookups(web, dns))


def test_mx_at_microsoft_365(web: AutoconfigServer, dns: MxServer) -> None:
    found = detect("an@Bedrijf.NL", lookups(web, dns))
    assert (found.source, found.where, found.provider) == (
        Source.MX, "bedrijf-nl.mail.protection.outlook.com", "Microsoft 365")
    assert (found.imap.host, found.smtp.host) == ("outlook.office365.com", "smtp.office365.com")
    assert (found.login, found.oauth_provider, found.user) == ("oauth2", "microsoft",
                                                               "an@Bedrijf.NL")
    assert dns.queries == ["bedrijf.nl"]


def test_mx_at_google_workspace(web: AutoconfigServer, dns: MxServer) -> None:
    found = detect("kees@winkel.nl", lookups(web, dns))
    assert (found.source, found.where, found.provider) == (
        Source.MX, "alt1.aspmx.l.google.com", "Google Workspace")
    assert (found.imap.host, found.oauth_provider) == ("imap.gmail.com", "google")


@pytest.mark.parametrize("address", ["a@eigen.nl", "a@nergens.nl"])
def test_nothing_known_asks_for_the_servers(web: AutoconfigServer, dns: MxServer,
                                            address: str) -> None:
    with pytest.raises(NotDetected, match=r"--host HOST --user USER"):
        detect(address, lookups(web, dns))


def test_a_dns_server_that_never_answers_costs_only_the_timeout(web: AutoconfigServer) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        quiet = Lookups((), web.client_context(), ("127.0.0.1",), silent.getsockname()[1], 0.5)
        started = time.monotonic()
        with pytest.raises(NotDetected):
            detect("a@eigen.nl", quiet)
        assert time.monotonic() - started < 3


def test_account_set_email_yes_then_sync(dovecot: DovecotAccount, web: AutoconfigServer,
                                         dns: MxServer, home: Path,
                                         monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    domain = dovecot.user.rpartition("@")[2]
    web.pages[f"/{domain}/mail/config-v1.1.xml?emailaddress={dovecot.user}"] = (
        200, {}, config(domain, dovecot.host, dovecot.tls_port, dovecot.host, 2587))
    setup = AccountSetup(autoconfig_urls=[web.url(FIRST)], ca_file=str(web.ca_file),
                         dns_servers=["127.0.0.1"], dns_port=dns.port, timeout_seconds=4.0)
    save(Settings(account_setup=setup), home / "settings.toml")
    dovecot.append("Sent", mail(1, dovecot.user, "anna@example.nl"))
    monkeypatch.setattr("sys.stdin", io.StringIO(dovecot.password + "\n"))

    assert main(["--home", str(home), "account", "set", "--email", dovecot.user, "--yes",
                 "--password-stdin", "--ca-file", str(dovecot.ca_file)]) == 0
    out = capsys.readouterr().out
    where = web.url(f"/{domain}/mail/config-v1.1.xml?emailaddress={dovecot.user}")
    assert f"Found in the autoconfig at {where}." in out
    assert f"{dovecot.host}:{dovecot.tls_port} (ssl)" in out
    account = load(home / "settings.toml").account
    assert (account.host, account.port, account.security, account.user) == (
        dovecot.host, dovecot.tls_port, "ssl", dovecot.user)
    assert (account.smtp_port, account.smtp_security, account.auth) == (
        2587, "starttls", "password")
    assert secrets.get_password(dovecot.user) == dovecot.password

    assert main(["--home", str(home), "sync", "--json"]) == 0
    folders = json.loads(capsys.readouterr().out)["folders"]
    sent = next(folder for folder in folders if folder["name"] == "Sent")
    assert (sent["role"], sent["new"], sent["total"], sent["skipped"]) == ("sent", 1, 1, 0)


def test_a_server_that_garbles_http_is_passed_over(tmp_path: Path, dns: MxServer) -> None:
    ca_file, cert_file, key_file = make_ca_and_certificate(tmp_path / "garble")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def answer_garbage() -> None:
        with listener, context.wrap_socket(listener.accept()[0], server_side=True) as conn:
            conn.recv(4096)
            conn.sendall(b"SPAM/9 not-a-status\r\n\r\n")

    thread = threading.Thread(target=answer_garbage, daemon=True)
    thread.start()
    client = ssl.create_default_context()
    client.load_verify_locations(cafile=str(ca_file))
    garbled = Lookups((f"https://127.0.0.1:{port}/{{domain}}",), client, ("127.0.0.1",),
                      dns.port, 4.0)
    found = detect("an@bedrijf.nl", garbled)  # no crash: the garbled answer is skipped, MX decides
    thread.join(5)
    assert found.source is Source.MX


def test_a_server_dripping_bytes_is_given_up_on(tmp_path: Path, dns: MxServer) -> None:
    ca_file, cert_file, key_file = make_ca_and_certificate(tmp_path / "drip")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    stop = threading.Event()

    def drip() -> None:
        with listener, context.wrap_socket(listener.accept()[0], server_side=True) as conn:
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n<clientConfig>")
            while not stop.wait(0.1):  # a byte every 0.1 s: each read is quick, the whole is not
                try:
                    conn.sendall(b" ")
                except OSError:
                    return

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    client = ssl.create_default_context()
    client.load_verify_locations(cafile=str(ca_file))
    slow = Lookups((f"https://127.0.0.1:{port}/{{domain}}",), client, ("127.0.0.1",),
                   dns.port, 1.0)
    started = time.monotonic()
    found = detect("an@bedrijf.nl", slow)
    elapsed = time.monotonic() - started
    stop.set()
    thread.join(5)
    assert found.source is Source.MX and elapsed < 4
