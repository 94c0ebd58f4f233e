"""``netguard import``: an mbox file, a Maildir folder or a folder of message files into the store.

Each import source is one folder of the store, ``import:<absolute path>``, with synthetic UIDs
that are the messages' ordinals. Importing the same source again replaces what it stored
before, so nothing is ever counted twice, and batches are committed one transaction each.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from netguard.errors import StoreError, UsageError
from netguard.mail import headers
from netguard.mail.mailfiles import RawMessage, read_messages, source_files
from netguard.model import MailHeaders, Role
from netguard.store.messages import add_batch, count_messages, drop_after, ensure_folder

BATCH = 1000
Progress = Callable[[int, int], None]  # (bytes read, bytes in all)
log = logging.getLogger(__name__)
# A header block must open with a header field ("Name: value"), or it is not mail at all.
_FIELD_LINE = re.compile(rb"[\x21-\x39\x3b-\x7e]+[ \t]*:")
# Enough of a Message-ID to recognise a message stored before, without parsing its headers.
_MESSAGE_ID = re.compile(rb"^message-id:[ \t]*(?:\r?\n[ \t]+)?(<[^<>\s]+>)",
                         re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True, slots=True)
class ImportResult:
    folder: str
    imported: int  # messages that were not in the store before
    total: int  # messages of this source now in the store
    skipped: int  # messages that could not be read at all


def folder_name(path: Path) -> str:
    return f"import:{path.expanduser().resolve()}"


def import_path(
    conn: sqlite3.Connection,
    path: Path,
    role: Role = Role.SENT,
    progress: Progress | None = None,
    batch_size: int = BATCH,
) -> ImportResult:
    """Import ``path`` into the store; ``progress`` hears bytes read after each batch."""
    files = _files(path)
    total_bytes = sum(f.stat().st_size for f in files)
    name = folder_name(path)
    try:
        folder_id = ensure_folder(conn, name, role, source="import")
        before = count_messages(conn, name)
        last_uid, skipped = _store_all(conn, folder_id, _numbered(read_messages(files)),
                                       batch_size, lambda done: _report(progress, done,
                                                                        total_bytes))
        drop_after(conn, folder_id, last_uid)
        total = count_messages(conn, name)
    except sqlite3.Error as err:
        raise StoreError(f"Cannot store the imported mail: {err}") from err
    except OSError as err:
        raise UsageError(f"Cannot read {err.filename or path}: {err.strerror or err}") from err
    _report(progress, total_bytes, total_bytes)
    log.info("Imported %s: %d messages (%d new, %d skipped)", name, total,
             max(0, total - before), skipped)
    return ImportResult(name, max(0, total - before), total, skipped)


def _files(path: Path) -> list[Path]:
    if not path.exists():
        raise UsageError(f"Nothing to import at {path}: no such file or folder.")
    try:
        return source_files(path.expanduser().resolve())
    except OSError as err:
        raise UsageError(f"Cannot read {path}: {err.strerror or err}") from err


def _numbered(messages: Iterable[RawMessage]) -> Iterator[tuple[int, RawMessage]]:
    return enumerate(messages, start=1)


def _store_all(
    conn: sqlite3.Connection,
    folder_id: int,
    messages: Iterator[tuple[int, RawMessage]],
    batch_size: int,
    progress: Callable[[int], None],
) -> tuple[int, int]:
    """Parse and store in batches; returns the last UID used and how many were skipped.

    A message already stored under its UID with the same Message-ID is left as it is, so
    importing a grown mbox again costs little more than reading it.
    """
    batch: list[tuple[int, MailHeaders]] = []
    stored = _StoredIds(conn, folder_id, batch_size)
    last_uid = skipped = 0
    for uid, raw in messages:
        last_uid = uid
        if uid % batch_size == 0:
            progress(raw.position)
        if stored.unchanged(uid, raw.header):
            continue
        parsed = parse_raw(raw)
        if parsed is None:
            skipped += 1
            continue
        batch.append((uid, parsed))
        if len(batch) >= batch_size:
            add_batch(conn, folder_id, batch, uid)
            batch = []
    if batch:
        add_batch(conn, folder_id, batch, last_uid)
    return last_uid, skipped


class _StoredIds:
    """The Message-IDs already stored for the folder's UIDs, read one block at a time."""

    def __init__(self, conn: sqlite3.Connection, folder_id: int, block: int) -> None:
        self.conn, self.folder_id, self.block = conn, folder_id, block
        self.first = -1
        self.ids: dict[int, str] = {}

    def unchanged(self, uid: int, header: bytes) -> bool:
        first = uid - uid % self.block
        if first != self.first:
            self.first, self.ids = first, dict(self.conn.execute(
                "SELECT uid, message_id FROM messages WHERE folder_id = ? AND uid >= ? AND uid < ?",
                (self.folder_id, first, first + self.block)))
        known = self.ids.get(uid)
        if known is None:
            return False
        match = _MESSAGE_ID.search(header)
        return match is not None and match.group(1).decode("ascii", "replace") == known


def parse_raw(raw: RawMessage) -> MailHeaders | None:
    """The message's headers, or None when the block is not mail (counted as skipped)."""
    if not _FIELD_LINE.match(raw.header):
        return None
    try:
        return headers.parse(raw.header, raw.fallback_time)
    except Exception:  # hostile input must never stop an import; a parser bug is logged
        log.warning("Skipped a message whose headers could not be parsed", exc_info=True)
        return None


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(min(done, total), total)
