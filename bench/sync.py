"""Benchmark the IMAP sync against the raw protocol floor on a local Dovecot (issue 3, SPEC §9).

For each size N it starts a private Dovecot, writes N realistic messages into Sent and N into
INBOX (Maildir files with correct sizes; Dovecot indexes them on first access), warms the
server up with one unmeasured raw pass, then measures, each in a fresh child process:

  floor       imaplib ``UID FETCH`` of the same header fields + INTERNALDATE, batched, no parsing
  netguard    ``netguard.mail.sync.sync`` into a new store: fetch, parse, store (phases printed).
              On the pure-Python parser (``NETGUARD_PURE_HEADERS=1``, or none compiled), from
              5,000 new messages in a folder the sync parses in a child process beside it: its
              CPU time and peak memory are printed with the client's.
              Then ``summary.keep_up`` as ``netguard sync`` runs it next: the contact summary
              (gathered from the rows as they were stored, ``analysis.first_load``), and the
              indexes a first load leaves for after the sync has returned. The sync alone and
              the sync with ``keep_up`` (end to end, as ``netguard sync`` runs them) are each
              compared with the floor.
  nothing     ``sync`` again with nothing new (best of 5, connection + login included), next to
              the raw protocol doing the same round trips (connect, login, STATUS INBOX, LIST,
              STATUS Sent), and the same with LIST first (Dovecot's Maildir then rereads the
              INBOX's UID list: see ``netguard.mail.sync.sync``)

and prints wall time, messages/second, client peak memory (max RSS) and NetGuard ÷ floor.
Beside each client's CPU it prints the server's (Dovecot's processes, read from /proc), and the
least wall time any schedule of the client's and the server's CPU could take on this machine's
cores: on a 2-core machine the loopback server's work competes with the client's. The
floor and NetGuard run in turns, seven times each, and the best of each is compared: this
machine's speed wanders by tens of percent from one second to the next. The median of the
seven ratios of a NetGuard run to the floor run just before it is printed too.

    python bench/sync.py [--sizes 10000,100000] [--mailboxes real,easy] [--runs 7]
                         [--cache DIR] [--json FILE] [--before]

``--before`` also runs, in the same turns, the sync followed by ``keep_up`` rebuilding the
summary from the messages (as ``netguard sync`` did before the first-load summary).

``--cache DIR`` keeps each generated Maildir in ``DIR/<mailbox>-<size>`` and hard-links it into
the next benchmark's Dovecot instead of writing 200,000 files again (Dovecot only reads them).

Two mailboxes: ``real``, shaped like a real freelancer's mail (``bench/real_mail.py``: many
recipients, encoded names in many scripts, folded lines, long References, lists, automatic
replies, a few malformed), and ``easy``, the simpler one of the earlier figures (``Generator``).

Targets (issue 3): first sync within 2x the floor at 100k, memory < 300 MB, nothing-new < 100 ms;
(issue 18) on the `real` mailbox at 100k + 100k, end to end (sync + keep_up) 1.5x, < 200 MB.
"""

from __future__ import annotations

import argparse
import imaplib
import json
import os
import pwd
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from real_mail import RealGenerator  # noqa: E402  (bench/real_mail.py)

from netguard.mail.fetch import QUERY, uid_set  # noqa: E402
from tests.servers.dovecot import DovecotServer  # noqa: E402

BATCH = 2000
RUNS = 7  # of the floor and of NetGuard, in turns; the best of each is compared
FIRST = ["Anna", "Bram", "Carla", "Daan", "Eva", "Fleur", "Gijs", "Hanna", "Jeroen", "Lotte",
         "Mark", "Noor", "Pieter", "Sanne", "Tom", "Emma", "Oliver", "Sophie", "James", "Lucy"]
LAST = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
        "Smith", "Brown", "Taylor", "Wilson", "Müller", "Dubois", "Groß", "Janssens"]
SUBJECTS = ["Voorstel samenwerking", "Offerte website", "Afspraak volgende week",
            "Re: Vraag over de planning", "Introduction", "Follow-up on our call",
            "Uitnodiging netwerkborrel", "Quick question", "Factuur 2025-{n}", "Nieuwsbrief {n}",
            "Project update", "Bedankt voor het gesprek", "Café morgen?", "Prijsopgave € {n}"]
