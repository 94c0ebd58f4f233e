"""The send guard (SPEC §1): would this message be a fifth follow-up within a week?

Each To recipient is judged on its own, from indexed queries for just that address, so a
check stays in the low milliseconds on a store of 200k messages. Cc-only recipients are not
judged: a Cc is contact, never a follow-up. A muted contact is still counted (the numbers
stay visible) but never warns and gets no notes. A neglected contact gets an
``ask-after-silence`` note (pitfall 4) and a streak ready to rest a ``let-it-rest`` note.

A message that closes the loop (SPEC §1 "Closing the loop") is the advice, not another push:
for a recipient in ``closing_for`` it does not warn, once per streak. When a message of the
streak already closed the loop, a second one is judged like any other follow-up.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Sequence
from datetime import datetime

from netguard.analysis.clock import epoch, from_epoch, reference
from netguard.analysis.facts import ContactFacts, contact_facts, would_overload
from netguard.analysis.findings import ago, days_between, make_finding
from netguard.analysis.history import contact_events, is_contact_address, is_me, normalise
from netguard.analysis.model import Finding, RecipientVerdict, Severity, Verdict
from netguard.analysis.rules import followup_overload, let_it_rest, neglected
from netguard.settings import Rules
from netguard.store import closings


def check(  # noqa: PLR0917 (the public signature other modules call)
    conn: sqlite3.Connection,
    rules: Rules,
    to: Sequence[str],
    cc: Sequence[str] = (),
    at: datetime | None = None,
    lang: str = "en",
    closing_for: Collection[str] = (),
) -> Verdict:
    """The verdict for a message to ``to`` (and ``cc``) sent at ``at`` (default: now).

    ``cc`` is part of the signature so callers pass the whole message, but Cc recipients
    are not judged: a Cc is contact, never a follow-up (SPEC §1). ``closing_for``: the To
    addresses this message is sent to as the close-the-loop.
    """
    when = reference(at)
    closing = {normalise(address) for address in closing_for}
    judged = tuple(
        judge(conn, rules, address, when, lang, closing=address in closing)
        for address in _to_recipients(conn, to)
    )
    return Verdict(at=when, recipients=judged)


def judge(
    conn: sqlite3.Connection, rules: Rules, address: str, at: datetime, lang: str,
    *, closing: bool = False,
) -> RecipientVerdict:
    return judge_facts(conn, rules, load_facts(conn, rules, address, at), lang, closing=closing)


def judge_facts(
    conn: sqlite3.Connection, rules: Rules, facts: ContactFacts, lang: str,
    *, closing: bool = False,
) -> RecipientVerdict:
    """The verdict from facts already loaded (the contact pane also needs them for the rhythm)."""
    address = facts.address
    muted = is_muted(conn, address)
    closes = closing and facts.closed is None  # one closing message per streak
    warn = would_overload(facts, rules) and not muted and not closes
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
        closing=closes,
        closed_at=from_epoch(facts.closed.time) if facts.closed else None,
    )


def load_facts(
    conn: sqlite3.Connection, rules: Rules, address: str, at: datetime
) -> ContactFacts:
    """One contact's facts at ``at``, from indexed queries for that address only."""
    until, key = epoch(at), normalise(address)
    history = contact_events(conn, key, rules.bulk_recipients, until)
    return contact_facts(history, rules, until, closings.message_ids(conn, key))


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
