"""UIDs a server left out of its FETCH answer: kept per folder and asked again (issue 16).

A folder's highest UID moves past such a UID (the messages above it are stored), so the UID is
kept here with how many syncs asked for it in vain; after ``MAX_TRIES`` it is given up. Rows go
with their folder (a changed UIDVALIDITY drops them: ``forget``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection

from netguard.store.db import transaction

MAX_TRIES = 3  # syncs that ask for a UID before it is given up


def to_ask(conn: sqlite3.Connection, folder_id: int) -> list[int]:
    """The folder's UIDs to ask for again, ascending."""
    rows = conn.execute("SELECT uid FROM missing_uids WHERE folder_id = ? ORDER BY uid",
                        (folder_id,))
    return [uid for (uid,) in rows]


def record(conn: sqlite3.Connection, folder_id: int, unanswered: Collection[int]) -> list[int]:
    """Count one more vain try of each UID of ``unanswered``; returns those given up now (tried
    ``MAX_TRIES`` times), which leave the table."""
    if not unanswered:
        return []
    with transaction(conn):
        conn.executemany(
            "INSERT INTO missing_uids (folder_id, uid) VALUES (?, ?) "
            "ON CONFLICT (folder_id, uid) DO UPDATE SET tries = tries + 1",
            [(folder_id, uid) for uid in unanswered])
        given_up = [uid for (uid,) in conn.execute(
            "SELECT uid FROM missing_uids WHERE folder_id = ? AND tries >= ? ORDER BY uid",
            (folder_id, MAX_TRIES))]
        conn.execute("DELETE FROM missing_uids WHERE folder_id = ? AND tries >= ?",
                     (folder_id, MAX_TRIES))
    return given_up


def found(conn: sqlite3.Connection, folder_id: int, uids: Collection[int]) -> None:
    """These UIDs were answered (or are gone from the server): no longer missing."""
    if uids:
        with transaction(conn):
            conn.executemany("DELETE FROM missing_uids WHERE folder_id = ? AND uid = ?",
                             [(folder_id, uid) for uid in uids])


def forget(conn: sqlite3.Connection, folder_id: int) -> None:
    """The folder starts over (its UIDVALIDITY changed): its old UIDs mean nothing now."""
    with transaction(conn):
        conn.execute("DELETE FROM missing_uids WHERE folder_id = ?", (folder_id,))
