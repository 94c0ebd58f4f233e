"""headers.parse: behaviour on good and hostile headers, and the fast path == the stdlib path.

Every test here runs twice: with the compiled fast path (``_headers_native``) and on pure
Python. CI builds the compiled one (``tools/dev``), so there it must be present; elsewhere,
without a compiler, only the pure-Python run is made.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netguard.mail import headers
from netguard.mail.headers import decode_text, parse, parse_stdlib, parse_values
from netguard.model import Address, BulkSign, MailHeaders, TimeSource

try:
    from netguard.mail import _headers_native as NATIVE
    headers._configure(NATIVE)
except ImportError:
    NATIVE = None  # type: ignore[assignment]  # no compiler where this runs: pure Python only

PATHS = ["pure", "native"] if NATIVE is not None or os.environ.get("CI") == "true" else ["pure"]


@pytest.fixture(autouse=True, params=PATHS)
def parser_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The test runs with the compiled fast path, or without it (the reference)."""
    if request.param == "native" and NATIVE is None:
        pytest.fail("the native header parser is not built: CI builds it with "
                    "tools/build_native.py --require (tools/dev)")
    monkeypatch.setattr(headers, "_native", NATIVE if request.param == "native" else None)
    headers._address_list.cache_clear()  # cached results of the other path
    yield request.param
    headers._address_list.cache_clear()


FALLBACK = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
MOON = datetime(1969, 7, 20, 20, 17, 40, 500_000, tzinfo=UTC)  # before the epoch, with a fraction


