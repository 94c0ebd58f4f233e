"""`netguard review [--at ISO] [--json] [--calendar FILE.ics [--day mon..sun] [--time HH:MM]]`:
the weekly networking review, and the networking hour as a calendar event."""

from __future__ import annotations

import argparse
from typing import Any

from netguard.analysis.clock import parse_iso
from netguard.analysis.review import Review, build_review, review_to_json
from netguard.cli.output import print_json
from netguard.texts import language, text
from netguard.workspace import Workspace


def register(sub: Any) -> None:
    parser = sub.add_parser("review", help="the weekly networking review")
    parser.add_argument("--at", help="reference time, ISO 8601 (default: now)")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run_review)


def run_review(args: argparse.Namespace, workspace: Workspace) -> int:
    lang = language(workspace.settings.language)
    review = build_review(workspace.store, workspace.settings.rules, parse_iso(args.at), lang)
    if args.json:
        print_json(review_to_json(review))
    else:
        print(render(review, lang))
    return 0


def render(review: Review, lang: str) -> str:
    """The terminal view: numbered items, each with its reason and the draft to start from."""
    if not review.items:
        return text("review", lang, "empty")
    lines = [text("review", lang, "heading", date=review.at.date().isoformat(),
                  count=len(review.items))]
    for number, item in enumerate(review.items, 1):
        who = f"{item.name} <{item.address}>" if item.name else item.address
        lines += ["", f"{number}. {text('review', lang, f'kind_{item.kind}')}: {who}",
                  f"   {item.reason}"]
        if item.template:
            command = f"netguard draft --to {item.address} --template {item.template}"
            lines.append("   " + text("review", lang, "template", command=command))
    return "\n".join(lines)
