"""The desktop app at 100k + 100k messages and 5,000 contacts (issue 18), offscreen.

Builds the store (bench/analysis.py's shape), then, in a fresh process each time, launches the
app on it and times: launch (process start) → first paint of the filled contacts table; a
contact click → its pane painted; a search keystroke → the table filtered and painted; and a
keystroke in the composer (which must never wait on the lint or the guard: they run on timers
after a pause; their own cost is printed too). Launch to "settled" adds what runs right after
the first paint (the findings overview's long groups); the clicks are timed after it.

    python bench/dashboard.py [--launches 3] [--mailbox direct|real] [--sent 100000]
                              [--received 100000]

Targets: launch < 1 s, click < 100 ms, keystroke < 50 ms.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# The child imports only what the app does before its first paint: json, statistics,
# subprocess and tempfile (some 15 ms, which `netguard` never loads there) are the parent's.


def child(home: Path, started: float, at: datetime) -> None:
    """Runs in the fresh process: launch, wait for the filled table's paint, then the clicks.
    Starts as `netguard` starts the app (``cli.demo.run_app``): the collector held and the
    first report started in its own process before the GUI's modules load. The reference time
    comes from the parent: the store's builder (bench/analysis.py) is no module of the app."""
    from netguard import collector

    collector.hold()
    from netguard.analysis.report_process import ReportProcess
    from netguard.texts import language
    from netguard.workspace import Workspace

    workspace = Workspace.open(str(home))
    early = None if os.environ.get("NETGUARD_BENCH_IN_PROCESS") else ReportProcess.start(
        workspace.profile.database, workspace.settings.rules, at,
        language(workspace.settings.language))
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtTest import QTest

    from netguard.gui.app import Shell, application, start_session

    painted: dict[str, float] = {"imported": time.time()}

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (event.type() == QEvent.Type.Paint and "table" not in painted
                    and window.model.rowCount() > 0):
                painted["table"] = time.time()
                painted["cpu"] = time.process_time()
                children = resource.getrusage(resource.RUSAGE_CHILDREN)
                painted["child_cpu"] = children.ru_utime + children.ru_stime
            return False

    session = start_session(workspace, fixed_now=at, early=early)
    app = application()
    shell = Shell(session)
    painted["session"] = time.time()
    window = shell.open()
    painted["window"] = time.time()
    spy = FirstPaint()
    window.table.viewport().installEventFilter(spy)
    window.show()
    while "table" not in painted:
        app.processEvents()
    app.processEvents()  # what waited for the first paint: the overview's long groups
    settled = time.time()
    figures: dict[str, Any] = {"launch": painted["table"] - started,
                               "launch_cpu": painted["cpu"], "child_cpu": painted["child_cpu"],
                               "settled": settled - started, "settled_cpu": time.process_time(),
                               "contacts": window.model.rowCount(),
                               "phases": [painted[k] - started for k in PHASES]}
    figures["click"] = _clicks(window, app)
    figures["search"] = _keystrokes(window, app, QTest)
    figures.update(_composer(window, app, QTest))
    import json

    print("FIGURES=" + json.dumps(figures), flush=True)
    window.close()
    shell.shutdown()
    workspace.close()


PHASES = ("imported", "session", "window", "table")


def _clicks(window: Any, app: Any) -> list[float]:
    times = []
    for row in (0, 1, 17, 250, 1999, 4000):
        start = time.perf_counter()
        window.table.selectRow(row)
        app.processEvents()
        window.pane.repaint()
        times.append(time.perf_counter() - start)
    return times


SEARCHES = ("contact12", "42")  # "contact" keeps every row; "1", "2", "4" drop scattered ones


def _keystrokes(window: Any, app: Any, qtest: Any) -> list[float]:
    times = []
    for search in SEARCHES:
        for key in search:
            start = time.perf_counter()
            qtest.keyClicks(window.search, key)
            app.processEvents()
            window.table.viewport().repaint()
            times.append(time.perf_counter() - start)
        window.search.clear()
        app.processEvents()
    return times


def _open_composer(window: Any, app: Any) -> tuple[Any, float]:
    """A composer to the first contact, shown with its draft checked, and how long it took."""
    opened = time.perf_counter()
    composer = window.open_composer(window.report.contacts[0].address)
    composer.show()
    app.processEvents()
    return composer, time.perf_counter() - opened


def _composer(window: Any, app: Any, qtest: Any) -> dict[str, Any]:
    composer, shown = _open_composer(window, app)  # the process's first lint loads in here
    times = []
    for key in "Hoi, hoe gaat het met het voorstel?":
        start = time.perf_counter()
        qtest.keyClicks(composer.body, key)
        app.processEvents()
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    composer.relint()
    lint = time.perf_counter() - start
    start = time.perf_counter()
    composer.recheck()  # the guard, then the lint again
    recheck = time.perf_counter() - start
    composer.body.clear()
    composer.close()
    again, shown_again = _open_composer(window, app)  # the baseline: the lint loaded
    again.close()
    return {"composer_key": times, "relint": lint, "recheck": recheck, "composer_shown": shown,
            "composer_again": shown_again}


