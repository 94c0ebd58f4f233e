"""`netguard account set|show|login`: the IMAP/SMTP account (password or OAuth2 sign-in, to the
keyring)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from netguard import secrets
from netguard.accounts import status
from netguard.accounts.credentials import credentials_for
from netguard.cli import signin
from netguard.cli.configured import require_account
from netguard.errors import ConfigError, KnownError, UsageError
from netguard.mail.connection import is_loopback, normalize_fingerprint
from netguard.mail.identity import derive, valid_address
from netguard.mail.sync import detect_folders
from netguard.settings import Account, with_account
from netguard.store.sync_log import last_sync
from netguard.texts import language, text
from netguard.workspace import Workspace

DEFAULT_PORTS = {"ssl": 993, "starttls": 143, "plain": 143}
SMTP_PORTS = {"ssl": 465, "starttls": 587, "plain": 25}


def register(sub: Any) -> None:
    parser = sub.add_parser("account", help="set or show the mail account")
    actions = parser.add_subparsers(dest="action", required=True)
    setp = actions.add_parser("set", help="store account settings and the password")
    setp.add_argument("--email", help="detect the servers and login method from this address")
    setp.add_argument("--yes", action="store_true", help="with --email: save without asking")
    setp.add_argument("--host", help="IMAP server (with --user; both needed for a new account)")
    setp.add_argument("--user")
    setp.add_argument("--port", type=int)
    setp.add_argument("--security", choices=("ssl", "starttls", "plain"))
    setp.add_argument("--password-stdin", action="store_true")
    setp.add_argument("--sent-folder")
    setp.add_argument("--ca-file")
    setp.add_argument("--pin-fingerprint")
    setp.add_argument("--smtp-host")
    setp.add_argument("--smtp-port", type=int)
    setp.add_argument("--smtp-security", choices=("ssl", "starttls", "plain"))
    setp.add_argument("--name", help="the display name you send with")
    setp.add_argument("--from", dest="from_address", metavar="ADDRESS",
                      help="the From address you send with (empty: derived from Sent)")
    signin.add_arguments(setp)
    setp.set_defaults(run=run_set, detected={})
    show = actions.add_parser("show", help="settings and detected folders; never the password")
    show.set_defaults(run=run_show)
    login = actions.add_parser("login", help="sign in again in the browser (OAuth2 accounts)")
    login.add_argument("--no-browser", action="store_true",
                       help="only print the sign-in address; do not open a browser")
    login.set_defaults(run=run_login)


def run_set(args: argparse.Namespace, workspace: Workspace) -> int:
    from netguard.cli import from_address  # server detection (DNS): only for `account set`

    lang = language(workspace.settings.language)
    if args.email and not from_address.prepare(args, workspace, lang):
        return 1
    current = workspace.settings.account
    server = _server_changes(args, current, lang)
    changes = {**server, **_changes(args, lang), **args.detected}
    if server and server["security"] == "plain" and not is_loopback(args.host):
        print(text("mail", lang, "plain_warning", host=args.host), file=sys.stderr)
    auth = args.auth or changes.get("auth") or ("password" if server else current.auth)
    if auth == "oauth2" and (server or args.auth):
        if args.email and args.no_browser:
            return _save_for_signin(workspace, changes, lang)
        return _set_oauth2(args, workspace, changes, lang)
    if server or args.auth:
        changes["auth"] = "password"
    password = _password(args, lang) if server else ""
    if password:
        secrets.set_password(args.user, password)
    workspace.save_settings(with_account(workspace.settings, **changes))
    account = workspace.settings.account
    if server:
        print(text("account", lang, "saved", user=account.user, host=account.host,
                   port=account.port, security=account.security))
    if "from_name" in changes or "from_address" in changes:
        print(text("account", lang, "identity_saved", identity=_identity_line(workspace, lang)))
    return 0


def _server_changes(args: argparse.Namespace, current: Account, lang: str) -> dict[str, Any]:
    """Host, user, security and port: all of them for a new or moved account, or none (an
    existing account whose identity or folders alone change)."""
    given = (args.host, args.user, args.security, args.port)
    if all(value is None for value in given) and current.configured:
        return {}
    if args.host is None or args.user is None:
        raise UsageError(text("account", lang, "need_host_user"))
    security = args.security or "ssl"
    return {"host": args.host, "user": args.user, "security": security,
            "port": args.port or DEFAULT_PORTS[security]}


def _save_for_signin(workspace: Workspace, changes: dict[str, Any], lang: str) -> int:
    """An OAuth2 account found from its address, with --no-browser: servers and login method
    now, no password; sign-in comes next (`netguard account login`)."""
    workspace.save_settings(with_account(workspace.settings, **changes))
    account = workspace.settings.account
    print(text("setup", lang, "oauth_saved", user=account.user, host=account.host,
               port=account.port, security=account.security,
               provider=status.provider_name(account)))
    return 0


def _set_oauth2(args: argparse.Namespace, workspace: Workspace, changes: dict[str, Any],
                lang: str) -> int:
    """Store an OAuth2 account (given, or found from its address) and sign in at once."""
    settings = signin.configure(with_account(workspace.settings, **changes), args)
    workspace.save_settings(settings)
    account = settings.account
    print(text("account", lang, "saved_oauth", user=account.user, host=account.host,
               port=account.port, security=account.security,
               provider=status.provider_name(account)))
    return _sign_in(workspace, args.no_browser, lang)


def run_login(args: argparse.Namespace, workspace: Workspace) -> int:
    lang = language(workspace.settings.language)
    account = require_account(workspace, lang)
    if account.auth != "oauth2":
        raise ConfigError(text("account", lang, "login_needs_oauth"))
    return _sign_in(workspace, args.no_browser, lang)


def _sign_in(workspace: Workspace, no_browser: bool, lang: str) -> int:
    signin.run(workspace.settings, say=lambda line: print(line, flush=True),
               open_url=signin.no_browser if no_browser else None)
    print(text("account", lang, "signed_in", user=workspace.settings.account.user))
    return 0


def _changes(args: argparse.Namespace, lang: str) -> dict[str, Any]:
    changes: dict[str, Any] = _identity_changes(args, lang)
    if args.sent_folder is not None:
        changes["sent_folder"] = args.sent_folder
    if args.ca_file is not None:
        path = Path(args.ca_file).expanduser()
        if args.ca_file and not path.is_file():
            raise UsageError(text("account", lang, "bad_ca_file", path=args.ca_file))
        changes["ca_file"] = str(path.resolve()) if args.ca_file else ""
    if args.pin_fingerprint is not None:
        changes["pinned_fingerprint"] = _pin(args.pin_fingerprint, lang)
    if args.smtp_host is not None:
        changes["smtp_host"] = args.smtp_host
    if args.smtp_security is not None:
        changes["smtp_security"] = args.smtp_security
    if args.smtp_port or args.smtp_security:
        changes["smtp_port"] = args.smtp_port or SMTP_PORTS[args.smtp_security]
    return changes


def _identity_changes(args: argparse.Namespace, lang: str) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if args.name is not None:
        changes["from_name"] = " ".join(args.name.split())
    if args.from_address is not None:
        address = valid_address(args.from_address)
        if args.from_address.strip() and not address:
            raise UsageError(text("account", lang, "bad_from_flag", value=args.from_address))
        changes["from_address"] = address
    return changes


def _pin(value: str, lang: str) -> str:
    digits = normalize_fingerprint(value)
    if not value:
        return ""
    if len(digits) != 64 or len(digits) != len(value.replace(":", "").strip()):
        raise UsageError(text("account", lang, "bad_fingerprint", value=value))
    return ":".join(digits[i:i + 2] for i in range(0, 64, 2))


def _password(args: argparse.Namespace, lang: str) -> str:
    """The new password, or "" to keep the stored one (only at an interactive prompt)."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n") if sys.stdin is not None else ""
        if not password:
            raise UsageError(text("account", lang, "empty_password"))
        return password
    stored = secrets.get_password(args.user) is not None
    if sys.stdin is None or not sys.stdin.isatty():
        # No one to ask (a script, stdin closed): keep the stored password, or say how to give one.
        if stored:
            return ""
        raise UsageError(text("account", lang, "no_terminal"))
    prompt = text("account", lang, "prompt" if stored else "prompt_new",
                  user=args.user, host=args.host)
    try:
        password = getpass.getpass(prompt)
    except EOFError:
        password = ""
    if not password and not stored:
        raise UsageError(text("account", lang, "empty_password"))
    return password


