"""Benchmark importing an mbox file against only reading it (SPEC §4 import, README figures).

Writes an mbox of N sent messages (the easy generator of ``bench/sync.py``, or with ``--mailbox
real`` its realistic one, ``bench/real_mail.py``; LF line ends as mbox files have them), then
measures, each in a fresh child process:

  read     ``mailfiles.read_messages``: every message's header block cut out of the file, nothing
           parsed or stored (the floor of an import)
  import   ``importer.import_path`` into a new store, then ``summary.keep_up`` (as ``netguard
           import``): read, parse, store, the contact summary and the indexes

and prints wall time, messages/second, peak memory (max RSS) and import ÷ read. Each runs three
times, in turns; the best of each is compared.

    python bench/importer.py [--size 100000] [--mailbox easy|real]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from real_mail import RealGenerator, write_mbox  # noqa: E402  (bench/real_mail.py)
from sync import Generator  # noqa: E402  (bench/sync.py)

RUNS = 3
ME = "me@example.test"


def write_sent(path: Path, size: int, real: bool = False) -> None:
    gen = RealGenerator(ME, seed=size) if real else Generator(ME, seed=size)
    write_mbox(path, (gen.message(n, sent=True) for n in range(size)), ME)


def read_only(path: Path) -> dict[str, Any]:
    from netguard.mail.mailfiles import read_messages

    started = time.perf_counter()
    count = sum(1 for _ in read_messages([path]))
    return {"seconds": time.perf_counter() - started, "messages": count}


def import_all(path: Path) -> dict[str, Any]:
    """The import, then ``keep_up``, as ``netguard import`` runs them."""
    from netguard.analysis.first_load import FirstLoad
    from netguard.analysis.summary import keep_up
    from netguard.mail.importer import import_path
    from netguard.model import Role
    from netguard.settings import Rules
    from netguard.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        conn = open_store(Path(tmp) / "bench.sqlite3")
        started = time.perf_counter()
        gathered = FirstLoad(conn, Rules().bulk_recipients)
        result = import_path(conn, path, Role.SENT, on_stored=gathered.add)
        keep_up(conn, Rules().bulk_recipients, gathered)
        seconds = time.perf_counter() - started
        conn.close()
    return {"seconds": seconds, "messages": result.total, "skipped": result.skipped}


def child(mode: str, path: Path) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(path)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def report(size: int, mbox_mb: float, reads: list[dict[str, Any]],
           imports: list[dict[str, Any]]) -> str:
    read = min(reads, key=lambda r: r["seconds"])
    ours = min(imports, key=lambda r: r["seconds"])
    read_runs = ", ".join(f"{r['seconds']:.2f}" for r in reads)
    import_runs = ", ".join(f"{r['seconds']:.2f}" for r in imports)
    return "\n".join([
        f"== mbox of {size:,} messages ({mbox_mb:.0f} MB) ==",
        f"read only (header blocks cut out): {read['seconds']:.2f} s, "
        f"{read['messages'] / read['seconds']:,.0f} msg/s, peak {read['peak_mb']:.0f} MB "
        f"(runs: {read_runs} s)",
        f"netguard import:                   {ours['seconds']:.2f} s, "
        f"{ours['messages'] / ours['seconds']:,.0f} msg/s, peak {ours['peak_mb']:.0f} MB "
        f"(skipped {ours['skipped']}; runs: {import_runs} s)",
        f"ratio import / read:               {ours['seconds'] / read['seconds']:.2f}x",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--mailbox", choices=("easy", "real"), default="easy")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, path = args.child
        result = (read_only if mode == "read" else import_all)(Path(path))
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sent.mbox"
        write_sent(path, args.size, real=args.mailbox == "real")
        reads, imports = [], []
        for _ in range(RUNS):  # in turns, so a slow spell of the machine hits both
            reads.append(child("read", path))
            imports.append(child("import", path))
        print(report(args.size, path.stat().st_size / 2**20, reads, imports))


if __name__ == "__main__":
    main()
