"""`netguard import PATH [--received]`: an mbox file or a Maildir folder into the store."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from netguard import texts
from netguard.analysis.first_load import FirstLoad
from netguard.analysis.summary import keep_up
from netguard.cli.output import ProgressBar
from netguard.mail.importer import import_path
from netguard.model import Role
from netguard.workspace import Workspace

_ROLE_WORDS = {"en": {Role.SENT: "sent", Role.RECEIVED: "received"},
               "nl": {Role.SENT: "verzonden mail", Role.RECEIVED: "ontvangen mail"}}


def register(sub: Any) -> None:
    parser = sub.add_parser("import", help="import an mbox file or Maildir folder")
    parser.add_argument("path")
    parser.add_argument("--received", action="store_true", help="the mail was received, not sent")
    parser.set_defaults(run=run_import)


def run_import(args: argparse.Namespace, workspace: Workspace) -> int:
    path = Path(args.path)
    role = Role.RECEIVED if args.received else Role.SENT
    bar = ProgressBar()
    bulk = workspace.settings.rules.bulk_recipients
    gathered = FirstLoad(workspace.store, bulk)  # the summary, when the store was empty
    try:
        result = import_path(workspace.store, path, role,
                             progress=lambda done, total: bar(_mb(done), _mb(total),
                                                              f"{path.name} (MB)"),
                             on_stored=gathered.add)
    finally:
        bar.close()
    keep_up(workspace.store, bulk, gathered)
    lang = texts.language(workspace.settings.language)
    by_labels = len(result.folders) > 1 or result.left_out > 0
    print(texts.text("import", lang, "summary_labels" if by_labels else "summary",
                     imported=texts.number(result.imported, lang), path=path,
                     role=_ROLE_WORDS[lang][role], total=texts.number(result.total, lang),
                     skipped=texts.number(result.skipped, lang)))
    if by_labels:
        print(texts.text("import", lang, "labels", sent=result.sent, received=result.received,
                         left_out=result.left_out))
    return 0


def _mb(size: int) -> int:
    return (size + (1 << 20) - 1) >> 20
