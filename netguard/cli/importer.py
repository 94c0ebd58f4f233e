"""`netguard import PATH [--received]`: an mbox file or a Maildir folder into the store."""

from __future__ import annotations

from typing import Any

from netguard.cli.pending import not_yet


def register(sub: Any) -> None:
    parser = sub.add_parser("import", help="import an mbox file or Maildir folder")
    parser.add_argument("path")
    parser.add_argument("--received", action="store_true", help="the mail was received, not sent")
    parser.set_defaults(run=not_yet)
