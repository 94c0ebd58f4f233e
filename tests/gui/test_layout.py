"""The layout from a 900×600 window to full screen, in English and Dutch: the contact pane never
runs past its edge, the State column and the search box stay in view, Ctrl+F goes to the search
box, and the week chart shows the most recent weeks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

from netguard.analysis.model import WeekCount
from netguard.gui import i18n
from netguard.gui.account_dialog import AccountDialog
from netguard.gui.contacts_model import DISPLAY, Column
from netguard.gui.main_window import MainWindow
from netguard.gui.session import Session
from netguard.gui.timeline import Timeline

LONG_NAME = "Maximiliaan Alexander van Oldenbarnevelt-Wittelsbach tot Nijenrode"
LONG_ADDRESS = ("maximiliaan.alexander.vanoldenbarnevelt-wittelsbach"
                "@communicatie-en-evenementenbureau-nijenrode.example")
SIZES = [(900, 600), (1600, 1000)]


@pytest.fixture
def window_in(session: Session, make_window: Callable[[Session], MainWindow]
              ) -> Callable[[str], MainWindow]:
    """A main window built in ``lang``, as the app builds it after a language switch."""
    def build(lang: str) -> MainWindow:
        session.lang = i18n.install(lang)
        return make_window(session)

    return build


def settle(window: MainWindow, size: tuple[int, int]) -> None:
    window.resize(*size)
    window.show()
    QApplication.processEvents()


def right_edge(widget: QWidget, of: QWidget) -> int:
    return widget.mapTo(of, widget.rect().topRight()).x()


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("size", SIZES)
def test_a_long_name_and_address_stay_inside_the_contact_pane(
        window_in: Callable[[str], MainWindow], lang: str, size: tuple[int, int]) -> None:
    window = window_in(lang)
    settle(window, size)
    contact = window.report.contacts[0] if window.report else None
    assert contact is not None
    long = replace(contact, name=LONG_NAME, address=LONG_ADDRESS)
    window.pane.show_contact(long, ())
    window.side.setCurrentWidget(window.pane)
    QApplication.processEvents()
    pane, body = window.pane, window.pane.widget()
    assert body.width() <= pane.viewport().width()  # nothing beyond the right edge
    assert right_edge(pane.back, pane.viewport()) <= pane.viewport().width()
    assert pane.back.isVisible()
    assert pane.name.toolTip() == LONG_NAME and pane.address.toolTip() == LONG_ADDRESS
    if size == (900, 600):
        assert pane.name.is_elided() and pane.address.is_elided()


@pytest.mark.parametrize("lang", ["en", "nl"])
@pytest.mark.parametrize("size", SIZES)
def test_name_and_state_columns_are_in_view(window_in: Callable[[str], MainWindow], lang: str,
                                            size: tuple[int, int]) -> None:
    window = window_in(lang)
    settle(window, size)
    table = window.table
    state_right = table.columnViewportPosition(Column.STATE) + table.columnWidth(Column.STATE)
    assert not table.isColumnHidden(Column.STATE) and not table.isColumnHidden(Column.NAME)
    assert state_right <= table.viewport().width()
    assert table.columnWidth(Column.NAME) >= 110
    assert not table.horizontalScrollBar().isVisible()
    if size == (1600, 1000):
        assert not any(table.isColumnHidden(c) for c in Column)


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_ctrl_f_focuses_the_visible_search_box_at_900x600(
        window_in: Callable[[str], MainWindow], qtbot: Any, lang: str) -> None:
    window = window_in(lang)
    settle(window, (900, 600))
    window.activateWindow()
    window.table.setFocus()
    assert window.search.isVisible() and window.search.visibleRegion().boundingRect().width() > 100
    assert right_edge(window.search, window) <= window.width()
    qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    qtbot.keyClicks(window.search, "brooks")
    assert window.proxy.rowCount() == 1
    qtbot.keyClick(window.search, Qt.Key.Key_Down)  # on to the contact found, and its pane
    assert window.table.hasFocus()
    assert window.selected_address() == "ethan@brooksandco.com" == window.pane.contact.address
    assert window.side.currentWidget() is window.pane
    qtbot.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(window.search, "zzz-nobody")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)  # nothing found: the search keeps the keys
    assert window.search.hasFocus()


def weeks(count: int, end: date) -> list[WeekCount]:
    return [WeekCount(week_start=end - timedelta(weeks=count - 1 - i), sent=i % 3, received=1)
            for i in range(count)]


def test_a_narrow_chart_shows_the_most_recent_weeks(qapp: Any) -> None:
    chart = Timeline()
    year = weeks(53, date(2026, 11, 16))
    chart.set_weeks(year)
    chart.show()
    chart.resize(700, 130)
    assert chart.shown_weeks() == tuple(year)
    chart.resize(260, 130)
    shown = chart.shown_weeks()
    assert 10 <= len(shown) < len(year)
    assert shown[-1] == year[-1] and shown == tuple(year[-len(shown):])
    assert f"Last {len(shown)} weeks" in chart.toolTip()


@pytest.mark.parametrize(("lang", "said"), [("en", "No mail in these 53 weeks"),
                                             ("nl", "Geen mail in deze 53 weken")])
def test_a_chart_of_a_quiet_year_says_so(qapp: Any, lang: str, said: str) -> None:
    """A contact quiet for a year: an empty plot with a scale of 1 read as broken."""
    i18n.install(lang)
    try:
        chart = Timeline()
        quiet = [WeekCount(w.week_start, 0, 0) for w in weeks(53, date(2026, 11, 16))]
        chart.set_weeks(quiet)
        chart.show()
        chart.resize(700, 130)
        assert chart.empty_note() == said
        chart.grab()  # painted without a scale or bars
        chart.set_weeks([*quiet[:-1], WeekCount(quiet[-1].week_start, 0, 1)])
        assert chart.empty_note() == ""
    finally:
        i18n.install("en")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_dialog_buttons_have_their_text_in_both_languages(window: MainWindow, lang: str) -> None:
    """Qt's own texts (standard buttons) go through the translator too: never blank."""
    i18n.install(lang)
    dialog = AccountDialog(window.session, window.worker, window)
    dialog.show()
    box = dialog.findChild(QDialogButtonBox, "button_box")
    assert box is not None
    texts = sorted(b.text().replace("&", "") for b in box.buttons())
    assert texts == (["Cancel", "Save"] if lang == "en" else ["Annuleren", "Bewaren"])
    plain = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
    assert plain.buttons()[0].text().replace("&", "") == "OK"
    dialog.close()


