"""People, not machines (SPEC §1 "others"): senders whose mail looks automated are listed apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from analysis_mailbox import T0, Mailbox, days

from netguard.analysis.history import best_name
from netguard.analysis.model import Report
from netguard.analysis.others import role_address
from netguard.analysis.report import build_report
from netguard.analysis.serialize import report_to_json
from netguard.mail.importer import import_path
from netguard.model import BulkSign, Role
from netguard.settings import Rules
from netguard.store import db, open_store
from netguard.store.migrations import MIGRATIONS, _v6_bulk_signs

RULES = Rules()
NEWS = "hallo@winkel.example"  # a newsletter from a box with no role name
ANNA = "anna@example.com"


def report(box: Mailbox) -> Report:
    return build_report(box.conn, RULES, T0)


def contacts(found: Report) -> list[str]:
    return [c.address for c in found.contacts]


def others(found: Report) -> dict[str, tuple[str, ...]]:
    return {o.address: o.why for o in found.others}


def three_mails(box: Mailbox, sender: str, extra: str = "", to: str | list[str] = "") -> None:
    """Three messages in a month: enough for *unreciprocated* from a person."""
    for n in range(3):
        box.received(sender, T0 - days(3 + 7 * n), subject=f"Mail {n}", extra=extra,
                     **({"to": to} if to else {}))


@pytest.mark.parametrize(("extra", "why"), [
    ("List-Unsubscribe: <https://winkel.example/u/1>", "list-unsubscribe"),
    ("Feedback-ID: 42:weekly:esp", "feedback-id"),
    ("Precedence: bulk", "precedence-bulk"),
    ("List-Id: <actie.winkel.example>", "list-id"),
])
def test_a_header_sign_makes_a_sender_one_of_the_others(extra: str, why: str) -> None:
    box = Mailbox()
    three_mails(box, f"Webwinkel <{NEWS}>", extra)
    found = report(box)
    assert contacts(found) == []
    assert others(found) == {NEWS: (why,)}
    assert found.findings == ()
    assert found.others[0].name == "Webwinkel"
    assert found.others[0].received == 3


def test_mail_received_as_bulk_makes_a_sender_one_of_the_others() -> None:
    box = Mailbox()
    crowd = [f"p{i}@corp.example" for i in range(RULES.bulk_recipients)]
    three_mails(box, "hr.team@corp.example", to=["me@mine.nl", *crowd])
    assert others(report(box)) == {"hr.team@corp.example": ("many-recipients",)}


@pytest.mark.parametrize("sender", [
    "no.address@enron.com", "enron.announcements@enron.com", "office.chairman@enron.com",
    "noreply@shop.example", "no-reply-42@shop.example", "do_not_reply@bank.example",
    "newsletter@club.example", "nieuwsbrief@gemeente.example", "info@bakkerij.example",
    "news+weekly@paper.example", "notificaties@bank.example",
])
def test_a_role_or_broadcast_address_is_one_of_the_others(sender: str) -> None:
    box = Mailbox()
    three_mails(box, sender)
    found = report(box)
    assert contacts(found) == []
    assert others(found) == {sender: ("role-address",)}
    assert found.findings == ()  # never "owe a reply"


@pytest.mark.parametrize("address", [
    "a..shankman@enron.com", "john.sherriff@enron.com", "sinfo@x.nl", "newman@x.nl",
    "anna.nieuwsma@x.nl", "bulletinboard-fan@x.nl",
])
def test_people_are_not_role_addresses(address: str) -> None:
    assert not role_address(address)


def test_a_person_writing_me_unanswered_stays_a_contact_with_a_finding() -> None:
    box = Mailbox()
    three_mails(box, f"Anna <{ANNA}>")
    found = report(box)
    assert contacts(found) == [ANNA]
    assert found.others == ()
    assert [f.rule for f in found.findings] == ["unreciprocated"]


def test_writing_to_one_makes_it_a_contact() -> None:
    box = Mailbox()
    three_mails(box, NEWS, "List-Unsubscribe: <mailto:u@winkel.example>")
    box.sent(NEWS, T0 - days(1), subject="Please take me off the list")
    found = report(box)
    assert contacts(found) == [NEWS]
    assert found.others == ()


def test_a_person_behind_info_whom_i_wrote_to_stays_a_contact() -> None:
    box = Mailbox()
    box.sent("Bakkerij Jansen <info@bakkerij.example>", T0 - days(40), subject="Taart")
    three_mails(box, "Bakkerij Jansen <info@bakkerij.example>")
    found = report(box)
    assert contacts(found) == ["info@bakkerij.example"]
    assert found.contacts[0].name == "Bakkerij Jansen"
    assert [f.rule for f in found.findings] == ["unreciprocated"]


def test_one_bulk_message_among_personal_ones_keeps_a_person() -> None:
    box = Mailbox()
    three_mails(box, ANNA)
    box.received(ANNA, T0 - days(2), extra="Precedence: bulk")  # her club's newsletter
    assert contacts(report(box)) == [ANNA]


def test_messages_stored_before_the_marks_are_judged_by_what_is_known() -> None:
    box = Mailbox()
    three_mails(box, NEWS, "List-Unsubscribe: <mailto:u@winkel.example>")
    three_mails(box, "no.address@enron.com")
    three_mails(box, ANNA)
    box.conn.execute("UPDATE messages SET bulk_signs = NULL")  # as a store synced before v5
    found = report(box)
    assert contacts(found) == [ANNA, NEWS]  # its mark was never stored: a sender like any
    assert others(found) == {"no.address@enron.com": ("role-address",)}
    for n in range(4):  # synced since: most of its mail now shows what it is
        box.received(NEWS, T0 - days(1 + n / 10),
                     extra="List-Unsubscribe: <mailto:u@winkel.example>")
    assert others(report(box))[NEWS] == ("list-unsubscribe",)


def test_report_json_lists_others_apart() -> None:
    box = Mailbox()
    box.sent(ANNA, T0 - days(5))
    box.received("Enron Announcements <enron.announcements@enron.com>", T0 - days(4))
    box.received("enron.announcements@enron.com", T0 - days(3))
    box.received("<no.address@enron.com>", T0 - days(2), extra="Precedence: bulk")
    data = report_to_json(report(box))
    assert [c["address"] for c in data["contacts"]] == [ANNA]
    assert data["others"] == [
        {"address": "enron.announcements@enron.com", "name": "Enron Announcements",
         "received": 2, "why": ["role-address"]},
        {"address": "no.address@enron.com", "name": "", "received": 1,
         "why": ["role-address", "precedence-bulk"]},
    ]


def test_me_is_never_one_of_the_others() -> None:
    box = Mailbox()
    box.sent(ANNA, T0 - days(5), frm="info@mine.nl")
    box.received("info@mine.nl", T0 - days(4), extra="Precedence: bulk")
    assert report(box).others == ()


def test_an_existing_store_gets_the_marks_column(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.sqlite3"
    with monkeypatch.context() as before:  # a store from the NetGuard before the marks
        before.setattr(db, "MIGRATIONS", MIGRATIONS[:MIGRATIONS.index(_v6_bulk_signs)])
        open_store(path).close()
    box = Mailbox(open_store(path))
    three_mails(box, NEWS, "Feedback-ID: 1:2:3")
    assert others(report(box)) == {NEWS: ("feedback-id",)}
    assert box.conn.execute("SELECT DISTINCT bulk_signs FROM messages").fetchall() == [(2,)]


def test_names_are_the_display_name_used_most() -> None:
    box = Mailbox()
    for n in range(3):
        box.received(f"Frank Jansen <{ANNA}>", T0 - days(30 + n))
    box.received(f"F. Jansen | Jansen Bouw <{ANNA}>", T0 - days(2))
    box.sent(f"Frank <{ANNA}>", T0 - days(1))
    assert report(box).contacts[0].name == "Frank Jansen"


def test_an_address_as_display_name_is_no_name() -> None:
    box = Mailbox()
    box.sent(f"'{ANNA}' <{ANNA}>", T0 - days(2))
    box.received(f"{ANNA.upper()} <{ANNA}>", T0 - days(1))
    assert report(box).contacts[0].name == ""


def test_equally_used_names_give_the_latest() -> None:
    rows = [(ANNA, 1, "<a>", 1, "Anna", ""), (ANNA, 3, "<b>", 1, "Anna de Vries", "")]
    assert best_name(rows, [(ANNA, 2, "<c>", 0, "", "")]) == "Anna de Vries"
    assert best_name([], []) == ""


def test_an_imported_mbox_keeps_the_marks(tmp_path: Path) -> None:
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(
        b"From hallo@winkel.example Tue Jul  1 10:00:00 2025\n"
        b"Received: from mx by mail\nFrom: Webwinkel <hallo@winkel.example>\nTo: me@mine.nl\n"
        b"Date: Tue, 1 Jul 2025 10:00:00 +0200\nMessage-ID: <n1@winkel.example>\n"
        b"List-Unsubscribe: <mailto:u@winkel.example>\nFeedback-ID: 1:2:3\n"
        b"Subject: Zomeractie\n\nBody\n\n"
        b"From anna@example.com Tue Jul  1 11:00:00 2025\n"
        b"From: Anna <anna@example.com>\nTo: me@mine.nl\nDate: Tue, 1 Jul 2025 11:00:00 +0200\n"
        b"Message-ID: <a1@example.com>\nSubject: Hoi\n\nBody\n\n")
    box = Mailbox()
    import_path(box.conn, mbox, Role.RECEIVED)
    stored = dict(box.conn.execute("SELECT from_addr, bulk_signs FROM messages"))
    assert stored == {"hallo@winkel.example": BulkSign.LIST_UNSUBSCRIBE | BulkSign.FEEDBACK_ID,
                      "anna@example.com": 0}
    assert others(build_report(box.conn, RULES, T0)) == {
        "hallo@winkel.example": ("list-unsubscribe", "feedback-id")}
