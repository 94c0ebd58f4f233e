"""The raw FETCH reader and folder choice, on byte strings and plain records (no sockets).

The reader's tests run with the compiled scanner of buffered answers (where it is built) and
without it; a property test compares the two on answers of every shape, cut at any buffer size.
"""

from __future__ import annotations

import imaplib
import io
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netguard.mail import fetch
from netguard.mail.connection import AnswerTooLarge, UnreadableAnswer
from netguard.mail.fetch import (
    internaldate,
    read_fetch,
    search_present,
    search_uids_above,
    send_fetch,
    uid_set,
    unanswered_only,
)
from netguard.mail.folders import Folder, _by_name, find_drafts, find_received, well_known
from netguard.settings import Account

SCANNING = ["scanner", "lines"] if fetch._SCAN is not None else ["lines"]


@pytest.fixture(autouse=True, params=SCANNING)
def reading(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """With the compiled scanner of buffered answers, and line by line alone."""
    if request.param == "lines":
        monkeypatch.setattr(fetch, "_SCAN", None)
    return str(request.param)


class FakeIMAP:
    """Just what send_fetch/read_fetch use of imaplib.IMAP4: a tag, send(), a byte stream."""

    def __init__(self, server_bytes: bytes, buffer: int = io.DEFAULT_BUFFER_SIZE) -> None:
        self.file = io.BufferedReader(io.BytesIO(server_bytes), buffer)  # type: ignore[arg-type]
        self.sent = b""
        self.tagged_commands: dict[bytes, object] = {}

    def _new_tag(self) -> bytes:
        self.tagged_commands[b"A1"] = None
        return b"A1"

    def send(self, data: bytes) -> None:
        self.sent += data


def read(server_bytes: bytes, buffer: int = io.DEFAULT_BUFFER_SIZE
         ) -> list[tuple[int, bytes, bytes]]:
    imap = FakeIMAP(server_bytes, buffer)
    tag = send_fetch(imap, [1, 2, 3, 7])  # type: ignore[arg-type]
    assert imap.sent.startswith(b"A1 UID FETCH 1:3,7 (UID INTERNALDATE BODY.PEEK[HEADER.FIELDS (")
    return read_fetch(imap, tag)  # type: ignore[arg-type]


def test_uid_set_is_compact_and_exact() -> None:
    assert uid_set([5]) == b"5"
    assert uid_set([1, 2, 3, 7, 9, 10]) == b"1:3,7,9:10"


def test_literals_quoted_nil_and_unsolicited_responses() -> None:
    answer = (
        b'* 1 FETCH (UID 1 INTERNALDATE "01-Jul-2025 10:00:00 +0200" '
        b"BODY[HEADER.FIELDS (FROM)] {14}\r\nFrom: a@b.nl\r\n)\r\n"
        b'* 2 FETCH (INTERNALDATE " 2-Jul-2025 10:00:00 +0000" BODY[HEADER.FIELDS (FROM)] {2}\r\n'
        b"\r\n UID 2)\r\n"
        b'* 3 FETCH (UID 3 INTERNALDATE "03-Jul-2025 10:00:00 +0000" '
        b'BODY[HEADER.FIELDS (FROM)] "")\r\n'
        b"* 4 FETCH (FLAGS (\\Seen))\r\n"
        b"* 9 EXISTS\r\n"
        b"A1 OK Fetch completed.\r\n"
    )
    assert read(answer) == [
        (1, b"01-Jul-2025 10:00:00 +0200", b"From: a@b.nl\r\n"),
        (2, b" 2-Jul-2025 10:00:00 +0000", b"\r\n"),
        (3, b"03-Jul-2025 10:00:00 +0000", b""),
    ]


def test_the_usual_answer_with_more_items_after_the_header_block() -> None:
    header = b"From: a@b.nl\r\nSubject: UID 77\r\n"  # mail text that looks like protocol
    answer = (
        b'* 1 FETCH (UID 5 INTERNALDATE "01-Jul-2025 10:00:00 +0200" '
        b"BODY[HEADER.FIELDS (FROM SUBJECT)] {%d}\r\n%s FLAGS (\\Seen))\r\n"
        b'* 2 FETCH (UID 6 INTERNALDATE "02-Jul-2025 10:00:00 +0200" '
        b"BODY[HEADER.FIELDS (FROM SUBJECT)] {%d}\r\n%s"
        b" BODY[HEADER.FIELDS (TO)] {4}\r\nTo: \r\n)\r\n"
        b"A1 OK Fetch completed.\r\n"
    ) % (len(header), header, len(header), header)
    assert read(answer) == [(5, b"01-Jul-2025 10:00:00 +0200", header),
                            (6, b"02-Jul-2025 10:00:00 +0200", b"To: ")]


def test_no_answer_and_cut_connection() -> None:
    with pytest.raises(imaplib.IMAP4.error, match="NO"):
        read(b"A1 NO [SERVERBUG] oops\r\n")
    with pytest.raises(imaplib.IMAP4.abort):
        read(b"* 1 FETCH (UID 1 BODY[HEADER.FIELDS (FROM)] {50}\r\nFrom: a")
    with pytest.raises(imaplib.IMAP4.abort):
        read(b'* 1 FETCH (UID 1 INTERNALDATE "" BODY[HEADER.FIELDS (FROM)] {50}\r\nFrom: a')
    with pytest.raises(imaplib.IMAP4.abort):
        read(b'* 1 FETCH (UID 1 INTERNALDATE "" BODY[HEADER.FIELDS (FROM)] {2}\r\n\r\n')
    with pytest.raises(imaplib.IMAP4.abort):
        read(b"* 1 FETCH (UID 1 BODY[")
    with pytest.raises(imaplib.IMAP4.abort):
        read(b"* BYE shutting down\r\n")


def test_only_uids_asked_for_and_not_answered_yet_are_kept_each_once() -> None:
    unanswered = {3, 5, 6, 7}
    usual = [(3, b"", b"a"), (5, b"", b"b")]
    assert unanswered_only(usual, unanswered) is usual
    assert unanswered == {6, 7}
    hostile = [(9, b"", b"x"), (3, b"", b"again"), (6, b"", b"c"), (6, b"", b"twice")]
    assert unanswered_only(hostile, unanswered) == [(6, b"", b"c")]
    assert unanswered == {7}


def test_internaldate() -> None:
    assert internaldate(b"17-Jul-1996 02:44:25 -0700") == datetime(1996, 7, 17, 9, 44, 25,
                                                                   tzinfo=UTC)
    assert internaldate(b" 1-Jan-2025 00:30:00 +0100") == datetime(2024, 12, 31, 23, 30,
                                                                   tzinfo=UTC)
    assert internaldate(b"garbage") == datetime.fromtimestamp(0, UTC)


def folders(*names: str, flags: dict[str, str] | None = None) -> list[Folder]:
    flags = flags or {}
    return [Folder(name, frozenset(filter(None, [flags.get(name, "")])), "/") for name in names]


def test_well_known_names_cover_the_usual_suspects() -> None:
    sent = well_known("sent")
    for name in ("sent items", "verzonden items", "verzonden berichten", "gesendet",
                 "éléments envoyés", "[gmail]/sent mail"):
        assert name in sent
    assert "concepten" in well_known("drafts")


def test_names_match_whole_or_last_component_case_insensitively() -> None:
    found = _by_name(folders("INBOX", "INBOX/verzonden ITEMS", "Projects", "Sent"),
                     well_known("sent"))
    assert found == ["Sent", "INBOX/verzonden ITEMS"]


def test_reply_folders_are_inbox_archive_and_all() -> None:
    listed = folders("INBOX", "Archive", "[Gmail]/All Mail", "Sent", "Misc",
                     flags={"Archive": "\\archive", "[Gmail]/All Mail": "\\all",
                            "Sent": "\\sent"})
    assert find_received(Account(), listed) == ("INBOX", "Archive", "[Gmail]/All Mail")
    assert find_received(Account(reply_folders=["Misc"]), listed) == ("Misc",)


def test_drafts_by_flag_then_name() -> None:
    assert find_drafts(Account(), folders("Concepten", "X", flags={"X": "\\drafts"})) == "X"
    assert find_drafts(Account(), folders("INBOX", "Concepten")) == "Concepten"
    assert find_drafts(Account(), folders("INBOX")) is None


def test_esearch_sequence_sets_are_expanded_and_clipped() -> None:
    from netguard.mail.fetch import _ESEARCH_ALL, expand

    row = b'(TAG "A5") UID ALL 1:3,7,9:11,4294967290:4294967295'
    assert expand(_ESEARCH_ALL.search(row), 2, 10) == [2, 3, 7, 9, 10]
    assert expand(_ESEARCH_ALL.search(b'(TAG "A5") UID'), 1, 10) == []


def test_a_huge_header_block_is_refused_before_it_is_read() -> None:
    announced = b'* 1 FETCH (UID 1 INTERNALDATE "" BODY[HEADER.FIELDS (FROM)] {%d}\r\n'
    with pytest.raises(AnswerTooLarge, match="2000000000-byte header block"):
        read(announced % 2_000_000_000 + b"x" * 10)


def test_an_answer_over_the_total_cap_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "MAX_ANSWER", 300)
    header = b"From: a@b.nl\r\n" * 5
    one = b'* %d FETCH (UID %d INTERNALDATE "" BODY[HEADER.FIELDS (FROM)] {%d}\r\n%s)\r\n'
    endless = b"".join(one % (n, n, len(header), header) for n in range(1, 10))
    with pytest.raises(AnswerTooLarge, match="over 300 bytes"):
        read(endless + b"A1 OK done\r\n")


