"""A real Dovecot sync keeps each message's bulk signs, and the report lists a newsletter apart."""

from __future__ import annotations

from datetime import UTC, datetime

from netguard.analysis.report import build_report
from netguard.mail.sync import sync
from netguard.model import BulkSign
from netguard.settings import Rules
from netguard.store import open_store
from tests.integration.conftest import DovecotAccount

AT = datetime(2025, 7, 10, tzinfo=UTC)
NEWS = "hallo@winkel.example"


def mail(number: int, sender: str, to: str, *extra: str) -> bytes:
    return "\r\n".join([
        "Received: from mx.example.net by mail.example.test",
        f"Message-ID: <m{number}@example.test>",
        f"Date: Tue, 01 Jul 2025 10:{number:02d}:00 +0200",
        f"From: {sender}",
        f"To: {to}",
        f"Subject: message {number}",
        *extra,
        "", f"Body {number}", "",
    ]).encode()


def test_sync_stores_bulk_signs_and_the_report_puts_a_newsletter_under_others(
        dovecot: DovecotAccount) -> None:
    me = dovecot.user
    store = open_store(":memory:")
    dovecot.append("Sent", mail(1, me, "Anna <anna@example.nl>"))
    dovecot.append("INBOX", mail(2, "Anna <anna@example.nl>", me), *(
        mail(n, f"Webwinkel <{NEWS}>", me,
             "List-Unsubscribe: <https://winkel.example/u?id=1>,\r\n <mailto:u@winkel.example>",
             "Feedback-ID: 7:weekly:winkel", "X-Mailer: bulk 1.0")
        for n in (3, 4, 5)))
    sync(dovecot.account(), dovecot.password, store)
    signs = dict(store.execute("SELECT from_addr, max(bulk_signs) FROM messages GROUP BY 1"))
    assert signs == {me: 0, "anna@example.nl": 0,
                     NEWS: BulkSign.LIST_UNSUBSCRIBE | BulkSign.FEEDBACK_ID}
    report = build_report(store, Rules(), AT)
    assert [c.address for c in report.contacts] == ["anna@example.nl"]
    (other,) = report.others
    assert (other.address, other.name, other.received) == (NEWS, "Webwinkel", 3)
    assert other.why == ("list-unsubscribe", "feedback-id")
    assert report.findings == ()  # three unanswered mails from a newsletter are no pitfall
