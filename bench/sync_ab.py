"""Two source trees' first syncs in turns on one Dovecot: does a change make the sync faster?

    python bench/sync_ab.py OTHER_TREE [--rounds 7] [--size 100000] [--mailbox real]
                            [--cache DIR]

This machine's speed wanders by tens of percent from one minute to the next, so two runs of
``bench/sync.py``, one per tree, seldom tell a change of 5 % apart. Here one Dovecot serves both:
each round runs the floor (imaplib ``UID FETCH`` of the same fields, as in ``bench/sync.py``),
then this tree's sync and ``OTHER_TREE``'s (a worktree of another branch, say), in alternating
order, each in a fresh child process of its own tree's ``bench/sync.py --child netguard``. It
prints each round, then per tree the end-to-end time (the sync, then ``summary.keep_up``, as
``netguard sync`` runs them), its paired ratio to the round's floor, CPU and peak memory, and
the median of OTHER_TREE's time over this tree's, round by round. Build the compiled header
parser in each tree first (``python tools/build_native.py``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sync import seed_cached  # noqa: E402  (bench/sync.py)

from tests.servers.dovecot import DovecotServer  # noqa: E402

Run = dict[str, Any]


def child(tree: Path, mode: str, port: int, user: str, password: str) -> Run:
    """One run of ``tree``'s ``bench/sync.py --child``, on ``tree``'s own code."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([sys.executable, str(tree / "bench" / "sync.py"), "--child", mode,
                          str(port), user, password], check=True, capture_output=True,
                         text=True, env=env, cwd=tree)
    result: Run = json.loads(out.stdout)
    return result


def line(round_: int, tree: Path, run: Run) -> str:
    ratio = run["end_to_end_seconds"] / run["floor"]
    peak = max(run["peak_mb_sync"], run["peak_mb_keep_up"])
    return (f"round {round_} {tree.name:<12} floor {run['floor']:.2f} s, sync "
            f"{run['seconds']:.2f} s, keep_up {run['keep_up_seconds']:.2f} s, end to end "
            f"{run['end_to_end_seconds']:.2f} s ({ratio:.2f}x), CPU "
            f"{run['end_to_end_cpu_seconds']:.2f} s, peak {peak:.0f} MB, load "
            f"{os.getloadavg()[0]:.1f}")


def summary(tree: Path, runs: list[Run]) -> str:
    ends = [r["end_to_end_seconds"] for r in runs]
    return (f"{tree.name}: end to end median {statistics.median(ends):.2f} s, best "
            f"{min(ends):.2f} s; paired ratio to the floor, median "
            f"{statistics.median(r['end_to_end_seconds'] / r['floor'] for r in runs):.2f}x; "
            f"CPU median {statistics.median(r['end_to_end_cpu_seconds'] for r in runs):.2f} s; "
            f"peak {max(max(r['peak_mb_sync'], r['peak_mb_keep_up']) for r in runs):.0f} MB")


def compare(trees: tuple[Path, Path], rounds: int, size: int, mailbox: str,
            cache: Path | None) -> dict[Path, list[Run]]:
    server = DovecotServer.start()
    results: dict[Path, list[Run]] = {tree: [] for tree in trees}
    try:
        user = server.new_user(folders=["Sent"])
        seed_cached(server, user.name, size, mailbox, cache)
        login = (server.port, user.name, user.password)
        child(trees[0], "floor", *login)  # warm-up: Dovecot indexes the folders
        for round_ in range(rounds):
            floor = child(trees[0], "floor", *login)["seconds"]
            for tree in trees if round_ % 2 == 0 else trees[::-1]:
                run = child(tree, "netguard", *login) | {"floor": floor}
                results[tree].append(run)
                print(line(round_, tree, run), flush=True)
    finally:
        server.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("other", type=Path, help="the other source tree (a worktree)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--mailbox", choices=("real", "easy"), default="real")
    parser.add_argument("--cache", type=Path, help="as bench/sync.py --cache")
    args = parser.parse_args()
    trees = (ROOT, args.other.resolve())
    results = compare(trees, args.rounds, args.size, args.mailbox, args.cache)
    for tree in trees:
        print(summary(tree, results[tree]))
    ratio = statistics.median(b["end_to_end_seconds"] / a["end_to_end_seconds"]
                              for a, b in zip(results[trees[0]], results[trees[1]], strict=True))
    print(f"{trees[1].name} / {trees[0].name}, end to end, round by round: median {ratio:.3f}")


if __name__ == "__main__":
    main()
