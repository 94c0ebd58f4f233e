"""From raw header bytes to ``MailHeaders``: decoding, addresses, time, and "automatic".

Mail content is hostile input: nothing here raises on malformed headers. A broken encoded
word stays raw text, an unparseable Date falls back to the given INTERNALDATE, an address
without ``@`` is dropped.

Speed matters (a first sync parses 100,000s of header blocks), so ``parse`` has two paths
with the same results: a lean one for the common shapes (ASCII header block, plain
``Name <addr>`` lists, RFC 5322 dates) and the standard ``email`` package (``compat32``) for
everything else. ``parse_stdlib`` is the reference; tests check that both agree. A bulk sync
asks ``parse_values`` for a plain ``HeaderValues`` tuple instead of ``MailHeaders``.

The two costliest steps of the lean path, splitting the block into fields and reading an
address list, have a compiled twin (``_headers_native``, C, built by ``tools/build_native.py``
where a compiler exists). It handles the plain shapes and returns None for the rest, which
the Python functions below then read: they stay the reference. For a bulk sync the compiled
module also reads a whole block into the store's rows (``row_adder``: the Date, message ids,
addresses, plain subjects and the automatic/bulk checks in C; encoded subjects and names
through ``decode_text``, a Date of another shape or none through ``_row_time``), and declines
every block it does not read exactly as ``parse_values`` does. ``NETGUARD_PURE_HEADERS=1``
leaves the compiled module out.
"""

from __future__ import annotations

import binascii
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from email.errors import HeaderParseError
from email.header import Header, decode_header, make_header
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime
from functools import lru_cache, partial
from typing import Any, Protocol

from netguard.model import (
    Address,
    BulkSign,
    HeaderValues,
    MailHeaders,
    TimeSource,
    epoch_seconds,
)

# The header fields NetGuard fetches (SPEC §4), in the order of the IMAP request.
FIELDS = (
    "Message-ID", "In-Reply-To", "References", "Date", "From", "To", "Cc", "Subject",
    "Auto-Submitted", "X-Autoreply", "X-Autorespond", "Precedence", "List-Id", "Content-Type",
    "List-Unsubscribe", "Feedback-ID",
)

_BULK_PRECEDENCE = frozenset({"bulk", "junk", "list", "auto_reply"})
_MASS_PRECEDENCE = frozenset({"bulk", "junk", "list"})  # sent to many, not an auto-reply
_BOUNCE_SENDERS = frozenset({"mailer-daemon", "postmaster"})
# Matched against the lower-cased subject: several times faster than re.IGNORECASE.
_OUT_OF_OFFICE = re.compile(
    r"out of (the )?office|automatic reply|auto(matic)?[- ]?reply|autoreply|"
    r"automatisch antwoord|afwezig|afwezigheidsmelding|abwesenheitsnotiz|"
    r"absence du bureau|r[ée]ponse automatique|vacation reply|on vacation"
)
_MSGID = re.compile(r"<[^<>\s]+>")
_parser = BytesHeaderParser(policy=compat32)


def parse(raw: bytes, fallback_time: datetime) -> MailHeaders:
    """Interpret the header block ``raw``; ``fallback_time`` is INTERNALDATE (aware)."""
    return MailHeaders.of(parse_values(raw, lambda: fallback_time))


def parse_values(raw: bytes, fallback: Callable[[], datetime]) -> HeaderValues:
    """As ``parse``, as a tuple, asking ``fallback`` for INTERNALDATE only when the Date is
    unusable."""
    fields = _fields(raw)
    if fields is not None:
        fast = _values(fields, raw, fallback)
        if fast is not None:
            return fast
    return parse_stdlib(raw, fallback()).values()


