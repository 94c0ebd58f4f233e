"""The garbage collector held while much is made and little thrown away (issue 18): the app's
start-up, and building a report.

Start-up makes a few hundred thousand long-lived objects (modules, Qt's wrappers, the report's
rows) and hardly any garbage: the collector would stop the launch again and again to scan them
(≈0.1 s at 5,000 contacts). So it is held from before the GUI's modules load until the window
has painted once (``app.Shell`` resumes it); objects are still freed as their last reference
goes, only cycles wait. What start-up made is then frozen (``gc.freeze``): left out of every
later collection, so the first collections after start-up do not scan a million objects
during the user's first click (0.1–0.3 s). Qt-free: it is called before PySide6 is imported.
A report, wherever it is built, holds it too (``paused``).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_state = {"held": False}


def hold() -> None:
    """No cyclic garbage collection until ``resume`` (a no-op when it is off already)."""
    if gc.isenabled():
        gc.disable()
        _state["held"] = True


def resume() -> None:
    """Collect again, if ``hold`` stopped it: newer objects only."""
    if _state["held"]:
        _state["held"] = False
        gc.freeze()
        gc.enable()


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection while the body runs (a no-op when it is off already): a report
    over 4,000 contacts makes a million rows and no cycles, and the collector's passes over
    them took ≈0.1 s of its ≈0.75 s (`bench/analysis.py`)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
