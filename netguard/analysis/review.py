"""The weekly networking review (issue 19, SPEC §6 ``review``): whom to reconnect with, whom
to thank or help back, which streaks to let rest, where one follow-up is now fine, and what
went well. Each item has its reason (the rule's own sentence, with its numbers) and the
template to start from; the order puts the hour's best use first.

Built on the report (the same rules, nothing decided twice) plus the user's keep-in-touch
cadences. One item per contact to act on (the most pressing kind); *went well* comes last:
a relationship revived this week (``revival``), else a reply this week.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from netguard.analysis.cadence import is_due
from netguard.analysis.clock import epoch, reference
from netguard.analysis.facts import DAY, contact_facts
from netguard.analysis.findings import ago, display_name
from netguard.analysis.history import contact_events
from netguard.analysis.model import ContactState, Finding, Report
from netguard.analysis.report import build_report
from netguard.analysis.revival import revived_silence
from netguard.settings import Rules
from netguard.store.closings import by_address
from netguard.store.people import cadences
from netguard.texts import text


class Kind(StrEnum):
    FOLLOW_UP_NOW = "follow-up-now"
    GIVE_BACK = "give-back"
    CADENCE_DUE = "cadence-due"
    DRIFTING = "drifting"
    NEGLECTED = "neglected"
    LET_IT_REST = "let-it-rest"
    WENT_WELL = "went-well"


# The order of the review: what loses most by waiting first; good news last.
ORDER = tuple(Kind)
# Which report rule makes which kind, and the template it recommends.
FROM_RULE = {"follow-up-now": Kind.FOLLOW_UP_NOW, "unreciprocated": Kind.GIVE_BACK,
             "drifting": Kind.DRIFTING, "neglected": Kind.NEGLECTED,
             "let-it-rest": Kind.LET_IT_REST}
TEMPLATES: dict[Kind, str | None] = {
    Kind.FOLLOW_UP_NOW: "first-followup", Kind.GIVE_BACK: "give-back",
    Kind.CADENCE_DUE: "reconnect", Kind.DRIFTING: "reconnect", Kind.NEGLECTED: "reconnect",
    Kind.LET_IT_REST: "close-the-loop", Kind.WENT_WELL: None,
}


@dataclass(frozen=True, slots=True)
class ReviewItem:
    address: str
    name: str
    kind: Kind
    reason: str
    template: str | None  # None: nothing to send (went well, or the loop is closed already)


@dataclass(frozen=True, slots=True)
class Review:
    at: datetime
    items: tuple[ReviewItem, ...]


SHOWN = 20  # the items a person reads in their networking hour; the rest are counted


def build_review(conn: sqlite3.Connection, rules: Rules, at: datetime | None = None,
                 lang: str = "en") -> Review:
    return review_of(conn, build_report(conn, rules, reference(at), lang), rules, lang)


def review_of(conn: sqlite3.Connection, report: Report, rules: Rules,
              lang: str = "en") -> Review:
    """The review at the report's moment, from the report (the app's window has one built: the
    review does not build it again)."""
    when = report.at
    chosen, closed = cadences(conn), by_address(conn)
    findings = _by_contact(report.findings)
    todo: list[tuple[int, int, ReviewItem]] = []
    good: list[tuple[int, ReviewItem]] = []
    seen: set[str] = set()
    for contact in report.contacts:
        seen.add(contact.address)
        item = _to_do(contact, findings.get(contact.address, ()), chosen, closed, when=when,
                      lang=lang)
        if item is not None:
            todo.append((ORDER.index(item.kind), -(contact.sent + contact.received), item))
        if (well := _went_well(conn, contact, rules, when, lang)) is not None:
            good.append((-epoch(contact.last_received or when), well))
    for address in sorted(set(chosen) - seen):  # a cadence for someone with no mail yet
        item = _cadence_item(address, "", chosen[address], None, when=when, lang=lang)
        todo.append((ORDER.index(Kind.CADENCE_DUE), 0, item))
    todo.sort(key=lambda row: (row[0], row[1], row[2].address))
    good.sort(key=lambda row: (row[0], row[1].address))
    return Review(when, tuple(row[2] for row in todo) + tuple(row[1] for row in good))


def _by_contact(findings: tuple[Finding, ...]) -> dict[str, tuple[Finding, ...]]:
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.contact, []).append(finding)
    return {address: tuple(found) for address, found in grouped.items()}


def _to_do(contact: ContactState, findings: tuple[Finding, ...], chosen: dict[str, str],
           closed: dict[str, frozenset[str]], *, when: datetime,
           lang: str) -> ReviewItem | None:
    """The contact's most pressing item, if any."""
    items = [_rule_item(contact, f, closed) for f in findings if f.rule in FROM_RULE]
    code = chosen.get(contact.address)
    last = _last_exchange(contact)
    if code is not None and is_due(code, last, epoch(when)):
        items.append(_cadence_item(contact.address, contact.name, code, last, when=when,
                                   lang=lang))
    return min(items, key=lambda item: ORDER.index(item.kind), default=None)