def parse_stdlib(raw: bytes, fallback_time: datetime) -> MailHeaders:
    """The reference path: the standard ``email`` parser for any header block."""
    msg = _parser.parsebytes(raw)
    time, source = message_time(msg.get("Date"), fallback_time)
    senders = addresses(msg.get_all("From"))
    subject = decode_text(msg.get("Subject"))
    sender = senders[0] if senders else None
    return MailHeaders(
        message_id=_message_id(msg.get("Message-ID"), raw),
        in_reply_to=_first_id(msg.get("In-Reply-To")),
        references=tuple(_MSGID.findall(_raw_text(msg.get("References")))),
        time=time,
        time_source=source,
        sender=sender,
        to=addresses(msg.get_all("To")),
        cc=addresses(msg.get_all("Cc")),
        subject=subject,
        automatic=is_automatic(msg, sender, subject),
        is_list=msg.get("List-Id") is not None,
        bulk_signs=bulk_signs(msg.get("List-Unsubscribe") is not None,
                              msg.get("Feedback-ID") is not None, _raw_text(msg.get("Precedence"))),
    )


def decode_text(value: object) -> str:
    """RFC 2047 decoded text, or the raw text when the encoding is broken."""
    text = _raw_text(value)
    if "=?" not in text:
        return _unfold(text)
    return _decode_words(text)


@lru_cache(maxsize=8192)
def _decode_words(text: str) -> str:
    fast = _fast_decode(text)
    if fast is not None:
        return fast
    try:
        return _unfold(str(make_header(decode_header(text))))
    except (ValueError, LookupError, UnicodeError, AssertionError, HeaderParseError):
        return _unfold(text)


_ENCODED_WORD = re.compile(r"=\?([A-Za-z0-9_-]+)\?([QqBb])\?([^?\s]*)\?=")
_QUOTED_OCTET = re.compile(r"=([a-fA-F0-9]{2})")
_FAST_CHARSETS = frozenset({"utf-8", "iso-8859-1", "iso-8859-15", "windows-1252"})


def _fast_decode(text: str) -> str | None:
    """Encoded words in the common charsets on one line; None means: ask the stdlib."""
    if "\n" in text:
        return None
    single = _ENCODED_WORD.fullmatch(text.strip())
    if single is not None:  # the usual: one word, nothing around it
        return _one_word(single)
    return _words(text)


def _words(text: str) -> str | None:
    """Any run of encoded words and text between them."""
    chunks: list[str] = []
    encoded: list[bytes] = []
    charset = ""
    position = 0
    for match in _ENCODED_WORD.finditer(text):
        between = text[position:match.start()]
        word_charset = match[1].lower()
        if word_charset not in _FAST_CHARSETS:
            return None
        if (between and not between.isspace()) or word_charset != charset:
            if encoded and not _flush(chunks, encoded, charset):
                return None
            if between and not between.isspace():
                chunks.append(" " + between + " ")
        charset = word_charset
        word = _word_bytes(match[2], match[3])
        if word is None:
            return None
        encoded.append(word)
        position = match.end()
    if encoded and not _flush(chunks, encoded, charset):
        return None
    chunks.append(" " + text[position:])
    return _unfold("".join(chunks))


def _one_word(match: re.Match[str]) -> str | None:
    charset = match[1].lower()
    word = _word_bytes(match[2], match[3]) if charset in _FAST_CHARSETS else None
    if word is None:
        return None
    try:
        return _unfold(word.decode(charset))
    except UnicodeDecodeError:
        return None


def _flush(chunks: list[str], encoded: list[bytes], charset: str) -> bool:
    """Decode one run of same-charset words; runs of words touch, plain text gets a space."""
    try:
        chunks.append(b"".join(encoded).decode(charset))
    except UnicodeDecodeError:
        return False
    encoded.clear()
    return True


def _word_bytes(encoding: str, payload: str) -> bytes | None:
    """The octets of one encoded word; None for a payload that is not ASCII (raw 8-bit text
    inside an encoded word: the stdlib decides what it means)."""
    if not payload.isascii():
        return None
    if encoding in "Qq":
        if payload[-1:] != "=" and "==" not in payload:  # where binascii reads "=" as the RFC
            return binascii.a2b_qp(payload, header=True)
        unquoted = _QUOTED_OCTET.sub(lambda m: chr(int(m[1], 16)), payload.replace("_", " "))
        return unquoted.encode("latin-1")
    padding = len(payload) % 4
    try:
        return binascii.a2b_base64((payload + "==="[:4 - padding]) if padding else payload)
    except (binascii.Error, ValueError):
        return None


