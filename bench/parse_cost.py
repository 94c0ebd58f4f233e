"""Count the CPU instructions a message costs to parse and to store, with callgrind (issue 3).

Wall-clock timings on this shared 2-core machine wander by tens of percent from one second to
the next, too much to see a 10 % change. Instruction counts do not: the same code on the same
input gives the same count. This script writes N realistic header blocks (the generator of
``bench/sync.py``, as Dovecot returns them: CRLF, the SPEC §4 fields) and the server's FETCH
answers that carry them, then runs itself under ``valgrind --tool=callgrind`` once per stage
and prints instructions per message beside the baseline of only loading the input and the
modules (so imports are not counted as work per message):

  read     ``fetch.read_fetch`` of the FETCH answers (what the sync's thread does with them)
  parse    ``batch_parser.parse_batch`` of what was read
  pickle   sending the blocks to a parser process and its rows back (pickling both ways: what
           a parser process beside the sync adds; a sync with the compiled parser has none)
  store    ``messages.add_rows`` of those rows into a new store, during a bulk load (its
           indexes are built after the sync has returned, by ``summary.keep_up``: excluded)

    python bench/parse_cost.py [--size 10000] [--mailbox real|easy]

Needs valgrind (Debian's package). Hash randomisation is off in the runs, so that a count
repeats exactly.
"""

from __future__ import annotations

import argparse
import io
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import cast

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sync import BATCH, MAILBOXES  # noqa: E402  (bench/sync.py)

from netguard.mail.headers import FIELDS  # noqa: E402

STAGES = ("load", "read", "parse", "pickle", "store")
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


def answers(batches: list[list[tuple[int, bytes, bytes]]]) -> list[bytes]:
    """Each batch as the server's FETCH answer, ending in its tag's OK (the tag is ``A<i>``)."""
    from netguard.mail.fetch import QUERY

    fields = QUERY.split(b"BODY.PEEK", 1)[1][:-1]  # [HEADER.FIELDS (...)]
    return [b"".join(b"* %d FETCH (UID %d INTERNALDATE \"%s\" BODY%s {%d}\r\n%s)\r\n"
                     % (uid, uid, date, fields, len(header), header)
                     for uid, date, header in raw) + b"A%d OK Fetch completed.\r\n" % i
            for i, raw in enumerate(batches)]


class _Answering:
    """What ``fetch.read_fetch`` reads of an ``imaplib.IMAP4``: its stream (buffered as the
    connection's) and its tags."""

    def __init__(self, data: bytes) -> None:
        from netguard.mail.connection import READ_BUFFER

        self.file = io.BufferedReader(io.BytesIO(data), READ_BUFFER)  # type: ignore[arg-type]
        self.tagged_commands: dict[bytes, object] = {}


def run_stage(stage: str, data: Path) -> None:
    from netguard.mail.batch_parser import ParsedBatch, parse_batch
    from netguard.mail.fetch import read_fetch
    from netguard.model import Role
    from netguard.store import messages, open_store

    batches, answered = pickle.loads(data.read_bytes())
    with tempfile.TemporaryDirectory() as tmp:
        conn = open_store(Path(tmp) / "cost.sqlite3")
        if stage == "load":
            os._exit(0)
        server = _Answering(b"".join(answered))
        read = [read_fetch(server, b"A%d" % i) for i in range(len(batches))]  # type: ignore[arg-type]
        if stage == "read":
            os._exit(0)
        half = len(read) // 2  # Sent first, then INBOX
        if stage == "pickle":
            parsed = [pickle.loads(pickle.dumps(parse_batch(pickle.loads(pickle.dumps(raw)),
                                                            i < half)))
                      for i, raw in enumerate(read)]
            os._exit(0)
        parsed = [parse_batch(raw, i < half) for i, raw in enumerate(read)]
        if stage == "parse":
            os._exit(0)
        with messages.bulk_load(conn):
            folders = [messages.ensure_folder(conn, name, role)
                       for name, role in (("Sent", Role.SENT), ("INBOX", Role.RECEIVED))]
            for i, batch in enumerate(parsed):
                rows = cast(ParsedBatch, batch).rows
                messages.add_rows(conn, folders[i >= half], rows, rows.messages[-1][1])
            os._exit(0)  # the indexes are built after the sync


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
        batches = header_blocks(args.size, args.mailbox)
        data.write_bytes(pickle.dumps((batches, answers(batches))))
        counts = {stage: instructions(stage, data) for stage in STAGES}
    messages = 2 * args.size
    print(f"== {args.mailbox} mailbox, {args.size:,} messages in Sent + {args.size:,} in INBOX, "
          "instructions a message ==")
    print(f"loading the input and the modules (baseline): {counts['load'] // messages:,}")
    for stage, before, what in (("read", "load", "fetch.read_fetch of the answers"),
                                ("parse", "read", "parse_batch"),
                                ("pickle", "parse", "to a parser process and back (pickles)"),
                                ("store", "parse", "add_rows, bulk")):
        cost = (counts[stage] - counts[before]) // messages
        print(f"{stage} ({what}):".ljust(47) + f" {cost:,}")


if __name__ == "__main__":
    main()
