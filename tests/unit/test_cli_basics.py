"""The command line's contract: --version, exit codes, one calm line, no traceback."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from netguard import __version__
from netguard.cli import importer as import_cli
from netguard.cli.main import build_parser, main
from netguard.cli.pending import not_yet
from netguard.errors import AuthError
from netguard.workspace import Workspace

SPEC_COMMANDS = {"demo", "account", "sync", "import", "report", "guard", "lint", "templates",
                 "draft", "send", "save-draft", "relay", "allow", "watch"}


def run(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "netguard", *args], capture_output=True,
                          text=True, env={"NETGUARD_HOME": str(home), "PATH": "/usr/bin:/bin"},
                          check=False, timeout=60)


def test_version(home: Path) -> None:
    result = run(home, "--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"netguard {__version__}")


def test_every_spec_command_is_there() -> None:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert set(sub.choices) >= SPEC_COMMANDS


@pytest.mark.parametrize("args", [["frobnicate"], ["import"], ["guard", "--at", "x", "--nope"],
                                  ["--home"]])
def test_usage_errors_exit_2_with_one_line(home: Path, args: list[str]) -> None:
    result = run(home, *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("netguard: ")
    assert "Traceback" not in result.stderr


def test_a_known_error_from_a_real_run_is_one_line(home: Path) -> None:
    result = run(home, "import", str(home / "missing.mbox"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"netguard: Nothing to import at {home / 'missing.mbox'}: no such file or folder."]


def test_a_command_not_available_yet_exits_1_with_one_line(
    home: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setattr(import_cli, "run_import", not_yet)
    assert main(["import", "x.mbox"]) == 1
    captured = capsys.readouterr()
    assert captured.err == "netguard: `netguard import` is not available yet in this version.\n"
    assert captured.out == ""


def test_known_errors_exit_1_without_traceback(home: Path, monkeypatch, capsys) -> None:
    def refuse(args: argparse.Namespace, workspace: Workspace) -> int:
        raise AuthError("The server refused the login for sanne@example.nl.")

    monkeypatch.setattr(import_cli, "run_import", refuse)
    assert main(["import", "x.mbox"]) == 1
    err = capsys.readouterr().err
    assert err == "netguard: The server refused the login for sanne@example.nl.\n"


def test_a_bug_is_one_line_and_a_traceback_only_with_debug(home: Path, monkeypatch, capsys) -> None:
    def crash(args: argparse.Namespace, workspace: Workspace) -> int:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(import_cli, "run_import", crash)
    assert main(["import", "x.mbox"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unexpected error" in err and "--debug" in err
    with pytest.raises(ZeroDivisionError):
        main(["--debug", "import", "x.mbox"])


def test_ctrl_c_exits_130_with_one_line(home: Path, monkeypatch, capsys) -> None:
    def interrupted(args: argparse.Namespace, workspace: Workspace) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(import_cli, "run_import", interrupted)
    assert main(["import", "x.mbox"]) == 130
    assert capsys.readouterr().err.count("\n") == 1


def test_home_option_beats_the_environment(home: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    mbox = tmp_path / "m.mbox"
    mbox.write_bytes(b"From a@b Mon Mar  4 09:00:00 2024\nFrom: a@b.nl\nTo: c@d.nl\n\nhi\n")
    result = run(home, "--home", str(other), "import", str(mbox))
    assert result.returncode == 0, result.stderr
    assert (other / "netguard.sqlite3").exists()
    assert not (home / "netguard.sqlite3").exists()


def test_a_closed_pipe_ends_quietly(tmp_path) -> None:
    import subprocess
    import sys

    env = {**__import__("os").environ, "NETGUARD_HOME": str(tmp_path)}
    reader = subprocess.Popen(
        # `true` has exited long before Python is up, so the first write meets a closed pipe.
        f"{sys.executable} -m netguard templates | true",
        shell=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )
    _, err = reader.communicate(timeout=60)
    assert b"unexpected error" not in err and b"Traceback" not in err
