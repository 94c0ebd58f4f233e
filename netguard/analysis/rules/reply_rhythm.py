"""``give-it-time`` and ``follow-up-now`` (pitfall 7, issue 19): my message awaits their
answer, judged by how fast *this* contact usually answers.

Within their usual delay (up to ``Rhythm.patience``) the advice is patience; once the wait is
clearly longer and I sent only the one message, exactly one friendly follow-up is fine, until
the wait passes the neglect limit (``Rules.neglect_after_days``): after months the moment for a
follow-up on that message has passed, and ``neglected`` speaks for the relationship (reconnect
with interest, no ask). With too little history neither applies: the contact is simply awaiting
a reply (SPEC §1); nor when my mail was my answer to theirs, sent within the same conversation.
"""

from __future__ import annotations

from netguard.analysis.facts import DAY, ContactFacts
from netguard.analysis.findings import ago, days_between, make_finding, silence
from netguard.analysis.model import Finding, Severity
from netguard.analysis.rhythm import (
    CONVERSATION_PAUSE,
    Rhythm,
    outwaits_any_rhythm,
    replies_only,
    waited,
)
from netguard.settings import Rules
from netguard.texts import text

DEFAULT_RULES = Rules()
GIVE_IT_TIME = "give-it-time"
FOLLOW_UP_NOW = "follow-up-now"
PITFALL = 7


def state(facts: ContactFacts, rules: Rules = DEFAULT_RULES) -> str | None:
    """``give-it-time``, ``follow-up-now`` or None (no streak, loop closed, rhythm unknown,
    or past their patience with a follow-up sent already or the neglect limit passed)."""
    judged = _judge(facts, rules)
    return judged[0] if judged else None


def _judge(facts: ContactFacts, rules: Rules) -> tuple[str, Rhythm] | None:
    wait = waited(facts)
    if wait is None or facts.closed is not None or answered_them(facts):
        return None
    follow_up = len(facts.streak) == 1 and wait <= rules.neglect_after_days * DAY
    if not follow_up and outwaits_any_rhythm(facts):
        return None  # past their patience, and no follow-up to suggest: neither applies
    found = replies_only(facts)
    patience = found.patience
    if patience is None:
        return None
    if wait <= patience:
        return GIVE_IT_TIME, found
    return (FOLLOW_UP_NOW, found) if follow_up else None


def answered_them(facts: ContactFacts) -> bool:
    """Whether my unanswered mail began as my answer in their conversation (sent within
    ``CONVERSATION_PAUSE`` of their last message): then the last word was simply mine."""
    last = facts.last_received
    return last is not None and facts.streak[0].time - last <= CONVERSATION_PAUSE


def evaluate(facts: ContactFacts, rules: Rules, lang: str) -> Finding | None:
    judged = _judge(facts, rules)
    if judged is None:
        return None
    rule, found = judged
    last = facts.streak[-1]
    return make_finding(
        rule, PITFALL, facts, Severity.INFO, lang, evidence=(last,),
        usual=usual_delay(found, lang), count=found.replies.count,
        ago=ago(last.time, facts.at, lang),
        waited=silence(days_between(last.time, facts.at), lang),
    )


def usual_delay(found: Rhythm, lang: str) -> str:
    """ "1–3 days" / "1–3 dagen"; "a day" when both ends are one day."""
    low, high = found.replies.day_range()
    if high <= 1:
        return text("guard", lang, "rhythm_one_day")
    if low == high:
        return text("guard", lang, "rhythm_days", days=high)
    return text("guard", lang, "rhythm_day_range", low=low, high=high)


def usual_gap_days(found: Rhythm) -> int:
    return max(1, round(found.gaps.median / DAY))
