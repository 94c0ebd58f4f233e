"""The lint's first load in the app: left to the first composer, in a thread, the composer's
notes saying so meanwhile and its draft checked once it has loaded (``gui.lint_loading``)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from netguard.gui import lint_loading
from netguard.gui.lint_loading import LintLoading
from netguard.gui.main_window import MainWindow
from tests.gui.test_composer import PUSHY


@pytest.fixture
def cold(monkeypatch: pytest.MonkeyPatch) -> tuple[LintLoading, threading.Event]:
    """A process whose lint has not loaded yet: its load waits for the event returned."""
    may_end, loaded = threading.Event(), threading.Event()

    def slow_warm_up() -> None:
        may_end.wait(30)
        loaded.set()

    monkeypatch.setattr(lint_loading, "warm_up", slow_warm_up)
    monkeypatch.setattr(lint_loading, "warmed", loaded.is_set)
    loading = LintLoading()
    monkeypatch.setattr("netguard.gui.composer.lint_loading", lambda: loading)
    return loading, may_end


def loading_threads() -> int:
    return [t.name for t in threading.enumerate()].count("lint-loading")


def test_a_composer_checks_its_draft_once_the_lint_has_loaded(
        window: MainWindow, qtbot: Any, cold: tuple[LintLoading, threading.Event]) -> None:
    loading, may_end = cold
    composer = window.open_composer()
    composer.body.setPlainText(PUSHY)
    composer.relint()
    assert "loading" in composer.form.lint_label.text()  # and the window goes on meanwhile
    assert composer.body.extraSelections() == []
    qtbot.waitUntil(lambda: loading_threads() == 1)  # once the queued events are handled
    composer.relint()  # asked again while it loads: no second load
    assert not loading.ready_now()
    QApplication.processEvents()  # a second load's start, had one been queued, runs here
    assert loading_threads() == 1
    with qtbot.waitSignal(loading.ready, timeout=10_000):
        may_end.set()
    assert "just following up" in composer.form.lint_label.text()
    assert {f.rule for f in composer.marks.findings} == {"pushy-wording"}
    assert loading.ready_now()


def test_a_load_that_fails_lets_the_composer_check_as_before(
        window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
        cold: tuple[LintLoading, threading.Event]) -> None:
    loading, _ = cold

    def broken() -> None:
        raise OSError("lexicon unreadable")

    monkeypatch.setattr(lint_loading, "warm_up", broken)
    composer = window.open_composer()
    composer.body.setPlainText(PUSHY)
    with qtbot.waitSignal(loading.ready, timeout=10_000):
        composer.relint()
    assert loading.ready_now()  # ended: the lint loads (or fails) where it is called
    assert "just following up" in composer.form.lint_label.text()
