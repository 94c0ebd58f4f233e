"""``netguard``: parse the command line, run one command, map known errors to exit codes."""

from __future__ import annotations

import argparse
import logging
import os
import sqlite3
import sys
from collections.abc import Sequence
from types import ModuleType

from netguard import __version__, logs
from netguard.cli import (
    account,
    calendar,
    demo,
    draft,
    guard,
    importer,
    people,
    relay,
    report,
    review,
    send,
    sync,
)
from netguard.errors import KnownError, UsageError
from netguard.store.db import store_error
from netguard.workspace import Workspace

COMMANDS: tuple[ModuleType, ...] = (
    demo, account, sync, importer, report, review, calendar, guard, people, draft, send, relay,
)
log = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="netguard", description="See whom you pester and whom you neglect.")
    parser.add_argument("--version", action="version", version=f"netguard {__version__}")
    parser.add_argument("--home", help="profile folder (default: $NETGUARD_HOME or the user dirs)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    parser.add_argument("--background", action="store_true",
                        help="start the app without its window (in the system tray)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args: argparse.Namespace | None = None
    try:
        args = build_parser().parse_args(argv)
        return _run(args)
    except KnownError as err:
        print(f"netguard: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("netguard: interrupted; everything stored so far is kept.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`netguard report | head`): not an error of ours.
        _silence_stdout()
        return 0
    except Exception as err:
        if args is not None and args.debug:
            raise
        log.exception("Unexpected error")
        print(f"netguard: unexpected error: {err!r} (run with --debug for details)",
              file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    workspace = Workspace.open(args.home)
    logs.setup(workspace.profile.log_dir, debug=args.debug)
    run = getattr(args, "run", None) or demo.run_app
    try:
        return int(run(args, workspace))
    except sqlite3.Error as err:
        # The store failed under a command (damaged page, locked, disk full): say which file.
        raise store_error(err, workspace.profile.database) from err
    finally:
        _close(workspace)


def _close(workspace: Workspace) -> None:
    try:
        workspace.close()
    except sqlite3.Error as err:
        log.warning("Closing the store failed: %s", err)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
