"""The contacts table: a ``QAbstractTableModel`` over the report's ``ContactState`` rows,
and the sort/filter proxy the dashboard shows (instant at thousands of contacts)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from netguard.analysis.model import ContactState
from netguard.gui import states
from netguard.gui.i18n import current, t
from netguard.terminal import safe

SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1
CONTACT_ROLE = int(Qt.ItemDataRole.UserRole) + 2
Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    NAME = 0
    ADDRESS = 1
    LAST_SENT = 2
    LAST_REPLY = 3
    STREAK = 4
    FOLLOWUPS = 5
    STATE = 6


HEADERS = ("Name", "Address", "Last sent", "Last reply", "Streak", "This week", "State")
HEADER_TIPS = (
    "", "",
    "When you last wrote to them",
    "When they last wrote to you (automatic replies do not count)",
    "Unanswered streak: your messages since their last reply",
    "Follow-ups in the last 7 days; the guard speaks up before the fifth",
    "What NetGuard noticed; hover for all of it",
)


def short_date(when: datetime | None) -> str:
    if when is None:
        return "—"
    locale = QLocale(QLocale.Language.Dutch if current() == "nl" else QLocale.Language.English)
    local = when.astimezone()
    return locale.toString(QDate(local.year, local.month, local.day), "d MMM yyyy")


def _count(value: int) -> str:
    return str(value) if value else "–"


def _stamp(when: datetime | None) -> float:
    return when.timestamp() if when else 0.0


DISPLAY: dict[Column, Callable[[ContactState], str]] = {
    # none known: empty, the address stands beside it; an override in it shown, not obeyed
    Column.NAME: lambda c: safe(c.name),
    Column.ADDRESS: lambda c: c.address,
    Column.LAST_SENT: lambda c: short_date(c.last_sent),
    Column.LAST_REPLY: lambda c: short_date(c.last_received),
    Column.STREAK: lambda c: _count(c.unanswered_streak),
    Column.FOLLOWUPS: lambda c: _count(c.followups_in_window),
    Column.STATE: lambda c: t(states.look(c).label),
}
SORT_KEYS: dict[Column, Callable[[ContactState], Any]] = {
    Column.NAME: lambda c: (c.name or c.address).casefold(),
    Column.ADDRESS: lambda c: c.address,
    Column.LAST_SENT: lambda c: _stamp(c.last_sent),
    Column.LAST_REPLY: lambda c: _stamp(c.last_received),
    Column.STREAK: lambda c: c.unanswered_streak,
    Column.FOLLOWUPS: lambda c: c.followups_in_window,
    Column.STATE: lambda c: states.look(c).rank * 1000 + c.followups_in_window,
}
CENTRED = (Column.STREAK, Column.FOLLOWUPS)
COLUMNS = len(Column)


class ContactsModel(QAbstractTableModel):
    """Sorting happens here, in Python, with one key per row: at thousands of contacts that is
    much faster than a proxy asking for two cells per comparison."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ContactState] = []
        self._haystacks: list[str] | None = []  # None: not made yet (``haystacks``)
        self._texts: dict[str, tuple[str, ...]] = {}
        self._where: dict[str, int] | None = None
        self._order: tuple[Column, Qt.SortOrder] | None = None

    def set_contacts(self, contacts: tuple[ContactState, ...]) -> None:
        self.beginResetModel()
        self._rows = list(contacts)
        self._texts = {}
        self._where = None
        self._haystacks = None  # made after the first paint (or at a search before it)
        if self._order is not None:
            self._sort_rows(*self._order)
        self.endResetModel()

    def haystack(self, row: int) -> str:
        """What the search looks in: name, address and state, case-folded."""
        return self.haystacks()[row]

    def haystacks(self) -> list[str]:
        """Every row's ``haystack``, in row order (made when first asked for)."""
        if self._haystacks is None:
            self._haystacks = [_haystack(item) for item in self._rows]
        return self._haystacks

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        before = [item.address for item in self._rows]
        self._sort_rows(Column(column), order)
        self._order = (Column(column), order)
        where = {item.address: row for row, item in enumerate(self._rows)}
        for index in self.persistentIndexList():
            if index.isValid():
                row = where[before[index.row()]]
                self.changePersistentIndex(index, self.index(row, index.column()))
        self.layoutChanged.emit()

    def _sort_rows(self, column: Column, order: Qt.SortOrder) -> None:
        key, name, rows = SORT_KEYS[column], SORT_KEYS[Column.NAME], self._rows
        by_name = sorted(range(len(rows)), key=lambda i: (name(rows[i]), rows[i].address))
        # Stable, also when reversed: equal keys stay in name order either way.
        ranked = sorted(by_name, key=lambda i: key(rows[i]),
                        reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = [rows[i] for i in ranked]
        if self._haystacks is not None:  # else made later, in the new order
            self._haystacks = [self._haystacks[i] for i in ranked]
        self._where = None

    def contact(self, row: int) -> ContactState:
        return self._rows[row]

    def text(self, row: int, column: int) -> str:
        """The cell's text, made once per contact: a paint asks for every cell in view, and a
        keystroke in the search repaints them all."""
        item = self._rows[row]
        texts = self._texts.get(item.address)
        if texts is None:
            texts = self._texts[item.address] = tuple(DISPLAY[c](item) for c in Column)
        return texts[column]

    def row_of(self, address: str) -> int:
        if self._where is None:  # made once per order: a click asks for it twice
            self._where = {item.address: row for row, item in enumerate(self._rows)}
        return self._where.get(address, -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return t(HEADERS[section])
        if role == Qt.ItemDataRole.ToolTipRole and HEADER_TIPS[section]:
            return t(HEADER_TIPS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        handler = ROLES.get(int(role))  # most roles a view asks for are none of ours
        if handler is None or not index.isValid():
            return None
        return handler(self, index.row(), index.column())


def _tooltip(model: ContactsModel, row: int, column: int) -> str | None:
    item = model.contact(row)
    if column == Column.STATE:
        return "\n".join(states.all_labels(item))
    if column in (Column.NAME, Column.ADDRESS):
        counts = t("{sent} sent, {received} received", sent=item.sent, received=item.received)
        return "\n".join([*([safe(item.name)] if item.name else []), item.address, counts])
    return None


def _decoration(model: ContactsModel, row: int, column: int) -> Any:
    if column != Column.STATE:
        return None
    return states.icon(states.look(model.contact(row)).icon)


ALIGN_CENTRE = int(Qt.AlignmentFlag.AlignCenter)


def _alignment(_model: ContactsModel, _row: int, column: int) -> Any:
    return ALIGN_CENTRE if column in CENTRED else None


ROLES: dict[int, Callable[[ContactsModel, int, int], Any]] = {
    int(Qt.ItemDataRole.DisplayRole): ContactsModel.text,
    int(SORT_ROLE): lambda model, row, column: SORT_KEYS[Column(column)](model.contact(row)),
    int(CONTACT_ROLE): lambda model, row, _column: model.contact(row).address,
    int(Qt.ItemDataRole.DecorationRole): _decoration,
    int(Qt.ItemDataRole.ToolTipRole): _tooltip,
    int(Qt.ItemDataRole.TextAlignmentRole): _alignment,
}


def _haystack(item: ContactState) -> str:
    return " ".join((DISPLAY[Column.NAME](item), item.address,
                     DISPLAY[Column.STATE](item))).casefold()


class ContactsProxy(QSortFilterProxyModel):
    """The search (name, address and state); sorting is passed on to the source model."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._needle = ""
        self._matches: list[bool] | None = None

    def setSourceModel(self, model: Any) -> None:
        super().setSourceModel(model)
        # Forgotten before a change (Qt's own handlers filter right after it, and must not see
        # the old rows' matches) and again after it.
        for signal in (model.modelAboutToBeReset, model.layoutAboutToBeChanged,
                       model.rowsAboutToBeInserted, model.rowsAboutToBeRemoved, model.modelReset,
                       model.layoutChanged, model.rowsInserted, model.rowsRemoved):
            signal.connect(self._forget_matches)

    def _forget_matches(self) -> None:
        self._matches = None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, ContactsModel) and column >= 0:
            source.sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._needle:
            return True
        if self._matches is None:  # the contacts changed since the search was set
            self._matches = self._match_rows()
        return source_row < len(self._matches) and self._matches[source_row]

    def set_search(self, text: str) -> None:
        """Filter on ``text``: the rows that match are found at once, in one pass over the
        haystacks, rather than asked one by one from Qt (a keystroke over 5,000 contacts).
        The view is told once that the rows are laid out anew (``invalidate``), not range by
        range which rows went (a filter change): of 5,000 contacts, a first key that leaves
        ≈1,400 scattered rows took 1.3-2.4 s that way, 33-45 ms this way (`bench/dashboard.py`).
        The selection stays on its contact while the search matches it; once it hides that
        contact nothing is selected (a filter change moved the selection to a neighbour) and
        the pane keeps showing it."""
        self._set_needle(text)
        self.invalidate()

    def _set_needle(self, text: str) -> None:
        self._needle = text.strip().casefold()
        self._matches = self._match_rows()

    def _match_rows(self) -> list[bool]:
        source = self.sourceModel()
        if not isinstance(source, ContactsModel):
            return []
        needle = self._needle
        return [needle in haystack for haystack in source.haystacks()]
