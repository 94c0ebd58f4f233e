"""Use the demo in a real X window as a person would, and keep what it looked like.

Starts Xvfb, opens ``netguard demo`` in each language at a small and a large window size, and
drives it with xdotool: hundreds of arrow keys through the contacts, search with Ctrl+F, the
composer (typing, a template, Esc), Settings, while a ``netguard`` command runs beside it. After
each stage a screenshot lands in ``artifacts/real-window/``; the run fails when the app is gone.

    python tools/real_window.py [--keys 600] [--display 91]

Needs ``xvfb xdotool imagemagick`` (Debian). Offscreen screenshots never show what a real window
does under a stream of input (FACTS.md, Qt); this does.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "artifacts" / "real-window"
SIZES = ((900, 600), (1600, 1000))
LANGS = {"en": "en_GB.UTF-8", "nl": "nl_NL.UTF-8"}
COMPOSER = {"en": "New message", "nl": "Nieuw bericht"}
# A follow-up with two pushy sentences, in the session's language: the lint marks both.
PUSHY = {"en": "Hi Aroha, just checking whether you read my last email. I really need an answer "
               "fast, or I will lose this job!!",
         "nl": "Hoi Aroha, ik wilde even checken of je mijn vorige mail al gelezen hebt. Ik heb "
               "echt snel antwoord nodig, want anders loop ik deze klus mis!!"}


def xdo(*args: str) -> str:
    done = subprocess.run(["xdotool", *args], capture_output=True, text=True, timeout=30,
                          check=False)
    return done.stdout.strip()


def wait_for(predicate, what: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {what}")
        time.sleep(0.1)


class Demo:
    def __init__(self, lang: str, size: tuple[int, int], home: Path) -> None:
        env = {**os.environ, "LANG": LANGS[lang], "LC_ALL": LANGS[lang],
               "NETGUARD_HOME": str(home)}
        env.pop("QT_QPA_PLATFORM", None)
        self.log = (home / "demo.log").open("w")
        self.proc = subprocess.Popen([sys.executable, "-m", "netguard", "demo"], env=env,
                                     stdout=self.log, stderr=subprocess.STDOUT)
        wait_for(lambda: bool(self.window()), "the NetGuard window")
        xdo("windowsize", self.window(), str(size[0]), str(size[1]))
        xdo("windowmove", self.window(), "0", "0")
        self.size = size

    def window(self) -> str:
        found = xdo("search", "--onlyvisible", "--name", "^NetGuard").splitlines()
        return found[0] if found else ""

    def focus_new(self, title: str) -> None:
        """Wait for a window whose title starts with ``title`` and give it the keyboard (there
        is no window manager to do that)."""
        def found() -> list[str]:
            return xdo("search", "--onlyvisible", "--name", f"^{title}").splitlines()
        wait_for(lambda: bool(found()), f"the window {title!r}")
        xdo("windowfocus", "--sync", found()[0])

    def alive(self) -> bool:
        return self.proc.poll() is None

    def keys(self, *keys: str, delay: int = 4) -> None:
        xdo("key", "--delay", str(delay), *keys)

    def type(self, text: str) -> None:
        xdo("type", "--delay", "2", text)

    def click(self, x: int, y: int) -> None:
        xdo("mousemove", str(x), str(y), "click", "1")

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        self.log.close()


def window_shot(window: str, path: Path) -> None:
    time.sleep(1.5)  # as in shot()
    subprocess.run(["import", "-window", window, str(path)], check=True, timeout=60)


def readme_shots() -> None:
    """The README's pictures, from a real window: the dashboard, and the composer's warning."""
    docs = ROOT / "docs" / "screenshots"
    with tempfile.TemporaryDirectory(prefix="netguard-window-") as tmp:
        demo = Demo("en", (1280, 800), Path(tmp))
        try:
            demo.click(120, 135)  # the first contact
            window_shot(demo.window(), docs / "dashboard.png")
            demo.keys("ctrl+n")
            demo.focus_new(COMPOSER["en"])
            demo.type("aroha@kowhai.co.nz")
            demo.keys("Tab", "Tab")
            demo.type("Packaging proposal")
            demo.keys("Tab")
            demo.type("Hi Aroha, just checking in again: did you have a chance to look at "
                      "the packaging proposal?")
            found = xdo("search", "--onlyvisible", "--name", f"^{COMPOSER['en']}").splitlines()
            window_shot(found[0], docs / "composer-warning.png")
            demo.keys("ctrl+z")
        finally:
            demo.close()


def shot(name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    time.sleep(1.5)  # a person looks after the app has caught up with the typing
    subprocess.run(["import", "-window", "root", str(SHOTS / f"{name}.png")], check=True,
                   timeout=60)


def beside(home: Path) -> None:
    """A netguard command run while the app is open, as the README suggests."""
    env = {**os.environ, "NETGUARD_HOME": str(home / "beside")}
    for args in (["--version"], ["lint", "-", "--lang", "en"]):
        subprocess.run([sys.executable, "-m", "netguard", *args], input="Hello there,\n",
                       env=env, capture_output=True, text=True, timeout=60, check=False)


def session(lang: str, size: tuple[int, int], keys: int) -> int:
    """One language at one size; returns how many input events were sent."""
    tag = f"{lang}-{size[0]}x{size[1]}"
    with tempfile.TemporaryDirectory(prefix="netguard-window-") as tmp:
        demo = Demo(lang, size, Path(tmp))
        sent = 0
        try:
            demo.click(120, 110)
            for _ in range(keys // 20):
                demo.keys(*(["Down"] * 10 + ["Up"] * 10), delay=2)
                sent += 20
            beside(Path(tmp))
            shot(f"{tag}-dashboard")
            demo.keys("End", "ctrl+f")
            demo.type("an")
            shot(f"{tag}-search")
            demo.keys("Escape", "ctrl+shift+w")
            shot(f"{tag}-this-week")
            demo.keys("Home", "Down", "Down")
            demo.keys("ctrl+n")
            demo.focus_new(COMPOSER[lang])
            demo.type("aroha@kowhai.co.nz")  # four follow-ups this week in the demo
            demo.keys("Tab", "Tab")
            demo.type("Proposal")
            demo.keys("Tab")
            demo.type(PUSHY[lang])
            shot(f"{tag}-composer")
            demo.keys("Escape")
            shot(f"{tag}-composer-esc")
            demo.keys("Return")  # whatever the question, its default answer
            xdo("windowfocus", "--sync", demo.window())
            demo.keys("ctrl+comma")
            shot(f"{tag}-settings")
            demo.keys("Escape")
            sent += 41
            if not demo.alive():
                raise SystemExit(f"{tag}: the app is gone; see {tmp}/demo.log:\n"
                                 + Path(tmp, "demo.log").read_text())
        finally:
            demo.close()
        return sent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=600, help="arrow keys per session")
    parser.add_argument("--display", default="91")
    parser.add_argument("--readme", action="store_true",
                        help="also renew the README's screenshots in docs/screenshots/")
    args = parser.parse_args()
    for tool in ("Xvfb", "xdotool", "import"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: apt-get install xvfb xdotool imagemagick")
    display = f":{args.display}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1700x1100x24"],
                            stderr=subprocess.DEVNULL)
    os.environ["DISPLAY"] = display
    try:
        wait_for(lambda: subprocess.run(["xdpyinfo"], capture_output=True, check=False)
                 .returncode == 0, "Xvfb")
        total = sum(session(lang, size, args.keys) for lang in LANGS for size in SIZES
                    if args.keys)
        if args.readme:
            readme_shots()
    finally:
        xvfb.terminate()
    sessions = len(LANGS) * len(SIZES) if args.keys else 0
    print(f"{total} input events in {sessions} sessions; the app stayed up; "
          f"screenshots in {SHOTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
