"""`netguard send` (guard first) and `netguard save-draft`."""

from __future__ import annotations

from typing import Any

from netguard.cli.pending import not_yet


def register(sub: Any) -> None:
    send = sub.add_parser("send", help="send a message, the guard first")
    save = sub.add_parser("save-draft", help="save a message to the Drafts folder")
    for parser in (send, save):
        parser.add_argument("--to", action="append", required=True)
        parser.add_argument("--cc", action="append", default=[])
        parser.add_argument("--subject", required=True)
        parser.add_argument("--body-file", required=True)
        parser.set_defaults(run=not_yet)
    send.add_argument("--force", action="store_true")
    send.add_argument("--in-reply-to")
