"""imapclient's version from the name of its ``.dist-info`` folder, not from its metadata.

``imapclient/version.py`` asks ``importlib.metadata.version("imapclient")`` as it is imported:
that loads ``importlib.metadata`` (with zipfile, csv and the email parser) and reads the
package's METADATA, some 11-15 ms of a ``netguard sync`` with nothing new (issue 18), for a
string NetGuard never uses. ``install`` adds an import finder that makes ``imapclient.version``
from the name of the folder beside the package (``imapclient-4.1.0.dist-info``), with the same
``version`` and ``version_info``. Where there is no such folder (a bundle, a zip), more than one,
or a version not of the form the real module reads, the real module is imported as before.
"""

from __future__ import annotations

import importlib.machinery
import os
import sys
import types
from collections.abc import Sequence
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from importlib.abc import Loader

MODULE = "imapclient.version"
_PREFIX, _SUFFIX = "imapclient-", ".dist-info"


class _Finder:
    """Finds ``imapclient.version`` only, and only where its version can be read cheaply."""

    @staticmethod
    def find_spec(fullname: str, path: Sequence[str] | None = None,
                  target: types.ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname != MODULE or not path:
            return None
        version = folder_version(os.path.dirname(os.path.abspath(path[0])))
        if version is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, cast("Loader", _Loader(version)))


class _Loader:
    def __init__(self, version: str) -> None:
        self.version = version

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None  # the usual module object

    def exec_module(self, module: types.ModuleType) -> None:
        module.__dict__.update(version=self.version, version_info=version_info(self.version))


def folder_version(site: str) -> str | None:
    """The version in the one ``imapclient-*.dist-info`` folder in ``site``, or None."""
    try:
        names = [entry.name for entry in os.scandir(site)
                 if entry.name.startswith(_PREFIX) and entry.name.endswith(_SUFFIX)]
    except OSError:
        return None
    if len(names) != 1:
        return None
    version = names[0][len(_PREFIX):-len(_SUFFIX)]
    return version if version_info(version) is not None else None


def version_info(version: str) -> tuple[int, int, int, str] | None:
    """What the real module makes of ``version`` (three numbers), or None."""
    parts = version.split(".")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None
    return int(parts[0]), int(parts[1]), int(parts[2]), "final"


def install() -> None:
    """Before imapclient is imported; once."""
    if MODULE not in sys.modules and not any(f is _Finder for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder)
