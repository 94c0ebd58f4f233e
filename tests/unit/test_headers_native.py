"""The compiled fast path of headers.py: used when built, and equal to the pure-Python steps it
replaces on every input it accepts (it declines the rest with None), hostile input included.

``test_headers.py`` runs the whole parser both ways against the stdlib; here the two compiled
functions are compared with their Python twins directly.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netguard.mail import headers
from netguard.model import Address, epoch_seconds
from netguard.store.messages import Rows

try:
    from netguard.mail import _headers_native as NATIVE
    headers._configure(NATIVE)
except ImportError:
    NATIVE = None  # type: ignore[assignment]

PURE = os.environ.get("NETGUARD_PURE_HEADERS") == "1"
ROOT = Path(__file__).resolve().parents[2]
needs_native = pytest.mark.skipif(NATIVE is None and os.environ.get("CI") != "true",
                                  reason="the native header parser is not built here (no cc)")


def test_ci_builds_the_native_parser() -> None:
    if os.environ.get("CI") == "true":
        assert NATIVE is not None, "tools/dev builds it with tools/build_native.py --require"


@needs_native
def test_the_native_parser_is_used_when_present(monkeypatch: pytest.MonkeyPatch) -> None:
    if PURE:
        assert headers._native is None
        return
    assert headers._native is NATIVE

    def refuse(raw: bytes) -> None:
        raise AssertionError("the pure-Python splitter ran for a plain block")

    monkeypatch.setattr(headers, "_lean_fields", refuse)
    monkeypatch.setattr(headers, "_lean_address_list", refuse)
    headers._address_list.cache_clear()
    raw = (b"From: =?utf-8?q?J=C3=B6rg?= <J@X.NL>\r\nTo: A <a@x.nl>,\r\n\t\"B, C\" <b@x.nl>\r\n"
           b"Subject: s\r\nDate: 1 Jul 2025 10:00:00 +0200\r\n\r\n")
    found = headers.parse_values(raw, lambda: headers._EPOCH)
    headers._address_list.cache_clear()
    assert found[5] == Address("j@x.nl", "Jörg")
    assert found[6] == (Address("a@x.nl", "A"), Address("b@x.nl", "B, C"))


def test_pure_headers_leaves_the_native_parser_out() -> None:
    out = subprocess.run(
        [sys.executable, "-c", "from netguard.mail import headers; print(headers._native)"],
        env={**os.environ, "NETGUARD_PURE_HEADERS": "1"}, capture_output=True, text=True,
        check=True)
    assert out.stdout.strip() == "None"


def agree_on_fields(raw: bytes) -> None:
    found = NATIVE.fields(raw)
    assert found is None or found == headers._lean_fields(raw), raw


def agree_on_addresses(folded: str) -> None:
    found = NATIVE.address_list(folded)
    assert found is None or found == headers._lean_address_list(folded), folded


@needs_native
def test_the_corpus_agrees(corpora: Path) -> None:
    for path in sorted(p for p in corpora.rglob("*") if p.is_file()):
        head = path.read_bytes().replace(b"\r\n", b"\n").split(b"\n\n", 1)[0] + b"\n\n"
        for raw in (head, head.replace(b"\n", b"\r\n")):
            agree_on_fields(raw)
            for value in (headers._lean_fields(raw) or {}).values():
                agree_on_addresses(value)


@needs_native
def test_the_common_shapes_are_handled_natively() -> None:
    raw = (b"Message-Id: <x@y>\r\nReceived: a\r\n b\r\nFrom: A <a@b.nl>\r\nTo: \"Jansen, F\" "
           b"<f@j.nl>,\r\n\t=?UTF-8?B?w6k=?= <e@x.nl>, c@d.nl\r\nSubject: x\r\n\r\n")
    fields = NATIVE.fields(raw)
    assert fields == headers._lean_fields(raw)
    assert fields is not None
    assert NATIVE.address_list(fields["To"]) == (
        Address("f@j.nl", "Jansen, F"), Address("e@x.nl", "é"), Address("c@d.nl"))


@needs_native
def test_hostile_sizes() -> None:
    big = b"Subject: " + b"x" * 2_000_000 + b"\r\n" + b"To: " + b"a@b.nl," * 100_000 + b"\r\n\r\n"
    agree_on_fields(big)
    fields = NATIVE.fields(big)
    assert fields is not None
    assert len(NATIVE.address_list(fields["To"]) or ()) == 100_000
    for folded in ("<" * 100_000, '"' * 100_001, "\n" * 100_000, "a" * 100_000 + "@",
                   "=?" * 50_000 + " <a@b.nl>", ""):
        agree_on_addresses(folded)
    with pytest.raises(TypeError):
        NATIVE.fields("not bytes")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        NATIVE.address_list(b"not str")  # type: ignore[arg-type]


_parts = st.sampled_from([
    "From", "To", "to", "Message-ID", "X-A", "Bad Name", "", ":", ": ", ":  ", " ", "\t", "\r\n",
    "\n", "\r", "\r\n ", "\n\t", "\x00", "\x7f", "é", "a@b.nl", "A <a@b.nl>", ",", '"', "<", ">",
    "=?utf-8?q?x?=", "\r\n\r\n", "subject: ", "From: ", "Cc: ", "References: ",
])


_lines = st.builds(lambda name, colon, value, end: f"{name}{colon}{value}{end}",
                   st.sampled_from(["From", "to", "Message-ID", "X-A", "Received", "Bad Name"]),
                   st.sampled_from([": ", ":", ":  ", ":\t", " :"]),
                   st.sampled_from(["a@b.nl", "A <a@b.nl>,\r\n B <b@c.nl>", "x\n\ty", "",
                                    "x\r\n", "\r\n z", "a\rb", "é"]),
                   st.sampled_from(["\r\n", "\n", "\r"]))


@needs_native
@settings(max_examples=3000, deadline=None)
@given(st.one_of(st.lists(_parts, max_size=30).map("".join).map(
    lambda text: text.encode("utf-8")), st.binary(max_size=200),
    st.lists(_lines, max_size=8).map(lambda lines: "".join(lines).encode())))
def test_any_block_splits_as_the_pure_path_splits(raw: bytes) -> None:
    agree_on_fields(raw)
    agree_on_fields(raw + b"\r\n\r\n")


_address_parts = st.sampled_from([
    "a@b.nl", "A.B@Ex-ample.COM", "x+y@z", "a..b@c", "a@b.", "@b", "a@", "Anna", "de  Vries",
    "O'Brien", '"Jansen, F"', '""', '"a\\b"', "=?utf-8?q?J=C3=B6rg?=", "=?utf-8?b?w6k=?=",
    "=?x?q?broken=?=", "<", ">", "<a@b.nl>", ",", ", ", " ", "  ", "\n ", "\n", "(c)", ";", ":",
    "é", "\t", "=?", '"', "a<b@c.nl>",
])


_names = st.sampled_from(["", "Anna", "Anna de Vries", "de  Vries", '"Jansen, F"', '""', '" x "',
                          "=?utf-8?q?J=C3=B6rg?=", "=?ISO-8859-1?B?Sm9z6SA=?= X", "O'Brien",
                          '"=?utf-8?q?a?= b"', "a.b", '"a\\b"', "J. Smith", "=?utf-8?q?x?=  y"])
_valid = st.sampled_from(["a@b.nl", "A.B@Ex-ample.COM", "x+y@z", "o'b=c?d@e.f.g"])
_mailbox_addrs = st.one_of(  # mostly valid: a list is read natively only when all of it is
    _valid, _valid, _valid, _valid, _valid,
    st.sampled_from(["a..b@c", "a@b.", "@b", "a@", "a@b.nl.", "é@x.nl", "iemand zonder", "a.b"]))
_mailboxes = st.builds(lambda name, addr, form: form.format(n=name, a=addr), _names,
                       _mailbox_addrs, st.sampled_from(["{n} <{a}>", "{a}", "<{a}>", "{n}<{a}>",
                                                        " {n}  <{a}>  ", "{n} <{a}> x"]))


@needs_native
@settings(max_examples=3000, deadline=None)
@given(st.one_of(
    st.builds(lambda boxes, separator: separator.join(boxes), st.lists(_mailboxes, max_size=4),
              st.sampled_from([", ", ",", ",\n ", "\n\t, ", " , ,", ";"])),
    st.lists(_address_parts, max_size=14).map("".join)))
def test_any_address_list_reads_as_the_pure_path_reads_it(folded: str) -> None:
    agree_on_addresses(folded)


@needs_native
def test_an_empty_group_leading_the_list_is_skipped_natively() -> None:
    """``undisclosed-recipients:;`` (alone, or first of a To given twice: joined): no address,
    the rest read; any other group is left to the pure path."""
    for folded in ("undisclosed-recipients:;", "Undisclosed recipients: ;", "g:;,b@x.nl",
                   'undisclosed-recipients:;, "Visser, Daan" <d@x.nl>,\n B <b@x.nl>',
                   " g : ; , =?utf-8?q?J=C3=B6rg?= <j@x.nl>", "undisclosed-recipients:; ,"):
        found = NATIVE.address_list(folded)
        assert found is not None and found == headers._lean_address_list(folded), folded
    for folded in ("undisclosed-recipients:;;", "a.b:;", "g: a@x.nl;", "A <a@x.nl>, g:;",
                   "g:;x@y.nl", '"g:;", a@x.nl', "g:;, h:;", ":;"):
        agree_on_addresses(folded)
        assert NATIVE.address_list(folded) is None, folded


@needs_native
def test_words_without_an_address_are_passed_over_natively() -> None:
    for folded in ("iemand zonder apenstaart", "Me <me@x.nl>, iemand zonder apenstaart",
                   '"A, B" <a@x.nl>,\n iemand, c@d.nl', "J. Smith , d@e.nl", "x.y"):
        found = NATIVE.address_list(folded)
        assert found is not None and found == headers._lean_address_list(folded), folded
    for folded in ("a b <c@d.nl> e", "iemand (x)", "a b@c.nl", "a <b>", "a; b"):
        agree_on_addresses(folded)
        assert NATIVE.address_list(folded) is None, folded


@needs_native
def test_addresses_made_natively_are_the_dataclass_made_in_python() -> None:
    folded = 'A <A@b.nl>, "=?utf-8?q?J=C3=B6rg?=" <j@x.nl>, c@d.nl'
    expected = headers._lean_address_list(folded)
    assert headers._plain_address()
    for plain in (True, False):  # set as Address.__init__ sets them, or by calling Address
        NATIVE.configure(headers.FIELDS, Address, headers.decode_text, plain)
        found = NATIVE.address_list(folded)
        assert found == expected
        assert found is not None
        assert [hash(a) for a in found] == [hash(a) for a in expected or ()]
        assert all(type(a) is Address for a in found)
    with pytest.raises(AttributeError):
        found[0].addr = "x"  # type: ignore[misc]  # still frozen


@needs_native
def test_texts_made_once_stay_right_past_the_table_that_keeps_them() -> None:
    """Each address and name spelling is made once and kept (up to 32,768 of each, then the
    table starts over): 70,000 different ones, each read twice, read as the pure path reads
    them, and the second reading of a kept one is the same object."""
    for n in range(70_000):
        folded = f"Name{n} <Person.{n}@Example.NL>, x{n % 7}@y.nl"
        first, again = NATIVE.address_list(folded), NATIVE.address_list(folded)
        assert first == again == headers._lean_address_list(folded)
        assert first is not None and again is not None
        assert first[0].addr is again[0].addr and first[0].name is again[0].name


@needs_native
def test_the_native_module_refuses_work_before_it_is_configured() -> None:
    code = ("from netguard.mail import _headers_native as n\n"
            "try:\n    n.fields(b'From: a@b.nl')\nexcept RuntimeError:\n    print('refused')")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True)
    assert out.stdout.strip() == "refused", out.stderr


# Whole header blocks into store rows (``add_row``) ---------------------------------------------

def pure_rows(blocks: list[bytes], with_recipients: bool) -> Rows:
    """The rows the pure-Python path gives: ``parse_values`` without the compiled module."""
    rows = Rows(with_recipients)
    saved = headers._native
    headers._native = None
    headers._address_list.cache_clear()
    try:
        for uid, raw in enumerate(blocks, 1):
            rows.add_values(uid, headers.parse_values(raw, lambda: FALLBACK))
    finally:
        headers._native = saved
        headers._address_list.cache_clear()
    return rows


def stdlib_rows(blocks: list[bytes], with_recipients: bool) -> Rows:
    """The rows the reference gives: ``parse_stdlib``."""
    rows = Rows(with_recipients)
    for uid, raw in enumerate(blocks, 1):
        rows.add_values(uid, headers.parse_stdlib(raw, FALLBACK).values())
    return rows


def agree_on_rows(blocks: list[bytes]) -> int:
    """Every block ``add_row`` reads gives the rows of the pure path, which are the rows of
    the stdlib path; returns how many it read."""
    read = 0
    for with_recipients in (True, False):
        expected = pure_rows(blocks, with_recipients)
        reference = stdlib_rows(blocks, with_recipients)
        assert (expected.messages, expected.recipients) == (reference.messages,
                                                            reference.recipients), blocks
        for uid, raw in enumerate(blocks, 1):
            messages: list[object] = []
            recipients: list[object] | None = [] if with_recipients else None
            if NATIVE.add_row(messages, recipients, uid, raw, internal, b"INTERNALDATE"):
                read += 1
                index = uid - 1
                assert messages == [(0, *expected.messages[index][1:])], raw
                assert recipients in (None, [(0, *row[1:]) for row in expected.recipients
                                             if row[0] == index]), raw
            else:
                assert messages == [] and recipients in (None, []), raw
    return read // 2


FALLBACK = datetime(2024, 5, 6, 7, 8, 9, 500_000, tzinfo=UTC)  # INTERNALDATE, a fraction too


def internal(argument: bytes) -> datetime:
    """What ``fetch.internaldate`` gives (``add_row``'s fallback): ``FALLBACK``."""
    assert argument == b"INTERNALDATE"
    return FALLBACK


@needs_native
def test_whole_blocks_of_the_corpus_read_as_the_pure_path_reads_them(corpora: Path) -> None:
    blocks = []
    for path in sorted(p for p in corpora.rglob("*") if p.is_file()):
        head = path.read_bytes().replace(b"\r\n", b"\n").split(b"\n\n", 1)[0] + b"\n\n"
        blocks += [head, head.replace(b"\n", b"\r\n")]
    assert agree_on_rows(blocks) > 0


@needs_native
def test_whole_blocks_of_realistic_mail_read_as_the_pure_path_reads_them() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from real_mail import RealGenerator
    finally:
        sys.path.remove(str(ROOT / "bench"))
    generator = RealGenerator("me@example.test", seed=7)
    blocks = [generator.message(n, sent).split(b"\n\n", 1)[0].replace(b"\n", b"\r\n")
              + b"\r\n\r\n" for n in range(1500) for sent in (True, False)]
    assert agree_on_rows(blocks) > len(blocks) * 0.9  # nearly all read natively


_row_fields = st.sampled_from([
    "Message-ID: <a@b.nl>", "Message-Id: <a@b.nl> <c@d.nl>", "Message-ID: a@b.nl", "Message-ID:",
    "Message-ID: <>", "In-Reply-To: <r@b.nl>", "In-Reply-To: x <r@b.nl>", "In-Reply-To:",
    "References: <a@b> <c@d>\r\n\t<e@f>", "References: <a@b><c@d> <<x> <y >", "References:",
    "Date: Tue, 1 Jul 2025 10:00:00 +0200", "Date: 1 Jul 2025 10:00 -0000",
    "Date: Tue,01 Jul 2025 23:59:59 +0530 (IST)", "Date: 31 Dec 9999 23:59:59 -0001",
    "Date: 29 Feb 2023 10:00:00 +0000", "Date: 29 Feb 2024 10:00:00 +0000", "Date: garbage",
    "Date: 1 Jan 1970 00:30:00 +0100", "Date: 01 JUL 2025 24:00:00 +0000",
    "Date: 1 Jul 2025 10:00:00 GMT", "Date: Mon, 2 Jun 25 10:00:00 GMT", "Date: ergens in juli",
    "Date: Mon, 2 Jun 25 10:00:00 GMT X-Tue, 09 Jan 2024 10:58:01 +0530", "Date:",
    "Date: 1 Jul 2025\r\n 10:00:00 +0200", "Date: 1 Jul 70 10:00:00 +0000",
    "Date: Tue, 1 Jul 2025 10:00:00 +0200 extra", "Date: 1 Jul 1969 10:00:00 +0000",
    "From: A <a@b.nl>", "From: MAILER-DAEMON@x.nl", "From: postmaster@x.nl", "From: x",
    'From: "Jansen, F" <f@j.nl>', "To: =?utf-8?q?J=C3=B6rg?= <j@x.nl>, b@c.nl",
    "To: A <a@x.nl>,\r\n B <b@x.nl>", "To: undisclosed-recipients:;", "Cc: C <c@d.nl>", "Cc:",
    "TO: =?utf-8?q?Zo=C3=AB?= <z@x.nl>,\r\n\t\"Visser, D\" <d@x.nl>", "cc: e@x.nl", "To:",
    "From: B <b@x.nl>", "To: g : ; , h@x.nl", "To: iemand zonder apenstaart", "From: x.y, a@b.nl",
    "Subject: Out of Office: back monday", "Subject: Re: plan\r\n  ahead", "Subject: AUTO-REPLY",
    "Subject: =?utf-8?q?Automatisch_antwoord?=", "Subject: on  vacation", "Subject: afwezig",
    "Subject: =?iso-8859-1?q?R=E9ponse_automatique?=", "Subject:", "Subject: a =?x",
    "Auto-Submitted: auto-replied", "Auto-Submitted: no", "Auto-Submitted:  ", "X-Autoreply: yes",
    "X-Autorespond: 1", "Precedence: bulk", "Precedence:  List ", "Precedence: auto_reply",
    "List-Id: <l.x.nl>", "List-Unsubscribe: <mailto:u@x.nl>", "Feedback-ID: 1:2",
    "Content-Type: multipart/REPORT; report-type=x", "Content-Type: text/plain",
    "Received: from a\r\n by b", "X-Other: é",
])


@needs_native
@settings(max_examples=1500, deadline=None)
@given(st.lists(_row_fields, min_size=1, max_size=10), st.sampled_from([b"\r\n", b"\n"]))
def test_any_block_reads_into_the_rows_of_the_pure_path(fields: list[str], line_end: bytes
                                                        ) -> None:
    raw = ("\r\n".join(fields) + "\r\n\r\n").encode("utf-8").replace(b"\r\n", line_end)
    agree_on_rows([raw])


@needs_native
def test_a_subject_read_again_is_the_one_read_before() -> None:
    """Subjects recur: each spelling is read once (decoded, out of office or not) and kept;
    the rows stay the pure path's."""
    subjects = ["Re: plan", "=?utf-8?q?Caf=C3=A9_morgen?=", "Out of Office: away",
                "=?utf-8?q?Automatisch_antwoord?=", "Re:  plan", "Re: plan\r\n again"]
    blocks = [(f"Message-ID: <s{n}@x.nl>\r\nDate: Tue, 1 Jul 2025 10:00:00 +0000\r\n"
               f"From: a@b.nl\r\nSubject: {subject}\r\n\r\n").encode()
              for n, subject in enumerate(subjects * 2)]
    assert agree_on_rows(blocks) == len(blocks)
    messages: list[tuple[object, ...]] = []
    for uid, raw in enumerate(blocks, 1):
        assert NATIVE.add_row(messages, None, uid, raw, internal, b"INTERNALDATE")
    first, again = messages[:len(subjects)], messages[len(subjects):]
    assert all(a[9] is b[9] and a[10] == b[10] for a, b in zip(first, again, strict=True))
    assert [row[10] for row in first] == [0, 0, 1, 1, 0, 0]  # automatic: out of office


_REPEATED = [  # each field read twice, with other values (folded, encoded, empty)
    ("From: A <a@x.nl>", "From: =?utf-8?q?Zo=C3=AB?= <z@x.nl>,\r\n B <b@x.nl>"),
    ("From:", "From: B <b@x.nl>"),
    ("To: undisclosed-recipients:;", "To: A <a@x.nl>,\r\n\t\"Visser, D\" <d@x.nl>"),
    ("To: A <a@x.nl>", "TO: b@x.nl, \"Jansen, F\" <f@x.nl>"),
    ("To:", "to: b@x.nl"),
    ("To: A <a@x.nl>", "To: iemand zonder apenstaart"),
    ("From: iemand", "From: B <b@x.nl>"),
    ("Cc: C <c@x.nl>", "cc: =?iso-8859-1?q?Andr=E9?= <andre@x.nl>"),
    ("Cc: C <c@x.nl>,\r\n D <d@x.nl>", "Cc: C <c@x.nl>"),  # one address twice
    ("Subject: =?utf-8?Q?R=C3=A9union?=", "Subject: =?utf-8?q?caf=C3?= kapot"),
    ("Subject: Re: plan", "Subject: Out of office"),
    ("Subject:", "Subject: afwezig"),
    ("Date: Tue, 1 Jul 2025 10:00:00 +0200", "Date: Wed, 2 Jul 2025 10:00:00 +0200"),
    ("Date: ergens in juli", "Date: Wed, 2 Jul 2025 10:00:00 +0200"),
    ("Message-ID: <b@x.nl>", "Message-Id: <c@x.nl>"),
    ("In-Reply-To: <p@x.nl>", "In-Reply-To: <q@x.nl>"),
    ("References: <p@x.nl>\r\n <q@x.nl>", "References: <r@x.nl>"),
    ("List-Id: <l.x.nl>", "List-ID: <k.x.nl>"),
    ("Auto-Submitted: no", "Auto-Submitted: auto-replied"),
    ("Auto-Submitted: auto-replied", "Auto-Submitted: no"),
    ("X-Autoreply: yes", "X-AutoReply: no"),
    ("X-Autorespond: 1", "X-Autorespond: 1"),
    ("Precedence: first-class", "Precedence: bulk"),
    ("Precedence: bulk", "Precedence: junk"),
    ("Content-Type: text/plain", "Content-Type: multipart/report"),
    ("Content-Type: multipart/report", "Content-Type: text/plain"),
    ("List-Unsubscribe: <mailto:u@x.nl>", "List-Unsubscribe: <https://x.nl/u>"),
    ("Feedback-ID: 1:2", "Feedback-ID: 3:4"),
]
_ODD_DATES = [
    None, "", "ergens in juli", "garbage 12:00:00 +0200", "Mon, 2 Jun 25 10:00:00 GMT",
    "Mon, 2 Jun 25 10:00:00 GMT X-Tue, 09 Jan 2024 10:58:01 +0530", "2 Jun 99 10:00 -0000",
    "1 Jul 70 00:00:00 +0000", "Tue, 1 Jul 2025 10:00:00 EST", "Tue, 1 Jul 2025 10:00:00",
    "Tue, 01 Jul 2025 10:00:00 +0200 extra", "Tue, 01 Jul 2025 10:00:00 +0260",
    "Tue, 1 Jul 2025\r\n 10:00:00 +0200", "1 Jul 1969 10:00:00 +0000",
    "31 Dec 9999 23:59:59 -0001", "Tue, 31 Feb 2025 10:00:00 +0000", "01 Jul 2025 25:00:00 +0000",
]


def _repeated_block(first: str, again: str) -> bytes:
    return ("Message-ID: <m@x.nl>\r\nDate: Mon, 30 Jun 2025 09:00:00 +0000\r\n"
            f"{first}\r\nFrom: Me <me@x.nl>\r\nTo: Anna <anna@x.nl>\r\nCc: c@x.nl\r\n"
            f"Subject: s\r\nReceived: x\r\n{again}\r\n\r\n").encode()


def _dated_block(date: str | None) -> bytes:
    field = f"Date: {date}\r\n" if date is not None else ""
    return (f"Message-ID: <m@x.nl>\r\n{field}From: Me <me@x.nl>\r\nTo: Anna <anna@x.nl>\r\n"
            "Subject: s\r\n\r\n").encode()


@needs_native
@pytest.mark.parametrize("line_end", [b"\r\n", b"\n"], ids=["crlf", "lf"])
@pytest.mark.parametrize(("first", "again"), _REPEATED)
def test_a_field_twice_is_read_natively_as_the_stdlib_reads_it(first: str, again: str,
                                                               line_end: bytes) -> None:
    """A field given twice: the first value of a single one (``Message.get``), every value of
    From, To and Cc (``get_all``); the compiled module reads the block itself."""
    raw = _repeated_block(first, again).replace(b"\r\n", line_end)
    assert NATIVE.fields(raw) == headers._lean_fields(raw) is not None
    assert agree_on_rows([raw]) == 1


@needs_native
@pytest.mark.parametrize("line_end", [b"\r\n", b"\n"], ids=["crlf", "lf"])
@pytest.mark.parametrize("date", _ODD_DATES)
def test_a_date_of_another_shape_is_read_as_the_stdlib_reads_it(date: str | None,
                                                                line_end: bytes) -> None:
    """No Date, or one the compiled reader does not know: its time comes from ``_row_time``
    (the stdlib's reading, or INTERNALDATE), the rest of the block is read natively."""
    assert agree_on_rows([_dated_block(date).replace(b"\r\n", line_end)]) == 1


@needs_native
def test_internaldate_is_asked_only_for_a_date_that_is_unusable() -> None:
    asked: list[bytes] = []

    def fallback(argument: bytes) -> datetime:
        asked.append(argument)
        return FALLBACK

    messages: list[tuple[object, ...]] = []
    for uid, date in enumerate(["Tue, 1 Jul 2025 10:00:00 +0200", "Mon, 2 Jun 25 10:00:00 GMT",
                                "ergens in juli", None], 1):
        assert NATIVE.add_row(messages, None, uid, _dated_block(date), fallback, b"%d" % uid)
    assert asked == [b"3", b"4"]
    internal_time = epoch_seconds(FALLBACK)  # whole seconds
    assert [row[5:7] for row in messages] == [
        (epoch_seconds(datetime(2025, 7, 1, 8, tzinfo=UTC)), "date"),
        (epoch_seconds(datetime(2025, 6, 2, 10, tzinfo=UTC)), "date"),
        (internal_time, "internaldate"), (internal_time, "internaldate")]


@needs_native
def test_a_fallback_that_fails_appends_nothing() -> None:
    def broken(argument: bytes) -> datetime:
        raise ValueError(argument)

    messages: list[object] = []
    recipients: list[object] = []
    with pytest.raises(ValueError, match="x"):
        NATIVE.add_row(messages, recipients, 1, _dated_block("garbage"), broken, b"x")
    assert messages == recipients == []


@needs_native
def test_time_readers_of_the_wrong_kind_are_refused() -> None:
    signs = (headers._UNSUBSCRIBE, headers._FEEDBACK, headers._PRECEDENCE)
    with pytest.raises(TypeError):
        NATIVE.configure_rows("date", headers._subject, signs, None)  # type: ignore[arg-type]
    try:
        NATIVE.configure_rows("date", headers._subject, signs, lambda *_: (1.5, "date"))
        messages: list[object] = []
        with pytest.raises(TypeError, match="time reader"):
            NATIVE.add_row(messages, None, 1, _dated_block("garbage"), internal, b"INTERNALDATE")
        assert messages == []
    finally:
        headers._configure(NATIVE)


@needs_native
def test_realistic_mail_is_read_natively_but_for_eight_bit_text() -> None:
    """The realistic mailbox's malformed messages (a field twice, a Date of another shape, an
    address without ``@``) are read by the compiled module; it leaves only raw 8-bit text to
    the other paths."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from real_mail import RealGenerator
    finally:
        sys.path.remove(str(ROOT / "bench"))
    generator = RealGenerator("me@example.test", seed=11)
    left = []
    for n in range(6000):
        raw = generator.message(n, n % 2 == 0).split(b"\n\n", 1)[0] + b"\n\n"
        if not NATIVE.add_row([], None, n, raw, internal, b"INTERNALDATE"):
            left.append(raw)
    assert left, "the generator makes malformed mail"
    assert not any(raw.isascii() for raw in left), left


@needs_native
def test_add_row_refuses_wrong_arguments() -> None:
    with pytest.raises(TypeError):
        NATIVE.add_row([], [], 1, "not bytes", internal, b"")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        NATIVE.add_row((), None, 1, b"", internal, b"")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        NATIVE.add_row([], None, 1, b"", "not callable", b"")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        NATIVE.add_row([], None, 1, b"")  # type: ignore[call-arg]
