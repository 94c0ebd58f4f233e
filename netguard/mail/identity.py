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
from typing import TYPE_CHECKING, Literal

from netguard.errors import ConfigError
from netguard.settings import Account, Settings
from netguard.texts import language, text

if TYPE_CHECKING:
    from email.headerregistry import Address

Source = Literal["set", "sent", "login"]
# One pass over Sent: how often each (address, name) pair was used, and when last. A plain
# scan: through the from_addr index SQLite reads every message in random order (2-3x slower).
_SENT_FROMS = (
    "SELECT from_addr, from_name, count(*), max(time) FROM messages NOT INDEXED "
    "WHERE folder_id IN (SELECT id FROM folders WHERE role = 'sent') AND from_addr != '' "
    "GROUP BY from_addr, from_name"
)
_Use = tuple[str, str, int, int]  # address, name, uses, latest


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
        from email.headerregistry import Address

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
    # The email package's parser, imported only here: a sync without a From address set
    # never loads it (issue 18).
    from email.errors import HeaderParseError, MessageDefect
    from email.headerregistry import Address

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
    chosen = valid_address(account.from_address)
    if account.from_address.strip() and not chosen:
        return None
    name = " ".join(account.from_name.split())
    if chosen and name:
        return Identity(name, chosen, "set")  # nothing to look up
    uses = _sent_uses(conn)
    found: tuple[str, Source] = (chosen, "set") if chosen else _default_address(uses, account)
    address, source = found
    if not address:
        return None
    return Identity(name or _name_used_with(uses, address), address, source)


def _default_address(uses: list[_Use], account: Account) -> tuple[str, Source]:
    """The From most used in Sent (the latest use breaks a tie); else the login if an address."""
    totals: dict[str, tuple[int, int]] = {}
    for address, _name, count, latest in uses:
        before = totals.get(address, (0, 0))
        totals[address] = (before[0] + count, max(before[1], latest))
    if totals:
        return max(totals, key=lambda address: totals[address]), "sent"
    return valid_address(account.user), "login"


def _name_used_with(uses: list[_Use], address: str) -> str:
    named = [use for use in uses if use[0] == address.lower() and use[1]]
    best = max(named, key=lambda use: (use[2], use[3]), default=None)
    return " ".join(best[1].split()) if best else ""


def _sent_uses(conn: sqlite3.Connection) -> list[_Use]:
    """Every valid From address in Sent with each name used with it (addresses lower-case)."""
    rows = conn.execute(_SENT_FROMS)
    return [(valid_address(str(a)).lower(), str(n).strip(), int(c), int(t))
            for a, n, c, t in rows if valid_address(str(a))]
