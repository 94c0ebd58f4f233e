"""Writing synced or imported message headers, and the per-folder sync state."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager

from netguard.model import FolderState, MailHeaders, Role
from netguard.store.db import restore_indexes, transaction


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
    nothing twice; UIDs above the folder's highest stored one cannot be there and skip that.
    """
    with transaction(conn):
        if batch:
            _insert(conn, folder_id, batch)
        conn.execute(
            "UPDATE folders SET highest_uid = max(highest_uid, ?) WHERE id = ?",
            (highest_uid, folder_id),
        )


def _insert(conn: sqlite3.Connection, folder_id: int,
            batch: Sequence[tuple[int, MailHeaders]]) -> None:
    """Message and recipient rows built in one pass, with the row ids assigned here."""
    stored, last_id = conn.execute(
        "SELECT (SELECT max(uid) FROM messages WHERE folder_id = ?), "
        "(SELECT coalesce(max(id), 0) FROM messages)", (folder_id,)).fetchone()
    if stored is not None:
        conn.executemany("DELETE FROM messages WHERE folder_id = ? AND uid = ?",
                         [(folder_id, uid) for uid, _ in batch if uid <= stored])
    rows: list[tuple[object, ...]] = []
    recipients: list[tuple[int, str, str, str]] = []
    for row_id, (uid, h) in enumerate(batch, start=last_id + 1):
        sender = h.sender
        rows.append((
            row_id, folder_id, uid, h.message_id, h.in_reply_to, " ".join(h.references),
            int(h.time.timestamp()), h.time_source.value,
            sender.addr if sender else "", sender.name if sender else "",
            h.subject, int(h.automatic), int(h.is_list), len(h.to) + len(h.cc),
        ))
        recipients += [(row_id, a.addr, a.name, "to") for a in h.to]
        recipients += [(row_id, a.addr, a.name, "cc") for a in h.cc]
    conn.executemany(
        "INSERT INTO messages (id, folder_id, uid, message_id, in_reply_to, refs, time,"
        " time_source, from_addr, from_name, subject, automatic, is_list, n_recipients)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.executemany(
        "INSERT INTO recipients (message, address, name, kind) VALUES (?, ?, ?, ?)", recipients)


@contextmanager
def bulk_load(conn: sqlite3.Connection) -> Iterator[None]:
    """Set the lookup indexes aside for a large first load and rebuild them once after it.

    Updating them row by row costs more than the rows themselves; one build at the end is
    several times cheaper. Whatever ends the block (Ctrl-C included) rebuilds them here, and a
    killed process leaves that to the next ``open_store``. ``recipients_message`` stays: its
    inserts are appends (row ids only grow) and it keeps deletes cascading fast.
    """
    with transaction(conn):
        for name in BULK_INDEXES:
            conn.execute(f"DROP INDEX IF EXISTS {name}")
    try:
        yield
    finally:
        restore_indexes(conn)


BULK_INDEXES = ("messages_from_time", "messages_message_id", "recipients_address")


def set_uidvalidity(conn: sqlite3.Connection, folder_id: int, uidvalidity: int) -> None:
    conn.execute("UPDATE folders SET uidvalidity = ? WHERE id = ?", (uidvalidity, folder_id))


def count_messages(conn: sqlite3.Connection, folder: str) -> int:
    row = conn.execute(
        "SELECT count(*) FROM messages JOIN folders ON folders.id = folder_id WHERE name = ?",
        (folder,),
    ).fetchone()
    return int(row[0])


def count_all(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM messages").fetchone()[0])


def keep_only(conn: sqlite3.Connection, folder_id: int, uids: AbstractSet[int]) -> None:
    """Forget the folder's messages whose UID is not in ``uids`` (an imported source changed)."""
    rows = conn.execute("SELECT uid FROM messages WHERE folder_id = ?", (folder_id,))
    gone = [(folder_id, uid) for (uid,) in rows if uid not in uids]
    with transaction(conn):
        conn.executemany("DELETE FROM messages WHERE folder_id = ? AND uid = ?", gone)
        conn.execute(
            "UPDATE folders SET highest_uid = ? WHERE id = ?", (max(uids, default=0), folder_id)
        )
