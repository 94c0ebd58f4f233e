"""``recipient_context``: what the history says about one recipient (lint, templates)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from analysis_mailbox import T0, Mailbox, days

from netguard.analysis.context import recipient_context
from netguard.analysis.findings import display_name, first_name
from netguard.settings import Rules
from netguard.store.people import set_muted

FRANK = "frank@example.com"
RULES = Rules()


def test_someone_new_has_no_history() -> None:
    ctx = recipient_context(Mailbox().conn, RULES, "New.Person@Example.com", T0)
    assert ctx.address == "new.person@example.com"
    assert (ctx.has_history, ctx.neglected, ctx.guard_warns, ctx.streak_length) == (
        False, False, False, 0)
    assert ctx.days_since_last_sent is None and ctx.days_since_last_reply is None
    assert (ctx.last_subject, ctx.last_message_id) == ("", "")


def test_bulk_and_automatic_mail_is_no_history() -> None:
    box = Mailbox()
    box.sent([FRANK, *(f"p{i}@example.com" for i in range(11))], T0 - days(3))
    box.received(FRANK, T0 - days(2), subject="Automatic reply: nieuwsbrief")
    assert recipient_context(box.conn, RULES, FRANK, T0).has_history is False


def test_a_pushy_streak() -> None:
    box = Mailbox()
    for i in range(5):
        box.sent(f"Frank Jansen <{FRANK}>", T0 - days(5) + days(i), subject=f"Voorstel {i}")
    ctx = recipient_context(box.conn, RULES, FRANK, T0 + timedelta(hours=1))
    assert (ctx.has_history, ctx.guard_warns, ctx.streak_length) == (True, True, 5)
    assert (ctx.name, ctx.first_name) == ("Frank Jansen", "Frank")
    assert ctx.days_since_last_sent == 1
    assert ctx.last_subject == "Voorstel 4"


def test_a_neglected_relationship() -> None:
    box = Mailbox()
    box.sent(FRANK, T0 - days(300))
    box.received(FRANK, T0 - days(290))
    box.sent(FRANK, T0 - days(200))
    box.received("Frank <frank@example.com>", T0 - days(120), subject="Re: Koffie?")
    ctx = recipient_context(box.conn, RULES, FRANK, T0)
    assert (ctx.neglected, ctx.guard_warns, ctx.muted) == (True, False, False)
    assert (ctx.days_since_last_reply, ctx.days_since_last_sent) == (120, 200)
    assert ctx.last_subject == "Re: Koffie?"
    set_muted(box.conn, FRANK, True)
    muted = recipient_context(box.conn, RULES, FRANK, T0)
    assert (muted.neglected, muted.muted) == (True, True)


def test_let_it_rest_and_unreciprocated_flags() -> None:
    box = Mailbox()
    for d in (60, 45, 30, 15):
        box.sent(FRANK, T0 - days(d))
    assert recipient_context(box.conn, RULES, FRANK, T0).let_it_rest is True
    box2 = Mailbox()
    for d in (60, 30, 10):
        box2.received(FRANK, T0 - days(d))
    assert recipient_context(box2.conn, RULES, FRANK, T0).unreciprocated is True


@pytest.mark.parametrize(
    ("name", "first"),
    [("Frank Jansen", "Frank"), ("Jansen, Frank", "Frank"), ('"Anna"', "Anna"),
     ("", ""), ("frank@example.com", ""), ("  ", ""), ("Martin King, Jr.", "Martin"),
     ("King, Jr.", "King"), ("van den Berg, Eva", "Eva")],
)
def test_first_name(name: str, first: str) -> None:
    assert first_name(name) == first


@pytest.mark.parametrize(
    ("name", "shown"),
    [("Jansen, Lotte", "Lotte Jansen"), ("van den Berg, Eva", "Eva van den Berg"),
     ("  Groß ,  Søren ", "Søren Groß"), ("Frank Jansen", "Frank Jansen"),
     ("King, Jr.", "King, Jr."), ("Acme, Inc.", "Acme, Inc."), ("Bakker, B.V.", "Bakker, B.V."),
     ("Smith, Jones, and Co", "Smith, Jones, and Co"), (", Anna", ", Anna"),
     ("", "frank@example.com"), ("frank@example.com, x", "frank@example.com, x"),
     ("Evil\u202eoiruS\x1b[2J", "Evil\ufffdoiruS\ufffd[2J")],
)
def test_a_directory_name_reads_first_name_first_in_a_sentence(name: str, shown: str) -> None:
    assert display_name(name, "frank@example.com") == shown
