"""The one way to reach packaged files (resources/ and ui/), wherever NetGuard runs from.

A wheel carries them inside the package as ``netguard/_data/``; a source checkout or an
editable install has them at the top of the repository; a PyInstaller bundle puts them in
``netguard/_data/`` beside the frozen package.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


@cache
def _data_root() -> Traversable:
    """On a file system the folders are found directly: ``importlib.resources`` (with tempfile,
    shutil and zipfile) costs a command some 5 ms to import (issue 18)."""
    package = Path(__file__).resolve().parent
    if (package / "_data").is_dir():
        return cast("Traversable", package / "_data")
    if (package.parent / "resources").is_dir():  # a source checkout or an editable install
        return cast("Traversable", package.parent)
    from importlib.resources import files  # the package is not on a file system (a zip)

    return files("netguard") / "_data"


def resource(*parts: str) -> Traversable:
    """A file or folder under ``resources/``, e.g. ``resource("templates", "reconnect.nl.j2")``."""
    return _data_root().joinpath("resources", *parts)


def form(name: str) -> Traversable:
    """A Qt Designer form under ``ui/``, e.g. ``form("composer.ui")``."""
    return _data_root().joinpath("ui", name)


def read_text(*parts: str) -> str:
    return resource(*parts).read_text(encoding="utf-8")
