"""The bulk header fetch, on the raw protocol: lean, pipelined, explicit UID sets.

imapclient's response parser costs about four times the raw transfer, so the hot path talks to
the ``imaplib.IMAP4`` underneath it: ``send_fetch`` writes one ``UID FETCH`` of the SPEC §4
header fields + INTERNALDATE, ``read_fetch`` splits the answer into ``(uid, internaldate,
header bytes)`` without building anything else: answers of the usual shape that are already
in the stream's buffer by the compiled scanner (``headers.fetch_scanner``) where it is built,
the rest line by line. The sync sends batch k+1 before it parses batch k, so the server works
while the client parses. Read-only: ``BODY.PEEK`` only.
"""

from __future__ import annotations

import imaplib
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import BinaryIO, cast

from netguard.mail.connection import MAX_ANSWER, MAX_LITERAL, AnswerTooLarge, UnreadableAnswer
from netguard.mail.headers import FIELDS, fetch_scanner

QUERY = ("(UID INTERNALDATE BODY.PEEK[HEADER.FIELDS (" + " ".join(f.upper() for f in FIELDS)
         + ")])").encode("ascii")
MAX_LINE = 1_000_000  # as imaplib: a longer line is a broken or hostile server
WINDOW = 20_000  # UIDs per UID SEARCH without ESEARCH
RawMessage = tuple[int, bytes, bytes]  # uid, INTERNALDATE text, header block

_LITERAL = re.compile(rb"\{(\d+)\}\r\n\Z")
# The answer as Dovecot and most servers give it (items in the order asked): read at once.
_PLAIN_ANSWER = re.compile(rb'\* \d+ FETCH \(UID (\d+) INTERNALDATE "([^"]*)" '
                           rb"BODY\[HEADER\.FIELDS \([^)]*\)\] \{(\d+)\}\r\n")
_PLAIN_END = b")\r\n"
_UID = re.compile(rb"[( ]UID (\d+)")
_INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]*)"')
_QUOTED_BODY = re.compile(rb'BODY\[[^\]]*\] "((?:[^"\\]|\\.)*)"')
_FETCH = re.compile(rb"\* \d+ FETCH ")
_ESEARCH_ALL = re.compile(rb"\bALL ([0-9:,]+)")
_SCAN = fetch_scanner()
_MONTHS = {m: i for i, m in enumerate(
    (b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
     b"Dec"), 1)}


def uid_set(uids: Sequence[int]) -> bytes:
    """``1:3,7,9:10`` for [1, 2, 3, 7, 9, 10]: a compact set of exactly these UIDs (sorted)."""
    parts: list[str] = []
    start = previous = uids[0]
    for uid in uids[1:]:
        if uid != previous + 1:
            parts.append(f"{start}:{previous}" if previous != start else str(start))
            start = uid
        previous = uid
    parts.append(f"{start}:{previous}" if previous != start else str(start))
    return ",".join(parts).encode("ascii")


def search_uids_above(imap: imaplib.IMAP4, highest: int, uidnext: int,
                      esearch: bool = False) -> list[int]:
    """UIDs in (``highest``, ``uidnext``) of the selected folder, ascending.

    With ESEARCH one compact answer; otherwise ``UID SEARCH`` over windows of ``WINDOW`` UIDs,
    so no answer line outgrows imaplib's limit at 100k+ messages. ``UID SEARCH n:*`` also
    returns the newest UID when it is below ``n``, and a server could answer anything: only
    UIDs inside the asked range are kept. Mail that arrives meanwhile waits for the next sync.
    """
    if uidnext - 1 <= highest:
        return []
    if esearch:
        found = _esearch(imap, highest + 1, uidnext - 1)
    else:
        found = []
        for low in range(highest + 1, uidnext, WINDOW):
            found += _search(imap, f"{low}:{min(low + WINDOW - 1, uidnext - 1)}")
    return sorted({uid for uid in found if highest < uid < uidnext})


def search_present(imap: imaplib.IMAP4, uids: Sequence[int]) -> list[int]:
    """Those of ``uids`` (ascending) the selected folder still has, ascending."""
    if not uids:
        return []
    asked = set(uids)
    return sorted(asked.intersection(_search(imap, uid_set(uids).decode("ascii"))))


