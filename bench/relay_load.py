"""Load on the relay (issue 16): N clients × M messages through it to a local upstream.

    python bench/relay_load.py [--clients 20] [--messages 10] [--big-mb 20] [--rounds 3]

Three processes on loopback: the relay as users run it (``python -m netguard relay`` with a
temporary profile and a file keyring outside it), an aiosmtpd upstream that writes down what
it receives, and this script, whose threads are the mail clients (each its own connection,
logged in, sending one message after another to recipients the guard has never seen, then
its first message once more as a client that lost the answer would). The upstream runs as
``--upstream-processes`` aiosmtpd processes on one port (SO_REUSEPORT) that read DATA in
pieces, as a real server does: aiosmtpd's own DATA reads a 20 MB message line by line on its
only loop for seconds, and small messages wait for it there, which says nothing about the
relay.

Runs in turns, each with a fresh relay: the clients alone, then the clients with one
``--big-mb`` message sent at the start; ``--rounds`` pairs, and the medians of their p95s
compared at the end (one pair alone says little on a shared machine). Printed per run:
accepted (250 answers), delivered (messages the upstream got), duplicates (the same
Message-ID to the same recipients more than once), the retries answered "already delivered",
the small messages' latency p50/p95 (one SMTP transaction each, MAIL to the answer after
DATA), the big message's, and the relay's memory: its RSS after start and its peak
(``VmHWM`` from /proc, Linux; the relay runs in its own process, so that is the relay alone).
"""

from __future__ import annotations

import argparse
import base64
import os
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ME = "me@example.test"
KEYRING = '''
import json, os, pathlib
from keyring.backend import KeyringBackend

class FileKeyring(KeyringBackend):
    priority = 1
    def _path(self):
        return pathlib.Path(os.environ["BENCH_KEYRING_FILE"])
    def _load(self):
        return json.loads(self._path().read_text()) if self._path().exists() else {}
    def get_password(self, service, username):
        return self._load().get(service + "/" + username)
    def set_password(self, service, username, password):
        data = self._load(); data[service + "/" + username] = password
        self._path().write_text(json.dumps(data))
    def delete_password(self, service, username):
        data = self._load(); data.pop(service + "/" + username, None)
        self._path().write_text(json.dumps(data))
'''
UPSTREAM = '''
import asyncio, sys
from aiosmtpd.smtp import SMTP

class Sink(SMTP):
    """Reads DATA in pieces, as a real MTA does (aiosmtpd's own goes line by line)."""
    async def smtp_DATA(self, arg):
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        data = bytearray(b"\\r\\n")
        while not data.endswith(b"\\r\\n.\\r\\n"):
            piece = await self._reader.read(1 << 18)
            if not piece:
                return
            data += piece
        self.envelope.original_content = bytes(data[2:-3])
        status = await self._call_handler_hook("DATA")
        self._set_post_data_state()
        await self.push(status)

class Recorder:
    def __init__(self, out):
        self.out = out
    async def handle_DATA(self, server, session, envelope):
        head = envelope.original_content.split(b"\\r\\n\\r\\n", 1)[0]
        mid = [l for l in head.split(b"\\r\\n") if l.lower().startswith(b"message-id:")]
        self.out.write(mid[0][11:].strip().decode() + "\\t" + ",".join(sorted(envelope.rcpt_tos))
                       + "\\t" + str(len(envelope.original_content)) + "\\n")
        self.out.flush()
        return "250 2.0.0 OK"

async def main():
    handler = Recorder(open(sys.argv[2], "a"))
    loop = asyncio.get_running_loop()
    # several processes share the port, as a real MTA's do
    await loop.create_server(lambda: Sink(handler, data_size_limit=None, enable_SMTPUTF8=True,
                                          loop=loop),
                             host="127.0.0.1", port=int(sys.argv[1]), reuse_port=True)
    print("ready", flush=True)
    await loop.run_in_executor(None, sys.stdin.read)

asyncio.run(main())
'''


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def small(to: str) -> bytes:
    return (f"From: Me <{ME}>\r\nTo: <{to}>\r\nSubject: Load test\r\n"
            f"Date: {format_datetime(datetime.now(UTC))}\r\n"
            f"Message-ID: {make_msgid(domain='example.test')}\r\n\r\n"
            "Hallo, een korte vraag over de offerte van vorige week.\r\n" * 20).encode()


