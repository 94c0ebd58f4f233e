"""The history rules of SPEC §1, each on its own (followup-overload, let-it-rest, neglected,
burst-after-silence, unreciprocated)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from analysis_mailbox import T0, Mailbox, days

from netguard.analysis.guard import load_facts
from netguard.analysis.model import Finding, Severity
from netguard.analysis.rules import (
    burst_after_silence,
    evaluate_all,
    followup_overload,
    let_it_rest,
    neglected,
    unreciprocated,
)
from netguard.settings import Rules

FRANK = "frank@example.com"
RULES = Rules()
HOUR = timedelta(hours=1)
Script = Callable[[Mailbox], None]


def run(rule: Callable[..., Finding | None], script: Script, at: datetime = T0,
        rules: Rules = RULES, lang: str = "en") -> Finding | None:
    box = Mailbox()
    script(box)
    return rule(load_facts(box.conn, rules, FRANK, at), rules, lang)


def sends(*days_ago: float, cc: bool = False) -> Script:
    def script(box: Mailbox) -> None:
        for d in days_ago:
            if cc:
                box.sent("anna@example.com", T0 - days(d), cc=FRANK)
            else:
                box.sent(FRANK, T0 - days(d))
    return script


def replies(*days_ago: float, extra: str = "") -> Script:
    def script(box: Mailbox) -> None:
        for d in days_ago:
            box.received(FRANK, T0 - days(d), extra=extra)
    return script


def both(*scripts: Script) -> Script:
    def script(box: Mailbox) -> None:
        for s in scripts:
            s(box)
    return script


# followup-overload (pitfall 7) ---------------------------------------------------------

@pytest.mark.parametrize(
    ("script", "fires"),
    [
        (sends(6, 5, 4, 3, 2), True),  # opener + 4 follow-ups in the week
        (sends(6, 5, 4, 3), False),  # opener + 3
        (sends(20, 5, 4, 3, 2), True),  # an old opener: the follow-ups still count
        (sends(8, 7.5, 5, 4, 3), False),  # one follow-up fell out of the window
        (both(sends(6, 5, 4, 3, 2), replies(1)), False),  # they replied
        (both(sends(6, 5, 4, 3, 2), replies(1, extra="X-Autoreply: yes")), True),
        (sends(6, 5, 4, 3, 2, cc=True), False),  # Cc-only is no follow-up
    ],
)
def test_followup_overload(script: Script, fires: bool) -> None:
    finding = run(followup_overload.evaluate, script)
    assert (finding is not None) is fires
    if finding:
        assert (finding.pitfall, finding.rule, finding.severity) == (
            7, "followup-overload", Severity.WARN)
        assert finding.contact == FRANK
        assert len(finding.evidence) == 4


# let-it-rest (pitfall 7) ---------------------------------------------------------------

@pytest.mark.parametrize(
    ("script", "fires"),
    [
        (sends(60, 45, 30, 15), True),  # 3 follow-ups, the last 15 days ago
        (sends(60, 45, 30, 13), False),  # the last one only 13 days ago: still waiting
        (sends(60, 45, 15), False),  # only 2 follow-ups
        (sends(80, 60, 45, 30, 20), True),
        (both(sends(60, 45, 30, 15), replies(14)), False),  # they answered
        (sends(60, 45, 30, 15, cc=True), False),
    ],
)
def test_let_it_rest(script: Script, fires: bool) -> None:
    finding = run(let_it_rest.evaluate, script)
    assert (finding is not None) is fires
    if finding:
        assert (finding.pitfall, finding.rule, finding.severity) == (7, "let-it-rest",
                                                                     Severity.INFO)


def test_let_it_rest_thresholds_come_from_settings() -> None:
    rules = Rules(rest_after=2, rest_quiet_days=7)
    assert run(let_it_rest.evaluate, sends(30, 20, 10), rules=rules) is not None
    assert run(let_it_rest.evaluate, sends(30, 20, 6), rules=rules) is None


# neglected (pitfall 4) -----------------------------------------------------------------

@pytest.mark.parametrize(
    ("script", "fires"),
    [
        (both(sends(300, 200), replies(250, 91)), True),  # a relationship, last 91 days ago
        (both(sends(300, 200), replies(250, 89)), False),  # 89 days: not yet
        (both(sends(300, 95), replies(250, 200)), True),  # the last exchange was mine
        (both(sends(300, 200), replies(250)), False),  # one reply: no relationship
        (both(sends(300), replies(250, 200)), False),  # one message of mine
        (both(sends(300, 200), replies(250, 200, extra="Auto-Submitted: auto-replied")),
         False),  # auto-replies are no relationship
        (both(sends(300, 200, cc=True), replies(250, 150)), True),  # Cc is contact
    ],
)
def test_neglected(script: Script, fires: bool) -> None:
    finding = run(neglected.evaluate, script)
    assert (finding is not None) is fires
    if finding:
        assert (finding.pitfall, finding.rule) == (4, "neglected")


def test_neglected_respects_relationship_min() -> None:
    script = both(sends(300, 200, 150), replies(250, 200, 150))
    assert run(neglected.evaluate, script, rules=Rules(relationship_min=3)) is not None
    assert run(neglected.evaluate, script, rules=Rules(relationship_min=4)) is None


# burst-after-silence (pitfall 4) -------------------------------------------------------

OLD_FRIENDS = both(sends(400, 380), replies(390, 370))


@pytest.mark.parametrize(
    ("script", "fires"),
    [
        (both(OLD_FRIENDS, sends(5, 3, 1)), True),  # 366 days of silence, 3 in one week
        (both(OLD_FRIENDS, sends(5, 1)), False),  # only 2
        (both(OLD_FRIENDS, sends(20, 10, 1)), False),  # 3, but spread over 3 weeks
        (both(OLD_FRIENDS, sends(40, 20, 6, 3, 1)), True),  # later 3 within one week
        (both(OLD_FRIENDS, sends(5, 3, 1), replies(0.5)), False),  # they answered
        (both(sends(400, 380), replies(390), sends(5, 3, 1)), False),  # no relationship
        (both(OLD_FRIENDS, replies(80), sends(5, 3, 1)), False),  # silence only 80 days
        (both(OLD_FRIENDS, sends(5, 3, 1, cc=True)), False),  # Cc-only is no bombarding
    ],
)
def test_burst_after_silence(script: Script, fires: bool) -> None:
    finding = run(burst_after_silence.evaluate, script)
    assert (finding is not None) is fires
    if finding:
        assert (finding.pitfall, finding.rule, finding.severity) == (
            4, "burst-after-silence", Severity.WARN)
        assert len(finding.evidence) >= 3


# unreciprocated (pitfall 2) ------------------------------------------------------------

@pytest.mark.parametrize(
    ("script", "fires"),
    [
        (replies(60, 30, 10), True),  # three messages, no answer
        (replies(60, 30), False),  # two
        (replies(100, 30, 10), False),  # one of them is older than 90 days
        (both(replies(60, 30, 10), sends(50)), False),  # I answered the first
        (both(replies(60, 30, 10), sends(5)), False),  # I answered (late, but I did)
        (both(sends(100), replies(60, 30, 10)), True),  # my message came before theirs
        (both(replies(60, 30, 10), sends(5, cc=True)), False),  # a Cc answers too
        (replies(60, 30, 10, extra="Precedence: bulk"), False),  # automatic mail
    ],
)
def test_unreciprocated(script: Script, fires: bool) -> None:
    finding = run(unreciprocated.evaluate, script)
    assert (finding is not None) is fires
    if finding:
        assert (finding.pitfall, finding.rule, finding.severity) == (
            2, "unreciprocated", Severity.WARN)
        assert len(finding.evidence) == 3


# all rules, both languages --------------------------------------------------------------

EVERYTHING = {
    "followup-overload": sends(6, 5, 4, 3, 2),
    "let-it-rest": sends(60, 45, 30, 15),
    # silent far past their usual pause too (issue 19: a usual silence is not neglect)
    "neglected": both(sends(300, 200), replies(250, 180)),
    "burst-after-silence": both(OLD_FRIENDS, sends(5, 3, 1)),
    "unreciprocated": replies(60, 30, 10),
}


@pytest.mark.parametrize("rule", sorted(EVERYTHING))
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_rule_explains_itself_in_both_languages(rule: str, lang: str) -> None:
    box = Mailbox()
    EVERYTHING[rule](box)
    box.received(f"Frank Jansen <{FRANK}>", T0 - days(400))  # a display name to speak to
    found = evaluate_all(load_facts(box.conn, RULES, FRANK, T0), RULES, lang)
    finding = next(f for f in found if f.rule == rule)
    assert finding.message and finding.advice
    assert "{" not in finding.message + finding.advice
    assert "Frank Jansen" in finding.message + finding.advice
    assert finding.evidence
    other = "en" if lang == "nl" else "nl"
    twin = next(f for f in evaluate_all(load_facts(box.conn, RULES, FRANK, T0), RULES, other)
                if f.rule == rule)
    assert twin.message != finding.message
