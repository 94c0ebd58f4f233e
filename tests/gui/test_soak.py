"""Soak: thousands of contact selections, view switches and composer openings in each language
on the demo mailbox. The process keeps running and ``sys.getrefcount(None)`` does not fall.

A PySide6 build that loses a reference to ``None`` per call (a translator override returning
None, issue 15 item 1) made Python abort with "none_dealloc" after a few hundred arrow-key
presses; counting None's references shows such a loss long before the crash.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from netguard.gui import i18n
from netguard.gui.composer import Composer
from netguard.gui.main_window import MainWindow
from netguard.gui.session import Session

SELECTIONS = 5000  # per language, as in issue 15
VIEW_SWITCH_EVERY = 50  # back to the overview, and Ctrl+F into the search box and out again
COMPOSER_EVERY = 100  # open the composer for the selected contact and close it
SLACK = 50  # references to None that may come and go (caches, interned results)


def select_next(window: MainWindow) -> str:
    """Arrow down through the table as a user would; from the last row, Ctrl+Home."""
    table = window.table
    if table.currentIndex().row() >= table.model().rowCount() - 1:
        QTest.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    else:
        QTest.keyClick(table, Qt.Key.Key_Down)
    return window.selected_address()


def switch_views(window: MainWindow) -> None:
    window.show_overview()
    assert window.side.currentWidget() is window.overview
    window._focus_search()
    window.table.setFocus()


def open_and_close_composer(window: MainWindow, address: str) -> None:
    composer = window.open_composer(address)
    assert composer.to_edit.text() == address
    composer.close()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # as the event loop does


def soak(window: MainWindow) -> int:
    """Drive the window; returns how many times another contact was shown in the pane."""
    window.table.setFocus()
    shown, previous = 0, window.selected_address()
    for step in range(1, SELECTIONS + 1):
        address = select_next(window)
        if address and address != previous:
            shown += 1
            assert window.pane.contact is not None and window.pane.contact.address == address
        previous = address
        if step % VIEW_SWITCH_EVERY == 0:
            switch_views(window)
        if step % COMPOSER_EVERY == 0 and address:
            open_and_close_composer(window, address)
            QApplication.processEvents()
    return shown


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_thousands_of_selections_keep_the_app_alive_and_none_counted(
        session: Session, make_window: Callable[[Session], MainWindow], qtbot: Any,
        lang: str, capsys: pytest.CaptureFixture[str]) -> None:
    session.lang = i18n.install(lang)
    window = make_window(session)
    window.resize(900, 600)
    window.show()
    qtbot.waitExposed(window)
    select_next(window)  # first use: caches filled before counting
    open_and_close_composer(window, window.selected_address())
    QApplication.processEvents()
    before = sys.getrefcount(None)
    started, cpu = time.perf_counter(), time.process_time()
    shown = soak(window)
    QApplication.processEvents()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    after = sys.getrefcount(None)
    with capsys.disabled():
        print(f"\nsoak [{lang}]: {SELECTIONS} selections in {seconds:.1f} s ({cpu:.1f} s CPU); "
              f"references to None {before} -> {after}")
    assert shown == SELECTIONS
    assert window.isVisible() and window.crashes.reports == []
    assert len(window.findChildren(Composer)) <= 1  # closed composers do not pile up
    assert after >= before - SLACK, f"None lost {before - after} references"
