"""The main window: contacts table, findings overview / contact pane, sync in the status bar."""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from netguard import outbox
from netguard.analysis.model import Finding, Report
from netguard.errors import KnownError
from netguard.gui import states
from netguard.gui.contacts_columns import ColumnFitter
from netguard.gui.contacts_model import (
    CONTACT_ROLE,
    Column,
    ContactsModel,
    ContactsProxy,
    short_date,
)
from netguard.gui.day_timer import DayTimer
from netguard.gui.held_notices import HeldNotices
from netguard.gui.i18n import number, t
from netguard.gui.notices import Banner, CrashReporter
from netguard.gui.outbox_guard import Held, OutboxGuard
from netguard.gui.overview import FindingsOverview
from netguard.gui.sending import sender_for
from netguard.gui.session import Session
from netguard.gui.syncing import SyncRunner
from netguard.gui.worker import AccountWorker
from netguard.store.people import set_muted

if TYPE_CHECKING:
    from netguard.gui.composer import Asker, Composer
    from netguard.gui.contact_pane import ContactPane
    from netguard.gui.this_week import ThisWeek

ALLOW_MINUTES = 15  # Allow once: as `netguard allow` does by default
SIDE_MIN_WIDTH = 280  # the overview and the contact pane fit from here on (900-pixel window)


def local_time(when: datetime) -> str:
    """``14:05`` today, else ``27 Nov 2026 14:05``, in local time."""
    local = when.astimezone()
    clock = local.strftime("%H:%M")
    today = datetime.now(local.tzinfo).date()
    return clock if local.date() == today else f"{short_date(local)} {clock}"


def _by_contact(findings: tuple[Finding, ...]) -> dict[str, tuple[Finding, ...]]:
    """The findings per contact address, in report order."""
    found: dict[str, list[Finding]] = {}
    for finding in findings:
        found.setdefault(finding.contact, []).append(finding)
    return {address: tuple(items) for address, items in found.items()}


