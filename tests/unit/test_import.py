"""`netguard import`: mbox files, Maildir folders and message files into the store."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netguard.cli.main import main
from netguard.errors import UsageError
from netguard.mail.importer import folder_name, import_path
from netguard.mail.mailfiles import from_line_time, read_messages, source_files
from netguard.model import Role
from netguard.store import open_store
from netguard.store.messages import folder_state

MTIME = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def message(n: int, date: str | None = "Tue, 05 Mar 2024 10:00:00 +0100",
            subject: str = "Hallo") -> bytes:
    lines = ["From: Sanne <sanne@example.nl>", "To: Frank.Jansen@Example.COM",
             f"Subject: {subject} {n}", f"Message-ID: <m{n}@example.nl>"]
    if date is not None:
        lines.append(f"Date: {date}")
    return ("\n".join(lines) + "\n\nBody line\n\nFrom the body, escaped or not\n").encode()


def mbox(*messages: bytes, from_line: str = "From sanne@example.nl Mon Mar  4 09:00:00 2024"
         ) -> bytes:
    return b"".join(from_line.encode() + b"\n" + m + b"\n" for m in messages)


@pytest.fixture
def conn() -> sqlite3.Connection:
    return open_store(":memory:")


def rows(conn: sqlite3.Connection) -> list[tuple[int, str, str, int, str]]:
    return conn.execute(
        "SELECT uid, message_id, subject, time, time_source FROM messages ORDER BY uid"
    ).fetchall()


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    os.utime(path, (MTIME.timestamp(), MTIME.timestamp()))
    return path


def test_mbox_messages_become_sent_mail_with_ordinal_uids(conn, tmp_path: Path) -> None:
    path = write(tmp_path / "sent.mbox", mbox(message(1), message(2), message(3)))
    result = import_path(conn, path)
    assert (result.imported, result.total, result.skipped) == (3, 3, 0)
    assert result.folder == folder_name(path) == f"import:{path.resolve()}"
    state = folder_state(conn, result.folder)
    assert state is not None and state.role is Role.SENT and state.highest_uid == 3
    assert [(r[0], r[1], r[2]) for r in rows(conn)] == [
        (1, "<m1@example.nl>", "Hallo 1"), (2, "<m2@example.nl>", "Hallo 2"),
        (3, "<m3@example.nl>", "Hallo 3")]
    recipients = conn.execute("SELECT DISTINCT address FROM recipients").fetchall()
    assert recipients == [("frank.jansen@example.com",)]


def test_a_from_line_in_a_body_after_text_does_not_split_a_message(conn, tmp_path) -> None:
    body = b"Subject: x\nMessage-ID: <a@b>\n\nline\nFrom here on, no blank line before\n"
    path = write(tmp_path / "m.mbox", mbox(body, message(2)))
    assert import_path(conn, path).total == 2


def test_received_role_and_reimport_adds_nothing_twice(conn, tmp_path: Path) -> None:
    path = write(tmp_path / "inbox.mbox", mbox(message(1), message(2)))
    first = import_path(conn, path, Role.RECEIVED)
    again = import_path(conn, path, Role.RECEIVED)
    assert (first.imported, again.imported, again.total) == (2, 0, 2)
    assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 2
    # whom received mail went to is not kept, only how many (keeps_recipients)
    assert conn.execute("SELECT count(*) FROM recipients").fetchone()[0] == 0
    assert conn.execute("SELECT sum(n_recipients) FROM messages").fetchone()[0] == 2
    assert folder_state(conn, first.folder).role is Role.RECEIVED  # type: ignore[union-attr]


def test_a_grown_mbox_adds_only_the_new_messages_and_a_shrunk_one_drops_the_rest(
    conn, tmp_path: Path
) -> None:
    path = write(tmp_path / "sent.mbox", mbox(message(1), message(2)))
    import_path(conn, path)
    write(path, mbox(message(1), message(2), message(3)))
    assert import_path(conn, path).imported == 1
    write(path, mbox(message(1)))
    result = import_path(conn, path)
    assert (result.imported, result.total) == (0, 1)
    assert folder_state(conn, result.folder).highest_uid == 1  # type: ignore[union-attr]


def test_time_falls_back_to_the_from_line_when_date_is_missing_or_broken(conn, tmp_path) -> None:
    data = mbox(message(1, date=None), message(2, date="gisteren rond de lunch"), message(3))
    import_path(conn, write(tmp_path / "m.mbox", data))
    from_line = int(datetime(2024, 3, 4, 9, 0, tzinfo=UTC).timestamp())
    with_date = int(datetime(2024, 3, 5, 9, 0, tzinfo=UTC).timestamp())
    assert [(r[3], r[4]) for r in rows(conn)] == [
        (from_line, "internaldate"), (from_line, "internaldate"), (with_date, "date")]


@pytest.mark.parametrize(("line", "expected"), [
    (b"From mrc@CAC.Washington.EDU Mon Feb  8 02:53:47 PST 1993\n",
     datetime(1993, 2, 8, 10, 53, 47, tzinfo=UTC)),
    (b"From 1684152474591734621@xxx Mon May 15 12:34:56 +0000 2023\n",
     datetime(2023, 5, 15, 12, 34, 56, tzinfo=UTC)),
    (b"From someone@example.com Sat Jan  3 01:05:34 1996\r\n",
     datetime(1996, 1, 3, 1, 5, 34, tzinfo=UTC)),
    (b"From someone@example.com Sat Jan  3 01:05:34 1996 +0200\n",
     datetime(1996, 1, 2, 23, 5, 34, tzinfo=UTC)),
    (b"From MAILER-DAEMON\n", None),
    (b"From x Bla Foo 99 99:99 2020\n", None),
])
def test_from_line_dates(line: bytes, expected: datetime | None) -> None:
    parsed = from_line_time(line)
    assert parsed == expected
    assert parsed is None or parsed.tzinfo is not None


def test_without_a_from_line_date_the_file_time_is_the_fallback(conn, tmp_path) -> None:
    path = write(tmp_path / "m.mbox", mbox(message(1, date=None), from_line="From MAILER-DAEMON"))
    import_path(conn, path)
    assert rows(conn)[0][3:] == (int(MTIME.timestamp()), "internaldate")


def test_each_message_without_a_date_falls_back_on_its_own_from_line(conn, tmp_path) -> None:
    days = [datetime(2024, 3, day, 9, 0, tzinfo=UTC) for day in (4, 5, 6)]
    data = b"".join(b"From sanne@example.nl " + day.strftime("%a %b %d %H:%M:%S %Y").encode()
                    + b"\n" + message(n, date=None) + b"\n" for n, day in enumerate(days))
    import_path(conn, write(tmp_path / "m.mbox", data))
    assert [row[3:] for row in rows(conn)] == [
        (int(day.timestamp()), "internaldate") for day in days]


def test_maildir_reads_cur_and_new_not_tmp_with_mtime_fallback(conn, tmp_path: Path) -> None:
    root = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    write(root / "cur" / "1700000002.M2.host:2,S", message(2, date=None))
    write(root / "new" / "1700000001.M1.host", message(1))
    write(root / "tmp" / "1700000003.M3.host", message(3))
    write(root / "cur" / ".hidden", message(4))
    result = import_path(conn, root, Role.RECEIVED)
    assert (result.total, result.skipped) == (2, 0)
    assert [(r[1], r[4]) for r in rows(conn)] == [
        ("<m1@example.nl>", "date"), ("<m2@example.nl>", "internaldate")]
    assert rows(conn)[1][3] == int(MTIME.timestamp())


def test_a_folder_of_message_files_and_garbage(conn, tmp_path: Path) -> None:
    write(tmp_path / "a.eml", b"   \n" + message(1))  # leading whitespace line, seen in the wild
    write(tmp_path / "b.eml", b"\x89PNG\r\n\x1a\nnot mail at all")
    write(tmp_path / "c.eml", b"")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "d.mbox", mbox(message(2), message(3)))
    result = import_path(conn, tmp_path)
    assert (result.total, result.skipped) == (3, 1)


def test_crlf_mbox_and_a_huge_header_block(conn, tmp_path: Path) -> None:
    crlf = mbox(message(1)).replace(b"\n", b"\r\n")
    huge = b"Message-ID: <m2@example.nl>\nX-Junk: " + b"a" * 600_000 + b"\nTo: x@y.nl\n\nbody\n"
    import_path(conn, write(tmp_path / "m.mbox", crlf + mbox(huge, message(3))))
    assert [r[1] for r in rows(conn)] == ["<m1@example.nl>", "<m2@example.nl>", "<m3@example.nl>"]
    assert rows(conn)[0][2] == "Hallo 1"


def test_a_broken_charset_in_an_encoded_word_stays_raw_text(conn, tmp_path: Path) -> None:
    raw = (b"From: =?utf-8?q?Zo=C3=AB?= <zoe@example.nl>\nTo: a@b.nl\n"
           b"Subject: =?x-unknown-charset?q?broken?= words\nMessage-ID: <z@x>\n\nbody\n")
    result = import_path(conn, write(tmp_path / "z.eml", raw))
    assert (result.total, result.skipped) == (1, 0)
    subject, name = conn.execute("SELECT subject, from_name FROM messages").fetchone()
    assert name == "Zoë"
    assert subject == "=?x-unknown-charset?q?broken?= words"


# SPEC §1: a broken encoded word (here invalid base64) is kept as raw text.
def test_broken_base64_in_an_encoded_word_stays_raw_text(conn, tmp_path: Path) -> None:
    raw = (b"From: a@b.nl\nTo: c@d.nl\nSubject: =?utf-8?b?not base64!?= tail\n"
           b"Message-ID: <z@x>\n\nbody\n")
    result = import_path(conn, write(tmp_path / "z.eml", raw))
    assert (result.total, result.skipped) == (1, 0)
    subject = conn.execute("SELECT subject FROM messages").fetchone()[0]
    assert subject == "=?utf-8?b?not base64!?= tail"


def test_progress_reports_bytes_and_ends_at_the_total(conn, tmp_path: Path) -> None:
    path = write(tmp_path / "m.mbox", mbox(*(message(n) for n in range(25))))
    seen: list[tuple[int, int]] = []
    import_path(conn, path, progress=lambda done, total: seen.append((done, total)),
                batch_size=10)
    size = path.stat().st_size
    assert len(seen) == 3 and seen[-1] == (size, size)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_an_interrupted_import_keeps_whole_batches_only(conn, tmp_path, monkeypatch) -> None:
    path = write(tmp_path / "m.mbox", mbox(*(message(n) for n in range(25))))
    from netguard.mail import importer

    real_parse = importer.headers.parse_values
    calls = {"n": 0}

    def parse_then_interrupt(raw: bytes, fallback: Callable[[], datetime]):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 15:
            raise KeyboardInterrupt
        return real_parse(raw, fallback)

    monkeypatch.setattr(importer.headers, "row_adder", lambda: None)  # every block parsed here
    monkeypatch.setattr(importer.headers, "parse_values", parse_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        import_path(conn, path, batch_size=10)
    assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 10
    monkeypatch.setattr(importer.headers, "parse_values", real_parse)
    assert import_path(conn, path).total == 25


def test_a_parser_crash_skips_the_message_and_goes_on(conn, tmp_path, monkeypatch) -> None:
    from netguard.mail import importer

    real_parse = importer.headers.parse_values

    def fragile(raw: bytes, fallback: Callable[[], datetime]):  # type: ignore[no-untyped-def]
        if b"<m1@" in raw:
            raise ValueError("a parser bug")
        return real_parse(raw, fallback)

    real_adder = importer.headers.row_adder()

    def fragile_adder(*args):  # type: ignore[no-untyped-def]
        if b"<m1@" in args[3]:
            raise ValueError("a bug in the compiled reader")
        return real_adder(*args)

    monkeypatch.setattr(importer.headers, "parse_values", fragile)
    if real_adder is not None:  # it fails too, then the parser: skipped, and the import goes on
        monkeypatch.setattr(importer.headers, "row_adder", lambda: fragile_adder)
    result = import_path(conn, write(tmp_path / "m.mbox", mbox(message(0), message(1),
                                                               message(2))))
    assert (result.total, result.skipped) == (2, 1)
    assert [r[0] for r in rows(conn)] == [1, 3]


def test_a_missing_path_is_a_usage_error_and_changes_nothing(conn, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        import_path(conn, tmp_path / "nope.mbox")
    assert conn.execute("SELECT count(*) FROM folders").fetchone()[0] == 0


def test_every_corpus_message_imports_without_stopping(conn, corpora: Path) -> None:
    files = source_files(corpora)
    assert len(files) > 100
    result = import_path(conn, corpora, Role.RECEIVED)
    readable = sum(1 for _ in read_messages(files))
    assert result.total + result.skipped == readable
    assert result.skipped <= 1  # cpython msg_19.txt is a body without any header
    times = conn.execute("SELECT min(time), max(time) FROM messages").fetchone()
    assert times[0] > 0 and times[1] < datetime(2100, 1, 1, tzinfo=UTC).timestamp()


def test_torture_mbox_alone(conn, corpora: Path) -> None:
    result = import_path(conn, corpora / "flanker" / "torture.eml")
    assert (result.total, result.skipped) == (1, 0)
    assert rows(conn)[0][4] == "date"


def test_cli_import_prints_one_summary_line(home: Path, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    path = write(tmp_path / "sent.mbox", mbox(message(1), message(2)))
    assert main(["import", str(path)]) == 0
    assert main(["import", str(path), "--received"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [
        f"Imported 2 new messages from {path} as sent mail (2 from there in the store, "
        "0 unreadable skipped).",
        f"Imported 0 new messages from {path} as received mail (2 from there in the store, "
        "0 unreadable skipped).",
    ]


def test_cli_import_speaks_dutch(home: Path, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("LC_ALL", "nl_NL.UTF-8")
    assert main(["import", str(write(tmp_path / "m.mbox", mbox(message(1))))]) == 0
    assert capsys.readouterr().out.startswith("1 nieuwe berichten geïmporteerd uit ")


def test_cli_import_of_a_missing_path_exits_2_with_one_line(home: Path, capsys) -> None:
    assert main(["import", "/nonexistent/takeout.mbox"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "/nonexistent/takeout.mbox" in err[0]


def test_reimport_leaves_unchanged_messages_alone_and_replaces_changed_ones(
    conn, tmp_path: Path
) -> None:
    path = write(tmp_path / "sent.mbox", mbox(message(1), message(2), message(3)))
    import_path(conn, path)
    before = conn.execute("SELECT id, uid FROM messages ORDER BY uid").fetchall()
    import_path(conn, path)
    assert conn.execute("SELECT id, uid FROM messages ORDER BY uid").fetchall() == before
    write(path, mbox(message(1), message(3), message(2)))  # the file was rewritten
    result = import_path(conn, path)
    assert (result.imported, result.total) == (0, 3)
    assert [r[1] for r in rows(conn)] == ["<m1@example.nl>", "<m3@example.nl>", "<m2@example.nl>"]
    assert conn.execute("SELECT id FROM messages WHERE uid = 1").fetchone() == (before[0][0],)


def takeout_message(n: int, labels: str, sender: str = "sanne@gmail.com") -> bytes:
    return (f"X-GM-THRID: 17{n}\nX-Gmail-Labels: {labels}\nFrom: {sender}\nTo: a@b.nl\n"
            f"Subject: t{n}\nMessage-ID: <t{n}@mail.gmail.com>\nDate: Mon, 4 Mar 2024 10:00:00 "
            f"+0000\n\nbody\n").encode()


TAKEOUT = [("Sent,Important", "sanne@gmail.com"), ("Inbox,Opened", "frank@jansen.nl"),
           ('Archived,"Klanten, oud",Opened', "noor@woordwerk.nl"), ("Spam", "win@prize.biz"),
           ("Chat", "sanne@gmail.com"), ("Sent,Opened,\n Category Updates", "sanne@gmail.com"),
           ("Drafts", "sanne@gmail.com")]


def test_a_google_takeout_is_split_by_its_labels(conn, tmp_path: Path) -> None:
    path = write(tmp_path / "All mail Including Spam and Trash.mbox",
                 mbox(*(takeout_message(n, labels, who) for n, (labels, who)
                        in enumerate(TAKEOUT, start=1))))
    result = import_path(conn, path)
    assert (result.total, result.sent, result.received, result.left_out) == (4, 2, 2, 3)
    assert result.folders == (folder_name(path), folder_name(path, Role.RECEIVED))
    by_folder = conn.execute(
        "SELECT f.name, f.role, group_concat(m.uid) FROM messages m JOIN folders f"
        " ON f.id = m.folder_id GROUP BY f.name ORDER BY f.name").fetchall()
    assert by_folder == [(folder_name(path), "sent", "1,6"),
                         (folder_name(path, Role.RECEIVED), "received", "2,3")]
    assert import_path(conn, path).imported == 0


def test_role_flips_and_changed_sources_leave_no_stale_rows(conn, tmp_path: Path) -> None:
    path = write(tmp_path / "takeout.mbox", mbox(takeout_message(1, "Sent"),
                                                 takeout_message(2, "Inbox", "f@j.nl")))
    import_path(conn, path)
    result = import_path(conn, path, Role.RECEIVED)
    assert (result.imported, result.total, result.sent, result.received) == (0, 2, 1, 1)
    roles = conn.execute("SELECT f.role, count(*) FROM messages m JOIN folders f"
                         " ON f.id = m.folder_id GROUP BY f.role ORDER BY f.role").fetchall()
    assert roles == [("received", 1), ("sent", 1)]
    write(path, mbox(b"\x00garbage\n", takeout_message(2, "Inbox", "f@j.nl")))
    result = import_path(conn, path, Role.RECEIVED)
    assert (result.total, result.skipped) == (1, 1)
    assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 1


def test_cli_reports_the_takeout_split(home: Path, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    path = write(tmp_path / "t.mbox", mbox(*(takeout_message(n, labels, who) for n, (labels, who)
                                             in enumerate(TAKEOUT, start=1))))
    assert main(["import", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"Imported 4 new messages from {path} (4 from there in the store, 0 unreadable skipped).",
        "Sorted by their Google labels: 2 sent, 2 received; 3 spam, chat and draft messages "
        "left out."]


@pytest.mark.parametrize("magic", [b"PK\x03\x04", b"\x1f\x8b\x08", b"BZh91AY"])
def test_a_takeout_archive_is_refused_with_advice(conn, tmp_path: Path, magic: bytes) -> None:
    path = write(tmp_path / "takeout-20261120.zip", magic + b"\x00" * 100)
    with pytest.raises(UsageError, match="Unpack it first"):
        import_path(conn, path)
    assert conn.execute("SELECT count(*) FROM folders").fetchone()[0] == 0


def test_a_maildir_file_that_moves_during_the_import_is_passed_over(conn, tmp_path) -> None:
    root = tmp_path / "Maildir"
    for sub in ("cur", "new"):
        (root / sub).mkdir(parents=True)
    write(root / "new" / "1700000001.M1.host", message(1))
    write(root / "new" / "1700000002.M2.host", message(2))
    files = source_files(root)
    files[1].rename(root / "cur" / "1700000002.M2.host:2,S")  # a mail client read it
    headers = [r.header for r in read_messages(files)]
    assert len(headers) == 1 and b"<m1@example.nl>" in headers[0]
    assert import_path(conn, root).total == 2  # the next import finds it under its new name


def _contents(conn: sqlite3.Connection) -> tuple[list[tuple[object, ...]], ...]:
    return (conn.execute("SELECT id, uid, message_id, subject, time, from_addr FROM messages"
                         " ORDER BY id").fetchall(),
            conn.execute("SELECT message, address, name, kind FROM recipients"
                         " ORDER BY message, address").fetchall())


def test_a_large_first_import_goes_on_in_bulk_and_stores_the_same(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from netguard.mail import importer
    from netguard.store.db import missing_indexes, restore_indexes
    from netguard.store.migrations import INDEXES

    path = write(tmp_path / "sent.mbox", mbox(*(message(n) for n in range(65))))
    plain = open_store(tmp_path / "plain.sqlite3")
    import_path(plain, path, batch_size=10)  # far below BULK_MIN: row by row, indexes kept
    assert not missing_indexes(plain, INDEXES)
    monkeypatch.setattr(importer, "BULK_MIN", 20)
    bulk = open_store(tmp_path / "bulk.sqlite3")
    result = import_path(bulk, path, batch_size=10)
    assert (result.imported, result.total) == (65, 65)
    assert missing_indexes(bulk, INDEXES)  # set aside after the 20th message, built later
    assert _contents(bulk) == _contents(plain)
    restore_indexes(bulk)
    assert not missing_indexes(bulk, INDEXES)
    again = import_path(bulk, path, batch_size=10)  # imported before: row by row, as it began
    assert (again.imported, again.total) == (0, 65)
    assert not missing_indexes(bulk, INDEXES) and _contents(bulk) == _contents(plain)


def test_an_import_smaller_than_the_store_keeps_its_indexes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from netguard.mail import importer
    from netguard.store.db import missing_indexes, restore_indexes
    from netguard.store.migrations import INDEXES

    monkeypatch.setattr(importer, "BULK_MIN", 20)
    conn = open_store(tmp_path / "store.sqlite3")
    import_path(conn, write(tmp_path / "big.mbox", mbox(*(message(n) for n in range(70)))))
    restore_indexes(conn)
    small = write(tmp_path / "small.mbox", mbox(*(message(n + 100) for n in range(30))))
    assert import_path(conn, small, batch_size=10).imported == 30
    assert not missing_indexes(conn, INDEXES)  # 30 new messages beside 70: no bulk


def test_the_compiled_reader_imports_what_the_parser_imports(
        tmp_path: Path, corpora: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Realistic mail (bench/real_mail.py) and the malformed corpora, read by the compiled
    reader of whole header blocks and by the parser alone: the same rows."""
    import sys

    from netguard.mail import importer

    if importer.headers.row_adder() is None:
        pytest.skip("the compiled header reader is not built here")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    try:
        from real_mail import RealGenerator, write_mbox
    finally:
        sys.path.pop(0)
    gen = RealGenerator("me@example.test", seed=3)
    sent, received = tmp_path / "sent.mbox", tmp_path / "inbox.mbox"
    write_mbox(sent, (gen.message(n, sent=True) for n in range(400)), "me@example.test")
    write_mbox(received, (gen.message(n, sent=False) for n in range(400)), "me@example.test")
    found = {}
    for path in ("compiled", "parser"):
        if path == "parser":
            monkeypatch.setattr(importer.headers, "row_adder", lambda: None)
        conn = open_store(tmp_path / f"{path}.sqlite3")
        import_path(conn, sent, Role.SENT)
        import_path(conn, received, Role.RECEIVED)
        import_path(conn, corpora, Role.SENT)
        found[path] = (*_contents(conn), conn.execute(
            "SELECT time_source, automatic, is_list, n_recipients, bulk_signs, in_reply_to, refs,"
            " from_name FROM messages ORDER BY id").fetchall())
    assert found["compiled"] == found["parser"]
    assert len(found["parser"][1]) > 1000  # recipients: the realistic Sent goes to many

