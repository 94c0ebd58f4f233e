"""*Start NetGuard when I log in* (issue 19): the XDG autostart entry, validated."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from netguard import autostart


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    return tmp_path


def test_the_entry_is_written_and_removed(config: Path) -> None:
    assert not autostart.enabled()
    path = autostart.set_enabled(True, ["/opt/net guard/bin/netguard", "--background"])
    assert path == config / "autostart" / "netguard.desktop"
    assert autostart.enabled() is autostart.supported()
    text = path.read_text(encoding="utf-8")
    assert 'Exec="/opt/net guard/bin/netguard" --background\n' in text  # quoted: one argument
    autostart.set_enabled(False)
    assert not path.exists() and not autostart.enabled()
    autostart.set_enabled(False)  # already off: nothing to do


@pytest.mark.parametrize(("argument", "written"), [
    ("/usr/bin/python3", "/usr/bin/python3"),
    ("/opt/net guard/x", '"/opt/net guard/x"'),
    ('say "hi" $HOME', '"say \\\\"hi\\\\" \\\\$HOME"'),
])
def test_exec_arguments_are_quoted_as_the_spec_says(argument: str, written: str) -> None:
    assert autostart.exec_argument(argument) == written


def test_the_default_command_starts_in_the_background() -> None:
    assert autostart.background_command()[-1] == "--background"


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate (desktop-file-utils) is not installed")
def test_the_entry_validates(config: Path) -> None:
    path = autostart.set_enabled(True, [*autostart.background_command(), "/a b/$c"])
    result = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True,
                            check=False, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""  # not even a hint
