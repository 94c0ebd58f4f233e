"""The store's missing UIDs: counted per try, given up after MAX_TRIES, forgotten per folder."""

from __future__ import annotations

import sqlite3

import pytest

from netguard.model import Role
from netguard.store import messages, missing, open_store


@pytest.fixture
def conn() -> sqlite3.Connection:
    return open_store(":memory:")


def test_a_uid_is_given_up_on_its_third_vain_try(conn: sqlite3.Connection) -> None:
    folder = messages.ensure_folder(conn, "INBOX", Role.RECEIVED)
    assert missing.record(conn, folder, {5, 9}) == []
    assert missing.record(conn, folder, {5}) == []
    assert missing.to_ask(conn, folder) == [5, 9]
    assert missing.record(conn, folder, {5, 9}) == [5]
    assert missing.to_ask(conn, folder) == [9]


def test_found_and_forget_are_per_folder(conn: sqlite3.Connection) -> None:
    inbox = messages.ensure_folder(conn, "INBOX", Role.RECEIVED)
    sent = messages.ensure_folder(conn, "Sent", Role.SENT)
    missing.record(conn, inbox, {1, 2})
    missing.record(conn, sent, {1})
    missing.found(conn, inbox, [1])
    assert (missing.to_ask(conn, inbox), missing.to_ask(conn, sent)) == ([2], [1])
    missing.forget(conn, sent)
    assert (missing.to_ask(conn, inbox), missing.to_ask(conn, sent)) == ([2], [])