def _rule_item(contact: ContactState, finding: Finding,
               closed: dict[str, frozenset[str]]) -> ReviewItem:
    kind = FROM_RULE[finding.rule]
    template = TEMPLATES[kind]
    closings = closed.get(contact.address, frozenset())
    if kind is Kind.LET_IT_REST and closings.intersection(finding.evidence):
        template = None  # the loop is closed already: nothing more to send
    return ReviewItem(contact.address, contact.name, kind,
                      f"{finding.message} {finding.advice}", template)


def _cadence_item(address: str, name: str, code: str, last: int | None, *, when: datetime,
                  lang: str) -> ReviewItem:
    values = {"name": display_name(name, address),
              "cadence": text("report", lang, f"cadence_{code}")}
    if last is None:
        reason = text("review", lang, "cadence_never", **values)
    else:
        reason = text("review", lang, "cadence_due", ago=ago(last, epoch(when), lang), **values)
    return ReviewItem(address, name, Kind.CADENCE_DUE, reason, TEMPLATES[Kind.CADENCE_DUE])


def _went_well(conn: sqlite3.Connection, contact: ContactState, rules: Rules, when: datetime,
               lang: str) -> ReviewItem | None:
    """We reconnected this week after a neglected or drifting silence, or else they wrote
    back this week (to someone I had written to)."""
    if (revived := _revived(conn, contact, rules, when, lang)) is not None:
        return revived
    last = contact.last_received
    if last is None or not contact.sent or (when - last).days >= rules.window_days:
        return None
    reason = text("review", lang, "went_well", name=display_name(contact.name, contact.address),
                  ago=ago(epoch(last), epoch(when), lang), count=contact.received)
    return ReviewItem(contact.address, contact.name, Kind.WENT_WELL, reason, None)


def _revived(conn: sqlite3.Connection, contact: ContactState, rules: Rules, when: datetime,
             lang: str) -> ReviewItem | None:
    """Only a contact with mail of this week has its history loaded again."""
    last, now = _last_exchange(contact), epoch(when)
    if last is None or now - last >= rules.window_days * DAY:
        return None
    history = contact_events(conn, contact.address, rules.bulk_recipients, now)
    quiet = revived_silence(contact_facts(history, rules, now), rules)
    if quiet is None:
        return None
    reason = text("review", lang, "went_well_revived",
                  name=display_name(contact.name, contact.address), span=_span(quiet, lang))
    return ReviewItem(contact.address, contact.name, Kind.WENT_WELL, reason, None)


def _span(seconds: int, lang: str) -> str:
    """A silence in months from two months on ("4 months"), else in weeks ("5 weeks")."""
    days = seconds // DAY
    if days >= 60:
        return text("review", lang, "span_months", months=days // 30)
    return text("review", lang, "span_weeks", weeks=days // 7)


def _last_exchange(contact: ContactState) -> int | None:
    times = [epoch(t) for t in (contact.last_sent, contact.last_received) if t is not None]
    return max(times, default=None)


def review_to_json(review: Review) -> dict[str, Any]:
    """SPEC §6 ``review``."""
    return {
        "at": review.at.isoformat(),
        "items": [{"address": item.address, "name": item.name, "kind": item.kind.value,
                   "reason": item.reason, "template": item.template} for item in review.items],
    }
