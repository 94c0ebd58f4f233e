"""sync() against a real Dovecot (and pymap): folders, incremental, read-only, faults."""

from __future__ import annotations

import select
import socket
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from netguard.analysis.first_load import FirstLoad
from netguard.analysis.summary import keep_up, rebuild
from netguard.analysis.timeline import contact_messages
from netguard.errors import AuthError, ConfigError
from netguard.mail.connection import connect
from netguard.mail.folders import discover
from netguard.mail.sync import sync
from netguard.model import Role
from netguard.settings import Rules
from netguard.store import messages, missing, open_store, summary
from netguard.store.db import restore_indexes
from netguard.store.migrations import INDEXES
from netguard.store.people import my_addresses
from tests.integration.conftest import DovecotAccount, PymapServer
from tests.servers.dovecot import User

BULK = Rules().bulk_recipients

def mail(number: int, sender: str, to: str, subject: str = "") -> bytes:
    return (
        f"Message-ID: <m{number}.{sender}@example.test>\r\n"
        f"Date: Tue, 01 Jul 2025 10:{number % 60:02d}:00 +0200\r\n"
        f"From: Someone <{sender}>\r\n"
        f"To: {to}\r\n"
        f"Subject: {subject or f'message {number}'}\r\n"
        "\r\n"
        f"Body {number}\r\n"
    ).encode()


@pytest.fixture
def store() -> sqlite3.Connection:
    return open_store(":memory:")


def stored_ids(conn: sqlite3.Connection, folder: str) -> list[str]:
    rows = conn.execute(
        "SELECT message_id FROM messages JOIN folders ON folders.id = folder_id "
        "WHERE folders.name = ? ORDER BY uid", (folder,))
    return [row[0] for row in rows]


def by_name(result: object) -> dict[str, tuple[Role, int, int, int]]:
    return {f.name: (f.role, f.new, f.total, f.skipped) for f in result.folders}  # type: ignore[attr-defined]


def test_sent_by_special_use_and_reply_folders(
        dovecot: DovecotAccount, store: sqlite3.Connection) -> None:
    me = dovecot.user
    dovecot.append("Sent", *(mail(i, me, "anna@example.nl") for i in range(3)))
    dovecot.append("INBOX", mail(10, "anna@example.nl", me))
    dovecot.append("Archive", mail(11, "bob@example.org", me))
    dovecot.append("Verzonden items", mail(12, me, "x@example.nl"))
    progress: list[tuple[str, int, int]] = []
    result = sync(dovecot.account(), dovecot.password, store,
                  progress=lambda *args: progress.append(args))
    assert by_name(result) == {
        "Sent": (Role.SENT, 3, 3, 0),
        "INBOX": (Role.RECEIVED, 1, 1, 0),
        "Archive": (Role.RECEIVED, 1, 1, 0),
    }
    assert ("Sent", 3, 3) in progress
    assert me in my_addresses(store)


def test_sent_by_localized_name_without_special_use(
        dovecot_user: Callable[..., DovecotAccount], store: sqlite3.Connection) -> None:
    account = dovecot_user(folders=["Verzonden items"])
    account.append("Verzonden items", mail(1, account.user, "anna@example.nl"))
    result = sync(account.account(), account.password, store)
    assert by_name(result)["Verzonden items"] == (Role.SENT, 1, 1, 0)


def test_localized_name_in_modified_utf7(
        dovecot_user: Callable[..., DovecotAccount], store: sqlite3.Connection) -> None:
    encoded = "&AMk-l&AOk-ments envoy&AOk-s"  # "Éléments envoyés" on the wire
    account = dovecot_user(folders=[encoded])
    account.append(encoded, mail(1, account.user, "anna@example.nl"))
    result = sync(account.account(), account.password, store)
    assert by_name(result)["Éléments envoyés"] == (Role.SENT, 1, 1, 0)


def test_ambiguous_names_are_ranked_by_share_from_me(
        dovecot_user: Callable[..., DovecotAccount], store: sqlite3.Connection) -> None:
    account = dovecot_user(folders=["Verzonden items", "Sent Items"])
    account.append("Verzonden items", mail(1, "other@example.org", "x@example.nl"))
    account.append("Sent Items", mail(2, account.user, "anna@example.nl"))
    result = sync(account.account(), account.password, store)
    assert by_name(result)["Sent Items"][0] == Role.SENT


