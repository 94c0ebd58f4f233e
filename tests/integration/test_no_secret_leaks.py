"""No password anywhere: after a full CLI run with --debug, no file of the profile holds it.

The CLI runs as separate processes (as a user runs it), with a keyring backend chosen through
PYTHON_KEYRING_BACKEND that keeps its store OUTSIDE the profile, so finding the password in
the keyring file proves it was really stored, and not finding it under NETGUARD_HOME
(settings.toml, the database and its WAL/backups, logs) proves nothing else kept it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

KEYRING_MODULE = '''
import json
import os
import pathlib

from keyring.backend import KeyringBackend


class FileKeyring(KeyringBackend):
    """A test keyring in one JSON file outside the profile."""

    priority = 1
    encrypted = True

    @property
    def file(self):
        return pathlib.Path(os.environ["NG_TEST_KEYRING_FILE"])

    def _load(self):
        return json.loads(self.file.read_text()) if self.file.exists() else {}

    def get_password(self, service, username):
        return self._load().get(service + "/" + username)

    def set_password(self, service, username, password):
        data = self._load()
        data[service + "/" + username] = password
        self.file.write_text(json.dumps(data))

    def delete_password(self, service, username):
        data = self._load()
        data.pop(service + "/" + username, None)
        self.file.write_text(json.dumps(data))
'''

SENT = (b"From: {user}\r\nTo: Frank Jansen <frank@example.nl>\r\nSubject: Offerte\r\n"
        b"Date: Tue, 17 Nov 2026 10:00:00 +0100\r\nMessage-ID: <leak-test-1@example.test>\r\n"
        b"\r\nHoi Frank\r\n")


class Cli:
    def __init__(self, tmp: Path) -> None:
        self.home = tmp / "home"
        module_dir = tmp / "keyring_backend"
        module_dir.mkdir()
        (module_dir / "ng_test_keyring.py").write_text(KEYRING_MODULE)
        self.keyring_file = tmp / "keyring.json"
        self.env = {
            "PATH": "/usr/bin:/bin", "HOME": str(tmp), "LC_ALL": "C.UTF-8",
            "NETGUARD_HOME": str(self.home), "PYTHONPATH": str(module_dir),
            "PYTHON_KEYRING_BACKEND": "ng_test_keyring.FileKeyring",
            "NG_TEST_KEYRING_FILE": str(self.keyring_file),
        }
        self.outputs: list[str] = []

    def run(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        result = subprocess.run([sys.executable, "-m", "netguard", "--debug", *args],
                                input=stdin, capture_output=True, text=True, env=self.env,
                                check=False, timeout=120)
        self.outputs += [result.stdout, result.stderr]
        return result


def files_holding(root: Path, secret: bytes) -> list[Path]:
    return [f for f in sorted(root.rglob("*")) if f.is_file() and secret in f.read_bytes()]


def test_no_password_in_the_profile_after_a_full_run(
    tmp_path: Path, dovecot, smtp_factory, corpora: Path  # type: ignore[no-untyped-def]
) -> None:
    cli = Cli(tmp_path)
    password = dovecot.password
    smtp = smtp_factory(user=dovecot.user, password=password)
    dovecot.append("Sent", SENT.replace(b"{user}", dovecot.user.encode()))
    body = tmp_path / "body.txt"
    body.write_text("Hoi Frank,\n\nDank voor je tijd gisteren. Ik stuur je de schetsen.\n")

    ok = (
        cli.run("account", "set", "--host", dovecot.host, "--port", str(dovecot.port),
                "--security", "plain", "--user", dovecot.user, "--password-stdin",
                "--smtp-host", smtp.host, "--smtp-port", str(smtp.port),
                "--smtp-security", "plain", stdin=password + "\n"),
        cli.run("account", "show"),
        cli.run("sync"),
        cli.run("sync", "--json"),  # a second, incremental run
        cli.run("import", str(corpora / "flanker" / "torture.eml")),
        cli.run("import", "--received", str(corpora / "django_mailbox")),
        cli.run("report", "--json"),
        cli.run("send", "--to", "frank@example.nl", "--subject", "Schetsen", "--body-file",
                str(body)),
        cli.run("save-draft", "--to", "frank@example.nl", "--subject", "Concept",
                "--body-file", str(body)),
        cli.run("watch", "--once", "--json"),
    )
    assert [r.args[4:6] for r in ok if r.returncode != 0] == [], cli.outputs
    assert cli.run("guard", "--to", "frank@example.nl").returncode in (0, 3)
    relay = cli.run("relay", "--credentials").stdout.split()

    secret = password.encode()
    keyring = cli.keyring_file.read_bytes()
    assert secret in keyring  # the password was really stored and used
    assert relay[1].encode() in keyring  # so was the relay's own password
    assert len(smtp.received) == 1  # the send really went out (SMTP AUTH with the password)
    assert b"leak-test-1@example.test" in (cli.home / "netguard.sqlite3").read_bytes() + b"".join(
        f.read_bytes() for f in cli.home.glob("netguard.sqlite3-wal"))  # sync stored Sent
    assert (cli.home / "settings.toml").is_file()
    assert list((cli.home / "logs").glob("netguard.log*"))
    assert files_holding(cli.home, secret) == []
    assert files_holding(cli.home, relay[1].encode()) == []
    assert not [out for out in cli.outputs if password in out]


def test_a_refused_password_is_not_kept_either(tmp_path: Path, dovecot) -> None:  # type: ignore[no-untyped-def]
    cli = Cli(tmp_path)
    wrong = "Wr0ng-but-secret-" + dovecot.password
    assert cli.run("account", "set", "--host", dovecot.host, "--port", str(dovecot.port),
                   "--security", "plain", "--user", dovecot.user, "--password-stdin",
                   stdin=wrong + "\n").returncode == 0
    refused = cli.run("sync")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert wrong.encode() in cli.keyring_file.read_bytes()
    assert files_holding(cli.home, wrong.encode()) == []
    assert not [out for out in cli.outputs if wrong in out]
