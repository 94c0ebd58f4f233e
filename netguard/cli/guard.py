"""`netguard guard`: would this message be a fifth follow-up in a week? Exit 3 when it warns."""

from __future__ import annotations

from typing import Any

from netguard.cli.pending import not_yet


def register(sub: Any) -> None:
    parser = sub.add_parser("guard", help="check recipients before you send")
    parser.add_argument("--to", action="append", required=True, default=None)
    parser.add_argument("--cc", action="append", default=[])
    parser.add_argument("--at", help="reference time, ISO 8601 (default: now)")
    parser.add_argument("--body-file")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=not_yet)
