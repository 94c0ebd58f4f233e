"""`netguard account set --email` for providers in the bundled table (no network involved)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from netguard import secrets
from netguard.cli.main import main
from netguard.settings import Settings, load, save


def run(monkeypatch: pytest.MonkeyPatch, home: Path, *args: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["--home", str(home), "account", "set", *args])


def settings_of(home: Path) -> Settings:
    return load(home / "settings.toml")


def test_gmail_with_no_browser_is_stored_for_a_later_google_sign_in_without_a_password(
        home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(monkeypatch, home, "--email", "Anna.Visser@Gmail.com", "--yes",
               "--no-browser") == 0
    out = capsys.readouterr().out
    assert "Found in the NetGuard provider list (Gmail)." in out
    assert "imap.gmail.com:993 (ssl)" in out and "smtp.gmail.com:465 (ssl)" in out
    assert "sign in with Google in your browser" in out
    assert "netguard account login" in out
    account = settings_of(home).account
    assert (account.host, account.port, account.security, account.user) == (
        "imap.gmail.com", 993, "ssl", "Anna.Visser@Gmail.com")
    assert (account.smtp_host, account.smtp_port, account.smtp_security) == (
        "smtp.gmail.com", 465, "ssl")
    assert (account.auth, account.oauth_provider) == ("oauth2", "google")
    assert secrets.get_password("Anna.Visser@Gmail.com") is None


def test_gmail_signs_in_at_once_after_storing(
        home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --no-browser the sign-in follows at once; this copy has no Google client ID, so
    the sign-in stops there with the message saying so (no browser, no network), and the
    account is stored already."""
    monkeypatch.setattr("webbrowser.open", lambda *_args, **_kwargs: pytest.fail("browser"))
    assert run(monkeypatch, home, "--email", "anna@gmail.com", "--yes") == 1
    out, err = capsys.readouterr()
    assert "signing in with Google" in out and "netguard account login" not in out
    assert "needs a client ID" in err
    account = settings_of(home).account
    assert (account.host, account.auth, account.oauth_provider) == (
        "imap.gmail.com", "oauth2", "google")
    assert secrets.get_password("anna@gmail.com") is None


def test_kpn_stores_the_password(home: Path, monkeypatch: pytest.MonkeyPatch,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert run(monkeypatch, home, "--email", "jan@xs4all.nl", "--yes", "--password-stdin",
               stdin="geheim\n") == 0
    out = capsys.readouterr().out
    assert "KPN" in out and "login      password" in out
    account = settings_of(home).account
    assert (account.host, account.smtp_host, account.auth) == (
        "imap.kpnmail.nl", "smtp.kpnmail.nl", "password")
    assert secrets.get_password("jan@xs4all.nl") == "geheim"


def test_explicit_flags_override_what_was_detected(home: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(monkeypatch, home, "--email", "jan@kpnmail.nl", "--host", "imap.elders.nl",
               "--smtp-security", "starttls", "--user", "jan", "--yes", "--password-stdin",
               stdin="pw\n") == 0
    account = settings_of(home).account
    assert (account.host, account.port, account.user) == ("imap.elders.nl", 993, "jan")
    assert (account.smtp_host, account.smtp_port, account.smtp_security) == (
        "smtp.kpnmail.nl", 587, "starttls")  # the detected port belonged to SSL


def test_a_password_provider_after_an_oauth_one_logs_in_with_a_password_again(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(monkeypatch, home, "--email", "a@outlook.com", "--yes", "--no-browser") == 0
    assert settings_of(home).account.oauth_provider == "microsoft"
    assert run(monkeypatch, home, "--email", "a@ziggo.nl", "--yes", "--password-stdin",
               stdin="pw\n") == 0
    account = settings_of(home).account
    assert (account.host, account.auth, account.oauth_provider) == (
        "imap.ziggo.nl", "password", "")


def test_without_yes_and_without_a_terminal_nothing_is_saved(
        home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(monkeypatch, home, "--email", "a@gmail.com") == 2
    out, err = capsys.readouterr()
    assert "imap.gmail.com" in out  # what was found is shown first
    assert len(err.strip().splitlines()) == 1 and "--yes" in err
    assert not (home / "settings.toml").exists()


@pytest.mark.parametrize(("answer", "code", "saved"), [("n\n", 1, False), ("", 1, False),
                                                       ("j\n", 0, True), ("Yes\n", 0, True)])
def test_the_question_on_a_terminal(home: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str], answer: str, code: int,
                                    saved: bool) -> None:
    save(Settings(language="nl"), home / "settings.toml")
    terminal = io.StringIO(answer)
    terminal.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stdin", terminal)
    assert main(["--home", str(home), "account", "set", "--email", "a@hotmail.nl",
                 "--no-browser"]) == code
    out = capsys.readouterr().out
    assert "Gevonden in de providerlijst van NetGuard (Outlook.com / Hotmail / Live)." in out
    assert "Deze instellingen opslaan? [j/N]" in out
    assert (settings_of(home).account.host == "outlook.office365.com") is saved
    assert ("Niet opgeslagen." in out) is not saved


@pytest.mark.parametrize(("args", "message"), [
    (["--email", "not-an-address"], "is not an e-mail address"),
    (["--host", "imap.example.nl"], "--email ADDRESS"),
    ([], "--email ADDRESS"),
])
def test_usage_errors(home: Path, monkeypatch: pytest.MonkeyPatch,
                      capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert run(monkeypatch, home, *args, "--yes") == 2
    assert message in capsys.readouterr().err
