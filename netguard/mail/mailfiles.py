"""Reading messages from mail files: mbox files, Maildir folders and single message files.

Streaming and header-only: an mbox is read line by line and only each message's header block
is kept, so a 2 GB Google Takeout export never sits in memory. Each message comes with the
time to fall back on when its Date is missing or broken: the mbox ``From `` line's date, or
the file's modification time (a Maildir file's delivery time).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import partial
from pathlib import Path
from typing import BinaryIO

log = logging.getLogger(__name__)
# A header block larger than this is hostile or broken; the rest of it is ignored.
MAX_HEADER_BYTES = 256 * 1024

_BLANK = (b"\n", b"\r\n", b"\r")
# The date of an mbox "From " line, e.g. "Mon Feb  8 02:53:47 PST 1993" or (Google Takeout)
# "Sat Nov 21 10:00:00 +0000 2020".
_FROM_DATE = re.compile(
    rb"([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{1,2}:\d{2}(?::\d{2})?)\s+"
    rb"(?:([A-Za-z]{1,5}|[+-]\d{4})\s+)?(\d{4})(?:\s+([+-]\d{4}|[A-Za-z]{1,5}))?"
)
# A line that opens a message (after a blank line): "From" and a sender, then nothing or a
# date with a time of day. An unescaped "From the start..." in a body does not qualify.
_SEPARATOR = re.compile(rb"From \S+(?:\s*|\s.*\d:\d\d.*)$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class RawMessage:
    """One message's header block, the time to fall back on (asked only when its Date is
    unusable), and where the reader is now."""

    header: bytes
    fallback: Callable[[], datetime]
    position: int  # bytes of the source read so far, for progress


def source_files(path: Path) -> list[Path]:
    """The files to read for ``path``: itself, a Maildir's cur/ and new/, or a folder's files."""
    if path.is_file():
        return [path]
    if is_maildir(path):
        found = [f for sub in ("cur", "new") for f in _plain_files(path / sub)]
        return sorted(found, key=lambda f: f.name.split(":")[0])
    return sorted(f for f in path.rglob("*") if f.is_file() and not _hidden(f, path))


def is_maildir(path: Path) -> bool:
    return path.is_dir() and ((path / "cur").is_dir() or (path / "new").is_dir())


def read_messages(files: list[Path]) -> Iterator[RawMessage]:
    """Every message of ``files`` in order; ``position`` counts bytes over all of them.

    A file that vanished since it was listed (a mail client moved it from new/ to cur/) is
    passed over; the next import finds it under its new name.
    """
    offset = 0
    for file in files:
        try:
            for message in _read_file(file):
                yield RawMessage(message.header, message.fallback, offset + message.position)
        except FileNotFoundError:
            log.info("Skipped %s: it vanished while importing", file)
        offset += file_size(file)


def file_size(file: Path) -> int:
    """The size of ``file``, 0 when it is gone."""
    try:
        return file.stat().st_size
    except FileNotFoundError:
        return 0


def _read_file(file: Path) -> Iterator[RawMessage]:
    with file.open("rb") as stream:
        first = stream.readline()
        if not first:
            return
        mtime = file_time(file)
        if first.startswith(b"From "):
            yield from _mbox(first, stream, mtime)
        else:
            yield _single(first, stream, mtime)


def _mbox(first: bytes, stream: BinaryIO, mtime: datetime) -> Iterator[RawMessage]:
    """Messages of an mbox: a "From " line after a blank line (or at the start) opens one."""
    lines: list[bytes] = []
    size = 0
    in_header = True
    fallback = partial(_from_line_or, first, mtime)
    previous_blank = False
    for line in stream:
        if in_header:
            if previous_blank and not lines and _is_separator(line):
                yield RawMessage(b"", fallback, stream.tell() - len(line))
                fallback = partial(_from_line_or, line, mtime)
            elif line in _BLANK:
                in_header = not lines  # whitespace before the first field is not the end
            elif size < MAX_HEADER_BYTES and (lines or line.strip()):
                lines.append(line)
                size += len(line)
        elif previous_blank and _is_separator(line):
            yield RawMessage(b"".join(lines), fallback, stream.tell() - len(line))
            lines, size, in_header = [], 0, True
            fallback = partial(_from_line_or, line, mtime)
        previous_blank = line in _BLANK
    yield RawMessage(b"".join(lines), fallback, stream.tell())


def _is_separator(line: bytes) -> bool:
    return line.startswith(b"From ") and _SEPARATOR.match(line) is not None


def _single(first: bytes, stream: Iterator[bytes], mtime: datetime) -> RawMessage:
    """A file holding one message (a Maildir file, an .eml)."""
    lines: list[bytes] = []
    size = 0
    position = 0
    for line in _chain(first, stream):
        position += len(line)
        if not lines and not line.strip():
            continue  # whitespace before the first header field (seen in real files)
        if line in _BLANK or size >= MAX_HEADER_BYTES:
            break
        lines.append(line)
        size += len(line)
    return RawMessage(b"".join(lines), lambda: mtime, position)


def _from_line_or(line: bytes, mtime: datetime) -> datetime:
    """The date on the "From " line, or else the file's time (asked only when needed: parsing
    the From line is a fair share of reading an mbox)."""
    return from_line_time(line) or mtime


def from_line_time(line: bytes) -> datetime | None:
    """The date on an mbox "From " line, aware; None when it has none that parses."""
    match = _FROM_DATE.search(line)
    if match is None:
        return None
    month, day, clock, zone_before, year, zone_after = match.groups()
    zone = zone_before or zone_after or b"+0000"
    text = b" ".join((day, month, year, clock, zone)).decode("ascii")
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def file_time(file: Path) -> datetime:
    return datetime.fromtimestamp(file.stat().st_mtime, UTC)


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _plain_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [f for f in folder.iterdir() if f.is_file() and not f.name.startswith(".")]


def _hidden(file: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in file.relative_to(root).parts)
