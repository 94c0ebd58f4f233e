"""`netguard lint`, `netguard templates`, `netguard draft`."""

from __future__ import annotations

from typing import Any

from netguard.cli.pending import not_yet


def register(sub: Any) -> None:
    lint = sub.add_parser("lint", help="check a draft for the networking pitfalls")
    lint.add_argument("file", nargs="?", default="-")
    lint.add_argument("--to", action="append", default=[])
    lint.add_argument("--lang", choices=("nl", "en", "auto"), default="auto")
    lint.add_argument("--json", action="store_true")
    lint.set_defaults(run=not_yet)
    templates = sub.add_parser("templates", help="the follow-up templates")
    templates.add_argument("--json", action="store_true")
    templates.set_defaults(run=not_yet)
    draft = sub.add_parser("draft", help="draft a follow-up from a template")
    draft.add_argument("--to", required=True)
    draft.add_argument("--template")
    draft.add_argument("--lang", choices=("nl", "en"))
    draft.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    draft.add_argument("--at")
    draft.add_argument("--json", action="store_true")
    draft.set_defaults(run=not_yet)
