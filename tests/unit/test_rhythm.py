"""Each contact's rhythm (issue 19): reply delays, exchange gaps, and the states they give:
give-it-time, follow-up-now, drifting; neglected spared for a contact for whom silence is usual."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netguard.analysis.facts import DAY, ContactFacts, contact_facts
from netguard.analysis.history import ContactEvents, Row
from netguard.analysis.rhythm import (
    CONVERSATION_PAUSE,
    MIN_GAPS,
    MIN_REPLIES,
    exchange_gaps,
    reply_delays,
    rhythm,
    silence_is_usual,
    spread,
)
from netguard.analysis.rules import drifting, neglected, reply_rhythm
from netguard.settings import Rules

FRANK = "frank@example.com"
RULES = Rules()
NOW = 1_800_000_000  # the reference time of every case
HOUR = 3600


def mine(time: float, to: bool = True) -> Row:
    return (FRANK, int(time), f"<s{time}@me>", int(to), "Frank Jansen", "")


def theirs(time: float) -> Row:
    return (FRANK, int(time), f"<r{time}@frank>", 0, "Frank Jansen", "")


def facts(sent: list[Row], received: list[Row], at: int = NOW) -> ContactFacts:
    return contact_facts(ContactEvents(FRANK, list(sent), list(received)), RULES, at)


def conversations(every_days: float, count: int, reply_after_days: float,
                  end: int = NOW) -> tuple[list[Row], list[Row]]:
    """``count`` conversations ``every_days`` apart, the last reply at ``end``: I write, they
    answer."""
    sent, received = [], []
    for i in range(count):
        start = end - ((count - i - 1) * every_days + reply_after_days) * DAY
        sent.append(mine(start))
        received.append(theirs(start + reply_after_days * DAY))
    return sent, received


# --- reply delays --------------------------------------------------------------------------

@pytest.mark.parametrize(("sent", "received", "expected"), [
    ([mine(0)], [theirs(2 * HOUR)], [2 * HOUR]),  # a fast answerer
    ([mine(0)], [theirs(9 * DAY)], [9 * DAY]),  # a slow one
    # from my latest message before their reply: the one they answer
    ([mine(0), mine(DAY), mine(2 * DAY)], [theirs(3 * DAY)], [DAY]),
    # my answer to their mail is not a question left open until the next conversation
    ([mine(DAY), mine(14 * DAY)], [theirs(0), theirs(14 * DAY + HOUR)], [HOUR]),
    ([], [theirs(DAY)], []),  # they wrote first: no delay of theirs to measure
    ([mine(0)], [theirs(DAY), theirs(2 * DAY)], [DAY]),  # a second mail is not a reply to me
    ([mine(0, to=False)], [theirs(DAY)], []),  # Cc-only mail asks no answer of them
    ([mine(0), mine(5 * DAY)], [theirs(DAY), theirs(7 * DAY)], [DAY, 2 * DAY]),
])
def test_reply_delays(sent: list[Row], received: list[Row], expected: list[int]) -> None:
    assert reply_delays(sent, received) == expected


def test_exchange_gaps_skip_the_messages_of_one_conversation() -> None:
    sent = [mine(0), mine(DAY), mine(30 * DAY)]
    received = [theirs(HOUR), theirs(40 * DAY)]
    assert exchange_gaps(sent, received) == [29 * DAY, 10 * DAY]


def test_a_long_holiday_gap_does_not_move_the_usual_gap() -> None:
    sent, received = conversations(7, 10, 0.5)
    weekly = rhythm(facts(sent, received)).gaps.median
    holiday = [(r[0], r[1] - 60 * DAY, *r[2:]) for r in sent[:3]]
    moved = [(r[0], r[1] - 60 * DAY, *r[2:]) for r in received[:3]]
    with_holiday = rhythm(facts(holiday + sent[3:], moved + received[3:])).gaps
    assert max(exchange_gaps(holiday + sent[3:], moved + received[3:])) > 60 * DAY
    assert with_holiday.median == pytest.approx(weekly, rel=0.1)


def test_the_numbers_for_the_pane() -> None:
    sent, received = conversations(7, 14, 2)
    found = rhythm(facts(sent, received))
    assert found.replies.count == 14
    assert found.replies.day_range() == (2, 2)
    assert found.replies_known and found.gaps_known


# --- give it time / one follow-up is fine now --------------------------------------------

def test_within_their_usual_delay_is_give_it_time() -> None:
    sent, received = conversations(7, 6, 3, end=NOW - 5 * DAY)
    waiting = facts([*sent, mine(NOW - 2 * DAY)], received)
    assert reply_rhythm.state(waiting) == reply_rhythm.GIVE_IT_TIME
    finding = reply_rhythm.evaluate(waiting, RULES, "en")
    assert finding is not None
    assert "usually answers within 3 days (6 replies)" in finding.message


def test_a_fast_answerer_is_due_sooner_than_a_slow_one() -> None:
    fast_sent, fast_received = conversations(7, 6, 0.2, end=NOW - 10 * DAY)
    slow_sent, slow_received = conversations(7, 6, 6, end=NOW - 10 * DAY)
    four_days = mine(NOW - 4 * DAY)
    assert reply_rhythm.state(facts([*fast_sent, four_days], fast_received)) == "follow-up-now"
    assert reply_rhythm.state(facts([*slow_sent, four_days], slow_received)) == "give-it-time"


def test_follow_up_now_only_while_there_was_no_follow_up_yet() -> None:
    sent, received = conversations(7, 6, 1, end=NOW - 20 * DAY)
    once = facts([*sent, mine(NOW - 10 * DAY)], received)
    twice = facts([*sent, mine(NOW - 10 * DAY), mine(NOW - 9 * DAY)], received)
    assert reply_rhythm.state(once) == reply_rhythm.FOLLOW_UP_NOW
    assert reply_rhythm.state(twice) is None  # the one follow-up was sent: SPEC §1 rules


def test_past_the_neglect_limit_the_moment_for_a_follow_up_has_passed() -> None:
    """A message unanswered for months is no longer one to follow up on: ``neglected`` speaks
    for the relationship (reconnect with interest), not a follow-up on that message."""
    sent, received = conversations(7, 6, 1, end=NOW - 500 * DAY)

    def waiting(days: int) -> ContactFacts:
        return facts([*sent, mine(NOW - days * DAY)], received)

    assert reply_rhythm.state(waiting(RULES.neglect_after_days)) == reply_rhythm.FOLLOW_UP_NOW
    assert reply_rhythm.state(waiting(RULES.neglect_after_days + 1)) is None
    assert reply_rhythm.evaluate(waiting(RULES.neglect_after_days + 1), RULES, "en") is None
    patient = replace(RULES, neglect_after_days=400)
    assert reply_rhythm.state(waiting(300), patient) == reply_rhythm.FOLLOW_UP_NOW


@pytest.mark.parametrize(("lang", "days", "expected"), [
    ("en", 10, "it has now been 10 days since your message"),
    ("en", 1.5, "it has now been 1 day since your message"),
    ("nl", 10, "je bericht is nu 10 dagen oud"),
    ("nl", 1.5, "je bericht is nu 1 dag oud"),
    ("en", 400, "it has now been more than a year since your message"),
    ("nl", 800, "je bericht is nu ruim 2 jaar oud"),
])
def test_how_long_the_message_waits_reads_naturally(lang: str, days: float,
                                                    expected: str) -> None:
    """Never "1 days", never hundreds of days (a wait past a year is "more than a year")."""
    sent, received = conversations(7, 6, 0.1, end=NOW - 2000 * DAY)
    rules = replace(RULES, neglect_after_days=3650)
    finding = reply_rhythm.evaluate(facts([*sent, mine(NOW - days * DAY)], received), rules, lang)
    assert finding is not None and finding.rule == reply_rhythm.FOLLOW_UP_NOW
    assert expected in finding.message


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "your message was sent yesterday"), ("nl", "je bericht ging gisteren weg")])
def test_give_it_time_says_when_the_message_went(lang: str, expected: str) -> None:
    sent, received = conversations(7, 6, 3, end=NOW - 5 * DAY)
    finding = reply_rhythm.evaluate(facts([*sent, mine(NOW - DAY)], received), RULES, lang)
    assert finding is not None and finding.rule == reply_rhythm.GIVE_IT_TIME
    assert expected in finding.message


def test_too_little_history_leaves_the_spec_defaults() -> None:
    sent, received = conversations(7, MIN_REPLIES - 1, 1, end=NOW - 20 * DAY)
    waiting = facts([*sent, mine(NOW - 10 * DAY)], received)
    assert not rhythm(waiting).replies_known
    assert reply_rhythm.state(waiting) is None
    assert reply_rhythm.evaluate(waiting, RULES, "en") is None


def test_no_streak_no_rhythm_state() -> None:
    sent, received = conversations(7, 6, 1)
    assert reply_rhythm.state(facts(sent, received)) is None


# --- drifting apart and neglected ---------------------------------------------------------

def test_a_weekly_contact_after_five_weeks_is_drifting() -> None:
    sent, received = conversations(7, 10, 0.5, end=NOW - 35 * DAY)
    quiet = facts(sent, received)
    assert drifting.applies(quiet, RULES)
    assert not neglected.applies(quiet, RULES)
    finding = drifting.evaluate(quiet, RULES, "nl")
    assert finding is not None and "35 dagen stil" in finding.message


def test_a_weekly_contact_after_ten_days_is_not_drifting() -> None:
    sent, received = conversations(7, 10, 0.5, end=NOW - 10 * DAY)
    assert not drifting.applies(facts(sent, received), RULES)


def test_past_the_neglect_limit_neglected_takes_over() -> None:
    sent, received = conversations(7, 10, 0.5, end=NOW - 120 * DAY)
    quiet = facts(sent, received)
    assert neglected.applies(quiet, RULES)
    assert not drifting.applies(quiet, RULES)


def test_a_yearly_contact_is_not_neglected_after_a_hundred_days() -> None:
    sent, received = conversations(365, 5, 2, end=NOW - 100 * DAY)
    quiet = facts(sent, received)
    assert silence_is_usual(quiet)
    assert not neglected.applies(quiet, RULES)
    assert not drifting.applies(quiet, RULES)
    long_gone = facts(*conversations(365, 5, 2, end=NOW - 800 * DAY))
    assert neglected.applies(long_gone, RULES)


def test_the_longest_usual_silence_a_span_allows_is_still_usual() -> None:
    """Four pauses with the largest median their span allows (one just past the conversation
    pause, three of 100 days): a silence of twice that median is usual, a second more is not.
    (``silence_is_usual`` answers longer silences from the span alone: this is its edge.)"""
    pause = CONVERSATION_PAUSE + 1
    times = [0, pause, pause + 100 * DAY, pause + 200 * DAY, pause + 300 * DAY]
    sent = [mine(t) for t in times[0::2]]
    received = [theirs(t) for t in times[1::2]]
    last = times[-1]
    assert rhythm(facts(sent, received, at=last + 200 * DAY)).drift_after == 200 * DAY
    assert silence_is_usual(facts(sent, received, at=last + 200 * DAY))
    assert not silence_is_usual(facts(sent, received, at=last + 200 * DAY + 1))


def test_with_too_little_history_neglected_keeps_its_ninety_days() -> None:
    sent, received = conversations(365, MIN_GAPS, 2, end=NOW - 100 * DAY)
    assert neglected.applies(facts(sent, received), RULES)


# --- properties ---------------------------------------------------------------------------

histories = st.lists(st.tuples(st.booleans(), st.integers(0, 400 * DAY)), min_size=1,
                     max_size=30)


def _split(history: list[tuple[bool, int]]) -> tuple[list[Row], list[Row]]:
    sent = sorted((mine(NOW - 400 * DAY + t) for is_mine, t in history if is_mine),
                  key=lambda r: r[1])
    received = sorted((theirs(NOW - 400 * DAY + t) for is_mine, t in history if not is_mine),
                      key=lambda r: r[1])
    return sent, received


@given(histories, st.integers(-10**8, 10**8))
def test_shifting_the_whole_history_changes_nothing(history: list[tuple[bool, int]],
                                                    shift: int) -> None:
    sent, received = _split(history)
    moved = ([(r[0], r[1] + shift, *r[2:]) for r in sent],
             [(r[0], r[1] + shift, *r[2:]) for r in received])
    before, after = facts(sent, received), facts(*moved, at=NOW + shift)
    assert rhythm(before) == rhythm(after)
    assert reply_rhythm.state(before) == reply_rhythm.state(after)
    assert drifting.applies(before, RULES) == drifting.applies(after, RULES)


@given(histories, st.integers(0, 3000 * DAY))
def test_a_silence_is_usual_exactly_when_the_measured_pauses_say_so(
        history: list[tuple[bool, int]], later: int) -> None:
    """``silence_is_usual`` answers a silence longer than the whole span allows without
    measuring the pauses: the same answer as measuring them, for histories of every length
    and silences of every length."""
    sent, received = _split(history)
    found = facts(sent, received, at=NOW + later)
    quiet, limit = NOW + later - (found.last_exchange or 0), rhythm(found).drift_after
    assert silence_is_usual(found) == (limit is not None and quiet <= limit)


@given(histories, st.integers(0, 3000 * DAY))
def test_the_reply_rhythm_state_is_the_measured_one(history: list[tuple[bool, int]],
                                                    later: int) -> None:
    """``reply_rhythm`` answers a wait longer than the whole span allows without measuring the
    delays (more than one message waiting): the same state as measuring them."""
    sent, received = _split(history)
    found = facts(sent, received, at=NOW + later)
    assert reply_rhythm.state(found) == _measured_reply_state(found)


def _measured_reply_state(found: ContactFacts) -> str | None:
    """What ``reply_rhythm.state`` gives with every delay measured (SPEC, issue 19)."""
    wait = None if not found.streak else found.at - found.streak[-1].time
    if wait is None or found.closed is not None or reply_rhythm.answered_them(found):
        return None
    patience = rhythm(found).patience
    if patience is None:
        return None
    if wait <= patience:
        return reply_rhythm.GIVE_IT_TIME
    follow_up = len(found.streak) == 1 and wait <= RULES.neglect_after_days * DAY
    return reply_rhythm.FOLLOW_UP_NOW if follow_up else None


@given(histories, st.integers(0, 2 * DAY))
def test_a_new_reply_never_makes_a_contact_more_drifting(history: list[tuple[bool, int]],
                                                         recent: int) -> None:
    """A reply that arrives now (no more than two days before the reference time) after all
    the history: the silence ends, so it is neither drifting nor neglected. (Inserted into
    the past, a reply may rightly change what is usual for the two of you.)"""
    sent, received = _split(history)
    before = facts(sent, received)
    reply = theirs(max(NOW - recent, before.last_exchange or 0))
    after = facts(sent, [*received, reply])
    assert not drifting.applies(after, RULES)
    assert not neglected.applies(after, RULES)


@given(st.lists(st.integers(0, 10**7), min_size=2, max_size=40))
def test_the_spread_is_statistics_inclusive_quartiles(durations: list[int]) -> None:
    import statistics

    low, middle, high = statistics.quantiles(durations, n=4, method="inclusive")
    found = spread(durations)
    assert (found.low, found.median, found.high) == pytest.approx((low, middle, high))
    assert found.median == pytest.approx(statistics.median(durations))
