"""My own addresses (login and aliases) and per-contact choices (muting, keep-in-touch
cadence)."""

from __future__ import annotations

import sqlite3


def my_names(conn: sqlite3.Connection) -> list[str]:
    """The display names I send under, most used first."""
    rows = conn.execute(
        "SELECT from_name FROM messages JOIN folders ON folders.id = messages.folder_id "
        "WHERE folders.role = 'sent' AND from_name != '' "
        "GROUP BY from_name ORDER BY count(*) DESC LIMIT 5"
    )
    return [str(row[0]) for row in rows]


def my_addresses(conn: sqlite3.Connection) -> frozenset[str]:
    """SPEC §1 "Me": the login and aliases, plus every From address seen in a Sent folder."""
    rows = conn.execute(
        "SELECT address FROM me UNION SELECT DISTINCT from_addr FROM messages "
        "JOIN folders ON folders.id = messages.folder_id "
        "WHERE folders.role = 'sent' AND from_addr != ''"
    )
    return frozenset(row[0] for row in rows)


def add_me(conn: sqlite3.Connection, address: str, source: str = "alias") -> None:
    conn.execute(
        "INSERT INTO me (address, source) VALUES (?, ?) ON CONFLICT (address) DO NOTHING",
        (address.strip().lower(), source),
    )


def remove_me(conn: sqlite3.Connection, address: str) -> None:
    conn.execute("DELETE FROM me WHERE address = ?", (address.strip().lower(),))


def set_muted(conn: sqlite3.Connection, address: str, muted: bool) -> None:
    conn.execute(
        "INSERT INTO contacts (address, muted) VALUES (?, ?) "
        "ON CONFLICT (address) DO UPDATE SET muted = excluded.muted",
        (address.strip().lower(), int(muted)),
    )


def muted_contacts(conn: sqlite3.Connection) -> frozenset[str]:
    return frozenset(row[0] for row in conn.execute("SELECT address FROM contacts WHERE muted"))


def set_cadence(conn: sqlite3.Connection, address: str, cadence: str | None) -> None:
    """The keep-in-touch cadence for ``address`` (a code of ``analysis.cadence``; None: none)."""
    conn.execute(
        "INSERT INTO contacts (address, cadence) VALUES (?, ?) "
        "ON CONFLICT (address) DO UPDATE SET cadence = excluded.cadence",
        (address.strip().lower(), cadence),
    )


def cadences(conn: sqlite3.Connection) -> dict[str, str]:
    """Every contact with a keep-in-touch cadence: address -> code."""
    rows = conn.execute("SELECT address, cadence FROM contacts WHERE cadence IS NOT NULL")
    return {str(address): str(code) for address, code in rows}


def cadence_of(conn: sqlite3.Connection, address: str) -> str | None:
    row = conn.execute("SELECT cadence FROM contacts WHERE address = ?",
                       (address.strip().lower(),)).fetchone()
    return str(row[0]) if row and row[0] else None
