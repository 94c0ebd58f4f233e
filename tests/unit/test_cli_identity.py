"""`netguard account set --name/--from` and `account show`: the identity in account setup."""

from __future__ import annotations

import getpass
from dataclasses import replace
from pathlib import Path

import pytest

from netguard.cli.main import main
from netguard.settings import Account, load
from netguard.workspace import Workspace


def _account(home: Path, **changes: str) -> None:
    workspace = Workspace.open()
    workspace.save_settings(replace(workspace.settings, account=Account(
        host="mail.example.nl", **changes)))
    workspace.close()


def _saved() -> Account:
    workspace = Workspace.open()
    try:
        return load(workspace.profile.settings_file).account
    finally:
        workspace.close()


def _from_row(capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["account", "show"]) == 0  # no stored password: no server is asked
    return next(row for row in capsys.readouterr().out.splitlines() if row.startswith("from "))


def test_name_and_from_alone_change_an_existing_account_without_a_password_prompt(
        home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _account(home, user="sanne")
    monkeypatch.setattr(getpass, "getpass", lambda *_a: pytest.fail("asked for a password"))
    assert main(["account", "set", "--name", " Sanne  de Vries ", "--from",
                 "sanne@example.nl"]) == 0
    assert "Sanne de Vries <sanne@example.nl>" in capsys.readouterr().out
    saved = _saved()
    assert (saved.from_name, saved.from_address) == ("Sanne de Vries", "sanne@example.nl")
    assert (saved.host, saved.user) == ("mail.example.nl", "sanne")
    assert _from_row(capsys).split(None, 1)[1] == "Sanne de Vries <sanne@example.nl> (set)"


def test_show_says_when_the_identity_is_derived_or_missing(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _account(home, user="sanne@example.nl")
    assert "sanne@example.nl (derived: the login" in _from_row(capsys)
    _account(home, user="sanne")
    row = _from_row(capsys)
    assert "not set" in row and "netguard account set --from ADDRESS" in row


def test_a_from_that_is_not_an_address_is_a_usage_error_and_changes_nothing(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _account(home, user="sanne")
    assert main(["account", "set", "--from", "sanne"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "--from" in err
    assert _saved().from_address == ""


def test_an_empty_from_goes_back_to_the_derived_default(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _account(home, user="sanne@example.nl", from_address="old@example.nl")
    assert main(["account", "set", "--from", ""]) == 0
    assert _saved().from_address == ""


def test_a_new_account_still_needs_host_and_user(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["account", "set", "--from", "sanne@example.nl"]) == 2
    assert "--host" in capsys.readouterr().err
    assert main(["account", "set", "--host", "mail.example.nl", "--from", "s@example.nl"]) == 2