def addresses(values: Sequence[object] | None) -> tuple[Address, ...]:
    """Parsed addresses, lower-cased, names decoded; entries without ``@`` dropped."""
    if not values:
        return ()
    found: list[Address] = []
    for name, raw_addr in getaddresses([_raw_text(v) for v in values]):
        addr = raw_addr.strip().strip("<>").lower()
        if "@" in addr and " " not in addr:
            found.append(Address(addr, decode_text(name).strip().strip('"')))
    return tuple(found)


def message_time(value: object, fallback: datetime) -> tuple[datetime, TimeSource]:
    """The Date header in UTC, or ``fallback`` when it is missing or unparseable."""
    text = _raw_text(value).strip()
    if text:
        try:
            parsed = parsedate_to_datetime(text)
            if parsed is not None and 1970 <= parsed.year <= 9999:
                aware = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
                return aware.astimezone(UTC), TimeSource.DATE  # raises past 9999 in UTC
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    return fallback.astimezone(UTC).replace(microsecond=0), TimeSource.INTERNALDATE


def is_automatic(msg: Message, sender: Address | None, subject: str) -> bool:
    """SPEC §1: auto-submitted, auto-reply headers, bulk precedence, bounce, out-of-office."""
    return _automatic(
        _raw_text(msg.get("Auto-Submitted")),
        msg.get("X-Autoreply") is not None or msg.get("X-Autorespond") is not None,
        _raw_text(msg.get("Precedence")),
        _raw_text(msg.get("Content-Type")),
        sender=sender,
        subject=subject,
    )


def _automatic(auto_submitted: str, autoreply: bool, precedence: str, content_type: str, *,
               sender: Address | None, subject: str) -> bool:
    auto = auto_submitted.strip().lower()
    if (auto and auto != "no") or autoreply:
        return True
    if precedence.strip().lower() in _BULK_PRECEDENCE:
        return True
    if sender is not None and sender.addr.split("@")[0] in _BOUNCE_SENDERS:
        return True
    if "multipart/report" in content_type.lower():
        return True
    return _out_of_office(subject)


def bulk_signs(list_unsubscribe: bool, feedback_id: bool, precedence: str) -> int:
    """The ``BulkSign`` flags of a message with these fields, as an integer (plain integers
    here: operations on an ``IntFlag`` cost thousands of instructions each)."""
    return ((_UNSUBSCRIBE if list_unsubscribe else 0) | (_FEEDBACK if feedback_id else 0)
            | (_PRECEDENCE if precedence and precedence.strip().lower() in _MASS_PRECEDENCE
               else 0))


_UNSUBSCRIBE = int(BulkSign.LIST_UNSUBSCRIBE)
_FEEDBACK = int(BulkSign.FEEDBACK_ID)
_PRECEDENCE = int(BulkSign.PRECEDENCE)


def _out_of_office(subject: str) -> bool:
    return _OUT_OF_OFFICE.search(subject.lower()) is not None


def _message_id(value: object, raw: bytes) -> str:
    found = _first_id(value)
    if found:
        return found
    return f"<{hashlib.sha1(raw, usedforsecurity=False).hexdigest()}@netguard.invalid>"


def _first_id(value: object) -> str:
    match = _MSGID.search(_raw_text(value))
    return match.group(0) if match else ""


def _raw_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, Header):  # raw 8-bit octets: compat32 would show them as U+FFFD
        return "".join(_eight_bit(data) for data, _unknown_8bit in decode_header(value))
    return str(value)


def _eight_bit(data: bytes | str) -> str:
    """Octets of a header in no declared charset: UTF-8 (RFC 6532) when they are, else
    Windows-1252, the usual legacy charset of Western mail."""
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _unfold(text: str) -> str:
    return " ".join(text.split())


# The lean path ------------------------------------------------------------------------------
# Each step returns None for anything outside the shapes it knows; parse() then falls back.

