"""Known errors as a calm banner; bugs in one crash dialog with copyable details."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from netguard.gui import states
from netguard.gui.i18n import t
from netguard.gui.richtext import esc

log = logging.getLogger(__name__)

STYLES = {
    "info": "background:#eef3fa; border:1px solid #c4d3e8; border-radius:6px;",
    "warn": "background:#fdf4e7; border:1px solid #e7c9a0; border-radius:6px;",
    "error": "background:#fbeceb; border:1px solid #d99a94; border-radius:6px;",
}
ICONS = {"info": "info", "warn": "state-overload", "error": "error"}


class Banner(QFrame):
    """A dismissable one-message strip: icon, plain text, optional action button."""

    action_clicked = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.setSpacing(10)
        self.icon = QLabel()
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self._plain = ""
        self.kind = ""
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action = QPushButton()
        self.action.clicked.connect(self.action_clicked)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip(t("Dismiss"))
        self.close_button.clicked.connect(self.hide)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.action, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_message(self, message: str, kind: str = "info", action: str = "",
                     closable: bool = True, title: str = "") -> None:
        """Show plain ``message`` (escaped here), with an optional bold ``title`` line."""
        self.setStyleSheet(f"#banner {{{STYLES[kind]}}} QLabel {{border:none; background:none;}}")
        self.icon.setPixmap(states.icon(ICONS[kind]).pixmap(20, 20))
        self.kind = kind
        self._plain = f"{title}\n{message}" if title else message
        heading = f"<b>{esc(title)}</b><br>" if title else ""
        self.text.setText(heading + esc(message).replace("\n", "<br>"))
        self.action.setText(action)
        self.action.setVisible(bool(action))
        self.close_button.setVisible(closable)
        self.show()

    def message(self) -> str:
        return "" if self.isHidden() else self._plain


class CrashDialog(QDialog):
    """Something NetGuard did not expect: say so plainly, and make the details easy to share."""

    def __init__(self, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("NetGuard ran into a bug"))
        self.resize(640, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(t("Something went wrong that NetGuard did not expect. Your mail and your "
                         "data are safe: NetGuard only reads your mailbox. Please copy the details "
                         "below into a bug report."))
        intro.setWordWrap(True)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton(t("Copy details"), QDialogButtonBox.ButtonRole.ActionRole)
        copy.clicked.connect(self.copy)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(intro)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())


class CrashReporter:
    """Routes uncaught exceptions (and worker crashes) to a single crash dialog at a time."""

    def __init__(self, parent: QWidget | None = None, show: bool = True) -> None:
        self.parent = parent
        self.show = show
        self.dialog: CrashDialog | None = None
        self.reports: list[str] = []

    def install(self) -> None:
        sys.excepthook = self.excepthook

    def excepthook(self, kind: type[BaseException], value: BaseException,
                   tb: TracebackType | None) -> None:
        self.report("".join(traceback.format_exception(kind, value, tb)))

    def report(self, details: str) -> None:
        log.error("Bug: %s", details)
        self.reports.append(details)
        if not self.show:
            return
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.details.appendPlainText("\n" + details)
            return
        self.dialog = CrashDialog(details, self.parent)
        self.dialog.show()
