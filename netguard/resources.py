"""The one way to reach packaged files (resources/ and ui/), wherever NetGuard runs from.

A wheel carries them inside the package as ``netguard/_data/``; a source checkout or an
editable install has them at the top of the repository; a PyInstaller bundle puts them in
``netguard/_data/`` beside the frozen package.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import cast


@cache
def _data_root() -> Traversable:
    packaged = files("netguard") / "_data"
    if packaged.is_dir():
        return packaged
    return cast(Traversable, Path(__file__).resolve().parent.parent)


def resource(*parts: str) -> Traversable:
    """A file or folder under ``resources/``, e.g. ``resource("templates", "reconnect.nl.j2")``."""
    return _data_root().joinpath("resources", *parts)


def form(name: str) -> Traversable:
    """A Qt Designer form under ``ui/``, e.g. ``form("composer.ui")``."""
    return _data_root().joinpath("ui", name)


def read_text(*parts: str) -> str:
    return resource(*parts).read_text(encoding="utf-8")
