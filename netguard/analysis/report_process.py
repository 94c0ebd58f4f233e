"""The report made in a process of its own while the app starts (issue 18).

Building the report is ≈0.4 s of plain Python at 5,000 contacts, and so is loading PySide6 and
the app's modules; in one process they wait for each other (a thread shares the GIL and gains
nothing). Started before the GUI's modules load, a forked process builds the report on its own
connection to the store, on a free core, and sends it back through a pipe; the window takes it
when it needs it. Where fork is not the way processes start (Windows, macOS), or the child
fails, or it was made for another language or rules, the window builds the report itself, as
before; and so it does on a busy machine, where the child would only compete with the window
for the same cores (``idle_core``; measured on 2 cores: 0.2 s sooner at load 2, 0.1 s later at
load 3–4). The child never touches the parent's connection and leaves without running
finalizers (multiprocessing's ``os._exit``), so the parent's store is left alone.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import fields
from datetime import datetime
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING

from netguard.analysis.model import ContactState, Finding, Report
from netguard.settings import Rules

if TYPE_CHECKING:  # multiprocessing loads when a child starts: on a busy machine none does
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

WAIT = 30.0  # seconds: a child slower than this is given up, and the window builds it itself
log = logging.getLogger(__name__)


def idle_core() -> bool:
    """Whether a core is free for the child (the last minute's load average says so)."""
    try:
        load = os.getloadavg()[0]
    except OSError:  # not known here: do not guess
        return False
    return load <= (os.cpu_count() or 1) - 1


class ReportProcess:
    """One report being built in a child process; ``take`` it once."""

    def __init__(self, process: BaseProcess, reader: Connection, rules: Rules, at: datetime,
                 lang: str) -> None:
        self._process, self._reader = process, reader
        self.rules, self.at, self.lang = rules, at, lang

    @classmethod
    def start(cls, database: Path, rules: Rules, at: datetime, lang: str) -> ReportProcess | None:
        """The child building ``build_report`` for these, or None where fork is not used."""
        if sys.platform != "linux":
            return None
        import multiprocessing

        context = multiprocessing.get_context("fork")
        reader, writer = context.Pipe(duplex=False)
        process = context.Process(target=_build, args=(writer, database, rules, at, lang),
                                  name="netguard-report", daemon=True)
        process.start()
        writer.close()
        return cls(process, reader, rules, at, lang)

    def take(self, rules: Rules, lang: str) -> Report | None:
        """The report, when it was made under ``rules`` in ``lang`` and arrives; else None."""
        try:
            packed = self._reader.recv() if self._reader.poll(WAIT) else None
            report = _unpack(packed) if packed is not None else None
        except (EOFError, OSError) as err:  # the child died before it answered
            log.warning("The report process gave no report (%s); building it here.", err)
            report = None
        finally:
            self.stop()
        if not isinstance(report, Report) or rules != self.rules or lang != self.lang:
            return None
        return report

    def stop(self) -> None:
        self._reader.close()
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()


def _build(writer: Connection, database: Path, rules: Rules, at: datetime, lang: str) -> None:
    """In the child: the report on a connection of its own, or None when it fails."""
    from netguard.analysis.report import build_report
    from netguard.store import open_store

    packed: Packed | None = None
    try:
        conn = open_store(database)
        try:
            packed = _pack(build_report(conn, rules, at=at, lang=lang))
        finally:
            conn.close()
    except Exception:  # the window builds it itself and says what is wrong
        log.exception("The report process failed")
    writer.send(packed)
    writer.close()


# Rows as plain tuples through the pipe: a slots dataclass pickles through Python-level
# __getstate__/__setstate__, three times slower at thousands of rows.
Packed = tuple[datetime, list[tuple[object, ...]], list[tuple[object, ...]], tuple[object, ...]]
_CONTACT = attrgetter(*(f.name for f in fields(ContactState)))
_FINDING = attrgetter(*(f.name for f in fields(Finding)))


def _pack(report: Report) -> Packed:
    return (report.at, [_CONTACT(c) for c in report.contacts],
            [_FINDING(f) for f in report.findings], report.others)


def _unpack(packed: Packed) -> Report:
    at, contacts, findings, others = packed
    return Report(at=at,
                  contacts=tuple(ContactState(*c) for c in contacts),  # type: ignore[arg-type]
                  findings=tuple(Finding(*f) for f in findings),  # type: ignore[arg-type]
                  others=others)  # type: ignore[arg-type]