# One field: a name, its value and folded continuation lines, printable ASCII only, lines
# ending in CRLF (as IMAP sends them) or LF (as files may hold them). Split on it, a plain header
# block leaves nothing between the fields.
_FIELD = re.compile(r"([!-9;-~]++):[ ]*+([ -~]*+(?:\r?\n [ -~]*+)*+)\r?\n")
_CANONICAL = frozenset(FIELDS)
_SPELLING = {name.lower(): name for name in FIELDS}


def _fields(raw: bytes) -> dict[str, str] | None:
    """``_lean_fields``, by the compiled module when it knows the shape."""
    if _native is not None:
        found = _native.fields(raw)
        if found is not None:
            return found
    return _lean_fields(raw)


def _lean_fields(raw: bytes) -> dict[str, str] | None:
    """Field name (as spelled in ``FIELDS``) -> value (folds kept as ``\\n``), for a plain ASCII
    block; fields NetGuard does not read are left out (they may repeat, as Received does).

    One of ``FIELDS`` that occurs twice is read as the stdlib path reads it (``_known``).
    """
    if not raw.isascii():
        return None
    text = raw.decode("ascii")
    lines = _plain_lines(text)
    if lines is not None:
        fields = _fields_by_lines(lines)
    else:
        ends = raw.translate(None, _PRINTABLE)  # what is left: tabs and line ends, or trouble
        if ends.translate(None, b"\t\r\n"):  # control characters
            return None
        if b"\t" in ends:
            text, ends = text.replace("\t", " "), ends.replace(b"\t", b"")
        other = _lines(text, ends)
        fields = _fields_by_lines(other) if other is not None else None
    return fields if fields is not None else _fields_by_pattern(text)


_PRINTABLE = bytes(range(0x20, 0x7F))


def _fields_by_lines(lines: list[str]) -> dict[str, str] | None:
    """The usual block, ``Name: value`` lines (one space, no folds) ending in one blank line;
    None for anything else (``_fields_by_pattern`` knows)."""
    if len(lines) < 2 or lines[-1] or lines[-2]:
        return None
    del lines[-2:]
    pairs = [line.split(": ", 1) for line in lines]
    try:
        fields = dict(pairs)
    except ValueError:  # a line without ": " (a fold, or a blank line ending the block early)
        return None
    if len(fields) == len(lines) and _CANONICAL.issuperset(fields):
        return fields  # what an IMAP server sends for the fields asked
    if any(not name or " " in name or ":" in name for name, _ in pairs):
        return None  # not a field name (a fold's text, or the body the stdlib reads it as)
    return _known(pairs)


def _plain_lines(text: str) -> list[str] | None:
    """The lines of the usual block: CRLF line ends, no tabs or other control characters, no
    doubled space after a colon."""
    lines = text.split("\r\n")
    return lines if ":  " not in text and all(map(str.isprintable, lines)) else None


def _lines(text: str, ends: bytes) -> list[str] | None:
    """The lines of a block with LF or CRLF line ends (``ends``: all of them, in order), if it
    has no folds or doubled spaces."""
    if "\n " in text or ":  " in text:
        return None
    if b"\r" not in ends:
        return text.split("\n")
    lines = text.split("\r\n")  # every CR right before an LF: as many CRLF pairs as CRs and LFs
    return None if ends.replace(b"\r\n", b"") or len(lines) != len(ends) // 2 + 1 else lines


def _fields_by_pattern(text: str) -> dict[str, str] | None:
    parts = _FIELD.split(text)  # [between, name, value, between, name, value, ..., rest]
    rest = parts[-1]
    if any(parts[0:-1:3]) or (rest and rest[0] != "\n" and rest[:2] != "\r\n"):
        return None
    names, values = parts[1::3], parts[2::3]
    if "\n " in text:
        values = [value.replace("\r\n", "\n") for value in values]
    return _known(zip(names, values, strict=True))


