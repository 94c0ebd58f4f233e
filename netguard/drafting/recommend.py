"""Which template fits a contact, and the values a template sees (SPEC §3)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from netguard.analysis.model import RecipientContext

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def recommend(ctx: RecipientContext) -> str:
    """The template for the contact's state, most pressing reason first."""
    if ctx.guard_warns or ctx.let_it_rest:
        return "close-the-loop"  # pitfall 7: a fifth follow-up, or a long unanswered streak
    if ctx.neglected:
        return "reconnect"  # pitfall 4: interest first, no ask
    if not ctx.has_history:
        return "cold-intro"  # pitfall 5: say why this person
    if ctx.unreciprocated:
        return "give-back"  # pitfall 2: answer them first
    return "first-followup" if ctx.streak_length <= 1 else "value-followup"


def _clean(value: str) -> str:
    """Mail-derived text on one line: no control characters, no line breaks."""
    return " ".join(_CONTROL.sub(" ", value).split())


def template_context(ctx: RecipientContext, me_name: str,
                     extra: Mapping[str, str]) -> dict[str, object]:
    """The values every template sees: the contact, the history, my name, the user's fields."""
    name = _clean(ctx.name)
    first_name = _clean(ctx.first_name) or (name.split()[0] if name else "")
    values: dict[str, object] = {
        "name": name,
        "first_name": first_name,
        "address": _clean(ctx.address),
        "days_since_last_sent": ctx.days_since_last_sent,
        "days_since_last_reply": ctx.days_since_last_reply,
        "last_subject": _clean(ctx.last_subject),
        "streak_length": ctx.streak_length,
        "me_name": _clean(me_name),
    }
    values.update(extra)
    return values