class SearchIMAP:
    """Just ``uid()`` and ``untagged_responses``, with one canned answer."""

    def __init__(self, data: list[bytes], esearch: bytes = b"") -> None:
        self.data = data
        self.untagged_responses = {"ESEARCH": [esearch]} if esearch else {}

    def uid(self, command: str, *args: str) -> tuple[str, list[bytes]]:
        return "OK", self.data


@pytest.mark.parametrize("answer", [b"1 2 x3", b"4 5 -", b"\xff"])
def test_garbage_in_a_search_answer_is_unreadable(answer: bytes) -> None:
    with pytest.raises(UnreadableAnswer, match="not a list of UIDs"):
        search_uids_above(SearchIMAP([answer]), 0, 10)  # type: ignore[arg-type]


def test_garbage_in_an_esearch_answer_is_unreadable() -> None:
    imap = SearchIMAP([], esearch=b'(TAG "A1") UID ALL 1::3')
    with pytest.raises(UnreadableAnswer, match="not a set of UIDs"):
        search_uids_above(imap, 0, 10, esearch=True)  # type: ignore[arg-type]


def test_search_present_keeps_only_uids_asked_for() -> None:
    assert search_present(SearchIMAP([b"2 5 9"]), [2, 3, 9]) == [2, 9]  # type: ignore[arg-type]


