"""Writing synced or imported message headers, and the per-folder sync state."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain

from netguard.model import FolderState, HeaderValues, MailHeaders, Role
from netguard.store import summary
from netguard.store.db import transaction
from netguard.store.migrations import INDEXES


def folder_state(conn: sqlite3.Connection, name: str) -> FolderState | None:
    row = conn.execute(
        "SELECT name, role, uidvalidity, highest_uid FROM folders WHERE name = ?", (name,)
    ).fetchone()
    return FolderState(row[0], Role(row[1]), row[2], row[3]) if row else None


def ensure_folder(conn: sqlite3.Connection, name: str, role: Role, source: str = "imap") -> int:
    """The folder's id, creating it (or updating its role) as needed.

    A folder that becomes one whose recipients are kept (received, now sent) starts over:
    its stored rows lack them, and the next sync fetches it again.
    """
    before = folder_state(conn, name)
    conn.execute(
        "INSERT INTO folders (name, role, source) VALUES (?, ?, ?) "
        "ON CONFLICT (name) DO UPDATE SET role = excluded.role",
        (name, role.value, source),
    )
    folder_id: int = conn.execute("SELECT id FROM folders WHERE name = ?", (name,)).fetchone()[0]
    if before is not None and keeps_recipients(role) and not keeps_recipients(before.role):
        reset_folder(conn, folder_id, before.uidvalidity)
    if before is not None and before.role != role:
        summary.mark_stale(conn)  # its messages now count the other way
    return folder_id


def keeps_recipients(role: Role) -> bool:
    """Whom a message went to matters only for mine: every question NetGuard asks of
    recipients is about what I sent (or drafted). Received mail keeps only their count."""
    return role is not Role.RECEIVED


def reset_folder(conn: sqlite3.Connection, folder_id: int, uidvalidity: int) -> None:
    """Forget every stored message of the folder (its UIDVALIDITY changed)."""
    with transaction(conn):
        _forget(conn, folder_id)
        conn.execute(
            "UPDATE folders SET uidvalidity = ?, highest_uid = 0 WHERE id = ?",
            (uidvalidity, folder_id),
        )


# One message as stored, led by its index in its batch: the row id is the batch's base + index.
# uid, message_id, in_reply_to, refs, time, time_source, from_addr, from_name, subject,
# automatic, is_list, n_recipients, bulk_signs
MessageRow = tuple[int, int, str, str, str, int, str, str, str, str, int, int, int, int]
# The message's index in its batch, address, name, and the kind as a number (``TO``, ``CC``):
# an integer costs SQLite's binding a fraction of a text (780k rows at 100k + 100k).
RecipientRow = tuple[int, str, str, int]
TO, CC = 0, 1  # a recipient row's kind: stored as 'to' and 'cc'


@dataclass(frozen=True, slots=True)
class Rows:
    """A batch in the store's own shape: plain tuples, cheap to build elsewhere and to send.
    ``with_recipients`` is ``keeps_recipients`` of the batch's folder."""

    with_recipients: bool = True
    messages: list[MessageRow] = field(default_factory=list)
    recipients: list[RecipientRow] = field(default_factory=list)

    def add(self, uid: int, headers: MailHeaders) -> None:
        self.add_values(uid, headers.values())

    def add_values(self, uid: int, values: HeaderValues) -> None:
        (message_id, in_reply_to, references, time, source, sender, to, cc, subject, automatic,
         is_list, bulk_signs) = values
        index = len(self.messages)
        self.messages.append((
            index, uid, message_id, in_reply_to, references, time, source.value,
            sender.addr if sender else "", sender.name if sender else "",
            subject, int(automatic), int(is_list), len(to) + len(cc), bulk_signs,
        ))
        if self.with_recipients:
            self.recipients.extend([(index, a.addr, a.name, TO) for a in to])
            if cc:
                self.recipients.extend([(index, a.addr, a.name, CC) for a in cc])


Stored = Callable[[int, Role, Rows], None]  # folder id, its role, the rows committed