def test_undecidable_sent_folder_names_the_candidates(
        dovecot_user: Callable[..., DovecotAccount], store: sqlite3.Connection) -> None:
    account = dovecot_user(folders=["Verzonden items", "Sent Items"])
    with pytest.raises(ConfigError, match="Verzonden items") as caught:
        sync(account.account(), account.password, store)
    assert "Sent Items" in str(caught.value)
    assert "--sent-folder" in str(caught.value)


def test_override_wins(dovecot: DovecotAccount, store: sqlite3.Connection) -> None:
    dovecot.append("Verzonden items", mail(1, dovecot.user, "anna@example.nl"))
    result = sync(dovecot.account(sent_folder="Verzonden items", reply_folders=["INBOX"]),
                  dovecot.password, store)
    assert by_name(result) == {"Verzonden items": (Role.SENT, 1, 1, 0),
                               "INBOX": (Role.RECEIVED, 0, 0, 0)}


def test_override_of_a_missing_folder_is_a_clear_error(
        dovecot: DovecotAccount, store: sqlite3.Connection) -> None:
    with pytest.raises(ConfigError, match="Nope"):
        sync(dovecot.account(sent_folder="Nope"), dovecot.password, store)


def test_pymap_without_special_use(pymap: PymapServer, store: sqlite3.Connection) -> None:
    result = sync(pymap.account(), pymap.password, store)
    folders = by_name(result)
    assert folders["Sent"][0] == Role.SENT
    assert folders["Sent"][2] >= 1
    assert folders["INBOX"][0] == Role.RECEIVED


def test_reading_changes_nothing_on_the_server(dovecot: DovecotAccount,
                                               store: sqlite3.Connection) -> None:
    dovecot.append("Sent", mail(1, dovecot.user, "a@example.nl"), flags="(\\Seen)")
    dovecot.append("Sent", mail(2, dovecot.user, "b@example.nl"))
    dovecot.append("INBOX", mail(3, "a@example.nl", dovecot.user), flags="(\\Flagged)")
    dovecot.append("INBOX", mail(4, "b@example.nl", dovecot.user))
    before = dovecot.snapshot()
    sync(dovecot.account(), dovecot.password, store)
    assert dovecot.snapshot() == before


def test_incremental_sync_picks_up_exactly_the_new_messages(
        dovecot: DovecotAccount, store: sqlite3.Connection) -> None:
    dovecot.append("Sent", *(mail(i, dovecot.user, "a@example.nl") for i in range(3)))
    first = sync(dovecot.account(), dovecot.password, store)
    assert by_name(first)["Sent"][1:] == (3, 3, 0)
    nothing = sync(dovecot.account(), dovecot.password, store)
    assert by_name(nothing)["Sent"][1:] == (0, 3, 0)
    dovecot.append("Sent", *(mail(i, dovecot.user, "a@example.nl") for i in range(3, 5)))
    second = sync(dovecot.account(), dovecot.password, store)
    assert by_name(second)["Sent"][1:] == (2, 5, 0)
    assert stored_ids(store, "Sent") == [f"<m{i}.{dovecot.user}@example.test>" for i in range(5)]


def test_uidvalidity_change_resyncs_the_folder(dovecot: DovecotAccount,
                                               store: sqlite3.Connection) -> None:
    dovecot.append("Sent", *(mail(i, dovecot.user, "a@example.nl") for i in range(2)))
    sync(dovecot.account(), dovecot.password, store)
    dovecot.server.set_uidvalidity(dovecot._user, "Sent", 4242)
    result = sync(dovecot.account(), dovecot.password, store)
    assert by_name(result)["Sent"][1:] == (2, 2, 0)
    row = store.execute("SELECT uidvalidity FROM folders WHERE name = 'Sent'").fetchone()
    assert row == (4242,)


