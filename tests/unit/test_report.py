"""The relationship report: contacts, their counts and state (SPEC §6 ``report``), findings."""

from __future__ import annotations

from datetime import timedelta

from analysis_mailbox import ME, T0, Mailbox, days

from netguard.analysis.model import Severity
from netguard.analysis.report import build_report
from netguard.analysis.serialize import report_to_json
from netguard.model import Role
from netguard.settings import Rules
from netguard.store.people import add_me, set_muted

FRANK = "frank@example.com"
ANNA = "anna@example.com"
RULES = Rules()
HOUR = timedelta(hours=1)


def row(report, address):
    (found,) = [c for c in report.contacts if c.address == address]
    return found


def test_counts_follow_spec_section_6() -> None:
    box = Mailbox()
    box.folder("Archive", Role.RECEIVED)
    box.sent(f"Frank Jansen <{FRANK}>", T0 - days(10))  # To
    box.sent(ANNA, T0 - days(9), cc=FRANK)  # Cc counts as sent
    box.sent([FRANK, *(f"p{i}@example.com" for i in range(10))], T0 - days(8))  # bulk: no
    box.sent(FRANK, T0 - days(7), extra="List-Id: <club.example.com>")  # list mail: no
    mid = box.received(FRANK, T0 - days(6))
    box.received(FRANK, T0 - days(6), folder="Archive", message_id=mid)  # a duplicate
    box.received(FRANK, T0 - days(5), subject="Out of office")  # automatic: no
    box.received(FRANK, T0 - days(4), extra="List-Id: <club.example.com>")  # list: no
    frank = row(build_report(box.conn, RULES, T0), FRANK)
    assert (frank.sent, frank.received) == (2, 1)
    assert frank.last_sent == T0 - days(9)
    assert frank.last_received == T0 - days(6)
    assert frank.name == "Frank Jansen"
    assert frank.unanswered_streak == 0


def test_contacts_exclude_me_noreply_lists_and_bulk_only_addresses() -> None:
    box = Mailbox()
    add_me(box.conn, "alias@mine.nl")
    box.sent([FRANK, ME, "Alias@Mine.nl", "undisclosed-recipients@example.com"], T0 - days(3))
    box.sent([*(f"p{i}@example.com" for i in range(11))], T0 - days(3))  # bulk only
    box.received("noreply@shop.example", T0 - days(2))
    box.received("no-reply+x@shop.example", T0 - days(2))
    box.received("news@club.example", T0 - days(2), extra="List-Id: <club.example>")
    box.received("MAILER-DAEMON@mine.nl", T0 - days(2))
    box.received("alias@mine.nl", T0 - days(2), to=FRANK)
    report = build_report(box.conn, RULES, T0)
    assert [c.address for c in report.contacts] == [FRANK]


def test_contacts_needing_attention_come_first() -> None:
    box = Mailbox()
    box.sent("quiet@example.com", T0 - days(1))
    box.received("quiet@example.com", T0 - HOUR)
    for i in range(5):
        box.sent(FRANK, T0 - days(5) + days(i))  # followup-overload: warn
    for d in (300, 200):
        box.sent(ANNA, T0 - days(d))
        box.received(ANNA, T0 - days(d - 1))  # neglected: info
    report = build_report(box.conn, RULES, T0 + HOUR)
    assert [c.address for c in report.contacts] == [FRANK, ANNA, "quiet@example.com"]
    assert [c.status for c in report.contacts] == [("followup-overload",), ("neglected",), ()]
    assert [(f.contact, f.rule, f.severity) for f in report.findings] == [
        (FRANK, "followup-overload", Severity.WARN), (ANNA, "neglected", Severity.INFO)]
    frank = row(report, FRANK)
    assert (frank.unanswered_streak, frank.followups_in_window) == (5, 4)


def test_muted_contacts_keep_their_row_but_produce_no_findings() -> None:
    box = Mailbox()
    for i in range(5):
        box.sent(FRANK, T0 - days(5) + days(i))
    set_muted(box.conn, "Frank@Example.com", True)
    report = build_report(box.conn, RULES, T0 + HOUR)
    frank = row(report, FRANK)
    assert (frank.muted, frank.status, frank.followups_in_window) == (True, (), 4)
    assert report.findings == ()


def test_reference_time_cuts_off_later_messages() -> None:
    box = Mailbox()
    for i in range(5):
        box.sent(FRANK, T0 - days(5) + days(i))
    box.received(FRANK, T0 + days(1))
    early = build_report(box.conn, RULES, T0 + HOUR)
    late = build_report(box.conn, RULES, T0 + days(2))
    assert row(early, FRANK).status == ("followup-overload",)
    assert row(late, FRANK).status == ()
    assert row(late, FRANK).unanswered_streak == 0
    assert early.at == T0 + HOUR


def test_json_has_the_fixed_shape() -> None:
    box = Mailbox()
    for i in range(5):
        box.sent(FRANK, T0 - days(5) + days(i))
    data = report_to_json(build_report(box.conn, RULES, T0 + HOUR, lang="nl"))
    assert data["at"] == "2026-11-20T13:00:00+00:00"
    (contact,) = data["contacts"]
    assert {"address", "name", "sent", "received", "last_sent", "last_received",
            "unanswered_streak", "followups_in_window", "status"} <= set(contact)
    assert contact["last_sent"] == "2026-11-19T12:00:00+00:00"
    assert contact["last_received"] is None
    (finding,) = data["findings"]
    assert {"pitfall", "rule", "contact", "severity", "message", "advice", "evidence"} <= set(
        finding)
    assert (finding["pitfall"], finding["rule"], finding["severity"]) == (
        7, "followup-overload", "warn")
    assert finding["evidence"] == ["<m2@test.invalid>", "<m3@test.invalid>",
                                   "<m4@test.invalid>", "<m5@test.invalid>"]
    assert "follow-ups zonder antwoord" in finding["message"]


def test_an_empty_store_gives_an_empty_report() -> None:
    report = build_report(Mailbox().conn, RULES, T0)
    assert (report.contacts, report.findings) == ((), ())
