"""The outbox, allowances and forced sends in the store."""

from __future__ import annotations

import sqlite3

import pytest

from netguard import outbox
from netguard.store import open_store


@pytest.fixture
def conn() -> sqlite3.Connection:
    return open_store(":memory:")


def test_a_queued_message_stays_until_removed_and_queuing_twice_adds_nothing(
        conn: sqlite3.Connection) -> None:
    outbox.put(conn, "<a@x>", b"raw", sender="me@x", recipients=["anna@y", "bob@y"])
    outbox.put(conn, "<a@x>", b"other", sender="me@x", recipients=["anna@y"])
    [item] = outbox.pending(conn)
    assert (item.raw, item.recipients, item.state, item.attempts) == (
        b"raw", ("anna@y", "bob@y"), "queued", 0)
    outbox.attempt(conn, "<a@x>")
    outbox.failed(conn, "<a@x>", "network down")
    outbox.mark_sent(conn, "<a@x>")
    item = outbox.get(conn, "<a@x>")
    assert item is not None and (item.attempts, item.state, item.last_error) == (1, "sent", "")
    outbox.remove(conn, "<a@x>")
    assert outbox.pending(conn) == []


def test_an_allowance_covers_its_address_until_it_runs_out_or_is_used(
        conn: sqlite3.Connection) -> None:
    outbox.allow(conn, "Anna@Example.org", minutes=15, now=1000)
    assert outbox.allowed(conn, ["anna@example.org"], now=1000 + 14 * 60)
    assert not outbox.allowed(conn, ["anna@example.org"], now=1000 + 16 * 60)
    assert not outbox.allowed(conn, ["anna@example.org", "bob@example.org"], now=1000)
    outbox.record_override(conn, "<m@x>", ["anna@example.org"], "allow")
    assert not outbox.allowed(conn, ["anna@example.org"], now=1000)
    assert conn.execute("SELECT message_id, address, via FROM guard_overrides").fetchall() == [
        ("<m@x>", "anna@example.org", "allow")]


def test_a_forced_send_is_recorded_and_leaves_allowances_alone(conn: sqlite3.Connection) -> None:
    outbox.allow(conn, "anna@example.org", minutes=15, now=1000)
    outbox.record_override(conn, "<m@x>", ["anna@example.org"], "force")
    assert outbox.allowed(conn, ["anna@example.org"], now=1000)


def test_a_hand_over_without_an_answer_is_in_doubt_until_sent_or_refused(
        conn: sqlite3.Connection) -> None:
    outbox.put(conn, "<a@x>", b"raw", sender="me@x", recipients=["anna@y"])
    outbox.handing_over(conn, "<a@x>")
    item = outbox.get(conn, "<a@x>")
    assert item is not None and item.in_doubt and item.state == "queued"
    outbox.not_delivered(conn, "<a@x>")  # the server answered the data with a refusal
    assert not outbox.get(conn, "<a@x>").in_doubt  # type: ignore[union-attr]
    outbox.handing_over(conn, "<a@x>")
    outbox.mark_sent(conn, "<a@x>")
    item = outbox.get(conn, "<a@x>")
    assert item is not None and (item.state, item.in_doubt, item.handed_over) == ("sent", False, 0)


def test_a_message_queued_before_the_upgrade_is_not_in_doubt(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from netguard.store import migrations

    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    before = migrations.MIGRATIONS.index(migrations._v5_outbox_in_doubt)
    for number, migration in enumerate(migrations.MIGRATIONS[:before], start=1):
        migration(old)
        old.execute(f"PRAGMA user_version = {number}")
    old.execute("INSERT INTO outbox (message_id, raw, sender, recipients, state, attempts, "
                "created) VALUES ('<old@x>', x'00', 'me@x', 'anna@y', 'queued', 1, 0)")
    old.close()
    upgraded = open_store(path)
    [item] = outbox.pending(upgraded)
    assert (item.message_id, item.in_doubt) == ("<old@x>", False)
    upgraded.close()
