"""``netguard import``: an mbox file, a Maildir folder or a folder of message files into the store.

Each import source is a folder of the store, ``import:<absolute path>``, with synthetic UIDs
that are the messages' ordinals. Importing the same source again leaves unchanged messages
alone and replaces the rest, so nothing is ever counted twice; each batch is one transaction.
A Google Takeout mbox is split by its labels: the messages of the other role go to
``import:<absolute path>#sent`` or ``#received`` (see ``netguard.mail.takeout``).
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from operator import call
from pathlib import Path
from typing import Any

from netguard.errors import StoreError, UsageError
from netguard.mail import headers, takeout
from netguard.mail.mailfiles import RawMessage, file_size, read_messages, source_files
from netguard.model import HeaderValues, Role
from netguard.store.messages import (
    Rows,
    Stored,
    add_rows,
    bulk_load,
    count_all,
    count_messages,
    ensure_folder,
    folder_state,
    keep_only,
    keeps_recipients,
)

BATCH = 1000
BULK_MIN = 10_000  # messages new to the store from which a first import goes on in bulk
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
    left_out: int = 0  # Google Takeout spam, chats and drafts
    folders: tuple[str, ...] = ()  # every store folder this source filled
    sent: int = 0  # of ``total``, in a sent folder
    received: int = 0  # of ``total``, in a received folder


def folder_name(path: Path, role: Role | None = None) -> str:
    """``import:<absolute path>``, with ``#sent``/``#received`` for a Takeout's other role."""
    base = f"import:{path.expanduser().resolve()}"
    return base if role is None else f"{base}#{role.value}"


def import_path(
    conn: sqlite3.Connection,
    path: Path,
    role: Role = Role.SENT,
    *,
    progress: Progress | None = None,
    batch_size: int = BATCH,
    on_stored: Stored | None = None,
) -> ImportResult:
    """Import ``path`` into the store; ``progress`` hears bytes read after each batch, and
    ``on_stored`` is handed each batch stored (``analysis.first_load``, as in a sync)."""
    files = _files(path)
    total_bytes = sum(file_size(f) for f in files)
    try:
        with ExitStack() as at_end:
            run = _Run(conn, path, role, batch_size, at_end, on_stored)
            for uid, raw in enumerate(read_messages(files), start=1):
                if uid % batch_size == 0:
                    _report(progress, raw.position, total_bytes)
                run.add(uid, raw)
            result = run.finish()
    except sqlite3.Error as err:
        raise StoreError(f"Cannot store the imported mail: {err}") from err
    except OSError as err:
        raise UsageError(f"Cannot read {err.filename or path}: {err.strerror or err}") from err
    _report(progress, total_bytes, total_bytes)
    log.info("Imported %s: %d messages (%d new, %d skipped, %d left out)", result.folder,
             result.total, result.imported, result.skipped, result.left_out)
    return result


def _files(path: Path) -> list[Path]:
    if not path.exists():
        raise UsageError(f"Nothing to import at {path}: no such file or folder.")
    try:
        if path.is_file():
            _refuse_archive(path)
        return source_files(path.expanduser().resolve())
    except OSError as err:
        raise UsageError(f"Cannot read {path}: {err.strerror or err}") from err


_ARCHIVES = (b"PK\x03\x04", b"\x1f\x8b", b"BZh", b"\xfd7zXZ", b"7z\xbc\xaf")


def _refuse_archive(path: Path) -> None:
    """A Takeout download is a .zip or .tgz: say to unpack it rather than import nothing."""
    with path.open("rb") as stream:
        start = stream.read(6)
    if start.startswith(_ARCHIVES):
        raise UsageError(f"{path} is a compressed archive. Unpack it first and import the "
                         ".mbox file inside (a Google Takeout has it under Takeout/Mail/).")


