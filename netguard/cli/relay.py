"""`netguard relay`, `netguard allow`, `netguard watch`: the guard for any mail client."""

from __future__ import annotations

import argparse
import threading
from datetime import datetime
from typing import Any

from netguard import outbox
from netguard.cli.output import print_json
from netguard.errors import ConfigError
from netguard.relay.credentials import credentials
from netguard.texts import language, text
from netguard.workspace import Workspace


def register(sub: Any) -> None:
    relay = sub.add_parser("relay", help="local SMTP relay with the guard in front")
    relay.add_argument("--port", type=int)
    relay.add_argument("--host", default="127.0.0.1", help="loopback address to listen on")
    relay.add_argument("--credentials", action="store_true")
    relay.add_argument("--certificate", action="store_true",
                       help="print the relay's TLS certificate file and its SHA-256 fingerprint")
    relay.set_defaults(run=run_relay)
    allow = sub.add_parser("allow", help="let the next message to ADDR through")
    allow.add_argument("address")
    allow.add_argument("--minutes", type=int, default=15)
    allow.set_defaults(run=run_allow)
    watch = sub.add_parser("watch", help="check the Drafts folder")
    watch.add_argument("--once", action="store_true")
    watch.add_argument("--json", action="store_true")
    watch.set_defaults(run=run_watch)


def run_relay(args: argparse.Namespace, workspace: Workspace) -> int:
    if args.credentials:
        user, password = credentials()
        print(f"{user} {password}")
        return 0
    if args.certificate:
        return print_certificate(workspace)
    from netguard.relay.server import Relay

    settings = workspace.settings
    if not settings.account.smtp_host:
        raise ConfigError("No SMTP server is configured for relaying. Run `netguard account set "
                          "--smtp-host H ...` first.")
    port = args.port or settings.relay.port
    relay = Relay(workspace.store, settings, port=port, host=args.host,
                  tls_dir=workspace.profile.data_dir).start()
    print(text("relay", language(settings.language), "listening", host=args.host, port=port,
               user=credentials()[0]), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        relay.stop()
    return 0


def print_certificate(workspace: Workspace) -> int:
    from netguard.relay.certificate import ensure, fingerprint

    cert, _ = ensure(workspace.profile.ensure().data_dir)
    print(cert)
    print(f"SHA256 {fingerprint(cert)}")
    return 0


def run_allow(args: argparse.Namespace, workspace: Workspace) -> int:
    until = outbox.allow(workspace.store, args.address, args.minutes)
    when = datetime.fromtimestamp(until).astimezone().strftime("%H:%M")
    print(text("relay", language(workspace.settings.language), "allowed",
               address=args.address.strip().lower(), until=when))
    return 0


def run_watch(args: argparse.Namespace, workspace: Workspace) -> int:
    from netguard.watch import describe, report_to_json, watch

    lang = language(workspace.settings.language)
    for report in watch(workspace.store, workspace.settings, once=args.once):
        if args.json:
            print_json(report_to_json(report))
        else:
            print(describe(report, lang), flush=True)
    return 0
