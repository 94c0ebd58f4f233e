"""The send guard, clause by clause (SPEC §1 "The send guard", "Unanswered streak", "Window",
"Reply", "Address", "Bulk message", "Me", "Message time")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from analysis_mailbox import ME, T0, Mailbox, days

from netguard.analysis.guard import check
from netguard.analysis.model import RecipientVerdict
from netguard.model import Role
from netguard.settings import Rules
from netguard.store.people import add_me, set_muted

FRANK = "frank@example.com"
RULES = Rules()
HOUR = timedelta(hours=1)


def followups(box: Mailbox, n: int, start: float = 6.0, step: float = 1.0, to: str = FRANK) -> None:
    """An opener ``start`` days before T0, then ``n`` follow-ups ``step`` days apart."""
    for i in range(n + 1):
        box.sent(to, T0 - days(start) + days(step * i))


def judged(box: Mailbox, at: datetime = T0 + HOUR, to: str = FRANK) -> RecipientVerdict:
    (verdict,) = check(box.conn, RULES, [to], at=at).recipients
    return verdict


@pytest.mark.parametrize(("n", "warns"), [(0, False), (1, False), (3, False), (4, True), (6, True)])
def test_fifth_followup_in_a_week_warns(n: int, warns: bool) -> None:
    box = Mailbox()
    followups(box, n)
    verdict = check(box.conn, RULES, [FRANK], at=T0 + HOUR)
    (frank,) = verdict.recipients
    assert frank.followups_in_window == n
    assert frank.warn is warns
    assert verdict.warn is warns
    assert frank.streak_length == n + 1
    assert frank.streak_started == T0 - days(6)
    assert frank.last_reply is None
    assert [f.rule for f in frank.findings] == (["followup-overload"] if warns else [])


def test_nobody_written_yet_is_clear() -> None:
    frank = judged(Mailbox())
    assert (frank.followups_in_window, frank.streak_length, frank.warn) == (0, 0, False)


@pytest.mark.parametrize(
    ("reply_after", "streak", "in_window"),
    [
        (None, 5, 4),  # never replied: opener + 4 follow-ups
        (0, 4, 3),  # replied right after the opener: a new streak of 4
        (2, 2, 1),  # replied after the second follow-up
        (4, 0, 0),  # replied after the last message
    ],
)
def test_a_reply_resets_the_streak(reply_after: int | None, streak: int, in_window: int) -> None:
    box = Mailbox()
    for i in range(5):
        box.sent(FRANK, T0 - days(5) + days(i))
        if i == reply_after:
            box.received(FRANK, T0 - days(5) + days(i) + HOUR)
    frank = judged(box)
    assert (frank.streak_length, frank.followups_in_window) == (streak, in_window)
    assert frank.warn is (in_window >= 4)
    if reply_after is not None:
        assert frank.last_reply == T0 - days(5) + days(reply_after) + HOUR


@pytest.mark.parametrize(
    ("subject", "extra", "sender"),
    [
        ("Out of Office: Voorstel", "", FRANK),
        ("Automatisch antwoord: Voorstel", "", FRANK),
        ("Afwezigheidsmelding", "", FRANK),
        ("Re: Voorstel", "Auto-Submitted: auto-replied", FRANK),
        ("Re: Voorstel", "X-Autoreply: yes", FRANK),
        ("Re: Voorstel", "X-Autorespond: yes", FRANK),
        ("Re: Voorstel", "Precedence: auto_reply", FRANK),
        ("Re: Voorstel", "Precedence: bulk", FRANK),
        ("Re: Voorstel", "List-Id: <netwerk.example.com>", FRANK),
        ("Re: Voorstel", 'Content-Type: multipart/report; report-type="delivery-status"', FRANK),
        ("Undelivered Mail Returned to Sender", "", "MAILER-DAEMON@example.com"),
    ],
)
def test_automatic_messages_are_no_replies(subject: str, extra: str, sender: str) -> None:
    box = Mailbox()
    followups(box, 2)
    box.received(sender, T0 - days(3) - HOUR, subject=subject, extra=extra)
    followups(box, 1, start=2.0)  # two more: 4 follow-ups in all
    frank = judged(box)
    assert (frank.streak_length, frank.followups_in_window, frank.warn) == (5, 4, True)
    assert frank.last_reply is None


def test_auto_submitted_no_is_a_genuine_reply() -> None:
    box = Mailbox()
    followups(box, 3)
    box.received(FRANK, T0 - HOUR, extra="Auto-Submitted: no")
    assert judged(box).streak_length == 0


def test_followups_spread_over_three_weeks_do_not_warn() -> None:
    box = Mailbox()
    followups(box, 9, start=20.0, step=2.0)  # opener 20 days ago, then every other day
    frank = judged(box)
    assert frank.streak_length == 10
    assert frank.followups_in_window == 3  # T0-6d, T0-4d, T0-2d (T0 itself is the 10th day)
    assert frank.warn is False


@pytest.mark.parametrize(
    ("sent_to", "reply_from", "asked"),
    [
        ("Frank.Jansen@Example.COM", None, "frank.jansen@example.com"),
        ("frank.jansen@example.com", None, "FRANK.JANSEN@EXAMPLE.COM"),
        ('"Frank J." <FRANK.jansen@example.com>', None, "<Frank.Jansen@example.com>"),
        ("frank.jansen@example.com", None, "Frank Jansen <Frank.Jansen@Example.com>"),
        ("frank.jansen@example.com", "Frank <Frank.Jansen@EXAMPLE.com>",
         "frank.jansen@example.com"),
    ],
)
def test_addresses_compare_case_insensitively(
    sent_to: str, reply_from: str | None, asked: str
) -> None:
    box = Mailbox()
    for i in range(5):
        box.sent(sent_to if i % 2 else sent_to.swapcase(), T0 - days(5) + days(i))
    if reply_from:
        box.received(reply_from, T0 - HOUR)
    (frank,) = check(box.conn, RULES, [asked], at=T0 + HOUR).recipients
    assert frank.address == "frank.jansen@example.com"
    expected = (0, 0) if reply_from else (5, 4)
    assert (frank.streak_length, frank.followups_in_window) == expected


def test_cc_only_messages_are_neither_opener_nor_followup() -> None:
    box = Mailbox()
    for i in range(6):
        box.sent("anna@example.com", T0 - days(6) + days(i), cc=FRANK)
    box.sent(FRANK, T0 - days(1))
    frank = judged(box)
    assert (frank.streak_length, frank.followups_in_window, frank.warn) == (1, 0, False)


def test_cc_recipients_of_the_new_message_are_not_judged() -> None:
    box = Mailbox()
    followups(box, 4)
    verdict = check(box.conn, RULES, ["anna@example.com"], [FRANK], at=T0 + HOUR)
    assert [r.address for r in verdict.recipients] == ["anna@example.com"]
    assert verdict.warn is False


def test_each_to_recipient_is_judged_on_its_own() -> None:
    box = Mailbox()
    followups(box, 4)
    followups(box, 2, to="anna@example.com")
    verdict = check(box.conn, RULES, [FRANK, "anna@example.com", "Frank@Example.com"],
                    at=T0 + HOUR)
    assert [(r.address, r.followups_in_window, r.warn) for r in verdict.recipients] == [
        (FRANK, 4, True), ("anna@example.com", 2, False),
    ]
    assert verdict.warn is True


@pytest.mark.parametrize(("n_recipients", "counted"), [(10, True), (11, False), (30, False)])
def test_bulk_messages_are_no_followups(n_recipients: int, counted: bool) -> None:
    box = Mailbox()
    others = [f"p{i}@example.com" for i in range(n_recipients - 1)]
    box.sent(FRANK, T0 - days(6))
    for i in range(4):
        box.sent([FRANK, *others[:5]], T0 - days(5) + days(i), cc=others[5:])
    frank = judged(box)
    assert frank.followups_in_window == (4 if counted else 0)
    assert frank.warn is counted


FAR_EAST = timezone(timedelta(hours=13))
FAR_WEST = timezone(timedelta(hours=-11))


@pytest.mark.parametrize("zone", [FAR_EAST, FAR_WEST, UTC])
@pytest.mark.parametrize(("offset", "warns"), [(HOUR, True), (-HOUR, False)])
def test_window_boundary_one_hour_either_side(
    zone: timezone, offset: timedelta, warns: bool
) -> None:
    """The oldest of four follow-ups sits one hour inside or outside (T - 7 days, T]."""
    at = T0
    box = Mailbox()
    box.sent(FRANK, at - days(9), zone=zone)
    box.sent(FRANK, at - days(7) + offset, zone=zone)
    for i in (3, 2, 1):
        box.sent(FRANK, at - days(i), zone=zone)
    frank = judged(box, at=at)
    assert frank.followups_in_window == (4 if warns else 3)
    assert frank.warn is warns


def test_window_is_half_open() -> None:
    """(T - 7 days, T]: exactly T - 7 days is outside, exactly T is inside."""
    box = Mailbox()
    box.sent(FRANK, T0 - days(9))  # the opener
    box.sent(FRANK, T0 - days(7))
    for i in (2, 1, 0):
        box.sent(FRANK, T0 - days(i))
    # at T0: T0-7d is out, T0-2d, T0-1d and T0 itself are in
    assert judged(box, at=T0).followups_in_window == 3
    # one second earlier: T0-7d is just in, T0 is not sent yet
    assert judged(box, at=T0 - timedelta(seconds=1)).followups_in_window == 3
    # a day earlier: T0-7d, T0-2d and T0-1d
    assert judged(box, at=T0 - days(1)).followups_in_window == 3


def test_messages_after_the_reference_time_are_ignored() -> None:
    box = Mailbox()
    followups(box, 4)
    assert judged(box, at=T0 - days(3) + HOUR).followups_in_window == 3  # T0-5d, -4d, -3d


def test_reference_time_in_another_zone_is_the_same_instant() -> None:
    box = Mailbox()
    followups(box, 4)
    local = (T0 + HOUR).astimezone(FAR_WEST)
    assert judged(box, at=local).warn is True


def test_a_message_sent_from_an_alias_counts_as_mine() -> None:
    box = Mailbox()
    box.sent(FRANK, T0 - days(6))
    for i in range(4):
        box.sent(FRANK, T0 - days(5) + days(i), frm="Me <info@mijnbedrijf.nl>")
    frank = judged(box)
    assert (frank.followups_in_window, frank.warn) == (4, True)


def test_my_own_messages_in_received_folders_are_no_replies() -> None:
    box = Mailbox()
    add_me(box.conn, "Alias@Mijnbedrijf.nl")
    followups(box, 4)
    # a copy of my own message (Bcc to myself, or sent from the alias elsewhere) in INBOX
    box.received("alias@mijnbedrijf.nl", T0 - HOUR, to=FRANK)
    box.received(ME, T0 - HOUR, to=FRANK)
    frank = judged(box)
    assert (frank.streak_length, frank.warn) == (5, True)


def test_my_own_addresses_are_not_judged() -> None:
    box = Mailbox()
    add_me(box.conn, "alias@mijnbedrijf.nl")
    followups(box, 4, to=ME)
    verdict = check(box.conn, RULES, [ME, "Alias@Mijnbedrijf.nl", "noreply@example.com",
                                      "undisclosed-recipients@example.com"], at=T0)
    assert verdict.recipients == ()
    assert verdict.warn is False


@pytest.mark.parametrize(
    ("date_header", "internaldate", "in_window"),
    [
        ("", T0 - days(1), True),  # missing Date: INTERNALDATE inside the window
        ("", T0 - days(10), False),  # missing Date: INTERNALDATE outside the window
        ("not a date at all", T0 - days(1), True),
        ("Fri, 32 Foo 2026 25:61:00 +9999", T0 - days(10), False),
        ("Thu, 19 Nov 2026 12:00:00 +0000", T0 - days(30), True),  # a good Date wins
    ],
)
def test_missing_or_broken_date_falls_back_to_internaldate(
    date_header: str, internaldate: datetime, in_window: bool
) -> None:
    box = Mailbox()
    box.sent(FRANK, T0 - days(20))
    for i in (3, 2, 1):
        box.sent(FRANK, T0 - days(i) - HOUR)
    box.add("Sent", ME, FRANK, None, subject="Voorstel", date_header=date_header,
            internaldate=internaldate)
    frank = judged(box)
    assert frank.followups_in_window == (4 if in_window else 3)
    assert frank.warn is in_window


def test_a_message_in_two_folders_counts_once() -> None:
    box = Mailbox()
    box.folder("Archive", Role.SENT)
    box.sent(FRANK, T0 - days(6))
    for i in range(3):
        mid = box.sent(FRANK, T0 - days(5) + days(i))
        box.sent(FRANK, T0 - days(5) + days(i), folder="Archive", message_id=mid)
    frank = judged(box)
    assert (frank.followups_in_window, frank.warn) == (3, False)


def test_a_muted_contact_is_counted_but_never_warns() -> None:
    box = Mailbox()
    followups(box, 4)
    set_muted(box.conn, FRANK, True)
    frank = judged(box)
    assert (frank.followups_in_window, frank.muted, frank.warn, frank.findings) == (
        4, True, False, ())
    set_muted(box.conn, FRANK, False)
    assert judged(box).warn is True


def test_limits_come_from_the_settings() -> None:
    box = Mailbox()
    followups(box, 2)
    strict = Rules(followup_limit=3, window_days=3)
    (frank,) = check(box.conn, strict, [FRANK], at=T0 + HOUR).recipients
    # the follow-ups of 5 and 4 days ago fall outside a 3-day window
    assert (frank.followups_in_window, frank.window_days, frank.followup_limit) == (0, 3, 3)
    assert frank.warn is False
    (frank,) = check(box.conn, strict, [FRANK], at=T0 - days(4) + HOUR).recipients
    assert (frank.followups_in_window, frank.warn) == (2, True)


def test_a_neglected_contact_gets_an_ask_after_silence_note() -> None:
    box = Mailbox()
    for i in range(2):
        box.sent(FRANK, T0 - days(200) + days(i * 10))
        box.received(FRANK, T0 - days(195) + days(i * 10))
    frank = judged(box)
    assert frank.warn is False
    (note,) = frank.findings
    assert (note.rule, note.pitfall, note.contact) == ("ask-after-silence", 4, FRANK)
    assert "185" in note.message


def test_a_streak_ready_to_rest_gets_a_let_it_rest_note() -> None:
    box = Mailbox()
    followups(box, 3, start=40.0, step=7.0)  # last follow-up 19 days ago
    frank = judged(box)
    assert [f.rule for f in frank.findings] == ["let-it-rest"]
    assert frank.warn is False


def test_messages_are_in_the_requested_language() -> None:
    box = Mailbox()
    followups(box, 4)
    (nl,) = check(box.conn, RULES, [FRANK], at=T0 + HOUR, lang="nl").recipients
    (en,) = check(box.conn, RULES, [FRANK], at=T0 + HOUR, lang="en").recipients
    assert "follow-up nummer 5" in nl.findings[0].message
    assert "follow-up number 5" in en.findings[0].message
    assert nl.findings[0].evidence == en.findings[0].evidence
    assert len(en.findings[0].evidence) == 4