@dataclass
class _Run:
    """One import: the target folder per role, created when a message first needs it."""

    conn: sqlite3.Connection
    path: Path
    role: Role
    batch_size: int
    at_end: ExitStack  # closed when the import ends, however it ends
    on_stored: Stored | None = None
    targets: dict[Role, _Target] = field(default_factory=dict)
    skipped: int = 0
    left_out: int = 0
    added: int = 0  # messages parsed for storing by this run
    bulk: bool = False

    def __post_init__(self) -> None:
        self.before = sum(count_messages(self.conn, name) for name in self._names())
        self.store_before = count_all(self.conn)

    def _bulk_when_large(self) -> None:
        """A first import of this source that has outgrown the store goes on with the indexes
        set aside (``messages.bulk_load``), as a large first sync does: kept up row by row,
        they made a realistic 100k-message mbox take 22 s, 24 times reading it. Rows are
        only appended then (a source imported before may replace rows, and goes on as it
        began). The indexes are built after it (``summary.keep_up``, or the next
        ``open_store``)."""
        if (not self.bulk and self.before == 0 and self.added >= BULK_MIN
                and self.added >= self.store_before):
            self.bulk = True
            self.at_end.enter_context(bulk_load(self.conn))

    def _names(self) -> list[str]:
        """Every store folder an import of this source may fill."""
        return [folder_name(self.path, role) for role in (None, *Role)]

    def add(self, uid: int, raw: RawMessage) -> None:
        role = takeout.role_for(raw.header, self.role)
        if role is None:
            self.left_out += 1
            return
        target = self._target(role)
        if target.unchanged(uid, raw.header):
            target.seen.add(uid)
            return
        if not target.add(uid, raw):
            self.skipped += 1
        else:
            self.added += 1
            self._bulk_when_large()

    def _target(self, role: Role) -> _Target:
        if role not in self.targets:
            name = folder_name(self.path, None if role is self.role else role)
            self.targets[role] = _Target(self.conn, name, role, self.batch_size,
                                         self.on_stored)
        return self.targets[role]

    def finish(self) -> ImportResult:
        primary = self._target(self.role)
        self._empty_unused()
        totals = {role: t.finish() for role, t in self.targets.items()}
        total = sum(totals.values())
        return ImportResult(primary.name, max(0, total - self.before), total, self.skipped,
                            self.left_out, tuple(t.name for t in self.targets.values()),
                            totals.get(Role.SENT, 0), totals.get(Role.RECEIVED, 0))

    def _empty_unused(self) -> None:
        """Empty this source's folders that this run did not fill (e.g. after a role flip)."""
        used = {t.name for t in self.targets.values()}
        for name in self._names():
            state = folder_state(self.conn, name)
            if name not in used and state is not None:
                keep_only(self.conn, ensure_folder(self.conn, name, state.role, "import"), set())


class _Target:
    """One store folder being filled: its batch, and the Message-IDs it already holds."""

    def __init__(self, conn: sqlite3.Connection, name: str, role: Role, batch_size: int,
                 on_stored: Stored | None = None):
        self.conn, self.name, self.batch_size = conn, name, batch_size
        self.role, self.on_stored = role, on_stored
        self.folder_id = ensure_folder(conn, name, role, source="import")
        self.rows = Rows(keeps_recipients(role))
        self.compiled = headers.row_adder()
        self.highest = 0
        self.seen: set[int] = set()  # the UIDs this run keeps in the folder
        self.block = -1
        self.stored: dict[int, str] = {}

    def unchanged(self, uid: int, header: bytes) -> bool:
        """Whether ``uid`` already holds this message (same Message-ID): nothing to do."""
        block = uid - uid % self.batch_size
        if block != self.block:
            self.block, self.stored = block, dict(self.conn.execute(
                "SELECT uid, message_id FROM messages WHERE folder_id = ? AND uid >= ? AND uid < ?",
                (self.folder_id, block, block + self.batch_size)))
        known = self.stored.get(uid)
        match = _MESSAGE_ID.search(header) if known is not None else None
        return match is not None and match.group(1).decode("ascii", "replace") == known

    def add(self, uid: int, raw: RawMessage) -> bool:
        """The message's rows, read by the compiled reader where it can (as a sync's are),
        else parsed; False, adding nothing, when the block is not mail or its headers cannot
        be read."""
        if not _FIELD_LINE.match(raw.header):
            return False
        rows = self.rows
        recipients = rows.recipients if rows.with_recipients else None
        if self.compiled is None or not _compiled_row(self.compiled, rows, recipients, uid, raw):
            parsed = parse_raw(raw)
            if parsed is None:
                return False
            rows.add_values(uid, parsed)
        self.seen.add(uid)
        self.highest = uid
        if len(self.rows.messages) >= self.batch_size:
            self.flush()
        return True

    def flush(self) -> None:
        if self.rows.messages:
            add_rows(self.conn, self.folder_id, self.rows, self.highest)
            if self.on_stored is not None:
                self.on_stored(self.folder_id, self.role, self.rows)
            self.rows = Rows(self.rows.with_recipients)

    def finish(self) -> int:
        """Store the rest, forget what the source no longer has; the folder's message count."""
        self.flush()
        keep_only(self.conn, self.folder_id, self.seen)
        return count_messages(self.conn, self.name)


def _compiled_row(compiled: headers.RowAdder, rows: Rows, recipients: list[Any] | None,
                  uid: int, raw: RawMessage) -> bool:
    """``compiled``'s reading of the message into ``rows``; False for a block it leaves to
    ``parse_raw``, or that made it fail (then ``parse_raw`` reads or skips it)."""
    try:
        return compiled(rows.messages, recipients, uid, raw.header, call, raw.fallback)
    except Exception:  # hostile input: the parser below decides, and logs what it cannot read
        return False


def parse_raw(raw: RawMessage) -> HeaderValues | None:
    """The message's headers, or None when they cannot be read (counted as skipped)."""
    try:
        return headers.parse_values(raw.header, raw.fallback)
    except Exception:  # hostile input must never stop an import; a parser bug is logged
        log.warning("Skipped a message whose headers could not be parsed", exc_info=True)
        return None


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(min(done, total), total)
