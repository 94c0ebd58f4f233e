"""One contact: the facts, a year of mail per week, the current streak, the findings with the
article's advice, and the two things you can do: draft a follow-up, or mute the warnings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from netguard.analysis.cadence import CADENCES
from netguard.analysis.guard import judge_facts, load_facts
from netguard.analysis.model import ContactState, Finding, RecipientVerdict
from netguard.analysis.rhythm import Rhythm, rhythm
from netguard.analysis.timeline import contact_messages, contact_timeline
from netguard.gui import states, style
from netguard.gui.contacts_model import short_date
from netguard.gui.elided import ElidedLabel
from netguard.gui.i18n import current, t
from netguard.gui.richtext import esc
from netguard.gui.session import Session
from netguard.gui.timeline import Timeline
from netguard.store.people import cadence_of, set_cadence
from netguard.terminal import safe

NARROW_PANE = 400
CADENCE_LABELS = {"2w": "every 2 weeks", "1m": "every month", "3m": "every quarter",
                  "6m": "every half year", "1y": "every year"}  # English sources, for t()
HISTORY_ROOM = 16  # a tree column's padding beside its text


def _label(text: str = "", *, rich: bool = False, css: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setMinimumWidth(1)  # a long unbreakable word never widens the pane past its edge
    if css:
        label.setStyleSheet(css)
    return label


class ContactPane(QScrollArea):
    draft_requested = Signal(str)
    mute_toggled = Signal(str, bool)
    cadence_changed = Signal(str, str)  # address, code ("" for none)
    back_requested = Signal()

    def __init__(self, session: Session, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self.contact: ContactState | None = None
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 16)
        layout.setSpacing(10)
        self.setWidget(body)
        self._build_header(layout)
        self._build_facts(layout)
        layout.addWidget(_label(t("Mail per week"), css="font-weight:600;"))
        self.timeline = Timeline()
        layout.addWidget(self.timeline)
        self.findings = _label(rich=True)
        self.findings.setOpenExternalLinks(False)
        layout.addWidget(self.findings)
        self._build_actions(layout)
        layout.addWidget(_label(t("Recent messages"), css="font-weight:600;"))
        self.history = QTreeWidget()
        self.history.setHeaderLabels([t("Date"), "", t("Subject")])
        # One tooltip in the header, none per row: PySide6 miscounts None's references when a
        # tree with item tooltips is cleared (6.12.0 lost one each: the crash of issue 15).
        self.history.headerItem().setToolTip(1, t("→ you wrote, ← they wrote"))
        self.history.setRootIsDecorated(False)
        self.history.setMinimumHeight(140)
        self._history_fitted = ""  # the language the history's columns were measured in
        layout.addWidget(self.history, 1)

    def _build_header(self, layout: QVBoxLayout) -> None:
        top = QHBoxLayout()
        self.name = ElidedLabel()
        self.name.setStyleSheet("font-size:16pt; font-weight:600;")
        self.back = QPushButton("← " + t("Overview"))
        self.back.setFlat(True)
        self.back.setToolTip(t("Back to the findings overview"))
        self.back.clicked.connect(self.back_requested)
        top.addWidget(self.back)  # a line of its own, so the name gets the pane's full width
        top.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(self.name)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.state_icon = QLabel()
        self.state_text = _label(css="font-weight:600;")
        self.state_text.setWordWrap(False)
        self.address = ElidedLabel()
        self.address.setStyleSheet("color:#55606e;")
        layout.addWidget(self.address)
        row.addWidget(self.state_icon)
        row.addWidget(self.state_text, 1)
        layout.addLayout(row)

    def _build_facts(self, layout: QVBoxLayout) -> None:
        form = self.facts = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(4)
        self.exchanged, self.streak, self.this_week = _label(), _label(), _label()
        self.reply_time, self.pauses = _label(), _label()
        form.addRow(t("Exchanged:"), self.exchanged)
        form.addRow(t("Reply time:"), self.reply_time)
        form.addRow(t("Between conversations:"), self.pauses)
        form.addRow(t("Unanswered streak:"), self.streak)
        form.addRow(t("Follow-ups this week:"), self.this_week)
        layout.addLayout(form)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """In a narrow pane the facts go under their labels rather than into a thin column."""
        narrow = event.size().width() < NARROW_PANE
        self.facts.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows if narrow
                                    else QFormLayout.RowWrapPolicy.DontWrapRows)
        super().resizeEvent(event)

    def _build_actions(self, layout: QVBoxLayout) -> None:
        row = QHBoxLayout()
        self.draft_button = QPushButton(t("Draft follow-up"))
        self.draft_button.setToolTip(t("Open the composer with the template that suits this "
                                       "contact (Ctrl+N opens an empty one)"))
        self.draft_button.setStyleSheet(style.PRIMARY)
        self.draft_button.clicked.connect(self._draft)
        row.addWidget(self.draft_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.mute_button = QCheckBox(t("Mute warnings for this contact"))
        self.mute_button.setToolTip(t("NetGuard keeps counting, but shows no warnings and no "
                                      "send-guard question for this contact."))
        self.mute_button.clicked.connect(self._mute)
        layout.addWidget(self.mute_button)
        layout.addLayout(self._build_cadence())

    def _build_cadence(self) -> QHBoxLayout:
        """Keep in touch: a cadence the user chooses (issue 19), stored at once."""
        row = QHBoxLayout()
        self.cadence = QComboBox()
        # it gives way in a narrow pane (its choice shown cut), so its label keeps its words
        self.cadence.setMinimumWidth(self.cadence.fontMetrics().horizontalAdvance("0" * 6))
        self.cadence.addItem(t("no fixed rhythm"), "")
        for code in CADENCES:
            self.cadence.addItem(t(CADENCE_LABELS[code]), code)
        self.cadence.setToolTip(t("How often you want to be in touch. The weekly review reminds "
                                  "you when the last message either way is older; any exchange "
                                  "starts it again."))
        self.cadence.activated.connect(self._cadence_chosen)
        label = _label(t("Keep in touch:"))
        label.setWordWrap(False)  # wrapped or squeezable, the row cut it to a word a line
        label.setMinimumWidth(label.sizeHint().width())
        row.addWidget(label)
        row.addWidget(self.cadence)
        row.addStretch(1)
        return row

    def show_contact(self, contact: ContactState, findings: tuple[Finding, ...]) -> None:
        self.contact = contact
        session = self.session
        look = states.look(contact)
        self.name.setText(safe(contact.name) or contact.address)
        self.address.setText(contact.address if contact.name else "")  # the address once
        self.state_icon.setPixmap(states.icon(look.icon).pixmap(20, 20))
        self.state_text.setText(t(look.label))
        self.exchanged.setText(t("{sent} sent (last {last_sent}) · {received} received "
                                 "(last {last_received})", sent=contact.sent,
                                 received=contact.received, last_sent=short_date(contact.last_sent),
                                 last_received=short_date(contact.last_received)))
        facts = load_facts(session.conn, session.rules, contact.address, session.now())
        verdict = judge_facts(session.conn, session.rules, facts, session.lang)
        self.streak.setText(self._streak_text(contact, verdict))
        self.this_week.setText(t("{n} in the last {days} days; the guard speaks up before a "
                              "follow-up that would be number {limit}",
                              n=contact.followups_in_window, days=session.rules.window_days,
                              limit=session.rules.followup_limit))
        started = verdict.streak_started if verdict and contact.unanswered_streak else None
        self.timeline.set_weeks(contact_timeline(session.conn, contact.address, at=session.now(),
                                                 bulk_recipients=session.rules.bulk_recipients),
                                started.astimezone().date() if started else None)
        self._show_rhythm(rhythm(facts))
        self.findings.setText(self._findings_html(contact, findings))
        self.mute_button.setChecked(contact.muted)
        self.cadence.setCurrentIndex(max(0, self.cadence.findData(
            cadence_of(session.conn, contact.address) or "")))
        self._fill_history()

    def _show_rhythm(self, found: Rhythm) -> None:
        """The numbers behind give-it-time, follow-up-now and drifting (issue 19)."""
        n = found.replies.count
        if not found.replies_known:
            self.reply_time.setText(t("too little history yet (replies so far: {n}); the "
                                      "standard rules apply", n=n))
        else:
            low, high = found.replies.day_range()
            self.reply_time.setText(
                t("usually answers within a day, {n} replies", n=n) if high <= 1 else
                t("usually answers within {days} days, {n} replies", days=high, n=n)
                if low == high else
                t("usually answers within {low}–{high} days, {n} replies", low=low, high=high,
                  n=n))
        gaps = found.gaps.count
        self.pauses.setText(
            t("usually about {days} days, {n} pauses", days=max(1, round(found.gaps.median
                                                                      / 86_400)), n=gaps)
            if found.gaps_known else
            t("too little history yet (pauses so far: {n}); the standard rules apply", n=gaps))

    @staticmethod
    def _streak_text(contact: ContactState, verdict: RecipientVerdict | None) -> str:
        if not contact.unanswered_streak:
            return t("none: they had the last word")
        started = verdict.streak_started if verdict else None
        return t("{n} of your messages without a reply, since {date}", n=contact.unanswered_streak,
                 date=short_date(started))

    @staticmethod
    def _findings_html(contact: ContactState, findings: tuple[Finding, ...]) -> str:
        if contact.muted:
            return esc(t("Warnings for this contact are muted. NetGuard still counts, but stays "
                         "quiet."))
        if not findings:
            return esc(t("Nothing to worry about with this contact."))
        parts = []
        for finding in findings:
            title = t("Pitfall {n}: {title}", n=finding.pitfall,
                      title=states.pitfall_title(finding.pitfall))
            parts.append(f"<p style='margin-bottom:8px'><b>{esc(title)}</b><br>"
                         f"{esc(finding.message)}<br>"
                         f"<span style='color:#55606e'>{esc(finding.advice)}</span></p>")
        return "".join(parts)

    def _fill_history(self) -> None:
        self.history.clear()
        if self.contact is None:
            return
        note = t(" (automatic)")
        rows = []
        for item in contact_messages(self.session.conn, self.contact.address, limit=50):
            arrow = "→" if item.direction == "sent" else "←"
            subject = item.subject + note if item.automatic else item.subject
            rows.append(QTreeWidgetItem([short_date(item.time), arrow, subject]))
        self.history.addTopLevelItems(rows)  # the arrows are explained once, in the header
        self._fit_history_columns()

    def _fit_history_columns(self) -> None:
        """Date and arrow columns as wide as a long date and an arrow: measured once per
        language, not per contact (resizing to contents took a quarter of a selection's time)."""
        if self._history_fitted == current():
            return
        metrics = self.history.fontMetrics()
        widest = max(metrics.horizontalAdvance(short_date(datetime(2026, month, 28)))
                     for month in range(1, 13))
        self.history.setColumnWidth(0, widest + HISTORY_ROOM)
        self.history.setColumnWidth(1, metrics.horizontalAdvance("→") + HISTORY_ROOM)
        self._history_fitted = current()

    def _draft(self) -> None:
        if self.contact is not None:
            self.draft_requested.emit(self.contact.address)

    def _cadence_chosen(self) -> None:
        if self.contact is not None:
            code = str(self.cadence.currentData() or "")
            set_cadence(self.session.conn, self.contact.address, code or None)
            self.cadence_changed.emit(self.contact.address, code)

    def _mute(self) -> None:
        if self.contact is not None:
            self.mute_toggled.emit(self.contact.address, not self.contact.muted)
