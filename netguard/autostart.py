"""*Start NetGuard when I log in* (issue 19): on Linux an XDG autostart entry
(``$XDG_CONFIG_HOME/autostart/netguard.desktop``) that starts ``netguard --background``.
The choice is asked of this module only, so Windows and macOS can follow with their own way
(a Run key, a login item) behind the same two functions."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

ENTRY_NAME = "netguard.desktop"


def supported() -> bool:
    return sys.platform.startswith("linux")


def entry_path() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "autostart" / ENTRY_NAME


def desktop_entry(command: list[str]) -> str:
    """The autostart entry (Desktop Entry Specification 1.4) that runs ``command``."""
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=NetGuard",
        "Comment=Guards your follow-ups in the background",
        f"Exec={' '.join(map(exec_argument, command))}",
        "Icon=netguard",
        "Terminal=false",
        "Categories=Network;Email;",
        "X-GNOME-Autostart-enabled=true",
        "",
    ])


_PLAIN = re.compile(r"[\w@%+=:,./-]+")


def exec_argument(argument: str) -> str:
    """One argument of ``Exec``: double-quoted where needed, with a quote, backquote, dollar
    or backslash escaped inside; a backslash is then doubled again, as in every string value
    (Desktop Entry Specification, "The Exec key")."""
    if _PLAIN.fullmatch(argument):
        return argument
    quoted = re.sub(r'(["`$\\])', r"\\\1", argument)
    return '"' + quoted.replace("\\", "\\\\") + '"'


def background_command() -> list[str]:
    """How this NetGuard is started in the background: the installed script, else the module."""
    script = Path(sys.argv[0])
    if script.name == "netguard" and script.exists():
        return [str(script.resolve()), "--background"]
    return [sys.executable, "-m", "netguard", "--background"]


def enabled() -> bool:
    return supported() and entry_path().is_file()


def set_enabled(on: bool, command: list[str] | None = None) -> Path:
    """Write or remove the entry; returns its path."""
    path = entry_path()
    if on:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(desktop_entry(command or background_command()), encoding="utf-8")
    else:
        path.unlink(missing_ok=True)
    return path
