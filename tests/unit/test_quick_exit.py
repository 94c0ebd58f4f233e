"""A command's process ends without the interpreter's teardown, and loses nothing (issue 18)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import atexit, logging, sys, threading
from netguard.quick_exit import exit_now

class Noted:
    def __del__(self):
        sys.stdout.write("torn down\\n")

kept = Noted()  # alive at exit: only the interpreter's teardown finalizes it
logging.basicConfig(filename=sys.argv[1], level=logging.INFO)
logging.getLogger("x").info("logged")  # in the handler's buffer until logging.shutdown
atexit.register(lambda: sys.stdout.write("atexit ran\\n"))
sys.stdout.write("no newline yet")  # stdout is a pipe: buffered
if sys.argv[2] == "thread":
    threading.Thread(target=threading.Event().wait, args=(0.2,)).start()
exit_now(3)
"""


def run(tmp_path: Path, mode: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "log"), mode],
                          capture_output=True, text=True, timeout=30, check=False,
                          env={"PYTHONPATH": str(ROOT)})


def test_exit_now_skips_the_teardown_after_the_atexit_handlers_and_a_flush(
        tmp_path: Path) -> None:
    result = run(tmp_path, "alone")
    assert result.returncode == 3
    assert result.stdout == "no newline yetatexit ran\n"  # no "torn down": no teardown
    assert "logged" in (tmp_path / "log").read_text()


def test_with_another_thread_running_the_process_exits_as_usual(tmp_path: Path) -> None:
    result = run(tmp_path, "thread")
    assert result.returncode == 3
    assert result.stdout == "no newline yetatexit ran\ntorn down\n"
    assert "logged" in (tmp_path / "log").read_text()
