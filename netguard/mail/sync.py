"""Incremental, read-only sync of Sent and the reply folders into the store (SPEC §4, issue 3).

Per folder: ``STATUS`` first (a sync with nothing new stops there); otherwise ``EXAMINE``,
``UID SEARCH`` for the UIDs above the highest one stored, and pipelined ``UID FETCH`` batches of
header fields, each batch stored in one transaction together with the new highest UID. A
dropped connection loses nothing committed and the next sync resumes without gaps; a changed
UIDVALIDITY drops the folder's rows and starts it over; a message that cannot be parsed is
counted as skipped and logged. ``should_cancel`` is asked between batches. A load of at least
``BULK_MIN`` messages that outgrows the store sets its lookup indexes aside and rebuilds them
once when the sync ends, however it ends (``messages.bulk_load``).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial

from imapclient import IMAPClient

from netguard.mail import fetch
from netguard.mail.connection import Login, connect, imap_errors
from netguard.mail.folders import Folders, discover
from netguard.mail.headers import parse_lazy
from netguard.model import MailHeaders, Role
from netguard.settings import Account
from netguard.store import messages, people

log = logging.getLogger(__name__)
BATCH = 2000
BULK_MIN = 10_000  # new messages in a folder from which a load outgrowing the store goes bulk
CACHE_KIB = 64 * 1024
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class FolderResult:
    name: str
    role: Role
    new: int
    total: int
    skipped: int


@dataclass(frozen=True)
class Phases:
    """Seconds spent waiting for the server, parsing, and writing the store."""

    fetch: float = 0.0
    parse: float = 0.0
    store: float = 0.0


@dataclass(frozen=True)
class SyncResult:
    folders: tuple[FolderResult, ...]
    cancelled: bool = False
    phases: Phases = field(default_factory=Phases)

    @property
    def new(self) -> int:
        return sum(f.new for f in self.folders)

    @property
    def skipped(self) -> int:
        return sum(f.skipped for f in self.folders)


def sync(
    account: Account,
    password: str,
    conn: sqlite3.Connection,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
    *,
    login: Login | None = None,
) -> SyncResult:
    """Bring the store up to date with the account's Sent and reply folders."""
    if "@" in account.user:
        people.add_me(conn, account.user, "login")
    with connect(account, password, login) as client, _bulk_cache(conn), ExitStack() as bulk:
        folders = discover(client, account, lambda: people.my_addresses(conn))
        run = _Run(client, conn, progress, should_cancel or (lambda: False), bulk)
        return run.all(folders)


def detect_folders(account: Account, password: str, conn: sqlite3.Connection,
                   login: Login | None = None) -> Folders:
    """The folders a sync would read (for ``account show`` and the account dialog)."""
    me = people.my_addresses(conn) | ({account.user.lower()} if "@" in account.user else set())
    with connect(account, password, login) as client:
        return discover(client, account, me)


@contextmanager
def _bulk_cache(conn: sqlite3.Connection) -> Iterator[None]:
    """A larger SQLite page cache while syncing: index inserts at 100k rows stay in memory."""
    before = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = {-CACHE_KIB}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {int(before)}")