_HEADER = b"From: a@b.nl\r\nSubject: * 9 FETCH (UID 9)\r\n"
_pieces = st.sampled_from([
    b'* 1 FETCH (UID 11 INTERNALDATE "01-Jul-2025 10:00:00 +0200" '
    b"BODY[HEADER.FIELDS (FROM SUBJECT)] {%d}\r\n%s)\r\n" % (len(_HEADER), _HEADER),
    b'* 2 FETCH (UID 12 INTERNALDATE "x" BODY[HEADER.FIELDS (FROM)] {0}\r\n)\r\n',
    b'* 3 FETCH (UID 13 INTERNALDATE "" BODY[HEADER.FIELDS (FROM)] {2}\r\n\r\n FLAGS ())\r\n',
    b'* 4 FETCH (UID 0123456789012345678901 INTERNALDATE "" BODY[HEADER.FIELDS ()] {1}\r\nx)\r\n',
    b'* 5 FETCH (UID 15 INTERNALDATE "a\rb" BODY[HEADER.FIELDS (X)] {1}\r\ny)\r\n',
    b'* 6 FETCH (INTERNALDATE "" UID 16 BODY[HEADER.FIELDS (X)] {1}\r\nz)\r\n',
    b'* 7 FETCH (UID 17 INTERNALDATE "" BODY[HEADER.FIELDS (X)] "q")\r\n',
    b"* 8 FETCH (FLAGS (\\Seen))\r\n", b"* 9 EXISTS\r\n",
    b'* 10 FETCH (UID 20 INTERNALDATE "" BODY[HEADER.FIELDS (X)] {3}\r\n)\r\n)\r\n',
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_pieces, max_size=12), st.sampled_from([1, 7, 64, 300, 8192]),
       st.sampled_from([b"A1 OK done\r\n", b"", b"* 11 FETCH (UID 1"]))
def test_the_scanner_reads_what_the_line_reader_reads(pieces: list[bytes], buffer: int,
                                                       end: bytes) -> None:
    answer = b"".join(pieces) + end

    def outcome() -> object:
        try:
            return read(answer, buffer)
        except (imaplib.IMAP4.error, AnswerTooLarge) as error:
            return type(error)

    scanned = outcome()
    saved, fetch._SCAN = fetch._SCAN, None
    try:
        assert scanned == outcome()
    finally:
        fetch._SCAN = saved


_ONE = (b'* %d FETCH (UID %d INTERNALDATE "" BODY[HEADER.FIELDS (FROM)] {14}\r\n'
        b"From: a@b.nl\r\n)\r\n")


@pytest.mark.parametrize("spare", [-1, 0, 1])
def test_the_total_cap_counts_every_byte_read(monkeypatch: pytest.MonkeyPatch,
                                              spare: int) -> None:
    answers = _ONE % (1, 1) + _ONE % (2, 2)
    monkeypatch.setattr(fetch, "MAX_ANSWER", len(answers) + spare)
    if spare < 0:
        with pytest.raises(AnswerTooLarge):
            read(answers + b"A1 OK done\r\n")
    else:
        assert [uid for uid, _, _ in read(answers + b"A1 OK done\r\n")] == [1, 2]
