"""OAuth2 end to end: a real authorization server, Dovecot validating the JWTs, aiosmtpd too.

The browser is injected: an HTTP client that follows the redirect to NetGuard's loopback
receiver; one test takes the real system-browser path with headless Chromium instead. The
keyring enforces the Windows Credential Manager limit, so the refresh token must arrive in
pieces.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import keyring
import pytest

from netguard.accounts import oauth, tokens
from netguard.accounts.credentials import credentials_for, forget_access_tokens
from netguard.accounts.oauth import OAuth2Login
from netguard.errors import AuthError
from netguard.mail.compose import Draft
from netguard.mail.send import save_draft, send
from netguard.mail.sync import sync
from netguard.settings import OAuth, OAuthClient, Settings
from netguard.store import open_store
from netguard.store.people import add_me
from netguard.workspace import Workspace
from tests.keyrings import WindowsLimitKeyring
from tests.servers.dovecot import DovecotServer, OAuth2Passdb, User
from tests.servers.oauth_server import AuthorizationServer, Browser
from tests.servers.smtp import BearerCheck, SmtpServer

SENT = (b"From: {me}\r\nTo: Frank Jansen <frank@example.nl>\r\nSubject: Offerte\r\n"
        b"Date: Tue, 17 Nov 2026 10:00:00 +0100\r\nMessage-ID: <oauth-1@example.test>\r\n"
        b"\r\nHoi Frank\r\n")
BODY = "Hoi Frank,\n\nDank voor je tijd gisteren. Ik stuur je de schetsen.\n"


@pytest.fixture(scope="module")
def authority() -> Iterator[AuthorizationServer]:
    server = AuthorizationServer(client_id="netguard-test").start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def oauth_dovecot(authority: AuthorizationServer) -> Iterator[DovecotServer]:
    server = DovecotServer.start(oauth2=OAuth2Passdb(authority.issuer,
                                                     {authority.kid: authority.public_key_pem}))
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def windows_keyring(memory_keyring: Any) -> Iterator[WindowsLimitKeyring]:
    backend = WindowsLimitKeyring()
    keyring.set_keyring(backend)
    forget_access_tokens()
    yield backend
    forget_access_tokens()
    keyring.set_keyring(memory_keyring)


@dataclass
class Setup:
    workspace: Workspace
    user: User
    imap: DovecotServer
    smtp: SmtpServer
    authority: AuthorizationServer
    browser: Browser
    first_request: int = 0

    @property
    def settings(self) -> Settings:
        return self.workspace.settings

    def sign_in(self) -> None:
        oauth.sign_in(self.settings, say=lambda line: None, open_url=self.browser,
                      wait_seconds=20)


def settings_for(user: str, imap: DovecotServer, smtp: SmtpServer,
                 issuer: str, client_id: str = "netguard-test") -> Settings:
    from netguard.settings import Account

    return Settings(
        account=Account(host=imap.host, port=imap.port, user=user, security="plain",
                        smtp_host=smtp.host, smtp_port=smtp.port, smtp_security="plain",
                        timeout_seconds=10.0, auth="oauth2", oauth_provider="oidc",
                        oauth_issuer=issuer, file_sent="always"),
        oauth=OAuth(oidc=OAuthClient(client_id)))


@pytest.fixture
def setup(home: Path, authority: AuthorizationServer,
          oauth_dovecot: DovecotServer) -> Iterator[Setup]:
    user = oauth_dovecot.new_user()
    smtp = SmtpServer(oauth=BearerCheck(authority.issuer, authority.public_key_pem)).start()
    workspace = Workspace.open(str(home))
    workspace.save_settings(settings_for(user.name, oauth_dovecot, smtp, authority.issuer))
    add_me(workspace.store, user.name, "login")
    authority.access_token_lifetime = 3600
    yield Setup(workspace, user, oauth_dovecot, smtp, authority, Browser(),
                len(authority.token_requests))
    smtp.stop()
    workspace.close()


def refreshes(setup: Setup) -> list[str]:
    """The outcomes of this test's refresh requests."""
    return [outcome for grant, outcome in setup.authority.token_requests[setup.first_request:]
            if grant == "refresh_token"]