def parent(args: argparse.Namespace) -> None:
    import tempfile

    from bench.analysis import AT, build, build_real, real_at
    from netguard.store import open_store

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        start = time.perf_counter()
        store = home / "netguard.sqlite3"
        if args.mailbox == "real":
            build_real(store, args.sent, args.received)
            conn = open_store(store)
            at, over = real_at(conn), "realistic mail, imported"
            conn.close()
        else:
            build(store, args.sent, args.received, args.contacts)
            at, over = AT, f"{args.contacts} contacts"
        print(f"store: {args.sent} sent + {args.received} received, {over}, built in "
              f"{time.perf_counter() - start:.1f} s")
        first = _launch(home, at)
        later: list[dict[str, Any]] = []
        alone: list[dict[str, Any]] = []  # the baseline, in turns: the report in the window
        for _ in range(args.launches):
            later.append(_launch(home, at))
            alone.append(_launch(home, at, in_process=True))
        _print(first, later, alone)


def _launch(home: Path, at: datetime, in_process: bool = False) -> dict[str, Any]:
    import json
    import subprocess

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "NETGUARD_HOME": str(home),
           "PYTHONPATH": str(ROOT), "NETGUARD_BENCH_IN_PROCESS": "1" if in_process else ""}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed app has its byte code
    started = time.time()
    out = subprocess.run([sys.executable, __file__, "--child", str(home), "--started",
                          repr(started), "--at", at.isoformat()], env=env, capture_output=True,
                         text=True, check=True)
    line = next(x for x in out.stdout.splitlines() if x.startswith("FIGURES="))
    return dict(json.loads(line.removeprefix("FIGURES=")))


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms"


def _print(first: dict[str, Any], later: list[dict[str, Any]],
           alone: list[dict[str, Any]]) -> None:
    import statistics

    launches = [run["launch"] for run in later]
    clicks = [t for run in later for t in run["click"]]
    keys = [t for run in later for t in run["search"]]
    composer = [t for run in later for t in run["composer_key"]]
    print(f"dashboard with {first['contacts']} contacts, offscreen, fresh processes:")
    print(f"  launch → painted table, first ever {_ms(first['launch'])}"
          "   (builds the contact summary once)")
    cpu = statistics.median(run["launch_cpu"] for run in later)
    child_cpu = statistics.median(run["child_cpu"] for run in later)
    print(f"  launch → painted table, median     {_ms(statistics.median(launches))}, "
          f"best {_ms(min(launches)).strip()}, {_ms(cpu).strip()} CPU + {_ms(child_cpu).strip()} "
          "in the report's process   (target < 1000 ms)")
    walls = [run["launch"] for run in alone]
    print(f"    baseline, the report built in the window's process: median "
          f"{_ms(statistics.median(walls)).strip()}, best {_ms(min(walls)).strip()}, "
          f"{_ms(statistics.median(run['launch_cpu'] for run in alone)).strip()} CPU")
    phases = [statistics.median(run["phases"][i] for run in later) for i in range(len(PHASES))]
    print("    of which: " + ", ".join(f"{name} at {_ms(t).strip()}"
                                       for name, t in zip(PHASES, phases, strict=True)))
    settled = statistics.median(run["settled"] for run in later)
    settled_cpu = statistics.median(run["settled_cpu"] for run in later)
    print(f"  launch → settled (the overview's long groups filled in after the first paint), "
          f"median {_ms(settled).strip()}, {_ms(settled_cpu).strip()} CPU")
    print(f"  contact click → pane, median       {_ms(statistics.median(clicks))}, "
          f"max {_ms(max(clicks)).strip()}   (target < 100 ms)")
    print(f"  search keystroke → filtered, median{_ms(statistics.median(keys))}, "
          f"max {_ms(max(keys)).strip()}   (target < 50 ms)")
    print(f"  composer keystroke, median         {_ms(statistics.median(composer))}, "
          f"max {_ms(max(composer)).strip()}   (lint and guard wait for a pause)")
    print(f"  lint after the pause {_ms(later[-1]['relint']).strip()}, guard + lint "
          f"{_ms(later[-1]['recheck']).strip()}")
    first, again = ([run[key] for run in later] for key in ("composer_shown", "composer_again"))
    print(f"  the first composer, opened to shown with its draft checked (the lint's first load "
          f"inside), median {_ms(statistics.median(first)).strip()}, max {_ms(max(first)).strip()}"
          f"; the next one: median {_ms(statistics.median(again)).strip()}")
    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--launches", type=int, default=3)
    parser.add_argument("--mailbox", choices=("direct", "real"), default="direct",
                        help="real: the realistic mail of bench/analysis.py --mailbox real")
    parser.add_argument("--sent", type=int, default=100_000)
    parser.add_argument("--received", type=int, default=100_000)
    parser.add_argument("--contacts", type=int, default=5_000)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--started", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--at", type=datetime.fromisoformat, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.started, args.at)
    else:
        parent(args)


if __name__ == "__main__":
    main()
