"""What the relay does with one message: refuse it (and say why), or pass it upstream.

Only the guard's To recipients count (SPEC §1); an allowance from ``netguard allow`` lets
the next message to that address through and is used up by it. Replies are SMTP text:
plain ASCII on one line, in the user's language.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from dataclasses import dataclass
from email import policy
from email.parser import BytesHeaderParser
from email.utils import getaddresses

from netguard import outbox
from netguard.analysis import guard
from netguard.analysis.model import RecipientVerdict
from netguard.mail.identity import derive
from netguard.model import MailHeaders
from netguard.settings import Settings
from netguard.store.people import my_addresses
from netguard.texts import text

HEADER_LIMIT = 1024 * 1024
_HEADERS = BytesHeaderParser(policy=policy.compat32)


@dataclass(frozen=True)
class Decision:
    """``reply`` is the SMTP answer when the relay must not pass the message on."""

    headers: MailHeaders
    reply: str = ""
    allowed_past: tuple[str, ...] = ()  # warned recipients let through by an allowance
    warned: tuple[RecipientVerdict, ...] = ()  # why the guard refused it (empty: other refusals)
    resent: bool = False  # a bounce or redirect: someone's earlier mail, not mine to store


def is_mine(conn: sqlite3.Connection, settings: Settings, address: str) -> bool:
    """SPEC §1 "Me", plus the login and the identity's From address (set before any mail)."""
    wanted = address.strip().strip("<>").lower()
    if wanted in my_addresses(conn) | {settings.account.user.lower()}:
        return True
    identity = derive(conn, settings.account)  # asked only when needed: it reads Sent
    return identity is not None and identity.address.lower() == wanted


def header_block(raw: bytes) -> bytes:
    """The message's header block (up to the first empty line, at most ``HEADER_LIMIT``):
    all the guard needs, however large the body."""
    ends = [i for i in (raw.find(b"\r\n\r\n", 0, HEADER_LIMIT),
                        raw.find(b"\n\n", 0, HEADER_LIMIT)) if i >= 0]
    return raw[:min(ends) + 2] if ends else raw[:HEADER_LIMIT]


def resent_by(header: bytes) -> str:
    """The address in the newest ``Resent-From`` (a bounce or redirect, RFC 5322 §3.6.6:
    the resender's block is on top), or ""."""
    value = _HEADERS.parsebytes(header).get("Resent-From")
    found = getaddresses([str(value)]) if value is not None else []
    return found[0][1] if found else ""


def decide(conn: sqlite3.Connection, settings: Settings, sender: str, headers: MailHeaders,
           lang: str, *, judged: bool = False, resender: str = "") -> Decision:
    """What to do with a message with these ``headers``. ``judged``: the guard passed this
    Message-ID before (a copy to other recipients), so it is not judged again. ``resender``:
    a bounce or redirect by this address; it must be mine instead of the author, and the
    message, someone's earlier mail, is not a new follow-up."""
    author = resender or (headers.sender.addr if headers.sender else sender)
    judged = judged or bool(resender)
    for address in (sender, author):
        if not is_mine(conn, settings, address):
            return Decision(headers, smtp_reply(
                553, "5.7.1", text("relay", lang, "not_my_sender", sender=address)))
    if judged:
        return Decision(headers, resent=bool(resender))
    to = [a.addr for a in headers.to]
    verdict = guard.check(conn, settings.rules, to, [a.addr for a in headers.cc], lang=lang)
    warned = [r for r in verdict.recipients if r.warn]
    if not warned:
        return Decision(headers)
    addresses = tuple(r.address for r in warned)
    if outbox.allowed(conn, addresses):
        return Decision(headers, allowed_past=addresses)
    return Decision(headers, smtp_reply(550, "5.7.1", refusal(warned[0], headers, lang)),
                    warned=tuple(warned))


def refusal(verdict: RecipientVerdict, headers: MailHeaders, lang: str) -> str:
    """"NetGuard: this would be your 5th follow-up to Anna this week without an answer ..."."""
    names = {a.addr: a.name for a in headers.to}
    name = names.get(verdict.address) or verdict.address
    first = name.split()[0] if "@" not in name else name
    return text("relay", lang, "refused", ordinal=ordinal(verdict.followups_in_window + 1, lang),
                name=first, address=verdict.address)


def ordinal(n: int, lang: str) -> str:
    if n in (1, 2, 3) and not 11 <= n % 100 <= 13:
        return text("relay", lang, f"ordinal_{n}")
    return text("relay", lang, "ordinal", n=n)


def smtp_reply(code: int, status: str, message: str) -> str:
    """One SMTP reply line, ASCII only (accents dropped, dashes plain), at most 500 chars."""
    plain = message.replace("\u2014", "-").replace("\u2013", "-")
    ascii_text = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode()
    line = " ".join(ascii_text.split())
    return f"{code} {status} {line}"[:500]
