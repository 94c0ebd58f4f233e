"""Everything outside netguard/gui/ imports without PySide6 (STYLE.md: the core is Qt-free)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import netguard


def core_modules() -> list[str]:
    return [
        m.name
        for m in pkgutil.walk_packages(netguard.__path__, "netguard.")
        if not m.name.startswith(("netguard.gui", "netguard.__main__"))
    ]


def test_core_modules_do_not_import_pyside6() -> None:
    modules = core_modules()
    assert "netguard.cli.main" in modules and "netguard.store.db" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""
