"""`netguard report`, `guard`, `contacts mute|unmute` and `me` through ``main()``."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from analysis_mailbox import T0, Mailbox, days

from netguard.analysis.model import ContactState, Report
from netguard.cli.main import main
from netguard.cli.report import render
from netguard.paths import Profile
from netguard.store import open_store
from netguard.texts import text

FRANK = "frank@example.com"
AT = (T0 + timedelta(hours=1)).isoformat()


@pytest.fixture
def pushy(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A profile whose store holds an opener and four follow-ups to Frank this week."""
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    conn = open_store(Profile.locate(str(home)).ensure().database)
    box = Mailbox(conn)
    for i in range(5):
        box.sent(f"Frank Jansen <{FRANK}>", T0 - days(5) + days(i))
    box.sent("anna@example.com", T0 - days(2))
    box.received("anna@example.com", T0 - days(1))
    conn.close()
    return home


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict]:
    code = main(list(argv))
    return code, json.loads(capsys.readouterr().out)


def test_report_json(pushy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = run_json(capsys, "report", "--json", "--at", AT)
    assert code == 0
    assert data["at"] == "2026-11-20T13:00:00+00:00"
    assert [c["address"] for c in data["contacts"]] == [FRANK, "anna@example.com"]
    assert data["contacts"][0]["status"] == ["followup-overload"]
    assert [f["rule"] for f in data["findings"]] == ["followup-overload"]


def test_report_json_others(pushy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    box = Mailbox(open_store(Profile.locate(str(pushy)).database))
    box.received("Enron Announcements <enron.announcements@enron.com>", T0 - days(3))
    box.received("Webwinkel <hallo@winkel.example>", T0 - days(2),
                 extra="List-Unsubscribe: <mailto:u@winkel.example>")
    box.conn.close()
    code, data = run_json(capsys, "report", "--json", "--at", AT)
    assert code == 0
    assert [c["address"] for c in data["contacts"]] == [FRANK, "anna@example.com"]
    assert data["others"] == [
        {"address": "enron.announcements@enron.com", "name": "Enron Announcements",
         "received": 1, "why": ["role-address"]},
        {"address": "hallo@winkel.example", "name": "Webwinkel", "received": 1,
         "why": ["list-unsubscribe"]},
    ]
    assert main(["report", "--at", AT]) == 0
    assert "Not counted as people: 2 senders" in capsys.readouterr().out


def test_report_terminal_table(pushy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--at", AT]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("Contacts (2)")
    assert "too many follow-ups" in lines[2] and FRANK in lines[2]
    assert "anna@example.com" in lines[3]
    assert "Several messages in one week" in out


def test_report_in_dutch(pushy: Path, capsys: pytest.CaptureFixture[str],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "nl_NL.UTF-8")
    assert main(["report", "--at", AT]) == 0
    out = capsys.readouterr().out
    assert "te veel follow-ups" in out and "opgejaagd" in out


def test_guard_warns_with_exit_3(pushy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, data = run_json(capsys, "guard", "--to", "Frank@Example.com", "--to",
                          "anna@example.com", "--cc", "bob@example.com", "--at", AT, "--json")
    assert code == 3
    assert data["verdict"] == "warn"
    frank, anna = data["recipients"]
    assert (frank["address"], frank["followups_in_window"], frank["window_days"],
            frank["followup_limit"]) == (FRANK, 4, 7, 5)
    assert [f["rule"] for f in frank["findings"]] == ["followup-overload"]
    assert {"pitfall", "rule", "message", "advice"} <= set(frank["findings"][0])
    assert (anna["followups_in_window"], anna["findings"]) == (0, [])


def test_guard_clear_with_exit_0(pushy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    earlier = (T0 - days(2) + timedelta(hours=1)).isoformat()
    code, data = run_json(capsys, "guard", "--to", FRANK, "--at", earlier, "--json")
    assert (code, data["verdict"]) == (0, "clear")
    assert data["recipients"][0]["followups_in_window"] == 3  # T0-4d, -3d, -2d


def test_guard_terminal(pushy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["guard", "--to", FRANK, "--at", AT]) == 3
    out = capsys.readouterr().out
    assert out.startswith("WARN")
    assert "This would be follow-up number 5 to Frank Jansen within 7 days" in out


def test_guard_with_a_body_file(pushy: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    body = tmp_path / "draft.txt"
    body.write_text("Hoi Frank,\n\nHeb je al gekeken naar mijn voorstel?? Ik hoor graag zo snel "
                    "mogelijk van je.\n\nGroet,\nSanne\n", encoding="utf-8")
    code, data = run_json(capsys, "guard", "--to", FRANK, "--at", AT, "--body-file",
                          str(body), "--json")
    assert (code, data["verdict"]) == (3, "warn")
    assert data["lint"]["language"] == "nl"
    assert "pushy-wording" in {f["rule"] for f in data["lint"]["findings"]}
    assert main(["guard", "--to", FRANK, "--at", AT, "--body-file", str(body)]) == 3
    assert "gekeken" in capsys.readouterr().out


def test_guard_bad_at_is_a_usage_error(pushy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["guard", "--to", FRANK, "--at", "next tuesday"]) == 2
    assert "ISO 8601" in capsys.readouterr().err


def test_muting_silences_the_guard(pushy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["contacts", "mute", "Frank@Example.com"]) == 0
    assert "muted" in capsys.readouterr().out
    code, data = run_json(capsys, "guard", "--to", FRANK, "--at", AT, "--json")
    assert (code, data["verdict"]) == (0, "clear")
    assert data["recipients"][0]["muted"] is True
    assert data["recipients"][0]["followups_in_window"] == 4
    code, report = run_json(capsys, "report", "--json", "--at", AT)
    assert report["findings"] == []
    assert main(["contacts", "unmute", FRANK]) == 0
    capsys.readouterr()
    assert main(["guard", "--to", FRANK, "--at", AT]) == 3


def test_me_add_list_remove(pushy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["me", "add", "Info@MijnBedrijf.nl"]) == 0
    assert main(["me", "list"]) == 0
    out = capsys.readouterr().out
    assert "info@mijnbedrijf.nl  (alias)" in out
    assert "me@mine.nl  (seen in Sent)" in out
    # an alias is never judged as a recipient
    code, data = run_json(capsys, "guard", "--to", "info@mijnbedrijf.nl", "--json")
    assert (code, data["recipients"]) == (0, [])
    assert main(["me", "remove", "info@mijnbedrijf.nl"]) == 0
    capsys.readouterr()
    assert main(["me", "list"]) == 0
    assert "info@mijnbedrijf.nl" not in capsys.readouterr().out


def test_mute_rejects_a_non_address(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["contacts", "mute", "not an address"]) == 2


def test_report_on_an_empty_profile(home: Path, capsys: pytest.CaptureFixture[str],
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    assert main(["report"]) == 0
    assert "No contacts yet" in capsys.readouterr().out


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_contact_with_several_states_shows_them_whole(lang: str) -> None:
    """The state is the table's last column: never cut, however many findings make it."""
    status = ("followup-overload", "let-it-rest", "neglected", "follow-up-now")
    when = T0 - days(200)
    report = Report(at=T0, contacts=(
        ContactState(FRANK, "Frank Jansen", 9, 2, when, when, 5, 0, status),
        ContactState("anna@example.com", "", 1, 1, when, None, 0, 0),
    ))
    lines = render(report, lang).splitlines()
    whole = ", ".join(text("report", lang, f"state_{key}") for key in status)
    assert lines[2].endswith("  " + whole) and FRANK in lines[2]
    assert lines[3].endswith("  " + text("report", lang, "state_ok"))
    assert lines[1].endswith(text("report", lang, "col_state"))
    # the columns line up whatever the language's headers: each row's state starts where the
    # header's does
    start = lines[1].index(text("report", lang, "col_state"))
    assert lines[2].index(text("report", lang, f"state_{status[0]}")) == start