class _Run:
    """One sync over one connection; accumulates results and phase timings."""

    def __init__(self, client: IMAPClient, conn: sqlite3.Connection,
                 progress: Progress | None, should_cancel: Callable[[], bool],
                 bulk: ExitStack) -> None:
        self.client = client
        self.bulk = bulk
        self.bulk_loading = False
        self.imap = client._imap
        self.conn = conn
        self.progress = progress
        self.should_cancel = should_cancel
        self.cancelled = False
        self.times = {"fetch": 0.0, "parse": 0.0, "store": 0.0}

    def all(self, folders: Folders) -> SyncResult:
        results = []
        for name, role in folders.to_sync():
            if self.cancelled or self.should_cancel():
                self.cancelled = True
                break
            results.append(self.folder(name, role))
        return SyncResult(tuple(results), self.cancelled, Phases(**self.times))

    def folder(self, name: str, role: Role) -> FolderResult:
        folder_id = messages.ensure_folder(self.conn, name, role)
        with imap_errors("STATUS", name, self.client.host):
            status = self.client.folder_status(name, [b"UIDNEXT", b"UIDVALIDITY"])
        uidvalidity, uidnext = int(status[b"UIDVALIDITY"]), int(status[b"UIDNEXT"])
        highest = self._check_uidvalidity(folder_id, name, uidvalidity)
        new = skipped = 0
        if uidnext - 1 > highest:
            new, skipped = self._fetch_new(folder_id, name, highest, uidnext)
            if not self.cancelled:
                # every UID below UIDNEXT (as of STATUS) has been seen now
                messages.add_batch(self.conn, folder_id, [], uidnext - 1)
        total = messages.count_messages(self.conn, name)
        return FolderResult(name, role, new, total, skipped)

    def _check_uidvalidity(self, folder_id: int, name: str, uidvalidity: int) -> int:
        state = messages.folder_state(self.conn, name)
        if state is None or state.uidvalidity == uidvalidity:
            return state.highest_uid if state else 0
        if state.uidvalidity:
            log.warning("UIDVALIDITY of %s changed (%d -> %d): syncing it again",
                        name, state.uidvalidity, uidvalidity)
            messages.reset_folder(self.conn, folder_id, uidvalidity)
        else:
            messages.set_uidvalidity(self.conn, folder_id, uidvalidity)
        return 0

    def _fetch_new(self, folder_id: int, name: str, highest: int,
                   uidnext: int) -> tuple[int, int]:
        with imap_errors("EXAMINE", name, self.client.host):
            self.client.select_folder(name, readonly=True)
        with imap_errors("UID SEARCH", name, self.client.host):
            uids = fetch.search_uids_above(self.imap, highest, uidnext,
                                           self.client.has_capability("ESEARCH"))
        self._maybe_bulk(len(uids))
        batches = [uids[i:i + BATCH] for i in range(0, len(uids), BATCH)]
        new = skipped = done = 0
        with imap_errors("UID FETCH", name, self.client.host):
            pending = fetch.send_fetch(self.imap, batches[0]) if batches else b""
            for index, batch in enumerate(batches):
                started = time.perf_counter()
                raw = fetch.read_fetch(self.imap, pending)
                self.times["fetch"] += time.perf_counter() - started
                more = index + 1 < len(batches)
                cancel = more and self.should_cancel()
                if more and not cancel:  # the server prepares it while we parse this one
                    pending = fetch.send_fetch(self.imap, batches[index + 1])
                stored, bad = self._store(folder_id, name, raw, batch)
                new, skipped, done = new + stored, skipped + bad, done + len(batch)
                if self.progress:
                    self.progress(name, done, len(uids))
                if cancel:
                    self.cancelled = True
                    break
        return new, skipped

    def _maybe_bulk(self, new: int) -> None:
        """A load larger than the store so far sets the lookup indexes aside until the sync ends."""
        if self.bulk_loading or new < BULK_MIN or new < messages.count_all(self.conn):
            return
        log.info("Bulk load of %d messages: store indexes rebuilt at the end", new)
        self.bulk.enter_context(messages.bulk_load(self.conn))
        self.bulk_loading = True

    def _store(self, folder_id: int, name: str, raw: list[fetch.RawMessage],
               requested: Sequence[int]) -> tuple[int, int]:
        started = time.perf_counter()
        parsed: list[tuple[int, MailHeaders]] = []
        skipped = 0
        for uid, date, header in raw:
            try:
                parsed.append((uid, parse_lazy(header, partial(fetch.internaldate, date))))
            except Exception:  # hostile input must never stop a sync: count, log, go on
                log.warning("Skipped message UID %d in %s: cannot parse its headers",
                            uid, name, exc_info=True)
                skipped += 1
        middle = time.perf_counter()
        messages.add_batch(self.conn, folder_id, parsed, max(requested))
        self.times["parse"] += middle - started
        self.times["store"] += time.perf_counter() - middle
        return len(parsed), skipped
