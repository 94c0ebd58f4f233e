"""The composer keeps the user's work: Esc and closing ask before throwing a draft away, a
template that replaces the text can be undone, and what happened to a message is said plainly
(sent, failed, or the demo that never sends)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QToolTip

from netguard.errors import KnownError
from netguard.gui import i18n, lint_marks
from netguard.gui.composer import Composer, ask_discard
from netguard.gui.main_window import MainWindow
from netguard.gui.sending import UnavailableSender
from tests.gui.support import RecordingSender, ScriptedAsker

FRANK = "frank.jansen@jansenbouw.nl"  # four follow-ups this week: a fifth warns
ETHAN = "ethan@brooksandco.com"  # three follow-ups this week: clear
MINE = "Hi Ethan, here are my notes from the workshop, as promised."


class DiscardAnswers:
    def __init__(self, discard: bool) -> None:
        self.discard = discard
        self.asked = 0

    def __call__(self, parent: Any) -> bool:
        self.asked += 1
        return self.discard


def composer_with_my_text(window: MainWindow, qtbot: Any, answer: bool) -> tuple[Composer,
                                                                                DiscardAnswers]:
    composer = window.open_composer(ETHAN)
    qtbot.waitExposed(composer)
    composer.body.clear()
    qtbot.keyClicks(composer.body, MINE)
    answers = DiscardAnswers(answer)
    composer.discard_asker = answers
    return composer, answers


def test_esc_with_unsaved_text_asks_and_keep_editing_keeps_it(window: MainWindow,
                                                               qtbot: Any) -> None:
    composer, answers = composer_with_my_text(window, qtbot, answer=False)
    qtbot.keyClick(composer.body, Qt.Key.Key_Escape)
    assert answers.asked == 1
    assert composer.isVisible() and composer.body.toPlainText() == MINE


def test_esc_then_discard_closes(window: MainWindow, qtbot: Any) -> None:
    composer, answers = composer_with_my_text(window, qtbot, answer=True)
    qtbot.keyClick(composer.body, Qt.Key.Key_Escape)
    assert answers.asked == 1 and not composer.isVisible()


def test_closing_the_window_with_unsaved_text_asks(window: MainWindow, qtbot: Any) -> None:
    composer, answers = composer_with_my_text(window, qtbot, answer=False)
    assert not composer.close()
    assert answers.asked == 1 and composer.isVisible()
    answers.discard = True
    assert composer.close()
    assert answers.asked == 2 and not composer.isVisible()


def test_untouched_template_text_and_saved_text_close_without_asking(window: MainWindow,
                                                                      qtbot: Any) -> None:
    composer = window.open_composer(FRANK)  # the close-the-loop template, as rendered
    answers = DiscardAnswers(False)
    composer.discard_asker = answers
    assert composer.body.toPlainText()
    qtbot.keyClick(composer.body, Qt.Key.Key_Escape)
    assert answers.asked == 0 and not composer.isVisible()
    composer, answers = composer_with_my_text(window, qtbot, answer=False)
    composer.save_draft()
    qtbot.keyClick(composer.body, Qt.Key.Key_Escape)
    assert answers.asked == 0 and not composer.isVisible()


def test_the_real_discard_question_defaults_to_keep_editing(qapp: Any) -> None:
    seen: dict[str, str] = {}

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["default"] = box.defaultButton().text()
        seen["buttons"] = ", ".join(sorted(b.text() for b in box.findChildren(QPushButton)))
        box.defaultButton().click()

    QTimer.singleShot(0, answer)
    assert ask_discard(None) is False
    assert seen == {"default": "Keep editing", "buttons": "Discard, Keep editing"}


def test_choosing_a_template_over_my_text_is_undone_by_ctrl_z(window: MainWindow,
                                                               qtbot: Any) -> None:
    composer, _answers = composer_with_my_text(window, qtbot, answer=True)
    subject = composer.subject_edit.text()
    composer.subject_edit.setText("My own subject")
    composer.form.use_template("close-the-loop")
    replaced = composer.body.toPlainText()
    assert replaced != MINE and "leave it here" in replaced
    qtbot.keyClick(composer.body, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert composer.body.toPlainText() == MINE
    qtbot.keyClick(composer.body, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert composer.body.toPlainText() == replaced
    composer.subject_edit.undo()
    assert composer.subject_edit.text() == "My own subject" != subject


@pytest.mark.parametrize(("lang", "expected"), [("en", "Sent."), ("nl", "Verstuurd.")])
def test_sending_is_confirmed_in_the_status_bar(window: MainWindow, lang: str,
                                                expected: str) -> None:
    i18n.install(lang)
    composer = window.open_composer(ETHAN)
    composer.session.sender = RecordingSender(confirmation="")
    composer.send()
    assert not composer.isVisible()
    assert window.statusBar().currentMessage() == expected


def test_the_senders_confirmation_is_shown(window: MainWindow) -> None:
    composer = window.open_composer(ETHAN)
    composer.send()
    assert window.statusBar().currentMessage() == "Sent."  # RecordingSender's own words


class FailingSender(RecordingSender):
    def send(self, draft: Any, force: bool = False, closing_for: Any = ()) -> str:
        raise KnownError("The SMTP server refused the login.")


def test_a_send_failure_is_an_error_and_keeps_the_draft(window: MainWindow) -> None:
    window.session.sender = FailingSender()
    composer = window.open_composer(ETHAN)
    composer.body.setPlainText(MINE)
    composer.send()
    assert composer.isVisible() and composer.body.toPlainText() == MINE
    assert composer.banner.message() == "The SMTP server refused the login."
    assert composer.banner.kind == "error"
    assert "#fbeceb" in composer.banner.styleSheet()


def test_the_demo_says_at_once_that_it_never_sends(window: MainWindow,
                                                   asker: ScriptedAsker) -> None:
    window.session.sender = UnavailableSender("The demo never sends mail.")
    composer = window.open_composer(FRANK)  # the guard would warn: it is never asked
    composer.send()
    assert asker.questions == []
    assert composer.banner.message() == "The demo never sends mail."
    assert composer.banner.kind == "info"
    empty = window.open_composer()  # no recipient yet: still the demo's answer first
    empty.send()
    assert empty.banner.message() == "The demo never sends mail."


def show_tip(composer: Composer, offset: int) -> None:
    cursor = composer.body.textCursor()
    cursor.setPosition(offset)
    point = composer.body.cursorRect(cursor).center()
    viewport = composer.body.viewport()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, point,
                                                viewport.mapToGlobal(point)))


def test_the_lint_tooltip_goes_away_when_typing(window: MainWindow, qtbot: Any) -> None:
    composer = window.open_composer()
    composer.show()
    qtbot.waitExposed(composer)
    composer.body.setPlainText("Hi Frank, any update?? ")
    composer.relint()
    show_tip(composer, 12)
    assert QToolTip.isVisible() and "pressing" in QToolTip.text()
    composer.body.moveCursor(composer.body.textCursor().MoveOperation.End)
    qtbot.keyClicks(composer.body, "I")
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=1000)  # Qt fades it in 300 ms


def test_the_lint_tooltip_is_short_lived(window: MainWindow, qtbot: Any,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    assert lint_marks.TIP_MS <= 8000  # Qt's own default grows with the text, to ~20 s
    monkeypatch.setattr(lint_marks, "TIP_MS", 200)
    composer = window.open_composer()
    composer.show()
    qtbot.waitExposed(composer)
    composer.body.setPlainText("Hi Frank, any update?? ")
    composer.relint()
    show_tip(composer, 12)
    assert QToolTip.isVisible()
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=3000)
