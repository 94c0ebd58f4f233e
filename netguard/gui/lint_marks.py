"""Lint findings as underlines in a ``QPlainTextEdit``, with the advice as tooltip.

The lint speaks in Python string offsets; Qt's text positions count UTF-16 code units, so an
emoji before a finding would shift every underline without the conversion below.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtGui import QColor, QHelpEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip

from netguard.lint.model import LintFinding

UNDERLINE = QColor("#c0392b")
TIP_MS = 6000  # long enough to read the advice; typing hides it at once


def utf16_offset(text: str, index: int) -> int:
    """The Qt position of Python offset ``index`` in ``text``."""
    return len(text[:index].encode("utf-16-le")) // 2


def python_offset(text: str, position: int) -> int:
    """The Python offset of Qt position ``position`` in ``text``."""
    units = 0
    for index, char in enumerate(text):
        if units >= position:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


def advice_text(finding: LintFinding) -> str:
    return f"{finding.message}\n\n{finding.advice}" if finding.advice else finding.message


class LintMarks(QObject):
    """Keeps an editor's underlines in step with the latest findings and answers tooltips."""

    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(editor)
        self.editor = editor
        self.findings: tuple[LintFinding, ...] = ()
        self._text = ""
        editor.viewport().installEventFilter(self)
        editor.textChanged.connect(self._hide_tip)

    def show(self, text: str, findings: Sequence[LintFinding]) -> None:
        self._text = text
        self.findings = tuple(findings)
        selections = []
        for finding in self.findings:
            selection = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(UNDERLINE)
            fmt.setBackground(QColor("#fdf1ee"))
            fmt.setToolTip(advice_text(finding))
            cursor = QTextCursor(self.editor.document())
            cursor.setPosition(utf16_offset(text, finding.start))
            cursor.setPosition(utf16_offset(text, finding.end), QTextCursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            selection.format = fmt
            selections.append(selection)
        self.editor.setExtraSelections(selections)

    def finding_at(self, position: int) -> LintFinding | None:
        """The finding under Qt text position ``position``, if any."""
        offset = python_offset(self._text, position)
        for finding in self.findings:
            if finding.start <= offset < finding.end:
                return finding
        return None

    def tooltip_at(self, position: int) -> str:
        finding = self.finding_at(position)
        return advice_text(finding) if finding else ""

    def _hide_tip(self) -> None:
        """The advice is not left standing over the line being typed."""
        if QToolTip.isVisible():
            QToolTip.hideText()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            position = self.editor.cursorForPosition(event.pos()).position()
            tip = self.tooltip_at(position)
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.editor.viewport(), QRect(),
                                  TIP_MS)
            else:
                QToolTip.hideText()
            return True
        return super().eventFilter(watched, event)
