"""Who I send as: the display name and From address of SPEC §1 "Identity".

    me = resolve(conn, settings)      # set in account setup, derived from Sent, or the login
    message["From"] = me.mailbox      # Sanne de Vries <sanne@example.nl>, RFC 2047 when needed
    make_msgid(domain=me.domain)

Set in account setup (``from_name`` / ``from_address``). Unset, the From address most used in
the store's Sent folder (with the display name most used with it); then the login, but only
when the login is an address. With neither, sending stops with one line saying how to set it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from email.errors import HeaderParseError, MessageDefect
from email.headerregistry import Address
from typing import Literal

from netguard.errors import ConfigError
from netguard.settings import Account, Settings
from netguard.texts import language, text

Source = Literal["set", "sent", "login"]
_SENT_FROM = (
    "SELECT {column}, count(*) AS uses, max(time) AS latest FROM messages m "
    "JOIN folders f ON f.id = m.folder_id "
    "WHERE f.role = 'sent' AND {column} != '' {extra} "
    "GROUP BY {column} ORDER BY uses DESC, latest DESC LIMIT 20"
)


class IdentityMissing(ConfigError):
    """No From address is set, none was found in Sent, and the login is not an address."""


@dataclass(frozen=True)
class Identity:
    """``source`` says where the address came from: set, derived from Sent, or the login."""

    name: str
    address: str
    source: Source

    @property
    def mailbox(self) -> Address:
        """The From header's value: encoded as RFC 2047 by the email package when not ASCII."""
        return Address(display_name=self.name, addr_spec=self.address)

    @property
    def domain(self) -> str:
        """The address's domain in ASCII (IDNA), for Message-IDs."""
        domain = self.address.rpartition("@")[2].strip().lower()
        try:
            return domain.encode("idna").decode("ascii")
        except UnicodeError:
            return domain


def valid_address(value: str) -> str:
    """``value`` as a bare address (``local@domain``), or "" when it is not exactly one."""
    candidate = value.strip()
    if not candidate or any(ch.isspace() for ch in candidate):
        return ""
    try:
        parsed = Address(addr_spec=candidate)
    except (HeaderParseError, MessageDefect, ValueError, IndexError):
        return ""
    has_domain = "." in parsed.domain.strip(".")
    return parsed.addr_spec if parsed.username and has_domain else ""


def resolve(conn: sqlite3.Connection, settings: Settings) -> Identity:
    """The identity to send with; ``IdentityMissing`` (one line, how to fix it) when none."""
    account, lang = settings.account, language(settings.language)
    if account.from_address.strip() and not valid_address(account.from_address):
        raise IdentityMissing(text("account", lang, "bad_from", value=account.from_address))
    found = derive(conn, account)
    if found is None:
        raise IdentityMissing(text("account", lang, "no_identity", user=account.user))
    return found


def derive(conn: sqlite3.Connection, account: Account) -> Identity | None:
    """Like ``resolve``, but None instead of an error (for display and the relay's checks).

    A From address that is set but is not an address gives None, never a guess.
    """
    address, source = _address(conn, account)
    if not address:
        return None
    name = account.from_name.strip() or _name_used_with(conn, address)
    return Identity(name, address, source)


def _address(conn: sqlite3.Connection, account: Account) -> tuple[str, Source]:
    chosen = valid_address(account.from_address)
    if chosen:
        return chosen, "set"
    if account.from_address.strip():
        return "", "set"
    from_sent = _most_used_address(conn)
    if from_sent:
        return from_sent, "sent"
    login = valid_address(account.user)
    return (login, "login") if login else ("", "login")


def _most_used_address(conn: sqlite3.Connection) -> str:
    rows = conn.execute(_SENT_FROM.format(column="from_addr", extra=""))
    return next((valid_address(str(row[0])) for row in rows if valid_address(str(row[0]))), "")


def _name_used_with(conn: sqlite3.Connection, address: str) -> str:
    """The display name most used with ``address`` in Sent (stored addresses are lower-case)."""
    query = _SENT_FROM.format(column="from_name", extra="AND from_addr = ?")
    row = conn.execute(query, (address.lower(),)).fetchone()
    return " ".join(str(row[0]).split()) if row else ""
