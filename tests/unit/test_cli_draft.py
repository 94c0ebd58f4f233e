"""`netguard lint`, `netguard templates`, `netguard draft` (SPEC §6)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from netguard.cli.main import main

PUSHY = "Hoi Peter,\n\nHeb je al gekeken naar mijn voorstel??\n\nGroet,\nLinda\n"
CLEAN = "Hi Rachel,\n\nHere is the case study I mentioned; good luck with the launch!\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_lint_file_with_findings_exits_3(home: Path, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(PUSHY, encoding="utf-8")
    code, out, _ = run(capsys, "lint", str(draft))
    assert code == 3
    assert "regel 3, kolom 1" in out and "pushy-wording" in out and "\x1b[" not in out


def test_lint_json_from_stdin(home: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PUSHY))
    code, out, _ = run(capsys, "lint", "-", "--json")
    data = json.loads(out)
    assert code == 3 and data["language"] == "nl"
    assert [(f["rule"], f["text"]) for f in data["findings"]] == [
        ("pushy-wording", "Heb je al gekeken"), ("pushy-wording", "??")]
    assert PUSHY[data["findings"][0]["start"]:data["findings"][0]["end"]] == "Heb je al gekeken"


def test_lint_clean_exits_0(home: Path, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    draft = tmp_path / "clean.txt"
    draft.write_text(CLEAN, encoding="utf-8")
    code, out, _ = run(capsys, "lint", str(draft), "--lang", "en")
    assert code == 0 and out.strip() == "No pitfalls found in this draft."


def test_lint_to_unknown_address_is_a_first_message(home: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    draft = tmp_path / "cold.txt"
    draft.write_text("Dear Anna,\n\nI am a translator. Shall we have a call?\n", "utf-8")
    code, out, _ = run(capsys, "lint", str(draft), "--to", "anna@example.com", "--json")
    assert code == 3
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["cold-no-homework"]


def test_lint_uses_configured_competitors(home: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "settings.toml").write_text('[lint]\ncompetitors = ["Webburo Noord"]\n', "utf-8")
    draft = tmp_path / "gossip.txt"
    draft.write_text("Ik hoorde dat je bij webburo noord zat; dat zijn prutsers.\n", "utf-8")
    code, out, _ = run(capsys, "lint", str(draft), "--json")
    assert code == 3 and json.loads(out)["findings"][0]["rule"] == "gossip"


def test_lint_missing_file_is_a_usage_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "lint", "/nonexistent/draft.txt")
    assert code == 2 and "cannot read the draft" in err


def test_templates_json(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "templates", "--json")
    templates = json.loads(out)["templates"]
    assert code == 0 and len(templates) == 12
    cold = next(t for t in templates if t["name"] == "cold-intro" and t["language"] == "nl")
    assert {k: cold[k] for k in ("situation", "variables", "source")} == {
        "situation": "cold-intro", "variables": ["reason", "topic", "about_me"],
        "source": "bundled"}


def test_templates_table_shows_user_templates(home: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    folder = home / "templates"
    folder.mkdir(parents=True)
    (folder / "thanks.en.j2").write_text("Subject: Thanks\n\nThanks!\n", "utf-8")
    code, out, _ = run(capsys, "templates")
    assert code == 0
    assert any(line.split()[:2] == ["thanks", "en"] and line.endswith("user")
               for line in out.splitlines())


def test_draft_recommends_cold_intro_for_a_stranger(home: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "draft", "--to", "anna@example.com", "--lang", "nl", "--json",
                       "--set", "reason=ik je artikel over kleurpaletten las",
                       "--set", "me_name=Tom")
    data = json.loads(out)
    assert code == 0 and data["template"] == "cold-intro" and data["language"] == "nl"
    assert "omdat ik je artikel over kleurpaletten las" in data["body"]
    assert data["body"].rstrip().endswith("Tom")
    assert set(data) == {"template", "language", "subject", "body", "lint"}
    assert data["lint"] == []


def test_draft_without_needed_variable_says_which(home: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "draft", "--to", "anna@example.com", "--lang", "en")
    assert code == 1 and "'reason'" in err and "--set reason=" in err


def test_draft_with_explicit_template_as_text(home: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "draft", "--to", "anna@example.com", "--template", "reconnect",
                         "--lang", "en", "--at", "2026-11-20T09:30+01:00")
    assert code == 0 and out.startswith("Subject: How are things?\n\nHi,")
    assert "Template: reconnect (en)" in err


def test_draft_shows_pitfalls_of_a_user_template(home: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    folder = home / "templates"
    folder.mkdir(parents=True)
    (folder / "chase.nl.j2").write_text("Subject: Offerte\n\nHeb je al gekeken??\n", "utf-8")
    code, out, err = run(capsys, "draft", "--to", "a@example.com", "--template", "chase",
                         "--lang", "nl")
    assert code == 0 and "Heb je al gekeken??" in out
    assert "pushy-wording" in err


def test_unreadable_user_template_is_listed_and_fails_when_used(
        home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = home / "templates"
    folder.mkdir(parents=True)
    (folder / "latin.en.j2").write_bytes(b"Subject: caf\xe9\n\nHi\n")
    code, out, _ = run(capsys, "templates", "--json")
    assert code == 0 and "latin" in {t["name"] for t in json.loads(out)["templates"]}
    code, _, err = run(capsys, "draft", "--to", "a@example.com", "--template", "latin",
                       "--lang", "en")
    assert code == 1 and "latin.en.j2" in err and "cannot read" in err


def test_draft_bad_set_is_a_usage_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "draft", "--to", "a@example.com", "--set", "oops")
    assert code == 2 and "KEY=VALUE" in err