BODY = ("Hallo,\n\nDank voor je bericht. Hierbij de informatie waar je om vroeg.\n"
        "Laat maar weten als je vragen hebt.\n\nGroet,\n") * 8


def encode_word(value: str) -> str:
    """RFC 2047 Q-encoding when needed (as mail clients do)."""
    if value.isascii():
        return value
    data = "".join("_" if c == " " else c if c.isalnum() and c.isascii() else
                   "".join(f"={b:02X}" for b in c.encode()) for c in value)
    return f"=?utf-8?q?{data}?="


class Generator:
    def __init__(self, me: str, seed: int) -> None:
        self.rng = random.Random(seed)
        self.me = me
        self.people = [self._person(i) for i in range(3000)]

    def _person(self, i: int) -> tuple[str, str]:
        first, last = self.rng.choice(FIRST), self.rng.choice(LAST)
        domain = self.rng.choice(["example.nl", "example.com", "bedrijf.nl", "mail.example.org"])
        local = f"{first}.{last.replace(' ', '')}{i}".lower()
        addr = local.replace("ü", "ue").replace("ß", "ss") + "@" + domain
        name = (encode_word(f"{last}, {first}") if not last.isascii() else f'"{last}, {first}"'
                ) if self.rng.random() < 0.1 else encode_word(f"{first} {last}")
        return name, addr

    def _who(self, person: tuple[str, str]) -> str:
        return f"{person[0]} <{person[1]}>"

    def message(self, n: int, sent: bool) -> bytes:
        rng = self.rng
        when = 1_700_000_000 + n * 600 + rng.randrange(600)
        zone = rng.choice(["+0100", "+0200", "+0000", "-0500"])
        date = time.strftime("%a, %d %b %Y %H:%M:%S ", time.gmtime(when)) + zone
        bulk = rng.random() < 0.03
        to = rng.sample(self.people, 15 if bulk else rng.choice([1, 1, 1, 2, 3]))
        cc = rng.sample(self.people, 1) if rng.random() < 0.2 else []
        other = rng.choice(self.people)
        sender = f"Me Myself <{self.me}>" if sent else self._who(other)
        recipients = ", ".join(self._who(p) for p in to) if sent else f"Me <{self.me}>"
        subject = rng.choice(SUBJECTS).format(n=n)
        lines = [
            f"Received: from mx.example.net (mx.example.net [192.0.2.{n % 250}]) by "
            f"mail.example.test with ESMTPS id {n:x}; {date}",
            "DKIM-Signature: v=1; a=rsa-sha256; d=example.nl; s=sel; bh=" + "x" * 44 + "; b="
            + "y" * 200,
            f"Message-ID: <{n}.{rng.getrandbits(40):x}@{'mine' if sent else 'their'}.example>",
            f"Date: {date}",
            f"From: {sender}",
            f"To: {recipients}",
            *([f"Cc: {self._who(cc[0])}"] if cc else []),
            f"Subject: {encode_word(subject)}",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
        ]
        if rng.random() < 0.4:
            parent = f"<{rng.randrange(max(n, 1))}.{rng.getrandbits(40):x}@example>"
            lines += [f"In-Reply-To: {parent}", f"References: <root{n}@example> {parent}"]
        if not sent and rng.random() < 0.15:
            lines += ["List-Id: Nieuws <news.example.org>", "Precedence: bulk"]
        if not sent and rng.random() < 0.02:
            lines += ["Auto-Submitted: auto-replied"]
        return ("\n".join(lines) + "\n\n" + BODY).encode("utf-8")


MAILBOXES = {"real": RealGenerator, "easy": Generator}


def seed_maildir(server: DovecotServer, user: str, size: int, mailbox: str = "real") -> None:
    """Write ``size`` messages into Sent and INBOX as Maildir files with correct S= sizes."""
    gen = MAILBOXES[mailbox](user, seed=size)
    base = server.mail_root / user
    for folder, sent in ((base / ".Sent", True), (base, False)):
        cur = folder / "cur"
        cur.mkdir(parents=True, exist_ok=True)
        for n in range(size):
            data = gen.message(n, sent)
            sizes = f"S={len(data)},W={len(data) + data.count(10)}"
            (cur / f"{1_700_000_000 + n}.M{n}P1.bench,{sizes}:2,S").write_bytes(data)
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        subprocess.run(["chown", "-R", f"{nobody.pw_uid}:{nobody.pw_gid}", str(base)], check=True)


