"""Schema migrations: one function each, applied in order; ``user_version`` = how many ran."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

# The secondary indexes of schema v1: name -> what it indexes. Declared once: the migration
# creates them, ``messages.bulk_load`` sets them aside for a large first load, and
# ``db.restore_indexes`` (run by ``summary.keep_up`` after the sync, and by ``open_store``)
# recreates them.
INDEXES = {
    "messages_from_time": "messages (from_addr, time)",
    "messages_message_id": "messages (message_id)",
    "recipients_address": "recipients (address, message)",
    "recipients_message": "recipients (message)",
}


def create_index(name: str) -> str:
    return f"CREATE INDEX IF NOT EXISTS {name} ON {INDEXES[name]}"


def _v1_initial(conn: sqlite3.Connection) -> None:
    for statement in _V1:
        conn.execute(statement)
    for name in INDEXES:
        conn.execute(create_index(name))


_V1 = (
    """CREATE TABLE folders (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('sent', 'received', 'drafts')),
        source TEXT NOT NULL DEFAULT 'imap',
        uidvalidity INTEGER NOT NULL DEFAULT 0,
        highest_uid INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
        uid INTEGER NOT NULL,
        message_id TEXT NOT NULL,
        in_reply_to TEXT NOT NULL DEFAULT '',
        refs TEXT NOT NULL DEFAULT '',
        time INTEGER NOT NULL,
        time_source TEXT NOT NULL,
        from_addr TEXT NOT NULL DEFAULT '',
        from_name TEXT NOT NULL DEFAULT '',
        subject TEXT NOT NULL DEFAULT '',
        automatic INTEGER NOT NULL DEFAULT 0,
        is_list INTEGER NOT NULL DEFAULT 0,
        n_recipients INTEGER NOT NULL DEFAULT 0,
        UNIQUE (folder_id, uid))""",
    """CREATE TABLE recipients (
        message INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
        address TEXT NOT NULL,
        name TEXT NOT NULL DEFAULT '',
        kind TEXT NOT NULL CHECK (kind IN ('to', 'cc')))""",
    """CREATE TABLE contacts (
        address TEXT PRIMARY KEY,
        display_name TEXT NOT NULL DEFAULT '',
        muted INTEGER NOT NULL DEFAULT 0)""",
    """CREATE TABLE me (
        address TEXT PRIMARY KEY,
        source TEXT NOT NULL CHECK (source IN ('login', 'alias')))""",
)

def _v2_outbox(conn: sqlite3.Connection) -> None:
    """The outbox (nothing sent is lost), relay allowances, forced sends, drafts already seen."""
    for statement in _V2:
        conn.execute(statement)


_V2 = (
    """CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        message_id TEXT NOT NULL UNIQUE,
        raw BLOB NOT NULL,
        sender TEXT NOT NULL,
        recipients TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('queued', 'sent')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        forced INTEGER NOT NULL DEFAULT 0,
        created INTEGER NOT NULL)""",
    """CREATE TABLE relay_allowances (
        address TEXT PRIMARY KEY,
        until INTEGER NOT NULL)""",
    """CREATE TABLE guard_overrides (
        message_id TEXT NOT NULL,
        address TEXT NOT NULL,
        time INTEGER NOT NULL,
        via TEXT NOT NULL CHECK (via IN ('force', 'allow')))""",
    """CREATE TABLE seen_drafts (
        message_id TEXT NOT NULL,
        hash TEXT NOT NULL,
        PRIMARY KEY (message_id, hash))""",
)


def _v3_last_sync(conn: sqlite3.Connection) -> None:
    """When the last sync that ran to the end finished (one row at most)."""
    conn.execute("""CREATE TABLE last_sync (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        time INTEGER NOT NULL)""")


def _v4_closings(conn: sqlite3.Connection) -> None:
    """Messages NetGuard sent as the close-the-loop, per To address (SPEC §1 "Closing the loop")."""
    conn.execute("""CREATE TABLE closings (
        address TEXT NOT NULL,
        message_id TEXT NOT NULL,
        time INTEGER NOT NULL,
        PRIMARY KEY (address, message_id)) WITHOUT ROWID""")


def _v5_outbox_in_doubt(conn: sqlite3.Connection) -> None:
    """When the message's data was about to go to SMTP (0: never). A queued message with a
    time here may have been delivered: the hand-over was cut off before its answer was kept."""
    conn.execute("ALTER TABLE outbox ADD COLUMN handed_over INTEGER NOT NULL DEFAULT 0")


def _v6_bulk_signs(conn: sqlite3.Connection) -> None:
    """Per message, what in its headers says it went out in bulk (``model.BulkSign`` flags).
    NULL for a message stored before: nobody knows (its sender is judged by what is known)."""
    conn.execute("ALTER TABLE messages ADD COLUMN bulk_signs INTEGER")


def _v7_relay_deliveries(conn: sqlite3.Connection) -> None:
    """What the relay handed upstream, and to whom: one row per Message-ID and recipient."""
    conn.execute("""CREATE TABLE relay_deliveries (
        message_id TEXT NOT NULL,
        recipient TEXT NOT NULL,
        time INTEGER NOT NULL,
        PRIMARY KEY (message_id, recipient))""")


def _v8_missing_uids(conn: sqlite3.Connection) -> None:
    """UIDs a server did not answer when asked: asked again by the next syncs (issue 16)."""
    conn.execute("""CREATE TABLE missing_uids (
        folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,
        uid INTEGER NOT NULL,
        tries INTEGER NOT NULL DEFAULT 1,
        PRIMARY KEY (folder_id, uid)) WITHOUT ROWID""")


def _v9_contact_summary(conn: sqlite3.Connection) -> None:
    """Per contact address, the personal messages both ways as the report counts them (issue 18):
    kept beside the messages so a report reads 5,000 rows, not 200k (``store.summary``).
    ``summary_state`` says up to which message id it is complete, under which bulk limit; no
    row there means it is rebuilt from the messages before it is read."""
    conn.execute("""CREATE TABLE contact_summary (
        address TEXT PRIMARY KEY,
        sent BLOB NOT NULL,
        received BLOB NOT NULL) WITHOUT ROWID""")
    conn.execute("""CREATE TABLE summary_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        last_message INTEGER NOT NULL,
        bulk_recipients INTEGER NOT NULL,
        format INTEGER NOT NULL)""")


def _v10_cadence(conn: sqlite3.Connection) -> None:
    """The keep-in-touch cadence the user chose per contact (issue 19): a code such as ``1m``
    (``analysis.cadence.CADENCES``), NULL for none."""
    conn.execute("ALTER TABLE contacts ADD COLUMN cadence TEXT")


def _v11_folder_counts(conn: sqlite3.Connection) -> None:
    """How many messages of each folder the store holds, kept up to date as rows are written
    (``store.messages``): a sync's totals without counting 100,000 rows a folder (issue 18)."""
    conn.execute("ALTER TABLE folders ADD COLUMN stored INTEGER NOT NULL DEFAULT 0")
    conn.execute("UPDATE folders SET stored ="
                 " (SELECT count(*) FROM messages WHERE folder_id = folders.id)")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _v1_initial, _v2_outbox, _v3_last_sync, _v4_closings, _v5_outbox_in_doubt, _v6_bulk_signs,
    _v7_relay_deliveries, _v8_missing_uids, _v9_contact_summary, _v10_cadence,
    _v11_folder_counts)
