"""Templates (SPEC §3): bundled ones pass the lint, the sandbox holds, errors name file and line,
user templates override, and the recommendation follows the contact's state."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from netguard.analysis.model import RecipientContext
from netguard.drafting.templates import (
    SITUATIONS,
    list_templates,
    recommend,
    render,
    template_context,
)
from netguard.errors import TemplateError
from netguard.lint.engine import lint

CONTACT = RecipientContext(
    address="anna@studiolicht.nl", name="Anna de Vries", first_name="Anna", has_history=True,
    streak_length=1, days_since_last_sent=9, days_since_last_reply=40,
    last_subject="Voorstel nieuwe huisstijl",
)
SAMPLES = {
    "nl": {"addition": "een overzicht van drie webshops die hun productfoto's slim hergebruiken",
           "offer": "het draaiboek van Fotolab over productfotografie op een klein budget",
           "reason": "ik je artikel over toegankelijke kleurpaletten las",
           "remembered": "de verhuizing van je studio naar Utrecht",
           "help": "ik stuur je de namen van twee drukkers die ook kleine oplages doen",
           "note": "Dank voor je tijd tot nu toe.",
           "topic": "Je artikel over kleurpaletten",
           "about_me": "ik ontwerp huisstijlen voor kleine zaken"},
    "en": {"addition": "a list of three shops that reuse their product photos cleverly",
           "offer": "Fotolab's playbook on product photography on a small budget",
           "reason": "I read your article on accessible colour palettes",
           "remembered": "your studio's move to Utrecht",
           "help": "I can send you two printers who also do small runs",
           "note": "Thank you for your time so far.",
           "topic": "Your article on colour palettes",
           "about_me": "I design brand identities for small businesses"},
}
STATE = {
    "close-the-loop": {"let_it_rest": True, "streak_length": 4},
    "reconnect": {"neglected": True},
    "cold-intro": {"has_history": False, "last_subject": "", "days_since_last_sent": None},
    "give-back": {"unreciprocated": True, "streak_length": 0},
    "value-followup": {"streak_length": 2},
}


def bundled() -> list[tuple[str, str]]:
    return [(t.name, t.language) for t in list_templates(None)]


def test_every_situation_is_bundled_in_both_languages() -> None:
    assert sorted(bundled()) == sorted((s, lang) for s in SITUATIONS for lang in ("nl", "en"))
    cold = [t for t in list_templates(None) if t.name == "cold-intro"]
    assert all(t.needs == ("reason",) and t.source == "bundled" for t in cold)


@pytest.mark.parametrize(("name", "language"), bundled())
def test_bundled_templates_render_and_pass_the_lint(name: str, language: str) -> None:
    ctx = replace(CONTACT, **STATE.get(name, {}))  # type: ignore[arg-type]
    assert recommend(ctx) == name
    values = template_context(ctx, "Tom Bakker", SAMPLES[language])
    draft = render(name, language, values, None)
    assert draft.template == name and draft.language == language
    assert draft.subject and "\n" not in draft.subject
    assert "Anna" in draft.body and "{{" not in draft.body
    result = lint(f"{draft.subject}\n\n{draft.body}", language=language, recipients=[ctx])
    assert result.findings == (), [(f.rule, f.text) for f in result.findings]
    without_optional = {k: v for k, v in values.items()
                        if k not in ("remembered", "help", "note", "topic", "about_me")}
    plain = render(name, language, without_optional, None)
    assert lint(plain.body, language=language, recipients=[ctx]).findings == ()


@pytest.mark.parametrize("subject", ["Reminder: proposal", "Herinnering: offerte",
                                     "Urgent: quote ASAP??"])
@pytest.mark.parametrize(("name", "language"), bundled())
def test_a_quoted_pushy_subject_is_not_the_writers_wording(name: str, language: str,
                                                          subject: str) -> None:
    """NetGuard's own close-the-loop quotes the last subject; quoting is not pressing."""
    ctx = replace(CONTACT, **{**STATE.get(name, {}), "last_subject": subject})  # type: ignore[arg-type]
    values = template_context(ctx, "Tom Bakker", SAMPLES[language])
    draft = render(name, language, values, None)
    for text in (draft.body, f"{draft.subject}\n\n{draft.body}"):
        result = lint(text, language=language, recipients=[ctx])
        assert result.findings == (), [(f.rule, f.text) for f in result.findings]
    if name == "close-the-loop":
        assert f'"{subject}"' in draft.body


def test_the_writers_own_reminder_is_still_pushy() -> None:
    text = "Hi Anna,\n\nReminder: I need your answer on the proposal ASAP.\n\nBest,\nTom"
    assert {"Reminder", "ASAP"} <= {f.text for f in lint(text).findings}


@pytest.mark.parametrize(("ctx", "expected"), [
    (replace(CONTACT, guard_warns=True, neglected=True), "close-the-loop"),
    (replace(CONTACT, let_it_rest=True), "close-the-loop"),
    (replace(CONTACT, neglected=True, unreciprocated=True), "reconnect"),
    (RecipientContext("new@example.com"), "cold-intro"),
    (replace(CONTACT, unreciprocated=True), "give-back"),
    (replace(CONTACT, streak_length=1), "first-followup"),
    (replace(CONTACT, streak_length=3), "value-followup"),
])
def test_recommend(ctx: RecipientContext, expected: str) -> None:
    assert recommend(ctx) == expected


