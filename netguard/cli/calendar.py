"""`netguard calendar set --url URL --user U [--password-stdin]`: the CalDAV calendar that
`netguard review --publish` writes the networking hour to. The password goes to the keyring."""

from __future__ import annotations

import argparse
import getpass
import sys
from dataclasses import replace
from typing import Any

from netguard import secrets
from netguard.calendar.caldav import keyring_key
from netguard.errors import UsageError
from netguard.settings import Calendar
from netguard.texts import language, text
from netguard.workspace import Workspace


def register(sub: Any) -> None:
    parser = sub.add_parser("calendar", help="the CalDAV calendar for review --publish")
    actions = parser.add_subparsers(dest="action", required=True)
    setp = actions.add_parser("set")
    setp.add_argument("--url", required=True, help="the calendar's CalDAV address")
    setp.add_argument("--user", required=True)
    setp.add_argument("--password-stdin", action="store_true")
    setp.add_argument("--ca-file", default="", help="an extra CA certificate to trust")
    setp.set_defaults(run=run_set)


def run_set(args: argparse.Namespace, workspace: Workspace) -> int:
    lang = language(workspace.settings.language)
    password = _password(args, lang)
    secrets.set_password(keyring_key(args.url, args.user), password)
    chosen = Calendar(url=args.url.strip(), user=args.user.strip(), ca_file=args.ca_file)
    workspace.save_settings(replace(workspace.settings, calendar=chosen))
    print(text("review", lang, "calendar_saved", url=chosen.url, user=chosen.user))
    return 0


def _password(args: argparse.Namespace, lang: str) -> str:
    if args.password_stdin or sys.stdin is None or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\r\n") if sys.stdin is not None else ""
    else:
        password = getpass.getpass(f"CalDAV password for {args.user}: ")
    if not password:
        raise UsageError(text("review", lang, "calendar_empty_password"))
    return password
