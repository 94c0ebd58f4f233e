"""Opening the database: private file mode, WAL, and migrations by ``PRAGMA user_version``."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from netguard.errors import StoreError
from netguard.store.migrations import INDEXES, MIGRATIONS, create_index
from netguard.texts import language, text

log = logging.getLogger(__name__)
REPORT_INDEXES = ("messages_from_time",)  # the report's others, looked up by sender


def open_store(path: Path | str) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the store at ``path``; ``":memory:"`` for tests."""
    try:
        conn = _connect(path)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA mmap_size = 268435456")  # reads of a large store skip copies
        _migrate(conn, Path(path))
        restore_indexes(conn)
    except sqlite3.Error as err:
        raise store_error(err, path) from err
    return conn


def store_error(err: sqlite3.Error, path: Path | str) -> StoreError:
    """What went wrong with the database at ``path``, in the user's words, with what to do."""
    lang, reason = language(), str(err)
    database = Path(path)
    if database.is_dir():
        return StoreError(text("errors", lang, "store_is_folder", path=database))
    if "malformed" in reason or "not a database" in reason:
        return StoreError(text("errors", lang, "store_damaged", path=database, reason=reason,
                               backup=_newest_backup(database, lang)))
    if "locked" in reason or "busy" in reason:
        return StoreError(text("errors", lang, "store_locked", path=database))
    if "readonly" in reason or not _writable(database):
        return StoreError(text("errors", lang, "store_not_writable", path=database,
                               reason=reason))
    return StoreError(text("errors", lang, "store_failed", path=database, reason=reason))


def _newest_backup(database: Path, lang: str) -> str:
    copies = sorted(database.parent.glob(f"{database.name}.bak*"),
                    key=lambda copy: copy.stat().st_mtime)
    return str(copies[-1]) if copies else text("errors", lang, "store_backup_none")


def _writable(database: Path) -> bool:
    folder_ok = os.access(database.parent, os.W_OK | os.X_OK)
    return folder_ok and (not database.exists() or os.access(database, os.R_OK | os.W_OK))


def database_file(conn: sqlite3.Connection) -> str:
    """The file of the connection's main database; ``""`` for one in memory."""
    return str(conn.execute("PRAGMA database_list").fetchone()[2] or "")


def _connect(path: Path | str) -> sqlite3.Connection:
    """A connection whose new files (database, WAL, shared memory) are private to the user.

    SQLite creates the file itself: opening and closing a descriptor of our own would drop the
    POSIX locks another connection of this process holds on it, and let another process that
    exits delete the WAL still in use (FACTS.md, SQLite).
    """
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    previous = os.umask(0o077)
    try:
        return sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    finally:
        os.umask(previous)


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise StoreError(f"The database {path} is from a newer NetGuard (schema {version}).")
    if 0 < version < len(MIGRATIONS):
        _backup(conn, path.with_name(f"{path.name}.bak-v{version}"))
    for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
        log.info("Migrating the store to schema %d", number)
        with transaction(conn):
            migration(conn)
            conn.execute(f"PRAGMA user_version = {number}")


def restore_indexes(conn: sqlite3.Connection, names: Iterable[str] = INDEXES) -> None:
    """Create those of the secondary indexes ``names`` that are missing: a bulk load
    (``messages.bulk_load``) set them aside. Only ``open_store``, ``summary.keep_up`` after a
    sync or an import, and the summary's ``refresh`` before it reads every message build them;
    queries never do (a query in the window would wait for the sync's writer): until then they
    read without them. ≈1.5 s of CPU at 200,000 messages and 800,000 recipients.

    A store locked by another writer, or a build cut off, is logged and left to the next call
    (the next ``keep_up`` or ``open_store``): the build is rolled back.
    """
    absent = missing_indexes(conn, names)
    if not absent:
        return
    log.info("Rebuilding the store indexes %s", ", ".join(absent))
    try:
        with unmapped(conn), transaction(conn):
            for name in absent:
                conn.execute(create_index(name))
    except sqlite3.OperationalError as err:
        log.warning("Could not rebuild the store indexes now: %s", err)


@contextmanager
def indexes_building(conn: sqlite3.Connection, names: Iterable[str]) -> Iterator[None]:
    """``restore_indexes(conn, names)`` on a connection of its own, in a thread, while the body
    runs: SQLite builds them without holding the GIL, so Python work in the body (which must
    not write to the store) runs beside it on the other core. Done when the body ends, however
    it ends. A store in memory (no second connection sees it) builds them first."""
    path, absent = database_file(conn), missing_indexes(conn, names)
    if not path or not absent:
        restore_indexes(conn, absent)
        yield
        return
    builder = threading.Thread(target=_restore_apart, args=(path, absent),
                               name="netguard-indexes")
    builder.start()
    try:
        yield
    finally:
        builder.join()


def _restore_apart(path: str, names: list[str]) -> None:
    """``restore_indexes`` on a connection of its own to the store at ``path``."""
    try:
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            conn.execute("PRAGMA synchronous = NORMAL")
            restore_indexes(conn, names)
        finally:
            conn.close()
    except sqlite3.Error as err:  # the next ``keep_up`` or ``open_store`` builds them
        log.warning("Could not rebuild the store indexes now: %s", err)


def missing_indexes(conn: sqlite3.Connection, names: Iterable[str] = INDEXES) -> list[str]:
    """Those of the secondary indexes ``names`` the store lacks."""
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
    present = {name for (name,) in rows}
    return [name for name in names if name not in present]


@contextmanager
def unmapped(conn: sqlite3.Connection) -> Iterator[None]:
    """Nothing memory-mapped meanwhile: pages read through the map count as the process's
    memory, and a pass over every row would map the whole store."""
    mapped = conn.execute("PRAGMA mmap_size").fetchone()  # None for a store in memory
    conn.execute("PRAGMA mmap_size = 0")
    try:
        yield
    finally:
        if mapped is not None:
            conn.execute(f"PRAGMA mmap_size = {int(mapped[0])}")


def _backup(conn: sqlite3.Connection, target: Path) -> None:
    if str(target).startswith(":memory:"):
        return
    copy = sqlite3.connect(str(target))
    try:
        conn.backup(copy)
    finally:
        copy.close()
    target.chmod(0o600)


class transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception (Ctrl-C included)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, kind: object, value: object, tb: object) -> None:
        if kind is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")