def test_template_context_cleans_mail_derived_text() -> None:
    ctx = replace(CONTACT, name="Anna\r\nBcc: x@evil", first_name="", last_subject="Hi\nthere")
    values = template_context(ctx, "Tom", {"reason": "x"})
    assert values["first_name"] == "Anna"
    assert values["last_subject"] == "Hi there"
    assert values["days_since_last_sent"] == 9 and values["streak_length"] == 1
    assert values["reason"] == "x" and values["me_name"] == "Tom"


def test_subject_is_a_reply_without_stacked_prefixes() -> None:
    values = template_context(replace(CONTACT, last_subject="Re: Offerte"), "", SAMPLES["nl"])
    assert render("first-followup", "nl", values, None).subject == "Re: Offerte"


def test_missing_needed_variable_names_it() -> None:
    values = template_context(replace(CONTACT, has_history=False), "Tom", {})
    with pytest.raises(TemplateError, match="'reason'"):
        render("cold-intro", "en", values, None)


def test_missing_context_variable_names_it() -> None:
    with pytest.raises(TemplateError, match="first_name"):
        render("reconnect", "nl", {}, None)


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("attack", [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ first_name.__class__ }}",
    "{{ '{0.__class__}'.format(first_name) }}",
    "{{ 'x' * 100000000 }}",
    "{{ 9 ** 99999999 }}",
])
def test_sandbox_refuses_python_internals(tmp_path: Path, attack: str) -> None:
    path = write(tmp_path, "evil.j2", f"Subject: hi\n\nHoi\n{attack}\n")
    with pytest.raises(TemplateError, match="security") as err:
        render("evil", "nl", {"first_name": "Anna"}, tmp_path)
    assert str(path) in str(err.value)
    assert ":4:" in str(err.value)
    assert "object" not in str(err.value).split("security")[0]


def test_broken_user_template_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.nl.j2",
                 "{#\nsituation: reconnect\n#}\nSubject: Hoi\n\nHoi {{ first_name }},\n\n"
                 "{% if first_name %}\nNo end here.\n")
    with pytest.raises(TemplateError) as err:
        render("broken", "nl", {"first_name": "Anna"}, tmp_path)
    assert f"{path}:" in str(err.value)
    assert "end of template" in str(err.value) or "endif" in str(err.value)
    assert [t.name for t in list_templates(tmp_path) if t.source == "user"] == ["broken"]


def test_syntax_error_line_is_the_file_line(tmp_path: Path) -> None:
    write(tmp_path, "typo.j2", "{#\nlanguage: en\n#}\nSubject: x\n\nline 6\n{{ first_name }\n")
    with pytest.raises(TemplateError, match=r"typo\.j2:7:"):
        render("typo", "en", {"first_name": "A"}, tmp_path)


def test_runtime_error_line(tmp_path: Path) -> None:
    write(tmp_path, "oops.j2", "Subject: x\n\nfine\n{{ nothing_here }}\n")
    with pytest.raises(TemplateError, match=r"oops\.j2:4: missing variable") as err:
        render("oops", "en", {}, tmp_path)
    assert "nothing_here" in str(err.value)


def test_template_without_subject_line(tmp_path: Path) -> None:
    write(tmp_path, "nosubject.j2", "Hoi {{ first_name }}\n")
    with pytest.raises(TemplateError, match="Subject"):
        render("nosubject", "nl", {"first_name": "A"}, tmp_path)


def test_user_template_overrides_bundled_per_language(tmp_path: Path) -> None:
    write(tmp_path, "reconnect.nl.j2",
          "{#\nsituation: reconnect\noptional: remembered\n#}\nSubject: Eigen onderwerp\n\n"
          "Hoi {{ first_name }}, mijn eigen tekst.\n")
    values = template_context(CONTACT, "Tom", {})
    mine = render("reconnect", "nl", values, tmp_path)
    assert mine.subject == "Eigen onderwerp" and "mijn eigen tekst" in mine.body
    assert render("reconnect", "en", values, tmp_path).subject == "How are things?"
    listed = {(t.name, t.language): t.source for t in list_templates(tmp_path)}
    assert listed[("reconnect", "nl")] == "user" and listed[("reconnect", "en")] == "bundled"


def test_language_neutral_user_template_serves_both(tmp_path: Path) -> None:
    write(tmp_path, "thanks.j2", "{#\nsituation: give-back\nneeds: what\n#}\n"
          "Subject: {{ what }}\n\nThanks, {{ first_name }}!\n")
    info = next(t for t in list_templates(tmp_path) if t.name == "thanks")
    assert (info.language, info.situation, info.variables, info.source) == (
        "any", "give-back", ("what",), "user")
    draft = render("thanks", "nl", {"first_name": "Anna", "what": "Dank"}, tmp_path)
    assert (draft.language, draft.subject, draft.body) == ("nl", "Dank", "Thanks, Anna!\n")


def test_unknown_template(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match="no template named 'nope'"):
        render("nope", "nl", {}, tmp_path)


def test_values_from_mail_are_data_not_template_code() -> None:
    ctx = replace(CONTACT, first_name="{{ ''.__class__ }}", neglected=True)
    draft = render("reconnect", "en", template_context(ctx, "", {}), None)
    assert "{{ ''.__class__ }}" in draft.body


def test_sandbox_refuses_changing_data(tmp_path: Path) -> None:
    write(tmp_path, "mutate.j2", "Subject: x\n\n{{ tags.append('x') }}\n")
    with pytest.raises(TemplateError, match="security"):
        render("mutate", "en", {"tags": []}, tmp_path)