def test_sign_in_then_sync_send_and_save_a_draft_with_tokens(setup: Setup) -> None:
    setup.imap.append(setup.user, "Sent", SENT.replace(b"{me}", setup.user.name.encode()))
    setup.sign_in()
    assert setup.browser.opened[0].startswith(f"{setup.authority.issuer}/authorize?")
    assert "code_challenge_method=S256" in setup.browser.opened[0]
    assert "close this window" in setup.browser.last_page() or \
        "venster sluiten" in setup.browser.last_page()

    result = sync(setup.settings.account, credentials_for(setup.settings), setup.workspace.store)
    assert result.folders and sum(f.new for f in result.folders) == 1
    sent = send(setup.workspace.store, setup.settings,
                Draft(to=("frank@example.nl",), subject="Schetsen", body=BODY))
    assert sent.sent and sent.filed == "appended"
    folder, _ = save_draft(setup.workspace.store, setup.settings,
                           Draft(to=("frank@example.nl",), subject="Concept", body=BODY))
    assert folder == "Drafts"
    assert len(setup.smtp.received) == 1
    assert setup.smtp.oauth is not None
    assert setup.smtp.oauth.logins == [("XOAUTH2", setup.user.name)]
    assert "method=XOAUTH2" in setup.imap.log_text()
    # one refresh for the first login; the access token is reused for the rest
    assert refreshes(setup) == ["ok"]


def test_the_keyring_holds_only_the_refresh_token_in_pieces_under_the_windows_limit(
        setup: Setup, windows_keyring: WindowsLimitKeyring) -> None:
    setup.sign_in()
    sync(setup.settings.account, credentials_for(setup.settings), setup.workspace.store)
    latest = setup.authority.issued_refresh_tokens[-1]
    assert len(latest) > 2 * tokens.PIECE  # long enough to need three pieces
    assert tokens.load(setup.user.name) == latest  # the rotated one was saved
    stored = windows_keyring.passwords
    assert all(len(v.encode("utf-16-le")) <= WindowsLimitKeyring.LIMIT for v in stored.values())
    assert {k for _s, k in stored} == {f"{setup.user.name} oauth2 refresh",
                                       *(f"{setup.user.name} oauth2 refresh {i}"
                                         for i in range(3))}
    joined = "".join(stored.values())
    assert not [t for t in setup.authority.issued_access_tokens if t[:40] in joined]


def test_an_access_token_near_expiry_is_refreshed_before_login(setup: Setup) -> None:
    setup.sign_in()
    now = [time.time()]
    login = OAuth2Login(setup.settings, clock=lambda: now[0])
    sync(setup.settings.account, login, setup.workspace.store)
    first = login.access_token
    now[0] += 3600 - 200  # less than five minutes left
    sync(setup.settings.account, login, setup.workspace.store)
    assert login.access_token != first
    assert refreshes(setup) == ["ok", "ok"]
    assert "Local validation failed" not in setup.imap.log_text()  # never refused


def test_a_refused_access_token_is_refreshed_once_and_the_sync_goes_on(setup: Setup) -> None:
    setup.sign_in()
    login = OAuth2Login(setup.settings)
    login.access_token = setup.authority.access_token(setup.user.name, lifetime=-60)  # expired
    login.expires_at = time.time() + 3000  # but NetGuard believes it is good
    result = sync(setup.settings.account, login, setup.workspace.store)
    assert not result.cancelled
    assert refreshes(setup) == ["ok"]
    assert "Local validation failed" in setup.imap.log_text()


def test_a_revoked_sign_in_says_so_once_without_a_retry_loop(setup: Setup) -> None:
    setup.sign_in()
    setup.authority.revoke(setup.user.name)
    with pytest.raises(AuthError) as refused:
        sync(setup.settings.account, credentials_for(setup.settings), setup.workspace.store)
    assert "expired" in str(refused.value) or "verlopen" in str(refused.value)
    assert "netguard account login" in str(refused.value)
    assert refreshes(setup) == ["invalid_grant"]  # one attempt, no loop
    with pytest.raises(AuthError):
        send(setup.workspace.store, setup.settings,
             Draft(to=("frank@example.nl",), subject="Schetsen", body=BODY))
    assert refreshes(setup) == ["invalid_grant", "invalid_grant"]
    assert setup.smtp.received == []


def test_a_token_from_another_issuer_is_refused_and_said_so(setup: Setup) -> None:
    other = AuthorizationServer(client_id="netguard-test", same_key_as=setup.authority).start()
    try:
        settings = replace(setup.settings, account=replace(setup.settings.account,
                                                           oauth_issuer=other.issuer))
        setup.workspace.save_settings(settings)
        setup.sign_in()
        with pytest.raises(AuthError) as refused:
            sync(settings.account, credentials_for(settings), setup.workspace.store)
        assert "refused the sign-in" in str(refused.value) or "weigert" in str(refused.value)
        assert "netguard account login" in str(refused.value)
        # the token had just been refreshed, so a refusal is final: no second refresh
        assert [o for g, o in other.token_requests if g == "refresh_token"] == ["ok"]
        with pytest.raises(AuthError):
            send(setup.workspace.store, settings,
                 Draft(to=("frank@example.nl",), subject="Schetsen", body=BODY))
        assert setup.smtp.oauth is not None and setup.smtp.oauth.logins == []
        assert [r for r in setup.smtp.oauth.refusals if "InvalidIssuer" in r]
        assert f"Issuer '{other.issuer}' is not allowed" in setup.imap.log_text()
    finally:
        other.stop()


