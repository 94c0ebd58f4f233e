"""The app on the demo mailbox, in English, with jobs run inline and crashes collected."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from netguard.demo_mailbox import DEMO_AT, demo_workspace
from netguard.gui import i18n
from netguard.gui.app import start_session
from netguard.gui.main_window import MainWindow
from netguard.gui.notices import CrashReporter
from netguard.gui.session import Session
from netguard.gui.worker import AccountWorker, InlineExecutor
from netguard.workspace import Workspace
from tests.gui.support import RecordingSender, ScriptedAsker


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Workspace]:
    workspace = demo_workspace(tmp_path / "demo")
    yield workspace
    workspace.close()


@pytest.fixture
def session(qapp: QApplication, demo: Workspace) -> Iterator[Session]:
    built = start_session(demo, demo=True, fixed_now=DEMO_AT)
    built.lang = i18n.install("en")
    built.sender = RecordingSender()
    yield built
    i18n.install("en")


@pytest.fixture
def asker() -> ScriptedAsker:
    return ScriptedAsker()


@pytest.fixture
def make_window(qtbot: Any, asker: ScriptedAsker) -> Callable[[Session], MainWindow]:
    def make(session: Session, worker: AccountWorker | None = None) -> MainWindow:
        window = MainWindow(session, worker or AccountWorker(InlineExecutor()),
                            CrashReporter(show=False), asker=asker)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        return window

    return make


@pytest.fixture
def window(session: Session, make_window: Callable[[Session], MainWindow]) -> MainWindow:
    return make_window(session)
