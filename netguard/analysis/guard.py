"""The send guard (SPEC §1): would this message be a fifth follow-up within a week?

Each To recipient is judged on its own, from indexed queries for just that address, so a
check stays in the low milliseconds on a store of 200k messages. Cc-only recipients are not
judged: a Cc is contact, never a follow-up. A muted contact is still counted (the numbers
stay visible) but never warns and gets no notes. A neglected contact gets an
``ask-after-silence`` note (pitfall 4) and a streak ready to rest a ``let-it-rest`` note.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from netguard.analysis.clock import epoch, from_epoch, reference
from netguard.analysis.facts import ContactFacts, contact_facts, would_overload
from netguard.analysis.findings import ago, days_between, make_finding
from netguard.analysis.history import contact_events, is_contact_address, is_me, normalise
from netguard.analysis.model import Finding, RecipientVerdict, Severity, Verdict
from netguard.analysis.rules import followup_overload, let_it_rest, neglected
from netguard.settings import Rules


def check(  # noqa: PLR0917 (the public signature other modules call)
    conn: sqlite3.Connection,
    rules: Rules,
    to: Sequence[str],
    cc: Sequence[str] = (),
    at: datetime | None = None,
    lang: str = "en",
) -> Verdict:
    """The verdict for a message to ``to`` (and ``cc``) sent at ``at`` (default: now).

    ``cc`` is part of the signature so callers pass the whole message, but Cc recipients
    are not judged: a Cc is contact, never a follow-up (SPEC §1).
    """
    when = reference(at)
    judged = tuple(
        judge(conn, rules, address, when, lang) for address in _to_recipients(conn, to)
    )
    return Verdict(at=when, recipients=judged)


def judge(
    conn: sqlite3.Connection, rules: Rules, address: str, at: datetime, lang: str
) -> RecipientVerdict:
    facts = load_facts(conn, rules, address, at)
    muted = is_muted(conn, address)
    warn = would_overload(facts, rules) and not muted
    notes = () if muted else _notes(facts, rules, lang, warn)
    streak = facts.streak
    return RecipientVerdict(
        address=address,
        followups_in_window=len(facts.window_followups),
        window_days=rules.window_days,
        followup_limit=rules.followup_limit,
        warn=warn,
        streak_length=len(streak),
        streak_started=from_epoch(streak[0].time) if streak else None,
        last_reply=from_epoch(facts.last_received),
        findings=notes,
        muted=muted,
    )


def load_facts(
    conn: sqlite3.Connection, rules: Rules, address: str, at: datetime
) -> ContactFacts:
    """One contact's facts at ``at``, from indexed queries for that address only."""
    until = epoch(at)
    history = contact_events(conn, normalise(address), rules.bulk_recipients, until)
    return contact_facts(history, rules, until)


def is_muted(conn: sqlite3.Connection, address: str) -> bool:
    row = conn.execute("SELECT muted FROM contacts WHERE address = ?", (address,)).fetchone()
    return bool(row and row[0])


def _notes(facts: ContactFacts, rules: Rules, lang: str, warn: bool) -> tuple[Finding, ...]:
    notes: list[Finding] = []
    if warn:
        notes.append(followup_overload.guard_finding(facts, rules, lang))
    rest = let_it_rest.evaluate(facts, rules, lang)
    if rest is not None:
        notes.append(rest)
    if neglected.applies(facts, rules):
        notes.append(ask_after_silence(facts, lang))
    return tuple(notes)


def ask_after_silence(facts: ContactFacts, lang: str) -> Finding:
    """Pitfall 4 context for a message to a neglected contact."""
    last = facts.last_event
    assert last is not None  # only called for a neglected contact
    return make_finding(
        "ask-after-silence", 4, facts, Severity.INFO, lang, evidence=(last,),
        days=days_between(last.time, facts.at), ago=ago(last.time, facts.at, lang),
    )


def _to_recipients(conn: sqlite3.Connection, to: Sequence[str]) -> list[str]:
    """To addresses, lower-cased, once each; me and no-reply addresses are not judged."""
    seen: list[str] = []
    for raw in to:
        address = normalise(raw)
        if address in seen or not is_contact_address(address, ()) or is_me(conn, address):
            continue
        seen.append(address)
    return seen
