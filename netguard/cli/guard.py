"""`netguard guard`: would this message be a fifth follow-up in a week? Exit 3 when it warns.

The exit code and ``verdict`` come from the send guard alone. With ``--body-file`` the draft
lint's findings for that text are shown too (``lint`` in the JSON, SPEC §6 lint shape).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from netguard.analysis.clock import parse_iso
from netguard.analysis.guard import check
from netguard.analysis.model import RecipientVerdict, Verdict
from netguard.analysis.serialize import verdict_to_json
from netguard.cli.output import print_json
from netguard.errors import UsageError
from netguard.texts import language, text
from netguard.workspace import Workspace

EXIT_WARN = 3


def register(sub: Any) -> None:
    parser = sub.add_parser("guard", help="check recipients before you send")
    parser.add_argument("--to", action="append", required=True, default=None)
    parser.add_argument("--cc", action="append", default=[])
    parser.add_argument("--at", help="reference time, ISO 8601 (default: now)")
    parser.add_argument("--body-file")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run_guard)


def run_guard(args: argparse.Namespace, workspace: Workspace) -> int:
    lang = language(workspace.settings.language)
    at = parse_iso(args.at)
    verdict = check(workspace.store, workspace.settings.rules, args.to, args.cc, at=at, lang=lang)
    lint = _lint(workspace, args.body_file, args.to, at) if args.body_file else None
    if args.json:
        data = verdict_to_json(verdict)
        if lint is not None:
            data["lint"] = lint
        print_json(data)
    else:
        print(render(verdict, lang, lint))
    return EXIT_WARN if verdict.warn else 0


def render(verdict: Verdict, lang: str, lint: dict[str, Any] | None = None) -> str:
    lines = [line for r in verdict.recipients for line in _recipient(r, lang)]
    if not lines:
        lines = [text("report", lang, "guard_nobody")]
    if lint and lint.get("findings"):
        lines += ["", text("report", lang, "guard_lint_heading")]
        lines += [f"* {f['text']!r}: {f['message']}\n  {f['advice']}" for f in lint["findings"]]
    return "\n".join(lines)


def _recipient(r: RecipientVerdict, lang: str) -> list[str]:
    label = "guard_warn" if r.warn else ("guard_muted" if r.muted else "guard_clear")
    numbers = text("report", lang, "guard_line", followups=r.followups_in_window,
                   days=r.window_days, limit=r.followup_limit)
    lines = [f"{text('report', lang, label):<8} {r.address}: {numbers}"]
    for f in r.findings:
        lines += [f"         {f.message}", f"         {f.advice}"]
    return lines


def _lint(workspace: Workspace, path: str, to: list[str], at: datetime | None) -> dict[str, Any]:
    """The draft lint's JSON for the body, with the To recipients' history as context."""
    # Imported only with --body-file: the guard a mail client's hook calls stays light.
    from netguard.analysis.context import recipient_context
    from netguard.lint.engine import lint
    from netguard.lint.serialize import result_to_json

    body = _read_body(path)
    rules = workspace.settings.rules
    contexts = [recipient_context(workspace.store, rules, address, at) for address in to]
    result = lint(body, recipients=contexts, competitors=workspace.settings.lint.competitors)
    return result_to_json(result)


def _read_body(path: str) -> str:
    try:
        return sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"Cannot read --body-file {path}: {err}") from err