class MainWindow(QMainWindow):
    language_changed = Signal(str)

    def __init__(self, session: Session, worker: AccountWorker | None = None,
                 crashes: CrashReporter | None = None, asker: Asker | None = None,
                 guard: OutboxGuard | None = None) -> None:
        super().__init__()
        self.session = session
        self._owns_worker = worker is None
        self.worker = worker or AccountWorker(parent=self)
        self.crashes = crashes or CrashReporter(self)
        self.asker = asker
        self.report: Report | None = None
        self._findings: dict[str, tuple[Finding, ...]] = {}
        self.composer: Composer | None = None
        self.setWindowTitle(t("NetGuard — demo mailbox") if session.demo else "NetGuard")
        self.setWindowIcon(states.icon("netguard-app"))
        self.resize(1280, 800)
        self.syncer = SyncRunner(session.workspace, self.worker, self)
        self._owns_guard = guard is None
        self.guard = guard or OutboxGuard(session.workspace, self.worker, self)
        self._build_actions()
        self._build_central()
        self._build_status()
        self._connect()
        self.refresh()
        self.table.setFocus()
        if not session.demo and not session.settings.account.configured:
            self.invite_account_setup()
        self.apply_guard()

    # -- building -------------------------------------------------------------------------------

    def _build_actions(self) -> None:
        bar = QToolBar(t("Main"))
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(bar)
        self.sync_action = self._action(bar, "sync", t("Sync now"), "Ctrl+R", self.sync_now)
        self.compose_action = self._action(bar, "compose", t("New message"), "Ctrl+N",
                                           self._compose_new)
        bar.addSeparator()
        self.week_action = self._action(bar, "state-ok", t("This week…"), "Ctrl+Shift+W",
                                        self.show_this_week)
        self.week_action.setToolTip(t("The weekly review: whom to reconnect with, thank, or "
                                      "leave be"))
        self._action(bar, "account", t("Account…"), "", self.open_account)
        self._action(bar, "settings", t("Settings…"), "Ctrl+,", self.open_settings)
        self.search = QLineEdit()  # above the table (see _build_central): never in an overflow
        self.search.setPlaceholderText(t("Search contacts (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        clear = QAction(self.search)
        clear.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        clear.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        clear.triggered.connect(self.search.clear)
        self.search.addAction(clear)
        down = QAction(self.search)
        down.setShortcut(QKeySequence(Qt.Key.Key_Down))
        down.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        down.triggered.connect(self._to_results)
        self.search.addAction(down)
        self.search.returnPressed.connect(self._to_results)
        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self._focus_search)
        self.addAction(find)

    def _action(self, bar: QToolBar, icon: str, text: str, keys: str, slot: Any) -> QAction:
        action = QAction(states.icon(icon), text, self)
        if keys:
            action.setShortcut(QKeySequence(keys))
            native = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{text} ({native})")
        action.triggered.connect(slot)
        bar.addAction(action)
        return action

    def _build_central(self) -> None:
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(10, 6, 10, 4)
        layout.setSpacing(6)
        self.banner = Banner()
        layout.addWidget(self.banner)
        self.held_notices = HeldNotices()
        layout.addWidget(self.held_notices)
        self.model = ContactsModel(self)
        self.proxy = ContactsProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = self._build_table()
        contacts = QWidget()
        left = QVBoxLayout(contacts)
        left.setContentsMargins(0, 0, 0, 0)
        left.setSpacing(6)
        left.addWidget(self.search)
        left.addWidget(self.table, 1)
        self.overview = FindingsOverview()
        self.side = QStackedWidget()  # the contact pane and "This week" join it when first used
        self.side.setMinimumWidth(SIDE_MIN_WIDTH)
        self.side.addWidget(self.overview)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(contacts)
        splitter.addWidget(self.side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([850, 410])
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(Column.STATE, Qt.SortOrder.DescendingOrder)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(30)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.columns = ColumnFitter(table)
        header.setMinimumSectionSize(60)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setIconSize(table.iconSize().scaled(18, 18, Qt.AspectRatioMode.KeepAspectRatio))
        return table

    def _build_status(self) -> None:
        status = self.statusBar()
        self.sync_label = QLabel()
        self.sync_label.setContentsMargins(8, 0, 0, 0)
        self.progress = QProgressBar()
        self.progress.setFixedWidth(220)
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton(t("Cancel"))
        self.cancel_button.clicked.connect(self.syncer.cancel)
        status.addWidget(self.sync_label, 1)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.cancel_button)
        self.day_timer = DayTimer(self)  # "Last sync: 14:05" becomes "27 Nov 2026 14:05"
        self.day_timer.new_day.connect(lambda: self.sync_label.setText(self._sync_status()))
        self._sync_idle()

    def _connect(self) -> None:
        self.search.textChanged.connect(self.proxy.set_search)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(self._double_clicked)
        self.overview.contact_requested.connect(self.select_contact)
        self.banner.action_clicked.connect(self.open_account)
        self.worker.known_error.connect(self.show_known_error)
        self.worker.crashed.connect(self.crashes.report)
        self.syncer.started.connect(self._sync_started)
        self.syncer.progress.connect(self._sync_progress)
        self.syncer.finished.connect(self._sync_finished)
        self.syncer.failed.connect(self.show_known_error)
        self.syncer.cancelled.connect(lambda: self.statusBar().showMessage(
            t("Sync cancelled; everything fetched so far is kept."), 8000))
        self.syncer.ended.connect(self._sync_idle)
        self.guard.held.connect(self.show_held)
        self.guard.relay_failed.connect(lambda err: self.banner.show_message(
            str(err), "info", title=t("The outbox guard is not running")))
        self.guard.drafts_failed.connect(lambda err: self.banner.show_message(
            str(err), "info", title=t("NetGuard could not check your Drafts folder")))
        self.held_notices.allow_requested.connect(self.allow_once)
        self.held_notices.close_loop_requested.connect(self.close_the_loop)

    @cached_property
    def pane(self) -> ContactPane:
        """The contact pane, made when first shown or right after the window's first paint
        (``build_hidden``): the first paint waits for neither it nor its modules (issue 18)."""
        from netguard.gui.contact_pane import ContactPane

        pane = ContactPane(self.session)
        self.side.addWidget(pane)
        pane.back_requested.connect(self.show_overview)
        pane.draft_requested.connect(self.open_composer)
        pane.mute_toggled.connect(self.set_muted)
        return pane

    @cached_property
    def this_week(self) -> ThisWeek:
        """The weekly review's page, made as the contact pane is."""
        from netguard.gui.this_week import ThisWeek

        page = ThisWeek(self.session)
        self.side.addWidget(page)
        page.contact_requested.connect(self.select_contact)
        page.draft_requested.connect(self.open_composer_with)
        return page

    def build_hidden(self) -> None:
        """Make what the first paint did without, so that the first click or keystroke does
        not wait: the pages the side shows later, the search's texts."""
        _ = self.pane, self.this_week, self.model.haystacks()

    # -- data -----------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the store: the table, the overview and the open contact."""
        selected = self.selected_address()
        self.session.forget()
        self.report = self.session.report()
        self._findings = _by_contact(self.report.findings)
        self.model.set_contacts(self.report.contacts)
        self.columns.fit()
        self.overview.show_report(self.report, self.session.rules.window_days)
        if selected:
            self.select_contact(selected)

    def findings_for(self, address: str) -> tuple[Finding, ...]:
        return self._findings.get(address, ())

    def selected_address(self) -> str:
        rows = self.table.selectionModel().selectedRows()
        return str(rows[0].data(CONTACT_ROLE)) if rows else ""

    def select_contact(self, address: str) -> None:
        row = self.model.row_of(address)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            self.search.clear()
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        self._show_contact(address)

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        address = self.selected_address()
        if address:
            self._show_contact(address)

    def _show_contact(self, address: str) -> None:
        row = self.model.row_of(address)
        if row >= 0:
            self.pane.show_contact(self.model.contact(row), self.findings_for(address))
            self.side.setCurrentWidget(self.pane)

    def _double_clicked(self, index: QModelIndex) -> None:
        self.open_composer(str(index.data(CONTACT_ROLE)))

    def show_overview(self) -> None:
        self.table.clearSelection()
        self.side.setCurrentWidget(self.overview)

    def set_muted(self, address: str, muted: bool) -> None:
        set_muted(self.session.conn, address, muted)
        self.refresh()
        self.statusBar().showMessage(
            t("Warnings for {address} are muted.", address=address) if muted
            else t("Warnings for {address} are back on.", address=address), 6000)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _to_results(self) -> None:
        """Down or Enter in the search: on to the contacts found, the first one chosen unless
        one of them already is."""
        if self.proxy.rowCount() == 0:
            return
        if not self.table.selectionModel().selectedRows():
            self.table.selectRow(0)
        self.table.setFocus()

    # -- windows --------------------------------------------------------------------------------

    def open_composer(self, address: str = "") -> Composer:
        from netguard.gui.composer import Composer

        for closed in self.findChildren(Composer):  # each kept its shortcuts and timers
            if not closed.isVisible():
                closed.deleteLater()
        composer = Composer(self.session, self.worker, self.asker, self)
        composer.sent.connect(self._sent)
        if address:
            composer.set_recipient(address)
        composer.show()
        self.composer = composer
        return composer

    def open_composer_with(self, address: str, template: str) -> Composer:
        """The composer for ``address``, starting from ``template`` (the weekly review's)."""
        composer = self.open_composer(address)
        combo = composer.form.combo  # as if chosen by hand: the composer reacts as it does then
        combo.setCurrentIndex(max(0, combo.findData(template)))
        return composer

    def show_this_week(self) -> None:
        self.table.clearSelection()
        self.this_week.refresh(self.report)
        self.side.setCurrentWidget(self.this_week)

    def _sent(self, confirmation: str) -> None:
        """The composer closed after sending: say so, and count the new message."""
        self.refresh()
        self.statusBar().showMessage(confirmation, 10000)

    def _compose_new(self) -> None:
        self.open_composer()

    # -- the outbox guard -----------------------------------------------------------------------

    def apply_guard(self, restart: bool = False) -> None:
        """Run the relay and the Drafts watcher as the settings say (never in the demo)."""
        if not self.session.demo:
            self.guard.apply(restart)

    def show_held(self, held: Held) -> None:
        self.held_notices.show_held(held)

    def allow_once(self, address: str) -> None:
        """Let the next message to ``address`` through the relay, as `netguard allow` does."""
        until = outbox.allow(self.session.conn, address, ALLOW_MINUTES)
        notice = self.held_notices.notice_for(address)
        if notice is not None:
            notice.allowed(datetime.fromtimestamp(until).astimezone().strftime("%H:%M"),
                           ALLOW_MINUTES)

    def close_the_loop(self, address: str) -> Composer:
        composer = self.open_composer(address)
        composer.close_the_loop()
        return composer

    def open_account(self) -> None:
        from netguard.gui.account_dialog import AccountDialog

        dialog = AccountDialog(self.session, self.worker, self)
        if dialog.exec():
            self.banner.hide()
            self.session.sender = sender_for(self.session.workspace, self.session.demo)
            self.apply_guard(restart=True)  # the relay picks up a new password too
            self.sync_now()

    def open_settings(self) -> None:
        from netguard.gui.settings_dialog import SettingsDialog

        before = self.session.settings.language
        dialog = SettingsDialog(self.session, self, self.worker)
        if dialog.exec():
            self.syncer.set_interval(self.session.settings.sync.interval_minutes)
            self.apply_guard()
            self.refresh()
            if self.session.settings.language != before:
                self.language_changed.emit(self.session.settings.language)

    # -- sync -----------------------------------------------------------------------------------

    def sync_now(self) -> None:
        if self.session.demo:
            self.statusBar().showMessage(t("The demo mailbox does not sync."), 6000)
            return
        if not self.session.settings.account.configured:
            self.invite_account_setup()
            return
        self.syncer.start()

    def invite_account_setup(self) -> None:
        self.banner.show_message(t("Set up your mail account to let NetGuard read your Sent "
                                   "folder. Nothing on the server is changed."), "info",
                                 action=t("Set up account…"))

    def _sync_started(self) -> None:
        self.banner.hide()
        self.progress.setRange(0, 0)
        self.progress.setFormat(t("Connecting…"))
        self.progress.show()
        self.cancel_button.show()
        self.sync_action.setEnabled(False)

    def _sync_progress(self, folder: str, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))
        self.progress.setFormat(t("{folder}: {done} of {total}", folder=folder,
                                  done=number(done), total=number(total)))

    def _sync_finished(self, result: Any) -> None:
        new = sum(folder.new for folder in getattr(result, "folders", ()))
        message = t("Sync done: {new} new messages.", new=number(new))
        if getattr(result, "missing", 0):
            message += " " + t("The server left {n} message(s) out of its answer; NetGuard asks "
                               "for them again at the next sync.", n=number(result.missing))
        self.statusBar().showMessage(message, 8000)
        failed = getattr(result, "failed", ())
        if failed:
            self.banner.show_message(
                "\n".join(f"{folder.name}: {folder.error}" for folder in failed)
                + "\n" + t("The other folders are synced. NetGuard tries again at the next sync; "
                           "if it keeps failing, choose other folders under Account."),
                "error", title=t("Some folders could not be synced"))
        self.refresh()

    def _sync_idle(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.sync_action.setEnabled(True)
        self.sync_label.setText(self._sync_status())

    def _sync_status(self) -> str:
        if self.session.demo:
            when = short_date(self.session.now())
            return t("Demo mailbox, as of {when}. No account needed; nothing is sent.", when=when)
        if self.syncer.last_sync is None:
            configured = self.session.settings.account.configured
            return t("Not synced yet.") if configured else t("No account yet.")
        return t("Last sync: {time}", time=local_time(self.syncer.last_sync))

    def show_known_error(self, err: KnownError) -> None:
        self.banner.show_message(str(err), "error")

    def stop_syncing(self) -> None:
        """No more periodic syncs from this window, and the running one (if any) cancelled."""
        self.syncer.timer.stop()
        self.syncer.cancel()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._owns_worker:  # in a Shell the window closes into the tray: syncs go on
            self.stop_syncing()
        if self._owns_guard:
            self.guard.shutdown()
        if self._owns_worker:
            self.worker.shutdown()
        super().closeEvent(event)