# measurements, each run in a child process ----------------------------------------------------

def floor(port: int, user: str, password: str) -> dict[str, Any]:
    cpu, server = _cpu_seconds(), server_cpu_seconds()
    started = time.perf_counter()
    imap = imaplib.IMAP4("127.0.0.1", port)
    imap.login(user, password)
    count = 0
    for folder in ("Sent", "INBOX"):
        imap.select(folder, readonly=True)
        uids = [int(u) for u in imap.uid("SEARCH", "ALL")[1][0].split()]
        for i in range(0, len(uids), BATCH):
            _typ, data = imap.uid("FETCH", uid_set(uids[i:i + BATCH]).decode(), QUERY.decode())
            count += sum(1 for row in data if isinstance(row, tuple))
    imap.logout()
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    return {"seconds": seconds, "messages": count, "cpu_seconds": cpu,
            "server_cpu_seconds": server_cpu_seconds() - server,
            "status_ms": min(status_round(port, user, password) for _ in range(5)) * 1000,
            "status_list_first_ms": min(status_round(port, user, password, inbox_first=False)
                                        for _ in range(5)) * 1000}


def status_round(port: int, user: str, password: str, inbox_first: bool = True) -> float:
    """The raw cost of a nothing-new check: connect, login, STATUS INBOX, LIST, STATUS Sent (as
    NetGuard asks), or LIST first and then the folders' STATUS (as clients usually ask)."""
    started = time.perf_counter()
    imap = imaplib.IMAP4("127.0.0.1", port)
    imap.login(user, password)
    if inbox_first:
        imap.status("INBOX", "(UIDNEXT UIDVALIDITY)")
    imap.list()
    for folder in ("Sent",) if inbox_first else ("Sent", "INBOX"):
        imap.status(folder, "(UIDNEXT UIDVALIDITY)")
    imap.logout()
    return time.perf_counter() - started


def netguard(port: int, user: str, password: str, gathered: bool = True) -> dict[str, Any]:
    """The sync, then ``keep_up``; with ``gathered`` False the summary is rebuilt from the
    messages after the sync, as before ``analysis.first_load`` (the baseline of ``--before``)."""
    from netguard.analysis.first_load import FirstLoad
    from netguard.analysis.summary import keep_up
    from netguard.mail.sync import sync
    from netguard.settings import Account, Rules
    from netguard.store import open_store

    account = Account(host="127.0.0.1", port=port, user=user, security="plain")
    with tempfile.TemporaryDirectory() as tmp:
        conn = open_store(Path(tmp) / "bench.sqlite3")
        cpu, server = _cpu_seconds(), server_cpu_seconds()
        started = time.perf_counter()
        first_load = FirstLoad(conn, Rules().bulk_recipients) if gathered else None
        result = sync(account, password, conn,  # as `netguard sync` does
                      on_stored=first_load.add if first_load else None)
        seconds = time.perf_counter() - started
        cpu, server = _cpu_seconds() - cpu, server_cpu_seconds() - server
        parser_cpu = _cpu_seconds(resource.RUSAGE_CHILDREN)  # the parser process, ended
        peak_sync = _max_rss_mb()
        peak_parser = _max_rss_mb(resource.RUSAGE_CHILDREN)
        after, after_cpu = time.perf_counter(), _cpu_seconds()
        keep_up(conn, Rules().bulk_recipients, first_load)  # what `netguard sync` runs next
        after, after_cpu = time.perf_counter() - after, _cpu_seconds() - after_cpu
        del first_load
        peak_keep_up = _max_rss_mb()  # before the syncs with nothing new (mapped reads)
        nothing = []
        for _ in range(5):
            again = time.perf_counter()
            assert sync(account, password, conn).new == 0
            nothing.append(time.perf_counter() - again)
        conn.close()
    return {"seconds": seconds, "cpu_seconds": cpu, "parser_cpu_seconds": parser_cpu,
            "server_cpu_seconds": server,
            "parser_peak_mb": peak_parser, "messages": result.new,
            "skipped": result.skipped,
            "phases": vars(result.phases), "peak_mb_sync": peak_sync,
            "keep_up_seconds": after, "keep_up_cpu_seconds": after_cpu,
            "end_to_end_seconds": seconds + after, "end_to_end_cpu_seconds": cpu + after_cpu,
            "peak_mb_keep_up": peak_keep_up,
            "nothing_new_ms": min(nothing) * 1000, "nothing_new_median_ms":
            statistics.median(nothing) * 1000}


