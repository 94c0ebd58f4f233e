"""`netguard contacts mute|unmute ADDR` and `netguard me add|remove ADDR`."""

from __future__ import annotations

from typing import Any

from netguard.cli.pending import not_yet


def register(sub: Any) -> None:
    contacts = sub.add_parser("contacts", help="mute or unmute warnings for a contact")
    actions = contacts.add_subparsers(dest="action", required=True)
    for name in ("mute", "unmute"):
        action = actions.add_parser(name)
        action.add_argument("address")
        action.set_defaults(run=not_yet)
    me = sub.add_parser("me", help="your own addresses (aliases)")
    me_actions = me.add_subparsers(dest="action", required=True)
    for name in ("add", "remove"):
        action = me_actions.add_parser(name)
        action.add_argument("address")
        action.set_defaults(run=not_yet)
    me_actions.add_parser("list").set_defaults(run=not_yet)