def _known(pairs: Iterable[Sequence[str]]) -> dict[str, str]:
    """The ``FIELDS`` among the ``(name, value)`` pairs, respelled (``Message-Id``). One that
    occurs twice reads as the stdlib path reads it: an address field's values as one list
    (``getaddresses`` joins them with ``", "``), any other field's first value (``Message.get``)."""
    found: dict[str, str] = {}
    for name, value in pairs:
        known = _SPELLING.get(name.lower())
        if known is None:
            continue
        if known not in found:
            found[known] = value
        elif known in _ADDRESS_FIELDS:
            found[known] += ", " + value
    return found


_ADDRESS_FIELDS = frozenset({"From", "To", "Cc"})  # read with ``addresses`` (``get_all``)


def _values(fields: dict[str, str], raw: bytes,
            fallback: Callable[[], datetime]) -> HeaderValues | None:
    get = fields.get
    senders = _address_list(get("From", ""))
    to = _address_list(get("To", ""))
    cc = _address_list(get("Cc", ""))
    if senders is None or to is None or cc is None:
        return None
    time, source = _field_time(get("Date"), fallback)
    subject_field = get("Subject")
    subject, out_of_office = _subject(subject_field) if subject_field else ("", False)
    sender = senders[0] if senders else None
    ids, replied, refs = get("Message-ID"), get("In-Reply-To"), get("References")
    flagged = not _FLAGGED.isdisjoint(fields)  # personal mail, the most of it, has none of them
    return (
        (_id_in(ids) if ids else "") or _message_id("", raw),  # message_id
        _id_in(replied) if replied else "",  # in_reply_to
        " ".join(_MSGID.findall(refs)) if refs else "",  # references
        time, source, sender, to, cc, subject,
        out_of_office or _automatic_fields(fields, sender, flagged),  # automatic
        "List-Id" in fields,  # is_list
        bulk_signs("List-Unsubscribe" in fields, "Feedback-ID" in fields,
                   get("Precedence", "")) if flagged else 0,  # bulk_signs
    )


def _id_in(value: str) -> str:
    """The first message id in a value of the lean path (printable ASCII, folds as ``\n ``);
    ``""`` for none. Most values are one id alone: taken as they are, without the pattern."""
    if (value[0] == "<" and value[-1] == ">" and value.count("<") == 1 and value.count(">") == 1
            and " " not in value and len(value) > 2):
        return value
    found = _MSGID.search(value)
    return found.group(0) if found else ""


def _automatic_fields(fields: dict[str, str], sender: Address | None, flagged: bool) -> bool:
    """``_automatic`` for a message whose subject is not an out-of-office one; ``flagged``:
    ``fields`` holds one of ``_FLAGGED``."""
    if flagged:
        get = fields.get
        return _automatic(
            get("Auto-Submitted", ""), "X-Autoreply" in fields or "X-Autorespond" in fields,
            get("Precedence", ""), get("Content-Type", ""), sender=sender, subject="")
    kind = fields.get("Content-Type")
    return (sender is not None and sender.addr.startswith(_BOUNCE_PREFIXES)) or (
        kind is not None and "multipart/report" in kind.lower())


# The fields that can make a message automatic or bulk: rare in personal mail.
_FLAGGED = frozenset({"Auto-Submitted", "X-Autoreply", "X-Autorespond", "Precedence",
                      "List-Unsubscribe", "Feedback-ID"})
_BOUNCE_PREFIXES = tuple(f"{name}@" for name in sorted(_BOUNCE_SENDERS))


@lru_cache(maxsize=16384)
def _subject(value: str) -> tuple[str, bool]:
    """Decoded subject and whether it reads as an out-of-office reply (subjects repeat)."""
    subject = decode_text(value)
    return subject, _out_of_office(subject)


