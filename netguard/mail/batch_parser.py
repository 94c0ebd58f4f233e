"""Fetched header batches into store rows: in this process, or in a parser process beside it.

On the pure-Python parser a first sync of a large account spends most of its time parsing
headers, while the IMAP server waits and the machine's second core idles (with the compiled
parser, ``headers.row_adder``, ``parse_batch`` reads a block into rows in less time than the
pickles to and from a process take, and the sync parses inline). ``ProcessParser`` hands
each batch to one child process (``spawn``: safe from the GUI's threads) and keeps the sync's
own thread for reading the socket and writing the store, so the three overlap. A parser
process that dies (or cannot start, as in a frozen app without ``freeze_support``) costs no
batch: that batch and every later one are parsed here instead. ``InlineParser`` is the same
interface without a process, for the everyday sync of a few new messages.

The parser process ends with its parent, however the parent ends (SIGKILL too): a thread in it
waits on multiprocessing's parent sentinel — the read end of a pipe whose write end only the
parent holds (on Windows, the parent's process handle) — and ends the process when it closes.
Then multiprocessing's resource tracker, which lives while any of them holds its pipe, ends too.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import traceback
from collections.abc import Sequence
from concurrent.futures import BrokenExecutor, Future
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Protocol

from netguard.mail.fetch import RawMessage, internaldate
from netguard.mail.headers import parse_values, row_adder
from netguard.store.messages import Rows

if TYPE_CHECKING:
    import multiprocessing.process
    from concurrent.futures import ProcessPoolExecutor

log = logging.getLogger(__name__)
QUEUE = 2  # batches waiting for or in the parser process; more are parsed in the caller


@dataclass(frozen=True, slots=True)
class ParsedBatch:
    """The rows of a batch, and the UIDs that could not be parsed with the reason why."""

    rows: Rows
    skipped: list[tuple[int, str]] = field(default_factory=list)


def parse_batch(raw: Sequence[RawMessage], with_recipients: bool) -> ParsedBatch:
    """Every message of ``raw`` as rows; one that cannot be parsed is skipped, never fatal."""
    parsed = ParsedBatch(Rows(with_recipients))
    add, compiled = parsed.rows.add_values, row_adder()
    messages, recipients = parsed.rows.messages, parsed.rows.recipients if with_recipients else None
    for uid, date, header in raw:
        try:
            if compiled is not None and compiled(messages, recipients, uid, header,
                                                 internaldate, date):
                continue  # it appends a message's rows whole or not at all
        except Exception:  # noqa: S110 - hostile input: the parser below decides (as an import)
            pass
        try:
            add(uid, parse_values(header, partial(internaldate, date)))
        except Exception as error:  # hostile input must never stop a sync: count, log, go on
            parsed.skipped.append((uid, "".join(traceback.format_exception(error))))
    return parsed


@dataclass(frozen=True, slots=True)
class Job:
    """A batch handed to a parser; ``collect`` it in the order it was submitted."""

    raw: Sequence[RawMessage]
    with_recipients: bool
    future: Future[ParsedBatch]


class BatchParser(Protocol):
    ahead: int  # batches that may wait in the parser while the caller goes on

    def submit(self, raw: Sequence[RawMessage], with_recipients: bool) -> Job: ...

    def collect(self, job: Job) -> ParsedBatch: ...


class InlineParser:
    """Parses at once, in the calling thread."""

    ahead = 0

    def submit(self, raw: Sequence[RawMessage], with_recipients: bool) -> Job:
        future: Future[ParsedBatch] = Future()
        future.set_result(parse_batch(raw, with_recipients))
        return Job(raw, with_recipients, future)

    def collect(self, job: Job) -> ParsedBatch:
        return job.future.result()


class ProcessParser:
    """Parses in one child process while this thread stores the batches before; a batch that
    arrives while ``QUEUE`` batches already wait for the process is parsed here instead."""

    ahead = QUEUE

    def __init__(self) -> None:
        # Imported here: a sync with nothing new never starts the process (issue 18).
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self._pool: ProcessPoolExecutor | None = ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_in_child)
        self._queued: list[Future[ParsedBatch]] = []
        self.handed = 0  # batches the process took
        try:  # starts the process now, so it is ready for the first batch
            self._pool.submit(_ignore_interrupts)
        except (BrokenExecutor, OSError, RuntimeError):
            self._lost()

    def submit(self, raw: Sequence[RawMessage], with_recipients: bool) -> Job:
        self._queued = [future for future in self._queued if not future.done()]
        if self._pool is not None and len(self._queued) < QUEUE:
            try:
                self._queued.append(self._pool.submit(parse_batch, raw, with_recipients))
                self.handed += 1
                return Job(raw, with_recipients, self._queued[-1])
            except BrokenExecutor:
                self._lost()
        return InlineParser().submit(raw, with_recipients)

    def collect(self, job: Job) -> ParsedBatch:
        try:
            return job.future.result()
        except BrokenExecutor:
            self._lost()
            return parse_batch(job.raw, job.with_recipients)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _lost(self) -> None:
        if self._pool is not None:
            log.warning("The header parser process stopped or did not start: parsing in the sync"
                        " itself", exc_info=True)
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None


def _start_in_child() -> None:
    """The parser process's start: it ignores Ctrl-C and ends with its parent."""
    import multiprocessing

    _ignore_interrupts()
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent,), name="parent-watch",
                         daemon=True).start()


def _ignore_interrupts() -> None:
    """Ctrl-C reaches the whole process group: the sync decides, the parser carries on."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _end_with(parent: multiprocessing.process.BaseProcess) -> None:
    """Wait until ``parent`` is gone (its sentinel closes), then end this process at once."""
    parent.join()
    os._exit(0)
