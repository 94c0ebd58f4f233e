"""Notices from the outbox guard: one strip per held message or warned draft, in the window,
while the tray (``tray.py``) brings the same news to the desktop once.

A relay notice offers *Allow once* and *Close the loop instead*; a draft notice only the
latter (webmail sends by itself). A newer notice for the same address replaces the older one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from netguard.gui import states
from netguard.gui.i18n import t
from netguard.gui.notices import STYLES
from netguard.gui.outbox_guard import Held, Source
from netguard.gui.richtext import esc

MAX_SHOWN = 4


def title(held: Held) -> str:
    if held.source is Source.RELAY:
        return t("NetGuard held back your message to {name}", name=held.name)
    return t("Your draft to {name} would be one follow-up too many", name=held.name)


def explanation(held: Held) -> str:
    first = t("This would be follow-up number {n} to {name} within {days} days, with no reply "
              "since.", n=held.followups + 1, name=held.name, days=held.window_days)
    if held.source is Source.RELAY:
        rest = t("Your mail client still has the message; nothing is lost.")
    else:
        rest = t("It is still a draft; nothing was sent.")
    return f"{first} {rest}"


class HeldNotice(QFrame):
    """One notice: what was held and why, with the two ways on."""

    allow_requested = Signal(str)  # address
    close_loop_requested = Signal(str)  # address

    def __init__(self, held: Held, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.held = held
        self.setObjectName("held_notice")
        self.setStyleSheet(f"#held_notice {{{STYLES['warn']}}} "
                           "QLabel {border:none; background:none;}")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.setSpacing(10)
        icon = QLabel()
        icon.setPixmap(states.icon("state-overload").pixmap(20, 20))
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.allow_button = QPushButton(t("Allow once"))
        self.allow_button.setVisible(held.source is Source.RELAY)
        self.allow_button.clicked.connect(lambda: self.allow_requested.emit(held.address))
        self.close_loop_button = QPushButton(t("Close the loop instead"))
        self.close_loop_button.clicked.connect(
            lambda: self.close_loop_requested.emit(held.address))
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip(t("Dismiss"))
        close.clicked.connect(self.dismiss)
        layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.allow_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.close_loop_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.show_text(explanation(held))

    def dismiss(self) -> None:
        self.hide()
        self.deleteLater()

    def show_text(self, message: str) -> None:
        self.message = f"{title(self.held)}\n{message}"
        self.text.setText(f"<b>{esc(title(self.held))}</b><br>{esc(message)}")

    def allowed(self, until: str, minutes: int) -> None:
        """After *Allow once*: say what to do next; the buttons have done their work."""
        self.allow_button.hide()
        self.show_text(t("The next message to {address} may pass within {minutes} minutes "
                         "(until {until}). Press Send again in your mail client.",
                         address=self.held.address, minutes=minutes, until=until))


class HeldNotices(QWidget):
    """The stack of notices at the top of the window."""

    allow_requested = Signal(str)
    close_loop_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stack = QVBoxLayout(self)
        self.stack.setContentsMargins(0, 0, 0, 0)
        self.stack.setSpacing(6)

    def notices(self) -> list[HeldNotice]:
        items = (self.stack.itemAt(i) for i in range(self.stack.count()))
        found = (item.widget() for item in items if item is not None)
        return [n for n in found if isinstance(n, HeldNotice) and not n.isHidden()]

    def notice_for(self, address: str) -> HeldNotice | None:
        return next((n for n in self.notices() if n.held.address == address), None)

    def show_held(self, held: Held) -> HeldNotice:
        old = self.notice_for(held.address)
        if old is not None:
            self._remove(old)
        notice = HeldNotice(held)
        notice.allow_requested.connect(self.allow_requested)
        notice.close_loop_requested.connect(self.close_loop_requested)
        self.stack.insertWidget(0, notice)
        for extra in self.notices()[MAX_SHOWN:]:
            self._remove(extra)
        return notice

    def _remove(self, notice: HeldNotice) -> None:
        self.stack.removeWidget(notice)
        notice.hide()
        notice.deleteLater()
