"""`netguard sync`: incremental, read-only sync of Sent and the reply folders.

Exit 0, or 1 when a folder could not be synced (the others were: one line on stderr names each
that failed). SIGTERM stops a sync as Ctrl-C does: what is stored stays, the parser process ends.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

from netguard.accounts.credentials import credentials_for
from netguard.analysis.first_load import FirstLoad
from netguard.analysis.summary import keep_up
from netguard.cli.configured import require_account
from netguard.cli.output import ProgressBar, print_json
from netguard.mail.sync import SyncResult, sync
from netguard.store.sync_log import record_sync
from netguard.texts import language, number, text
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
    bulk = workspace.settings.rules.bulk_recipients
    first_load = FirstLoad(workspace.store, bulk)
    try:
        with _terminate_as_interrupt():
            result = sync(account, credentials, workspace.store,
                          progress=lambda folder, done, total: bar(done, total, folder),
                          on_stored=first_load.add)
    finally:
        bar.close()
    if not result.cancelled and not result.failed:
        record_sync(workspace.store)
    keep_up(workspace.store, bulk, first_load)
    if args.json:
        print_json(to_json(result))
    else:
        print(summary(result, lang))
    for folder in result.failed:
        print("netguard: " + text("mail", lang, "folder_failed", folder=folder.name,
                                  reason=folder.error), file=sys.stderr)
    return 1 if result.failed else 0


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (``kill``, a service manager) raises ``KeyboardInterrupt`` while syncing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def to_json(result: SyncResult) -> dict[str, Any]:
    """SPEC §6: {"folders": [{"name", "role", "new", "total", "skipped", "missing", "error"}]};
    ``missing``: UIDs the server left out of its answer (asked again next time), ``error``:
    why the folder could not be synced, or null."""
    return {
        "folders": [{"name": f.name, "role": f.role.value, "new": f.new, "total": f.total,
                     "skipped": f.skipped, "missing": f.missing, "error": f.error or None}
                    for f in result.folders],
        "cancelled": result.cancelled,
    }


def summary(result: SyncResult, lang: str) -> str:
    folders = ", ".join(
        text("account", lang, "summary_folder_failed", name=f.name) if f.error else
        text("account", lang, "summary_folder", name=f.name, new=number(f.new, lang),
             total=number(f.total, lang))
        for f in result.folders)
    line = text("account", lang, "summary", folders=folders)
    if result.skipped:
        line += " " + text("account", lang, "summary_skipped", count=number(result.skipped, lang))
    if result.missing:
        line += " " + text("account", lang, "summary_missing", count=number(result.missing, lang))
    if result.cancelled:
        line += " " + text("account", lang, "summary_cancelled")
    return line
