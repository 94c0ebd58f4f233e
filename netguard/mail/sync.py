"""Incremental, read-only sync of Sent and the reply folders into the store (SPEC §4, issue 3).

First ``STATUS`` of every folder (INBOX's even before the folders are listed, see ``sync``); a
sync with nothing new stops there. Per folder with news: ``EXAMINE``, ``UID SEARCH`` for the
UIDs above the highest one stored, and pipelined ``UID FETCH`` batches of header fields, each
batch stored in one transaction together with the new highest UID. A dropped connection loses
nothing committed and the next sync resumes without gaps; a changed UIDVALIDITY drops the
folder's rows and starts it over; a message that cannot be parsed is counted as skipped and
logged. ``should_cancel`` is asked between batches. A load of at least ``BULK_MIN`` messages
that outgrows the store sets its indexes aside (``messages.bulk_load``); they are built once
after the sync has returned, by ``summary.keep_up`` (or the next ``open_store``). Each batch
stored is handed to ``on_stored``, if given (``analysis.first_load`` gathers the contact summary
of a first sync from them). With
the compiled header parser (``headers.row_adder``) the sync's thread reads each header block
into store rows itself: that costs less than handing the blocks to a process and the rows
back. On the pure-Python parser a folder with at least ``PROCESS_MIN`` new messages is parsed
in a parser process beside the sync (``batch_parser.ProcessParser``), so reading, parsing
and storing overlap. A folder's last batches are stored while the next folder is examined and
searched.

A UID asked for and left out of the server's answer is logged and kept (``store.missing``)
before the batch that moves the highest UID past it is stored; the next syncs ask for it again
(if a ``UID SEARCH`` still finds it), and after ``missing.MAX_TRIES`` vain tries it is given up,
logged and counted as skipped. A folder the server refuses (STATUS, EXAMINE, SEARCH, FETCH), or
that fails mid-way, is reported in its ``FolderResult.error`` and the others still sync; after a
dropped connection or a failed FETCH (answers may still be on their way) the sync logs in again
for the next folder, and when that fails too the whole sync fails as before.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from imapclient import IMAPClient

from netguard.accounts.credentials import Credentials
from netguard.errors import NetworkError, ServerError
from netguard.mail.connection import UnreadableAnswer, answer_parsed, connect, imap_errors
from netguard.mail.folders import Folders, discover
from netguard.mail.identity import valid_address
from netguard.model import FolderState, Role
from netguard.settings import Account
from netguard.store import messages, missing, people

if TYPE_CHECKING:  # imported where a folder has news: a sync with none never loads them
    from netguard.mail.batch_parser import BatchParser, InlineParser, Job, ProcessParser
    from netguard.mail.fetch import RawMessage

log = logging.getLogger(__name__)
BATCH = 2000
IN_FLIGHT = 2  # FETCH commands the server has at once, so it never waits for the next
PROCESS_MIN = 5_000  # new messages in a folder from which a parser process pays its start
# The compiled header parser reads a block into rows in less time than sending the block to a
# parser process and the rows back costs: then the sync parses in its own thread (issue 18).
# None: a parser process where the compiled parser is missing (``parses_in_process``).
PARSER_PROCESS: bool | None = None
BULK_MIN = 10_000  # new messages in a folder from which a load outgrowing the store goes bulk
CACHE_KIB = 64 * 1024
INBOX = "INBOX"
Progress = Callable[[str, int, int], None]
P = ParamSpec("P")
T = TypeVar("T")


def parses_in_process() -> bool:
    """Whether a folder with ``PROCESS_MIN`` new messages or more is parsed in a process."""
    if PARSER_PROCESS is not None:
        return PARSER_PROCESS
    from netguard.mail import headers

    return headers.row_adder() is None


@dataclass(frozen=True)
class FolderResult:
    name: str
    role: Role
    new: int
    total: int
    skipped: int
    missing: int = 0  # UIDs the server left out of its answer, asked again next time
    error: str = ""  # why the folder could not be synced (whole or in part)


@dataclass(frozen=True)
class Phases:
    """Seconds spent waiting for the server, parsing, writing the store, and in ``on_stored``."""

    fetch: float = 0.0
    parse: float = 0.0
    store: float = 0.0
    stored: float = 0.0


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

    @property
    def missing(self) -> int:
        return sum(f.missing for f in self.folders)

    @property
    def failed(self) -> tuple[FolderResult, ...]:
        return tuple(f for f in self.folders if f.error)


def sync(
    account: Account,
    credentials: Credentials | str,
    conn: sqlite3.Connection,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
    *,
    on_stored: messages.Stored | None = None,
) -> SyncResult:
    """Bring the store up to date with the account's Sent and reply folders; ``on_stored`` is
    called with each batch once it is stored."""
    if "@" in account.user:
        people.add_me(conn, account.user, "login")
    if valid_address(account.from_address):
        people.add_me(conn, account.from_address, "alias")
    with connect(account, credentials) as client, _bulk_cache(conn), ExitStack() as at_end:
        run = _Run(client, conn, progress, should_cancel or (lambda: False), at_end,
                   reopen=lambda: connect(account, credentials), on_stored=on_stored)
        # INBOX always exists, so its STATUS comes first: Dovecot reads the whole UID list of a
        # Maildir INBOX (4.6 MB, some 80 ms at 100,000 messages) for a STATUS that follows a
        # LIST or another folder on the connection, and not for one that comes first.
        inbox = run.guarded(INBOX, run.status, INBOX)
        folders = discover(run.client, account, lambda: people.my_addresses(conn))
        return run.all(folders, {INBOX: inbox} if inbox else {})


def detect_folders(account: Account, credentials: Credentials | str,
                   conn: sqlite3.Connection) -> Folders:
    """The folders a sync would read (for ``account show`` and the account dialog)."""
    me = people.my_addresses(conn) | ({account.user.lower()} if "@" in account.user else set())
    with connect(account, credentials) as client:
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
    """One sync (on one connection; a new one after a folder's failure broke it); accumulates
    results and phase timings."""

    def __init__(self, client: IMAPClient, conn: sqlite3.Connection,
                 progress: Progress | None, should_cancel: Callable[[], bool],
                 at_end: ExitStack, *, reopen: Callable[[], IMAPClient],
                 on_stored: messages.Stored | None = None) -> None:
        self.client = client
        self.at_end = at_end  # undone when the sync ends, however it ends
        self.bulk = False  # a bulk load (``messages.bulk_load``) is under way
        self.imap = client._imap
        self.conn = conn
        self.progress = progress
        self.should_cancel = should_cancel
        self.cancelled = False
        self.times = {"fetch": 0.0, "parse": 0.0, "store": 0.0, "stored": 0.0}
        self.process: ProcessParser | None = None
        self.waiting: deque[tuple[_Folder, Sequence[int], Job]] = deque()  # not stored yet
        self.errors: dict[str, str] = {}  # folder (INBOX upper-case) -> why it failed
        self.reopen = reopen  # a new connection, logged in
        self.on_stored = on_stored

    @cached_property
    def inline(self) -> InlineParser:
        from netguard.mail.batch_parser import InlineParser

        return InlineParser()

    def timed(self, phase: str, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        started = time.perf_counter()
        try:
            return work(*args, **kwargs)
        finally:
            self.times[phase] += time.perf_counter() - started

    def all(self, folders: Folders, known: dict[str, tuple[int, int]]) -> SyncResult:
        """Sync ``folders``; ``known``: the STATUS of some, asked already (upper-case INBOX).

        A folder's last batches are stored while the next folder is examined and searched."""
        to_sync = folders.to_sync()
        statuses = {name: status for name, _ in to_sync if _key(name) not in self.errors
                    and (status := known.get(_key(name)) or self.guarded(
                        name, self.status, name)) is not None}
        self.process_for(max((self._at_most_new(name, *status)
                              for name, status in statuses.items()), default=0))
        started: dict[str, _Folder] = {}
        for name, role in to_sync:
            if self.cancelled or self.should_cancel():
                self.cancelled = True
                break
            if name not in statuses:
                continue
            started[name] = self.folder(name, role, *statuses[name])
        self.store(keep=0)
        results = tuple(self._result(name, role, started.get(name)) for name, role in to_sync
                        if name in started or _key(name) in self.errors)
        return SyncResult(results, self.cancelled, Phases(**self.times))

    def _result(self, name: str, role: Role, folder: _Folder | None) -> FolderResult:
        total = messages.count_messages(self.conn, name)
        error = self.errors.get(_key(name), "")
        if folder is None:
            return FolderResult(name, role, 0, total, 0, error=error)
        return FolderResult(name, role, folder.new, total, folder.skipped, folder.missing, error)

    def status(self, name: str) -> tuple[int, int]:
        """The folder's UIDVALIDITY and UIDNEXT."""
        with imap_errors("STATUS", name, self.client.host), answer_parsed():
            status = self.client.folder_status(name, [b"UIDNEXT", b"UIDVALIDITY"])
            try:
                return int(status[b"UIDVALIDITY"]), int(status[b"UIDNEXT"])
            except (KeyError, ValueError, TypeError):
                raise UnreadableAnswer(f"no UIDVALIDITY and UIDNEXT in {status!r:.80}") from None

    def guarded(self, name: str, work: Callable[[str], T], *args: str) -> T | None:
        """``work(*args)`` for the folder ``name``; None when the server refused it (``fail``)."""
        try:
            return work(*args)
        except (ServerError, NetworkError) as error:
            self.fail(name, error, dirty=False)
            return None

    def fail(self, name: str, error: ServerError | NetworkError, *, dirty: bool) -> None:
        """The folder ``name`` could not be synced: report it, and carry on with the others on
        a new connection when this one dropped or may still bring answers (``dirty``)."""
        log.warning("Could not sync the folder %s: %s", name, error)
        self.errors[_key(name)] = str(error)
        if dirty or isinstance(error, NetworkError):
            with suppress(Exception):
                self.client.shutdown()
            self.client = self.at_end.enter_context(self.reopen())
            self.imap = self.client._imap

    def folder(self, name: str, role: Role, uidvalidity: int, uidnext: int) -> _Folder:
        """Fetch one folder's new messages; the last of them may still wait to be stored."""
        folder_id = messages.ensure_folder(self.conn, name, role)
        highest = self._check_uidvalidity(folder_id, name, uidvalidity)
        folder = _Folder(self, folder_id, name, role, uidnext=uidnext)
        retry = missing.to_ask(self.conn, folder_id)
        if uidnext - 1 > highest or retry:
            try:
                self._fetch_new(folder, highest, retry)
            except (ServerError, NetworkError) as error:
                folder.cut = True  # the highest UID moves only as far as the batches stored
                self.fail(name, error, dirty=folder.fetched)
        folder.read_all()
        return folder

    def _at_most_new(self, name: str, uidvalidity: int, uidnext: int) -> int:
        """How many new messages the folder can have at most: a parser process needed for
        them is started now, so it is ready when the first batch arrives."""
        return uidnext - 1 - _stored_highest(messages.folder_state(self.conn, name), uidvalidity)

    def _check_uidvalidity(self, folder_id: int, name: str, uidvalidity: int) -> int:
        state = messages.folder_state(self.conn, name)
        if state is None or state.uidvalidity == uidvalidity:
            return _stored_highest(state, uidvalidity)
        if state.uidvalidity:
            log.warning("UIDVALIDITY of %s changed (%d -> %d): syncing it again",
                        name, state.uidvalidity, uidvalidity)
            messages.reset_folder(self.conn, folder_id, uidvalidity)
            missing.forget(self.conn, folder_id)
        else:
            messages.set_uidvalidity(self.conn, folder_id, uidvalidity)
        return 0

    def _fetch_new(self, folder: _Folder, highest: int, retry: list[int]) -> None:
        """The folder's UIDs above ``highest`` and those of ``retry`` it still has."""
        from netguard.mail import fetch

        name = folder.name
        with imap_errors("EXAMINE", name, self.client.host):
            self.client.select_folder(name, readonly=True)
        with imap_errors("UID SEARCH", name, self.client.host):
            uids = fetch.search_uids_above(self.imap, highest, folder.uidnext,
                                           self.client.has_capability("ESEARCH"))
            if retry:
                uids = folder.retry(fetch.search_present(self.imap, retry), retry, uids)
        self._maybe_bulk(len(uids))
        with imap_errors("UID FETCH", name, self.client.host):
            folder.fetch(uids)

    def _maybe_bulk(self, new: int) -> None:
        """A load larger than the store so far sets the lookup indexes aside until the sync ends."""
        if self.bulk or new < BULK_MIN or new < messages.count_all(self.conn):
            return
        log.info("Bulk load of %d messages: store indexes rebuilt after it", new)
        self.at_end.enter_context(messages.bulk_load(self.conn))
        self.bulk = True

    def store(self, keep: int) -> None:
        """Store the oldest batches, of any folder, until ``keep`` wait in the parser."""
        while len(self.waiting) > keep:
            folder, batch, job = self.waiting.popleft()
            folder.store(batch, job)

    def parser(self, new: int) -> BatchParser:
        """A parser process for a folder with many new messages (one per sync), else inline."""
        return self.process_for(new) or self.inline

    def process_for(self, new: int) -> BatchParser | None:
        """The parser process (started now) when ``new`` messages need one, else None."""
        if new < PROCESS_MIN or not parses_in_process():
            return None
        if self.process is None:
            from netguard.mail import batch_parser

            self.process = batch_parser.ProcessParser()
            self.at_end.callback(self.process.close)
        return self.process


def _key(name: str) -> str:
    """A folder's name as ``errors`` keeps it: INBOX is INBOX in any case (RFC 3501)."""
    return INBOX if name.upper() == INBOX else name


def _stored_highest(state: FolderState | None, uidvalidity: int) -> int:
    """The highest UID stored of the folder, while its UIDVALIDITY is still ``uidvalidity``."""
    return state.highest_uid if state is not None and state.uidvalidity == uidvalidity else 0


class _Folder:
    """The pipelined fetch of one folder's new messages.

    While the server prepares batches k+1 and k+2, batch k is parsed (here, or in the parser
    process) and, with a parser process, batch k-2 is stored; batches are stored in UID order,
    each in one transaction with the folder's new highest UID, and with its own UIDs only: the
    answers of a later batch that come with this one (Dovecot answers a pipelined FETCH before
    the one before it completes) wait for their batch (``_own``), so a connection cut before
    that batch is read leaves no row above the highest UID stored. A cancelled fetch still reads
    (and stores) the batches the server was asked for, so the connection stays usable. Once
    every batch is stored, the folder's highest UID becomes UIDNEXT - 1 (``_finish_when_stored``).
    """

    parser: BatchParser  # the run's (``_Run.parser``), set when the folder has news

    def __init__(self, run: _Run, folder_id: int, name: str, role: Role, *,
                 uidnext: int) -> None:
        self.run, self.folder_id, self.name, self.role = run, folder_id, name, role
        self.uidnext = uidnext
        self.with_recipients = messages.keeps_recipients(role)
        self.new = self.skipped = self.missing = self.done = self.total = self.waiting = 0
        self.reading = True
        self.fetched = self.cut = False  # fetched new messages; cancelled before the last
        self.unanswered: set[int] = set()  # UIDs asked for and not answered (yet)
        self.early: list[RawMessage] = []  # answers that came before their batch's turn
        self.retried: set[int] = set()  # UIDs missing before, asked for again

    def retry(self, present: list[int], asked: list[int], new: list[int]) -> list[int]:
        """Ask for the missing UIDs the folder still has (``present``) beside ``new``; those
        gone from it are missing no more. Returns every UID to fetch, ascending."""
        self.retried = set(present)
        gone = set(asked) - self.retried
        if gone:
            log.info("%d missing UID(s) of %s are no longer on the server", len(gone), self.name)
            missing.found(self.run.conn, self.folder_id, gone)
        return sorted(self.retried.union(new))

    def fetch(self, uids: list[int]) -> None:
        """Fetch, parse and store ``uids`` in batches of ``BATCH``."""
        from netguard.mail import fetch

        run, imap = self.run, self.run.imap
        self.total = len(uids)
        self.parser = run.parser(self.total)
        self.fetched = True
        unsent: deque[Sequence[int]] = deque(uids[i:i + BATCH] for i in range(0, len(uids), BATCH))
        unanswered = self.unanswered = set(uids)
        in_flight: deque[tuple[Sequence[int], bytes]] = deque()
        self._send(unsent, in_flight)
        while in_flight:
            batch, tag = in_flight.popleft()
            raw = self._own(batch, fetch.unanswered_only(
                run.timed("fetch", fetch.read_fetch, imap, tag), unanswered))
            if unsent and run.should_cancel():  # what the server was asked for is still read
                run.cancelled = self.cut = True
                unsent.clear()
            self._send(unsent, in_flight)  # the server prepares these while we parse this one
            job = run.timed("parse", self.parser.submit, raw, self.with_recipients)
            run.waiting.append((self, batch, job))
            self.waiting += 1
            run.store(keep=self.parser.ahead)

    def _own(self, batch: Sequence[int], answers: list[RawMessage]) -> list[RawMessage]:
        """The answers (with those that came early) of ``batch``; those of later batches are
        kept in ``early`` until their batch is read."""
        answers, top = self.early + answers, max(batch)
        self.early = [answer for answer in answers if answer[0] > top]
        return [answer for answer in answers if answer[0] <= top] if self.early else answers

    def _send(self, unsent: deque[Sequence[int]],
              in_flight: deque[tuple[Sequence[int], bytes]]) -> None:
        """Keep ``IN_FLIGHT`` FETCH commands with the server, so it never waits for the next."""
        from netguard.mail import fetch

        while unsent and len(in_flight) < IN_FLIGHT:
            batch = unsent.popleft()
            in_flight.append((batch, fetch.send_fetch(self.run.imap, batch)))

    def read_all(self) -> None:
        """Every batch asked for has been read: finish once they are stored."""
        self.reading = False
        self._finish_when_stored()

    def store(self, batch: Sequence[int], job: Job) -> None:
        run = self.run
        parsed = run.timed("parse", self.parser.collect, job)
        for uid, reason in parsed.skipped:
            log.warning("Skipped message UID %d in %s: cannot parse its headers\n%s",
                        uid, self.name, reason)
        lost = self.unanswered.intersection(batch)
        if lost:  # kept before the highest UID moves past them
            self._not_answered(lost)
        run.timed("store", messages.add_rows, run.conn, self.folder_id, parsed.rows,
                  max(batch))
        if run.on_stored is not None:
            run.timed("stored", run.on_stored, self.folder_id, self.role, parsed.rows)
        if self.retried:
            missing.found(run.conn, self.folder_id, self.retried.intersection(batch) - lost)
        self.new += len(parsed.rows.messages)
        self.skipped += len(parsed.skipped)
        self.done += len(batch)
        self.waiting -= 1
        if run.progress:
            run.progress(self.name, self.done, self.total)
        self._finish_when_stored()

    def _not_answered(self, lost: set[int]) -> None:
        from netguard.mail import fetch

        given_up = missing.record(self.run.conn, self.folder_id, lost)
        if given_up:
            log.warning("Gave up on %d UID(s) of %s (%s): the server left them out of its "
                        "answer %d syncs in a row", len(given_up), self.name,
                        fetch.uid_set(given_up).decode("ascii"), missing.MAX_TRIES)
        self.skipped += len(given_up)
        self.missing += len(lost) - len(given_up)

    def _finish_when_stored(self) -> None:
        run = self.run
        if self.reading or self.waiting:
            return
        if self.missing:
            log.warning("The server left %d UID(s) of %s out of its FETCH answers: they are "
                        "asked again at the next sync", self.missing, self.name)
        if self.fetched and not self.cut:
            # every UID below UIDNEXT (as of STATUS) has been seen now
            messages.add_batch(run.conn, self.folder_id, [], self.uidnext - 1)