def test_batches_cover_every_message(dovecot: DovecotAccount, store: sqlite3.Connection,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("netguard.mail.sync.BATCH", 3)
    dovecot.append("Sent", *(mail(i, dovecot.user, "a@example.nl") for i in range(10)))
    result = sync(dovecot.account(), dovecot.password, store)
    assert by_name(result)["Sent"][1:] == (10, 10, 0)


@pytest.mark.parametrize("process_min", [10_000, 1], ids=["inline", "parser-process"])
def test_cancel_leaves_a_consistent_store_and_the_next_sync_completes(
        dovecot: DovecotAccount, store: sqlite3.Connection,
        monkeypatch: pytest.MonkeyPatch, process_min: int) -> None:
    monkeypatch.setattr("netguard.mail.sync.BATCH", 2)
    monkeypatch.setattr("netguard.mail.sync.PROCESS_MIN", process_min)
    monkeypatch.setattr("netguard.mail.sync.PARSER_PROCESS", True)
    dovecot.append("Sent", *(mail(i, dovecot.user, "a@example.nl") for i in range(7)))
    calls: list[int] = []

    def cancel_after_two_batches() -> bool:
        calls.append(1)
        return len(calls) > 2

    result = sync(dovecot.account(), dovecot.password, store,
                  should_cancel=cancel_after_two_batches)
    assert result.cancelled
    partial = stored_ids(store, "Sent")
    assert 0 < len(partial) < 7
    final = sync(dovecot.account(), dovecot.password, store)
    assert by_name(final)["Sent"][1:] == (7 - len(partial), 7, 0)
    assert stored_ids(store, "Sent") == [f"<m{i}.{dovecot.user}@example.test>" for i in range(7)]


def test_wrong_password_stops_at_once(dovecot: DovecotAccount, store: sqlite3.Connection) -> None:
    with pytest.raises(AuthError):
        sync(dovecot.account(), "wrong", store)
    assert dovecot.login_attempts() == 1
    assert store.execute("SELECT count(*) FROM messages").fetchone() == (0,)


def test_every_corpus_message_syncs(dovecot: DovecotAccount, store: sqlite3.Connection,
                                    corpora: object) -> None:
    files = sorted(p for p in Path(str(corpora)).rglob("*") if p.is_file())
    for path in files:
        dovecot.append("INBOX", path.read_bytes())
    result = sync(dovecot.account(), dovecot.password, store)
    inbox = by_name(result)["INBOX"]
    assert inbox[1] + inbox[3] == len(files)
    assert inbox[2] == inbox[1]


def store_rows(conn: sqlite3.Connection) -> tuple[list[tuple[object, ...]], ...]:
    """Everything stored of the messages, keyed by folder and UID (row ids left out)."""
    messages = conn.execute(
        "SELECT f.name, m.uid, m.message_id, m.in_reply_to, m.refs, m.time, m.time_source,"
        " m.from_addr, m.from_name, m.subject, m.automatic, m.is_list, m.n_recipients"
        " FROM messages m JOIN folders f ON f.id = m.folder_id ORDER BY 1, 2").fetchall()
    recipients = conn.execute(
        "SELECT f.name, m.uid, r.address, r.name, r.kind FROM recipients r"
        " JOIN messages m ON m.id = r.message JOIN folders f ON f.id = m.folder_id"
        " ORDER BY 1, 2, r.rowid").fetchall()
    return messages, recipients


def test_a_parser_process_stores_exactly_what_parsing_inline_stores(
        dovecot: DovecotAccount, monkeypatch: pytest.MonkeyPatch, corpora: object) -> None:
    from netguard.mail import batch_parser
    from netguard.mail import sync as sync_module

    for path in sorted(p for p in Path(str(corpora)).rglob("*") if p.is_file()):
        dovecot.append("INBOX", path.read_bytes())
    dovecot.append("Sent", *(mail(i, dovecot.user, f"Anna {i} <a{i}@example.nl>, b@example.org")
                             for i in range(30)))
    monkeypatch.setattr(sync_module, "BATCH", 4)
    inline = open_store(":memory:")
    expected = sync(dovecot.account(), dovecot.password, inline)
    parsers: list[batch_parser.ProcessParser] = []

    class Watched(batch_parser.ProcessParser):
        def __init__(self) -> None:
            super().__init__()
            parsers.append(self)

    monkeypatch.setattr(sync_module, "PROCESS_MIN", 1)
    monkeypatch.setattr(sync_module, "PARSER_PROCESS", True)
    monkeypatch.setattr(batch_parser, "ProcessParser", Watched)
    pooled = open_store(":memory:")
    result = sync(dovecot.account(), dovecot.password, pooled)
    assert len(parsers) == 1 and parsers[0].handed > 0, "no batch went to the parser process"
    assert by_name(result) == by_name(expected)
    assert store_rows(pooled) == store_rows(inline)
    assert store_rows(pooled)[1], "the Sent recipients are stored"


class CuttingProxy:
    """TCP proxy to the server that cuts the first connection after ``limit`` bytes downstream,
    or just before the ``before[1]``-th (from 1) ``before[0]`` in it; it keeps what the client
    sent (``upstream``)."""

    def __init__(self, port: int, limit: int | None = None,
                 before: tuple[bytes, int] | None = None) -> None:
        self.target = port
        self.limit = limit
        self.before = before
        self.seen = bytearray()  # downstream of the first connection
        self.downstream = 0
        self.upstream = bytearray()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            cut = self.limit if self.connections == 1 else None
            threading.Thread(target=self._pipe, args=(client, cut), daemon=True).start()

    def _pipe(self, client: socket.socket, cut: int | None) -> None:
        with client, socket.create_connection(("127.0.0.1", self.target)) as server:
            sent = 0
            sockets = [client, server]
            while True:
                readable, _, _ = select.select(sockets, [], [], 10)
                if not readable:
                    return
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    if source is server:
                        cut = self._cut_before(data, cut)
                        if cut is not None and sent + len(data) > cut:
                            client.sendall(data[:cut - sent])
                            client.shutdown(socket.SHUT_RDWR)
                            return
                        sent += len(data)
                        self.downstream += len(data)
                        client.sendall(data)
                    else:
                        self.upstream += data
                        server.sendall(data)

    def _cut_before(self, data: bytes, cut: int | None) -> int | None:
        """The cut, moved before the ``before`` text once it comes (first connection only)."""
        if self.before is None or self.connections != 1:
            return cut
        self.seen += data
        text, nth = self.before
        at = -1
        for _ in range(nth):
            at = self.seen.find(text, at + 1)
            if at < 0:
                return cut
        return at if cut is None else min(cut, at)

    def close(self) -> None:
        self.listener.close()


def index_names(conn: sqlite3.Connection) -> set[str]:
    return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}


