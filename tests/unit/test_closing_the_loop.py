"""SPEC §1 "Closing the loop": the closing message is the advice, not another push; one per
streak; afterwards *Let it rest* until they write back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from analysis_mailbox import T0, Mailbox, days

from netguard.analysis.context import recipient_context
from netguard.analysis.guard import check
from netguard.analysis.model import RecipientVerdict
from netguard.analysis.report import build_report
from netguard.drafting.recommend import recommend
from netguard.settings import Rules
from netguard.store import closings, open_store
from netguard.store.migrations import MIGRATIONS

FRANK, ANNA = "frank@example.com", "anna@example.com"
RULES = Rules()
HOUR = timedelta(hours=1)


def four_followups(box: Mailbox, to: str = FRANK) -> None:
    """An opener and four follow-ups in the last week: the next message would be the fifth."""
    for i in range(5):
        box.sent(to, T0 - days(5) + days(i))


def judged(box: Mailbox, closing_for: tuple[str, ...] = (), to: tuple[str, ...] = (FRANK,),
           hours: int = 1) -> dict[str, RecipientVerdict]:
    verdict = check(box.conn, RULES, list(to), at=T0 + hours * HOUR, closing_for=closing_for)
    return {r.address: r for r in verdict.recipients}


def close_loop(box: Mailbox, to: str = FRANK, hours: int = 1) -> str:
    """Send the closing message as NetGuard does: recorded, then stored in Sent."""
    message_id = f"<closing{box.count}@mine.nl>"
    closings.record(box.conn, message_id, [to])
    box.sent(to, T0 + hours * HOUR, subject="Closing the loop", message_id=message_id)
    return message_id


def status(box: Mailbox, address: str = FRANK, hours: int = 2) -> tuple[str, ...]:
    report = build_report(box.conn, RULES, at=T0 + hours * HOUR)
    (state,) = [c for c in report.contacts if c.address == address]
    return state.status


def test_a_closing_message_at_the_fifth_followup_does_not_warn() -> None:
    box = Mailbox()
    four_followups(box)
    assert judged(box)[FRANK].warn  # the same message as a plain follow-up warns
    frank = judged(box, closing_for=(FRANK,))[FRANK]
    assert (frank.warn, frank.closing, frank.closed_at) == (False, True, None)
    assert frank.followups_in_window == 4  # the numbers stay visible
    assert "followup-overload" not in [f.rule for f in frank.findings]


def test_closing_for_is_compared_as_an_address() -> None:
    box = Mailbox()
    four_followups(box)
    frank = judged(box, closing_for=("Frank Jansen <Frank@Example.COM>",))[FRANK]
    assert (frank.warn, frank.closing) == (False, True)


def test_one_closing_message_per_streak_a_second_one_is_judged_normally() -> None:
    box = Mailbox()
    four_followups(box)
    close_loop(box)
    frank = judged(box, closing_for=(FRANK,), hours=3)[FRANK]
    assert (frank.warn, frank.closing) == (True, False)
    assert frank.closed_at == T0 + HOUR
    rules = [f.rule for f in frank.findings]
    assert rules[0] == "followup-overload"
    assert "let-it-rest" in rules  # and it says why: the loop was closed already
    assert "already" in frank.findings[0].advice  # not "close the loop" once more
    assert judged(box, hours=3)[FRANK].warn  # a plain follow-up after it warns too


def test_after_closing_the_state_is_let_it_rest_with_no_followup_suggested() -> None:
    box = Mailbox()
    four_followups(box)
    assert status(box, hours=0) == ("followup-overload",)
    message_id = close_loop(box)
    assert status(box) == ("let-it-rest",)  # not "too pushy": the advice was taken
    report = build_report(box.conn, RULES, at=T0 + 2 * HOUR)
    (finding,) = [f for f in report.findings if f.contact == FRANK]
    assert finding.evidence == (message_id,)
    assert T0.date().isoformat() in finding.message
    context = recipient_context(box.conn, RULES, FRANK, at=T0 + 2 * HOUR)
    assert context.let_it_rest
    assert recommend(context) not in ("first-followup", "value-followup")


def test_a_closing_message_early_in_a_streak_also_lets_it_rest() -> None:
    box = Mailbox()
    box.sent(FRANK, T0 - days(2))
    assert status(box) == ()
    close_loop(box)
    assert status(box) == ("let-it-rest",)


def test_their_reply_ends_the_rest_and_a_new_streak_may_close_again() -> None:
    box = Mailbox()
    four_followups(box)
    close_loop(box)
    box.received(FRANK, T0 + 2 * HOUR)
    assert "let-it-rest" not in status(box, hours=3)
    for i in range(5):
        box.sent(FRANK, T0 + days(1) + i * HOUR)
    frank = check(box.conn, RULES, [FRANK], at=T0 + days(1) + 6 * HOUR,
                  closing_for=(FRANK,)).recipients[0]
    assert (frank.warn, frank.closing, frank.closed_at) == (False, True, None)


def test_the_mark_belongs_to_its_address_only() -> None:
    box = Mailbox()
    four_followups(box, FRANK)
    four_followups(box, ANNA)
    both = judged(box, closing_for=(ANNA,), to=(FRANK, ANNA))
    assert (both[FRANK].warn, both[FRANK].closing) == (True, False)
    assert (both[ANNA].warn, both[ANNA].closing) == (False, True)
    close_loop(box, ANNA)
    assert status(box, ANNA) == ("let-it-rest",)
    assert status(box, FRANK) == ("followup-overload",)


def test_a_closing_message_synced_later_is_recognised_by_its_message_id() -> None:
    box = Mailbox()
    four_followups(box)
    closings.record(box.conn, "<later@mine.nl>", [FRANK])
    assert status(box) == ("followup-overload",)  # not in Sent yet: nothing to recognise
    box.sent(FRANK, T0 + HOUR, message_id="<later@mine.nl>")  # the sync brings it
    assert status(box) == ("let-it-rest",)


def test_a_closing_message_id_of_an_earlier_streak_does_not_count() -> None:
    box = Mailbox()
    old = box.sent(FRANK, T0 - days(30))
    closings.record(box.conn, old, [FRANK])
    box.received(FRANK, T0 - days(29))
    four_followups(box)
    frank = judged(box, closing_for=(FRANK,))[FRANK]
    assert (frank.warn, frank.closing, frank.closed_at) == (False, True, None)


def test_closings_are_stored_per_address_once() -> None:
    conn = open_store(":memory:")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    closings.record(conn, "<c@mine.nl>", ["Frank@Example.com", "anna@example.com"], when=100)
    closings.record(conn, "<c@mine.nl>", ["frank@example.com"], when=200)
    assert closings.message_ids(conn, "FRANK@example.com") == {"<c@mine.nl>"}
    assert closings.by_address(conn) == {FRANK: {"<c@mine.nl>"}, ANNA: {"<c@mine.nl>"}}
    assert conn.execute("SELECT time FROM closings WHERE address = ?", (FRANK,)).fetchone() == (
        100,)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_rest_after_closing_explains_itself_in_both_languages(lang: str) -> None:
    box = Mailbox()
    four_followups(box)
    close_loop(box)
    report = build_report(box.conn, RULES, at=T0 + 2 * HOUR, lang=lang)
    (finding,) = report.findings
    assert finding.message and finding.advice
    assert "{" not in finding.message + finding.advice