def child(mode: str, port: int, user: str, password: str,
          server_pid: int | None = None) -> dict[str, Any]:
    """One run in a fresh process; ``server_pid``: Dovecot's master, whose CPU it measures."""
    env = {**os.environ, SERVER_PID: str(server_pid or "")}
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(port), user, password],
                         check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout)


SERVER_PID = "NETGUARD_BENCH_SERVER_PID"  # tells a child run whose CPU is the server's


def server_cpu_seconds() -> float:
    """The CPU time of the Dovecot whose master's pid is in ``SERVER_PID`` (0.0 without one):
    its processes' (read from /proc) with that of those that have ended (a process's children's
    times). Taken before and after a run, the difference is what serving it cost. The
    connection's processes end a moment after its LOGOUT: until they are gone (and their time
    is their parent's), it waits."""
    master = os.environ.get(SERVER_PID, "")
    if not master:
        return 0.0
    for _ in range(500):
        tree = _process_tree(master)
        if not any(name in CONNECTION_PROCESSES for name, _times in tree.values()):
            break
        time.sleep(0.01)
    return sum(ticks for _name, ticks in tree.values()) / os.sysconf("SC_CLK_TCK")


CONNECTION_PROCESSES = {"imap", "imap-login"}  # one per connection, ended after it


def _process_tree(root: str) -> dict[str, tuple[str, int]]:
    """Per process under ``root`` (itself included): its name and CPU ticks, with those of
    its children that have ended."""
    stats: dict[str, tuple[str, list[str]]] = {}
    for entry in Path("/proc").iterdir():
        try:  # the name is in parentheses and may hold spaces
            head, _, rest = (entry / "stat").read_text().rpartition(")")
        except OSError:  # not a process, or ended meanwhile
            continue
        stats[entry.name] = (head.partition("(")[2], rest.split())
    tree, queue = set(), [root]
    while queue:
        pid = queue.pop()
        tree.add(pid)
        queue += [other for other, (_, fields) in stats.items()
                  if fields[1] == pid and other not in tree]
    return {pid: (stats[pid][0], sum(map(int, stats[pid][1][11:15])))
            for pid in tree & stats.keys()}