_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_ADDR = rf"{_ATOM}(?:\.{_ATOM})*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
_PHRASE = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?: +[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
# Words alone, without "@" ("iemand zonder apenstaart"): the stdlib reads the first word as an
# address, which ``addresses`` drops for its missing "@"; the list goes on after the comma.
_WORDS = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+(?: +[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+)*"
_MAILBOX = re.compile(
    rf' *(?:(?:"(?P<quoted>[^"\\]*)"|(?P<phrase>{_PHRASE}))? *<(?P<angle>{_ADDR})>'
    rf"|(?P<bare>{_ADDR})|{_WORDS}) *(?:,|\Z)"
)


@lru_cache(maxsize=65536)
def _address_list(folded: str) -> tuple[Address, ...] | None:
    """One address header's mailboxes (the same lists recur: cached); ``()`` for ``""``."""
    if _native is not None:
        found = _native.address_list(folded)
        if found is not None:
            return found
    return _lean_address_list(folded)


def _lean_address_list(folded: str) -> tuple[Address, ...] | None:
    """``_address_list`` in Python; None: a shape the lean path leaves to the stdlib."""
    value = folded.replace("\n", "")
    if ":" in value and (group := _EMPTY_GROUP.match(value)) is not None:
        value = value[group.end():]  # "undisclosed-recipients:;" (Bcc only): no mailbox
    if '"' not in value:  # commas only separate mailboxes: each one is cached on its own
        found = [_mailbox(part) for part in value.split(",") if part.strip(" ")]
        if None in found:
            return None
        return tuple(a for a in found if a is not None and a is not _NOBODY)
    if "\n" in folded and _fold_in_quotes(folded):
        return None
    found_quoted: list[Address] = []
    position, end = 0, len(value)
    while position < end:
        if value[position] in ", ":
            position += 1
            continue
        match = _MAILBOX.match(value, position)
        if match is None:
            return None
        position = match.end()
        address = _address(match)
        if address is not _NOBODY:
            found_quoted.append(address)
    return tuple(found_quoted)


# An empty group of plain words leading the list: the stdlib reads no address from it, and the
# rest of the list as it reads it alone.
_EMPTY_GROUP = re.compile(r" *[A-Za-z0-9-]+(?: +[A-Za-z0-9-]+)* *: *; *(?:,|\Z)")


def _fold_in_quotes(folded: str) -> bool:
    """A line fold inside a quoted name (the stdlib reads those otherwise: left to it)."""
    return any("\n" in quoted for quoted in folded.split('"')[1::2])


@lru_cache(maxsize=65536)
def _mailbox(text: str) -> Address | None:
    match = _MAILBOX.fullmatch(text)
    return _address(match) if match else None


def _address(match: re.Match[str]) -> Address:
    """The mailbox ``_MAILBOX`` matched, or ``_NOBODY`` for words without an address."""
    addr = match["angle"] or match["bare"]
    if addr is None:
        return _NOBODY
    name = match["quoted"] or match["phrase"] or ""
    if "=?" in name or "  " in name or name[:1] == " " or name[-1:] == " ":
        name = decode_text(name)
    return Address(addr.lower(), name.strip('"'))


_NOBODY = Address("", "")  # the words of ``_MAILBOX`` that hold no address (left out)


_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_DATE = re.compile(
    r" *(?:[A-Za-z]{3}, *)?(\d{1,2} +[A-Za-z]{3} +\d{4}) +(\d{2}):(\d{2})(?::(\d{2}))? +"
    r"([+-]\d{2}[0-5]\d)(?: *\([^()]*\))? *\Z"
)
_EPOCH_DAY = date(1970, 1, 1).toordinal()
# ``_DATE`` with the clock cut out (as ``|``): what stays repeats from message to message.
_DAY_AROUND = re.compile(
    r" *(?:[A-Za-z]{3}, *)?(\d{1,2} +[A-Za-z]{3} +\d{4}) +\| +"
    r"([+-]\d{2}[0-5]\d)(?: *\([^()]*\))? *\Z"
)
_MINUTES = {f"{h:02}:{m:02}": h * 3600 + m * 60 for h in range(24) for m in range(60)}
_SECONDS = {f":{s:02}": s for s in range(60)}


def _fast_epoch(value: str, fallback: Callable[[], datetime]) -> tuple[int, TimeSource]:
    """The Date header as UTC epoch seconds (``message_time``, without building datetimes).

    The usual ``Tue, 1 Jul 2025 10:00:00 +0200`` is read as its clock (looked up) and the rest
    (the same for every message of that day and zone: cached); any other shape, as ``_DATE``.
    """
    colon = value.find(":")
    minute = _MINUTES.get(value[colon - 2:colon + 3]) if colon >= 2 else None
    second = _SECONDS.get(value[colon + 3:colon + 6])
    if minute is not None and second is not None:
        start = _day_around(value[:colon - 2] + "|" + value[colon + 6:])
        if start is not None and (time := start + minute + second) < _END:
            return time, TimeSource.DATE
    return _pattern_epoch(value, fallback)


@lru_cache(maxsize=16384)
def _day_around(text: str) -> int | None:
    match = _DAY_AROUND.match(text)
    return _day_start(*match.groups()) if match else None


def _pattern_epoch(value: str, fallback: Callable[[], datetime]) -> tuple[int, TimeSource]:
    match = _DATE.match(value)
    if match is not None:
        day, hour, minute, second, zone = match.groups()
        start = _day_start(day, zone)
        h, m, s = int(hour), int(minute), int(second or 0)
        if start is not None and h < 24 and m < 60 and s < 60:
            time = start + h * 3600 + m * 60 + s
            if time < _END:  # else beyond 9999 in UTC: left to the stdlib, as an unusable Date
                return time, TimeSource.DATE
    return _slow_epoch(value, fallback)


@lru_cache(maxsize=16384)
def _day_start(day: str, zone: str) -> int | None:
    """Epoch seconds of 00:00 on ``day`` (``1 Jul 2025``) in ``zone`` (``+0200``), or None for
    a day that does not exist or is outside 1970-9999 (days and zones repeat: cached)."""
    number, month_name, year = day.split()
    month = _MONTHS.get(month_name.lower())
    if month is None or not 1970 <= int(year) <= 9999:
        return None
    try:
        days = date(int(year), month, int(number)).toordinal() - _EPOCH_DAY
    except ValueError:  # a day the month lacks
        return None
    offset = int(zone[1:3]) * 3600 + int(zone[3:]) * 60
    return days * 86400 - (offset if zone[0] == "+" else -offset)


def _field_time(value: str | None, fallback: Callable[[], datetime]) -> tuple[int, TimeSource]:
    """The time of a message whose Date field (as the lean path reads it) is ``value``, None
    when it has none: ``_fast_epoch``, or INTERNALDATE."""
    if value is None:
        return epoch_seconds(fallback()), TimeSource.INTERNALDATE
    return _fast_epoch(value, fallback)


def _row_time(value: str | None, fallback: Callable[[Any], datetime], argument: Any
              ) -> tuple[int, str]:
    """``_field_time`` for the compiled ``add_row``, of a Date it does not read itself: the
    time and its ``TimeSource`` value; ``fallback(argument)`` is INTERNALDATE."""
    time, source = _field_time(value, partial(fallback, argument))
    return time, source.value


def _slow_epoch(value: str, fallback: Callable[[], datetime]) -> tuple[int, TimeSource]:
    found, source = message_time(value, _EPOCH)
    return epoch_seconds(found if source is TimeSource.DATE else fallback()), source


_EPOCH = datetime.fromtimestamp(0, UTC)
_END = epoch_seconds(datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)) + 1


# Appends a header block's store rows (``store.messages.Rows``: the message row, its recipient
# rows or None for a folder that keeps none) for the UID; False, appending nothing, for a block
# the compiled module leaves to ``parse_values``. The last two: a function and its argument
# that give INTERNALDATE, called only when the Date is missing or unusable (as ``fallback`` of
# ``parse_values``; given apart, so that no function is made for each message: a sync gives
# the FETCH's INTERNALDATE bytes, an import the message's own fallback and ``operator.call``).
RowAdder = Callable[[list[Any], list[Any] | None, int, bytes, Callable[[Any], datetime], Any],
                    bool]


def row_adder() -> RowAdder | None:
    """The compiled reader of whole header blocks into store rows; None without it."""
    return _native.add_row if _native is not None else None


# Gather a batch's rows into the first load's sides (``analysis.first_load``): its recipient
# rows (sides, names, new side, recipient rows, counted per message, the batch's first number)
# and a received batch's senders (sides, names, new side, message rows, first number); and make
# one side's summary rows (address, codes, names, times, ids).
RecipientGatherer = Callable[[dict[str, Any], dict[str, str], Callable[[], Any], list[Any],
                              list[bool], int], None]
SenderGatherer = Callable[[dict[str, Any], dict[str, str], Callable[[], Any], list[Any], int],
                          None]
SideRows = Callable[[str, Any, list[str], Any, list[str]], list[Any]]


def summary_loops() -> tuple[RecipientGatherer, SenderGatherer, SideRows] | None:
    """The compiled loops of ``FirstLoad._sent``, ``_received`` and ``_rows``; None without
    them."""
    if _native is None:
        return None
    return _native.gather_recipients, _native.gather_senders, _native.side_rows


# Reads the FETCH answers of the usual shape at the start of the bytes into the list, within
# the budget (bytes) and the largest literal allowed; returns the bytes they took.
FetchScanner = Callable[[bytes, list[tuple[int, bytes, bytes]], int, int], int]


def fetch_scanner() -> FetchScanner | None:
    """The compiled reader of FETCH answers (``fetch.read_fetch``'s); None without it."""
    return _native.scan_fetch if _native is not None else None


class _Native(Protocol):
    """What ``_headers_native`` offers (see its ``.pyi``)."""

    def fields(self, raw: bytes, /) -> dict[str, str] | None: ...

    def address_list(self, folded: str, /) -> tuple[Address, ...] | None: ...

    def add_row(self, messages: list[Any], recipients: list[Any] | None, uid: int,  # noqa: PLR0917
                raw: bytes, fallback: Callable[[Any], datetime], argument: Any, /) -> bool: ...

    def scan_fetch(self, data: bytes, found: list[tuple[int, bytes, bytes]], budget: int,
                   max_literal: int, /) -> int: ...

    def gather_recipients(self, sides: dict[str, Any], names: dict[str, str],  # noqa: PLR0917
                          new_side: Callable[[], Any], recipients: list[Any],
                          counted: list[bool], first: int, /) -> None: ...

    def gather_senders(self, sides: dict[str, Any], names: dict[str, str],
                       new_side: Callable[[], Any], messages: list[Any], first: int,
                       /) -> None: ...

    def side_rows(self, address: str, codes: Any, names: list[str], times: Any,
                  ids: list[str], /) -> list[Any]: ...


def _load_native() -> _Native | None:
    """The compiled fast path, configured; None without it or with NETGUARD_PURE_HEADERS=1."""
    if os.environ.get("NETGUARD_PURE_HEADERS") == "1":
        return None
    try:
        from netguard.mail import _headers_native
    except ImportError:
        return None
    _configure(_headers_native)
    return _headers_native


def _configure(module: _Configurable) -> None:
    """Hand the compiled module what it builds and calls (tests configure theirs so too)."""
    module.configure(FIELDS, Address, decode_text, _plain_address())
    module.configure_rows(TimeSource.DATE.value, _subject, (_UNSUBSCRIBE, _FEEDBACK, _PRECEDENCE),
                          _row_time)


class _Configurable(Protocol):
    def configure(self, fields: tuple[str, ...], address: type[Address],
                  decode_text: Callable[[object], str], plain: bool, /) -> None: ...

    def configure_rows(self, date_source: str, subject: Callable[[str], tuple[str, bool]],
                       signs: tuple[int, int, int],
                       time: Callable[[str | None, Callable[[Any], datetime], Any],
                                      tuple[int, str]], /) -> None: ...


def _plain_address() -> bool:
    """Whether ``Address.__init__`` does nothing but set its two fields (then the compiled
    module sets them itself, as that ``__init__`` does, through ``object.__setattr__``)."""
    return (list(getattr(Address, "__dataclass_fields__", ())) == ["addr", "name"]
            and not hasattr(Address, "__post_init__") and "__slots__" in vars(Address))


_native = _load_native()
