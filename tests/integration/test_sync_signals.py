"""A `netguard sync` process killed mid-sync leaves no process behind (issue 16, item 6).

A real CLI process syncs a folder large enough for the parser process (``PROCESS_MIN``, on the
pure-Python parser: with the compiled one there is no parser process); the
test waits until the parser process and multiprocessing's resource tracker exist, kills the CLI
(SIGKILL, or SIGTERM), and checks both are gone within a bounded time.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from netguard.cli.main import main
from netguard.mail.sync import PROCESS_MIN
from tests.integration.conftest import DovecotAccount
from tests.integration.test_sync import mail
from tests.servers.dovecot import DovecotServer

ROOT = Path(__file__).resolve().parents[2]
PROC = Path("/proc")
RUNNER = """
import sys
import keyring
from keyring.backend import KeyringBackend

class OnePassword(KeyringBackend):
    priority = 1

    def get_password(self, service, username):
        return sys.argv[2]

    def set_password(self, service, username, password):
        pass

    def delete_password(self, service, username):
        pass

keyring.set_keyring(OnePassword())
from netguard.cli.main import main
sys.exit(main(["--home", sys.argv[1], "sync"]))
"""

pytestmark = pytest.mark.skipif(not (PROC / "self" / "stat").exists(), reason="needs /proc")


def stat_of(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, or None when it is gone."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return fields[0], int(fields[1])


def children(parent: int) -> dict[int, str]:
    """Live children of ``parent``: pid -> command line."""
    found = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (stat := stat_of(int(entry.name))) is not None \
                and stat[1] == parent and stat[0] != "Z":
            try:
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
    return {pid: line.decode(errors="replace") for pid, line in found.items()}


def alive(pid: int) -> bool:
    stat = stat_of(pid)
    return stat is not None and stat[0] != "Z"


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.01)


@pytest.fixture(scope="module")
def large(dovecot_server: DovecotServer) -> DovecotAccount:
    """A user whose INBOX is large enough for a parser process (shared: syncs only read)."""
    user = dovecot_server.new_user()
    dovecot_server.seed_maildir(user, "INBOX", (mail(n, "anna@example.nl", user.name)
                                                for n in range(PROCESS_MIN * 4)))
    return DovecotAccount(dovecot_server, user.name, user.password)


@pytest.fixture
def syncing(large: DovecotAccount, home: Path,
            monkeypatch: pytest.MonkeyPatch) -> Iterator[subprocess.Popen[bytes]]:
    """A `netguard sync` process with its parser process and resource tracker running."""
    dovecot = large
    monkeypatch.setattr("sys.stdin", io.StringIO(dovecot.password + "\n"))
    assert main(["--home", str(home), "account", "set", "--password-stdin", "--host",
                 dovecot.host, "--port", str(dovecot.port), "--user", dovecot.user,
                 "--security", "plain"]) == 0
    # The pure-Python parser: with the compiled one the sync parses in its own thread
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NETGUARD_PURE_HEADERS": "1"}
    process = subprocess.Popen([sys.executable, "-c", RUNNER, str(home), dovecot.password],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(lambda: len(helpers(process.pid)) == 2 or process.poll() is not None, 60,
                 "the parser process and the resource tracker start")
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        if process.stderr:
            process.stderr.close()


def helpers(pid: int) -> dict[int, str]:
    """The CLI's parser process and multiprocessing's resource tracker, by command line."""
    return {child: line for child, line in children(pid).items()
            if "multiprocessing" in line}


def test_sigkill_of_the_cli_ends_its_parser_process_and_helper(
        syncing: subprocess.Popen[bytes]) -> None:
    started = helpers(syncing.pid)
    assert any("resource_tracker" in line for line in started.values())
    syncing.send_signal(signal.SIGKILL)
    syncing.wait()
    wait_for(lambda: not any(alive(pid) for pid in started), 10,
             f"the helpers {started} end with their parent")


def test_sigterm_stops_the_sync_like_ctrl_c(syncing: subprocess.Popen[bytes]) -> None:
    started = helpers(syncing.pid)
    syncing.send_signal(signal.SIGTERM)
    assert syncing.wait(timeout=30) == 130
    err = syncing.stderr.read().decode() if syncing.stderr else ""
    assert "interrupted; everything stored so far is kept" in err
    assert "Traceback" not in err
    wait_for(lambda: not any(alive(pid) for pid in started), 10,
             f"the helpers {started} end with the sync")
