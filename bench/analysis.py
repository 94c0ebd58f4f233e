"""Benchmark the history analysis at a heavy user's size (issue 4, SPEC §9).

Builds a store with 100k sent + 100k received messages over 5,000 contacts (direct inserts,
in a child process so its memory does not count), then measures in a fresh process:
``build_report`` (first run and best of five), one ``guard.check`` (median of many, for
the busiest contact and a random one), ``recipient_context``, and peak memory (max RSS).

    python bench/analysis.py [--sent 100000] [--received 100000] [--contacts 5000] [--keep DB]

Targets: report < 0.5 s (issue 18; it reads the per-contact summary, and the same report
computed from every message is printed beside it), one check < 2 ms, memory < 300 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from netguard.analysis import report as report_module
from netguard.analysis.context import recipient_context
from netguard.analysis.guard import check
from netguard.analysis.history import all_events
from netguard.analysis.model import Report
from netguard.analysis.report import build_report
from netguard.model import Role
from netguard.settings import Rules
from netguard.store import open_store
from netguard.store.db import transaction
from netguard.store.messages import ensure_folder, recount

AT = datetime(2026, 11, 20, 12, tzinfo=UTC)
SPAN = 3 * 365 * 86_400
ME = "me@mine.nl"


def contact(i: int) -> str:
    return f"contact{i}@example{i % 97}.com"


def build(path: Path, n_sent: int, n_received: int, n_contacts: int) -> None:
    rng = random.Random(4)
    conn = open_store(path)
    sent = ensure_folder(conn, "Sent", Role.SENT)
    inbox = ensure_folder(conn, "INBOX", Role.RECEIVED)
    end = int(AT.timestamp())
    weights = [1.0 / (1 + i % 50) for i in range(n_contacts)]  # some contacts are busy
    senders = rng.choices(range(n_contacts), weights, k=n_sent + n_received)
    with transaction(conn):
        messages, recipients = [], []
        for n in range(n_sent):
            who = senders[n]
            bulk = rng.random() < 0.02
            cc = [] if bulk or rng.random() > 0.2 else [rng.randrange(n_contacts)]
            to = [who] + ([rng.randrange(n_contacts) for _ in range(14)] if bulk else [])
            mid = n + 1
            messages.append((mid, sent, n + 1, f"<s{n}@mine.nl>", end - rng.randrange(SPAN),
                             ME, "Voorstel", 0, 0, len(to) + len(cc)))
            recipients += [(mid, contact(c), f"Contact {c}", "to") for c in to]
            recipients += [(mid, contact(c), "", "cc") for c in cc]
        for n in range(n_received):
            who = senders[n_sent + n]
            automatic = int(rng.random() < 0.05)
            is_list = int(rng.random() < 0.03)
            mid = n_sent + n + 1
            messages.append((mid, inbox, n + 1, f"<r{n}@example.com>", end - rng.randrange(SPAN),
                             contact(who), "Re: Voorstel", automatic, is_list, 1))
            recipients.append((mid, ME, "", "to"))
        conn.executemany(
            "INSERT INTO messages (id, folder_id, uid, message_id, time, time_source, from_addr,"
            " subject, automatic, is_list, n_recipients)"
            " VALUES (?, ?, ?, ?, ?, 'date', ?, ?, ?, ?, ?)", messages)
        conn.executemany(
            "INSERT INTO recipients (message, address, name, kind) VALUES (?, ?, ?, ?)",
            recipients)
        recount(conn)  # the folders' counts, as the store keeps them (written here with SQL)
    conn.execute("ANALYZE")
    conn.close()


def timed(action: Callable[[], object]) -> float:
    """CPU seconds of the process for one call: other work on a shared machine does not count."""
    start = time.process_time()
    action()
    return time.process_time() - start


def wall(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _from_messages(conn: sqlite3.Connection, rules: Rules) -> Report:
    """``build_report`` with every contact's history scanned from the messages, as before."""
    saved = report_module.contact_histories
    report_module.contact_histories = all_events
    try:
        return build_report(conn, rules, AT)
    finally:
        report_module.contact_histories = saved


def measure(path: Path, n_contacts: int) -> None:
    conn = open_store(path)
    rules = Rules()
    first = wall(lambda: build_report(conn, rules, AT))
    best = min(timed(lambda: build_report(conn, rules, AT)) for _ in range(5))
    best_wall = min(wall(lambda: build_report(conn, rules, AT)) for _ in range(5))
    report = build_report(conn, rules, AT)
    scan = min(timed(lambda: _from_messages(conn, rules)) for _ in range(3))
    assert _from_messages(conn, rules) == report
    print(f"report: {len(report.contacts)} contacts, {len(report.findings)} findings")
    print(f"  build_report first run   {first * 1000:8.1f} ms wall"
          "   (a store without the contact summary builds it once)")
    print(f"  build_report best of 5   {best * 1000:8.1f} ms CPU, {best_wall * 1000:.1f} ms wall"
          "   (target < 500 ms)")
    print(f"  the same from every message (no summary), best of 3 {scan * 1000:.1f} ms CPU"
          "   (baseline; the same report)")
    rng = random.Random(7)
    for label, address in (("busiest contact", contact(0)),
                           ("random contact", contact(rng.randrange(n_contacts))),
                           ("unknown address", "nobody@nowhere.example")):
        runs = [timed(lambda a=address: check(conn, rules, [a], at=AT)) for _ in range(200)]
        print(f"  check() {label:<17} {statistics.median(runs) * 1000:8.2f} ms median, "
              f"{max(runs) * 1000:.2f} ms max   (target < 2 ms)")
    runs = [timed(lambda: recipient_context(conn, rules, contact(0), AT)) for _ in range(50)]
    print(f"  recipient_context()       {statistics.median(runs) * 1000:8.2f} ms median")
    loop = timed(lambda: sum(range(10**7)))
    print(f"  machine: sum(range(10**7)) took {loop * 1000:.0f} ms CPU here, load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (compare the figures with that)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory (max RSS)     {peak:8.1f} MB   (target < 300 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--sent", type=int, default=100_000)
    parser.add_argument("--received", type=int, default=100_000)
    parser.add_argument("--contacts", type=int, default=5_000)
    parser.add_argument("--keep", type=Path, help="build (or reuse) the store at this path")
    parser.add_argument("--build-only", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        build(args.build_only, args.sent, args.received, args.contacts)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "bench.sqlite3"
        if not path.exists():
            start = time.perf_counter()
            subprocess.run([sys.executable, __file__, "--build-only", str(path),
                            "--sent", str(args.sent), "--received", str(args.received),
                            "--contacts", str(args.contacts)], check=True)
            print(f"store: {args.sent} sent + {args.received} received over {args.contacts} "
                  f"contacts, built in {time.perf_counter() - start:.1f} s")
        measure(path, args.contacts)


if __name__ == "__main__":
    main()
