"""Modules a library imports and NetGuard's use of it never needs, imported on first use.

keyring imports ``jaraco.context``, which imports ``urllib.request`` (and with it
``http.client`` and the stdlib's email parser) for a download helper keyring never calls, and
``importlib_metadata`` for its plugin lookup, which a chosen backend skips. A sync with nothing
new paid some 20-40 ms for them (issue 18). ``defer(name)`` puts a stand-in for the module in
``sys.modules``: an ``import`` of it finds the stand-in, and the first use of any attribute
imports the real module, which then replaces the stand-in, so every behaviour stays.
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
