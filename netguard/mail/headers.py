"""From raw header bytes to ``MailHeaders``: decoding, addresses, time, and "automatic".

Mail content is hostile input: nothing here raises on malformed headers. A broken encoded
word stays raw text, an unparseable Date falls back to the given INTERNALDATE, an address
without ``@`` is dropped.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import getaddresses, parsedate_to_datetime

from netguard.model import Address, MailHeaders, TimeSource

# The header fields NetGuard fetches (SPEC §4), in the order of the IMAP request.
FIELDS = (
    "Message-ID", "In-Reply-To", "References", "Date", "From", "To", "Cc", "Subject",
    "Auto-Submitted", "X-Autoreply", "X-Autorespond", "Precedence", "List-Id", "Content-Type",
)

_BULK_PRECEDENCE = frozenset({"bulk", "junk", "list", "auto_reply"})
_BOUNCE_SENDERS = frozenset({"mailer-daemon", "postmaster"})
_OUT_OF_OFFICE = re.compile(
    r"out of (the )?office|automatic reply|auto(matic)?[- ]?reply|autoreply|"
    r"automatisch antwoord|afwezig|afwezigheidsmelding|abwesenheitsnotiz|"
    r"absence du bureau|r[ée]ponse automatique|vacation reply|on vacation",
    re.IGNORECASE,
)
_MSGID = re.compile(r"<[^<>\s]+>")
_parser = BytesHeaderParser(policy=compat32)


def parse(raw: bytes, fallback_time: datetime) -> MailHeaders:
    """Interpret the header block ``raw``; ``fallback_time`` is INTERNALDATE (aware)."""
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
    )


def decode_text(value: object) -> str:
    """RFC 2047 decoded text, or the raw text when the encoding is broken."""
    text = _raw_text(value)
    if "=?" not in text:
        return _unfold(text)
    try:
        return _unfold(str(make_header(decode_header(text))))
    except (ValueError, LookupError, UnicodeError, AssertionError):
        return _unfold(text)


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
        except (TypeError, ValueError, IndexError, OverflowError):
            parsed = None
        if parsed is not None and 1970 <= parsed.year <= 9999:
            aware = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
            return aware.astimezone(UTC), TimeSource.DATE
    return fallback.astimezone(UTC), TimeSource.INTERNALDATE


def is_automatic(msg: Message, sender: Address | None, subject: str) -> bool:
    """SPEC §1: auto-submitted, auto-reply headers, bulk precedence, bounce, out-of-office."""
    auto = _raw_text(msg.get("Auto-Submitted")).strip().lower()
    if auto and auto != "no":
        return True
    if msg.get("X-Autoreply") is not None or msg.get("X-Autorespond") is not None:
        return True
    if _raw_text(msg.get("Precedence")).strip().lower() in _BULK_PRECEDENCE:
        return True
    if sender is not None and sender.addr.split("@")[0] in _BOUNCE_SENDERS:
        return True
    if "multipart/report" in _raw_text(msg.get("Content-Type")).lower():
        return True
    return bool(_OUT_OF_OFFICE.search(subject))


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
    return str(value)


def _unfold(text: str) -> str:
    return " ".join(text.split())
