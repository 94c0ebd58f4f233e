"""Time ``summary.keep_up`` alone on a copy of a store a first sync left (issue 18).

After a large first load, ``netguard sync`` and the app run ``summary.keep_up``: it builds the
lookup indexes the load set aside and rebuilds the contact summary from every message. This
times it in a fresh process on a copy of ``STORE`` (made, say, by ``bench/sync.py``'s sync
into a file, before ``keep_up``), best of ``--runs``: wall and CPU time, peak memory (max RSS)
of the whole and of the rebuild alone (indexes already built), and a digest of the summary
(of the rows as read back) so two versions can be compared row for row.

    python bench/summary.py STORE [--runs 3] [--bulk 10]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import marshal
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def measure(store: Path, bulk: int, mode: str) -> dict[str, Any]:
    """In this process: ``keep_up`` (mode ``keep_up``) or, after the index build, the
    rebuild alone (mode ``rebuild``), on a copy of ``store``."""
    from netguard.analysis.summary import keep_up, rebuild
    from netguard.store.db import restore_indexes

    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / store.name
        for suffix in ("", "-wal", "-shm"):
            if Path(f"{store}{suffix}").exists():
                shutil.copy(f"{store}{suffix}", f"{copy}{suffix}")
        conn = sqlite3.connect(copy, isolation_level=None)  # as open_store, without its
        for pragma in ("foreign_keys = ON", "journal_mode = WAL",  # index restore
                       "synchronous = NORMAL", "mmap_size = 268435456"):
            conn.execute(f"PRAGMA {pragma}")
        if mode == "rebuild":
            restore_indexes(conn)
        cpu, started = _cpu_seconds(), time.perf_counter()
        (rebuild if mode == "rebuild" else keep_up)(conn, bulk)
        seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before reading it
        digest = hashlib.sha256()
        for address, sent, received in conn.execute(
                "SELECT address, sent, received FROM contact_summary ORDER BY address"):
            rows = address, marshal.loads(sent), marshal.loads(received)
            digest.update(repr(rows).encode())
        conn.close()
    return {"seconds": seconds, "cpu_seconds": cpu,
            "peak_mb": peak,
            "digest": digest.hexdigest()[:16]}


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(store: Path, bulk: int, mode: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, str(store), "--bulk", str(bulk),
                          "--child", mode], check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--bulk", type=int, default=10, help="the bulk limit (Rules' default)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.store, args.bulk, args.child)))
        return
    for mode in ("keep_up", "rebuild"):
        runs = [child(args.store, args.bulk, mode) for _ in range(args.runs)]
        best = min(runs, key=lambda r: r["seconds"])
        print(f"{mode}: best {best['seconds']:.2f} s, CPU {best['cpu_seconds']:.2f} s,"
              f" peak {max(r['peak_mb'] for r in runs):.0f} MB, summary {best['digest']}")


if __name__ == "__main__":
    main()