@pytest.mark.parametrize(("bulk_min", "process_min"), [(10_000, 10_000), (1, 1)],
                         ids=["indexed", "bulk-with-parser-process"])
def test_cut_connection_then_next_sync_has_exactly_the_servers_messages(
        dovecot: DovecotAccount, monkeypatch: pytest.MonkeyPatch, bulk_min: int,
        process_min: int) -> None:
    monkeypatch.setattr("netguard.mail.sync.BATCH", 4)
    monkeypatch.setattr("netguard.mail.sync.BULK_MIN", bulk_min)
    monkeypatch.setattr("netguard.mail.sync.PROCESS_MIN", process_min)
    monkeypatch.setattr("netguard.mail.sync.PARSER_PROCESS", True)
    dovecot.append("Sent", *(mail(i, dovecot.user, "a@example.nl") for i in range(40)))
    measuring = CuttingProxy(dovecot.port)
    sync(dovecot.account(port=measuring.port), dovecot.password, open_store(":memory:"))
    measuring.close()
    every = [f"<m{i}.{dovecot.user}@example.test>" for i in range(40)]
    cuts = [CuttingProxy(dovecot.port, limit=measuring.downstream // 2)] + [
        CuttingProxy(dovecot.port, before=(b" OK Fetch completed", nth)) for nth in range(1, 11)]
    for cutting in cuts:  # mid-literal, and before each FETCH's completion (answers of the
        store = open_store(":memory:")  # next one may come before it: none may be stored)
        first_load = FirstLoad(store, BULK)
        cut = sync(dovecot.account(port=cutting.port), dovecot.password, store,
                   on_stored=first_load.add)
        assert [f.name for f in cut.failed] == ["Sent"]  # the others synced on a new login
        assert "dropped" in cut.failed[0].error and cutting.connections == 2
        partial = stored_ids(store, "Sent")
        assert len(partial) < 40
        assert partial == every[:highest_uid(store, "Sent")], "rows above the highest UID"
        assert first_load.usable(store, BULK)  # it saw exactly the batches stored
        keep_up(store, BULK, first_load)
        assert the_summary_is_the_rebuilds(store)
        result = sync(dovecot.account(port=cutting.port), dovecot.password, store)
        cutting.close()
        assert by_name(result)["Sent"][1:] == (40 - len(partial), 40, 0)
        assert stored_ids(store, "Sent") == every
        restore_indexes(store)
        assert set(INDEXES) <= index_names(store)


def the_summary_is_the_rebuilds(conn: sqlite3.Connection) -> bool:
    written = sorted(summary.rows(conn))
    rebuild(conn, BULK)
    return sorted(summary.rows(conn)) == written


def highest_uid(conn: sqlite3.Connection, folder: str) -> int:
    return int(conn.execute("SELECT highest_uid FROM folders WHERE name = ?",
                            (folder,)).fetchone()[0])


def test_a_bulk_sync_of_several_folders_stores_each_whole(
        dovecot: DovecotAccount, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A folder's last batches are stored while the next folder is fetched: every folder still
    ends complete. The indexes set aside are built after the sync."""
    monkeypatch.setattr("netguard.mail.sync.BATCH", 3)
    monkeypatch.setattr("netguard.mail.sync.BULK_MIN", 1)
    monkeypatch.setattr("netguard.mail.sync.PROCESS_MIN", 1)
    monkeypatch.setattr("netguard.mail.sync.PARSER_PROCESS", True)
    me = dovecot.user
    dovecot.append("Sent", *(mail(i, me, f"a{i}@example.nl, b@example.org") for i in range(11)))
    dovecot.append("INBOX", *(mail(100 + i, f"a{i}@example.nl", me) for i in range(8)))
    dovecot.append("Archive", *(mail(200 + i, "c@example.org", me) for i in range(4)))
    store = open_store(tmp_path / "netguard.sqlite3")
    progress: list[tuple[str, int, int]] = []
    first_load = FirstLoad(store, BULK)  # as `netguard sync` runs it
    result = sync(dovecot.account(), dovecot.password, store,
                  progress=lambda *args: progress.append(args), on_stored=first_load.add)
    assert by_name(result) == {"Sent": (Role.SENT, 11, 11, 0),
                               "INBOX": (Role.RECEIVED, 8, 8, 0),
                               "Archive": (Role.RECEIVED, 4, 4, 0)}
    for name, total in (("Sent", 11), ("INBOX", 8), ("Archive", 4)):
        done = [d for folder, d, t in progress if folder == name and t == total]
        assert done == sorted(done) and done[-1] == total
    highest = dict(store.execute("SELECT name, highest_uid FROM folders"))
    assert highest == {"Sent": 11, "INBOX": 8, "Archive": 4}
    assert store.execute("SELECT count(*) FROM recipients").fetchone() == (22,)
    assert set(INDEXES).isdisjoint(index_names(store))  # built after the sync
    assert store.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert contact_messages(store, "b@example.org")[0].direction == "sent"  # read without them
    assert set(INDEXES).isdisjoint(index_names(store))  # a query builds none
    assert first_load.usable(store, BULK)
    keep_up(store, BULK, first_load)  # as `netguard sync` runs it next: the indexes beside
    assert set(INDEXES) <= index_names(store)  # the summary's encoding, on their own connection
    assert summary.state(store) == summary.State(summary.last_message(store), BULK)
    assert the_summary_is_the_rebuilds(store)
    assert sync(dovecot.account(), dovecot.password, store).new == 0


def test_uid_search_windows_and_esearch_agree(dovecot: DovecotAccount,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from netguard.mail import fetch
    from netguard.mail.connection import connect

    dovecot.append("Sent", *(mail(i, dovecot.user, "a@example.nl") for i in range(9)))
    monkeypatch.setattr(fetch, "WINDOW", 2)
    with connect(dovecot.account(), dovecot.password) as client:
        client.select_folder("Sent", readonly=True)
        assert client.has_capability("ESEARCH")
        windows = fetch.search_uids_above(client._imap, 3, 10, esearch=False)
        compact = fetch.search_uids_above(client._imap, 3, 10, esearch=True)
        newest_only = fetch.search_uids_above(client._imap, 9, 12, esearch=False)
    assert windows == compact == [4, 5, 6, 7, 8, 9]
    assert newest_only == []


def commands(upstream: bytes) -> list[str]:
    """The client's IMAP commands, without tags and arguments past the mailbox name."""
    return [" ".join(line.split()[1:3]) for line in upstream.decode().splitlines() if line]


def test_a_sync_with_nothing_new_asks_inbox_first_and_fetches_nothing(
        dovecot: DovecotAccount, store: sqlite3.Connection) -> None:
    dovecot.append("Sent", mail(1, dovecot.user, "a@example.nl"))
    sync(dovecot.account(), dovecot.password, store)
    proxy = CuttingProxy(dovecot.port)
    result = sync(dovecot.account(port=proxy.port), dovecot.password, store)
    proxy.close()
    assert result.new == 0
    sent = commands(bytes(proxy.upstream))
    assert sent[sent.index("LOGIN " + dovecot.user) + 1:] == [
        'STATUS "INBOX"', 'LIST ""', 'STATUS "Sent"', 'STATUS "Archive"', "LOGOUT"], sent


def test_a_missing_uid_the_server_has_is_asked_again_and_stored(
        dovecot: DovecotAccount, store: sqlite3.Connection) -> None:
    dovecot.append("Sent", *(mail(i, dovecot.user, "a@example.nl") for i in range(4)))
    sync(dovecot.account(), dovecot.password, store)
    folder = store.execute("SELECT id FROM folders WHERE name = 'Sent'").fetchone()[0]
    # As a sync leaves it after the server left UID 2 out: stored above it, kept as missing.
    store.execute("DELETE FROM messages WHERE folder_id = ? AND uid = 2", (folder,))
    messages.recount(store)
    missing.record(store, folder, {2})
    proxy = CuttingProxy(dovecot.port)
    result = sync(dovecot.account(port=proxy.port), dovecot.password, store)
    proxy.close()
    assert by_name(result)["Sent"][1:] == (1, 4, 0)  # nothing new on the server, UID 2 stored
    assert stored_ids(store, "Sent") == [f"<m{i}.{dovecot.user}@example.test>" for i in range(4)]
    assert missing.to_ask(store, folder) == []
    assert b"UID FETCH 2 " in bytes(proxy.upstream)


def test_a_missing_uid_gone_from_the_server_is_dropped_without_a_fetch(
        dovecot: DovecotAccount, store: sqlite3.Connection) -> None:
    dovecot.append("Sent", mail(1, dovecot.user, "a@example.nl"))
    sync(dovecot.account(), dovecot.password, store)
    folder = store.execute("SELECT id FROM folders WHERE name = 'Sent'").fetchone()[0]
    missing.record(store, folder, {7})  # never there, or expunged since
    proxy = CuttingProxy(dovecot.port)
    result = sync(dovecot.account(port=proxy.port), dovecot.password, store)
    proxy.close()
    assert by_name(result)["Sent"][1:] == (0, 1, 0)
    assert missing.to_ask(store, folder) == []
    assert b"UID FETCH" not in bytes(proxy.upstream)


def test_a_changed_uidvalidity_forgets_the_missing_uids(
        dovecot: DovecotAccount, store: sqlite3.Connection) -> None:
    dovecot.append("Sent", mail(1, dovecot.user, "a@example.nl"))
    sync(dovecot.account(), dovecot.password, store)
    folder = store.execute("SELECT id FROM folders WHERE name = 'Sent'").fetchone()[0]
    missing.record(store, folder, {1})
    dovecot.server.set_uidvalidity(User(dovecot.user, dovecot.password), "Sent", 4242)
    sync(dovecot.account(), dovecot.password, store)
    assert missing.to_ask(store, folder) == []
    assert stored_ids(store, "Sent") == [f"<m1.{dovecot.user}@example.test>"]


def test_undecidable_sent_without_a_known_address_suggests_me_add(
        dovecot_user: Callable[..., DovecotAccount]) -> None:
    account = dovecot_user(folders=["Verzonden items", "Sent Items"])
    with connect(account.account(), account.password) as client, \
            pytest.raises(ConfigError) as caught:
        discover(client, account.account(), [])  # a bare-user login: no address of mine known
    assert "netguard me add ADDRESS" in str(caught.value)
    assert "--sent-folder" in str(caught.value)
