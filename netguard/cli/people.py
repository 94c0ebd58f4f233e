"""`netguard contacts mute|unmute ADDR`, `netguard contacts cadence ADDR 2w|1m|3m|6m|1y|none`
and `netguard me add|remove|list [ADDR]`.

Muting a contact silences its warnings and findings (SPEC: each warning can be muted per
contact); NetGuard keeps counting, so unmuting shows the true state at once.
"""

from __future__ import annotations

import argparse
import sqlite3
from typing import Any

from netguard.analysis.cadence import CADENCES, NONE, parse_cadence
from netguard.analysis.history import normalise
from netguard.errors import UsageError
from netguard.store.people import add_me, my_addresses, remove_me, set_cadence, set_muted
from netguard.texts import language, text
from netguard.workspace import Workspace


def register(sub: Any) -> None:
    contacts = sub.add_parser("contacts", help="mute warnings or set a keep-in-touch cadence")
    actions = contacts.add_subparsers(dest="action", required=True)
    for name in ("mute", "unmute"):
        action = actions.add_parser(name)
        action.add_argument("address")
        action.set_defaults(run=run_mute)
    cadence = actions.add_parser("cadence", help="how often you want to be in touch")
    cadence.add_argument("address")
    cadence.add_argument("cadence", metavar="|".join([*CADENCES, NONE]))
    cadence.set_defaults(run=run_cadence)
    me = sub.add_parser("me", help="your own addresses (aliases)")
    me_actions = me.add_subparsers(dest="action", required=True)
    for name in ("add", "remove"):
        action = me_actions.add_parser(name)
        action.add_argument("address")
        action.set_defaults(run=run_me_change)
    me_actions.add_parser("list").set_defaults(run=run_me_list)


def run_mute(args: argparse.Namespace, workspace: Workspace) -> int:
    address = _address(args.address)
    muted = args.action == "mute"
    set_muted(workspace.store, address, muted)
    lang = language(workspace.settings.language)
    print(text("report", lang, "muted" if muted else "unmuted", address=address))
    return 0


def run_cadence(args: argparse.Namespace, workspace: Workspace) -> int:
    address, code = _address(args.address), parse_cadence(args.cadence)
    set_cadence(workspace.store, address, code)
    lang = language(workspace.settings.language)
    if code is None:
        print(text("report", lang, "cadence_none", address=address))
    else:
        print(text("report", lang, "cadence_set", address=address,
                   cadence=text("report", lang, f"cadence_{code}")))
    return 0


def run_me_change(args: argparse.Namespace, workspace: Workspace) -> int:
    address = _address(args.address)
    if args.action == "add":
        add_me(workspace.store, address)
    else:
        remove_me(workspace.store, address)
    lang = language(workspace.settings.language)
    print(text("report", lang, "me_added" if args.action == "add" else "me_removed",
               address=address))
    return 0


def run_me_list(args: argparse.Namespace, workspace: Workspace) -> int:
    lang = language(workspace.settings.language)
    login = normalise(workspace.settings.account.user)
    found = my_address_sources(workspace.store)
    if "@" in login:
        found.setdefault(login, "login")
    for address, source in sorted(found.items()):
        print(f"{address}  ({text('report', lang, f'me_source_{source}')})")
    return 0


def my_address_sources(conn: sqlite3.Connection) -> dict[str, str]:
    """My addresses with where each comes from: ``login``, ``alias`` or ``sent``."""
    found = dict.fromkeys(my_addresses(conn), "sent")
    found.update({str(a): str(s) for a, s in conn.execute("SELECT address, source FROM me")})
    return found


def _address(raw: str) -> str:
    address = normalise(raw)
    local, at, domain = address.partition("@")
    if not (local and at and domain) or " " in address:
        raise UsageError(f"{raw!r} is not a mail address")
    return address
