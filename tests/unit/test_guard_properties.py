"""Properties of the guard and the report (hypothesis): insertion order never matters, a
genuine reply never raises a follow-up count, an automatic reply never changes one."""

from __future__ import annotations

from datetime import timedelta

from analysis_mailbox import T0, Mailbox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netguard.analysis.guard import check
from netguard.analysis.report import build_report
from netguard.settings import Rules

FRANK = "frank@example.com"
OTHERS = [f"p{i}@example.com" for i in range(11)]
RULES = Rules()
KINDS = ("to", "to", "to", "cc", "bulk", "reply", "auto")

# (kind, hours before T0): a month of mail with Frank, some at the very same second
message = st.tuples(st.sampled_from(KINDS), st.integers(min_value=0, max_value=24 * 40))
history = st.lists(message, max_size=14)
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def build(specs: list[tuple[int, tuple[str, int]]]) -> Mailbox:
    box = Mailbox()
    for number, (kind, hours) in specs:
        add(box, kind, hours, f"<spec{number}@test.invalid>")
    return box


def add(box: Mailbox, kind: str, hours: int, mid: str) -> None:
    when = T0 - timedelta(hours=hours)
    if kind == "to":
        box.sent(FRANK, when, message_id=mid)
    elif kind == "cc":
        box.sent("anna@example.com", when, cc=FRANK, message_id=mid)
    elif kind == "bulk":
        box.sent([FRANK, *OTHERS], when, message_id=mid)
    elif kind == "reply":
        box.received(FRANK, when, message_id=mid)
    else:
        box.received(FRANK, when, subject="Automatic reply: Voorstel", message_id=mid)


def observe(box: Mailbox) -> tuple[object, ...]:
    (frank,) = check(box.conn, RULES, [FRANK], at=T0).recipients
    report = build_report(box.conn, RULES, T0)
    rows = [(c.address, c.sent, c.received, c.last_sent, c.last_received,
             c.unanswered_streak, c.followups_in_window, c.status) for c in report.contacts]
    findings = sorted((f.contact, f.rule, f.evidence, f.message) for f in report.findings)
    verdict = (frank.followups_in_window, frank.streak_length, frank.warn,
               frank.streak_started, frank.last_reply, [f.rule for f in frank.findings])
    return verdict, rows, findings


@SETTINGS
@given(history.flatmap(lambda h: st.tuples(st.just(h), st.permutations(list(enumerate(h))))))
def test_insertion_order_changes_nothing(case: tuple[list[tuple[str, int]], list]) -> None:
    specs, shuffled = case
    assert observe(build(list(enumerate(specs)))) == observe(build(shuffled))


@SETTINGS
@given(history, st.integers(min_value=0, max_value=24 * 40))
def test_a_genuine_reply_never_raises_the_followup_count(
    specs: list[tuple[str, int]], hours: int
) -> None:
    box = build(list(enumerate(specs)))
    before = check(box.conn, RULES, [FRANK], at=T0).recipients[0]
    add(box, "reply", hours, "<the-reply@test.invalid>")
    after = check(box.conn, RULES, [FRANK], at=T0).recipients[0]
    assert after.followups_in_window <= before.followups_in_window
    assert after.streak_length <= before.streak_length
    assert not (after.warn and not before.warn)


@SETTINGS
@given(history, st.integers(min_value=0, max_value=24 * 40))
def test_an_automatic_reply_never_changes_the_followup_count(
    specs: list[tuple[str, int]], hours: int
) -> None:
    box = build(list(enumerate(specs)))
    before = check(box.conn, RULES, [FRANK], at=T0).recipients[0]
    add(box, "auto", hours, "<the-auto-reply@test.invalid>")
    after = check(box.conn, RULES, [FRANK], at=T0).recipients[0]
    assert after == before