def block(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")


def test_a_plain_message() -> None:
    h = parse(block(
        "Message-ID: <abc@example.com>",
        "In-Reply-To: <parent@example.com>",
        "References: <root@example.com>\r\n <parent@example.com>",
        "Date: Tue, 01 Jul 2025 10:00:00 +0200",
        "From: Frank Jansen <Frank.Jansen@Example.COM>",
        'To: "De Vries, Anna" <anna@devries.nl>, bob@example.org',
        "Cc: Carla <carla@example.net>",
        "Subject: Re: =?utf-8?q?Offerte_website_=E2=82=AC?=",
    ), FALLBACK)
    assert h.message_id == "<abc@example.com>"
    assert h.in_reply_to == "<parent@example.com>"
    assert h.references == ("<root@example.com>", "<parent@example.com>")
    assert h.time == datetime(2025, 7, 1, 8, 0, tzinfo=UTC)
    assert h.time_source is TimeSource.DATE
    assert h.sender == Address("frank.jansen@example.com", "Frank Jansen")
    assert h.to == (Address("anna@devries.nl", "De Vries, Anna"), Address("bob@example.org"))
    assert h.cc == (Address("carla@example.net", "Carla"),)
    assert h.subject == "Re: Offerte website €"
    assert not h.automatic
    assert not h.is_list


def test_missing_or_broken_date_falls_back_to_internaldate() -> None:
    for date in ("", "Date: not a date", "Date: Tue, 31 Feb 2025 10:00:00 +0000",
                 "Date: Tue, 01 Jul 2025 25:00:00 +0000",
                 "Date: Fri, 31 Dec 9999 23:00:00 -1200"):  # past year 9999 in UTC
        h = parse(block("From: a@b.nl", date) if date else block("From: a@b.nl"), FALLBACK)
        assert (h.time, h.time_source) == (FALLBACK, TimeSource.INTERNALDATE), date


def test_named_zones_and_two_digit_years_use_the_stdlib() -> None:
    h = parse(block("Date: Mon, 2 Jun 25 10:00:00 GMT"), FALLBACK)
    assert h.time == datetime(2025, 6, 2, 10, 0, tzinfo=UTC)


def test_broken_encoded_words_stay_raw() -> None:
    assert decode_text("=?utf-8?q?caf=C3?= ok") == "=?utf-8?q?caf=C3?= ok"
    assert decode_text("=?no-such-charset?q?x?=") == "=?no-such-charset?q?x?="
    assert decode_text("=?utf-8?b?/w==?=") == "=?utf-8?b?/w==?="


def test_raw_eight_bit_text_inside_an_encoded_word_is_left_to_the_stdlib() -> None:
    quoted = "=?utf-8?q?\u20ac?="
    assert decode_text(quoted) == str(make_header(decode_header(quoted)))
    assert decode_text("=?utf-8?b?\u20ac?=") == "=?utf-8?b?\u20ac?="  # the stdlib gives up: raw
    raw = "Subject: =?utf-8?q?caf\u00e9_\u20ac?= ok\r\nFrom: a@b.nl\r\n\r\n".encode()
    assert parse(raw, FALLBACK) == parse_stdlib(raw, FALLBACK)
    assert parse(raw, FALLBACK).subject.endswith(" ok")


def test_addresses_without_at_are_dropped_and_lower_cased() -> None:
    h = parse(block("To: undisclosed-recipients:;", "Cc: Jan <JAN@X.NL>, nobody"), FALLBACK)
    assert h.to == ()
    assert h.cc == (Address("jan@x.nl", "Jan"),)


def test_automatic_and_list() -> None:
    assert parse(block("Auto-Submitted: auto-replied"), FALLBACK).automatic
    assert not parse(block("Auto-Submitted: no"), FALLBACK).automatic
    assert parse(block("X-Autoreply: yes"), FALLBACK).automatic
    assert parse(block("Precedence: bulk"), FALLBACK).automatic
    assert parse(block("From: MAILER-DAEMON@x.nl"), FALLBACK).automatic
    assert parse(block("Content-Type: multipart/report; report-type=delivery-status"),
                 FALLBACK).automatic
    assert parse(block("Subject: Afwezig: tot maandag"), FALLBACK).automatic
    assert parse(block("List-Id: <news.example.org>"), FALLBACK).is_list


@pytest.mark.parametrize(("lines", "signs"), [
    (("List-Unsubscribe: <https://news.example.com/u/1>, <mailto:u@news.example.com>",),
     BulkSign.LIST_UNSUBSCRIBE),
    (("Feedback-ID: 123:campaign:mailer",), BulkSign.FEEDBACK_ID),
    (("Precedence: bulk",), BulkSign.PRECEDENCE),
    (("Precedence:  List ",), BulkSign.PRECEDENCE),
    (("Precedence: junk",), BulkSign.PRECEDENCE),
    (("Precedence: auto_reply",), 0),  # automatic, but one person's auto-reply: not bulk
    (("Precedence: first-class",), 0),
    (("list-unsubscribe: <mailto:u@x.nl>", "FEEDBACK-ID: a:b"),
     BulkSign.LIST_UNSUBSCRIBE | BulkSign.FEEDBACK_ID),
    (("List-Unsubscribe:\r\n <https://x.nl/u>",), BulkSign.LIST_UNSUBSCRIBE),
    (("Subject: Newsletter", "X-Mailer: x"), 0),
])
def test_bulk_signs_on_both_paths(lines: tuple[str, ...], signs: int) -> None:
    raw = block("From: Nieuwsbrief <nieuws@example.com>", "Date: 1 Jul 2025 10:00:00 +0200",
                *lines)
    assert parse(raw, FALLBACK).bulk_signs == signs
    assert parse_stdlib(raw, FALLBACK).bulk_signs == signs
    assert parse_values(raw, lambda: FALLBACK)[-1] == signs


def test_bulk_sign_fields_are_fetched() -> None:
    assert {"List-Unsubscribe", "Feedback-ID", "Precedence"} <= set(headers.FIELDS)


@pytest.mark.parametrize("subject", [
    "AUTOMATIC REPLY: Voorstel", "Out Of The Office", "Réponse automatique : absent",
    "RÉPONSE AUTOMATIQUE", "=?utf-8?q?R=C3=89PONSE_AUTOMATIQUE?=", "=?utf-8?b?QWZ3ZXppZw==?=",
])
def test_out_of_office_subjects_in_any_case_and_encoding(subject: str) -> None:
    raw = block(f"Subject: {subject}")
    assert parse(raw, FALLBACK).automatic
    assert parse_stdlib(raw, FALLBACK).automatic


def test_one_encoded_word_reads_as_the_standard_library_reads_it() -> None:
    for word in ("=?utf-8?q?Caf=C3=A9_morgen=3F?=", "=?UTF-8?Q?a=?=", "=?utf-8?q?=3D=3D41?=",
                 " =?iso-8859-1?q?Gr=FC=DFe?=  ", "=?utf-8?b?4oKsIDU=?=", "=?utf-8?q?=FF?="):
        raw = block(f"Subject: {word}")
        assert parse(raw, FALLBACK).subject == parse_stdlib(raw, FALLBACK).subject, word


def test_raw_8bit_headers_read_as_utf8_else_windows_1252() -> None:
    utf8 = parse("Subject: Réponse automatique\r\nFrom: Zoë Müller <zoe@x.nl>\r\n\r\n"
                 .encode(), FALLBACK)
    assert (utf8.subject, utf8.automatic) == ("Réponse automatique", True)
    assert utf8.sender == Address("zoe@x.nl", "Zoë Müller")
    legacy = parse("Subject: Café € 5\r\n\r\n".encode("cp1252"), FALLBACK)
    assert legacy.subject == "Café € 5"
    mixed = parse("Subject: =?utf-8?q?caf=C3=A9?= en Zoë\r\n\r\n".encode(), FALLBACK)
    assert mixed.subject == "café en Zoë"


def test_message_without_id_gets_a_stable_synthetic_one() -> None:
    raw = block("From: a@b.nl", "Subject: hi")
    assert parse(raw, FALLBACK).message_id == parse(raw, FALLBACK).message_id
    assert parse(raw, FALLBACK).message_id.endswith("@netguard.invalid>")


def test_eight_bit_and_folded_headers() -> None:
    raw = ("From: Jos\xe9 <jose@x.es>\r\nSubject: caf\xe9\r\n\r\n").encode("latin-1")
    assert parse(raw, FALLBACK) == parse_stdlib(raw, FALLBACK)
    folded = block("Subject: =?utf-8?q?a?=\r\n =?utf-8?q?b?= c", "To: A <a@x.nl>,\r\n\tB <b@x.nl>")
    assert parse(folded, FALLBACK) == parse_stdlib(folded, FALLBACK)
    assert parse(folded, FALLBACK).subject == "ab c"


def test_the_whole_corpus_agrees_with_the_stdlib(corpora: Path) -> None:
    for path in sorted(p for p in corpora.rglob("*") if p.is_file()):
        head = path.read_bytes().replace(b"\r\n", b"\n").split(b"\n\n", 1)[0] + b"\n\n"
        assert parse(head, FALLBACK) == parse_stdlib(head, FALLBACK), path


_words = st.sampled_from([
    "Anna", "de", "Vries", "O'Brien", "J.", "Jansen,", '"Jansen, F"', "=?utf-8?q?J=C3=B6rg?=",
    "=?iso-8859-1?q?Andr=E9?=", "=?utf-8?b?w6k=?=", "=?UTF-8?B?w6k?=", "(comment)", "x", "  ",
    "=?utf-8?q?broken=C3?=", "=?windows-1252?q?=80?=",
])
_addrs = st.sampled_from([
    "a@b.nl", "A.B@Example.COM", "x+y@z-q.org", "no-at", "a..b@c.d", "a@b", "<a@b.nl>",
    "iemand zonder", "J. Smith", "a.b",
    "a@b.nl.", "\"quoted local\"@x.nl",
])


@st.composite
def mailbox(draw: st.DrawFn) -> str:
    name = " ".join(draw(st.lists(_words, max_size=3)))
    addr = draw(_addrs)
    form = draw(st.sampled_from(["{n} <{a}>", "{a}", "<{a}>", '"{n}" <{a}>', "{n}<{a}>"]))
    return form.format(n=name, a=addr.strip("<>"))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(mailbox(), max_size=4),
    st.lists(st.one_of(_words, st.sampled_from(["Re:", "offer", "-", "=?utf-8?q?x?=y"])),
             max_size=5),
    st.sampled_from(["Tue, 01 Jul 2025 10:00:00 +0200", "1 Jul 2025 10:00 -0000",
                     "Tue,01 Jul 2025 10:00:00 +0530 (IST)", "01 Jul 1969 10:00:00 +0000",
                     "Mon, 30 Feb 2025 10:00:00 +0000", "garbage", "01 Jul 2025 10:00:00 +0099",
                     "Thu, 1 Jan 1970 00:30:00 +0100", "tue, 01 JUL 2025 10:00:00 -0130",
                     "Fri, 31 Dec 9999 23:00:00 -1200", "29 Feb 2024 23:59:59 +1400"]),
    st.sampled_from([", ", ",", ",\r\n ", "\r\n\t, "]),
    st.sampled_from([b"\r\n", b"\n"]),
)
def test_fast_path_equals_stdlib(boxes: list[str], subject: list[str], date: str,
                                 separator: str, line_end: bytes) -> None:
    raw = block(f"From: {boxes[0] if boxes else ''}", f"To: {separator.join(boxes)}",
                f"Subject: {' '.join(subject)}", f"Date: {date}").replace(b"\r\n", line_end)
    assert parse(raw, FALLBACK) == parse_stdlib(raw, FALLBACK)


