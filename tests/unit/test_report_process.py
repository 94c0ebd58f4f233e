"""The first report built in a forked process while the app starts (issue 18): the same report
the window would build; None, never a hang or an error, when it cannot be used."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest
from analysis_mailbox import T0, Mailbox, days

from netguard.analysis import report_process
from netguard.analysis.report import build_report
from netguard.analysis.report_process import ReportProcess
from netguard.settings import Rules
from netguard.store import open_store

RULES = Rules()
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="fork is used on Linux only")


def store(path: Path) -> Path:
    box = Mailbox(open_store(path))
    for n in range(6):
        box.sent(f"Frank Jansen <frank{n % 3}@example.com>", T0 - days(40 - n))
    box.received("frank0@example.com", T0 - days(20))
    box.received("Anna <anna@example.com>", T0 - days(2))
    box.conn.commit()
    box.conn.close()
    return path


def test_the_child_builds_the_report_the_window_would(tmp_path: Path) -> None:
    database = store(tmp_path / "netguard.sqlite3")
    early = ReportProcess.start(database, RULES, T0, "nl")
    assert early is not None
    found = early.take(RULES, "nl")
    conn = open_store(database)
    try:
        assert found == build_report(conn, RULES, at=T0, lang="nl")
    finally:
        conn.close()
    assert found is not None and found.contacts


def test_a_report_for_another_language_or_rules_is_not_used(tmp_path: Path) -> None:
    database = store(tmp_path / "netguard.sqlite3")
    for lang, rules in (("en", RULES), ("nl", replace(RULES, window_days=14))):
        early = ReportProcess.start(database, RULES, T0, "nl")
        assert early is not None
        assert early.take(rules, lang) is None


def test_a_child_that_fails_gives_none(tmp_path: Path) -> None:
    broken = tmp_path / "netguard.sqlite3"
    broken.write_text("not a database")
    early = ReportProcess.start(broken, RULES, T0, "en")
    assert early is not None
    assert early.take(RULES, "en") is None


def test_a_child_that_dies_gives_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_process, "_build", _die)
    early = ReportProcess.start(store(tmp_path / "netguard.sqlite3"), RULES, T0, "en")
    assert early is not None
    assert early.take(RULES, "en") is None


def _die(*_args: object) -> None:
    import os

    os._exit(3)  # no answer, the pipe closes


def test_a_busy_machine_has_no_idle_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_process.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(report_process.os, "getloadavg", lambda: (3.5, 3.0, 2.0))
    assert not report_process.idle_core()
    monkeypatch.setattr(report_process.os, "getloadavg", lambda: (0.4, 1.0, 2.0))
    assert report_process.idle_core()