def add_batch(
    conn: sqlite3.Connection,
    folder_id: int,
    batch: Sequence[tuple[int, MailHeaders]],
    highest_uid: int,
) -> None:
    """Store one batch of ``(uid, headers)`` and advance the folder's highest UID, atomically."""
    role = conn.execute("SELECT role FROM folders WHERE id = ?", (folder_id,)).fetchone()[0]
    rows = Rows(keeps_recipients(Role(role)))
    for uid, headers in batch:
        rows.add(uid, headers)
    add_rows(conn, folder_id, rows, highest_uid)


def add_rows(conn: sqlite3.Connection, folder_id: int, rows: Rows, highest_uid: int) -> None:
    """Store one batch of rows and advance the folder's highest UID, atomically.

    A UID already stored is replaced, so a batch repeated after a dropped connection adds
    nothing twice; UIDs above the folder's highest stored one cannot be there and skip that.
    """
    with transaction(conn):
        if rows.messages:
            _insert(conn, folder_id, rows)
        conn.execute(
            "UPDATE folders SET highest_uid = max(highest_uid, ?), stored = stored + ?"
            " WHERE id = ?", (highest_uid, len(rows.messages), folder_id),
        )


def _insert(conn: sqlite3.Connection, folder_id: int, rows: Rows) -> None:
    """The rows as they come: SQLite adds the batch's base to each index (no loop here)."""
    stored, last_id = conn.execute(
        "SELECT (SELECT max(uid) FROM messages WHERE folder_id = ?), "
        "(SELECT coalesce(max(id), 0) FROM messages)", (folder_id,)).fetchone()
    if stored is not None:
        _forget(conn, folder_id, [row[1] for row in rows.messages if row[1] <= stored])
    base, folder = int(last_id) + 1, int(folder_id)  # integers: safe inside the statement
    _insert_rows(conn, "INSERT INTO messages (id, folder_id, uid, message_id, in_reply_to, refs,"
                 " time, time_source, from_addr, from_name, subject, automatic, is_list,"
                 " n_recipients, bulk_signs) VALUES ",
                 f"(? + {base}, {folder}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows.messages)
    _insert_rows(conn, "INSERT INTO recipients (message, address, name, kind) VALUES ",
                 f"(? + {base}, ?, ?, CASE WHEN ? THEN 'cc' ELSE 'to' END)", rows.recipients)


ROWS_PER_INSERT = 32  # rows per INSERT statement: each statement run costs as much as a row


def _insert_rows(conn: sqlite3.Connection, head: str, one: str,
                 rows: Sequence[Sequence[object]]) -> None:
    """``head`` + ``one`` for every row, ``ROWS_PER_INSERT`` rows to a statement."""
    whole = len(rows) - len(rows) % ROWS_PER_INSERT
    if whole:
        conn.executemany(head + ",".join([one] * ROWS_PER_INSERT), [
            tuple(chain.from_iterable(rows[start:start + ROWS_PER_INSERT]))
            for start in range(0, whole, ROWS_PER_INSERT)])
    if whole < len(rows):
        conn.executemany(head + one, rows[whole:])


def _forget(conn: sqlite3.Connection, folder_id: int, uids: Sequence[int] | None = None) -> None:
    """Delete the folder's messages with ``uids`` (all of them: None) and their recipients.

    The recipients are deleted here, not by the foreign key's cascade, which a bulk load turns
    off. Messages gone make the per-contact summary stale (rebuilt when next read), and leave
    the folder's count (``stored``) that many fewer."""
    before = conn.total_changes
    if uids is None:
        conn.execute("DELETE FROM recipients WHERE message IN"
                     " (SELECT id FROM messages WHERE folder_id = ?)", (folder_id,))
        gone = conn.execute("DELETE FROM messages WHERE folder_id = ?", (folder_id,)).rowcount
    else:
        pairs = [(folder_id, uid) for uid in uids]
        conn.executemany("DELETE FROM recipients WHERE message ="
                         " (SELECT id FROM messages WHERE folder_id = ? AND uid = ?)", pairs)
        gone = conn.executemany("DELETE FROM messages WHERE folder_id = ? AND uid = ?",
                                pairs).rowcount
    if gone > 0:
        conn.execute("UPDATE folders SET stored = stored - ? WHERE id = ?", (gone, folder_id))
    if conn.total_changes != before:
        summary.mark_stale(conn)


@contextmanager
def bulk_load(conn: sqlite3.Connection) -> Iterator[None]:
    """Set the secondary indexes aside for a large first load; they are built after it.

    Updating them row by row costs more than the rows themselves; one build after the load is
    several times cheaper. The load leaves that build to ``db.restore_indexes``: the sync's
    caller runs it after the sync has returned (``summary.keep_up``), and the next
    ``open_store`` does (after a killed process, say); queries meanwhile read without them. (Without
    ``recipients_message`` a replayed batch would delete its recipients by scanning them; a
    sync replays none: it stores only UIDs it asked for, above the highest one stored.)

    Foreign keys are off meanwhile (checked row by row, they cost a tenth of storing): the load
    writes only rows it numbered itself, and ``_forget`` deletes recipients without the cascade.
    The page cache is ``BULK_CACHE_KIB`` and nothing is memory-mapped meanwhile: rows are
    appended, so a larger cache only holds written pages, and pages read through the map count
    in the process's memory.
    """
    with transaction(conn):
        for name in INDEXES:
            conn.execute(f"DROP INDEX IF EXISTS {name}")
    conn.execute("PRAGMA foreign_keys = OFF")
    before = {name: conn.execute(f"PRAGMA {name}").fetchone() for name in _BULK_PRAGMAS}
    for name, value in _BULK_PRAGMAS.items():
        conn.execute(f"PRAGMA {name} = {value}")
    try:
        yield
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
        for name, row in before.items():
            if row is not None:  # a store in memory has no mmap_size
                conn.execute(f"PRAGMA {name} = {int(row[0])}")


BULK_CACHE_KIB = 16 * 1024  # the page cache of a bulk load
_BULK_PRAGMAS = {"cache_size": -BULK_CACHE_KIB, "mmap_size": 0}


def set_uidvalidity(conn: sqlite3.Connection, folder_id: int, uidvalidity: int) -> None:
    conn.execute("UPDATE folders SET uidvalidity = ? WHERE id = ?", (uidvalidity, folder_id))


def count_messages(conn: sqlite3.Connection, folder: str) -> int:
    """How many messages of ``folder`` the store holds (kept as rows are written: counting
    them took some 5 ms a folder of 100,000, in every sync)."""
    row = conn.execute("SELECT stored FROM folders WHERE name = ?", (folder,)).fetchone()
    return int(row[0]) if row else 0


def recount(conn: sqlite3.Connection) -> None:
    """Every folder's count again from its messages: for rows written other than through this
    module (a benchmark's store built with SQL)."""
    conn.execute("UPDATE folders SET stored ="
                 " (SELECT count(*) FROM messages WHERE folder_id = folders.id)")


def count_all(conn: sqlite3.Connection) -> int:
    """How many messages the store holds: the folders' counts (``count_messages``) summed,
    where ``count(*)`` reads every row (some 10 ms at 200,000)."""
    return int(conn.execute("SELECT coalesce(sum(stored), 0) FROM folders").fetchone()[0])


def is_empty(conn: sqlite3.Connection) -> bool:
    """Whether the store holds no message (one row read)."""
    return conn.execute("SELECT 1 FROM messages LIMIT 1").fetchone() is None


def keep_only(conn: sqlite3.Connection, folder_id: int, uids: AbstractSet[int]) -> None:
    """Forget the folder's messages whose UID is not in ``uids`` (an imported source changed)."""
    rows = conn.execute("SELECT uid FROM messages WHERE folder_id = ?", (folder_id,))
    gone = [uid for (uid,) in rows if uid not in uids]
    with transaction(conn):
        _forget(conn, folder_id, gone)
        conn.execute(
            "UPDATE folders SET highest_uid = ? WHERE id = ?", (max(uids, default=0), folder_id)
        )