@pytest.mark.parametrize("line_end", [b"\r\n", b"\n"], ids=["crlf", "lf"])
def test_plain_blocks_take_the_lean_path(line_end: bytes) -> None:
    raw = block("From: A <a@x.nl>", "To: B <b@x.nl>,\r\n C <c@x.nl>", "Subject: s",
                "Date: 1 Jul 2025 10:00:00 +0200").replace(b"\r\n", line_end)
    assert headers._fields(raw) == {"From": "A <a@x.nl>", "To": "B <b@x.nl>,\n C <c@x.nl>",
                                    "Subject": "s", "Date": "1 Jul 2025 10:00:00 +0200"}


_ODD_BLOCKS = [
    b"Message-Id: <a@b.nl>\r\nfrom: A <a@b.nl>\r\nTO: b@c.nl\r\ncc: C <c@d.nl>\r\n\r\n",
    b"From: a@b.nl\r\nFROM: c@d.nl\r\n\r\n",  # the same field twice, spelled otherwise
    b"From: a@b.nl\r\nMessage-ID: <x@y>\r\nMessage-ID: <z@y>\r\n\r\n",
    b"From: a@b.nl\r\nnot a field\r\nTo: b@c.nl\r\n\r\n",  # a line between the fields
    b"From: a@b.nl\r\n\x01To: b@c.nl\r\n\r\n",
    b" folded: first\r\nFrom: a@b.nl\r\n\r\n",
    b"From: a@b.nl\r\nTo: b@c.nl",  # no line end at all
    b"From: a@b.nl\r\nTo: b@c.nl\r\n",  # no blank line
    b"From: a@b.nl\r\n\r\nTo: b@c.nl\r\n",  # a body after the blank line
    b"From: a@b.nl\rTo: b@c.nl\r\n\r\n",
    b"Subject:\tx\r\n\ty\r\nFrom:a@b.nl\r\n\r\n",
    b"List-ID: <l.x.nl>\r\nX-AutoReply: yes\r\nPRECEDENCE: bulk\r\n\r\n",
    b"From: a@b.nl\r\nList-Unsubscribe: <mailto:u@b.nl>\r\nFeedback-ID: 1:2\r\n\r\n",
    b"From: a@b.nl\r\nList-Unsubscribe: <a>\r\nList-Unsubscribe: <b>\r\n\r\n",  # twice
    b"From: a@b.nl\r\nfeedback-id: x\r\nPrecedence: Bulk\r\nSubject: Out of office\r\n\r\n",
    b"From: a@b.nl\r\nPrecedence:\r\n bulk\r\nList-Unsubscribe:\r\n\r\n",
    b"Date: Thu, 1 Jan 1970 00:30:00 +0100\r\n\r\n",  # just before the epoch in UTC
    b"Date: 31 Dec 9999 23:59:59 +0000\r\n\r\n",
    b"Date: 31 Dec 9999 23:59:59 -0001\r\n\r\n",  # past year 9999 in UTC
    b"Date: 29 Feb 2023 10:00:00 +0000\r\n\r\n",
    b"Date: 00 Jan 2023 10:00:00 +0000\r\n\r\n",
    b"Date: 1 Jan 2023 10:00:60 +0000\r\n\r\n",
    b"Date: 1 Foo 2023 10:00:00 +0000\r\n\r\n",
    b"Date: 1 JAN 2023 10:00 +1259\r\n\r\nDate: x\r\n",
    b"From: MAILER-DAEMON@x.nl\r\nContent-Type: Multipart/Report\r\n\r\n",
    b"From: postmaster\r\n\r\n",
    b'To: "Wil\r\n son, Sanne" <s@x.nl>\r\n\r\n',  # a fold inside a quoted name
    b'To: A <a@x.nl>, "de B\r\n oer, Lucy" <l@x.nl>\r\n\r\n',
    b'To: "A, B" <a@x.nl>,\r\n "C, D" <c@x.nl>\r\n\r\n',  # a fold between quoted names
    b"Received: from a\r\n by b\r\nReceived: from c\r\nFrom: A <a@b.nl>\r\n"
    b"DKIM-Signature: v=1;\r\n b=xyz\r\nMessage-Id: <x@y>\r\n\r\n",  # as files hold mail
    b"Received: x\r\nReceived: y\r\nFrom: a@b.nl\r\nTo: b@c.nl\r\n\r\n",
    b"Bad Name: x\r\nFrom: a@b.nl\r\n\r\n",  # not a field name
    b"X-A:B: x\r\nFrom: a@b.nl\r\n\r\n",
    b"From: a@b.nl\r\nReceived: x\r\nfrom: c@d.nl\r\n\r\n",  # a field read, twice
    b"",
]


