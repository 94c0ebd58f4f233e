"""A hand-over cut off after the data went out (issue 16, item 3): the message is *in doubt*;
`outbox --retry` does not send it again, `--retry --resend-in-doubt` sends it once more.

Against a real Dovecot and a real aiosmtpd that holds its answer to the data (so the test can
kill `netguard send` between the upstream getting the message and NetGuard hearing 250) or drops
the connection instead of answering.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from netguard import outbox
from netguard.cli.main import main
from netguard.errors import NetworkError
from netguard.mail.compose import Draft
from netguard.mail.send import retry, send
from netguard.settings import Settings, save
from tests.integration.mailflow import CONTACT, MailSetup, wire
from tests.integration.test_no_secret_leaks import KEYRING_MODULE


@pytest.fixture
def body(tmp_path: Path) -> Path:
    path = tmp_path / "body.txt"
    path.write_text("Hi Anna,\n\nHere are the sketches we talked about.\n")
    return path


def _ids(smtp: Any) -> list[bytes]:
    return [line for received in smtp.received for line in received.content.splitlines()
            if line.lower().startswith(b"message-id:")]


class Cli:
    """`python -m netguard` in its own process, with a keyring file outside the profile."""

    def __init__(self, tmp: Path, dovecot: Any, smtp: Any) -> None:
        self.home = tmp / "home"
        backend = tmp / "backend"
        backend.mkdir()
        (backend / "ng_test_keyring.py").write_text(KEYRING_MODULE)
        keyring_file = tmp / "keyring.json"
        keyring_file.write_text(json.dumps({f"netguard/{dovecot.user}": dovecot.password}))
        self.env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp), "LC_ALL": "C.UTF-8",
                    "NETGUARD_HOME": str(self.home), "PYTHONPATH": str(backend),
                    "PYTHON_KEYRING_BACKEND": "ng_test_keyring.FileKeyring",
                    "NG_TEST_KEYRING_FILE": str(keyring_file)}
        account = dovecot.account("plain", smtp_host=smtp.host, smtp_port=smtp.port,
                                  smtp_security="plain")
        save(Settings(account=account), self.home / "settings.toml")

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen([sys.executable, "-m", "netguard", *args], env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "netguard", *args], env=self.env,
                              capture_output=True, text=True, check=False, timeout=120)


def test_killed_after_the_upstream_got_it_is_in_doubt_and_sent_again_only_when_asked(
        tmp_path: Path, dovecot: Any, smtp_factory: Any, body: Path) -> None:
    upstream = smtp_factory(user=dovecot.user, password=dovecot.password)
    cli = Cli(tmp_path, dovecot, upstream)
    upstream.after_data("hold")
    sending = cli.start("send", "--to", CONTACT, "--subject", "Sketches", "--body-file", str(body))
    try:
        assert upstream.wait_for(1), sending.communicate(timeout=30)
    finally:
        sending.kill()  # between the upstream's 250 and NetGuard recording it
        sending.communicate(timeout=30)
    upstream.release()
    upstream.after_data("answer")

    listed = cli.run("outbox")
    assert listed.returncode == 0 and "in doubt" in listed.stdout, listed

    held = cli.run("outbox", "--retry")
    assert held.returncode == 1
    assert "Not sent again" in held.stdout and "may have arrived" in held.stdout
    assert "--resend-in-doubt" in held.stdout
    assert len(upstream.received) == 1  # not sent twice
    assert "in doubt" in cli.run("outbox").stdout

    resent = cli.run("outbox", "--retry", "--resend-in-doubt")
    assert resent.returncode == 0, resent
    assert len(upstream.received) == 2 and len(set(_ids(upstream))) == 1  # once more, same id
    assert "The outbox is empty." in cli.run("outbox").stdout
    assert cli.run("outbox", "--retry").returncode == 0 and len(upstream.received) == 2


def test_a_connection_lost_after_the_data_is_in_doubt_not_resent(
        home: Path, dovecot: Any, smtp_factory: Any, body: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    upstream = smtp_factory(user=dovecot.user, password=dovecot.password)
    setup = wire(home, dovecot, upstream)
    upstream.after_data("drop")
    code = main(["send", "--to", CONTACT, "--subject", "Sketches", "--body-file", str(body)])
    err = capsys.readouterr().err
    assert code == 1 and "Perhaps sent" in err and "--resend-in-doubt" in err
    [kept] = outbox.pending(setup.workspace.store)
    assert kept.in_doubt and len(upstream.received) == 1
    upstream.after_data("answer")
    assert main(["outbox", "--retry"]) == 1
    assert len(upstream.received) == 1
    assert main(["outbox", "--retry", "--resend-in-doubt"]) == 0
    assert len(upstream.received) == 2 and outbox.pending(setup.workspace.store) == []
    assert len([raw for raw in dovecot.messages("Sent") if kept.message_id.encode() in raw]) == 1


def test_in_doubt_but_in_sent_is_filed_as_sent_without_sending(
        home: Path, dovecot: Any, smtp_factory: Any) -> None:
    upstream = smtp_factory(user=dovecot.user, password=dovecot.password)
    setup = wire(home, dovecot, upstream)
    conn, settings = setup.workspace.store, setup.workspace.settings
    upstream.after_data("drop")
    with pytest.raises(NetworkError):
        send(conn, settings, Draft(to=(CONTACT,), subject="Hello", body="Hi"))
    [kept] = outbox.pending(conn)
    dovecot.append("Sent", kept.raw)  # the server filed it itself: it did go out
    upstream.after_data("answer")
    assert retry(conn, settings) == [(kept.message_id, "")]
    assert len(upstream.received) == 1 and outbox.pending(conn) == []


def test_a_refusal_or_an_unreachable_server_is_not_in_doubt(
        setup_refusing: MailSetup) -> None:
    conn, settings = setup_refusing.workspace.store, setup_refusing.workspace.settings
    with pytest.raises(Exception, match="refused the recipient"):
        send(conn, settings, Draft(to=(CONTACT,), subject="Hello", body="Hi"))
    setup_refusing.smtp.stop()
    with pytest.raises(NetworkError):
        send(conn, settings, Draft(to=("bob@example.org",), subject="Hello", body="Hi"))
    assert [item.in_doubt for item in outbox.pending(conn)] == [False, False]


@pytest.fixture
def setup_refusing(home: Path, dovecot: Any, smtp_factory: Any) -> MailSetup:
    upstream = smtp_factory(user=dovecot.user, password=dovecot.password)
    upstream.refuse(CONTACT)
    return wire(home, dovecot, upstream)
