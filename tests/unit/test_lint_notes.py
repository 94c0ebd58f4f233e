"""Clarity notes (SPEC §2, §6 ``lint.notes``): calm hints that make a mail easy to answer; they
are not pitfalls and never change the exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netguard.analysis.model import RecipientContext
from netguard.cli.main import main
from netguard.lint.engine import lint
from netguard.lint.serialize import result_to_json

WAITING = RecipientContext("bram@example.org", name="Bram Smit", first_name="Bram",
                           has_history=True, streak_length=1)
ANSWERED = RecipientContext("bram@example.org", name="Bram Smit", first_name="Bram",
                            has_history=True)


def kinds(text: str, **kwargs: object) -> list[str]:
    return [n.kind for n in lint(text, **kwargs).notes]  # type: ignore[arg-type]


EN, NL = "Hi Bram,\n\n{}\n\nBest,\nTom\n", "Hoi Bram,\n\n{}\n\nGroet,\nTom\n"
NO_ASK = {
    "en": EN.format("I wanted to share the article on pricing I mentioned."),
    "nl": NL.format("Ik wilde je het artikel over prijzen sturen dat ik noemde."),
}
ONE_ASK = {
    "en": EN.format("Here is the pricing article. Would Tuesday work for a short call?"),
    "nl": NL.format("Hier is het artikel over prijzen. Past dinsdag voor een kort belletje?"),
}
TWO_ASKS = {
    "en": EN.format("Could you send me the brief? And would Tuesday work for a call?"),
    "nl": NL.format("Kun je me de briefing sturen? En past dinsdag voor een belletje?"),
}


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_follow_up_without_an_ask_gets_a_note(language: str) -> None:
    assert kinds(NO_ASK[language], recipients=[WAITING]) == ["no-ask"]
    assert kinds(ONE_ASK[language], recipients=[WAITING]) == []


@pytest.mark.parametrize("language", ["en", "nl"])
def test_no_ask_is_only_noted_in_a_follow_up(language: str) -> None:
    assert kinds(NO_ASK[language], recipients=[ANSWERED]) == []
    assert kinds(NO_ASK[language]) == []


@pytest.mark.parametrize("language", ["en", "nl"])
def test_more_than_one_ask_gets_a_note(language: str) -> None:
    notes = lint(TWO_ASKS[language]).notes
    assert [n.kind for n in notes] == ["many-asks"]
    assert "2" in notes[0].message


def test_small_talk_is_not_an_ask() -> None:
    text = "Hi Bram,\n\nHow are you? Could you send me the brief?\n\nBest,\nTom\n"
    assert kinds(text) == []


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_long_follow_up_gets_a_note(language: str) -> None:
    body = ONE_ASK[language].replace("\n\n", "\n\n" + "word " * 160 + "\n\n", 1)
    assert kinds(body, recipients=[WAITING]) == ["long"]
    assert kinds(body, recipients=[ANSWERED]) == []


@pytest.mark.parametrize(("subject", "expected"), [
    ("", ["subject-empty"]), ("   ", ["subject-empty"]), ("Pricing article", []),
    ("Reminder: the pricing article I mentioned when we met at the meetup in Utrecht last May",
     ["subject-long"]),
    (None, []),
])
def test_subject_notes(subject: str | None, expected: list[str]) -> None:
    assert kinds(ONE_ASK["en"], subject=subject) == expected


def test_notes_are_in_the_draft_language() -> None:
    en = lint(NO_ASK["en"], recipients=[WAITING]).notes[0].message
    nl = lint(NO_ASK["nl"], recipients=[WAITING]).notes[0].message
    assert "follow-up" in en and "vraagt" in nl


def test_notes_in_json_and_not_in_the_exit_code(home: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(TWO_ASKS["en"], encoding="utf-8")
    code = main(["lint", str(draft), "--subject", "", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["findings"] == []
    assert [n["kind"] for n in data["notes"]] == ["many-asks", "subject-empty"]
    assert set(data["notes"][0]) == {"kind", "message"}
    assert result_to_json(lint(ONE_ASK["en"]))["notes"] == []
