"""A signal at every local midnight: texts such as "Last sync: 14:05" mean today only."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QObject, Qt, QTimer, Signal


def msecs_to_midnight(now: datetime) -> int:
    """Milliseconds from ``now`` (aware, local) to just after the next local midnight."""
    tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=1, microsecond=0)
    return max(1000, int((tomorrow - now).total_seconds() * 1000))


class DayTimer(QObject):
    """Emits ``new_day`` just after each local midnight while the app runs."""

    new_day = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.VeryCoarseTimer)
        self.timer.timeout.connect(self._midnight)
        self._arm()

    def _arm(self) -> None:
        self.timer.start(msecs_to_midnight(datetime.now().astimezone()))

    def _midnight(self) -> None:
        self._arm()
        self.new_day.emit()
