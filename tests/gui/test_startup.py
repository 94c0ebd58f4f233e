"""Start-up at 5,000 contacts (issue 18): the window paints before the slow parts run; the
overview shows every finding right after that first paint; the collector comes back."""

from __future__ import annotations

import gc
import sys
from typing import Any

from PySide6.QtCore import QUrl

from netguard import collector
from netguard.analysis.model import ContactState, Finding, Report, Severity
from netguard.demo_mailbox import DEMO_AT
from netguard.gui.app import Shell
from netguard.gui.overview import FIRST_LINES, FindingsOverview
from netguard.gui.session import Session

MANY = FIRST_LINES + 15


def crowded_report() -> Report:
    contacts = tuple(ContactState(f"c{n}@example.com", f"Contact {n}", 3, 3, DEMO_AT, None, 1, 0,
                                  ("neglected",)) for n in range(MANY))
    findings = tuple(Finding(4, "neglected", c.address, Severity.INFO,
                             f"You and {c.name} used to write each other.", "")
                     for c in contacts)
    return Report(at=DEMO_AT, contacts=contacts, findings=findings)


def listed(overview: FindingsOverview) -> int:
    return sum("used to write each other" in line for line in overview.toPlainText().splitlines())


def test_a_long_group_shows_its_first_lines_before_the_first_paint_and_all_after(
        qtbot: Any) -> None:
    overview = FindingsOverview()
    qtbot.addWidget(overview)
    overview.show_report(crowded_report(), 7)
    assert listed(overview) == FIRST_LINES
    overview.show()
    qtbot.waitUntil(lambda: listed(overview) == MANY)
    overview.show_report(crowded_report(), 7)  # once shown, all at once
    assert listed(overview) == MANY


def test_the_last_line_links_to_its_contact_once_complete(qtbot: Any) -> None:
    overview = FindingsOverview()
    qtbot.addWidget(overview)
    overview.show_report(crowded_report(), 7)
    overview.show()
    qtbot.waitUntil(lambda: listed(overview) == MANY)
    with qtbot.waitSignal(overview.contact_requested) as asked:
        overview.anchorClicked.emit(QUrl(f"#contact-{MANY - 1}"))
    assert asked.args == [f"c{MANY - 1}@example.com"]


def test_the_collector_held_at_start_up_resumes_after_the_first_paint(
        session: Session, qtbot: Any) -> None:
    collector.hold()
    try:
        assert not gc.isenabled()
        shell = Shell(session)
        window = shell.open()
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(gc.isenabled)
    finally:
        collector.resume()
        shell.shutdown()
    assert gc.isenabled()


def test_the_app_paints_before_its_first_sync_starts(home: Any, qapp: Any,
                                                     monkeypatch: Any) -> None:
    # A sync's start loads keyring and imapclient on the worker, holding the GIL: the window
    # must have painted first. The app then quits from inside its first sync_now.
    from dataclasses import replace

    from PySide6.QtCore import QEvent, QEventLoop, QObject

    from netguard.gui import app
    from netguard.gui.main_window import MainWindow
    from netguard.settings import Account
    from netguard.workspace import Workspace

    workspace = Workspace.open()
    workspace.save_settings(replace(workspace.settings, account=Account(
        host="mail.example.nl", user="me@example.nl")))
    painted: list[bool] = []
    seen: dict[str, bool] = {}

    class Paints(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                painted.append(True)
            return False

    spy = Paints()
    opened = Shell.open
    windows: list[MainWindow] = []

    def open_watched(shell: Shell) -> MainWindow:
        window = opened(shell)
        window.table.viewport().installEventFilter(spy)
        windows.append(window)
        return window

    class OwnLoop:  # the application's own exec() would end the test process's event loop
        def __init__(self) -> None:
            self.loop = QEventLoop()

        def exec(self) -> int:
            return self.loop.exec()

        def quit(self) -> None:
            self.loop.quit()

        def __getattr__(self, name: str) -> Any:
            return getattr(qapp, name)

    own = OwnLoop()

    def first_sync(window: MainWindow) -> None:
        seen.setdefault("painted", bool(painted))
        own.quit()

    monkeypatch.setattr(app, "application", lambda: own)
    monkeypatch.setattr(Shell, "open", open_watched)
    monkeypatch.setattr(MainWindow, "sync_now", first_sync)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_app installs its reporter
    collector.hold()
    try:
        assert app.run_app(workspace) == 0
    finally:
        collector.resume()
        for window in windows:
            window.close()
            window.deleteLater()
        workspace.close()
    assert seen == {"painted": True}


def test_the_window_takes_its_first_report_from_the_report_process(
        session: Session, make_window: Any, monkeypatch: Any) -> None:
    from netguard.analysis.report import build_report
    from netguard.analysis.report_process import ReportProcess
    from netguard.gui import session as session_module

    if sys.platform != "linux":
        return
    expected = build_report(session.conn, session.rules, at=DEMO_AT, lang=session.lang)
    session.early = ReportProcess.start(session.workspace.profile.database, session.rules,
                                        DEMO_AT, session.lang)
    assert session.early is not None

    def not_here(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("the window built the report itself")

    monkeypatch.setattr(session_module, "build_report", not_here)
    window = make_window(session)
    assert session.early is None  # taken once
    assert window.report == expected
    assert window.model.rowCount() == len(window.report.contacts) > 0
