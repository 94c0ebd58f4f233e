"""The send guard, clause by clause (SPEC §1 "The send guard", "Unanswered streak", "Window")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from analysis_mailbox import T0, Mailbox, days

from netguard.analysis.guard import check
from netguard.settings import Rules

FRANK = "frank@example.com"
RULES = Rules()


def followups(box: Mailbox, n: int, start: float = 5.0, step: float = 1.0, to: str = FRANK) -> None:
    """An opener ``start`` days before T0, then ``n`` follow-ups ``step`` days apart."""
    for i in range(n + 1):
        box.sent(to, T0 - days(start) + days(step * i))


def verdict_for(box: Mailbox, at=T0, to=(FRANK,), cc=(), rules=RULES):
    return check(box.conn, rules, list(to), list(cc), at=at)


@pytest.mark.parametrize(("n", "warns"), [(0, False), (1, False), (3, False), (4, True), (6, True)])
def test_fifth_followup_in_a_week_warns(n: int, warns: bool) -> None:
    box = Mailbox()
    followups(box, n, start=6.0, step=1.0)
    verdict = verdict_for(box, at=T0 + timedelta(hours=1))
    (frank,) = verdict.recipients
    assert frank.followups_in_window == n
    assert frank.warn is warns
    assert verdict.warn is warns
    assert frank.streak_length == n + 1
    assert [f.rule for f in frank.findings] == (["followup-overload"] if warns else [])
