"""The per-contact summary the report reads (issue 18): always the answer the messages give.

Each check compares the summary's histories with ``all_events`` (the scan of every message)
and the whole report with one computed from the messages, after the ways the store changes:
new mail (a few contacts, then many), messages gone, a folder changing role, a new bulk limit.
"""

from __future__ import annotations

import random
import tracemalloc
from pathlib import Path

import pytest
from analysis_mailbox import ME, T0, Mailbox, days

from netguard.analysis import report as report_module
from netguard.analysis import summary
from netguard.analysis.history import all_events, every_contact_events
from netguard.analysis.report import build_report
from netguard.analysis.summary import contact_histories
from netguard.cli.main import main
from netguard.model import Role
from netguard.settings import Rules
from netguard.store import open_store
from netguard.store import summary as stored
from netguard.store.messages import ensure_folder, keep_only
from netguard.store.people import add_me, my_addresses
from tests.integration.test_sync import mail

RULES = Rules()
UNTIL = int(T0.timestamp())


def people(n: int) -> list[str]:
    return [f"p{i}@example.com" for i in range(n)]


def fill(box: Mailbox, rng: random.Random, n: int, who: list[str]) -> None:
    """Mixed mail: To and Cc, bulk, duplicates in two folders, automatic and list mail."""
    for _ in range(n):
        when = T0 - days(rng.uniform(0, 400))
        if rng.random() < 0.5:
            to = [rng.choice(who)] + (rng.sample(who, 11) if rng.random() < 0.05 else [])
            cc = [rng.choice(who)] if rng.random() < 0.2 else []
            mid = box.sent(to, when, cc=cc)
            if rng.random() < 0.05:
                box.sent(to, when, cc=cc, folder="Archive", message_id=mid)
        else:
            sender = f"Person {rng.randrange(3)} <{rng.choice(who)}>"
            subject = "Out of office" if rng.random() < 0.05 else "Re: Voorstel"
            extra = "List-Id: <club.example.com>" if rng.random() < 0.03 else ""
            box.received(sender, when, subject=subject, extra=extra)


def same_as_messages(box: Mailbox, bulk: int = RULES.bulk_recipients, until: int = UNTIL) -> None:
    me = my_addresses(box.conn)
    expected = {a: h.unique() for a, h in all_events(box.conn, bulk, until, me).items()}
    found = {a: h.unique() for a, h in contact_histories(box.conn, bulk, until, me).items()}
    assert found == expected


def report_from_messages(box: Mailbox, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as patch:
        patch.setattr(report_module, "contact_histories",
                      all_events)
        return build_report(box.conn, RULES, T0)


@pytest.fixture
def box() -> Mailbox:
    box = Mailbox()
    box.folder("Archive", Role.SENT)
    fill(box, random.Random(1), 400, people(40))
    return box


def test_the_report_from_the_summary_is_the_report_from_the_messages(
        box: Mailbox, monkeypatch: pytest.MonkeyPatch) -> None:
    assert build_report(box.conn, RULES, T0) == report_from_messages(box, monkeypatch)
    summary.rebuild(box.conn, RULES.bulk_recipients)  # from scratch: the same again
    assert build_report(box.conn, RULES, T0) == report_from_messages(box, monkeypatch)


def test_new_mail_for_a_few_contacts_updates_only_them(box: Mailbox) -> None:
    same_as_messages(box)
    fill(box, random.Random(2), 5, people(40))
    newest = stored.last_message(box.conn)
    assert stored.state(box.conn) != stored.State(newest, RULES.bulk_recipients)
    same_as_messages(box)
    assert stored.state(box.conn) == stored.State(newest, RULES.bulk_recipients)


def test_much_new_mail_and_new_contacts(box: Mailbox) -> None:
    same_as_messages(box)
    fill(box, random.Random(3), 300, people(400))
    same_as_messages(box)


def test_earlier_times_aliases_and_bulk_limits_are_applied_as_read(box: Mailbox) -> None:
    same_as_messages(box)
    same_as_messages(box, until=UNTIL - 200 * 86_400)
    add_me(box.conn, "p3@example.com", "alias")
    same_as_messages(box)
    same_as_messages(box, bulk=3)
    same_as_messages(box)


def test_messages_gone_make_it_stale(box: Mailbox) -> None:
    same_as_messages(box)
    keep_only(box.conn, box.folders["INBOX"], set(range(1, 60)))
    assert stored.state(box.conn) is None
    same_as_messages(box)


def test_a_folder_changing_role(box: Mailbox) -> None:
    same_as_messages(box)
    ensure_folder(box.conn, "Archive", Role.RECEIVED)
    assert stored.state(box.conn) is None
    same_as_messages(box)


def test_a_store_it_cannot_write_is_answered_from_the_messages(box: Mailbox) -> None:
    box.conn.execute("PRAGMA query_only = ON")
    same_as_messages(box)
    assert stored.state(box.conn) is None  # nothing written; the next writable read builds it


def test_an_import_leaves_it_up_to_date(home: Path) -> None:
    mbox = home.parent / "sent.mbox"
    mbox.write_bytes(b"".join(
        b"From me@mine.nl Tue Jul  1 10:00:00 2025\n" + mail(n, ME, "anna@example.nl")
        .replace(b"\r\n", b"\n") + b"\n" for n in range(3)))
    assert main(["--home", str(home), "import", str(mbox)]) == 0
    conn = open_store(home / "netguard.sqlite3")
    assert stored.state(conn) == stored.State(stored.last_message(conn), RULES.bulk_recipients)
    assert [a for a, _, _ in stored.rows(conn)] == ["anna@example.nl"]


def test_every_contact_one_at_a_time_is_the_scan_of_every_message(box: Mailbox) -> None:
    fill(box, random.Random(4), 200, [*people(400), "noreply@example.com", ME])
    expected = all_events(box.conn, RULES.bulk_recipients, summary.FOREVER, ())
    found = list(every_contact_events(box.conn, RULES.bulk_recipients, summary.FOREVER))
    assert [h.address for h in found] == sorted(expected)  # address order, each once
    assert {h.address: (h.sent, h.received) for h in found} == {
        a: (h.sent, h.received) for a, h in expected.items()}  # the same rows, in the same order


def test_a_rebuild_holds_one_part_of_the_contacts_at_a_time() -> None:
    """Its memory is that of ``PUT_AT_ONCE`` contacts, not that of every message."""
    box = Mailbox()
    for i in range(2000):
        box.sent([f"q{i}@example.com"], T0 - days(i % 300))
    tracemalloc.start()
    try:
        all_events(box.conn, RULES.bulk_recipients, summary.FOREVER, ())
        whole = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        summary.rebuild(box.conn, RULES.bulk_recipients)
        streamed = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(list(stored.rows(box.conn))) == 2000
    assert streamed < whole / 2
