"""How fast the command line starts and answers (issue 18), end to end, in fresh processes.

Builds a 200k-message store (bench/analysis.py's shape), starts a loopback Dovecot with one
account, then times each command N times as a user's shell would run it: wall time (median and
best) and the child's CPU time, beside ``python -c pass`` from the same run.

    python bench/commands.py [--runs 15] [--sent 100000] [--received 100000] [--contacts 5000]

Targets: --version < 80 ms, guard < 150 ms on the 200k store, sync with nothing new < 200 ms.
``--mailbox real``: the store of ``bench/analysis.py --mailbox real`` (realistic mail, imported).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.analysis import build, build_real, busiest, contact  # noqa: E402
from netguard.store import open_store  # noqa: E402
from tests.integration.test_sync import mail  # noqa: E402
from tests.servers.dovecot import DovecotServer  # noqa: E402


def run_once(cmd: list[str], env: dict[str, str], stdin: str = "") -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``cmd`` in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, env=env, input=stdin, text=True, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def figure(label: str, cmd: list[str], env: dict[str, str], runs: int, target: str) -> None:
    run_once(cmd, env)  # warm: byte code written, files in the page cache
    samples = [run_once(cmd, env) for _ in range(runs)]
    walls, cpus = [s[0] * 1000 for s in samples], [s[1] * 1000 for s in samples]
    print(f"  {label:<34} {statistics.median(walls):6.0f} ms median, {min(walls):4.0f} best, "
          f"{statistics.median(cpus):4.0f} ms CPU   (target {target})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sent", type=int, default=100_000)
    parser.add_argument("--received", type=int, default=100_000)
    parser.add_argument("--contacts", type=int, default=5_000)
    parser.add_argument("--mailbox", choices=("direct", "real"), default="direct",
                        help="real: the realistic mail of bench/analysis.py --mailbox real")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        store = home / "netguard.sqlite3"
        if args.mailbox == "real":
            build_real(store, args.sent, args.received)
            conn = open_store(store)
            top = busiest(conn)
            conn.close()
        else:
            build(store, args.sent, args.received, args.contacts)
            top = contact(0)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "NETGUARD_HOME": str(home),
               "PYTHONPATH": str(ROOT),
               "PYTHON_KEYRING_BACKEND": "bench.bench_keyring.BenchKeyring"}
        server = DovecotServer.start()
        try:
            _measure(server, env, args.runs, top)
        finally:
            server.stop()


def _measure(server: DovecotServer, env: dict[str, str], runs: int, top: str) -> None:
    user = server.new_user()
    server.append(user, "Sent", mail(1, user.name, "anna@example.nl"))
    ng = [sys.executable, "-m", "netguard"]
    subprocess.run([*ng, "account", "set", "--host", server.host, "--port", str(server.port),
                    "--user", user.name, "--security", "plain", "--password-stdin"],
                   env=env, input=user.password + "\n", text=True, capture_output=True,
                   check=True)
    subprocess.run([*ng, "sync"], env=env, capture_output=True, check=True)
    print(f"commands, {runs} runs each, fresh processes, store of 200k messages:")
    figure("python -c pass (baseline)", [sys.executable, "-c", "pass"], env, runs, "-")
    figure("netguard --version", [*ng, "--version"], env, runs, "< 80 ms")
    figure("netguard guard --to <busiest>", [*ng, "guard", "--to", top], env, runs,
           "< 150 ms")
    figure("netguard sync, nothing new", [*ng, "sync"], env, runs, "< 200 ms")
    figure("netguard report", [*ng, "report"], env, runs, "-")
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
