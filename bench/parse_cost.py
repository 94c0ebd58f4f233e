"""Count the CPU instructions a message costs to parse and to store, with callgrind (issue 3).

Wall-clock timings on this shared 2-core machine wander by tens of percent from one second to
the next, too much to see a 10 % change. Instruction counts do not: the same code on the same
input gives the same count. This script writes N realistic header blocks (the generator of
``bench/sync.py``, as Dovecot returns them: CRLF, the SPEC §4 fields), then runs itself under
``valgrind --tool=callgrind`` once per stage and prints instructions per message beside the
baseline of only loading the input:

  parse    ``batch_parser.parse_batch`` and pickling its rows (what the parser process does)
  store    unpickling those rows and ``messages.add_rows`` into a new store, during a bulk load
           (what the sync's thread does with them), the index rebuild excluded

    python bench/parse_cost.py [--size 10000] [--mailbox real|easy]

Needs valgrind (Debian's package). Hash randomisation is off in the runs, so that a count
repeats exactly.
"""

from __future__ import annotations

import argparse
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sync import BATCH, MAILBOXES  # noqa: E402  (bench/sync.py)

from netguard.mail.headers import FIELDS  # noqa: E402

STAGES = ("load", "parse", "store")
_WANTED = {name.lower() for name in FIELDS}


def header_blocks(size: int, mailbox: str) -> list[list[tuple[int, bytes, bytes]]]:
    """Batches of (uid, INTERNALDATE, header block): Sent and INBOX, ``size`` each."""
    gen = MAILBOXES[mailbox]("me@example.test", seed=size)
    batches = []
    for sent in (True, False):
        raw = [(n + 1, b"14-Nov-2023 22:15:08 +0100", _fields_only(gen.message(n, sent)))
               for n in range(size)]
        batches += [raw[i:i + BATCH] for i in range(0, size, BATCH)]
    return batches


def _fields_only(message: bytes) -> bytes:
    """The fields asked for, with their folds, as Dovecot returns them."""
    head = message.split(b"\n\n", 1)[0].decode("utf-8", "surrogateescape")
    fields = re.split(r"\n(?![ \t])", head)
    kept = [field for field in fields if field.split(":", 1)[0].lower() in _WANTED]
    return ("\r\n".join(field.replace("\n", "\r\n") for field in kept) + "\r\n\r\n"
            ).encode("utf-8", "surrogateescape")


def run_stage(stage: str, data: Path) -> None:
    from netguard.mail.batch_parser import parse_batch
    from netguard.model import Role
    from netguard.store import messages, open_store

    batches = pickle.loads(data.read_bytes())
    if stage == "load":
        return
    half = len(batches) // 2  # Sent first, then INBOX
    parsed = [pickle.dumps(parse_batch(raw, i < half)) for i, raw in enumerate(batches)]
    if stage != "store":
        return
    with tempfile.TemporaryDirectory() as tmp:
        conn = open_store(Path(tmp) / "cost.sqlite3")
        with messages.bulk_load(conn):
            folders = [messages.ensure_folder(conn, name, role)
                       for name, role in (("Sent", Role.SENT), ("INBOX", Role.RECEIVED))]
            for i, blob in enumerate(parsed):
                rows = pickle.loads(blob).rows
                messages.add_rows(conn, folders[i >= half], rows, rows.messages[-1][1])
            os._exit(0)  # before the index rebuild


def instructions(stage: str, data: Path) -> int:
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
         __file__, "--stage", stage, str(data)],
        capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    found = re.search(r"Collected : (\d+)", out.stderr)
    if found is None:
        raise SystemExit(f"callgrind printed no count:\n{out.stderr[-2000:]}")
    return int(found[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--mailbox", choices=sorted(MAILBOXES), default="real")
    parser.add_argument("--stage", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        run_stage(args.stage[0], Path(args.stage[1]))
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is needed: apt-get install -y valgrind")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "blocks.pickle"
        data.write_bytes(pickle.dumps(header_blocks(args.size, args.mailbox)))
        counts = {stage: instructions(stage, data) for stage in STAGES}
    messages = 2 * args.size
    parse = (counts["parse"] - counts["load"]) // messages
    store = (counts["store"] - counts["parse"]) // messages
    print(f"== {args.mailbox} mailbox, {args.size:,} messages in Sent + {args.size:,} in INBOX, "
          "instructions a message ==")
    print(f"only loading the input (baseline):  {counts['load'] // messages:,}")
    print(f"parse (parse_batch + pickle):       {parse:,}")
    print(f"store (unpickle + add_rows, bulk):  {store:,}")


if __name__ == "__main__":
    main()