@pytest.mark.parametrize("line_end", [b"\r\n", b"\n"], ids=["crlf", "lf"])
@pytest.mark.parametrize("fallback", [FALLBACK, MOON], ids=["fallback", "fraction-before-1970"])
def test_odd_blocks_agree_with_the_stdlib(line_end: bytes, fallback: datetime) -> None:
    for raw in (odd.replace(b"\r\n", line_end) for odd in _ODD_BLOCKS):
        assert parse(raw, fallback) == parse_stdlib(raw, fallback), raw


@pytest.mark.parametrize("fold", ["", "\r\n "], ids=["plain", "folded"])
def test_whole_header_blocks_of_stored_mail_take_the_lean_path(fold: str) -> None:
    raw = block("Received: from mx.example.net by mail.example.test", "Received: from a by b",
                f"DKIM-Signature: v=1;{fold} b=xyz", "Message-Id: <x@y>", "From: A <a@b.nl>",
                "Date: Tue, 1 Jul 2025 10:00:00 +0200", "MIME-Version: 1.0")
    assert headers._fields(raw) == {"Message-ID": "<x@y>", "From": "A <a@b.nl>",
                                    "Date": "Tue, 1 Jul 2025 10:00:00 +0200"}
    assert parse(raw, FALLBACK) == parse_stdlib(raw, FALLBACK)


