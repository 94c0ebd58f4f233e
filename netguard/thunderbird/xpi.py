"""The add-on's sources (``resources/thunderbird/``) packed into an ``.xpi``, byte for byte the
same each time: files in name order, a fixed date and fixed permissions."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from importlib.resources.abc import Traversable
from pathlib import Path

from netguard.resources import resource

ADDON_ID = "guard@netguard.invalid"
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def sources() -> dict[str, bytes]:
    """Every file of the add-on by its path inside the .xpi."""
    return dict(sorted(_walk(resource("thunderbird"), "")))


def manifest() -> dict[str, object]:
    data = json.loads(sources()["manifest.json"])
    if not isinstance(data, dict):
        raise ValueError("resources/thunderbird/manifest.json is not a JSON object")
    return data


def pack(target: Path) -> Path:
    """Write the .xpi to ``target`` (atomically) and return it."""
    partial = target.with_name(target.name + ".part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sources().items():
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    partial.replace(target)
    return target


def _walk(folder: Traversable, prefix: str) -> Iterator[tuple[str, bytes]]:
    for item in folder.iterdir():
        name = prefix + item.name
        if item.is_dir():
            yield from _walk(item, name + "/")
        elif not item.name.startswith("."):
            yield name, item.read_bytes()
