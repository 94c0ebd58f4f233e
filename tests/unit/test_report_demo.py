"""The rules on the bundled demo mailbox produce what the demo was built to show
(``resources/demo/expected.toml``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from netguard.analysis.guard import check
from netguard.analysis.report import build_report
from netguard.demo_mailbox import DEMO_AT, expected, load_demo
from netguard.settings import Rules
from netguard.store import open_store

EXPECTED = expected()
RULES = Rules()


@pytest.fixture(scope="module")
def demo() -> Iterator[sqlite3.Connection]:
    conn = open_store(":memory:")
    load_demo(conn)
    yield conn
    conn.close()


@pytest.fixture(scope="module")
def report(demo: sqlite3.Connection):  # type: ignore[no-untyped-def]
    return build_report(demo, RULES, DEMO_AT)


def test_the_demo_is_taken_at_its_own_time() -> None:
    assert DEMO_AT.isoformat() == EXPECTED["at"]


@pytest.mark.parametrize("address", sorted(EXPECTED["contacts"]))
def test_each_demo_contact_shows_what_it_was_built_for(
    address: str, demo: sqlite3.Connection, report  # type: ignore[no-untyped-def]
) -> None:
    want = EXPECTED["contacts"][address]
    (row,) = [c for c in report.contacts if c.address == address]
    assert sorted(row.status) == sorted(want["rules"]), want["shows"]
    assert row.name == want["name"]
    assert (row.sent, row.received, row.followups_in_window) == (
        want["sent"], want["received"], want["followups_in_window"]), want["shows"]
    verdict = check(demo, RULES, [address], at=DEMO_AT)
    assert ("warn" if verdict.warn else "clear") == want["guard"], want["shows"]


def test_no_contact_beyond_the_expected_ones(report) -> None:  # type: ignore[no-untyped-def]
    addresses = {c.address for c in report.contacts}
    assert not addresses & set(EXPECTED["not_contacts"])
    assert addresses == set(EXPECTED["contacts"])
