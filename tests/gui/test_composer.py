"""The composer: lint underlines with advice, the guard banner, and the three-way question
before a fifth follow-up."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QPushButton, QToolTip

from netguard.gui.composer import Choice, Composer
from netguard.gui.main_window import MainWindow
from tests.gui.support import RecordingSender, ScriptedAsker, screenshot

PUSHY = "Hi Frank, just following up: any update on my proposal?? I need an answer ASAP!!"
CLEAN = ("Hi Frank, thank you for the tour of your new workshop last week. I enjoyed hearing how "
         "you plan the spring projects. If it helps, I can send you the article about timber "
         "prices that you mentioned.")
FRANK = "frank.jansen@jansenbouw.nl"  # four follow-ups this week: a fifth warns
ETHAN = "ethan@brooksandco.com"  # three follow-ups this week: clear


def type_body(composer: Composer, qtbot: Any, text: str) -> None:
    composer.body.clear()
    qtbot.keyClicks(composer.body, text)


def test_pushy_sentence_is_underlined_with_advice(window: MainWindow, qtbot: Any) -> None:
    composer = window.open_composer()
    type_body(composer, qtbot, PUSHY)
    qtbot.waitUntil(lambda: len(composer.body.extraSelections()) > 0)
    rules = {f.rule for f in composer.marks.findings}
    assert rules == {"pushy-wording"}
    start = PUSHY.index("just following up")
    tip = composer.marks.tooltip_at(start + 3)
    finding = composer.marks.finding_at(start + 3)
    assert finding is not None and finding.text == "just following up"
    assert finding.message in tip and finding.advice in tip
    assert composer.marks.tooltip_at(2) == ""  # "Hi" is fine
    composer.show()
    qtbot.waitExposed(composer)
    cursor = composer.body.textCursor()
    cursor.setPosition(start + 3)
    point = composer.body.cursorRect(cursor).center()
    viewport = composer.body.viewport()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, point,
                                                viewport.mapToGlobal(point)))
    assert QToolTip.text() == tip
    assert "just following up" in composer.form.lint_label.text()


def test_clean_draft_has_no_highlights(window: MainWindow, qtbot: Any) -> None:
    composer = window.open_composer()
    type_body(composer, qtbot, PUSHY)
    qtbot.waitUntil(lambda: len(composer.body.extraSelections()) > 0)
    type_body(composer, qtbot, CLEAN)
    qtbot.waitUntil(lambda: not composer.lint_timer.isActive())
    composer.relint()
    assert composer.body.extraSelections() == []
    assert composer.marks.findings == ()
    assert "subject is empty" in composer.form.lint_label.text()  # a clarity note, no pitfall
    composer.subject_edit.setText("The case study")
    composer.relint()
    assert "No notes" in composer.form.lint_label.text()


def test_underlines_stay_on_the_words_after_an_emoji(window: MainWindow, qtbot: Any) -> None:
    composer = window.open_composer()
    text = "🙂🙂 Any update??"
    composer.body.setPlainText(text)
    composer.relint()
    selection = composer.body.extraSelections()[0]
    assert selection.cursor.selectedText().lower() == "any update"  # type: ignore[attr-defined]


def test_recipient_with_four_followups_shows_the_banner(window: MainWindow, qtbot: Any) -> None:
    composer = window.open_composer()
    qtbot.keyClicks(composer.to_edit, ETHAN)
    qtbot.waitUntil(lambda: not composer.guard_timer.isActive())
    assert composer.banner.isHidden()
    composer.to_edit.clear()
    qtbot.keyClicks(composer.to_edit, FRANK)
    qtbot.waitUntil(lambda: not composer.banner.isHidden())
    assert "follow-up number 5" in composer.banner.message()
    composer.to_edit.clear()
    qtbot.waitUntil(composer.banner.isHidden)


def test_draft_follow_up_preselects_the_recommended_template(window: MainWindow) -> None:
    composer = window.open_composer(FRANK)
    assert composer.form.template() == "close-the-loop"
    assert composer.subject_edit.text()
    assert "Sanne Meijer" in composer.body.toPlainText()  # my name, from my sent mail
    assert not composer.banner.isHidden()  # this message closes the loop: said, not warned
    assert composer.guard_message() == "" and "closes the loop" in composer.closing_message()
    screenshot(composer, "composer-closing")
    composer.form.combo.setCurrentIndex(composer.form.combo.findData("first-followup"))
    assert "follow-up number 5" in composer.guard_message()
    screenshot(composer, "composer-warning")


def test_send_asks_and_close_the_loop_switches_template(window: MainWindow,
                                                        asker: ScriptedAsker) -> None:
    composer = window.open_composer(FRANK)
    composer.form.use_template("first-followup")
    assert composer.form.template() == "first-followup"
    asker.choice = Choice.CLOSE_LOOP
    composer.send()
    assert len(asker.questions) == 1 and "follow-up number 5" in asker.questions[0]
    assert composer.form.template() == "close-the-loop"
    sender = composer.session.sender
    assert isinstance(sender, RecordingSender) and sender.sent == []


def test_send_anyway_sends_with_force_and_cancel_sends_nothing(window: MainWindow,
                                                                asker: ScriptedAsker) -> None:
    composer = window.open_composer(FRANK)
    composer.form.use_template("first-followup")  # another push, not the close-the-loop
    sender = composer.session.sender
    assert isinstance(sender, RecordingSender)
    asker.choice = Choice.CANCEL
    composer.send()
    assert sender.sent == [] and composer.isVisible()
    asker.choice = Choice.SEND_ANYWAY
    composer.send()
    assert len(sender.sent) == 1
    draft, force = sender.sent[0]
    assert force and draft.to == (FRANK,)


def test_close_the_loop_instead_then_send_sends_it_as_closing_without_a_second_question(
        window: MainWindow, asker: ScriptedAsker) -> None:
    composer = window.open_composer()
    composer.to_edit.setText(FRANK)
    composer.subject_edit.setText("Offerte")
    composer.body.setPlainText(CLEAN)
    sender = composer.session.sender
    assert isinstance(sender, RecordingSender)
    asker.choice = Choice.CLOSE_LOOP
    composer.send()
    assert sender.sent == [] and asker.offered_close == [True]
    assert composer.form.template() == "close-the-loop"
    assert composer.closing_for() == (FRANK,)
    assert composer.guard_message() == ""  # the banner now says it closes the loop
    assert "closes the loop" in composer.closing_message()
    composer.send()
    assert len(asker.questions) == 1  # no second dialog
    [(draft, force)] = sender.sent
    assert (draft.to, force, sender.closing_for) == ((FRANK,), False, [(FRANK,)])


def test_the_closing_mark_does_not_follow_the_draft_to_another_contact(
        window: MainWindow, asker: ScriptedAsker) -> None:
    composer = window.open_composer(FRANK)
    assert composer.form.template() == "close-the-loop"  # recommended: marked for Frank
    assert composer.closing_for() == (FRANK,)
    composer.to_edit.setText(ETHAN)
    composer.recheck()
    assert composer.closing_for() == () and composer.banner.isHidden()
    composer.send()
    sender = composer.session.sender
    assert isinstance(sender, RecordingSender)
    assert sender.closing_for == [()]  # sent to Ethan as an ordinary message


def test_choosing_another_template_drops_the_closing_mark(window: MainWindow) -> None:
    composer = window.open_composer(FRANK)
    assert composer.closing_for() == (FRANK,)
    composer.form.combo.setCurrentIndex(composer.form.combo.findData("first-followup"))
    assert composer.closing_for() == ()
    assert "follow-up number 5" in composer.guard_message()


def test_a_clear_recipient_is_sent_without_a_question(window: MainWindow,
                                                      asker: ScriptedAsker) -> None:
    composer = window.open_composer(ETHAN)
    composer.send()
    sender = composer.session.sender
    assert isinstance(sender, RecordingSender)
    assert asker.questions == [] and len(sender.sent) == 1 and not sender.sent[0][1]


def test_save_to_drafts_and_copy(window: MainWindow) -> None:
    from PySide6.QtGui import QGuiApplication

    composer = window.open_composer(ETHAN)
    composer.save_draft()
    sender = composer.session.sender
    assert isinstance(sender, RecordingSender) and len(sender.saved) == 1
    composer.copy()
    assert composer.body.toPlainText().strip() in QGuiApplication.clipboard().text()


def test_demo_sender_explains_calmly_instead_of_crashing(window: MainWindow) -> None:
    from netguard.gui.sending import UnavailableSender

    window.session.sender = UnavailableSender("The demo never sends mail.")
    composer = window.open_composer(ETHAN)
    composer.send()
    assert composer.banner.message() == "The demo never sends mail."
    assert window.crashes.reports == []


def test_draft_follow_up_button_opens_the_composer_for_that_contact(window: MainWindow) -> None:
    window.select_contact(ETHAN)
    window.pane.draft_button.click()
    composer = window.composer
    assert composer is not None and composer.isVisible()
    assert composer.to_edit.text() == ETHAN
    assert composer.form.template() in {"first-followup", "value-followup"}
    assert composer.banner.isHidden()


def test_subject_and_names_from_mail_are_never_rich_text(window: MainWindow) -> None:
    from netguard.gui.notices import Banner

    banner = Banner()
    banner.show_message('<img src="x"> & <b>bold</b>', title="<i>x</i>")
    assert "&lt;img" in banner.text.text() and "<img" not in banner.text.text()
    assert banner.message() == '<i>x</i>\n<img src="x"> & <b>bold</b>'


def test_a_needed_template_value_is_asked_for_then_used(window: MainWindow) -> None:
    composer = window.open_composer(ETHAN)
    info = composer.form._info()
    assert info is not None and info.needs
    assert composer.body.toPlainText() == ""
    assert "Fill in" in composer.form.status.text()
    needed = composer.form.fields[info.needs[0]]
    needed.setText("the case study of the Utrecht bakery")
    needed.editingFinished.emit()
    assert "the case study of the Utrecht bakery" in composer.body.toPlainText()
    assert composer.subject_edit.text()


def test_recipient_fields_accept_names_and_separators() -> None:
    from netguard.gui.composer import split_addresses

    assert split_addresses('"Jansen, Frank" <frank@x.example>; a@y.example, ') == [
        "frank@x.example", "a@y.example"]


def test_the_real_question_box_offers_the_three_choices(qapp: Any) -> None:
    from PySide6.QtCore import QTimer

    from netguard.gui.composer import ask_with_message_box

    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert box is not None
        buttons = {b.text(): b for b in box.findChildren(QPushButton)}
        seen.extend(sorted(buttons))
        buttons["Close the loop instead"].click()

    QTimer.singleShot(0, answer)
    assert ask_with_message_box(None, "This would be follow-up number 5 ...") is Choice.CLOSE_LOOP
    assert seen == ["Cancel", "Close the loop instead", "Send anyway"]


def test_after_the_loop_was_closed_the_question_box_does_not_offer_it_again(qapp: Any) -> None:
    from PySide6.QtCore import QTimer

    from netguard.gui.composer import ask_with_message_box

    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert box is not None
        buttons = {b.text(): b for b in box.findChildren(QPushButton) if b.isVisible()}
        seen.extend(sorted(buttons))
        buttons["Cancel"].click()

    QTimer.singleShot(0, answer)
    assert ask_with_message_box(None, "You already closed the loop ...",
                                offer_close=False) is Choice.CANCEL
    assert seen == ["Cancel", "Send anyway"]


def test_dutch_is_linted_as_dutch_whatever_the_template_language(window: MainWindow) -> None:
    composer = window.open_composer()
    composer.body.setPlainText("Hoi Frank, heb je al gekeken naar mijn offerte?? Ik hoor het "
                               "graag zo snel mogelijk.")
    composer.relint()
    assert {f.rule for f in composer.marks.findings} == {"pushy-wording"}
