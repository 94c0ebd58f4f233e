"""The garbage collector during the app's start-up (issue 18).

Start-up makes a few hundred thousand long-lived objects (modules, Qt's wrappers, the report's
rows) and hardly any garbage: the collector would stop the launch again and again to scan them
(≈0.1 s at 5,000 contacts). So it is held from before the GUI's modules load until the window
has painted once (``app.Shell`` resumes it); objects are still freed as their last reference
goes, only cycles wait. What start-up made is then frozen (``gc.freeze``): left out of every
later collection, so the first collections after start-up do not scan a million objects
during the user's first click (0.1–0.3 s). Qt-free: it is called before PySide6 is imported.
"""

from __future__ import annotations

import gc

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