def _search(imap: imaplib.IMAP4, uids: str) -> list[int]:
    """``UID SEARCH UID uids`` (a UID set)."""
    typ, data = imap.uid("SEARCH", f"UID {uids}")
    if typ != "OK":
        raise imaplib.IMAP4.error(f"UID SEARCH answered {typ}: {data!r}")
    try:
        return [int(token) for row in data if row for token in bytes(row).split()]
    except (ValueError, TypeError):
        raise UnreadableAnswer(f"not a list of UIDs: {_clip(data)}") from None


def _esearch(imap: imaplib.IMAP4, low: int, high: int) -> list[int]:
    typ, data = imap.uid("SEARCH", f"RETURN (ALL) UID {low}:{high}")
    if typ != "OK":
        raise imaplib.IMAP4.error(f"UID SEARCH answered {typ}: {data!r}")
    found: list[int] = []
    for row in imap.untagged_responses.pop("ESEARCH", []):
        text = row if isinstance(row, bytes) else row[0]
        found += expand(_ESEARCH_ALL.search(text), low, high)
    return found


def expand(match: re.Match[bytes] | None, low: int, high: int) -> list[int]:
    """The UIDs of an ESEARCH ``ALL`` sequence set, clipped to [low, high] (hostile-safe)."""
    if match is None:
        return []
    uids: list[int] = []
    for part in match[1].split(b","):
        first, _, last = part.partition(b":")
        try:
            start, end = sorted((int(first), int(last or first)))
        except ValueError:
            raise UnreadableAnswer(f"not a set of UIDs: {_clip(match[1])}") from None
        uids.extend(range(max(start, low), min(end, high) + 1))
    return uids


