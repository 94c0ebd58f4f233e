"""`netguard demo` and the bare `netguard`: the desktop app."""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime
from typing import Any

from netguard import collector
from netguard.analysis.report_process import ReportProcess, idle_core
from netguard.texts import language
from netguard.workspace import Workspace


def register(sub: Any) -> None:
    parser = sub.add_parser("demo", help="the app on the bundled demo mailbox")
    parser.add_argument("--screenshot", metavar="FILE.png",
                        help="render the view offscreen at 1280x800, save it and exit")
    parser.add_argument("--view", choices=("dashboard", "contact", "composer", "week"),
                        default="dashboard")
    parser.set_defaults(run=run_demo)


def run_demo(args: argparse.Namespace, workspace: Workspace) -> int:
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    collector.hold()  # until the window has painted once
    from netguard.gui.app import run_demo as start

    return start(args.screenshot, args.view)


def run_app(args: argparse.Namespace, workspace: Workspace) -> int:
    collector.hold()  # until the window has painted once
    early = start_report(workspace)
    from netguard.gui.app import run_app as start

    return start(workspace, background=bool(getattr(args, "background", False)), early=early)


def start_report(workspace: Workspace) -> ReportProcess | None:
    """The window's first report, built in a process of its own while PySide6 and the app's
    modules load (``analysis.report_process``), when a core is free for it; in the language
    the window will most likely use (where Qt's locale says otherwise, the window builds it)."""
    if not idle_core():
        return None
    settings = workspace.settings
    return ReportProcess.start(workspace.profile.database, settings.rules, datetime.now(UTC),
                               language(settings.language))