def test_another_users_token_is_refused_by_imap_and_smtp(setup: Setup) -> None:
    stranger = setup.imap.new_user()
    setup.authority.approve_as = stranger.name  # the person signs in with another account
    try:
        setup.sign_in()
    finally:
        setup.authority.approve_as = ""
    with pytest.raises(AuthError) as refused:
        sync(setup.settings.account, credentials_for(setup.settings), setup.workspace.store)
    assert "refused the sign-in" in str(refused.value) or "weigert" in str(refused.value)
    assert "belongs to the provider" in str(refused.value) or "hoort bij" in str(refused.value)
    assert f"Username '{setup.user.name}' did not match '{stranger.name}'" in \
        setup.imap.log_text()
    with pytest.raises(AuthError):
        send(setup.workspace.store, setup.settings,
             Draft(to=("frank@example.nl",), subject="Schetsen", body=BODY))
    assert setup.smtp.oauth is not None and setup.smtp.oauth.logins == []
    assert setup.smtp.oauth.refusals[-1] == f"token is for {stranger.name}, not {setup.user.name}"
    assert setup.smtp.received == []


def test_oauthbearer_works_for_imap_and_smtp(setup: Setup) -> None:
    setup.sign_in()
    login = OAuth2Login(setup.settings, mechanism="OAUTHBEARER")
    sync(setup.settings.account, login, setup.workspace.store)
    from netguard.mail.smtp import Envelope, deliver

    deliver(setup.settings.account, login, Envelope(setup.user.name, ("a@example.org",),
                                                     b"Subject: x\r\n\r\nx\r\n"))
    assert "method=OAUTHBEARER" in setup.imap.log_text()
    assert setup.smtp.oauth is not None
    assert setup.smtp.oauth.logins == [("OAUTHBEARER", setup.user.name)]


def test_the_cli_signs_in_syncs_sends_and_leaves_no_token_in_any_file_or_output(
        tmp_path: Path, authority: AuthorizationServer, oauth_dovecot: DovecotServer) -> None:
    import os
    import subprocess
    import sys

    from tests.integration.test_no_secret_leaks import Cli, files_holding

    user = oauth_dovecot.new_user()
    oauth_dovecot.append(user, "Sent", SENT.replace(b"{me}", user.name.encode()))
    smtp = SmtpServer(oauth=BearerCheck(authority.issuer, authority.public_key_pem)).start()
    cli = Cli(tmp_path)
    cli.env["PYTHONPATH"] += os.pathsep + str(Path(__file__).resolve().parents[2])
    body = tmp_path / "body.txt"
    body.write_text(BODY)
    first_token = len(authority.issued_access_tokens)

    def sign_in(*args: str) -> None:
        process = subprocess.Popen([sys.executable, "-m", "netguard", "--debug", *args],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env=cli.env)
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line)
            if line.startswith(authority.issuer):
                Browser()(line.strip())
                break
        out, err = process.communicate(timeout=60)
        cli.outputs += ["".join(lines) + out, err]
        assert process.returncode == 0, cli.outputs

    try:
        sign_in("account", "set", "--host", oauth_dovecot.host, "--port",
                str(oauth_dovecot.port), "--security", "plain", "--user", user.name,
                "--smtp-host", smtp.host, "--smtp-port", str(smtp.port), "--smtp-security",
                "plain", "--auth", "oauth2", "--oauth-provider", "oidc", "--oauth-issuer",
                authority.issuer, "--oauth-client-id", "netguard-test", "--no-browser")
        shown = cli.run("account", "show")
        assert "OAuth2 (OpenID Connect), signed in" in shown.stdout
        ok = (cli.run("sync"), cli.run("sync", "--json"),
              cli.run("send", "--to", "frank@example.nl", "--subject", "Schetsen",
                      "--body-file", str(body)),
              cli.run("save-draft", "--to", "frank@example.nl", "--subject", "Concept",
                      "--body-file", str(body)),
              cli.run("watch", "--once", "--json"))
        assert [r.args[4:6] for r in ok if r.returncode != 0] == [], cli.outputs
        sign_in("account", "login", "--no-browser")
        assert cli.run("sync").returncode == 0
    finally:
        smtp.stop()

    assert len(smtp.received) == 1
    assert smtp.oauth is not None and len(smtp.oauth.logins) == 1
    access = authority.issued_access_tokens[first_token:]
    refresh = [t for t in authority.issued_refresh_tokens if t[:40] in
               cli.keyring_file.read_text()]
    assert len(refresh) == 1  # the keyring holds the latest refresh token only
    assert access and refresh
    for token in [*access, *authority.issued_refresh_tokens]:
        for piece in (token[:40], token[-40:]):
            assert files_holding(cli.home, piece.encode()) == []
            assert not [out for out in cli.outputs if piece in out]
    assert "signed in" in shown.stdout and "Bearer" not in "".join(cli.outputs)


