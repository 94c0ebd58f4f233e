"""Writing synced or imported message headers, and the per-folder sync state."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet

from netguard.model import FolderState, MailHeaders, Role
from netguard.store.db import transaction


def folder_state(conn: sqlite3.Connection, name: str) -> FolderState | None:
    row = conn.execute(
        "SELECT name, role, uidvalidity, highest_uid FROM folders WHERE name = ?", (name,)
    ).fetchone()
    return FolderState(row[0], Role(row[1]), row[2], row[3]) if row else None


def ensure_folder(conn: sqlite3.Connection, name: str, role: Role, source: str = "imap") -> int:
    """The folder's id, creating it (or updating its role) as needed."""
    conn.execute(
        "INSERT INTO folders (name, role, source) VALUES (?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET role = excluded.role",
        (name, role.value, source),
    )
    folder_id: int = conn.execute("SELECT id FROM folders WHERE name = ?", (name,)).fetchone()[0]
    return folder_id


def reset_folder(conn: sqlite3.Connection, folder_id: int, uidvalidity: int) -> None:
    """Forget every stored message of the folder (its UIDVALIDITY changed)."""
    with transaction(conn):
        conn.execute("DELETE FROM messages WHERE folder_id = ?", (folder_id,))
        conn.execute(
            "UPDATE folders SET uidvalidity = ?, highest_uid = 0 WHERE id = ?",
            (uidvalidity, folder_id),
        )


def add_batch(
    conn: sqlite3.Connection,
    folder_id: int,
    batch: Sequence[tuple[int, MailHeaders]],
    highest_uid: int,
) -> None:
    """Store one batch of ``(uid, headers)`` and advance the folder's highest UID, atomically.

    A UID already stored is replaced, so a batch repeated after a dropped connection adds
    nothing twice.
    """
    with transaction(conn):
        conn.executemany(
            "DELETE FROM messages WHERE folder_id = ? AND uid = ?",
            ((folder_id, uid) for uid, _ in batch),
        )
        for uid, headers in batch:
            message = _insert_message(conn, folder_id, uid, headers)
            conn.executemany(
                "INSERT INTO recipients (message, address, name, kind) VALUES (?, ?, ?, ?)",
                _recipient_rows(message, headers),
            )
        conn.execute(
            "UPDATE folders SET highest_uid = max(highest_uid, ?) WHERE id = ?",
            (highest_uid, folder_id),
        )


def _insert_message(conn: sqlite3.Connection, folder_id: int, uid: int, h: MailHeaders) -> int:
    cursor = conn.execute(
        "INSERT INTO messages (folder_id, uid, message_id, in_reply_to, refs, time, time_source,"
        " from_addr, from_name, subject, automatic, is_list, n_recipients)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            folder_id, uid, h.message_id, h.in_reply_to, " ".join(h.references),
            int(h.time.timestamp()), h.time_source.value,
            h.sender.addr if h.sender else "", h.sender.name if h.sender else "",
            h.subject, int(h.automatic), int(h.is_list), h.recipient_count,
        ),
    )
    return int(cursor.lastrowid or 0)


def _recipient_rows(message: int, h: MailHeaders) -> Iterable[tuple[int, str, str, str]]:
    for kind, addresses in (("to", h.to), ("cc", h.cc)):
        for address in addresses:
            yield message, address.addr, address.name, kind


def set_uidvalidity(conn: sqlite3.Connection, folder_id: int, uidvalidity: int) -> None:
    conn.execute("UPDATE folders SET uidvalidity = ? WHERE id = ?", (uidvalidity, folder_id))


def count_messages(conn: sqlite3.Connection, folder: str) -> int:
    row = conn.execute(
        "SELECT count(*) FROM messages JOIN folders ON folders.id = folder_id WHERE name = ?",
        (folder,),
    ).fetchone()
    return int(row[0])


def keep_only(conn: sqlite3.Connection, folder_id: int, uids: AbstractSet[int]) -> None:
    """Forget the folder's messages whose UID is not in ``uids`` (an imported source changed)."""
    rows = conn.execute("SELECT uid FROM messages WHERE folder_id = ?", (folder_id,))
    gone = [(folder_id, uid) for (uid,) in rows if uid not in uids]
    with transaction(conn):
        conn.executemany("DELETE FROM messages WHERE folder_id = ? AND uid = ?", gone)
        conn.execute(
            "UPDATE folders SET highest_uid = ? WHERE id = ?", (max(uids, default=0), folder_id)
        )
