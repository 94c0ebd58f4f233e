#!/usr/bin/env python3
"""Screenshots of every view on the demo mailbox, small and large, in English and Dutch.

Renders offscreen (no display needed) into artifacts/screenshots/VIEW-WxH-LANG.png: the
dashboard, the contact pane (the contact with the longest address, to show that long text
fits), the composer with the guard's warning, Settings and the account dialog, each at
900×600 and 1600×1000. The views are the same ones `netguard demo --screenshot` renders.

    QT_QPA_PLATFORM=offscreen python tools/screenshots.py [OUT_DIR]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QDialog, QWidget

from netguard.demo_mailbox import DEMO_AT, demo_workspace
from netguard.gui import i18n
from netguard.gui.app import Shell, application, grab, show_view, start_session
from netguard.gui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[1]
SIZES = ((900, 600), (1600, 1000))
LANGUAGES = ("en", "nl")
VIEWS = ("dashboard", "contact", "composer", "settings", "account")


def dialog(window: MainWindow, view: str) -> QDialog:
    from netguard.gui.account_dialog import AccountDialog
    from netguard.gui.settings_dialog import SettingsDialog

    if view == "settings":
        return SettingsDialog(window.session, window, window.worker)
    return AccountDialog(window.session, window.worker, window)


def widget_for(window: MainWindow, view: str, size: tuple[int, int]) -> QWidget:
    if view in ("settings", "account"):
        show_view(window, "dashboard", size)
        shown = dialog(window, view)
        shown.resize(min(shown.width(), size[0]), min(shown.height(), size[1]))
        shown.show()
        return shown
    if view == "contact":
        show_view(window, "dashboard", size)
        contacts = window.report.contacts if window.report else ()
        longest = max(contacts, key=lambda c: len(c.address) + len(c.name))
        window.select_contact(longest.address)
        return window
    return show_view(window, view, size)


def render(out: Path) -> list[Path]:
    saved = []
    with tempfile.TemporaryDirectory(prefix="netguard-shots-") as root:
        workspace = demo_workspace(Path(root))
        try:
            session = start_session(workspace, demo=True, fixed_now=DEMO_AT)
            shell = Shell(session)
            for lang in LANGUAGES:
                session.lang = i18n.install(lang)
                for width, height in SIZES:
                    for view in VIEWS:
                        window = shell.open()
                        widget = widget_for(window, view, (width, height))
                        saved.append(grab(widget, out / f"{view}-{width}x{height}-{lang}.png"))
                        for top in (widget, window):
                            top.close()
                            top.deleteLater()
                        application().processEvents()
            shell.shutdown()
        finally:
            workspace.close()
    return saved


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "artifacts" / "screenshots"
    for path in render(target):
        print(path)
