"""The contacts table's columns fitted to its width, from a 900-pixel window to full screen.

Dates, counts and the state get what their header (bold, with the sort arrow) and contents
need; name and address share the rest. When the table is too narrow for all of it, columns
go in the order of ``HIDE_ORDER`` (the address first: the name's tooltip and the contact pane
still show everything), so the name and the state never scroll out of sight.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QTableView

from netguard.gui.contacts_model import Column

FITTED = (Column.LAST_SENT, Column.LAST_REPLY, Column.STREAK, Column.FOLLOWUPS, Column.STATE)
SHARED = (Column.NAME, Column.ADDRESS)
MIN_NAME, MIN_ADDRESS = 120, 150
HIDE_ORDER = (Column.ADDRESS, Column.LAST_REPLY, Column.FOLLOWUPS, Column.LAST_SENT,
              Column.STREAK)
HEADER_ROOM = 34  # padding and the sort arrow beside a bold header title
CELL_ROOM = 14
SAMPLE_ROWS = 100


class ColumnFitter(QObject):
    """Keeps ``table``'s columns fitted; call ``fit()`` after the contents change."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table
        self.widths: dict[Column, int] = {Column.ADDRESS: MIN_ADDRESS}
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        # The fitted columns hold dates, counts and a state: the rows in view plus a sample say
        # how wide they get, without asking the model for 1,000 rows per column (issue 18).
        header.setResizeContentsPrecision(SAMPLE_ROWS)
        for column in Column:
            mode = QHeaderView.ResizeMode.Stretch if column in SHARED else \
                QHeaderView.ResizeMode.Interactive
            header.setSectionResizeMode(column, mode)
        table.viewport().installEventFilter(self)

    def fit(self) -> None:
        bold = QFont(self.table.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)
        model = self.table.model()
        for column in FITTED:
            title = str(model.headerData(column, Qt.Orientation.Horizontal))
            needed = max(metrics.horizontalAdvance(title) + HEADER_ROOM,
                         self.table.sizeHintForColumn(column) + CELL_ROOM)
            self.widths[column] = needed
            self.table.setColumnWidth(column, needed)
        self._share()

    def hidden_for(self, width: int) -> tuple[Column, ...]:
        """The columns to leave out so that the rest fits ``width`` pixels."""
        needed = MIN_NAME + sum(self.widths.values())
        hidden: list[Column] = []
        for column in HIDE_ORDER:
            if needed <= width:
                break
            hidden.append(column)
            needed -= self.widths.get(column, 0)
        return tuple(hidden)

    def _share(self) -> None:
        hidden = self.hidden_for(self.table.viewport().width())
        for column in HIDE_ORDER:
            if self.table.isColumnHidden(column) != (column in hidden):
                self.table.setColumnHidden(column, column in hidden)
                if column not in hidden and column in self.widths and column not in SHARED:
                    self.table.setColumnWidth(column, self.widths[column])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._share()
        return super().eventFilter(watched, event)
