"""A year of mail with one contact, week by week, drawn with QPainter.

Sent mail rises above the middle line and received mail hangs below it, each labelled, so
the picture reads without relying on colour. Faint lines mark the busiest week's count (the
scale), and the unanswered streak is a light band named in the margin above the plot. When
the pane is narrow, the most recent weeks that fit are drawn (never squeezed, never the oldest).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QLocale, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from netguard.analysis.model import WeekCount
from netguard.gui.i18n import current, t

SENT = QColor("#4a6fa5")
RECEIVED = QColor("#3f8a5a")
STREAK = QColor(181, 101, 29, 28)
LEFT, RIGHT, TOP, BOTTOM = 100, 10, 18, 22
GAP = 6  # between a label and what it names
MIN_STEP = 7.0  # pixels per week, at least: fewer weeks are drawn rather than thinner bars


class Timeline(QWidget):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._weeks: tuple[WeekCount, ...] = ()
        self._streak_start: date | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(130)
        self.setAccessibleName(t("Mail per week over the last year"))

    def sizeHint(self) -> QSize:
        return QSize(520, 130)

    def set_weeks(self, weeks: Sequence[WeekCount], streak_start: date | None = None) -> None:
        """The weeks to draw (oldest first); ``streak_start`` marks where the unanswered
        streak began."""
        self._weeks = tuple(weeks)
        self._streak_start = streak_start
        self._update_tip()
        self.update()

    def _update_tip(self) -> None:
        weeks = self.shown_weeks()
        sent, received = sum(w.sent for w in weeks), sum(w.received for w in weeks)
        self.setToolTip(t("Last {n} weeks: {sent} sent, {received} received",
                          n=len(weeks), sent=sent, received=received))

    @property
    def weeks(self) -> tuple[WeekCount, ...]:
        return self._weeks

    def shown_weeks(self) -> tuple[WeekCount, ...]:
        """The most recent weeks that fit the plot at ``MIN_STEP`` pixels each."""
        fit = max(1, int((self.width() - LEFT - RIGHT) / MIN_STEP))
        return self._weeks[-fit:]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_tip()

    @property
    def streak_start(self) -> date | None:
        return self._streak_start

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        plot = QRectF(LEFT, TOP, self.width() - LEFT - RIGHT, self.height() - TOP - BOTTOM)
        middle = plot.top() + plot.height() / 2
        weeks = self.shown_weeks()
        peak = max([0, *(max(w.sent, w.received) for w in weeks)])
        self._draw_axes(painter, plot, middle, peak)
        if weeks:
            self._draw_streak(painter, plot, weeks)
            self._draw_bars(painter, plot, middle, peak, weeks)
            self._draw_months(painter, plot, weeks)
        if note := self.empty_note():
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, note)
        painter.end()

    def empty_note(self) -> str:
        """What the plot says when the weeks shown hold no mail either way (a contact quiet for
        a year); empty when there are bars to draw."""
        weeks = self.shown_weeks()
        if any(w.sent or w.received for w in weeks):
            return ""
        return t("No mail in these {n} weeks", n=len(weeks))

    def _draw_axes(self, painter: QPainter, plot: QRectF, middle: float, peak: int) -> None:
        text = self.palette().color(QPalette.ColorRole.PlaceholderText)
        font = QFont(self.font())
        painter.setFont(font)
        painter.setPen(SENT)
        painter.drawText(QRectF(0, middle - 18, LEFT - GAP, 16),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                         t("Sent") + " ▲")
        painter.setPen(RECEIVED)
        painter.drawText(QRectF(0, middle + 2, LEFT - GAP, 16),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                         t("Received") + " ▼")
        if peak:  # an empty plot has its note instead, with no line through it
            painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
            painter.drawLine(int(plot.left()), int(middle), int(plot.right()), int(middle))
            self._draw_scale(painter, plot, middle, peak, text)

    def _draw_scale(self, painter: QPainter, plot: QRectF, middle: float, peak: int,
                    color: QColor) -> None:
        """The busiest week's count at the end of a faint line, above and below the middle."""
        half = plot.height() / 2 - 2
        grid = QPen(self.palette().color(QPalette.ColorRole.Mid), 1, Qt.PenStyle.DotLine)
        height = painter.fontMetrics().height()
        for y in (middle - half, middle + 1 + half):
            painter.setPen(grid)
            painter.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            painter.setPen(color)
            painter.drawText(QRectF(plot.left() - GAP - 40, y - height / 2, 40, height),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             str(peak))

    def _draw_bars(self, painter: QPainter, plot: QRectF, middle: float, peak: int,
                   weeks: tuple[WeekCount, ...]) -> None:
        step = plot.width() / len(weeks)
        width = max(1.0, step * 0.7)
        half = plot.height() / 2 - 2
        painter.setPen(Qt.PenStyle.NoPen)
        for i, week in enumerate(weeks):
            x = plot.left() + i * step + (step - width) / 2
            if week.sent:
                height = max(2.0, half * week.sent / peak)
                painter.setBrush(SENT)
                painter.drawRoundedRect(QRectF(x, middle - height, width, height), 1.5, 1.5)
            if week.received:
                height = max(2.0, half * week.received / peak)
                painter.setBrush(RECEIVED)
                painter.drawRoundedRect(QRectF(x, middle + 1, width, height), 1.5, 1.5)

    def _draw_streak(self, painter: QPainter, plot: QRectF, weeks: tuple[WeekCount, ...]) -> None:
        """A light band from the week the unanswered streak began, labelled."""
        start = self._streak_start
        if start is None:
            return
        step = plot.width() / len(weeks)
        index = next((i for i, w in enumerate(weeks)
                      if w.week_start + timedelta(days=7) > start), None)
        if index is None:
            return
        left = plot.left() + index * step
        painter.fillRect(QRectF(left, plot.top(), plot.right() - left, plot.height()), STREAK)
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        label = t("streak") + " →"
        width = painter.fontMetrics().horizontalAdvance(label) + 2
        if left - width - 2 < plot.left():  # no room before the band: name it from inside
            label, right = "│ " + t("streak"), min(self.width() - 1.0, left + width)
        else:
            right = left - 2
        painter.drawText(QRectF(right - width, 0, width, TOP),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)

    def _draw_months(self, painter: QPainter, plot: QRectF, weeks: tuple[WeekCount, ...]) -> None:
        locale = QLocale(QLocale.Language.Dutch if current() == "nl" else QLocale.Language.English)
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        step = plot.width() / len(weeks)
        previous_month = None
        for i, week in enumerate(weeks):
            month = week.week_start.month
            if month != previous_month and previous_month is not None and month % 2 == 1:
                x = plot.left() + i * step
                name = locale.monthName(month, QLocale.FormatType.ShortFormat)
                painter.drawText(QRectF(x - 20, plot.bottom() + 4, 40, 16),
                                 Qt.AlignmentFlag.AlignHCenter, name)
            previous_month = month
