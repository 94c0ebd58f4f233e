"""Header batches into store rows, inline and in a real parser process (spawned here); with the
compiled reader of whole header blocks (``headers.row_adder``) where it is built, and without."""

from __future__ import annotations

import concurrent.futures
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from netguard.mail import batch_parser, headers
from netguard.mail.batch_parser import InlineParser, ProcessParser, parse_batch
from netguard.mail.fetch import RawMessage
from netguard.mail.headers import parse
from netguard.model import BulkSign
from netguard.store.messages import CC, TO

WHEN = b"01-Jul-2025 10:00:00 +0200"
PATHS = ["compiled", "pure"] if headers.row_adder() is not None else ["pure"]


@pytest.fixture(autouse=True, params=PATHS)
def rows_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The test runs with the compiled reader of whole blocks, and with parse_values alone."""
    if request.param == "pure":
        monkeypatch.setattr(batch_parser, "row_adder", lambda: None)
    return str(request.param)


def header(n: int, to: str = "Anna <anna@example.nl>, bob@example.org") -> bytes:
    return (f"Message-ID: <m{n}@example.nl>\r\nDate: Tue, 1 Jul 2025 10:{n % 60:02d}:00 +0200\r\n"
            f"From: Me <me@example.nl>\r\nTo: {to}\r\nCc: Carla <carla@example.nl>\r\n"
            f"Subject: =?utf-8?q?Caf=C3=A9_{n}?=\r\n\r\n").encode()


def batch(start: int, size: int = 5) -> list[RawMessage]:
    return [(uid, WHEN, header(uid)) for uid in range(start, start + size)]


def test_rows_carry_the_parsed_headers_and_recipients_only_when_kept() -> None:
    raw = batch(1, 2)
    kept, counted = parse_batch(raw, True), parse_batch(raw, False)
    first = parse(raw[0][2], datetime(2025, 7, 1, tzinfo=UTC))
    assert kept.rows.messages[0] == (
        0, 1, "<m1@example.nl>", "", "", int(first.time.timestamp()), "date",
        "me@example.nl", "Me", "Café 1", 0, 0, 3, 0)
    assert kept.rows.recipients[:3] == [
        (0, "anna@example.nl", "Anna", TO), (0, "bob@example.org", "", TO),
        (0, "carla@example.nl", "Carla", CC)]
    assert [row[0] for row in kept.rows.recipients] == [0, 0, 0, 1, 1, 1]
    assert counted.rows.messages == kept.rows.messages
    assert counted.rows.recipients == []


def test_rows_carry_the_bulk_signs() -> None:
    newsletter = header(1).replace(b"\r\n\r\n", b"\r\nList-Unsubscribe: <mailto:u@x.nl>\r\n"
                                   b"Feedback-ID: 1:news:esp\r\nPrecedence: bulk\r\n\r\n")
    rows = parse_batch([(1, WHEN, newsletter), (2, WHEN, header(2))], False).rows.messages
    assert [row[-1] for row in rows] == [
        BulkSign.LIST_UNSUBSCRIBE | BulkSign.FEEDBACK_ID | BulkSign.PRECEDENCE, 0]


def _fails_on_m2(function: Callable[..., object], block: int, why: str) -> Callable[..., object]:
    """``function``, raising ``RecursionError(why)`` for message 2's header block (its argument
    ``block``)."""
    def fragile(*args: Any) -> object:
        if b"<m2@" in args[block]:
            raise RecursionError(why)
        return function(*args)
    return fragile


def test_a_message_that_cannot_be_parsed_is_skipped_with_the_reason(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch_parser, "parse_values", _fails_on_m2(
        batch_parser.parse_values, 0, "a header nested beyond reason"))
    monkeypatch.setattr(batch_parser, "row_adder", lambda: None)  # parse_values, every block
    parsed = parse_batch(batch(1, 3), True)
    assert [row[1] for row in parsed.rows.messages] == [1, 3]
    assert [row[0] for row in parsed.rows.messages] == [0, 1]  # indexes stay dense
    assert [uid for uid, _ in parsed.skipped] == [2]
    assert "RecursionError: a header nested beyond reason" in parsed.skipped[0][1]


def test_a_block_the_compiled_reader_fails_on_is_read_by_the_parser(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """As an import does: only a block neither reader can read is skipped."""
    real = headers.row_adder()
    if real is None:
        pytest.skip("no compiled reader here: parse_values reads every block")
    monkeypatch.setattr(batch_parser, "row_adder", lambda: None)
    by_python = parse_batch(batch(1, 3), True).rows
    fragile = _fails_on_m2(real, 3, "a bug in the compiled reader")
    monkeypatch.setattr(batch_parser, "row_adder", lambda: fragile)
    parsed = parse_batch(batch(1, 3), True)
    assert parsed.skipped == []
    assert parsed.rows.messages == by_python.messages
    assert parsed.rows.recipients == by_python.recipients
    monkeypatch.setattr(batch_parser, "parse_values", _fails_on_m2(
        batch_parser.parse_values, 0, "a header nested beyond reason"))
    parsed = parse_batch(batch(1, 3), True)
    assert [row[1] for row in parsed.rows.messages] == [1, 3]
    assert [uid for uid, _ in parsed.skipped] == [2]


def test_the_parser_process_gives_what_inline_parsing_gives_in_order() -> None:
    batches = [batch(start, 40) for start in range(1, 400, 40)]
    inline = InlineParser()
    expected = [inline.collect(inline.submit(raw, True)) for raw in batches]
    parser = ProcessParser()
    try:
        jobs = [parser.submit(raw, True) for raw in batches]
        assert [parser.collect(job) for job in jobs] == expected
        assert parser.handed >= 1, "the process took no batch"
    finally:
        parser.close()


def test_a_parser_process_that_dies_costs_no_batch(caplog: pytest.LogCaptureFixture) -> None:
    parser = ProcessParser()
    try:
        assert parser.collect(parser.submit(batch(1), True)) == parse_batch(batch(1), True)
        for child in multiprocessing.active_children():
            child.kill()
            child.join()
        with caplog.at_level(logging.WARNING, logger="netguard.mail.batch_parser"):
            later = [parser.submit(batch(start), False) for start in (10, 20, 30)]
            assert [parser.collect(job) for job in later] == [
                parse_batch(batch(start), False) for start in (10, 20, 30)]
        assert "parser process stopped" in caplog.text
    finally:
        parser.close()


def test_a_parser_process_that_cannot_start_costs_no_batch(
        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    class Unstartable(ProcessPoolExecutor):
        def submit(self, *args: object, **kwargs: object) -> Future[object]:
            raise RuntimeError("An attempt has been made to start a new process before ...")

    # Taken from concurrent.futures when a ProcessParser starts (not at import: issue 18).
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Unstartable)
    with caplog.at_level(logging.WARNING, logger="netguard.mail.batch_parser"):
        parser = ProcessParser()
    jobs = [parser.submit(batch(start), True) for start in (1, 10)]
    assert [parser.collect(job) for job in jobs] == [parse_batch(batch(s), True) for s in (1, 10)]
    assert parser.handed == 0
    assert "did not start" in caplog.text
    parser.close()


def test_rows_of_the_batch_parser_are_what_the_store_takes(tmp_path: Path) -> None:
    from netguard.model import Role
    from netguard.store import messages, open_store

    conn = open_store(tmp_path / "s.sqlite3")
    folder = messages.ensure_folder(conn, "Sent", Role.SENT)
    messages.add_rows(conn, folder, parse_batch(batch(1), True).rows, 5)
    messages.add_rows(conn, folder, parse_batch(batch(6), True).rows, 10)
    rows = conn.execute("SELECT m.uid, r.address FROM recipients r JOIN messages m"
                        " ON m.id = r.message WHERE r.kind = 'cc' ORDER BY m.uid").fetchall()
    assert rows == [(uid, "carla@example.nl") for uid in range(1, 11)]


def test_the_sync_uses_a_parser_process_only_for_the_pure_python_parser() -> None:
    from netguard.mail import sync

    assert sync.parses_in_process() is (headers.row_adder() is None)
