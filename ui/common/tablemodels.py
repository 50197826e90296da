"""Table models shared by every screen: the numbered-header base and one generic model over
a list of DTOs.

:class:`HeadedTableModel` gives a table a horizontal header from a list of texts and rows
numbered from 1. :class:`RowsModel` shows a list of frozen dataclasses through a column list
(:class:`Column`); a screen reloads the list from a service and calls
:meth:`RowsModel.set_rows` (a model reset), never SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

T = TypeVar("T")

DISPLAY = Qt.ItemDataRole.DisplayRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the id of a row's record
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_CENTER = int(Qt.AlignmentFlag.AlignCenter)

ModelIndex = QModelIndex | QPersistentModelIndex


def num(value: float | Decimal | int) -> str:
    """12 → '12', 37.333 → '37.3', Decimal('4.00') → '4'."""
    v = float(value)
    return f"{v:g}" if abs(v - round(v)) < 1e-9 else f"{v:.1f}"


class HeadedTableModel(QAbstractTableModel):
    """A table whose horizontal header is a list of texts and whose rows are numbered from 1;
    read-only unless a subclass widens ``flags``. Subclasses give ``column_headers``."""

    def column_headers(self) -> Sequence[str]:
        raise NotImplementedError

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role != DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal:
            headers = self.column_headers()
            return headers[section] if 0 <= section < len(headers) else None
        return str(section + 1)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column of a :class:`RowsModel`: its header and how a row shows in it."""

    header: str
    text: Callable[[T], object]
    centered: bool = False
    background: Callable[[T], str | None] | None = None  # a colour name, or None
    foreground: Callable[[T], str | None] | None = None
    tooltip: Callable[[T], str] | None = None


class RowsModel(HeadedTableModel, Generic[T]):
    """A read-only table over DTOs; ``id_of`` gives the id returned for ID_ROLE."""

    def __init__(
        self,
        columns: Sequence[Column[T]],
        id_of: Callable[[T], int],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._id_of = id_of
        self._rows: list[T] = []

    # -- what the screens call ------------------------------------------------------------

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    @property
    def rows(self) -> list[T]:
        return list(self._rows)

    def row(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def id_at(self, row: int) -> int | None:
        item = self.row(row)
        return None if item is None else self._id_of(item)

    def row_of(self, item_id: int) -> int | None:
        for k, item in enumerate(self._rows):
            if self._id_of(item) == item_id:
                return k
        return None

    def text(self, row: int, column: int) -> str:
        value = self.data(self.index(row, column))
        return "" if value is None else str(value)

    def headers(self) -> list[str]:
        return [c.header for c in self._columns]

    # -- Qt model interface ---------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: ModelIndex, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        item = self.row(index.row())
        if item is None or not 0 <= index.column() < len(self._columns):
            return None
        col = self._columns[index.column()]
        if role == DISPLAY:
            value = col.text(item)
            if isinstance(value, (Decimal, float)):
                return num(value)
            return "" if value is None else str(value)
        if role == ID_ROLE:
            return self._id_of(item)
        if role == _ALIGN:
            return _CENTER if col.centered else None
        if role == _BACKGROUND and col.background is not None:
            colour = col.background(item)
            return QBrush(QColor(colour)) if colour else None
        if role == _FOREGROUND and col.foreground is not None:
            colour = col.foreground(item)
            return QBrush(QColor(colour)) if colour else None
        if role == _TOOLTIP and col.tooltip is not None:
            return col.tooltip(item) or None
        return None

    def column_headers(self) -> Sequence[str]:
        return [c.header for c in self._columns]
