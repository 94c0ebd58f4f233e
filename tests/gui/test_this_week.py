"""Issue 19 in the app: the contact pane's rhythm numbers and cadence selector, and the
*This week* view with one click to the composer and its template."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QUrl

from netguard.analysis.review import SHOWN, Kind, Review, ReviewItem
from netguard.gui import i18n
from netguard.gui.main_window import MainWindow
from netguard.gui.session import Session
from netguard.gui.states import look
from netguard.store.people import cadence_of
from tests.gui.support import screenshot

EVA = "eva@smitvertaalt.nl"
HANNEKE = "hanneke@bakkerijdekker.nl"


def test_the_pane_shows_the_rhythm_behind_the_state(window: MainWindow) -> None:
    window.select_contact(EVA)
    pane = window.pane
    assert pane.state_text.text() == "One follow-up is fine now"
    assert look(window.model.contact(window.model.row_of(EVA))).key == "follow-up-now"
    assert "usually answers within" in pane.reply_time.text()
    assert "replies" in pane.reply_time.text()
    assert "pauses" in pane.pauses.text()
    assert "usually answers within" in pane.findings.text()  # the finding's numbers
    screenshot(window, "contact-rhythm")


def test_too_little_history_says_so(window: MainWindow) -> None:
    window.select_contact("sophie.turner@brighthire.io")  # she wrote; I never did
    assert "too little history" in window.pane.reply_time.text()
    assert "standard rules" in window.pane.pauses.text()


def test_the_cadence_selector_stores_the_choice(window: MainWindow, qtbot: Any) -> None:
    window.select_contact(HANNEKE)
    combo = window.pane.cadence
    assert combo.currentData() == ""
    with qtbot.waitSignal(window.pane.cadence_changed) as changed:
        combo.setCurrentIndex(combo.findData("2w"))
        combo.activated.emit(combo.currentIndex())
    assert changed.args == [HANNEKE, "2w"]
    assert cadence_of(window.session.conn, HANNEKE) == "2w"
    window.select_contact(EVA)
    assert combo.currentData() == ""
    window.select_contact(HANNEKE)
    assert combo.currentData() == "2w"  # shown again from the store
    combo.setCurrentIndex(combo.findData(""))
    combo.activated.emit(combo.currentIndex())
    assert cadence_of(window.session.conn, HANNEKE) is None


def test_this_week_lists_the_review_and_opens_the_composer(window: MainWindow,
                                                           qtbot: Any) -> None:
    window.show()
    window.week_action.trigger()
    view = window.this_week
    assert window.side.currentWidget() is view
    assert view.review is not None and view.review.items
    html = view.toPlainText()
    assert "This week" in html and "One follow-up is fine now" in html
    index = next(i for i, item in enumerate(view.review.items) if item.kind is Kind.LET_IT_REST
                 and item.template == "close-the-loop")
    item = view.review.items[index]
    with qtbot.waitSignal(view.draft_requested):
        view.anchorClicked.emit(QUrl(f"#write-{index}"))
    composer = window.composer
    assert composer.recipients()[0] == [item.address]
    assert composer.form.template() == "close-the-loop"
    assert composer.closing_for() == (item.address,)  # chosen as by hand: it closes the loop
    screenshot(view, "this-week")
    composer.close()


def test_this_week_links_to_the_contact(window: MainWindow) -> None:
    window.show_this_week()
    view = window.this_week
    assert view.review is not None
    index = next(i for i, item in enumerate(view.review.items) if item.address == EVA)
    view.anchorClicked.emit(QUrl(f"#contact-{index}"))
    assert window.side.currentWidget() is window.pane
    assert window.selected_address() == EVA


def test_this_week_in_dutch(session: Session, make_window: Any) -> None:
    session.lang = i18n.install("nl")
    window = make_window(session)
    window.show_this_week()
    text = window.this_week.toPlainText()
    assert "Deze week" in text and "Eén follow-up kan nu" in text
    assert "antwoordt meestal binnen" in text


def test_this_week_is_made_from_the_windows_report(window: MainWindow,
                                                   monkeypatch: Any) -> None:
    """The window has the report: This week does not build it again (≈0.4 s on a large
    mailbox, in the window's thread)."""
    from netguard.gui import this_week

    def no_second_report(*args: object, **kwargs: object) -> None:
        raise AssertionError("the report was built again")

    monkeypatch.setattr(this_week, "build_review", no_second_report)
    window.show_this_week()
    view = window.this_week
    assert view.review is not None and view.review.at == window.report.at  # type: ignore[union-attr]
    assert any(item.address == EVA for item in view.review.items)


def test_this_week_shows_the_first_items_and_counts_the_rest(window: MainWindow) -> None:
    view = window.this_week
    item = ReviewItem(EVA, "Eva Smit", Kind.NEGLECTED, "A reason.", "reconnect")
    view.show_review(Review(datetime(2026, 11, 20, tzinfo=UTC), (item,) * (SHOWN + 5)))
    html = view.toHtml()
    assert html.count("#write-") == SHOWN
    assert "And 5 more. The contacts table lists everyone by state." in view.toPlainText()
    view.show_review(Review(datetime(2026, 11, 20, tzinfo=UTC), (item,) * SHOWN))
    assert "more" not in view.toPlainText()
