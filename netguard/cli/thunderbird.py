"""`netguard native-host` (Thunderbird's add-on asks it before each send) and
`netguard thunderbird install|uninstall [--profile DIR]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from netguard.errors import UsageError
from netguard.texts import language, text
from netguard.workspace import Workspace


def register(sub: Any) -> None:
    host = sub.add_parser("native-host", help="answer the Thunderbird add-on (started by it)")
    host.add_argument("origin", nargs="*", help=argparse.SUPPRESS)  # manifest path, add-on id
    host.set_defaults(run=run_native_host)
    bird = sub.add_parser("thunderbird", help="install the guard into Thunderbird")
    actions = bird.add_subparsers(dest="action", metavar="ACTION", required=True,
                                  parser_class=sub._parser_class)  # errors as UsageError
    for name, run in (("install", run_install), ("uninstall", run_uninstall)):
        action = actions.add_parser(name, help=f"{name} the add-on and its native host")
        action.add_argument("--profile", help="the Thunderbird profile folder "
                            "(default: the default profile from profiles.ini)")
        action.set_defaults(run=run)


def run_native_host(args: argparse.Namespace, workspace: Workspace) -> int:
    from netguard.thunderbird.answers import answer
    from netguard.thunderbird.host import serve
    lang = language(workspace.settings.language)
    serve(sys.stdin.buffer, sys.stdout.buffer, lambda request: answer(request, workspace), lang)
    return 0


def run_install(args: argparse.Namespace, workspace: Workspace) -> int:
    from netguard.thunderbird.install import install
    lang = language(workspace.settings.language)
    done = install(Path.home(), _profile(args, lang), args.home)
    print(text("thunderbird", lang, "installed_host", path=done.manifest))
    if done.addon is None:
        print(text("thunderbird", lang, "manual_addon", path=done.package))
    else:
        print(text("thunderbird", lang, "installed_addon", path=done.addon))
    print(text("thunderbird", lang, "restart"))
    return 0


def run_uninstall(args: argparse.Namespace, workspace: Workspace) -> int:
    from netguard.thunderbird.install import uninstall
    lang = language(workspace.settings.language)
    removed = uninstall(Path.home(), _profile(args, lang))
    for path in removed:
        print(text("thunderbird", lang, "uninstalled", path=path))
    if not removed:
        print(text("thunderbird", lang, "nothing_to_remove"))
    return 0


def _profile(args: argparse.Namespace, lang: str) -> Path | None:
    """``--profile``, else the default profile, else None (the user adds the .xpi by hand)."""
    from netguard.thunderbird.profiles import default_profile
    if not args.profile:
        return default_profile(Path.home())
    folder = Path(args.profile).expanduser()
    if not folder.is_dir():
        raise UsageError(text("thunderbird", lang, "no_profile", path=folder))
    return folder
