"""What the history says about one recipient, for the draft lint and the templates."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from netguard.analysis.clock import reference
from netguard.analysis.facts import ContactFacts, would_overload
from netguard.analysis.findings import days_between, first_name
from netguard.analysis.guard import is_muted, load_facts
from netguard.analysis.model import RecipientContext
from netguard.analysis.rules import let_it_rest, neglected, unreciprocated
from netguard.settings import Rules


def recipient_context(
    conn: sqlite3.Connection, rules: Rules, address: str, at: datetime | None = None
) -> RecipientContext:
    """The history with ``address`` at ``at`` (default now); indexed queries only.

    The flags tell the truth even for a muted contact; ``muted`` says whether to stay quiet.
    """
    facts = load_facts(conn, rules, address, reference(at))
    last = facts.last_event
    return RecipientContext(
        address=facts.address,
        name=facts.name,
        first_name=first_name(facts.name),
        has_history=last is not None,
        neglected=neglected.applies(facts, rules),
        let_it_rest=let_it_rest.applies(facts, rules),
        guard_warns=would_overload(facts, rules),
        unreciprocated=unreciprocated.applies(facts, rules),
        streak_length=len(facts.streak),
        days_since_last_sent=_days_since(facts, facts.last_sent),
        days_since_last_reply=_days_since(facts, facts.last_received),
        last_subject=last.subject if last else "",
        last_message_id=last.message_id if last else "",
        muted=is_muted(conn, facts.address),
    )


def _days_since(facts: ContactFacts, time: int | None) -> int | None:
    return None if time is None else days_between(time, facts.at)
