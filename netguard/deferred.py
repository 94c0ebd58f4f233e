"""Modules a library imports and NetGuard's use of it never needs, imported on first use.

keyring imports ``jaraco.context``, which imports ``urllib.request`` (and with it
``http.client`` and the stdlib's email parser) for a download helper keyring never calls, and
``importlib_metadata`` for its plugin lookup, which a chosen backend skips. A sync with nothing
new paid some 20-40 ms for them (issue 18). ``defer(name)`` puts a stand-in for the module in
``sys.modules``: an ``import`` of it finds the stand-in, and the first use of any attribute
imports the real module, which then replaces the stand-in, so every behaviour stays.

Why not the stdlib's ``importlib.util.LazyLoader``, which looks like the same job (measured
2026-12-07 on Python 3.11.7, tests/unit/test_deferred.py):

- It defers nothing here. Its module loads on the first access to *any* attribute, and an
  ``import`` statement that finds a module in ``sys.modules`` reads its ``__spec__`` (to see
  whether it is still initializing): keyring's own ``import urllib.request`` loads it at once
  (also on 3.12 and 3.13). A stand-in here has ``__spec__`` as an attribute of its own, so
  only a use of the module's contents loads it. ``netguard sync`` with nothing new took 8 ms
  more CPU with ``LazyLoader`` (median of 21 runs in turns, 181 against 173 ms).
- Before Python 3.13 it is not thread-safe: the first access turns the module into a plain one
  *before* running it, so another thread that reads an attribute meanwhile gets an
  ``AttributeError`` (7 of 8 threads did in a test on 3.11.7 and 3.12.1). NetGuard reads the
  keyring from worker threads as well as the GUI's.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
import threading
import types
from typing import Any

_lock = threading.Lock()


class _Deferred(types.ModuleType):
    """Stands in for a module until one of its attributes is used."""

    def __getattr__(self, attr: str) -> Any:
        return getattr(_load(self), attr)


def _load(stand_in: _Deferred) -> types.ModuleType:
    """The real module; the import system's own locks let one thread import it. The lock
    here only makes taking the stand-in out atomic (never held while importing: a module
    imported meanwhile may use another stand-in, in this thread or another)."""
    name = stand_in.__name__
    with _lock:
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
    return importlib.import_module(name)


def defer(*names: str) -> None:
    """Import each of ``names`` (not imported yet, and present) only when it is used. A
    module's package is not imported for it (its own imports then find the stand-in)."""
    for name in names:
        if name in sys.modules:
            continue
        try:
            spec = _spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is None:
            continue  # not installed: an import of it fails as it would have
        stand_in = _Deferred(name)
        stand_in.__spec__ = spec
        sys.modules[name] = stand_in
        parent, _, child = name.rpartition(".")
        if parent in sys.modules:
            setattr(sys.modules[parent], child, stand_in)


def _spec(name: str) -> importlib.machinery.ModuleSpec | None:
    """Where ``name`` would be imported from, without importing its package."""
    parent = name.rpartition(".")[0]
    if not parent or parent in sys.modules:
        return importlib.util.find_spec(name)
    package = importlib.util.find_spec(parent)
    if package is None or package.submodule_search_locations is None:
        return None
    return importlib.machinery.PathFinder.find_spec(name, list(package.submodule_search_locations))
