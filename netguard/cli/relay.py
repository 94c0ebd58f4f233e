"""`netguard relay`, `netguard allow`, `netguard watch`: the guard for any mail client."""

from __future__ import annotations

from typing import Any

from netguard.cli.pending import not_yet


def register(sub: Any) -> None:
    relay = sub.add_parser("relay", help="local SMTP relay with the guard in front")
    relay.add_argument("--port", type=int)
    relay.add_argument("--credentials", action="store_true")
    relay.set_defaults(run=not_yet)
    allow = sub.add_parser("allow", help="let the next message to ADDR through")
    allow.add_argument("address")
    allow.add_argument("--minutes", type=int, default=15)
    allow.set_defaults(run=not_yet)
    watch = sub.add_parser("watch", help="check the Drafts folder")
    watch.add_argument("--once", action="store_true")
    watch.add_argument("--json", action="store_true")
    watch.set_defaults(run=not_yet)
