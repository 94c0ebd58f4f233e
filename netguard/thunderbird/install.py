"""``netguard thunderbird install`` / ``uninstall``: the native-messaging manifest, the small
launcher it names, and the add-on in a profile's ``extensions/`` folder.

Thunderbird starts a host with the manifest's path and the add-on id as its arguments and
no others, so the manifest names a launcher that runs ``netguard native-host`` with this
Python (or this frozen bundle) and this NetGuard profile.
"""

from __future__ import annotations

import json
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from netguard.thunderbird.xpi import ADDON_ID, pack

HOST_NAME = "netguard"
LAUNCHER = "netguard-native-host"
_PREF_MARK = "// added by netguard thunderbird install"
PREF_LINE = f'user_pref("extensions.autoDisableScopes", 0); {_PREF_MARK}'


@dataclass(frozen=True)
class Installed:
    manifest: Path
    launcher: Path
    addon: Path | None  # None: no profile given or found; the user adds the .xpi by hand
    package: Path  # the packed .xpi (inside the profile, or beside the manifest)


def hosts_dir(home: Path) -> Path:
    return home / ".mozilla" / "native-messaging-hosts"


def netguard_command(netguard_home: str | None) -> list[str]:
    """How to start this NetGuard: the frozen bundle, or this Python with ``-m netguard``."""
    base = [sys.executable] if getattr(sys, "frozen", False) else [sys.executable, "-m", "netguard"]
    return base + (["--home", netguard_home] if netguard_home else [])


def install(home: Path, profile: Path | None, netguard_home: str | None) -> Installed:
    folder = hosts_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    launcher = _write_launcher(folder / LAUNCHER, netguard_command(netguard_home))
    manifest = folder / f"{HOST_NAME}.json"
    _write_text(manifest, json.dumps(_host_manifest(launcher), indent=2) + "\n")
    if profile is None:
        return Installed(manifest, launcher, None, pack(folder / f"{ADDON_ID}.xpi"))
    extensions = profile / "extensions"
    extensions.mkdir(parents=True, exist_ok=True)
    addon = pack(extensions / f"{ADDON_ID}.xpi")
    _enable_profile_addons(profile / "user.js")
    return Installed(manifest, launcher, addon, addon)


def uninstall(home: Path, profile: Path | None) -> list[Path]:
    """Remove what ``install`` wrote; the files removed (``user.js``: our line taken out)."""
    folder = hosts_dir(home)
    paths = [folder / f"{HOST_NAME}.json", folder / LAUNCHER, folder / f"{ADDON_ID}.xpi"]
    if profile is not None:
        paths.append(profile / "extensions" / f"{ADDON_ID}.xpi")
    removed = [path for path in paths if path.exists()]
    for path in removed:
        path.unlink()
    if profile is not None and _drop_pref(profile / "user.js"):
        removed.append(profile / "user.js")
    return removed


def _host_manifest(launcher: Path) -> dict[str, object]:
    return {"name": HOST_NAME, "description": "NetGuard's send guard for Thunderbird",
            "path": str(launcher), "type": "stdio", "allowed_extensions": [ADDON_ID]}


def _write_launcher(path: Path, command: list[str]) -> Path:
    words = " ".join(shlex.quote(word) for word in command)
    _write_text(path, f'#!/bin/sh\nexec {words} native-host "$@"\n')
    path.chmod(0o755)
    return path


def _enable_profile_addons(user_js: Path) -> None:
    """Thunderbird enables an add-on dropped into ``extensions/`` only with this pref."""
    current = user_js.read_text(encoding="utf-8") if user_js.exists() else ""
    if PREF_LINE not in current:
        separator = "" if not current or current.endswith("\n") else "\n"
        _write_text(user_js, current + separator + PREF_LINE + "\n")


def _drop_pref(user_js: Path) -> bool:
    if not user_js.exists():
        return False
    lines = user_js.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if _PREF_MARK not in line]
    if len(kept) == len(lines):
        return False
    _write_text(user_js, "".join(kept))
    return True


def _write_text(path: Path, content: str) -> None:
    partial = path.with_name(path.name + ".part")
    partial.write_text(content, encoding="utf-8")
    partial.replace(path)
