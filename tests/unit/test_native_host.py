"""`netguard native-host` as Thunderbird runs it: a subprocess speaking length-prefixed JSON."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import time
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from analysis_mailbox import Mailbox, days

from netguard.paths import Profile
from netguard.store import open_store
from netguard.thunderbird.framing import REQUEST_LIMIT
from netguard.thunderbird.host import serve

FRANK, ANNA, ME = "frank@example.com", "anna@example.com", "me@mine.nl"
BODY = "Hoi Frank,\n\nSorry dat ik je weer stoor, heb je al tijd gehad om naar mijn cv te kijken?\n"


def frame(data: bytes) -> bytes:
    return struct.pack("=I", len(data)) + data


def message(request: dict[str, Any]) -> bytes:
    return frame(json.dumps(request).encode("utf-8"))


def answers(raw: bytes) -> list[dict[str, Any]]:
    found, at = [], 0
    while at < len(raw):
        (length,) = struct.unpack("=I", raw[at:at + 4])
        found.append(json.loads(raw[at + 4:at + 4 + length].decode("utf-8")))
        at += 4 + length
    assert at == len(raw)
    return found


def host(home: Path, stdin: bytes) -> list[dict[str, Any]]:
    """Start the host as Thunderbird does (manifest path and add-on id as arguments)."""
    env = {**os.environ, "NETGUARD_HOME": str(home), "LANG": "en_GB.UTF-8"}
    result = subprocess.run(
        [sys.executable, "-m", "netguard", "native-host", "/x/netguard.json",
         "guard@netguard.invalid"],
        input=stdin, capture_output=True, env=env, check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    return answers(result.stdout)


@pytest.fixture
def store_home(home: Path) -> Path:
    """A store where Frank has had an opener and four follow-ups this week; Anna answered."""
    profile = Profile.locate(home).ensure()
    conn = open_store(profile.database)
    box = Mailbox(conn)
    now = datetime.now(UTC)
    for i in range(5):
        box.sent(FRANK, now - days(5) + days(i))
    box.sent(ANNA, now - days(3))
    box.received(ANNA, now - days(2), subject="Re: Voorstel")
    conn.commit()
    conn.close()
    (profile.settings_file).write_text('language = "en"\n', encoding="utf-8")
    return home


def check(to: list[str], body: str = "Thanks!", **extra: Any) -> dict[str, Any]:
    return {"type": "check", "from": ME, "to": to, "cc": [], "body": body, **extra}


def test_a_fifth_followup_warns_with_reason_advice_and_lint_notes(store_home: Path) -> None:
    (answer,) = host(store_home, message(check([FRANK], BODY)))
    assert (answer["ok"], answer["verdict"], answer["judged"]) == (True, "warn", True)
    (frank,) = answer["recipients"]
    assert (frank["address"], frank["warn"], frank["followups_in_window"]) == (FRANK, True, 4)
    overload = [f for f in frank["findings"] if f["rule"] == "followup-overload"]
    assert overload and overload[0]["message"] and overload[0]["advice"]
    assert any("Sorry" in f["text"] for f in answer["lint"]["findings"])


def test_a_contact_who_answered_is_clear_and_several_requests_share_one_host(
    store_home: Path,
) -> None:
    clear, closing = host(store_home, message(check([ANNA])) + message(
        check([FRANK], closing_for=[FRANK])))
    assert (clear["ok"], clear["verdict"]) == (True, "clear")
    assert clear["recipients"][0]["warn"] is False
    assert clear["lint"] is None  # a clear send is answered by the guard alone
    assert (closing["verdict"], closing["recipients"][0]["closing"]) == ("clear", True)


def test_the_lint_on_request_for_a_clear_draft(store_home: Path) -> None:
    (answer,) = host(store_home, message(check([ANNA], BODY, lint=True)))
    assert answer["verdict"] == "clear"
    assert any("Sorry" in f["text"] for f in answer["lint"]["findings"])


def test_mail_from_an_identity_netguard_does_not_know_is_not_judged(store_home: Path) -> None:
    request = check([FRANK]) | {"from": "work@elsewhere.org"}
    (answer,) = host(store_home, message(request))
    assert (answer["verdict"], answer["judged"]) == ("clear", False)
    assert "work@elsewhere.org" in answer["note"]


def test_close_the_loop_text_for_a_contact(store_home: Path) -> None:
    (answer,) = host(store_home, message({"type": "close_loop", "to": FRANK}))
    assert (answer["ok"], answer["to"]) == (True, FRANK)
    assert answer["subject"].strip() and answer["body"].strip()


def test_malformed_and_oversized_requests_get_an_error_and_the_host_carries_on(
    store_home: Path,
) -> None:
    oversized = struct.pack("=I", REQUEST_LIMIT + 1) + b"x" * (REQUEST_LIMIT + 1)
    got = host(store_home, frame(b"{not json") + frame(b"[1, 2]") + frame(b"\xff\xfe")
               + message({"type": "launch"}) + message({"type": "check", "to": "frank"})
               + oversized + message({"type": "ping"}))
    assert [a["ok"] for a in got] == [False] * 6 + [True]
    assert {a["error"] for a in got[:6]} == {"malformed"}
    assert all(a["message"].startswith("NetGuard did not understand") for a in got[:6])


def test_a_message_cut_short_ends_the_host_quietly(store_home: Path) -> None:
    assert host(store_home, message({"type": "ping"}) + struct.pack("=I", 100) + b"{") == [
        {"ok": True, "type": "ping", "lang": "en"}]


def test_without_a_store_the_host_says_so_and_creates_none(home: Path) -> None:
    (answer,) = host(home, message(check([FRANK])))
    assert (answer["ok"], answer["error"]) == (False, "no_store")
    assert "netguard sync" in answer["message"]
    assert not Profile.locate(home).database.exists()


def test_the_host_starts_and_answers_quickly(store_home: Path) -> None:
    started = time.monotonic()
    (answer,) = host(store_home, message(check([ANNA])))
    elapsed = time.monotonic() - started
    assert answer["verdict"] == "clear"
    assert elapsed < 3.0  # a whole start per message; measured ~0.3 s (see the README)


def test_an_answer_too_large_for_thunderbird_becomes_an_error() -> None:
    out = BytesIO()
    served = serve(BytesIO(message({"type": "ping"})), out,
                   lambda request: {"ok": True, "blob": "x" * (2 * 1024 * 1024)}, "en")
    (answer,) = answers(out.getvalue())
    assert (served, answer["ok"], answer["error"]) == (1, False, "internal")
