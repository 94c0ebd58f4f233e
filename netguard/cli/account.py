"""`netguard account set|show`: the IMAP/SMTP account (password to the keyring)."""

from __future__ import annotations

from typing import Any

from netguard.cli.pending import not_yet


def register(sub: Any) -> None:
    parser = sub.add_parser("account", help="set or show the mail account")
    actions = parser.add_subparsers(dest="action", required=True)
    setp = actions.add_parser("set", help="store account settings and the password")
    setp.add_argument("--host", required=True)
    setp.add_argument("--user", required=True)
    setp.add_argument("--port", type=int)
    setp.add_argument("--security", choices=("ssl", "starttls", "plain"), default="ssl")
    setp.add_argument("--password-stdin", action="store_true")
    setp.add_argument("--sent-folder")
    setp.add_argument("--ca-file")
    setp.add_argument("--pin-fingerprint")
    setp.add_argument("--smtp-host")
    setp.add_argument("--smtp-port", type=int)
    setp.add_argument("--smtp-security", choices=("ssl", "starttls", "plain"))
    setp.set_defaults(run=not_yet)
    show = actions.add_parser("show", help="settings and detected folders; never the password")
    show.set_defaults(run=not_yet)