_REPEATED = [  # a field read twice (as in a few percent of real mail): the stdlib's reading
    ("To: undisclosed-recipients:;", "To: A <a@x.nl>,\r\n =?utf-8?q?J=C3=B6rg?= <j@x.nl>"),
    ("To: A <a@x.nl>", "TO: b@x.nl, \"Jansen, F\" <f@x.nl>"),
    ("To:", "To: b@x.nl"),
    ("Cc: C <c@x.nl>", "cc: d@x.nl"),
    ("From: x", "From: B <b@x.nl>"),
    ("From: A <a@x.nl>", "From: B <b@x.nl>"),
    ("Subject: =?utf-8?Q?R=C3=A9union?=", "Subject: =?utf-8?q?caf=C3?= kapot"),
    ("Date: Tue, 1 Jul 2025 10:00:00 +0200", "Date: Wed, 2 Jul 2025 10:00:00 +0200"),
    ("Message-ID: <a@x.nl>", "Message-Id: <b@x.nl>"),
    ("Precedence: bulk", "Precedence: junk"),
    ("Auto-Submitted: no", "Auto-Submitted: auto-replied"),
]


@pytest.mark.parametrize("line_end", [b"\r\n", b"\n"], ids=["crlf", "lf"])
@pytest.mark.parametrize(("first", "again"), _REPEATED)
def test_a_field_twice_takes_the_lean_path_and_reads_as_the_stdlib(first: str, again: str,
                                                                    line_end: bytes) -> None:
    raw = block("Message-ID: <m@x.nl>", "Date: Mon, 30 Jun 2025 09:00:00 +0000", first,
                "From: Me <me@x.nl>", "Subject: s", again).replace(b"\r\n", line_end)
    assert headers._fields(raw) is not None  # not left to the stdlib path
    assert parse(raw, FALLBACK) == parse_stdlib(raw, FALLBACK)
    assert parse_values(raw, lambda: FALLBACK) == parse_stdlib(raw, FALLBACK).values()


