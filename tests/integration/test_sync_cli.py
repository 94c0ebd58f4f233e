"""`netguard account set|show` and `netguard sync [--json]` end to end against Dovecot."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from netguard import secrets
from netguard.cli.main import main
from netguard.mail.connection import fingerprint, peer_certificate
from tests.integration.conftest import DovecotAccount
from tests.integration.test_sync import mail
from tests.unit.test_cli_imports import loaded_heavy


def account_set(monkeypatch: pytest.MonkeyPatch, home: Path, password: str, *args: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main(["--home", str(home), "account", "set", "--password-stdin", *args])


def test_set_sync_json_and_show(dovecot: DovecotAccount, home: Path,
                                monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    dovecot.append("Sent", mail(1, dovecot.user, "anna@example.nl"))
    dovecot.append("INBOX", mail(2, "anna@example.nl", dovecot.user))
    assert account_set(monkeypatch, home, dovecot.password, "--host", dovecot.host,
                       "--port", str(dovecot.port), "--user", dovecot.user,
                       "--security", "plain") == 0
    out, err = capsys.readouterr()
    assert "unencrypted" not in err  # loopback: no insecurity warning
    assert dovecot.password not in out + err + (home / "settings.toml").read_text()
    assert secrets.get_password(dovecot.user) == dovecot.password

    assert main(["--home", str(home), "sync", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["folders"] == [
        {"name": "Sent", "role": "sent", "new": 1, "total": 1, "skipped": 0,
         "missing": 0, "error": None},
        {"name": "INBOX", "role": "received", "new": 1, "total": 1, "skipped": 0,
         "missing": 0, "error": None},
        {"name": "Archive", "role": "received", "new": 0, "total": 0, "skipped": 0,
         "missing": 0, "error": None},
    ]
    assert main(["--home", str(home), "sync"]) == 0
    assert "Sent 0 new (1 in total)" in capsys.readouterr().out

    assert main(["--home", str(home), "account", "show"]) == 0
    out = capsys.readouterr().out
    assert "Sent" in out and "Drafts" in out and "INBOX, Archive" in out
    last = next(line for line in out.splitlines() if line.startswith("last sync"))
    assert "never" not in last  # `netguard sync` recorded when it finished
    assert dovecot.password not in out


def test_plain_to_a_remote_host_warns(home: Path, monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert account_set(monkeypatch, home, "pw", "--host", "mail.example.org", "--user", "u",
                       "--security", "plain") == 0
    assert "unencrypted" in capsys.readouterr().err


def test_self_signed_then_ca_file_then_pin(dovecot: DovecotAccount, home: Path,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--host", dovecot.host, "--port", str(dovecot.tls_port), "--user", dovecot.user]
    account_set(monkeypatch, home, dovecot.password, *base)
    capsys.readouterr()
    assert main(["--home", str(home), "sync"]) == 1
    err = capsys.readouterr().err
    expected = fingerprint(peer_certificate(dovecot.account("ssl")))
    assert expected in err and "--pin-fingerprint" in err and "--ca-file" in err

    account_set(monkeypatch, home, dovecot.password, *base, "--ca-file", str(dovecot.ca_file))
    assert main(["--home", str(home), "sync"]) == 0

    account_set(monkeypatch, home, dovecot.password, *base, "--ca-file", "",
                "--pin-fingerprint", expected)
    assert main(["--home", str(home), "sync"]) == 0


def test_wrong_password_is_one_line_and_exit_1(dovecot: DovecotAccount, home: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    account_set(monkeypatch, home, "wrong", "--host", dovecot.host, "--port", str(dovecot.port),
                "--user", dovecot.user, "--security", "plain")
    capsys.readouterr()
    assert main(["--home", str(home), "sync"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "refused the login" in err
    assert dovecot.login_attempts() == 1


def test_sync_without_account_says_how(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--home", str(home), "sync"]) == 1
    assert "netguard account set" in capsys.readouterr().err


def _as_a_process(home: Path, dovecot: DovecotAccount) -> dict[str, str]:
    """The environment of a `netguard` process on ``home``, its password in a file keyring."""
    (home / "bench-keyring.json").write_text(json.dumps({f"netguard/{dovecot.user}":
                                                          dovecot.password}))
    return {"NETGUARD_HOME": str(home), "PATH": "/usr/bin:/bin",
            "PYTHON_KEYRING_BACKEND": "bench.bench_keyring.BenchKeyring",
            "PYTHONPATH": str(Path(__file__).resolve().parents[2])}


def test_a_sync_process_stores_everything_and_closes_the_store(
        dovecot: DovecotAccount, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The process ends without the interpreter's teardown (netguard.quick_exit): what it
    # synced is committed, the store closed (its WAL checkpointed and removed), stdout whole.
    assert account_set(monkeypatch, home, dovecot.password, "--host", dovecot.host,
                       "--port", str(dovecot.port), "--user", dovecot.user,
                       "--security", "plain") == 0
    dovecot.append("Sent", *(mail(i, dovecot.user, f"a{i}@example.nl") for i in range(1, 4)))
    result = subprocess.run([sys.executable, "-m", "netguard", "sync", "--json"],
                            env=_as_a_process(home, dovecot), capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["folders"][0] == {
        "name": "Sent", "role": "sent", "new": 3, "total": 3, "skipped": 0, "missing": 0,
        "error": None}
    assert not (home / "netguard.sqlite3-wal").exists()
    with sqlite3.connect(home / "netguard.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM messages").fetchone() == (3,)
        assert conn.execute("SELECT count(*) FROM last_sync").fetchone() == (1,)


def test_a_sync_with_nothing_new_loads_no_parser_and_no_metadata(
        dovecot: DovecotAccount, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The header parser, the FETCH reader and the parser process load for a folder with news.
    assert account_set(monkeypatch, home, dovecot.password, "--host", dovecot.host,
                       "--port", str(dovecot.port), "--user", dovecot.user,
                       "--security", "plain") == 0
    dovecot.append("Sent", mail(1, dovecot.user, "anna@example.nl"))
    parser = ("netguard.mail.headers", "netguard.mail.fetch", "netguard.mail.batch_parser")
    env = _as_a_process(home, dovecot)
    assert loaded_heavy(home, "sync", heavy=parser, env=env) == sorted(parser)  # news
    assert loaded_heavy(home, "sync", heavy=parser, env=env) == []  # nothing new
    # Nor imapclient's version through importlib.metadata, nor importlib.resources, nor what
    # only other paths need: platformdirs (the home is given), the email package's address
    # parser (no From address set), keyring's keyringrc reader (a backend is chosen), hashlib
    # (a certificate's fingerprint) (issue 18).
    unused = ("importlib.metadata", "importlib.resources", "platformdirs",
              "email.headerregistry", "configparser", "hashlib")
    assert loaded_heavy(home, "sync", heavy=unused, env=env) == []
