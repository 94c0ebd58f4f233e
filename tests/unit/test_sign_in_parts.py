"""The parts of OAuth2 sign-in that need no server: SASL strings, keyring pieces, endpoints,
client IDs, and how `account show` describes the login."""

from __future__ import annotations

from typing import Any

import keyring
import pytest

from netguard.accounts import sasl, status, tokens
from netguard.accounts.authorization import (
    MICROSOFT,
    client,
    endpoints,
    require_secure,
)
from netguard.errors import ConfigError
from netguard.settings import Account, OAuth, OAuthClient, Settings, from_mapping, to_toml
from tests.keyrings import WindowsLimitKeyring


def test_xoauth2_and_oauthbearer_initial_responses() -> None:
    assert sasl.initial_response("XOAUTH2", "a@b.nl", "T") == "user=a@b.nl\x01auth=Bearer T\x01\x01"
    bearer = sasl.initial_response("OAUTHBEARER", "a,b=c@d.nl", "T", "imap.d.nl", 993)
    assert bearer == "n,a=a=2Cb=3Dc@d.nl,\x01host=imap.d.nl\x01port=993\x01auth=Bearer T\x01\x01"


@pytest.mark.parametrize(("mechanism", "ending"), [("XOAUTH2", ""), ("OAUTHBEARER", "\x01")])
def test_a_refused_token_is_answered_once_then_the_exchange_ends(mechanism: str,
                                                                 ending: str) -> None:
    step = sasl.conversation(mechanism, "first")
    assert step(b"") == "first"
    assert step(b'{"status":"401"}') == ending
    assert step(b"again") == ending


def test_the_mechanism_follows_what_the_server_offers() -> None:
    assert sasl.choose({"PLAIN", "XOAUTH2", "OAUTHBEARER"}) == "XOAUTH2"
    assert sasl.choose({"OAUTHBEARER"}) == "OAUTHBEARER"
    assert sasl.choose({"XOAUTH2", "OAUTHBEARER"}, "OAUTHBEARER") == "OAUTHBEARER"


def test_a_long_refresh_token_is_kept_in_pieces_under_the_windows_limit() -> None:
    backend = WindowsLimitKeyring()
    keyring.set_keyring(backend)
    token = "ü" + "x" * 4000  # four pieces
    tokens.save("me@example.nl", token)
    assert tokens.load("me@example.nl") == token
    assert backend.passwords[("netguard", "me@example.nl oauth2 refresh")] == "4"
    tokens.save("me@example.nl", "short")  # a rotated, shorter one leaves no old pieces
    assert tokens.load("me@example.nl") == "short"
    assert len(backend.passwords) == 2
    tokens.forget("me@example.nl")
    assert tokens.load("me@example.nl") is None and backend.passwords == {}


def test_the_windows_keyring_refuses_what_windows_refuses() -> None:
    from keyring.errors import PasswordSetError

    with pytest.raises(PasswordSetError):
        WindowsLimitKeyring().set_password("netguard", "x", "y" * 1281)


def test_a_missing_piece_means_not_signed_in(memory_keyring: Any) -> None:
    tokens.save("me@example.nl", "a" * 3000)
    del memory_keyring.passwords[("netguard", "me@example.nl oauth2 refresh 1")]
    assert tokens.load("me@example.nl") is None


@pytest.mark.parametrize("url", ["https://login.example.com", "http://127.0.0.1:8080/x",
                                 "http://localhost:9/", "http://[::1]:9/"])
def test_https_or_loopback_http_is_accepted(url: str) -> None:
    require_secure(url)


@pytest.mark.parametrize("url", ["http://login.example.com", "ftp://127.0.0.1/",
                                 "http://127.0.0.1.example.com/"])
def test_plain_http_elsewhere_is_refused(url: str) -> None:
    with pytest.raises(ConfigError, match="HTTPS"):
        require_secure(url)


def test_microsoft_has_the_mail_scopes_and_a_localhost_redirect() -> None:
    place = endpoints(Account(auth="oauth2", oauth_provider="microsoft"))
    assert place == MICROSOFT
    assert "https://outlook.office.com/IMAP.AccessAsUser.All" in place.scopes
    assert "offline_access" in place.scopes and place.redirect_host == "localhost"
    google = endpoints(Account(oauth_provider="google"))
    assert google.scopes == ("https://mail.google.com/",)
    assert dict(google.extra) == {"access_type": "offline", "prompt": "consent"}  # a refresh token


def test_without_a_client_id_sign_in_says_plainly_what_is_needed() -> None:
    with pytest.raises(ConfigError) as missing:
        client("microsoft", OAuth())
    assert "client ID" in str(missing.value) or "client-ID" in str(missing.value)
    assert "[oauth.microsoft]" in str(missing.value)
    assert client("google", OAuth(google=OAuthClient("mine"))).client_id == "mine"


def test_the_bundled_client_ids_are_empty_until_a_release_fills_them_in() -> None:
    for provider in ("microsoft", "google", "oidc"):
        with pytest.raises(ConfigError):
            client(provider, OAuth())


def test_oauth_settings_round_trip_through_toml() -> None:
    import tomllib

    settings = Settings(account=Account(host="outlook.office365.com", user="a@b.nl",
                                        auth="oauth2", oauth_provider="microsoft"),
                        oauth=OAuth(microsoft=OAuthClient("abc-123")))
    text = to_toml(settings)
    assert '[oauth.microsoft]\nclient_id = "abc-123"' in text
    assert from_mapping(tomllib.loads(text)) == settings


def test_show_says_how_the_account_logs_in_never_a_token(memory_keyring: Any) -> None:
    account = Account(host="h", user="a@b.nl", auth="oauth2", oauth_provider="microsoft")
    assert status.describe(account, status.ready(account), "en") == \
        "OAuth2 (Microsoft), not signed in (run `netguard account login`)"
    tokens.save("a@b.nl", "secret-refresh")
    assert status.describe(account, status.ready(account), "en") == "OAuth2 (Microsoft), signed in"
    password = Account(host="h", user="a@b.nl")
    assert status.describe(password, status.ready(password), "nl").startswith("wachtwoord")

