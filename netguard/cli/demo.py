"""`netguard demo` and the bare `netguard`: the desktop app."""

from __future__ import annotations

import argparse
from typing import Any

from netguard.cli.pending import not_yet
from netguard.workspace import Workspace


def register(sub: Any) -> None:
    parser = sub.add_parser("demo", help="the app on the bundled demo mailbox")
    parser.add_argument("--screenshot", metavar="FILE.png")
    parser.add_argument("--view", choices=("dashboard", "contact", "composer"), default="dashboard")
    parser.set_defaults(run=not_yet)


def run_app(args: argparse.Namespace, workspace: Workspace) -> int:
    args.command = "(the desktop app)"
    return not_yet(args, workspace)
