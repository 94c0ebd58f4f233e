"""The bundled demo mailbox: deterministic, loadable, and built to show every SPEC §1 clause.

The rules themselves are asserted against expected.toml by the analysis tests; here: the data.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from netguard.demo_mailbox import DEMO_AT, DEMO_USER, demo_workspace, expected, load_demo
from netguard.resources import resource
from netguard.store import open_store
from netguard.store.people import my_addresses

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_db():  # type: ignore[no-untyped-def]
    conn = open_store(":memory:")
    load_demo(conn)
    yield conn
    conn.close()


def test_the_committed_demo_is_what_the_script_builds(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(REPO / "tools" / "build_demo.py"), str(tmp_path)],
                   check=True, capture_output=True)
    for name in ("sent.mbox", "inbox.mbox", "expected.toml"):
        committed = resource("demo", name).read_bytes()
        assert (tmp_path / name).read_bytes() == committed, f"{name}: run tools/build_demo.py"


def test_the_demo_is_small_and_ends_at_demo_at(demo_db) -> None:  # type: ignore[no-untyped-def]
    manifest = expected()
    assert datetime.fromisoformat(manifest["at"]) == DEMO_AT
    counts = dict(demo_db.execute(
        "SELECT role, count(*) FROM messages JOIN folders ON folders.id = folder_id GROUP BY role"))
    assert counts == {"sent": manifest["messages_sent"], "received": manifest["messages_received"]}
    assert 100 < sum(counts.values()) < 500
    first, last = demo_db.execute("SELECT min(time), max(time) FROM messages").fetchone()
    assert last <= DEMO_AT.timestamp()
    assert DEMO_AT.timestamp() - first > 330 * 86400  # about a year of mail


def test_me_is_the_login_the_alias_and_the_sent_from(demo_db) -> None:  # type: ignore[no-untyped-def]
    assert my_addresses(demo_db) == frozenset(expected()["me"])
    assert DEMO_USER in my_addresses(demo_db)


def test_every_clause_has_a_contact(demo_db) -> None:  # type: ignore[no-untyped-def]
    contacts = expected()["contacts"]
    rules = {rule for c in contacts.values() for rule in c["rules"]}
    assert rules == {"followup-overload", "let-it-rest", "neglected", "burst-after-silence",
                     "unreciprocated", "give-it-time", "follow-up-now", "drifting"}
    warn_counts = sorted(c["followups_in_window"] for c in contacts.values()
                         if c["guard"] == "warn")
    assert 4 in warn_counts
    assert any(c["followups_in_window"] == 3 and c["guard"] == "clear"
               for c in contacts.values())
    roles = {c["role"] for c in contacts.values()}
    assert {"client", "prospect", "mentor", "peer", "recruiter"} <= roles


def test_the_tricky_headers_are_in_the_data(demo_db) -> None:  # type: ignore[no-untyped-def]
    q = demo_db.execute
    assert q("SELECT count(*) FROM messages WHERE is_list").fetchone()[0] >= 10
    assert q("SELECT count(*) FROM messages WHERE automatic AND from_addr LIKE 'mailer-daemon@%'"
             ).fetchone()[0] == 1
    assert q("SELECT count(*) FROM messages WHERE automatic AND subject LIKE 'Automatic reply%'"
             ).fetchone()[0] == 1
    assert q("SELECT max(n_recipients) FROM messages").fetchone()[0] > 10
    # one message without Date and one with a broken Date: both fall back to the From line
    fallback = q("SELECT from_addr, time FROM messages WHERE time_source = 'internaldate'"
                 " ORDER BY time").fetchall()
    assert fallback == [
        ("kees@vermeulen-drukwerk.nl", int(datetime(2026, 2, 11, 8, 15, tzinfo=UTC).timestamp())),
        ("zoe.janssen@gmail.com", int(datetime(2026, 10, 30, 21, 0, tzinfo=UTC).timestamp())),
    ]
    names = dict(q("SELECT DISTINCT from_addr, from_name FROM messages"
                   " WHERE from_addr IN ('zoe.janssen@gmail.com', 'jan@devries-illustratie.nl')"))
    assert names == {"zoe.janssen@gmail.com": "Zoë Janssen",
                     "jan@devries-illustratie.nl": "Jan de Vrïes"}
    # mixed case in the headers, one address in the store
    raw = resource("demo", "sent.mbox").read_bytes()
    assert b"Frank.Jansen@JansenBouw.NL" in raw
    assert q("SELECT count(*) FROM recipients WHERE address = 'frank.jansen@jansenbouw.nl'"
             ).fetchone()[0] == expected()["contacts"]["frank.jansen@jansenbouw.nl"]["sent"]
    # far time zones: the Auckland reply is stored in UTC, on the day before its local date
    aroha = q("SELECT time FROM messages WHERE from_addr = 'aroha@kowhai.co.nz'"
              " ORDER BY time DESC LIMIT 1").fetchone()[0]
    assert aroha == int(datetime(2026, 11, 12, 12, 0, tzinfo=UTC).timestamp())
    assert b"+1300" in resource("demo", "inbox.mbox").read_bytes()


def test_demo_workspace_is_a_throwaway_profile(tmp_path: Path) -> None:
    workspace = demo_workspace(tmp_path / "demo")
    try:
        assert workspace.profile.database.is_relative_to(tmp_path)
        assert workspace.settings.account.user == DEMO_USER
        assert workspace.store.execute("SELECT count(*) FROM messages").fetchone()[0] > 100
    finally:
        workspace.close()
