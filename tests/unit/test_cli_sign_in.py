"""`netguard account set --auth oauth2` and `netguard account login` without a server: the
messages a person sees when something is missing, and what is stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from netguard.accounts import oauth
from netguard.cli.main import main
from netguard.settings import load

BASE = ["account", "set", "--host", "outlook.office365.com", "--user", "sanne@outlook.com"]


def test_oauth2_without_a_client_id_stores_the_account_and_says_what_is_needed(
        home: Path, capsys: Any, memory_keyring: Any) -> None:
    assert main([*BASE, "--auth", "oauth2", "--oauth-provider", "microsoft",
                 "--no-browser"]) == 1
    err = capsys.readouterr().err
    assert "client ID" in err and "[oauth.microsoft]" in err and "Traceback" not in err
    account = load(home / "settings.toml").account
    assert (account.auth, account.oauth_provider) == ("oauth2", "microsoft")
    assert memory_keyring.passwords == {}  # nothing was asked or stored


def test_the_client_id_goes_to_the_settings_and_the_secret_to_the_keyring(
        home: Path, memory_keyring: Any, monkeypatch: Any) -> None:
    started: list[str] = []
    monkeypatch.setattr(oauth, "sign_in", lambda settings, say, open_url: started.append(
        settings.oauth.google.client_id))
    assert main([*BASE, "--auth", "oauth2", "--oauth-provider", "google",
                 "--oauth-client-id", "my-id", "--oauth-client-secret", "my-secret"]) == 0
    assert started == ["my-id"]
    text = (home / "settings.toml").read_text()
    assert 'client_id = "my-id"' in text and "my-secret" not in text
    assert memory_keyring.passwords[("netguard", oauth.client_secret_key("sanne@outlook.com"))] \
        == "my-secret"


def test_login_on_a_password_account_explains_itself(home: Path, capsys: Any,
                                                    monkeypatch: Any) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("app-password\n"))
    assert main([*BASE, "--password-stdin"]) == 0
    capsys.readouterr()
    assert main(["account", "login"]) == 1
    assert "OAuth2" in capsys.readouterr().err


def test_show_says_how_the_account_logs_in(home: Path, capsys: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(oauth, "sign_in", lambda settings, say, open_url: None)
    assert main([*BASE, "--auth", "oauth2", "--oauth-provider", "microsoft",
                 "--oauth-client-id", "x"]) == 0
    capsys.readouterr()
    assert main(["account", "show"]) == 0
    out = capsys.readouterr().out
    assert "OAuth2 (Microsoft), not signed in" in out


def test_oauth2_needs_a_provider(home: Path, capsys: Any) -> None:
    assert main([*BASE, "--auth", "oauth2"]) == 2
    assert "--oauth-provider" in capsys.readouterr().err
