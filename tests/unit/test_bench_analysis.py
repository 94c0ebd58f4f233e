"""``bench/analysis.py`` on realistic mail runs end to end (small sizes): the report it times is
the one every message gives (it asserts so), and it prints each figure it promises."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_report_benchmark_runs_on_realistic_imported_mail(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "analysis.py"), "--mailbox", "real", "--sent",
         "400", "--received", "400", "--keep", str(tmp_path / "real.sqlite3")],
        capture_output=True, text=True, timeout=300, check=True)
    out = done.stdout
    assert "realistic mail, imported" in out
    contacts = int(out.split("report: ")[1].split(" contacts")[0])
    assert contacts > 50  # a Sent message goes to several of the 4,000 people
    for figure in ("build_report best of 5", "build_report a year later",
                   "the same from every message", "check() busiest contact", "after the reports"):
        assert figure in out, figure