def big(megabytes: int) -> bytes:
    """A short 8-bit text part and a base64 attachment, about ``megabytes`` MB."""
    attachment = base64.encodebytes(os.urandom(megabytes * 750_000)).replace(b"\n", b"\r\n")
    head = (f"From: Me <{ME}>\r\nTo: <big@example.org>\r\nSubject: Offerte\r\n"
            f"Date: {format_datetime(datetime.now(UTC))}\r\n"
            f"Message-ID: {make_msgid(domain='example.test')}\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n").encode()
    return (head + b"--b\r\nContent-Type: text/plain; charset=utf-8\r\n"
            b"Content-Transfer-Encoding: 8bit\r\n\r\nGroetjes, J\xc3\xbcrgen\r\n--b\r\n"
            b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + attachment + b"--b--\r\n")


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)
    accepted: int = 0
    already: int = 0
    failed: list[str] = field(default_factory=list)
    big_latency: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


class Setup:
    """A temporary profile, keyring and upstream; ``relay()`` starts a fresh relay."""

    def __init__(self, folder: Path, upstreams: int) -> None:
        self.folder = folder
        (folder / "keyring").mkdir()
        (folder / "keyring" / "bench_keyring.py").write_text(KEYRING)
        self.received = folder / "received.tsv"
        self.upstream_port, self.port = free_port(), free_port()
        self.env = {**os.environ, "NETGUARD_HOME": str(folder / "home"),
                    "PYTHONPATH": f"{ROOT}{os.pathsep}{folder / 'keyring'}",
                    "PYTHON_KEYRING_BACKEND": "bench_keyring.FileKeyring",
                    "BENCH_KEYRING_FILE": str(folder / "keyring.json")}
        self.upstreams = [subprocess.Popen(
            [sys.executable, "-c", UPSTREAM, str(self.upstream_port), str(self.received)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            for _ in range(upstreams)]
        for upstream in self.upstreams:
            assert upstream.stdout is not None and upstream.stdout.readline()
        self._profile()

    def _profile(self) -> None:
        code = ("from netguard.settings import Account, Settings, save; "
                "from netguard.paths import Profile; from netguard import secrets; "
                "p = Profile.locate().ensure(); "
                f"save(Settings(account=Account(host='', user={ME!r}, smtp_host='127.0.0.1', "
                f"smtp_port={self.upstream_port}, smtp_security='plain', "
                "timeout_seconds=120)), p.settings_file); "
                f"secrets.set_password({ME!r}, 'not-used')")
        subprocess.run([sys.executable, "-c", code], env=self.env, check=True)
        out = subprocess.run([sys.executable, "-m", "netguard", "relay", "--credentials"],
                             env=self.env, check=True, capture_output=True, text=True).stdout
        self.login = tuple(out.split())

    def relay(self) -> subprocess.Popen[str]:
        relay = subprocess.Popen([sys.executable, "-m", "netguard", "relay", "--port",
                                  str(self.port)], env=self.env, stdout=subprocess.PIPE,
                                 text=True)
        assert relay.stdout is not None and relay.stdout.readline()
        return relay

    def close(self) -> None:
        for upstream in self.upstreams:
            assert upstream.stdin is not None
            upstream.stdin.close()
            upstream.wait(30)


def memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of ``pid`` in kB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


def client(setup: Setup, number: int, messages: int, results: Results) -> None:
    with smtplib.SMTP("127.0.0.1", setup.port, timeout=300) as smtp:
        smtp.login(*setup.login)
        first = b""
        for n in range(messages):
            to = f"c{number}m{n}.{time.monotonic_ns()}@example.org"
            raw = small(to)
            first = first or raw
            started = time.monotonic()
            try:
                smtp.sendmail(ME, [to], raw)
            except smtplib.SMTPException as err:
                with results.lock:
                    results.failed.append(str(err))
                continue
            with results.lock:
                results.latencies.append(time.monotonic() - started)
                results.accepted += 1
        retry_to = first.split(b"To: <", 1)[1].split(b">", 1)[0].decode()
        smtp.mail(ME)
        smtp.rcpt(retry_to)
        code, reply = smtp.data(first)
        with results.lock:
            results.accepted += code == 250
            results.already += b"Already delivered" in reply


def send_big(setup: Setup, raw: bytes, results: Results) -> None:
    """DATA written straight to the socket in pieces: smtplib's ``data`` would hold this
    process's GIL for its whole-message regex, and the small clients' clocks with it."""
    assert b"\n." not in raw  # nothing to dot-stuff
    with smtplib.SMTP("127.0.0.1", setup.port, timeout=300) as smtp:
        smtp.login(*setup.login)
        started = time.monotonic()
        smtp.mail(ME)
        smtp.rcpt("big@example.org")
        assert smtp.docmd("DATA")[0] == 354
        view, sock = memoryview(raw + b".\r\n"), smtp.sock
        assert sock is not None
        for start in range(0, len(view), 1 << 18):
            sock.sendall(view[start:start + (1 << 18)])
        code = smtp.getreply()[0]
        results.big_latency = time.monotonic() - started
        with results.lock:
            results.accepted += code == 250


def run(setup: Setup, clients: int, messages: int, big_raw: bytes) -> dict[str, Any]:
    setup.received.write_text("")
    relay = setup.relay()
    try:
        start_rss = memory(relay.pid)["VmRSS"]
        results = Results()
        threads = [threading.Thread(target=client, args=(setup, n, messages, results))
                   for n in range(clients)]
        if big_raw:
            threads.insert(0, threading.Thread(target=send_big, args=(setup, big_raw, results)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        peak = memory(relay.pid)
    finally:
        relay.terminate()
        relay.wait(30)
    lines = [line.split("\t") for line in setup.received.read_text().splitlines()]
    copies = Counter((mid, rcpts) for mid, rcpts, _ in lines)
    cuts = statistics.quantiles(results.latencies, n=20)
    return {"accepted": results.accepted, "delivered": len(lines),
            "duplicates": sum(n - 1 for n in copies.values()), "retries_already": results.already,
            "failed": len(results.failed), "p50_ms": cuts[9] * 1000, "p95_ms": cuts[18] * 1000,
            "big_s": results.big_latency, "rss_start_mb": start_rss / 1024,
            "rss_peak_mb": peak["VmHWM"] / 1024, "errors": results.failed[:3]}


def show(title: str, figures: dict[str, Any]) -> None:
    print(f"{title}: accepted {figures['accepted']}, delivered {figures['delivered']}, "
          f"duplicates {figures['duplicates']}, retries answered 'already delivered' "
          f"{figures['retries_already']}, failed {figures['failed']}; small messages p50 "
          f"{figures['p50_ms']:.0f} ms, p95 {figures['p95_ms']:.0f} ms"
          + (f"; big message {figures['big_s']:.1f} s" if figures["big_s"] else "")
          + f"; relay RSS {figures['rss_start_mb']:.0f} MB at start, peak "
          f"{figures['rss_peak_mb']:.0f} MB")
    for error in figures["errors"]:
        print("   ", error)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--big-mb", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3,
                        help="pairs of runs (without, with the big message), in turns")
    parser.add_argument("--upstream-processes", type=int, default=1,
                        help="aiosmtpd processes sharing the upstream port (SO_REUSEPORT)")
    args = parser.parse_args()
    plain: list[dict[str, Any]] = []
    loaded: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="relay-load-") as tmp:
        setup = Setup(Path(tmp), args.upstream_processes)
        try:
            for _ in range(args.rounds):
                plain.append(run(setup, args.clients, args.messages, b""))
                show(f"{args.clients} clients x {args.messages} messages", plain[-1])
                loaded.append(run(setup, args.clients, args.messages, big(args.big_mb)))
                show(f"the same with one {args.big_mb} MB message", loaded[-1])
        finally:
            setup.close()
    without = statistics.median(f["p95_ms"] for f in plain)
    with_big = statistics.median(f["p95_ms"] for f in loaded)
    ratio = with_big / without
    print(f"small messages' p95, median of {args.rounds} runs: {without:.0f} ms without, "
          f"{with_big:.0f} ms with the big message: {ratio:.2f}x "
          f"({'within' if ratio <= 3 else 'NOT within'} 3x)")
    duplicates = sum(f["duplicates"] for f in plain + loaded)
    return 0 if ratio <= 3 and not duplicates else 1


if __name__ == "__main__":
    sys.exit(main())
