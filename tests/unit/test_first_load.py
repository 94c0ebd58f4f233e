"""A first load's contact summary, gathered from the rows as they are stored (issue 18): the
summary ``rebuild`` writes from the messages, row for row, on the compiled path (where built)
and on the pure one; declined (and rebuilt) when it is not the whole store's."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from netguard.analysis import first_load as first_load_module
from netguard.analysis import summary
from netguard.analysis.first_load import FirstLoad
from netguard.mail import batch_parser, headers
from netguard.mail.batch_parser import parse_batch
from netguard.model import Role
from netguard.store import open_store
from netguard.store import summary as stored
from netguard.store.db import missing_indexes
from netguard.store.messages import add_rows, bulk_load, ensure_folder, keeps_recipients

ROOT = Path(__file__).resolve().parents[2]
BULK = 10
PATHS = ["compiled", "pure"] if headers.row_adder() is not None else ["pure"]
WHEN = b"01-Jul-2025 10:00:00 +0200"


@pytest.fixture(autouse=True, params=PATHS)
def rows_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """With the compiled reader of whole blocks, and with the pure-Python parser alone."""
    if request.param == "pure":
        monkeypatch.setattr(batch_parser, "row_adder", lambda: None)
        monkeypatch.setattr(headers, "row_adder", lambda: None)  # the import's reader
        monkeypatch.setattr(first_load_module, "_compiled", lambda: None)
    return str(request.param)


def realistic(n: int, sent: bool) -> list[bytes]:
    """Header blocks of ``bench/real_mail.py``'s realistic mail."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from real_mail import RealGenerator
    finally:
        sys.path.remove(str(ROOT / "bench"))
    generator = RealGenerator("me@example.test", seed=3)
    return [generator.message(i, sent).split(b"\n\n", 1)[0].replace(b"\n", b"\r\n")
            + b"\r\n\r\n" for i in range(n)]