def test_the_account_dialog_scrolls_on_a_short_screen_with_its_buttons_in_view(
        window: MainWindow) -> None:
    dialog = AccountDialog(window.session, window.worker, window)
    dialog.resize(600, 420)
    dialog.show()
    QApplication.processEvents()
    assert dialog.height() == 420  # the form scrolls instead of forcing the dialog taller
    box = dialog.findChild(QDialogButtonBox, "button_box")
    assert box is not None and box.isVisible()
    bottom = box.mapTo(dialog, box.rect().bottomLeft()).y()
    assert bottom <= dialog.height()
    assert box.height() >= box.sizeHint().height()
    dialog.close()


def test_the_composer_and_account_dialog_open_within_the_screen(window: MainWindow) -> None:
    composer = window.open_composer()
    room = composer.screen().availableGeometry()  # offscreen: 800×800, smaller than 1000×680
    assert composer.width() <= room.width() and composer.height() <= room.height()
    dialog = AccountDialog(window.session, window.worker, window)
    assert dialog.width() <= room.width() and dialog.height() <= room.height()


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_account_dialogs_wrapped_hints_are_as_tall_as_their_text(
        window_in: Callable[[str], MainWindow], lang: str) -> None:
    window = window_in(lang)
    dialog = AccountDialog(window.session, window.worker, window)
    dialog.resize(600, 600)
    dialog.show()
    QApplication.processEvents()
    hint = dialog.detect_label
    assert hint.height() == hint.heightForWidth(hint.width())  # no blank band under the address
    hint.setText(" ".join(["A longer answer from Detect that needs more lines."] * 6))
    QApplication.processEvents()
    QApplication.processEvents()
    assert hint.height() == hint.heightForWidth(hint.width()) > hint.fontMetrics().height() * 3
    dialog.close()


@pytest.mark.parametrize(("lang", "progress", "done"), [
    ("en", "Sent: 4,000 of 100,000", "Sync done: 200,000 new messages."),
    ("nl", "Sent: 4.000 van 100.000", "Synchronisatie klaar: 200.000 nieuwe berichten.")])
def test_large_counts_are_written_as_the_language_does(
        window_in: Callable[[str], MainWindow], lang: str, progress: str, done: str) -> None:
    """A first sync of a large mailbox read "100000" in the progress bar and the status bar."""
    window = window_in(lang)
    window._sync_progress("Sent", 4000, 100_000)
    assert window.progress.format() == progress
    window._sync_finished(SimpleNamespace(folders=[SimpleNamespace(new=150_000),
                                                    SimpleNamespace(new=50_000)]))
    assert window.statusBar().currentMessage() == done


def test_an_override_in_a_name_is_shown_not_obeyed(window_in: Callable[[str], MainWindow]) -> None:
    """A right-to-left override in a display name turned the rest of its cell around."""
    window = window_in("en")
    contact = window.report.contacts[0] if window.report else None
    assert contact is not None
    hostile = replace(contact, name="Evil\u202eoiruS\x1b[2J")
    assert DISPLAY[Column.NAME](hostile) == "Evil\ufffdoiruS\ufffd[2J"
    window.pane.show_contact(hostile, ())
    assert window.pane.name.toolTip() == "Evil\ufffdoiruS\ufffd[2J"
