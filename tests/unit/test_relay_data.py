"""DATA in pieces: the relay's reader and the upstream writer agree with SMTP's rules."""

from __future__ import annotations

import io
import re

from hypothesis import given
from hypothesis import strategies as st

from netguard.mail.smtp import stuffed
from netguard.relay.protocol import DataReader

LINES = st.lists(st.sampled_from([b".", b"..", b"a", b".a", b"", b"x" * 40, b"\n.", b"\r",
                                  b"caf\xc3\xa9"]), max_size=12)


def smtplib_data(raw: bytes) -> bytes:
    """What smtplib.SMTP.data sends for ``raw`` (its own rules, written out)."""
    quoted = re.sub(rb"(?m)^\.", b"..", raw)
    if quoted[-2:] != b"\r\n":
        quoted += b"\r\n"
    return quoted + b".\r\n"


def read(data: bytes, size: int) -> tuple[bytes, bool]:
    reader, out = DataReader(), b""
    for start in range(0, len(data), size):
        out += reader.feed(data[start:start + size])
        if reader.done:
            break
    return out, reader.done


@given(LINES, st.integers(1, 9), st.booleans())
def test_the_upstream_writer_sends_what_smtplib_would(parts: list[bytes], size: int,
                                                      crlf: bool) -> None:
    raw = b"\r\n".join(parts) + (b"\r\n" if crlf else b"")
    assert b"".join(stuffed(io.BytesIO(raw), size)) == smtplib_data(raw)


@given(LINES.filter(bool), st.integers(1, 9))
def test_the_reader_gives_back_the_message_however_it_arrives(parts: list[bytes],
                                                              size: int) -> None:
    raw = b"".join(part.replace(b"\r", b"").replace(b"\n", b"") + b"\r\n" for part in parts)
    assert read(smtplib_data(raw), size) == (raw, True)


def test_a_bare_lf_dot_does_not_end_the_message() -> None:
    body, done = read(b"Subject: x\r\n\r\nhi\n.\r\nmore\r\n.\r\n", 4)
    assert (body, done) == (b"Subject: x\r\n\r\nhi\n.\r\nmore\r\n", True)


def test_a_line_longer_than_what_is_held_back_passes_whole() -> None:
    line = b"." + b"y" * 700_000
    body, done = read(line + b"\r\n.\r\n", 100_000)
    assert (body, done) == (line[1:] + b"\r\n", True)