@pytest.mark.parametrize("folded", [
    "undisclosed-recipients:;", "Undisclosed recipients: ;", "undisclosed-recipients:; ,",
    'undisclosed-recipients:;, "Visser, Daan" <d@x.nl>,\n B <b@x.nl>',
    "g:;,b@x.nl", " g : ; , =?utf-8?q?J=C3=B6rg?= <j@x.nl>",
])
def test_an_empty_group_leading_the_list_takes_the_lean_path(folded: str) -> None:
    assert headers._lean_address_list(folded) == headers.addresses([folded])
    raw = block("From: Me <me@x.nl>", "To: " + folded.replace("\n", "\r\n"))
    assert parse(raw, FALLBACK) == parse_stdlib(raw, FALLBACK)


@pytest.mark.parametrize("folded", [
    "undisclosed-recipients:;;", "a.b:;", "g: a@x.nl;", "A <a@x.nl>, g:;", "g:;x@y.nl",
    '"g:;", a@x.nl', "g:\t;",
])
def test_other_groups_are_left_to_the_stdlib(folded: str) -> None:
    assert headers._lean_address_list(folded) is None
    raw = block("From: Me <me@x.nl>", "To: " + folded)
    assert parse(raw, FALLBACK) == parse_stdlib(raw, FALLBACK)


@pytest.mark.parametrize("folded", [
    "iemand zonder apenstaart", "Me <me@x.nl>, iemand zonder apenstaart",
    '"A, B" <a@x.nl>,\n iemand, c@d.nl', "J. Smith , d@e.nl", "=?utf-8?q?x?= y, a@b.nl", "x.y",
])
def test_words_without_an_address_take_the_lean_path(folded: str) -> None:
    """The stdlib reads plain words as an address without ``@``, which is dropped."""
    assert headers._lean_address_list(folded) == headers.addresses([folded])
    raw = block("From: Me <me@x.nl>", "To: A <a@x.nl>", "To: " + folded.replace("\n", "\r\n"))
    assert parse(raw, FALLBACK) == parse_stdlib(raw, FALLBACK)
    assert parse(raw, FALLBACK).to[0] == Address("a@x.nl", "A")


@pytest.mark.parametrize("folded", ["a b <c@d.nl> e", "iemand (x)", "a b@c.nl", "a; b"])
def test_words_beside_other_text_are_left_to_the_stdlib(folded: str) -> None:
    assert headers._lean_address_list(folded) is None
    raw = block("From: Me <me@x.nl>", "To: " + folded)
    assert parse(raw, FALLBACK) == parse_stdlib(raw, FALLBACK)


def test_mixed_line_ends_agree_with_the_stdlib() -> None:
    raw = b"From: A <a@x.nl>\nTo: B <b@x.nl>,\r\n C <c@x.nl>\r\nSubject: s\n\r\n"
    assert parse(raw, FALLBACK) == parse_stdlib(raw, FALLBACK)
    assert [a.addr for a in parse(raw, FALLBACK).to] == ["b@x.nl", "c@x.nl"]


