"""The time of the last complete sync lives in the store and outlives the session."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from netguard.cli.main import main
from netguard.settings import Account
from netguard.store import open_store
from netguard.store.sync_log import last_sync, record_sync
from netguard.workspace import Workspace


def test_no_sync_yet_is_none() -> None:
    assert last_sync(open_store(":memory:")) is None


def test_the_last_record_wins_and_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "netguard.sqlite3"
    conn = open_store(path)
    first = datetime(2026, 11, 27, 9, 30, 15, 123456, tzinfo=UTC)
    record_sync(conn, first)
    later = datetime(2026, 11, 28, 4, 5, tzinfo=timezone(timedelta(hours=1)))
    assert record_sync(conn, later) == later.replace(microsecond=0)
    conn.close()
    reopened = open_store(path)
    assert last_sync(reopened) == later
    assert last_sync(reopened).tzinfo == UTC  # type: ignore[union-attr]
    assert reopened.execute("SELECT count(*) FROM last_sync").fetchone()[0] == 1


def test_record_defaults_to_now() -> None:
    conn = open_store(":memory:")
    before = datetime.now(UTC).replace(microsecond=0)
    recorded = record_sync(conn)
    assert before <= recorded <= datetime.now(UTC)
    assert last_sync(conn) == recorded


def test_account_show_prints_the_last_sync(home: Path, capsys: pytest.CaptureFixture[str]
                                           ) -> None:
    workspace = Workspace.open()
    workspace.save_settings(replace(workspace.settings, account=Account(
        host="mail.example.nl", user="me@example.nl")))
    workspace.close()
    assert main(["account", "show"]) == 0
    assert "never" in capsys.readouterr().out
    workspace = Workspace.open()
    when = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    record_sync(workspace.store, when)
    workspace.close()
    assert main(["account", "show"]) == 0
    line = next(row for row in capsys.readouterr().out.splitlines()
                if row.startswith("last sync"))
    assert line.split(None, 2)[2] == when.astimezone().strftime("%Y-%m-%d %H:%M")