def test_setup_from_an_address_of_an_oauth_provider_signs_in_at_once_in_the_browser(
        tmp_path: Path, authority: AuthorizationServer, oauth_dovecot: DovecotServer) -> None:
    """`account set --email` (the provider list says: sign in with Google) stores the account
    and opens the browser ($BROWSER) for the sign-in at once; the flags point the sign-in and
    the servers at the test ones. Then a sync logs in with the token."""
    import os
    import subprocess
    import sys

    from tests.integration.test_no_secret_leaks import Cli

    user = oauth_dovecot.new_user()
    cli = Cli(tmp_path)
    cli.env["PYTHONPATH"] += os.pathsep + str(Path(__file__).resolve().parents[2])
    opened = tmp_path / "opened.txt"
    browser = tmp_path / "browser.sh"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    browser.chmod(0o755)
    cli.env["BROWSER"] = str(browser)
    process = subprocess.Popen(
        [sys.executable, "-m", "netguard", "account", "set", "--email", "anna@gmail.com",
         "--yes", "--host", oauth_dovecot.host, "--port", str(oauth_dovecot.port),
         "--security", "plain", "--user", user.name, "--smtp-host", "127.0.0.1",
         "--smtp-port", "2", "--smtp-security", "plain", "--oauth-provider", "oidc",
         "--oauth-issuer", authority.issuer, "--oauth-client-id", "netguard-test"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli.env)
    assert process.stdout is not None
    said = []
    for line in process.stdout:
        said.append(line)
        if line.startswith(authority.issuer):
            Browser()(line.strip())
            break
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, (said, out, err)
    assert "sign in with Google in your browser" in "".join(said)
    assert opened.read_text().strip() == said[-1].strip()  # the browser was opened with it
    assert f"Signed in as {user.name}" in out
    assert cli.run("sync").returncode == 0, cli.outputs


def test_the_cli_signs_in_through_headless_chromium_as_the_system_browser(
        tmp_path: Path, authority: AuthorizationServer, oauth_dovecot: DovecotServer) -> None:
    """The real browser path: no opener is injected. ``webbrowser`` runs ``$BROWSER``, a script
    that starts Debian's chromium headless on the URL; chromium follows the authorization
    server's redirect to the loopback receiver and shows its page. Then a sync uses the token."""
    import os
    import signal
    import subprocess
    import sys

    from tests.integration.test_no_secret_leaks import Cli

    user = oauth_dovecot.new_user()
    oauth_dovecot.append(user, "Sent", SENT.replace(b"{me}", user.name.encode()))
    cli = Cli(tmp_path)
    cli.env["PYTHONPATH"] += os.pathsep + str(Path(__file__).resolve().parents[2])
    page, profile = tmp_path / "page.html", tmp_path / "chromium-profile"
    browser = tmp_path / "browser.sh"
    browser.write_text("#!/bin/sh\nexec chromium --headless=new --no-sandbox --disable-gpu "
                       f'--user-data-dir={profile} --dump-dom "$1" >{page} 2>/dev/null\n')
    browser.chmod(0o755)
    cli.env["BROWSER"] = str(browser)
    first_code = len(authority.token_requests)
    process = subprocess.Popen(
        [sys.executable, "-m", "netguard", "account", "set", "--host", oauth_dovecot.host,
         "--port", str(oauth_dovecot.port), "--security", "plain", "--user", user.name,
         "--smtp-host", "127.0.0.1", "--smtp-port", "2", "--smtp-security", "plain",
         "--auth", "oauth2", "--oauth-provider", "oidc", "--oauth-issuer", authority.issuer,
         "--oauth-client-id", "netguard-test"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli.env,
        start_new_session=True)  # chromium and its helpers join this process group
    try:
        out, err = process.communicate(timeout=60)
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
        left = _still_running(str(tmp_path))  # its crash handler has a session of its own
        for pid in left:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    assert process.returncode == 0, (out, err)
    assert f"Signed in as {user.name}" in out
    assert "You are signed in" in page.read_text()  # chromium landed on the loopback's page
    assert authority.token_requests[first_code:] == [("authorization_code", "ok")]
    synced = cli.run("sync", "--json")
    assert synced.returncode == 0, cli.outputs
    assert sum(f["new"] for f in json.loads(synced.stdout)["folders"]) == 1
    assert "method=XOAUTH2" in oauth_dovecot.log_text()
    assert left == []  # no chromium process outlived the sign-in


def _still_running(marker: str, seconds: float = 10.0) -> list[int]:
    """The live processes whose command line holds ``marker`` (chromium's, by the profile and
    HOME they were given), once they have had ``seconds`` to end."""
    deadline = time.monotonic() + seconds
    while True:
        alive = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            with suppress(OSError):  # a zombie's is empty; a gone one raises
                if marker.encode() in cmdline.read_bytes():
                    alive.append(int(cmdline.parent.name))
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


def test_after_a_dropped_connection_the_sync_logs_in_again_with_the_token(
        setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sync's new login after a cut connection (one folder fails, the others go on) goes
    through the same credentials: a token login on a capped client, twice in all."""
    from netguard.mail.connection import CappedClient
    from tests.integration.test_sync import CuttingProxy, mail

    monkeypatch.setattr("netguard.mail.sync.BATCH", 4)
    setup.imap.append(setup.user, "Sent",
                      *(mail(i, setup.user.name, "a@example.nl") for i in range(40)))
    setup.sign_in()
    logins: list[str] = []
    real_login = OAuth2Login.imap_login

    def counted(self: OAuth2Login, client: Any) -> None:
        logins.append(type(client).__name__)
        real_login(self, client)

    monkeypatch.setattr(OAuth2Login, "imap_login", counted)
    measuring = CuttingProxy(setup.imap.port)
    account = replace(setup.settings.account, port=measuring.port)
    sync(account, credentials_for(setup.settings), open_store(":memory:"))
    measuring.close()
    cutting = CuttingProxy(setup.imap.port, limit=measuring.downstream // 2)
    account = replace(setup.settings.account, port=cutting.port)
    cut = sync(account, credentials_for(setup.settings), setup.workspace.store)
    cutting.close()
    assert [f.name for f in cut.failed] == ["Sent"] and cutting.connections == 2
    assert logins == [CappedClient.__name__] * 3  # the measuring sync's, the cut one's, again


def test_the_relay_hands_mail_upstream_with_a_token(setup: Setup) -> None:
    import smtplib

    from netguard.relay.credentials import credentials
    from netguard.relay.server import Relay
    from tests.servers.smtp import free_port

    setup.sign_in()
    port = free_port()
    relay = Relay(setup.workspace.store, setup.settings, port=port).start()
    try:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            client.login(*credentials())
            client.sendmail(setup.user.name, ["frank@example.nl"],
                            f"From: {setup.user.name}\r\nTo: frank@example.nl\r\nSubject: Hoi\r\n"
                            "Message-ID: <relay-oauth@example.test>\r\n\r\nHoi Frank\r\n")
    finally:
        relay.stop()
    assert [r.rcpt_tos for r in setup.smtp.received] == [("frank@example.nl",)]
    assert setup.smtp.oauth is not None
    assert setup.smtp.oauth.logins == [("XOAUTH2", setup.user.name)]


def test_a_token_login_is_not_held_up_by_nagle(setup: Setup, monkeypatch: Any) -> None:
    """imaplib writes the AUTHENTICATE response and its CRLF apart; without TCP_NODELAY the
    delayed ACK added 40 ms to every XOAUTH2 login here (58 ms against 13 ms for a password).
    It is on for the login only: the rest of the session keeps the socket as it was."""
    import socket

    from imapclient import IMAPClient

    from netguard.mail.connection import connect

    seen: list[int] = []
    real = IMAPClient.sasl_login

    def watched(client: IMAPClient, *args: Any) -> Any:
        seen.append(client._imap.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        return real(client, *args)

    monkeypatch.setattr(IMAPClient, "sasl_login", watched)
    setup.sign_in()
    with connect(setup.settings.account, credentials_for(setup.settings)) as client:
        after = client._imap.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    assert seen and seen[0] != 0 and after == 0
