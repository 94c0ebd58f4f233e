"""`netguard lint`, `netguard templates`, `netguard draft`."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from netguard.analysis.clock import parse_iso
from netguard.analysis.context import recipient_context
from netguard.analysis.model import RecipientContext
from netguard.cli.output import print_json
from netguard.errors import UsageError
from netguard.lint.annotate import annotate
from netguard.lint.engine import lint
from netguard.lint.serialize import result_to_json
from netguard.store.people import my_names
from netguard.terminal import raw
from netguard.texts import language, text
from netguard.workspace import Workspace

if TYPE_CHECKING:
    from netguard.drafting.templates import TemplateInfo

EXIT_FINDINGS = 3


def register(sub: Any) -> None:
    parser = sub.add_parser("lint", help="check a draft for the networking pitfalls")
    parser.add_argument("file", nargs="?", default="-", help="the draft (default: stdin)")
    parser.add_argument("--to", action="append", default=[], help="a recipient (repeatable)")
    parser.add_argument("--lang", choices=("nl", "en", "auto"), default="auto")
    parser.add_argument("--subject", help="the subject line, for the clarity notes")
    parser.add_argument("--at", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run_lint)
    templates = sub.add_parser("templates", help="the follow-up templates")
    templates.add_argument("--json", action="store_true")
    templates.set_defaults(run=run_templates)
    draft = sub.add_parser("draft", help="draft a follow-up from a template")
    draft.add_argument("--to", required=True)
    draft.add_argument("--template", help="template name (default: recommended for the contact)")
    draft.add_argument("--lang", choices=("nl", "en"))
    draft.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    draft.add_argument("--at", help="reference time, ISO 8601 (default: now)")
    draft.add_argument("--json", action="store_true")
    draft.set_defaults(run=run_draft)


def _read_draft(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"cannot read the draft {name}: {err}") from err


def _context(workspace: Workspace, address: str, at: datetime | None) -> RecipientContext:
    return recipient_context(workspace.store, workspace.settings.rules, address, at)


def run_lint(args: argparse.Namespace, workspace: Workspace) -> int:
    draft = _read_draft(args.file)
    at = parse_iso(args.at)
    recipients = [_context(workspace, address, at) for address in args.to]
    result = lint(draft, language=args.lang, recipients=recipients,
                  competitors=workspace.settings.lint.competitors,
                  my_names=my_names(workspace.store), subject=args.subject)
    if args.json:
        print_json(result_to_json(result))
    else:
        # its marks are NetGuard's own escapes; the draft's text in it is made safe
        raw(sys.stdout).write(annotate(draft, result, terminal=sys.stdout.isatty()))
    return EXIT_FINDINGS if result.findings else 0


def _template_json(info: TemplateInfo) -> dict[str, Any]:
    return {"name": info.name, "language": info.language, "situation": info.situation,
            "variables": list(info.variables), "needs": list(info.needs),
            "source": info.source, "description": info.description, "path": str(info.path)}


def run_templates(args: argparse.Namespace, workspace: Workspace) -> int:
    from netguard.drafting.templates import list_templates  # jinja2: not for `lint`

    found = list_templates(workspace.profile.templates_dir)
    if args.json:
        print_json({"templates": [_template_json(t) for t in found]})
        return 0
    lang = language(workspace.settings.language)
    rows = [text("drafting", lang, "columns").split("|")]
    rows += [[t.name, t.language, t.situation,
              ", ".join(f"{v}*" if v in t.needs else v for v in t.variables) or "-",
              text("drafting", lang, t.source)] for t in found]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return 0


def _pairs(items: list[str]) -> dict[str, str]:
    values = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip().isidentifier():
            raise UsageError(f"--set {item!r}: use KEY=VALUE, e.g. --set reason='I read your post'")
        values[key.strip()] = value
    return values


def run_draft(args: argparse.Namespace, workspace: Workspace) -> int:
    from netguard.drafting.templates import recommend, render, template_context  # jinja2

    ctx = _context(workspace, args.to, parse_iso(args.at))
    lang = args.lang or language(workspace.settings.language)
    name = args.template or recommend(ctx)
    extra = _pairs(args.set)
    names = my_names(workspace.store)
    me_name = extra.pop("me_name", names[0] if names else "")
    draft = render(name, lang, template_context(ctx, me_name, extra),
                   workspace.profile.templates_dir)
    text_of_draft = f"{draft.subject}\n\n{draft.body}"
    check = lint(text_of_draft, language=draft.language, recipients=[ctx],
                 competitors=workspace.settings.lint.competitors, my_names=names)
    if args.json:
        print_json({"template": draft.template, "language": draft.language,
                    "subject": draft.subject, "body": draft.body,
                    "lint": result_to_json(check)["findings"]})
        return 0
    if args.template:
        note = text("drafting", lang, "template_used", name=name, language=draft.language)
    else:
        why = text("drafting", lang, "why_" + name.replace("-", "_"))
        note = text("drafting", lang, "template_recommended", name=name, language=draft.language,
                    why=why)
    print(note, file=sys.stderr)
    if not ctx.has_history and not args.template:
        print(text("drafting", lang, "no_history"), file=sys.stderr)
    if check.findings:
        sys.stderr.write(annotate(text_of_draft, check, terminal=False))
    print(f"Subject: {draft.subject}\n\n{draft.body}", end="")
    return 0
