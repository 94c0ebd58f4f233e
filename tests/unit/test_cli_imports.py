"""Light commands start fast: each imports only what it needs (issue 18).

Each command runs in a fresh interpreter, which then lists the heavy packages it loaded (a
module that ``netguard.deferred`` stands in for is not loaded until it is used).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from netguard.cli.main import COMMANDS, build_parser

HEAVY = ("PySide6", "jinja2", "keyring", "imapclient", "aiosmtpd", "dns")
PROBE = (
    "import json, sys\n"
    "from netguard.cli.main import main\n"
    "try:\n"
    "    main(sys.argv[1:])\n"
    "except SystemExit:\n"
    "    pass\n"
    "real = [m for m, v in sys.modules.items() if type(v).__name__ != '_Deferred']\n"
    "heavy = sorted(({m.split('.')[0] for m in real} | set(real)) & set(HEAVY))\n"
    "print('HEAVY=' + json.dumps(heavy))\n"
)


def loaded_heavy(home: Path, *args: str, heavy: tuple[str, ...] = HEAVY,
                 env: dict[str, str] | None = None) -> list[str]:
    """The modules of ``heavy`` (packages, or modules with their dotted name) loaded."""
    probe = PROBE.replace("set(HEAVY)", repr(set(heavy)))
    result = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True,
                            env={"NETGUARD_HOME": str(home), "PATH": "/usr/bin:/bin",
                                 **_pythonpath(), **(env or {})},
                            input="Hoi Frank,\n", check=False, timeout=60)
    line = next(x for x in result.stdout.splitlines() if x.startswith("HEAVY="))
    return list(json.loads(line.removeprefix("HEAVY=")))


def _pythonpath() -> dict[str, str]:
    return {"PYTHONPATH": str(Path(__file__).resolve().parents[2])}


def _offscreen(probe: str, *args: str, timeout: int = 60) -> str:
    """What ``probe`` prints, run in a fresh interpreter with Qt offscreen."""
    return subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen",
                               **_pythonpath()}, check=True, timeout=timeout).stdout


@pytest.mark.parametrize("args", [
    ["--version"],
    ["guard", "--to", "frank@example.com"],
    ["report"],
    ["report", "--json"],
    ["lint", "-"],
])
def test_light_commands_load_no_heavy_package(home: Path, args: list[str]) -> None:
    assert loaded_heavy(home, *args) == []


def test_sync_loads_no_sign_in_smtp_or_gui_package(home: Path) -> None:
    # A sync needs keyring and imapclient; the browser sign-in (authlib, requests), SMTP and
    # the rest wait for the commands that use them.
    later = ("PySide6", "jinja2", "aiosmtpd", "dns", "authlib", "requests", "smtplib")
    assert loaded_heavy(home, "sync", heavy=later) == []


def _account_with_memory_keyring(home: Path) -> dict[str, str]:
    """An account in the settings; its (empty) keyring in memory: the sync stops at the
    password, after loading keyring."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "settings.toml").write_text('[account]\nhost = "127.0.0.1"\nuser = "sanne"\n')
    return {"PYTHON_KEYRING_BACKEND": "tests.keyrings.MemoryKeyring"}


def test_the_probe_does_see_a_heavy_package(home: Path) -> None:
    # The same probe on a sync that reads the keyring finds keyring: it can see.
    env = _account_with_memory_keyring(home)
    assert "keyring" in loaded_heavy(home, "sync", env=env)


def test_the_keyring_loads_without_what_it_imports_for_nothing(home: Path) -> None:
    # keyring's jaraco.context imports urllib.request (with http.client, ssl and email)
    # and its plugin lookup importlib_metadata: a password lookup uses neither (issue 18).
    env = _account_with_memory_keyring(home)
    unused = ("urllib.request", "http.client", "importlib_metadata", "more_itertools",
              "keyring")
    assert loaded_heavy(home, "sync", heavy=unused, env=env) == ["keyring"]


def test_a_command_without_a_password_loads_no_keyring(home: Path) -> None:
    # Without an account the sync stops before the password: keyring waits for its use.
    assert loaded_heavy(home, "sync", heavy=("keyring",)) == []


def test_every_registered_command_has_its_module() -> None:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert set(sub.choices) == set(COMMANDS)


def test_a_command_parses_with_only_its_own_module_registered() -> None:
    args = build_parser(["guard", "--to", "a@b.nl"]).parse_args(["guard", "--to", "a@b.nl"])
    assert args.to == ["a@b.nl"] and callable(args.run)


