"""The relationship report: every contact's state and the findings of the history rules.

Every contact's history from the summary kept beside the messages (``summary``),
the senders that are not people set apart (``others``), then the pure rules per contact.
Muted contacts keep their row (marked muted) but get no status and no findings.
Rows needing attention come first: warnings, then notes, then the most recent contact.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from netguard import collector
from netguard.analysis.clock import epoch, from_epoch, reference
from netguard.analysis.facts import ContactFacts, contact_facts
from netguard.analysis.model import ContactState, Finding, Report, Severity
from netguard.analysis.others import split_others
from netguard.analysis.rules import evaluate_all
from netguard.analysis.summary import contact_histories
from netguard.settings import Rules
from netguard.store.closings import by_address
from netguard.store.people import muted_contacts, my_addresses


def build_report(
    conn: sqlite3.Connection, rules: Rules, at: datetime | None = None, lang: str = "en"
) -> Report:
    with collector.paused():
        return _build_report(conn, rules, at, lang)


def _build_report(
    conn: sqlite3.Connection, rules: Rules, at: datetime | None, lang: str
) -> Report:
    when = reference(at)
    until = epoch(when)
    muted = muted_contacts(conn)
    closed = by_address(conn)
    me = my_addresses(conn)
    histories = contact_histories(conn, rules.bulk_recipients, until, me)
    others = split_others(conn, histories, me, rules.bulk_recipients, until)
    rows: list[tuple[tuple[int, int], ContactState, tuple[Finding, ...]]] = []
    for history in histories.values():
        facts = contact_facts(history, rules, until, closed.get(history.address, ()))
        findings = () if facts.address in muted else evaluate_all(facts, rules, lang)
        state = contact_state(facts, findings, facts.address in muted)
        rows.append((_attention(findings, facts), state, findings))
    rows.sort(key=lambda row: (row[0], row[1].address))
    return Report(
        at=when,
        contacts=tuple(row[1] for row in rows),
        findings=tuple(f for row in rows for f in row[2]),
        others=tuple(others),
    )


def contact_state(
    facts: ContactFacts, findings: tuple[Finding, ...], muted: bool = False
) -> ContactState:
    return ContactState(
        address=facts.address,
        name=facts.name,
        sent=facts.sent,
        received=facts.received,
        last_sent=from_epoch(facts.last_sent),
        last_received=from_epoch(facts.last_received),
        unanswered_streak=len(facts.streak),
        followups_in_window=len(facts.window_followups),
        status=tuple(f.rule for f in findings),
        muted=muted,
    )


def _attention(findings: tuple[Finding, ...], facts: ContactFacts) -> tuple[int, int]:
    """Sort key: warnings first, then notes, then the rest; recent contact first within."""
    warns = any(f.severity is Severity.WARN for f in findings)
    rank = 0 if warns else (1 if findings else 2)
    return rank, -(facts.last_exchange or 0)
