"""Settings: the thresholds of SPEC §1, language, sync interval, competitors, the networking
hour (day and time), muted contacts, my aliases, and the outbox guard (relay and its login,
Drafts watcher).
Nothing changes until Save."""

from __future__ import annotations

from dataclasses import fields, replace

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from netguard.calendar.ics import DAY_NAMES, parse_day, parse_time
from netguard.errors import UsageError
from netguard.gui import designer
from netguard.gui.i18n import t
from netguard.gui.relay_login import RelayLogin
from netguard.gui.session import Session
from netguard.gui.worker import AccountWorker
from netguard.settings import Rules
from netguard.store.people import add_me, muted_contacts, remove_me, set_muted

LANGUAGES = (("auto", "System language"), ("en", "English"), ("nl", "Nederlands"))
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def aliases(session: Session) -> list[str]:
    rows = session.conn.execute("SELECT address FROM me WHERE source = 'alias' ORDER BY address")
    return [str(row[0]) for row in rows]


class SettingsDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None,
                 worker: AccountWorker | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(t("Settings — NetGuard"))
        self.setMinimumWidth(560)
        self.ui = designer.embed("settings_dialog.ui", self)
        layout = self.layout()
        if isinstance(layout, QVBoxLayout):
            layout.setContentsMargins(12, 12, 12, 12)
        self.language = designer.child(self.ui, QComboBox, "language_combo")
        self.interval = designer.child(self.ui, QSpinBox, "interval_spin")
        self.competitors = designer.child(self.ui, QPlainTextEdit, "competitors_edit")
        self.hour_day = designer.child(self.ui, QComboBox, "hour_day_combo")
        self.hour_time = designer.child(self.ui, QTimeEdit, "hour_time_edit")
        self.hour_time.setDisplayFormat("HH:mm")  # as in settings.toml, in every language
        self.muted = designer.child(self.ui, QListWidget, "muted_list")
        self.aliases = designer.child(self.ui, QListWidget, "aliases_list")
        self.alias_edit = designer.child(self.ui, QLineEdit, "alias_edit")
        self.relay_check = designer.child(self.ui, QCheckBox, "relay_check")
        self.relay_port = designer.child(self.ui, QSpinBox, "relay_port_spin")
        self.watch_drafts = designer.child(self.ui, QCheckBox, "watch_drafts_check")
        self.relay_login = RelayLogin(self.ui, self)
        self.relay_login.load(worker, demo=session.demo)
        self._fill(session)
        self._connect()
        self.resize(600, 560)

    def spin(self, name: str) -> QSpinBox:
        return designer.child(self.ui, QSpinBox, f"{name}_spin")

    def _fill(self, session: Session) -> None:
        settings = session.settings
        for code, label in LANGUAGES:
            self.language.addItem(t(label), code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        self.interval.setValue(settings.sync.interval_minutes)
        self.competitors.setPlainText("\n".join(settings.lint.competitors))
        self._show_hour(settings.calendar.day, settings.calendar.time)
        self._show_rules(settings.rules)
        self.muted.addItems(sorted(muted_contacts(session.conn)))
        self.aliases.addItems(aliases(session))
        self.relay_check.setChecked(settings.relay.enabled)
        self.relay_port.setValue(settings.relay.port)
        self.watch_drafts.setChecked(settings.relay.watch_drafts)

    def _show_hour(self, day: str, start: str) -> None:
        for code, label in zip(DAY_NAMES, WEEKDAYS, strict=True):
            self.hour_day.addItem(t(label), code)
        try:  # a hand-edited value that means nothing shows the defaults
            chosen_day, chosen_time = parse_day(day), parse_time(start)
        except UsageError:
            chosen_day, chosen_time = 0, parse_time("09:00")
        self.hour_day.setCurrentIndex(chosen_day)
        self.hour_time.setTime(QTime(chosen_time.hour, chosen_time.minute))

    def _show_rules(self, rules: Rules) -> None:
        for item in fields(Rules):
            self.spin(item.name).setValue(getattr(rules, item.name))

    def _connect(self) -> None:
        buttons = designer.child(self.ui, QDialogButtonBox, "button_box")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        designer.child(self.ui, QPushButton, "defaults_button").clicked.connect(
            lambda: self._show_rules(Rules()))
        designer.child(self.ui, QPushButton, "unmute_button").clicked.connect(
            lambda: self._take(self.muted))
        designer.child(self.ui, QPushButton, "remove_alias_button").clicked.connect(
            lambda: self._take(self.aliases))
        designer.child(self.ui, QPushButton, "add_alias_button").clicked.connect(self._add_alias)
        self.alias_edit.returnPressed.connect(self._add_alias)

    @staticmethod
    def _take(widget: QListWidget) -> None:
        row = widget.currentRow()
        if row >= 0:
            widget.takeItem(row)

    def _add_alias(self) -> None:
        address = self.alias_edit.text().strip().lower()
        if "@" in address and not self.aliases.findItems(address, Qt.MatchFlag.MatchExactly):
            self.aliases.addItem(address)
            self.alias_edit.clear()

    @staticmethod
    def _items(widget: QListWidget) -> list[str]:
        return [widget.item(i).text() for i in range(widget.count())]

    def rules(self) -> Rules:
        return Rules(**{item.name: self.spin(item.name).value() for item in fields(Rules)})

    def save(self) -> None:
        session = self.session
        competitors = [line.strip() for line in self.competitors.toPlainText().splitlines()
                       if line.strip()]
        session.workspace.save_settings(replace(
            session.settings, language=self.language.currentData(), rules=self.rules(),
            sync=replace(session.settings.sync, interval_minutes=self.interval.value()),
            lint=replace(session.settings.lint, competitors=competitors),
            calendar=replace(session.settings.calendar, day=self.hour_day.currentData(),
                             time=self.hour_time.time().toString("HH:mm")),
            relay=replace(session.settings.relay, enabled=self.relay_check.isChecked(),
                          port=self.relay_port.value(),
                          watch_drafts=self.watch_drafts.isChecked())))
        kept_muted = set(self._items(self.muted))
        for address in muted_contacts(session.conn) - kept_muted:
            set_muted(session.conn, address, False)
        wanted = set(self._items(self.aliases))
        for address in set(aliases(session)) - wanted:
            remove_me(session.conn, address)
        for address in wanted:
            add_me(session.conn, address, "alias")
        self.accept()