def block(mid: str, second: int, to: str, cc: str = "", sender: str = "Me <me@example.test>",
          extra: str = "") -> bytes:
    """A header block; messages of the same ``second`` tie on time."""
    lines = [f"Message-ID: <{mid}>", f"Date: Tue, 1 Jul 2025 10:00:{second:02d} +0000",
             f"From: {sender}", f"To: {to}", *([f"Cc: {cc}"] if cc else []),
             *([extra] if extra else []), "Subject: plan"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


# Ties on time, a Message-ID twice in a folder and in two folders, an address in To and Cc of
# one message, different names for one address, list mail, an automatic reply, bulk, drafts.
TIES = [
    block("t1@x", 1, "Anna <anna@example.nl>, Bob <bob@example.nl>", "A. <anna@example.nl>"),
    block("t2@x", 1, "Anna Jansen <anna@example.nl>"),
    block("t1@x", 1, "bob@example.nl", "Anna <anna@example.nl>"),
    block("t3@x", 1, ", ".join(f"p{i}@example.nl" for i in range(BULK + 1))),
    block("t4@x", 2, "club@example.nl", extra="List-Id: <club.example.nl>"),
]
REPLIES = [
    block("r1@x", 1, "me@example.test", sender="Anna <anna@example.nl>"),
    block("r2@x", 1, "me@example.test", sender="Anna J <anna@example.nl>"),
    block("r3@x", 1, "me@example.test", sender="Anna <anna@example.nl>",
          extra="Auto-Submitted: auto-replied"),
    block("r1@x", 1, "me@example.test", sender="Anna <anna@example.nl>"),
]


def load(conn: sqlite3.Connection, first_load: FirstLoad, name: str, role: Role,
         blocks: list[bytes], batch: int = 50, uids: list[int] | None = None) -> None:
    """Store ``blocks`` as a sync does, batch by batch, handing each to ``first_load``."""
    folder = ensure_folder(conn, name, role)
    numbered = list(zip(uids or range(1, len(blocks) + 1), blocks, strict=True))
    for start in range(0, len(numbered), batch):
        raw = [(uid, WHEN, data) for uid, data in numbered[start:start + batch]]
        rows = parse_batch(raw, keeps_recipients(role)).rows
        add_rows(conn, folder, rows, max(uid for uid, _ in numbered[start:start + batch]))
        first_load.add(folder, role, rows)


def the_summary(conn: sqlite3.Connection) -> list[tuple[str, list[object], list[object]]]:
    return sorted(stored.rows(conn))


def mailbox(conn: sqlite3.Connection, first_load: FirstLoad, folders_in_order: bool) -> None:
    """Sent, an archive of sent mail, drafts and two folders of replies, realistic mail and the
    awkward cases; with ``folders_in_order`` False the folders are not stored in the order of
    their ids, and one batch's UIDs not in ascending order."""
    if not folders_in_order:
        ensure_folder(conn, "Archive", Role.SENT)  # the lowest id, stored after Sent
    sent, received = realistic(300, True), realistic(300, False)
    load(conn, first_load, "Sent", Role.SENT, sent[:250] + TIES)
    load(conn, first_load, "Archive", Role.SENT, sent[200:] + TIES[:3],
         uids=None if folders_in_order else [*range(50, 0, -1), *range(51, 104)])
    load(conn, first_load, "Drafts", Role.DRAFTS, TIES)
    load(conn, first_load, "INBOX", Role.RECEIVED, received[:250] + REPLIES)
    load(conn, first_load, "Old", Role.RECEIVED, received[220:] + REPLIES[:2])


def gathered_sides(first_load: FirstLoad) -> list[dict[str, tuple[list[int], list[str]]]]:
    return [{address: (list(side.codes), side.names) for address, side in sides.items()}
            for sides in (first_load.sent, first_load.received)]


@pytest.mark.skipif(headers.summary_loops() is None, reason="no compiled header parser")
def test_the_compiled_gathering_is_the_python_loops(
        rows_path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each address's codes and names, in order, one name object per spelling, and the
    summary's rows made of them."""
    compiled = FirstLoad(open_store(":memory:"), BULK)
    mailbox(open_store(":memory:"), compiled, folders_in_order=True)
    encoded = compiled.encoded()  # its rows made in C
    monkeypatch.setattr(first_load_module, "_compiled", lambda: None)
    loops = FirstLoad(open_store(":memory:"), BULK)
    mailbox(open_store(":memory:"), loops, folders_in_order=True)
    assert gathered_sides(compiled) == gathered_sides(loops)
    assert len(gathered_sides(loops)[0]) > 100 and len(gathered_sides(loops)[1]) > 100
    assert compiled.names == loops.names
    assert encoded == loops.encoded()  # the summary as stored, byte for byte
    names = {id(name) for side in compiled.sent.values() for name in side.names}
    assert names <= {id(name) for name in compiled.names.values()}


@pytest.mark.parametrize("folders_in_order", [True, False])
def test_the_gathered_summary_is_the_rebuilds_row_for_row(folders_in_order: bool) -> None:
    conn = open_store(":memory:")
    first_load = FirstLoad(conn, BULK)
    mailbox(conn, first_load, folders_in_order)
    assert first_load.write(conn, BULK)
    gathered = the_summary(conn)
    assert stored.state(conn) == stored.State(stored.last_message(conn), BULK)
    summary.rebuild(conn, BULK)
    assert the_summary(conn) == gathered
    anna = dict((a, (s, r)) for a, s, r in gathered)["anna@example.nl"]
    assert len(anna[0]) == 2 and len(anna[1]) == 2  # once per Message-ID, bulk and auto out
    assert len(gathered) > 100


def test_keep_up_writes_it_and_then_builds_the_indexes_the_load_set_aside() -> None:
    conn = open_store(":memory:")
    first_load = FirstLoad(conn, BULK)
    with bulk_load(conn):
        mailbox(conn, first_load, folders_in_order=True)
    summary.keep_up(conn, BULK, first_load)
    gathered = the_summary(conn)
    assert missing_indexes(conn) == []
    summary.rebuild(conn, BULK)
    assert the_summary(conn) == gathered


def test_only_the_reports_index_before_the_report_in_the_app() -> None:
    conn = open_store(":memory:")
    first_load = FirstLoad(conn, BULK)
    with bulk_load(conn):
        load(conn, first_load, "Sent", Role.SENT, TIES)
    summary.keep_up(conn, BULK, first_load, lookups=False)
    assert "messages_from_time" not in missing_indexes(conn)
    assert "recipients_address" in missing_indexes(conn)
    assert stored.state(conn) == stored.State(stored.last_message(conn), BULK)


def test_a_summary_rebuilt_for_the_app_builds_no_lookup_index_it_does_not_read() -> None:
    # Not gathered (the store was not empty): rebuilt from the messages, through the indexes
    # its queries read; the guard's and the threads' are left to the app's job.
    conn = open_store(":memory:")
    load(conn, FirstLoad(conn, BULK), "Sent", Role.SENT, TIES[:1])
    first_load = FirstLoad(conn, BULK)
    with bulk_load(conn):
        load(conn, first_load, "Sent", Role.SENT, TIES, uids=list(range(2, 7)))
    summary.keep_up(conn, BULK, first_load, lookups=False)
    assert missing_indexes(conn) == ["messages_message_id"]
    assert stored.state(conn) == stored.State(stored.last_message(conn), BULK)
    gathered = the_summary(conn)
    summary.rebuild(conn, BULK)
    assert the_summary(conn) == gathered


def test_a_store_not_empty_at_the_start_is_not_gathered() -> None:
    conn = open_store(":memory:")
    load(conn, FirstLoad(conn, BULK), "Sent", Role.SENT, TIES[:1])
    first_load = FirstLoad(conn, BULK)
    load(conn, first_load, "INBOX", Role.RECEIVED, REPLIES)
    assert not first_load.write(conn, BULK)
    assert first_load.received == {}  # nothing kept meanwhile
    summary.keep_up(conn, BULK, first_load)  # rebuilt from the messages instead
    assert [a for a, _, _ in the_summary(conn)] == ["anna@example.nl", "bob@example.nl"]


def test_a_message_replaced_or_another_bulk_limit_declines_it() -> None:
    conn = open_store(":memory:")
    first_load = FirstLoad(conn, BULK)
    load(conn, first_load, "Sent", Role.SENT, TIES)
    assert not first_load.write(conn, BULK + 1)
    load(conn, first_load, "Sent", Role.SENT, TIES[:2])  # UIDs 1 and 2 again: replaced
    assert not first_load.write(conn, BULK)
    assert stored.state(conn) is None  # nothing written
    summary.keep_up(conn, BULK, first_load)
    gathered = the_summary(conn)
    summary.rebuild(conn, BULK)
    assert the_summary(conn) == gathered


def test_keep_up_on_a_store_file_builds_the_indexes_beside_the_summary(tmp_path: Path) -> None:
    """On a file, the indexes are built on a connection of their own while the summary is
    encoded (``db.indexes_building``): the same summary, every index, a sound store."""
    conn = open_store(tmp_path / "netguard.sqlite3")
    first_load = FirstLoad(conn, BULK)
    with bulk_load(conn):
        mailbox(conn, first_load, folders_in_order=False)
    assert missing_indexes(conn) != []
    summary.keep_up(conn, BULK, first_load)
    assert missing_indexes(conn) == []
    gathered = the_summary(conn)
    summary.rebuild(conn, BULK)
    assert the_summary(conn) == gathered
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_an_import_into_an_empty_store_gathers_the_rebuilds_summary(tmp_path: Path) -> None:
    """``netguard import`` hands its batches to ``FirstLoad`` as a sync does (with the compiled
    reader and without, as the fixture chooses): the summary written from them is the one a
    rebuild gives, and a second import (the store no longer empty) gathers nothing."""
    from netguard.mail.importer import import_path

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from real_mail import write_mbox
    finally:
        sys.path.remove(str(ROOT / "bench"))
    sent, inbox = tmp_path / "sent.mbox", tmp_path / "inbox.mbox"
    write_mbox(sent, realistic(300, sent=True), "me@example.test")
    write_mbox(inbox, realistic(300, sent=False), "me@example.test")
    conn = open_store(":memory:")
    first_load = FirstLoad(conn, BULK)
    import_path(conn, sent, Role.SENT, on_stored=first_load.add)
    import_path(conn, inbox, Role.RECEIVED, on_stored=first_load.add)
    assert first_load.write(conn, BULK)
    gathered = the_summary(conn)
    summary.rebuild(conn, BULK)
    assert the_summary(conn) == gathered and len(gathered) > 100
    assert not FirstLoad(conn, BULK).gathering
