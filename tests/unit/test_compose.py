"""Outgoing messages: headers, threading, and the relay's SMTP replies."""

from __future__ import annotations

from datetime import UTC, datetime

from netguard.mail.compose import Draft, base_subject, compose
from netguard.mail.identity import Identity
from netguard.mail.smtp import recipients_of
from netguard.relay.decide import ordinal, smtp_reply
from netguard.relay.server import loopback

ME = Identity("", "me@example.test", "set")


def test_a_composed_message_has_its_own_id_date_and_sender() -> None:
    when = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    draft = Draft(to=("anna@example.org",), cc=("bob@example.org",), subject="Idee",
                  body="Hoi Anna,\n\nGroet\n")
    message = compose(ME, draft, now=when)
    assert message["From"] == "me@example.test"
    assert message["To"] == "anna@example.org" and message["Cc"] == "bob@example.org"
    assert message["Message-ID"].endswith("@example.test>")
    assert "In-Reply-To" not in message
    assert b"\r\n" in message.as_bytes()
    assert compose(ME, draft)["Message-ID"] != message["Message-ID"]


def test_a_followup_continues_its_thread() -> None:
    draft = Draft(to=("anna@example.org",), subject="Re: Idee", body="x",
                  in_reply_to="<b@x>", references=("<a@x>",))
    message = compose(ME, draft)
    assert message["In-Reply-To"] == "<b@x>"
    assert message["References"].split() == ["<a@x>", "<b@x>"]


def test_subjects_compare_without_reply_prefixes() -> None:
    assert base_subject("Re: AW: Fwd:  The  Proposal") == base_subject("the proposal")


def test_envelope_recipients_are_unique_case_insensitively() -> None:
    assert recipients_of(["A@x.org", "b@x.org"], ["a@x.org"], ["c@x.org"]) == (
        "A@x.org", "b@x.org", "c@x.org")


def test_relay_replies_are_one_ascii_line() -> None:
    text = "NetGuard: je 5e follow-up aan Ren\u00e9e \u2014 open\nNetGuard"
    reply = smtp_reply(550, "5.7.1", text)
    assert reply == "550 5.7.1 NetGuard: je 5e follow-up aan Renee - open NetGuard"
    assert ordinal(5, "en") == "5th" and ordinal(2, "en") == "2nd" and ordinal(5, "nl") == "5e"


def test_only_loopback_hosts_count_as_local() -> None:
    assert loopback("127.0.0.1") and loopback("::1") and loopback("localhost")
    assert not loopback("0.0.0.0") and not loopback("192.0.2.1") and not loopback("example.org")
