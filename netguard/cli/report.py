"""`netguard report`: contacts with their state, and findings."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from netguard.analysis.clock import parse_iso
from netguard.analysis.findings import display_name
from netguard.analysis.model import ContactState, Finding, Report
from netguard.analysis.report import build_report
from netguard.analysis.serialize import report_to_json
from netguard.cli.output import print_json
from netguard.terminal import fit
from netguard.texts import language, number, text
from netguard.workspace import Workspace


def register(sub: Any) -> None:
    parser = sub.add_parser("report", help="whom you pester and whom you neglect")
    parser.add_argument("--at", help="reference time, ISO 8601 (default: now)")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run_report)


def run_report(args: argparse.Namespace, workspace: Workspace) -> int:
    lang = language(workspace.settings.language)
    report = build_report(workspace.store, workspace.settings.rules, parse_iso(args.at), lang)
    if args.json:
        print_json(report_to_json(report))
    else:
        print(render(report, lang))
    return 0


def render(report: Report, lang: str) -> str:
    """The terminal view: the contacts table, then the findings with their advice."""
    if not report.contacts:
        return text("report", lang, "no_contacts")
    lines = [*_table(report.contacts, lang), "", *_findings(report.findings, lang)]
    if report.others:
        lines += ["", text("report", lang, "others", count=number(len(report.others), lang))]
    return "\n".join(lines)


# The state last: it is as long as its findings make it, and is never cut.
_ROW = "{} {:>6} {:>6} {:>10}  {:<{last}}  {}"  # the first column ``fit`` to _WHO columns
_WHO = 34


def _table(contacts: tuple[ContactState, ...], lang: str) -> list[str]:
    def t(key: str) -> str:
        return text("report", lang, key)

    last = max(10, len(t("col_last")))  # a date, or the header in the user's language
    lines = [
        text("report", lang, "heading_contacts", count=number(len(contacts), lang)),
        _ROW.format(fit(t("col_contact"), _WHO), t("col_sent"), t("col_received"), t("col_streak"),
                    t("col_last"), t("col_state"), last=last),
    ]
    for c in contacts:
        lines.append(_ROW.format(
            fit(_who(c), _WHO), c.sent, c.received, c.unanswered_streak,
            _date(max((d for d in (c.last_sent, c.last_received) if d), default=None)),
            _state(c, lang), last=last,
        ))
    return lines


def _state(contact: ContactState, lang: str) -> str:
    if contact.muted:
        return text("report", lang, "state_muted")
    keys = contact.status or ("ok",)
    return ", ".join(text("report", lang, f"state_{key}") for key in keys)


def _findings(findings: tuple[Finding, ...], lang: str) -> list[str]:
    if not findings:
        return [text("report", lang, "no_findings")]
    lines = [text("report", lang, "heading_findings")]
    for f in findings:
        pitfall = text("report", lang, "pitfall", number=f.pitfall)
        lines += ["", f"* {f.contact} ({pitfall}, {f.rule})", f"  {f.message}", f"  {f.advice}"]
    return lines


def _who(contact: ContactState) -> str:
    name = display_name(contact.name, contact.address)
    return contact.address if name == contact.address else f"{name} <{contact.address}>"


def _date(when: datetime | None) -> str:
    return when.date().isoformat() if when else "-"
