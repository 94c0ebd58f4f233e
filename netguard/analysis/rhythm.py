"""Each contact's own rhythm, learned from the history: how fast they usually answer me, and
how often we usually exchange mail (issue 19).

*Reply delay*: from my latest message (with them in To) before their reply, to that reply.
*Exchange gap*: the silence between two conversations, where a conversation is personal mail
either way with no pause longer than ``CONVERSATION_PAUSE``. All times are UTC epoch seconds,
so time zones and a shift of the whole history change nothing. With fewer than
``MIN_REPLIES`` delays (``MIN_GAPS`` gaps) the rhythm is unknown and the fixed rules of
SPEC §1 apply alone.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from itertools import chain, islice
from math import ceil
from operator import sub

from netguard.analysis.facts import DAY, ContactFacts
from netguard.analysis.history import TIME, TO, Row, row_time

MIN_REPLIES = 3  # fewer reply delays than this say too little about a person
MIN_GAPS = 4  # as do fewer pauses (five conversations)
CONVERSATION_PAUSE = 2 * DAY  # mail closer together than this is one conversation
PATIENCE_FACTOR = 2  # a wait is "clearly longer" past twice their usual (upper-quartile) delay
DRIFT_FACTOR = 2  # silence past twice the usual gap ...
DRIFT_MARGIN = 14 * DAY  # ... and at least two weeks past it, is drifting apart


@dataclass(frozen=True, slots=True)
class Spread:
    """A sample of durations (seconds): its size, median and quartiles."""

    count: int
    median: float
    low: float  # lower quartile
    high: float  # upper quartile

    def day_range(self) -> tuple[int, int]:
        """Lower and upper quartile in whole days, at least 1, for "within 1–3 days"."""
        low = max(1, round(self.low / DAY))
        return low, max(low, ceil(self.high / DAY))


@dataclass(frozen=True, slots=True)
class Rhythm:
    replies: Spread  # their reply delays to me
    gaps: Spread  # the silences between our conversations

    @property
    def replies_known(self) -> bool:
        return self.replies.count >= MIN_REPLIES

    @property
    def gaps_known(self) -> bool:
        return self.gaps.count >= MIN_GAPS

    @property
    def patience(self) -> float | None:
        """How long a wait for their answer is still normal (seconds); None when unknown."""
        if not self.replies_known:
            return None
        return _patience_bound(self.replies.high)

    @property
    def drift_after(self) -> float | None:
        """How long a silence is still normal for us (seconds); None when unknown."""
        if not self.gaps_known:
            return None
        return _drift_bound(self.gaps.median)


def rhythm(facts: ContactFacts) -> Rhythm:
    return Rhythm(spread(reply_delays(facts.sent_rows, facts.received_rows)),
                  spread(exchange_gaps(facts.sent_rows, facts.received_rows)))


def reply_delays(sent: list[Row], received: list[Row]) -> list[int]:
    """For each reply of theirs that followed mail of mine (To) since their previous one: the
    time since my latest message before it, the one they most likely answer. (Measured from
    the first instead, my answer to a mail of theirs would count as a question they left
    open until the next conversation.) Rows in time order."""
    delays: list[int] = []
    mine = [row[TIME] for row in sent if row[TO]]
    before = 0  # my messages up to their previous reply
    for row in received:
        upto = bisect_right(mine, row[TIME])
        if upto > before:
            delays.append(row[TIME] - mine[upto - 1])
            before = upto
    return delays


def exchange_gaps(sent: list[Row], received: list[Row]) -> list[int]:
    """The pauses longer than ``CONVERSATION_PAUSE`` between consecutive personal messages."""
    times = sorted(chain(map(row_time, sent), map(row_time, received)))  # two runs: merged
    return [pause for pause in map(sub, islice(times, 1, None), times)
            if pause > CONVERSATION_PAUSE]


def spread(durations: list[int]) -> Spread:
    if not durations:
        return Spread(0, 0.0, 0.0, 0.0)
    ordered = sorted(durations)
    return Spread(len(ordered), _quantile(ordered, 2), _quantile(ordered, 1),
                  _quantile(ordered, 3))


def _quantile(ordered: list[int], quarter: int) -> float:
    """The ``quarter``/4 quantile, interpolated between neighbours (statistics' inclusive
    method), without its overhead: the report computes thousands."""
    position = quarter * (len(ordered) - 1)
    index, rest = divmod(position, 4)
    if rest == 0:
        return float(ordered[index])
    return (ordered[index] * (4 - rest) + ordered[index + 1] * rest) / 4


def silence(facts: ContactFacts) -> int | None:
    """Seconds since the last personal message either way; None without any."""
    last = facts.last_exchange
    return None if last is None else facts.at - last


def waited(facts: ContactFacts) -> int | None:
    """Seconds since my last unanswered message (the streak's last); None without a streak."""
    return facts.at - facts.streak[-1].time if facts.streak else None


def is_drifting(facts: ContactFacts, neglect_after: int) -> bool:
    """A relationship silent well past its own usual gap, but not yet ``neglect_after``."""
    return drift(facts, neglect_after) is not None


def drift(facts: ContactFacts, neglect_after: int) -> Rhythm | None:
    """The rhythm (pauses only) of a relationship that is drifting apart, else None. (The
    gaps are measured only for a silence that could be drifting: the report is fast.)"""
    quiet = silence(facts)
    if not facts.relationship or quiet is None or not DRIFT_MARGIN < quiet <= neglect_after:
        return None
    found = gaps_only(facts)
    limit = found.drift_after
    return found if limit is not None and limit < quiet else None


def gaps_only(facts: ContactFacts) -> Rhythm:
    """The rhythm with only the pauses between conversations measured."""
    return Rhythm(spread([]), spread(exchange_gaps(facts.sent_rows, facts.received_rows)))


def replies_only(facts: ContactFacts) -> Rhythm:
    """The rhythm with only the reply delays measured (what waiting for an answer needs)."""
    return Rhythm(spread(reply_delays(facts.sent_rows, facts.received_rows)), spread([]))


def silence_is_usual(facts: ContactFacts) -> bool:
    """Whether this silence is within our known rhythm (a yearly contact after 100 days).
    A silence longer than any rhythm the exchanges' whole span allows is not, answered without
    measuring the pauses (``_longest_median``): so are most contacts of a report read long after
    the last mail, whose pauses took a fifth of its time."""
    quiet = silence(facts)
    if quiet is None or quiet > _drift_bound(_longest_median(_span(facts))):
        return False
    limit = gaps_only(facts).drift_after
    return limit is not None and quiet <= limit


def outwaits_any_rhythm(facts: ContactFacts) -> bool:
    """Whether the wait for their answer is longer than any ``Rhythm.patience`` the exchanges'
    span allows. Each reply delay runs from a message of mine after their previous reply to
    their reply, so the delays do not overlap and add up to no more than the span; of
    ``MIN_REPLIES`` (3) or more, the upper quartile is at most half of it: two delays are at
    least as long, or (of 3 or 4) it lies no more than halfway from the second largest to the
    largest."""
    wait = waited(facts)
    return wait is not None and wait > _patience_bound(_span(facts) / 2)


def _patience_bound(high: float) -> float:
    """``Rhythm.patience`` for reply delays of this upper quartile."""
    return max(PATIENCE_FACTOR * high, high + DAY)


def _drift_bound(median: float) -> float:
    """``Rhythm.drift_after`` for pauses of this median."""
    return max(DRIFT_FACTOR * median, median + DRIFT_MARGIN)


def _span(facts: ContactFacts) -> int:
    """Seconds from the first personal message either way to the last (rows in time order)."""
    firsts = [rows[0][TIME] for rows in (facts.sent_rows, facts.received_rows) if rows]
    last = facts.last_exchange
    return 0 if last is None else last - min(firsts)


def _longest_median(span: int) -> float:
    """The largest median ``MIN_GAPS`` (4) or more pauses within ``span`` seconds can have.
    Sorted, the pauses from the middle up add up to at least three medians m (4 pauses:
    g1 + g2 = 2m and g3 >= g2 >= m; more pauses, more of them), a pause below the middle is
    longer than ``CONVERSATION_PAUSE`` too, and together they are no longer than the span."""
    return (span - CONVERSATION_PAUSE) / 3
