"""Commands whose capability has not landed yet say so, with exit 1."""

from __future__ import annotations

import argparse

from netguard.errors import NotAvailableYet
from netguard.workspace import Workspace


def not_yet(args: argparse.Namespace, workspace: Workspace) -> int:
    raise NotAvailableYet(f"`netguard {args.command}` is not available yet in this version.")
