"""``netguard``: parse the command line, run one command, map known errors to exit codes."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sqlite3
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, NoReturn

from netguard import __version__
from netguard.errors import KnownError, UsageError
from netguard.quick_exit import exit_now
from netguard.terminal import SafeStream

if TYPE_CHECKING:
    from netguard.workspace import Workspace

# Each command's module under netguard.cli, in the order `--help` lists them. Only the module of
# the command being run is imported, so `guard` or `--version` never pays for keyring, imapclient,
# jinja2 or the account detection (tests/unit/test_cli_imports.py keeps it so).
COMMANDS: dict[str, str] = {
    "demo": "demo", "account": "account", "sync": "sync", "import": "importer",
    "report": "report", "review": "review", "calendar": "calendar", "guard": "guard",
    "contacts": "people", "me": "people",
    "lint": "draft", "templates": "draft", "draft": "draft",
    "send": "send", "save-draft": "send", "outbox": "send",
    "relay": "relay", "allow": "relay", "watch": "relay",
    "native-host": "thunderbird", "thunderbird": "thunderbird",
}
_GLOBAL_WITH_VALUE = ("--home",)
log = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser with every command, or given ``argv`` naming one, with only that one."""
    parser = _Parser(prog="netguard", description="See whom you pester and whom you neglect.")
    parser.add_argument("--version", action="version", version=f"netguard {__version__}")
    parser.add_argument("--home", help="profile folder (default: $NETGUARD_HOME or the user dirs)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks and debug logs")
    parser.add_argument("--background", action="store_true",
                        help="start the app without its window (in the system tray)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in _modules(argv):
        module.register(sub)
    return parser


def _modules(argv: Sequence[str] | None) -> list[ModuleType]:
    """Every command's module for help and unknown commands; none for the app and `--version`."""
    wanted = None if argv is None else _command_name(argv)
    if wanted in COMMANDS:
        names = [COMMANDS[wanted]]
    elif argv is not None and wanted is None and not {"-h", "--help"} & set(argv):
        names = []
    else:
        names = list(dict.fromkeys(COMMANDS.values()))
    return [importlib.import_module(f"netguard.cli.{name}") for name in names]


def _command_name(argv: Sequence[str]) -> str | None:
    """The first word that is not a global option: the command (None for `--version`, the app)."""
    words = iter(argv)
    for word in words:
        if word in _GLOBAL_WITH_VALUE:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def run() -> NoReturn:
    """The process's entry point (``netguard``, ``python -m netguard``): ``main``, then the
    exit without the interpreter's teardown (``quick_exit``)."""
    exit_now(main())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command ``argv``; what it prints is made safe for a terminal (``terminal``)."""
    streams = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = SafeStream(sys.stdout), SafeStream(sys.stderr)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = streams


def _main(argv: Sequence[str] | None) -> int:
    args: argparse.Namespace | None = None
    try:
        argv = sys.argv[1:] if argv is None else argv
        args = build_parser(argv).parse_args(argv)
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
    # Imported here, not above: `--version` and `--help` need neither the settings nor the store.
    from netguard import logs
    from netguard.store.db import store_error
    from netguard.workspace import Workspace

    workspace = Workspace.open(args.home)
    logs.setup(workspace.profile.log_dir, debug=args.debug)
    run = getattr(args, "run", None) or _run_app
    try:
        return int(run(args, workspace))
    except sqlite3.Error as err:
        # The store failed under a command (damaged page, locked, disk full): say which file.
        raise store_error(err, workspace.profile.database) from err
    finally:
        _close(workspace)


def _run_app(args: argparse.Namespace, workspace: Workspace) -> int:
    from netguard.cli.demo import run_app  # the desktop app: only when no command is given

    return run_app(args, workspace)


def _close(workspace: Workspace) -> None:
    try:
        workspace.close()
    except sqlite3.Error as err:
        log.warning("Closing the store failed: %s", err)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
