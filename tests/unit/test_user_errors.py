"""Faults a user can cause or meet (issue 16, items 7, 8, 9, 14): each ends in one line on stderr
that names the file, key or variable, says what happened and what to do — exit 1 (2 for a
missing command-line input), never a traceback, never "unexpected error".

Each case runs `python -m netguard` as its own process with a temporary NETGUARD_HOME. As root,
permissions are made to count by dropping CAP_DAC_OVERRIDE for the child (setpriv).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from netguard import logs
from tests.integration.test_no_secret_leaks import KEYRING_MODULE

REPO = Path(__file__).resolve().parents[2]
UNPRIVILEGED = (["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
                if os.geteuid() == 0 else [])
FINGERPRINT = ":".join(["AB"] * 32)


Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def netguard(tmp_path: Path) -> Run:
    """``netguard(home, *args, unprivileged=, lang=, closed_stdin=, stdin=, **env)``: one run."""
    backend = tmp_path / "backend"
    backend.mkdir()
    (backend / "ng_test_keyring.py").write_text(KEYRING_MODULE)

    def run(home: Path, *args: str, unprivileged: bool = False, lang: str = "C.UTF-8",
            closed_stdin: bool = False, stdin: str = "",
            **env: str) -> subprocess.CompletedProcess[str]:
        environment = {"PATH": "/usr/bin:/bin", "LC_ALL": lang, "HOME": str(tmp_path),
                       "NETGUARD_HOME": str(home), "PYTHONPATH": f"{REPO}{os.pathsep}{backend}",
                       "PYTHON_KEYRING_BACKEND": "ng_test_keyring.FileKeyring",
                       "NG_TEST_KEYRING_FILE": str(tmp_path / "keyring.json"), **env}
        command = [*(UNPRIVILEGED if unprivileged else []), sys.executable, "-m", "netguard",
                   *args]
        return subprocess.run(command, env=environment, capture_output=True, text=True,
                              check=False, timeout=60, input=stdin,
                              preexec_fn=(lambda: os.close(0)) if closed_stdin else None)

    return run


def one_line(result: subprocess.CompletedProcess[str], *names: object, code: int = 1) -> str:
    """The single stderr line of a failed run, checked to name each of ``names``."""
    assert "Traceback" not in result.stderr and "unexpected error" not in result.stderr, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert result.returncode == code, result
    for name in names:
        assert str(name) in lines[0]
    return lines[0]


@pytest.fixture
def profile(tmp_path: Path) -> Path:
    return tmp_path / "profile"


@pytest.fixture
def store(profile: Path, netguard: Run) -> Path:
    """A profile whose database exists (made by a first run)."""
    assert netguard(profile, "report").returncode == 0
    return profile / "netguard.sqlite3"


@pytest.fixture
def read_only() -> Iterator[list[Path]]:
    """Paths to make read-only for the test; made writable again afterwards."""
    paths: list[Path] = []
    yield paths
    for path in paths:
        path.chmod(0o700)


# -- item 7: the profile ------------------------------------------------------------------------

def test_netguard_home_pointing_at_a_file(tmp_path: Path, netguard: Run) -> None:
    file = tmp_path / "not-a-folder"
    file.write_text("x")
    line = one_line(netguard(file, "report"), file, "is a file", "NETGUARD_HOME")
    assert "move the file away" in line
    one_line(netguard(file / "sub", "report"), file, "is a file")


def test_a_profile_folder_that_is_not_writable(
        profile: Path, read_only: list[Path], netguard: Run) -> None:
    profile.mkdir(mode=0o500)
    read_only.append(profile)
    line = one_line(netguard(profile, "report", unprivileged=True), profile, "cannot write")
    assert "--home" in line


def test_a_log_folder_that_is_not_writable_warns_once_and_the_command_runs(
        profile: Path, read_only: list[Path], netguard: Run) -> None:
    (profile / "logs").mkdir(parents=True)
    (profile / "logs").chmod(0o500)
    read_only.append(profile / "logs")
    result = netguard(profile, "report", unprivileged=True)
    assert result.returncode == 0 and "No contacts yet" in result.stdout
    [warning] = result.stderr.strip().splitlines()
    assert str(profile / "logs" / "netguard.log") in warning and "without a log file" in warning
    assert "Traceback" not in result.stderr


def test_a_log_file_that_fails_later_warns_once_and_stops_logging(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger("netguard")
    saved = (list(root.handlers), root.__dict__.pop("_netguard_configured", None), root.level)
    root.handlers.clear()
    try:
        logs.setup(tmp_path)
        [handler] = [h for h in root.handlers if isinstance(h, logs.FileHandler)]
        assert handler.stream is not None
        handler.stream.close()  # as if the disk went away under it
        for _ in range(3):
            root.warning("something to log")
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and str(tmp_path / "netguard.log") in err
        assert "Traceback" not in err and handler not in root.handlers
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[2])
        if saved[1] is not None:
            root._netguard_configured = saved[1]  # type: ignore[attr-defined]


# -- item 8: the database and the keyring -------------------------------------------------------

def test_a_damaged_database_names_the_file_and_its_backup(store: Path, netguard: Run) -> None:
    backup = store.with_name(f"{store.name}.bak-v3")
    backup.write_bytes(store.read_bytes())
    with store.open("r+b") as file:
        file.seek(100)
        file.write(b"\xff" * 2000)  # the schema page is garbage now
    line = one_line(netguard(store.parent, "report"), store, "damaged", backup)
    assert "malformed" in line and "move it away" in line


def test_a_database_that_is_a_folder(profile: Path, netguard: Run) -> None:
    (profile / "netguard.sqlite3").mkdir(parents=True)
    one_line(netguard(profile, "report"), profile / "netguard.sqlite3", "is a folder")


def test_a_database_that_is_not_writable(store: Path, read_only: list[Path], netguard: Run) -> None:
    store.chmod(0o400)
    read_only.append(store)
    line = one_line(netguard(store.parent, "allow", "anna@example.org", unprivileged=True), store)
    assert "cannot write its database" in line


def test_a_database_locked_by_another_netguard(store: Path, netguard: Run) -> None:
    other = sqlite3.connect(store, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another NetGuard in the middle of writing
        result = netguard(store.parent, "allow", "anna@example.org")
    finally:
        other.close()
    line = one_line(result, store, "another NetGuard")
    assert "try again" in line


@pytest.mark.parametrize("value", ["", "no_such_module.Keyring", "keyring.backends.NoSuch"])
def test_a_keyring_backend_that_cannot_be_loaded(profile: Path, value: str, netguard: Run) -> None:
    result = netguard(profile, "account", "set", "--host", "imap.example.org", "--user", "me",
                      "--password-stdin", stdin="secret\n", PYTHON_KEYRING_BACKEND=value)
    line = one_line(result, f"PYTHON_KEYRING_BACKEND={value!r}", "Unset it")
    assert "keyring --list-backends" in line


# -- item 9: settings, range-checked when read --------------------------------------------------

@pytest.mark.parametrize(("section", "key", "value", "allowed"), [
    ("account", "timeout_seconds", "-1", "1 to 600"),
    ("account", "timeout_seconds", "0", "1 to 600"),
    ("rules", "window_days", "-5", "1 to 60"),
    ("rules", "followup_limit", "0", "2 to 50"),
    ("account", "port", "70000", "1 to 65535"),
    ("sync", "interval_minutes", "-1", "0 to 1440"),
])
def test_a_setting_out_of_range_names_file_key_value_and_range(
        profile: Path, section: str, key: str, value: str, allowed: str, netguard: Run) -> None:
    profile.mkdir()
    settings = profile / "settings.toml"
    settings.write_text(f"[{section}]\n{key} = {value}\n")
    one_line(netguard(profile, "report"), settings, f"[{section}] {key} = {value}", allowed)


def test_a_setting_out_of_range_is_said_in_dutch_to_a_dutch_user(
        profile: Path, netguard: Run) -> None:
    profile.mkdir()
    (profile / "settings.toml").write_text("[rules]\nwindow_days = -5\n")
    line = one_line(netguard(profile, "report", lang="nl_NL.UTF-8"), "window_days = -5")
    assert "mag niet" in line and "1 tot 60" in line


def test_values_inside_their_range_are_accepted(profile: Path, netguard: Run) -> None:
    profile.mkdir()
    (profile / "settings.toml").write_text(
        "[account]\ntimeout_seconds = 1\n[rules]\nwindow_days = 60\nfollowup_limit = 2\n"
        "[sync]\ninterval_minutes = 0\n")
    assert netguard(profile, "report").returncode == 0


# -- item 14: account set without a terminal, account show without SMTP -------------------------

@pytest.mark.parametrize("closed", [True, False], ids=["stdin-closed", "stdin-empty"])
def test_pin_fingerprint_without_a_terminal_says_how_to_give_the_password(
        profile: Path, closed: bool, netguard: Run) -> None:
    result = netguard(profile, "account", "set", "--host", "imap.example.org", "--user", "me",
                      "--pin-fingerprint", FINGERPRINT, closed_stdin=closed)
    one_line(result, "--password-stdin", code=2)


def test_pin_fingerprint_without_a_terminal_keeps_a_stored_password(
        profile: Path, netguard: Run) -> None:
    (profile.parent / "keyring.json").write_text(json.dumps({"netguard/me": "secret"}))
    result = netguard(profile, "account", "set", "--host", "imap.example.org", "--user", "me",
                      "--pin-fingerprint", FINGERPRINT, closed_stdin=True)
    assert result.returncode == 0 and result.stderr == ""
    assert FINGERPRINT in (profile / "settings.toml").read_text()


def test_account_show_says_smtp_is_not_set(profile: Path, netguard: Run) -> None:
    result = netguard(profile, "account", "set", "--host", "imap.example.org", "--user", "me",
                      "--password-stdin")
    assert result.returncode == 2  # no password given: nothing stored, but nothing else either
    profile.mkdir(exist_ok=True)
    (profile / "settings.toml").write_text('[account]\nhost = "imap.example.org"\nuser = "me"\n')
    shown = netguard(profile, "account", "show")
    assert shown.returncode == 0, shown
    [smtp] = [line for line in shown.stdout.splitlines() if line.startswith("smtp ")]
    assert "not set" in smtp and "127.0.0.1" not in smtp and "465" not in smtp