def test_the_app_starts_without_keyring_imap_templates_or_dns() -> None:
    # The window's module graph: keyring, imapclient and friends load when a sync or a
    # composer needs them, not before the dashboard is painted.
    probe = ("import sys, netguard.gui.app\n"
             f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r}))\n")
    assert _offscreen(probe).split() == ["['PySide6']"]


def test_the_dashboard_loads_no_mail_relay_calendar_or_tray_module() -> None:
    # What the first paint does not need loads when used: the composer's and the relay's mail
    # modules (with the stdlib's email), the calendar, the tray.
    later = ("email", "netguard.mail", "netguard.relay", "netguard.calendar", "netguard.gui.tray",
             "netguard.gui.composer", "ctypes")
    probe = ("import sys, netguard.gui.app\n"
             f"print(sorted(m for m in sys.modules if m.startswith({later!r})))\n")
    assert _offscreen(probe).split() == ["[]"]



def test_the_window_paints_before_its_hidden_pages_load(home: Path) -> None:
    # Until its first paint the window does without what it does not show: the contact pane
    # and "This week" (with their analysis modules), and multiprocessing where no report
    # process starts (a busy machine). Right after the paint the pages are made, and the
    # search's texts (so that the first keystroke does not wait for them).
    later = ("netguard.gui.contact_pane", "netguard.gui.this_week", "netguard.analysis.review",
             "multiprocessing")
    probe = ("import sys\n"
             "import netguard.cli.demo\n"
             "from netguard.workspace import Workspace\n"
             "from netguard.gui.app import Shell, start_session\n"
             f"later = {later!r}\n"
             "window = Shell(start_session(Workspace.open(sys.argv[1]))).open()\n"
             "print(sorted(m for m in sys.modules if m.startswith(later)))\n"
             "window.build_hidden()\n"
             "side = window.side\n"
             "print(side.indexOf(window.pane) > 0, side.indexOf(window.this_week) > 0,\n"
             "      side.currentWidget() is window.overview, window.model._haystacks == [])\n")
    assert _offscreen(probe, str(home)).splitlines()[-2:] == [
        "[]", "True True True True"]  # (no contacts)

def test_the_window_loads_no_lint_until_a_composer_asks(home: Path) -> None:
    # The lint's first load is left to the first composer's first check: in a thread at launch
    # it took Python's lock from the window's thread, and a contact's pane then took up to a
    # second to show.
    probe = ("import sys, threading, time\n"
             "from netguard.workspace import Workspace\n"
             "from netguard.gui.app import Shell, application, start_session\n"
             "from netguard.lint.lexicon import lexicon\n"
             "window = Shell(start_session(Workspace.open(sys.argv[1]))).open()\n"
             "window.show()\n"
             "deadline = time.monotonic() + 60\n"
             "while 'pane' not in vars(window) and time.monotonic() < deadline:\n"
             "    application().processEvents()  # the paint, then the work after it\n"
             "application().processEvents()\n"
             "print('pane' in vars(window), lexicon.cache_info().currsize,\n"
             "      [t.name for t in threading.enumerate() if t.name.startswith('lint')])\n")
    result = subprocess.run([sys.executable, "-c", probe, str(home)], capture_output=True,
                            text=True, env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen",
                                            **_pythonpath()}, check=True, timeout=90)
    assert result.stdout.splitlines()[-1] == "True 0 []"


@pytest.mark.skipif(sys.platform == "darwin", reason="the macOS backend is the one used there")
def test_a_backend_search_off_macos_skips_the_macos_framework_lookup(home: Path) -> None:
    # No backend chosen (and no D-Bus here: keyring finds none). keyring's macOS backend module
    # looks for the Security framework with ldconfig and gcc as it loads (~60 ms); off macOS
    # that backend refuses before it looks at what it found, so the lookup waits for a use.
    _account_with_memory_keyring(home)
    probe = ("import sys\n"
             "from netguard.cli.main import main\n"
             "print('exit', main(['sync']))\n"
             "print(type(sys.modules['keyring.backends.macOS.api']).__name__)\n"
             "import keyring.backends.macOS as mac\n"
             "try:\n"
             "    mac.Keyring.priority\n"
             "except RuntimeError as err:\n"
             "    print(err)\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            env={"NETGUARD_HOME": str(home), "PATH": "/usr/bin:/bin",
                                 **_pythonpath()}, check=True, timeout=60)
    assert result.stdout.split("\n")[:3] == ["exit 1", "_Deferred", "macOS required"]
    assert "No secure password store" in result.stderr