def run_show(args: argparse.Namespace, workspace: Workspace) -> int:
    lang = language(workspace.settings.language)
    account = require_account(workspace, lang)
    ready = status.ready(account)
    for label, value in _rows(account, status.describe(account, ready, lang), lang):
        print(f"{label:<16} {value}")
    print(f"{'from':<16} {_identity_line(workspace, lang)}")
    synced = last_sync(workspace.store)
    when = synced.astimezone().strftime("%Y-%m-%d %H:%M") if synced else None
    print(f"{'last sync':<16} {when or text('account', lang, 'show_never_synced')}")
    if not ready:
        return 0
    print(text("account", lang, "show_detecting", host=account.host), flush=True)
    try:
        folders = detect_folders(account, credentials_for(workspace.settings), workspace.store)
    except KnownError as err:
        print(text("account", lang, "show_folders_failed", reason=err))
        return 1
    none = text("account", lang, "show_none")
    print(f"{'sent folder':<16} {folders.sent}")
    print(f"{'drafts folder':<16} {folders.drafts or none}")
    print(f"{'reply folders':<16} {', '.join(folders.received) or none}")
    return 0


def _rows(account: Account, login: str, lang: str) -> list[tuple[str, object]]:
    none = text("account", lang, "show_none")
    return [
        ("host", account.host), ("port", account.port), ("security", account.security),
        ("user", account.user), ("login", login),
        ("ca file", account.ca_file or none),
        ("pinned cert", account.pinned_fingerprint or none),
        ("sent override", account.sent_folder or none),
        ("reply override", ", ".join(account.reply_folders) or none),
        ("smtp", _smtp(account, lang)),
    ]


def _smtp(account: Account, lang: str) -> str:
    if not account.smtp_host:
        return text("account", lang, "show_smtp_unset")
    return f"{account.smtp_host}:{account.smtp_port} ({account.smtp_security})"


def _identity_line(workspace: Workspace, lang: str) -> str:
    """The identity and whether it is set or derived (and from what)."""
    account = workspace.settings.account
    if account.from_address and not valid_address(account.from_address):
        return text("account", lang, "show_identity_bad", value=account.from_address)
    identity = derive(workspace.store, account)
    if identity is None:
        return text("account", lang, "show_identity_none")
    return text("account", lang, f"show_identity_{identity.source}",
                identity=str(identity.mailbox))
