"""Finding Thunderbird's default profile from ``profiles.ini``.

The ``[Install…]`` section's ``Default`` (what Thunderbird itself opens) wins, then the
profile marked ``Default=1``, then a lone profile.
"""

from __future__ import annotations

import configparser
import os
from pathlib import Path


def thunderbird_dirs(home: Path) -> list[Path]:
    """Where Thunderbird keeps ``profiles.ini``: the classic folder, then the XDG one."""
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    return [home / ".thunderbird", config / "thunderbird"]


def default_profile(home: Path) -> Path | None:
    for folder in thunderbird_dirs(home):
        ini = folder / "profiles.ini"
        if ini.is_file():
            found = _from_ini(ini)
            if found is not None:
                return found
    return None


def _from_ini(ini: Path) -> Path | None:
    parser = configparser.RawConfigParser(strict=False)
    try:
        parser.read(ini, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError, OSError):
        return None
    sections = [parser[name] for name in parser.sections()]
    installs = [s["Default"] for s in sections if s.name.startswith("Install") and "Default" in s]
    if installs:
        return _resolve(ini.parent, installs[0], relative=not os.path.isabs(installs[0]))
    profiles = [s for s in sections if s.name.startswith("Profile") and "Path" in s]
    chosen = [s for s in profiles if s.get("Default") == "1"]
    if not chosen and len(profiles) == 1:
        chosen = profiles
    if not chosen:
        return None
    relative = chosen[0].get("IsRelative", "1") == "1"
    return _resolve(ini.parent, chosen[0]["Path"], relative=relative)


def _resolve(base: Path, path: str, *, relative: bool) -> Path:
    return base / path if relative else Path(path)
