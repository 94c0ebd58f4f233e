"""The SQLite store: migrations after a backup, WAL, a private file, atomic batches, indexes."""

from __future__ import annotations

import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netguard.analysis.history import contact_events
from netguard.analysis.summary import keep_up
from netguard.errors import StoreError
from netguard.model import Address, MailHeaders, Role, TimeSource
from netguard.store import db, messages, open_store, summary
from netguard.store.migrations import INDEXES, MIGRATIONS
from netguard.store.people import add_me, my_addresses


def headers(n: int, to: str = "frank@example.nl", sender: str = "me@example.nl") -> MailHeaders:
    return MailHeaders(
        message_id=f"<m{n}@example.nl>", in_reply_to="", references=(),
        time=datetime(2026, 1, 1, tzinfo=UTC).replace(day=1 + n % 28),
        time_source=TimeSource.DATE, sender=Address(sender, "Me"),
        to=(Address(to, "Frank"),), cc=(Address("cc@example.nl"),), subject=f"s{n}",
        automatic=False, is_list=False,
    )


def count(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def test_a_new_store_is_migrated_private_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "data" / "netguard.sqlite3"
    conn = open_store(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    messages.add_batch(conn, messages.ensure_folder(conn, "Sent", Role.SENT), [(1, headers(1))], 1)
    for file in tmp_path.glob("data/netguard.sqlite3*"):
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    conn.close()
    assert not list(tmp_path.glob("data/*.bak-*"))  # nothing to back up on a fresh store


def test_an_older_store_is_backed_up_then_migrated(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "netguard.sqlite3"
    monkeypatch.setattr(db, "MIGRATIONS", MIGRATIONS[:1])
    old = open_store(path)
    add_me(old, "me@example.nl")
    old.close()
    assert user_version(path) == 1

    def v_extra(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE contacts ADD COLUMN note TEXT NOT NULL DEFAULT ''")

    monkeypatch.setattr(db, "MIGRATIONS", (*MIGRATIONS, v_extra))
    conn = open_store(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 1
    assert conn.execute("SELECT note FROM contacts").fetchall() == []
    assert my_addresses(conn) == {"me@example.nl"}
    conn.close()
    backup = tmp_path / "netguard.sqlite3.bak-v1"
    assert user_version(backup) == 1
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    copy = sqlite3.connect(backup)
    assert copy.execute("SELECT address FROM me").fetchall() == [("me@example.nl",)]
    copy.close()


def test_a_failing_migration_leaves_the_store_as_it_was(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "netguard.sqlite3"
    open_store(path).close()

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half (x)")
        conn.execute("THIS IS NOT SQL")

    monkeypatch.setattr(db, "MIGRATIONS", (*MIGRATIONS, broken))
    with pytest.raises(StoreError, match=r"The NetGuard database .* failed"):
        open_store(path)
    assert user_version(path) == len(MIGRATIONS)
    check = sqlite3.connect(path)
    assert check.execute("SELECT name FROM sqlite_master WHERE name = 'half'").fetchall() == []
    check.close()
    assert (tmp_path / f"netguard.sqlite3.bak-v{len(MIGRATIONS)}").exists()


def test_a_store_from_a_newer_netguard_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "netguard.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    conn.close()
    with pytest.raises(StoreError, match="newer NetGuard"):
        open_store(path)


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    path = tmp_path / "netguard.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match=str(path)):
        open_store(path)


def test_add_batch_is_idempotent_on_repeated_uids() -> None:
    conn = open_store(":memory:")
    folder = messages.ensure_folder(conn, "Sent", Role.SENT)
    batch = [(uid, headers(uid)) for uid in (1, 2, 3)]
    messages.add_batch(conn, folder, batch, 3)
    messages.add_batch(conn, folder, batch, 3)
    messages.add_batch(conn, folder, batch[1:], 3)
    assert (count(conn, "messages"), count(conn, "recipients")) == (3, 6)
    assert messages.folder_state(conn, "Sent").highest_uid == 3  # type: ignore[union-attr]


class Interrupting:
    """The store's connection, interrupted as the recipient rows go in (messages are in)."""

    def __init__(self, conn: sqlite3.Connection, interruption: type) -> None:
        self.conn, self.interruption = conn, interruption

    def __getattr__(self, name: str) -> object:
        return getattr(self.conn, name)

    def executemany(self, sql: str, rows: object) -> sqlite3.Cursor:
        if sql.startswith("INSERT INTO recipients"):
            assert count(self.conn, "messages") > 1  # the batch's messages are written by now
            raise self.interruption
        return self.conn.executemany(sql, rows)  # type: ignore[arg-type]


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, RuntimeError])
def test_an_interrupted_batch_writes_nothing(interruption: type) -> None:
    conn = open_store(":memory:")
    folder = messages.ensure_folder(conn, "Sent", Role.SENT)
    messages.add_batch(conn, folder, [(1, headers(1))], 1)
    batch = [(uid, headers(uid)) for uid in range(1, 7)]  # UID 1 again: deleted, then restored
    with pytest.raises(interruption):
        messages.add_batch(Interrupting(conn, interruption), folder, batch, 6)  # type: ignore[arg-type]
    assert (count(conn, "messages"), count(conn, "recipients")) == (1, 2)
    assert messages.folder_state(conn, "Sent").highest_uid == 1  # type: ignore[union-attr]
    assert not conn.in_transaction


def test_reset_folder_forgets_its_messages_only() -> None:
    conn = open_store(":memory:")
    sent = messages.ensure_folder(conn, "Sent", Role.SENT)
    older = messages.ensure_folder(conn, "Verzonden items", Role.SENT)
    messages.add_batch(conn, sent, [(1, headers(1))], 1)
    messages.add_batch(conn, older, [(1, headers(2))], 1)
    messages.reset_folder(conn, sent, uidvalidity=77)
    assert messages.count_messages(conn, "Sent") == 0
    assert messages.count_messages(conn, "Verzonden items") == 1
    assert count(conn, "recipients") == 2  # the cascade removed the Sent message's rows
    state = messages.folder_state(conn, "Sent")
    assert state is not None and (state.uidvalidity, state.highest_uid) == (77, 0)



def counts(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """Per folder: the count the store keeps, and its rows counted."""
    return {name: (messages.count_messages(conn, name), int(n)) for name, n in conn.execute(
        "SELECT name, (SELECT count(*) FROM messages WHERE folder_id = folders.id)"
        " FROM folders")}


def test_each_folders_count_is_kept_as_its_rows_are_written() -> None:
    # The sync's totals read the count kept (issue 18); every write keeps it equal to a count.
    conn = open_store(":memory:")
    sent = messages.ensure_folder(conn, "Sent", Role.SENT)
    inbox = messages.ensure_folder(conn, "INBOX", Role.RECEIVED)
    messages.add_batch(conn, sent, [(uid, headers(uid)) for uid in (1, 2, 3)], 3)
    messages.add_batch(conn, sent, [(uid, headers(uid)) for uid in (2, 3, 4)], 4)  # 2, 3 again
    messages.add_batch(conn, inbox, [(uid, headers(uid)) for uid in (5, 6)], 6)
    messages.add_batch(conn, inbox, [], 9)
    assert counts(conn) == {"Sent": (4, 4), "INBOX": (2, 2)}
    messages.keep_only(conn, sent, {1, 4, 99})
    assert counts(conn)["Sent"] == (2, 2)
    messages.reset_folder(conn, inbox, uidvalidity=5)
    messages.ensure_folder(conn, "Sent", Role.RECEIVED)
    messages.ensure_folder(conn, "Sent", Role.SENT)  # received -> sent: starts over
    assert counts(conn) == {"Sent": (0, 0), "INBOX": (0, 0)}
    assert messages.count_messages(conn, "Archive") == 0  # a folder never seen
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    messages.count_messages(conn, "Sent")
    assert statements and not any("messages" in sql for sql in statements)  # no row counted


def test_the_whole_stores_count_sums_the_folders_counts() -> None:
    # A first load asks it at the end of every sync (issue 18): no count(*) of 200k rows.
    conn = open_store(":memory:")
    sent = messages.ensure_folder(conn, "Sent", Role.SENT)
    inbox = messages.ensure_folder(conn, "INBOX", Role.RECEIVED)
    assert messages.count_all(conn) == 0
    messages.add_batch(conn, sent, [(uid, headers(uid)) for uid in (1, 2, 3)], 3)
    messages.add_batch(conn, sent, [(uid, headers(uid)) for uid in (2, 3, 4)], 4)  # 2, 3 again
    messages.add_batch(conn, inbox, [(uid, headers(uid)) for uid in (5, 6)], 6)
    assert messages.count_all(conn) == 6
    messages.keep_only(conn, sent, {1, 4})
    assert messages.count_all(conn) == 4
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    messages.count_all(conn)
    assert statements and not any("messages" in sql for sql in statements)  # no row counted


def test_the_migration_counts_each_folders_messages(tmp_path: Path) -> None:
    path = tmp_path / "netguard.sqlite3"
    conn = open_store(path)
    sent = messages.ensure_folder(conn, "Sent", Role.SENT)
    messages.add_batch(conn, sent, [(uid, headers(uid)) for uid in (1, 2, 3)], 3)
    messages.ensure_folder(conn, "INBOX", Role.RECEIVED)
    conn.execute("ALTER TABLE folders DROP COLUMN stored")  # as schema 10 had it
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1}")
    conn.close()
    assert counts(open_store(path)) == {"Sent": (3, 3), "INBOX": (0, 0)}

def test_received_mail_keeps_how_many_it_went_to_not_whom() -> None:
    conn = open_store(":memory:")
    inbox = messages.ensure_folder(conn, "INBOX", Role.RECEIVED)
    messages.add_batch(conn, inbox, [(1, headers(1, sender="frank@example.nl"))], 1)
    assert count(conn, "recipients") == 0
    assert conn.execute("SELECT n_recipients FROM messages").fetchone() == (2,)


def test_a_folder_that_becomes_sent_starts_over_for_its_recipients() -> None:
    conn = open_store(":memory:")
    folder = messages.ensure_folder(conn, "Archief", Role.RECEIVED)
    messages.set_uidvalidity(conn, folder, 9)
    messages.add_batch(conn, folder, [(1, headers(1))], 1)
    assert messages.ensure_folder(conn, "Archief", Role.RECEIVED) == folder  # same role: kept
    assert messages.count_messages(conn, "Archief") == 1
    assert messages.ensure_folder(conn, "Archief", Role.SENT) == folder
    state = messages.folder_state(conn, "Archief")
    assert state is not None and (state.role, state.uidvalidity, state.highest_uid) == (
        Role.SENT, 9, 0)
    assert messages.count_messages(conn, "Archief") == 0  # the next sync fetches it again
    messages.add_batch(conn, folder, [(1, headers(1))], 1)
    messages.ensure_folder(conn, "Archief", Role.RECEIVED)  # sent -> received: nothing lost
    assert (messages.count_messages(conn, "Archief"), count(conn, "recipients")) == (1, 2)


def plan(conn: sqlite3.Connection, sql: str, *args: object) -> str:
    return "\n".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, args))


def test_messages_with_a_contact_newest_first_use_the_indexes(
        conn: sqlite3.Connection | None = None) -> None:
    conn = conn or open_store(":memory:")
    sent_to = plan(conn, "SELECT m.id, m.time, m.subject FROM recipients r"
                         " JOIN messages m ON m.id = r.message"
                         " WHERE r.address = ? ORDER BY m.time DESC", "frank@example.nl")
    assert "USING COVERING INDEX recipients_address" in sent_to
    assert "USING INTEGER PRIMARY KEY" in sent_to
    assert "SCAN" not in sent_to.replace("SCAN CONSTANT", "")
    received_from = plan(conn, "SELECT id, time, subject FROM messages WHERE from_addr = ?"
                               " ORDER BY time DESC", "frank@example.nl")
    assert "USING INDEX messages_from_time" in received_from
    assert "TEMP B-TREE" not in received_from and "SCAN" not in received_from
    by_id = plan(conn, "SELECT id FROM messages WHERE message_id = ?", "<x@y>")
    assert "USING COVERING INDEX messages_message_id" in by_id


def index_names(conn: sqlite3.Connection) -> set[str]:
    return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}


@pytest.mark.parametrize("interruption", [None, KeyboardInterrupt])
def test_a_bulk_load_sets_the_indexes_aside_for_after_it(interruption: type | None) -> None:
    conn = open_store(":memory:")
    folder = messages.ensure_folder(conn, "Sent", Role.SENT)
    every = index_names(conn)
    assert set(INDEXES) <= every
    with pytest.raises(interruption or ValueError), messages.bulk_load(conn):
        assert every - index_names(conn) == set(INDEXES)
        messages.add_batch(conn, folder, [(uid, headers(uid)) for uid in (1, 2)], 2)
        raise (interruption or ValueError)()
    assert every - index_names(conn) == set(INDEXES)  # left for after the sync
    assert count(conn, "messages") == 2
    db.restore_indexes(conn)
    assert index_names(conn) == every
    test_messages_with_a_contact_newest_first_use_the_indexes(conn)


def test_a_query_after_a_bulk_load_reads_without_the_indexes_and_builds_none() -> None:
    """Only the sync's caller (``keep_up``) and ``open_store`` build them: a query in the
    window never waits for the sync's writer to build them itself."""
    conn = open_store(":memory:")
    sent = messages.ensure_folder(conn, "Sent", Role.SENT)
    with messages.bulk_load(conn):
        messages.add_batch(conn, sent, [(uid, headers(uid, to="frank@example.nl"))
                                        for uid in (1, 2)], 2)
    found = contact_events(conn, "frank@example.nl", bulk_recipients=20, until=2**40)
    assert len(found.sent) == 2
    assert set(INDEXES).isdisjoint(index_names(conn))


def test_keeping_the_summary_up_after_a_bulk_load_builds_the_indexes() -> None:
    conn = open_store(":memory:")
    sent = messages.ensure_folder(conn, "Sent", Role.SENT)
    with messages.bulk_load(conn):
        messages.add_batch(conn, sent, [(1, headers(1, to="frank@example.nl"))], 1)
    assert set(INDEXES).isdisjoint(index_names(conn))
    keep_up(conn, bulk_recipients=20)
    assert set(INDEXES) <= index_names(conn)
    assert [address for address, *_ in summary.rows(conn)] == ["cc@example.nl", "frank@example.nl"]


def foreign_keys(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA foreign_keys").fetchone()[0])


@pytest.mark.parametrize("interruption", [None, KeyboardInterrupt])
def test_a_bulk_load_without_foreign_keys_still_forgets_recipients(interruption: type | None
                                                                   ) -> None:
    conn = open_store(":memory:")
    sent = messages.ensure_folder(conn, "Sent", Role.SENT)
    other = messages.ensure_folder(conn, "Verzonden items", Role.SENT)
    messages.add_batch(conn, other, [(1, headers(9))], 1)
    with pytest.raises(interruption or ValueError), messages.bulk_load(conn):
        assert foreign_keys(conn) == 0
        messages.add_batch(conn, sent, [(uid, headers(uid)) for uid in (1, 2, 3)], 3)
        messages.add_batch(conn, sent, [(uid, headers(uid)) for uid in (2, 3, 4)], 4)  # again
        assert (count(conn, "messages"), count(conn, "recipients")) == (5, 10)
        messages.reset_folder(conn, sent, uidvalidity=8)
        assert (count(conn, "messages"), count(conn, "recipients")) == (1, 2)
        raise (interruption or ValueError)()
    assert foreign_keys(conn) == 1
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    messages.keep_only(conn, other, set())
    assert (count(conn, "messages"), count(conn, "recipients")) == (0, 0)


def test_an_index_build_cut_off_after_a_bulk_load_is_done_by_the_next_open(tmp_path: Path
                                                                          ) -> None:
    conn = open_store(tmp_path / "netguard.sqlite3")
    sent = messages.ensure_folder(conn, "Sent", Role.SENT)
    inbox = messages.ensure_folder(conn, "INBOX", Role.RECEIVED)
    every = index_names(conn)
    with messages.bulk_load(conn):
        messages.add_batch(conn, sent, [(uid, headers(uid)) for uid in (1, 2)], 2)
        messages.add_batch(conn, inbox, [(uid, headers(uid, to="me@example.nl",
                                                       sender="frank@example.nl"))
                                         for uid in (1, 2, 3)], 3)
    building = [False]  # CREATE INDEX statements are cut off (as by ``interrupt``)
    conn.set_trace_callback(lambda sql: building.__setitem__(0, sql.startswith("CREATE INDEX")))
    conn.set_progress_handler(lambda: building[0], 1)
    db.restore_indexes(conn)  # logged, not raised: the next open builds them
    conn.set_progress_handler(None, 1)
    conn.set_trace_callback(None)
    assert every - index_names(conn) == set(INDEXES)
    assert conn.execute("PRAGMA mmap_size").fetchone() == (268435456,)  # as before the build
    conn.close()
    conn = open_store(tmp_path / "netguard.sqlite3")
    assert index_names(conn) == every
    assert (count(conn, "messages"), count(conn, "recipients")) == (5, 4)  # Sent keeps them
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    test_messages_with_a_contact_newest_first_use_the_indexes(conn)


@pytest.mark.parametrize("size", [1, messages.ROWS_PER_INSERT - 1, messages.ROWS_PER_INSERT,
                                  2 * messages.ROWS_PER_INSERT + 3])
def test_batches_of_any_size_store_each_row_with_its_own_recipients(size: int) -> None:
    conn = open_store(":memory:")
    messages.add_batch(conn, messages.ensure_folder(conn, "INBOX", Role.RECEIVED),
                       [(1, headers(1000))], 1)  # ids of the next batch start further on
    sent = messages.ensure_folder(conn, "Sent", Role.SENT)
    batch = [(uid, headers(uid, to=f"p{uid}@example.nl")) for uid in range(10, 10 + size)]
    messages.add_batch(conn, sent, batch, 10 + size)
    rows = conn.execute(
        "SELECT m.uid, m.message_id, m.subject, group_concat(r.address || ':' || r.kind, ' ')"
        " FROM messages m JOIN recipients r ON r.message = m.id WHERE m.folder_id = ?"
        " GROUP BY m.id ORDER BY m.uid", (sent,)).fetchall()
    assert rows == [(uid, f"<m{uid}@example.nl>", f"s{uid}",
                     f"p{uid}@example.nl:to cc@example.nl:cc") for uid, _ in batch]


def test_opening_a_store_restores_indexes_a_killed_load_left_out(tmp_path: Path) -> None:
    path = tmp_path / "netguard.sqlite3"
    conn = open_store(path)
    every = index_names(conn)
    for name in INDEXES:
        conn.execute(f"DROP INDEX {name}")
    conn.close()
    assert index_names(open_store(path)) == every


def test_a_bulk_load_keeps_a_small_page_cache_and_maps_nothing(tmp_path: Path) -> None:
    """A first load of 200,000 messages stays well under 200 MB (issue 18): written pages are
    not kept in a large cache, and the index rebuild's reads do not count as mapped memory."""
    conn = open_store(tmp_path / "store.sqlite3")
    conn.execute("PRAGMA cache_size = -65536")

    def pragma(name: str) -> int:
        return int(conn.execute(f"PRAGMA {name}").fetchone()[0])

    mapped = pragma("mmap_size")
    assert mapped > 0
    with messages.bulk_load(conn):
        assert pragma("cache_size") == -messages.BULK_CACHE_KIB
        assert pragma("mmap_size") == 0
    assert (pragma("cache_size"), pragma("mmap_size")) == (-65536, mapped)


def bulk_loaded(conn: sqlite3.Connection) -> None:
    """Two sent messages stored by a bulk load: the indexes set aside."""
    sent = messages.ensure_folder(conn, "Sent", Role.SENT)
    with messages.bulk_load(conn):
        messages.add_batch(conn, sent, [(uid, headers(uid)) for uid in (1, 2)], 2)
    assert set(INDEXES).isdisjoint(index_names(conn))


def test_indexes_are_built_beside_the_body_on_a_connection_of_their_own(tmp_path: Path
                                                                       ) -> None:
    conn = open_store(tmp_path / "netguard.sqlite3")
    bulk_loaded(conn)
    other = sqlite3.connect(tmp_path / "netguard.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer: the build waits for it to end
    with db.indexes_building(conn, INDEXES):
        assert set(INDEXES).isdisjoint(index_names(conn))  # the body runs meanwhile
        other.execute("COMMIT")
    assert set(INDEXES) <= index_names(conn)  # done when the body ends
    test_messages_with_a_contact_newest_first_use_the_indexes(conn)


def test_indexes_building_is_done_however_the_body_ends(tmp_path: Path) -> None:
    conn = open_store(tmp_path / "netguard.sqlite3")
    bulk_loaded(conn)
    with pytest.raises(KeyboardInterrupt), db.indexes_building(conn, ["recipients_message"]):
        raise KeyboardInterrupt
    assert set(INDEXES) - index_names(conn) == set(INDEXES) - {"recipients_message"}
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_store_in_memory_builds_the_indexes_before_the_body() -> None:
    conn = open_store(":memory:")
    bulk_loaded(conn)
    with db.indexes_building(conn, INDEXES):
        assert set(INDEXES) <= index_names(conn)
