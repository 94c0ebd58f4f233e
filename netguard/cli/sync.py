"""`netguard sync`: incremental, read-only sync of Sent and the reply folders."""

from __future__ import annotations

from typing import Any

from netguard.cli.pending import not_yet


def register(sub: Any) -> None:
    parser = sub.add_parser("sync", help="fetch new message headers from the account")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=not_yet)
