"""`netguard calendar set` and `netguard review --publish` against a real Radicale started by
the suite, with a login: the event arrives, and a second publish updates the same event
instead of adding one (issue 19)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from netguard import secrets
from netguard.calendar.caldav import keyring_key
from netguard.cli.main import main
from netguard.demo_mailbox import DEMO_AT, load_demo
from netguard.paths import Profile
from netguard.store import open_store
from tests.servers.radicale import Radicale

pytest.importorskip("radicale")  # a test dependency (pyproject: test)

USER, PASSWORD = "sanne", "hour-secret"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Radicale]:
    root = tmp_path / "radicale"
    root.mkdir()
    running = Radicale(root, USER, PASSWORD)
    yield running
    running.stop()


@pytest.fixture
def demo_home(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    monkeypatch.setenv("TZ", "Europe/Amsterdam")
    conn = open_store(Profile.locate(str(home)).ensure().database)
    load_demo(conn)
    conn.close()
    return home


def set_calendar(url: str, password: str, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main(["calendar", "set", "--url", url, "--user", USER, "--password-stdin"])


def test_publish_creates_then_updates_one_event(server: Radicale, demo_home: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    url = server.calendar("networking")
    assert set_calendar(url, PASSWORD, monkeypatch) == 0
    assert secrets.get_password(keyring_key(url, USER)) == PASSWORD  # in the keyring ...
    settings = (demo_home / "settings.toml").read_text(encoding="utf-8")
    assert PASSWORD not in settings and url in settings  # ... never in the settings
    capsys.readouterr()
    at = DEMO_AT.isoformat()
    assert main(["review", "--at", at, "--publish", "--day", "tue", "--time", "08:30"]) == 0
    assert "Published your networking hour" in capsys.readouterr().out
    (event,) = server.events("networking")
    first = event.read_text(encoding="utf-8")
    assert "RRULE:FREQ=WEEKLY;BYDAY=TU" in first and "Eva Smit" in first
    later = (DEMO_AT.replace(day=27)).isoformat()
    assert main(["review", "--at", later, "--publish", "--day", "wed"]) == 0
    assert "Updated your networking hour" in capsys.readouterr().out
    (again,) = server.events("networking")  # the same event, replaced in place
    assert again.name == event.name
    assert "BYDAY=WE" in again.read_text(encoding="utf-8")


def test_a_wrong_password_is_one_calm_line(server: Radicale, demo_home: Path,
                                           capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    url = server.calendar("networking")
    assert set_calendar(url, "wrong", monkeypatch) == 0
    capsys.readouterr()
    assert main(["review", "--publish"]) != 0
    err = capsys.readouterr().err.strip()
    assert err.startswith("netguard: The calendar at") and "refused the login" in err
    assert server.events("networking") == []


def test_publish_without_a_calendar_says_how(demo_home: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "--publish"]) != 0
    assert "netguard calendar set" in capsys.readouterr().err
