"""`netguard sync`: incremental, read-only sync of Sent and the reply folders."""

from __future__ import annotations

import argparse
from typing import Any

from netguard.accounts.credentials import credentials_for
from netguard.cli.account import require_account
from netguard.cli.output import ProgressBar, print_json
from netguard.mail.sync import SyncResult, sync
from netguard.store.sync_log import record_sync
from netguard.texts import language, text
from netguard.workspace import Workspace


def register(sub: Any) -> None:
    parser = sub.add_parser("sync", help="fetch new message headers from the account")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run_sync)


def run_sync(args: argparse.Namespace, workspace: Workspace) -> int:
    lang = language(workspace.settings.language)
    account = require_account(workspace, lang)
    credentials = credentials_for(workspace.settings)
    bar = ProgressBar()
    try:
        result = sync(account, credentials, workspace.store,
                      progress=lambda folder, done, total: bar(done, total, folder))
    finally:
        bar.close()
    if not result.cancelled:
        record_sync(workspace.store)
    if args.json:
        print_json(to_json(result))
    else:
        print(summary(result, lang))
    return 0


def to_json(result: SyncResult) -> dict[str, Any]:
    """SPEC §6: {"folders": [{"name", "role", "new", "total", "skipped"}]}."""
    return {
        "folders": [{"name": f.name, "role": f.role.value, "new": f.new, "total": f.total,
                     "skipped": f.skipped} for f in result.folders],
        "cancelled": result.cancelled,
    }


def summary(result: SyncResult, lang: str) -> str:
    folders = ", ".join(text("account", lang, "summary_folder", name=f.name, new=f.new,
                             total=f.total) for f in result.folders)
    line = text("account", lang, "summary", folders=folders)
    if result.skipped:
        line += " " + text("account", lang, "summary_skipped", count=result.skipped)
    if result.cancelled:
        line += " " + text("account", lang, "summary_cancelled")
    return line