def test_values_hold_the_same_headers() -> None:
    for raw in _ODD_BLOCKS:
        headers = parse_stdlib(raw, MOON)
        assert MailHeaders.of(headers.values()) == headers, raw
        assert parse_values(raw, lambda: MOON) == headers.values(), raw


@pytest.mark.parametrize("date", [
    "Tue, 01 Jul 2025 10:00 +0200", "Tue, 01 Jul 2025 10:00:00+0200", "1 Jul 2025 1:00:00 +0200",
    "Tue, 1 Jul 2025 10:00:00 +0200 (CEST)", "Tue,  1 Jul 2025  10:00:00   +0200  ",
    "Tue, 01 Jul 2025 10:00:60 +0000", "Tue, 01 Jul 2025 24:00:00 +0000", "10:00:00",
    "01 Jul 2025 | 10:00:00 +0200", "Tue, 01 Jul 2025 10:00:00 +0200 (a:b)", ":00:00 +0200",
    "Tue, 01 Jul 2025 10:00:00 +0260", "Tue, 01 Jul 2025 10:00:0 +0200", "x 10:00:00 +0200",
])
def test_dates_of_every_shape_agree_with_the_stdlib(date: str) -> None:
    raw = block(f"Date: {date}")
    assert parse(raw, FALLBACK) == parse_stdlib(raw, FALLBACK)


def test_one_day_in_several_zones() -> None:
    for zone in ("+0000", "+0200", "-0500", "+0200", "-0000", "+1400", "-1200"):
        raw = block(f"Date: Tue, 01 Jul 2025 10:00:00 {zone}")
        assert parse(raw, FALLBACK) == parse_stdlib(raw, FALLBACK), zone


_names = st.sampled_from(["From", "To", "Subject", "Date", "Message-ID", "message-id", "X-Other",
                          "Bad Name", "", "A:B", "List-Unsubscribe", "feedback-id"])
_line_ends = st.sampled_from(["\r\n", "\n", "\r"])


@st.composite
def header_text(draw: st.DrawFn) -> str:
    lines = [draw(_names) + draw(st.sampled_from([": ", ":", ":  ", " : "]))
             + draw(st.text(st.sampled_from("ab <>@:. ,\r\n"), max_size=12))
             for _ in range(draw(st.integers(0, 5)))]
    end = draw(_line_ends)
    return end.join(lines) + draw(st.sampled_from(["", end, end + end, "\r\n\r\n", end + "x"]))


@settings(max_examples=500, deadline=None)
@given(header_text())
def test_the_line_splitter_agrees_with_the_pattern_or_declines(text: str) -> None:
    ends = bytes(c for c in text.encode() if c in b"\r\n")
    for lines in (headers._plain_lines(text), headers._lines(text, ends)):
        by_lines = headers._fields_by_lines(lines) if lines is not None else None
        assert by_lines is None or by_lines == headers._fields_by_pattern(text)


_pieces = st.one_of(
    st.text(max_size=6),
    st.sampled_from(["=?utf-8?q?", "=?utf-8?b?", "=?x?q?", "?=", "=C3", "=", "_", "<", ">", "@",
                     '"', ",", "(", ")", "\\", ":", " ", "\t", "\r\n", "\n", "\r", "\r\n ",
                     "Date: ", "From: ", "To: ", "Subject: ", "Message-ID: ", "References: ",
                     "Received: ", "message-id: ", "X-A: ", "List-Unsubscribe: ",
                     "Feedback-ID: ", "Precedence: ", "bulk", "list",
                     "1 Jul 2025 10:00:00 +0200", "a@b.nl", "Anna <a@b.nl>"]),
)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_pieces, max_size=30), st.sampled_from(["utf-8", "latin-1"]))
def test_any_header_block_parses_without_error_as_the_stdlib_does(
        pieces: list[str], charset: str) -> None:
    raw = "".join(pieces).encode(charset, "replace") + b"\r\n\r\n"
    assert parse(raw, FALLBACK) == parse_stdlib(raw, FALLBACK)