def _clip(value: object) -> str:
    """A piece of a server's answer, short enough for a message."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def send_fetch(imap: imaplib.IMAP4, uids: Sequence[int]) -> bytes:
    """Write one UID FETCH for ``uids``; returns its tag for ``read_fetch``."""
    tag: bytes = imap._new_tag()
    imap.send(tag + b" UID FETCH " + uid_set(uids) + b" " + QUERY + b"\r\n")
    return tag


def read_fetch(imap: imaplib.IMAP4, tag: bytes) -> list[RawMessage]:
    """Read every response up to ``tag``'s completion; raise ``IMAP4.error`` on NO/BAD, and
    ``AnswerTooLarge`` when the answer outgrows the caps (``connection.MAX_LITERAL``, a literal;
    ``connection.MAX_ANSWER``, the whole)."""
    reader = _Reader(cast(BinaryIO, imap.file))
    found: list[RawMessage] = []
    prefix = tag + b" "
    while True:
        parts, header = _plain_answers(reader, found)
        line = parts[0]
        if header is None and line.startswith(prefix):
            imap.tagged_commands.pop(tag, None)
            if not line[len(prefix):].startswith(b"OK"):
                raise imaplib.IMAP4.error(line.decode("ascii", "replace").strip())
            return found
        text, header = _response(parts, header, reader)
        if _FETCH.match(text):
            message = _message(text, header)
            if message is not None:
                found.append(message)
        elif text.startswith(b"* BYE"):
            raise imaplib.IMAP4.abort(text.decode("ascii", "replace").strip())


def unanswered_only(found: list[RawMessage], unanswered: set[int]) -> list[RawMessage]:
    """The answers for UIDs in ``unanswered``, each once; they leave it.

    ``unanswered``: the UIDs asked for in the folder and not answered yet. Answers to a FETCH
    sent after this one may come with it (Dovecot sends them before this one's completion), but
    a server may also send a UID nobody asked for, or one twice: storing those would replace a
    stored message or break the batch's transaction."""
    uids = [message[0] for message in found]
    if unanswered.issuperset(uids) and len(set(uids)) == len(uids):
        unanswered.difference_update(uids)
        return found  # what a server sends
    kept = []
    for message in found:
        if message[0] in unanswered:
            unanswered.discard(message[0])
            kept.append(message)
    return kept


def _plain_answers(reader: _Reader,
                   found: list[RawMessage]) -> tuple[list[bytes], bytes | None]:
    """Read answers of the usual shape (``_PLAIN_ANSWER``, a literal, ``)``) into ``found``
    without building their text. Returns what was read of the first other response: its
    lines so far and the literal among them, if any."""
    match, append, readline, literal_of, scanned = (
        _PLAIN_ANSWER.fullmatch, found.append, reader.readline, reader.literal, reader.scanned)
    while True:
        if scanned(found):
            continue
        line = readline(MAX_LINE)
        plain = match(line)
        if plain is None:
            return [reader.checked(line)], None
        uid, date, size = plain.groups()
        header = literal_of(int(size), len(line) + len(_PLAIN_END))  # the lines count too
        end = readline(MAX_LINE)
        if end != _PLAIN_END:  # more items after the literal: the general reader goes on
            return [line, reader.checked(end)], header
        append((int(uid), date, header))
        reader.scanning = True  # the scanner stopped at this one, cut off by the buffer's end


def _response(parts: list[bytes], literal: bytes | None,
              reader: _Reader) -> tuple[bytes, bytes | None]:
    """The rest of an untagged response begun with ``parts`` (and ``literal``, read): its text
    (literals cut out) and the last literal in it."""
    while (match := _LITERAL.search(parts[-1])) is not None:
        literal = reader.literal(int(match[1]))
        parts.append(reader.line())
    return (b"".join(parts) if len(parts) > 1 else parts[0]), literal


class _Reader:
    """Lines and literals of one FETCH answer, each capped, and ``MAX_ANSWER`` bytes in all."""

    __slots__ = ("left", "peek", "read", "readline", "scanning")

    def __init__(self, stream: BinaryIO) -> None:
        self.readline: Callable[[int], bytes] = stream.readline
        self.read: Callable[[int], bytes] = stream.read
        self.peek: Callable[[int], bytes] | None = (getattr(stream, "peek", None)
                                                    if _SCAN is not None else None)
        self.left = MAX_ANSWER
        self.scanning = True

    def scanned(self, found: list[RawMessage]) -> bool:
        """Whether answers of the usual shape were read into ``found`` at once, from what the
        stream has buffered (reading the socket once when it has nothing buffered).

        Where it reads none (an answer of another shape, or one the buffer cuts off), it tries
        again only after an answer of the usual shape was read line by line: ``peek`` copies the
        whole buffer each time."""
        if self.peek is None or _SCAN is None or not self.scanning:
            return False
        used = _SCAN(self.peek(1), found, self.left, MAX_LITERAL)
        if used:
            self.left -= used
            self.read(used)
        self.scanning = used > 0
        return used > 0

    def line(self) -> bytes:
        return self.checked(self.readline(MAX_LINE))

    def checked(self, line: bytes) -> bytes:
        """``line`` as read, counted; a cut or over-long line ends the answer."""
        if not line.endswith(b"\n"):
            raise imaplib.IMAP4.abort("connection closed during FETCH" if not line
                                      else "over-long line from the server")
        self.left -= len(line)
        return line

    def literal(self, size: int, lines: int = 0) -> bytes:
        """A literal of ``size`` bytes (and ``lines`` bytes of lines around it, to count)."""
        if size > MAX_LITERAL:
            raise AnswerTooLarge(f"a {size}-byte header block announced, at most {MAX_LITERAL}"
                                 " accepted")
        self.left -= size + lines
        if self.left < 0:
            raise AnswerTooLarge(f"over {MAX_ANSWER} bytes in all")
        literal = self.read(size)
        if len(literal) != size:
            raise imaplib.IMAP4.abort("connection closed during FETCH")
        return literal


def _message(text: bytes, header: bytes | None) -> RawMessage | None:
    uid = _UID.search(text)
    if uid is None:
        return None  # an unsolicited FETCH (flag change) without UID
    date = _INTERNALDATE.search(text)
    if header is None:
        quoted = _QUOTED_BODY.search(text)
        header = quoted[1] if quoted else b""
    return int(uid[1]), date[1] if date else b"", header


def internaldate(value: bytes) -> datetime:
    """``17-Jul-1996 02:44:25 -0700`` as aware UTC; the epoch when unreadable."""
    try:
        day, month, rest = value.strip().split(b"-", 2)
        year, clock, zone = rest.split(b" ")
        hour, minute, second = clock.split(b":")
        local = datetime(int(year), _MONTHS[month], int(day), int(hour), int(minute),
                         int(second), tzinfo=UTC)
        offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
        return local - offset if zone[:1] == b"+" else local + offset
    except (ValueError, KeyError, OverflowError):
        return datetime.fromtimestamp(0, UTC)
