"""The fault suite against a scripted hostile IMAP server (issue 16, items 2, 5, 8 and 10).

Every case ends in a clear known error or a correct partial result: never a hang (each sync
runs in a thread joined with a deadline), a traceback, or memory read without a cap.
"""

from __future__ import annotations

import io
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from netguard.cli.main import main
from netguard.errors import KnownError, NetworkError, ServerError
from netguard.mail.connection import MAX_LITERAL
from netguard.mail.sync import SyncResult, sync
from netguard.store import missing, open_store
from tests.servers.hostile_imap import HUGE, STREAM_CAP, HostileImap, Script

T = TypeVar("T")
DEADLINE = 30.0  # seconds a case may take at most: far over any timeout in it


def bounded(work: Callable[[], T]) -> T:
    """``work()`` in a thread that must end within ``DEADLINE``: a hang fails the test."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(DEADLINE)
    assert outcome, f"no answer within {DEADLINE} s: the client hangs"
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]  # type: ignore[return-value]


@pytest.fixture
def store() -> sqlite3.Connection:
    return open_store(":memory:")


def run_sync(server: HostileImap, store: sqlite3.Connection, **account: object) -> SyncResult:
    return bounded(lambda: sync(server.account(**account), "pw", store))


def errors(result: SyncResult) -> dict[str, str]:
    return {f.name: f.error for f in result.folders}


# huge literals: refused at once, in every response type ------------------------------------

@pytest.mark.parametrize("command", ["LIST", "GREETING"])
def test_a_huge_literal_in_the_list_answer_or_the_greeting_is_refused_at_once(
        command: str, store: sqlite3.Connection) -> None:
    with HostileImap(Script(huge={command})) as server:
        started = time.monotonic()
        with pytest.raises(NetworkError, match=f"a {HUGE}-byte literal announced"):
            run_sync(server, store)
        assert time.monotonic() - started < 10
        assert server.streamed < STREAM_CAP  # the client hung up; it did not read it all


@pytest.mark.parametrize("command", ["STATUS", "EXAMINE", "SEARCH", "FETCH"])
def test_a_huge_literal_in_a_folders_answer_fails_that_folder_clearly(
        command: str, store: sqlite3.Connection) -> None:
    with HostileImap(Script(huge={command})) as server:
        result = run_sync(server, store)
        assert server.streamed < STREAM_CAP
    assert set(errors(result)) == {"Sent", "INBOX"}
    for error in errors(result).values():
        assert "larger than NetGuard accepts" in error and f"a {HUGE}-byte" in error


def test_the_literal_cap_is_far_below_what_was_announced() -> None:
    assert MAX_LITERAL < HUGE // 100


# garbage, a cut and a stall -------------------------------------------------------------

@pytest.mark.parametrize("command", ["SEARCH", "STATUS"])
def test_garbage_in_search_or_status_is_an_unreadable_answer(
        command: str, store: sqlite3.Connection) -> None:
    with HostileImap(Script(garbage={command})) as server:
        result = run_sync(server, store)
    for error in errors(result).values():
        assert "could not be read" in error and command in error


def test_garbage_in_the_list_answer_is_a_known_error(store: sqlite3.Connection) -> None:
    with HostileImap(Script(garbage={"LIST"})) as server, pytest.raises(KnownError) as caught:
        run_sync(server, store)
    assert isinstance(caught.value, ServerError | NetworkError)


def test_garbage_in_the_search_that_ranks_sent_candidates_is_a_known_error(
        store: sqlite3.Connection) -> None:
    script = Script(garbage={"SEARCH"}, sent_flags=b"", extra=[(b"Sent Items", b"")])
    with HostileImap(script) as server, pytest.raises(ServerError, match="could not be read"):
        run_sync(server, store)


def test_a_server_that_stops_mid_literal_fails_the_folder_and_keeps_the_rest(
        store: sqlite3.Connection) -> None:
    with HostileImap(Script(cut={"FETCH"})) as server:
        result = run_sync(server, store)
    assert all("dropped" in error for error in errors(result).values())
    assert sum(f.new for f in result.folders) == 0


def test_a_dropped_connection_and_no_new_login_fails_the_whole_sync(
        store: sqlite3.Connection) -> None:
    with HostileImap(Script(cut={"FETCH"}, logins=1)) as server:
        with pytest.raises(NetworkError, match="Cannot reach"):
            run_sync(server, store)
        assert server.connections == 2  # one new login tried, not one per folder


def test_a_stalled_server_trips_the_read_timeout(store: sqlite3.Connection) -> None:
    with HostileImap(Script(stall={"FETCH"})) as server:
        started = time.monotonic()
        result = run_sync(server, store, timeout_seconds=1.0)
        elapsed = time.monotonic() - started
    assert set(errors(result)) == {"Sent", "INBOX"}
    assert all("timed out" in error for error in errors(result).values())
    assert elapsed < 10  # two folders, one timeout each


# UIDs left out of the FETCH answer (item 2) ------------------------------------------------

def stored_uids(conn: sqlite3.Connection, folder: str) -> list[int]:
    rows = conn.execute("SELECT uid FROM messages JOIN folders ON folders.id = folder_id "
                        "WHERE folders.name = ? ORDER BY uid", (folder,))
    return [uid for (uid,) in rows]


def fetches_of(server: HostileImap) -> list[bytes]:
    return [line for line in server.commands if b" UID FETCH " in line]


def test_a_uid_left_out_is_counted_kept_and_asked_again(store: sqlite3.Connection) -> None:
    script = Script(left_out={"INBOX": {2}})
    with HostileImap(script) as server:
        first = run_sync(server, store)
        inbox = next(f for f in first.folders if f.name == "INBOX")
        assert (inbox.new, inbox.missing, inbox.skipped) == (2, 1, 0)
        assert stored_uids(store, "INBOX") == [1, 3]
        server.commands.clear()
        script.left_out = {}  # the server answers for it now
        second = run_sync(server, store)
        assert any(b"UID FETCH 2 " in line for line in fetches_of(server))
    inbox = next(f for f in second.folders if f.name == "INBOX")
    assert (inbox.new, inbox.missing, inbox.skipped) == (1, 0, 0)
    assert stored_uids(store, "INBOX") == [1, 2, 3]
    assert missing.to_ask(store, 1) == missing.to_ask(store, 2) == []


def test_a_uid_never_answered_is_given_up_after_three_syncs(
        store: sqlite3.Connection, caplog: pytest.LogCaptureFixture) -> None:
    with HostileImap(Script(left_out={"Sent": {3}})) as server:
        results = [run_sync(server, store) for _ in range(missing.MAX_TRIES + 1)]
    sent = [next(f for f in r.folders if f.name == "Sent") for r in results]
    assert [(f.missing, f.skipped) for f in sent] == [(1, 0), (1, 0), (0, 1), (0, 0)]
    assert stored_uids(store, "Sent") == [1, 2]
    assert "Gave up on 1 UID(s) of Sent (3)" in caplog.text
    assert "left 1 UID(s) of Sent out of its FETCH answers" in caplog.text


# answers that come before their batch's turn, then a cut ------------------------------------

def highest_uids(conn: sqlite3.Connection) -> dict[str, int]:
    return dict(conn.execute("SELECT name, highest_uid FROM folders"))


@pytest.mark.parametrize("process_min", [10_000, 1], ids=["inline", "parser-process"])
@pytest.mark.parametrize("cut_fetch", [2, 3, 4, 5, 6, 8, 12])
def test_a_cut_after_answers_that_came_early_stores_no_row_above_the_highest_uid(
        store: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch, cut_fetch: int,
        process_min: int) -> None:
    """Each FETCH answer brings the next batch's answers too (as Dovecot's may); the cut comes
    while a later batch is read, at every batch of the first folder in turn (its FETCHes are
    1-6) and in the second (7-12). Whatever is stored is a run of UIDs 1..highest, and the next sync
    fetches and counts exactly the others."""
    monkeypatch.setattr("netguard.mail.sync.BATCH", 2)
    monkeypatch.setattr("netguard.mail.sync.PROCESS_MIN", process_min)
    monkeypatch.setattr("netguard.mail.sync.PARSER_PROCESS", True)
    with HostileImap(Script(messages=12, ahead=2, cut_fetch=cut_fetch)) as server:
        cut = run_sync(server, store)
        assert len(cut.failed) == 1 and "dropped" in cut.failed[0].error
        stored = {name: stored_uids(store, name) for name in ("Sent", "INBOX")}
        highest = highest_uids(store)
        for name, uids in stored.items():
            assert uids == list(range(1, highest[name] + 1)), name
        again = run_sync(server, store)
    assert {f.name: (f.new, f.total) for f in again.folders} == {
        name: (12 - len(uids), 12) for name, uids in stored.items()}
    assert {name: stored_uids(store, name) for name in stored} == {
        name: list(range(1, 13)) for name in stored}


# one folder's failure (item 10) ------------------------------------------------------------

RAW_8BIT = b"Archief \xe9t\xe9"


def test_a_folder_the_server_refuses_is_reported_and_the_others_sync(
        store: sqlite3.Connection) -> None:
    script = Script(refuse={RAW_8BIT}, extra=[(RAW_8BIT, b"\\Archive")])
    with HostileImap(script) as server:
        result = run_sync(server, store)
    failed = result.failed
    assert len(failed) == 1 and "does not exist" in failed[0].error
    done = {f.name: f.new for f in result.folders if not f.error}
    assert done == {"Sent": 3, "INBOX": 3}


def test_the_cli_exits_1_naming_the_folder_that_failed(
        home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    script = Script(refuse={RAW_8BIT}, extra=[(RAW_8BIT, b"\\Archive")])
    with HostileImap(script) as server:
        monkeypatch.setattr("sys.stdin", io.StringIO("pw\n"))
        assert main(["--home", str(home), "account", "set", "--password-stdin", "--host",
                     "127.0.0.1", "--port", str(server.port), "--user", "me",
                     "--security", "plain"]) == 0
        capsys.readouterr()
        code = bounded(lambda: main(["--home", str(home), "sync", "--json"]))
    out, err = capsys.readouterr()
    assert code == 1
    assert out.count('"error": null') == 2 and "does not exist" in out
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("netguard: Could not sync the folder Archief")
