"""`netguard account set --email ADDR [--yes]`: detect the servers, show them, ask, then store.

Detected values fill only what the command line left out: explicit flags always win. The
storing itself is `netguard account set`'s own (``netguard.cli.account``).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from netguard.accounts.detect import Lookups, describe, describe_login, detect
from netguard.accounts.detected import Detected
from netguard.errors import ConfigError, UsageError
from netguard.texts import text
from netguard.workspace import Workspace

YES = ("y", "yes", "j", "ja")


def prepare(args: argparse.Namespace, workspace: Workspace, lang: str) -> bool:
    """Detect, fill ``args``, show the result; True when the user wants it saved."""
    print(text("setup", lang, "looking", address=args.email), flush=True)
    found = detect(args.email, Lookups.from_settings(workspace.settings.account_setup), lang)
    fill(args, found)
    print(describe(found, lang))
    for label, value in rows(args, found, lang):
        print(f"  {label:<10} {value}")
    if found.login == "oauth2" and not found.oauth_provider:
        raise ConfigError(text("setup", lang, "oauth_no_provider"))
    return confirmed(args, lang)


def fill(args: argparse.Namespace, found: Detected) -> None:
    """Detected values where the command line gave none; ``args.detected`` for the rest."""
    if args.security in (None, found.imap.security):
        args.port = args.port or found.imap.port
    args.host = args.host or found.imap.host
    args.security = args.security or found.imap.security
    args.user = args.user or found.user
    if args.smtp_host is None and args.smtp_security in (None, found.smtp.security):
        args.smtp_port = args.smtp_port or found.smtp.port
    args.smtp_host = args.smtp_host if args.smtp_host is not None else found.smtp.host
    args.smtp_security = args.smtp_security or found.smtp.security
    if args.sent_folder is None and found.sent_folder:
        args.sent_folder = found.sent_folder
    detected: dict[str, Any] = {
        "auth": "oauth2" if found.login == "oauth2" else "password",
        "oauth_provider": found.oauth_provider,
    }
    if found.drafts_folder:
        detected["drafts_folder"] = found.drafts_folder
    args.detected = detected


def rows(args: argparse.Namespace, found: Detected, lang: str) -> list[tuple[str, str]]:
    return [
        (text("setup", lang, "row_imap"), f"{args.host}:{args.port} ({args.security})"),
        (text("setup", lang, "row_smtp"),
         f"{args.smtp_host}:{args.smtp_port or '-'} ({args.smtp_security})"),
        (text("setup", lang, "row_user"), args.user),
        (text("setup", lang, "row_login"), describe_login(found, lang)),
    ]


def confirmed(args: argparse.Namespace, lang: str) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise UsageError(text("setup", lang, "need_yes"))
    try:
        answer = input(text("setup", lang, "ask_save"))
    except EOFError:
        answer = ""
    if answer.strip().lower() in YES:
        return True
    print(text("setup", lang, "not_saved"))
    return False