def _cpu_seconds(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _max_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def seed_cached(server: DovecotServer, user: str, size: int, mailbox: str,
                cache: Path | None) -> None:
    """``seed_maildir``, or a hard-linked copy of the same Maildir kept in ``cache``."""
    if cache is None:
        seed_maildir(server, user, size, mailbox)
        return
    kept = cache / f"{mailbox}-{size}"
    if not kept.exists():
        seed_maildir(server, user, size, mailbox)
        building = kept.with_name(kept.name + ".building")
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        for folder in (".Sent", "cur"):  # the messages only, not Dovecot's indexes
            subprocess.run(["cp", "-al", str(server.mail_root / user / folder), str(building)],
                           check=True)
        building.rename(kept)
        return
    base = server.mail_root / user
    for folder in (".Sent", "cur"):
        shutil.rmtree(base / folder, ignore_errors=True)
        subprocess.run(["cp", "-al", str(kept / folder), str(base)], check=True)


def run_size(size: int, mailbox: str, runs: int = RUNS, cache: Path | None = None,
             before: bool = False) -> dict[str, Any]:
    server = DovecotServer.start()
    try:
        user = server.new_user(folders=["Sent"])
        started = time.perf_counter()
        seed_cached(server, user.name, size, mailbox, cache)
        seeded = time.perf_counter() - started
        login = (server.port, user.name, user.password, server.pid)
        child("floor", *login)  # warm-up: Dovecot indexes the folders
        floors, runs_done, rebuilt = [], [], []
        for _ in range(runs):  # taking turns, so a slow spell of the machine hits both
            floors.append(child("floor", *login))
            runs_done.append(child("netguard", *login))
            if before:
                rebuilt.append(child("rebuild", *login))
    finally:
        server.stop()
    best_floor = min(floors, key=lambda f: f["seconds"])
    ours = min(runs_done, key=lambda r: r["seconds"])
    whole = min(runs_done, key=lambda r: r["end_to_end_seconds"])
    return {"size": size, "mailbox": mailbox, "load": os.getloadavg()[0], "seed_seconds": seeded,
            "floor": best_floor,
            "floor_runs": [f["seconds"] for f in floors], "netguard": ours,
            "netguard_runs": [r["seconds"] for r in runs_done],
            "end_to_end_runs": [r["end_to_end_seconds"] for r in runs_done],
            "end_to_end_cpu_runs": [r["end_to_end_cpu_seconds"] for r in runs_done],
            "ratio": ours["seconds"] / best_floor["seconds"],
            "paired_median_ratio": _paired(floors, runs_done, "seconds"),
            "end_to_end_ratio": whole["end_to_end_seconds"] / best_floor["seconds"],
            "end_to_end_paired_median_ratio": _paired(floors, runs_done, "end_to_end_seconds"),
            "floor_server_cpu_runs": [f["server_cpu_seconds"] for f in floors],
            "server_cpu_runs": [r["server_cpu_seconds"] for r in runs_done],
            **(_before(floors, rebuilt) if before else {})}


def _before(floors: list[dict[str, Any]], rebuilt: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures of the baseline runs: the summary rebuilt from the messages."""
    return {"before_end_to_end_runs": [r["end_to_end_seconds"] for r in rebuilt],
            "before_end_to_end_cpu_runs": [r["end_to_end_cpu_seconds"] for r in rebuilt],
            "before_keep_up_runs": [r["keep_up_seconds"] for r in rebuilt],
            "before_peak_mb": max(r["peak_mb_keep_up"] for r in rebuilt),
            "before_end_to_end_paired_median_ratio": _paired(floors, rebuilt,
                                                             "end_to_end_seconds")}


def _paired(floors: list[dict[str, Any]], runs: list[dict[str, Any]], key: str) -> float:
    """The median of each run's ``key`` against the floor run just before it."""
    return statistics.median(r[key] / f["seconds"] for f, r in zip(floors, runs, strict=True))


def report(r: dict[str, Any]) -> str:
    f, n = r["floor"], r["netguard"]
    total = f["messages"]
    phases = ", ".join(f"{k} {v:.2f} s" for k, v in n["phases"].items())
    return "\n".join([
        f"== {r['mailbox']} mailbox: {r['size']:,} messages in Sent + {r['size']:,} in INBOX "
        f"({total:,} in all) ==",
        f"floor (imaplib, batched, no parsing): {f['seconds']:.2f} s, "
        f"{total / f['seconds']:,.0f} msg/s, client CPU {f['cpu_seconds']:.2f} s, "
        f"peak {f['peak_mb']:.0f} MB (runs: {', '.join(f'{s:.2f}' for s in r['floor_runs'])} s)",
        f"netguard first sync:                  {n['seconds']:.2f} s, "
        f"{n['messages'] / n['seconds']:,.0f} msg/s, client CPU {n['cpu_seconds']:.2f} s "
        f"+ parser process {n['parser_cpu_seconds']:.2f} s, peak {n['peak_mb_sync']:.0f} MB "
        f"+ {n['parser_peak_mb']:.0f} MB (skipped {n['skipped']}; "
        f"runs: {', '.join(f'{s:.2f}' for s in r['netguard_runs'])} s)",
        f"  phases of the sync's thread (parse: parsing here or waiting for the parser process;"
        f" the server prepares the next batch meanwhile): {phases}",
        f"  then, after the sync has returned, the contact summary and the indexes set aside"
        f" (summary.keep_up, as `netguard sync` runs it next):"
        f" {n['keep_up_seconds']:.2f} s, CPU {n['keep_up_cpu_seconds']:.2f} s,"
        f" peak {n['peak_mb_keep_up']:.0f} MB",
        f"ratio netguard / floor:               {r['ratio']:.2f}x wall time (best of each; median"
        f" of the {len(r['netguard_runs'])} runs each against the floor run before it:"
        f" {r['paired_median_ratio']:.2f}x)",
        f"end to end (sync + keep_up, as `netguard sync`): best {_best(r, 'end_to_end')} s,"
        f" CPU median {statistics.median(r['end_to_end_cpu_runs']):.2f} s"
        f" (floor's client CPU {f['cpu_seconds']:.2f} s); ratio {r['end_to_end_ratio']:.2f}x best"
        f" against the floor's best, {r['end_to_end_paired_median_ratio']:.2f}x paired median"
        f" (runs: {', '.join(f'{s:.2f}' for s in r['end_to_end_runs'])} s)",
        *([_before_line(r)] if "before_end_to_end_runs" in r else []),
        *([_cores_line(r)] if any(r["server_cpu_runs"]) else []),
        f"load average during the run:          {r['load']:.1f} on {os.cpu_count()} cores",
        f"nothing-new sync:                     {n['nothing_new_ms']:.1f} ms best, "
        f"{n['nothing_new_median_ms']:.1f} ms median of 5 (the raw protocol, connect+login+STATUS"
        f" INBOX+LIST+STATUS Sent: {f['status_ms']:.1f} ms; LIST first, as clients usually ask: "
        f"{f['status_list_first_ms']:.1f} ms)",
    ])


def _before_line(r: dict[str, Any]) -> str:
    return (f"  baseline, in the same turns: the summary rebuilt from the messages after the"
            f" sync (as before analysis.first_load): keep_up median"
            f" {statistics.median(r['before_keep_up_runs']):.2f} s; end to end best"
            f" {_best(r, 'before_end_to_end')} s, CPU median"
            f" {statistics.median(r['before_end_to_end_cpu_runs']):.2f} s, peak"
            f" {r['before_peak_mb']:.0f} MB, {r['before_end_to_end_paired_median_ratio']:.2f}x"
            f" paired median")


def _cores_line(r: dict[str, Any]) -> str:
    """Dovecot's CPU beside the client's, and the wall time no schedule of both on this
    machine's cores can beat: their CPU together spread perfectly over every core."""
    cores = os.cpu_count() or 1
    client = statistics.median(r["end_to_end_cpu_runs"])
    server = statistics.median(r["server_cpu_runs"])
    least = (client + server) / cores
    return (f"the server's CPU (Dovecot's processes, median): {server:.2f} s serving NetGuard's"
            f" sync, {statistics.median(r['floor_server_cpu_runs']):.2f} s serving the floor;"
            f" with the client's {client:.2f} s end to end, {client + server:.2f} CPU seconds"
            f" on {cores} cores: no schedule ends before {least:.2f} s,"
            f" {least / r['floor']['seconds']:.2f}x the floor's best")


def _best(r: dict[str, Any], what: str) -> str:
    return f"{min(r[what + '_runs']):.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--mailboxes", default="real,easy",
                        help="real: shaped like real mail (bench/real_mail.py); easy: the "
                             "mailbox of the earlier figures")
    parser.add_argument("--runs", type=int, default=RUNS,
                        help="runs of the floor and of NetGuard, in turns")
    parser.add_argument("--cache", type=Path,
                        help="keep the generated Maildirs here and reuse them")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--before", action="store_true",
                        help="also run, in the same turns, the sync with the summary rebuilt"
                             " from the messages after it (the baseline of the first-load"
                             " summary)")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, port, user, password = args.child
        result = (floor(int(port), user, password) if mode == "floor" else
                  netguard(int(port), user, password, gathered=mode == "netguard"))
        result.setdefault("peak_mb", _max_rss_mb())
        print(json.dumps(result))
        return
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        for mailbox in args.mailboxes.split(","):
            results.append(run_size(size, mailbox, args.runs, args.cache, args.before))
            print(report(results[-1]), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
