"""The roster table's model: it holds only the ordered ids that ``roster.query_ids`` returns
(one SQL query, sorted in SQL) and fetches display rows lazily in blocks through
``roster.fetch_rows`` when the view asks for them. Sorting asks SQL for a new order and
resets the model: no QSortFilterProxyModel (it calls data() over a million times to sort
50,000 rows).
"""

from __future__ import annotations

import dataclasses
import logging
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from models.roster import ROSTER_COLUMNS, RosterFilter, RosterRow, UnitDTO
from models.roster import service as roster
from ui.common import DISPLAY, ID_ROLE, ModelIndex
from ui.roster import preload

log = logging.getLogger(__name__)

_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_CENTERED = {"sex", "birth", "age", "post_since", "status"}


class RosterModel(QAbstractTableModel):
    """The roster for a RosterFilter: ids in display order, rows fetched in blocks."""

    BLOCK = 200  # rows fetched per query
    MAX_BLOCKS = 50  # blocks kept in the cache before the oldest are dropped

    filterApplied = Signal(int)  # row count after a new filter or sort

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._keys = [key for key, _ in ROSTER_COLUMNS]
        self._headers = [header for _, header in ROSTER_COLUMNS]
        self._ids: list[int] = []
        self._rows: dict[int, RosterRow] = {}
        self._blocks: OrderedDict[int, list[int]] = OrderedDict()
        self._filter = RosterFilter()
        self._units: list[UnitDTO] | None = None
        # ids -> the 近三年考核 text from the assessment (set by the roster view; the roster
        # itself never reads the assessment)
        self.recent_results: Callable[[Sequence[int]], Mapping[int, str]] | None = None

    # -- what the screen calls --------------------------------------------------------------

    @property
    def filter(self) -> RosterFilter:
        return self._filter

    @property
    def ids(self) -> list[int]:
        return list(self._ids)

    def column_keys(self) -> list[str]:
        return list(self._keys)

    def column_of(self, key: str) -> int:
        return self._keys.index(key)

    def set_units(self, units: list[UnitDTO]) -> None:
        """Unit list used to expand a unit into its sub-units (saves a query per keystroke)."""
        self._units = units

    def set_filter(self, f: RosterFilter) -> None:
        """Run the query for ``f`` and show its rows (the first time, perhaps read ahead
        while the window was built: ui.roster.preload)."""
        ids = preload.take(f)
        if ids is None:
            ids = roster.query_ids(f, self._units)
        self.beginResetModel()
        self._filter = f
        self._ids = ids
        self._rows.clear()
        self._blocks.clear()
        self.endResetModel()
        self.filterApplied.emit(len(ids))

    def refresh(self) -> None:
        """Query again with the same filter (after an edit, a status change or a delete)."""
        self.set_filter(self._filter)

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, cadre_id: int) -> int | None:
        try:
            return self._ids.index(cadre_id)
        except ValueError:
            return None

    def row_data(self, row: int) -> RosterRow | None:
        cid = self.id_at(row)
        if cid is None:
            return None
        if cid not in self._rows:
            self._fetch_block(row // self.BLOCK)
        return self._rows.get(cid)

    # -- lazy fetching ----------------------------------------------------------------------

    def _fetch_block(self, block: int) -> None:
        start = block * self.BLOCK
        ids = self._ids[start : start + self.BLOCK]
        fetched = roster.fetch_rows(ids)
        if self.recent_results is not None and fetched:
            for cid, text in self.recent_results(list(fetched)).items():
                if cid in fetched:
                    fetched[cid] = dataclasses.replace(fetched[cid], annual_results=text)
        self._rows.update(fetched)
        self._blocks[block] = ids
        while len(self._blocks) > self.MAX_BLOCKS:
            _, old = self._blocks.popitem(last=False)
            for cid in old:
                self._rows.pop(cid, None)

    # -- Qt model interface -----------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._keys)

    def data(self, index: ModelIndex, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        if role == DISPLAY:
            row = self.row_data(index.row())
            if row is None:
                return None
            key = self._keys[index.column()]
            value = getattr(row, key)
            if key == "id_card" and not value:
                return roster.MISSING_ID_CARD
            return str(value) if value is not None else ""
        if role == ID_ROLE:
            return self.id_at(index.row())
        if role == _FOREGROUND and self._keys[index.column()] == "id_card":
            row = self.row_data(index.row())
            return QBrush(QColor("gray")) if row is not None and not row.id_card else None
        if role == _ALIGN:
            if self._keys[index.column()] in _CENTERED:
                return _CENTER
            return None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role != DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._headers):
                return self._headers[section]
            return None
        return str(section + 1)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL by the column's key and reset (the view calls this on a header click)."""
        if not 0 <= column < len(self._keys):
            key = "default"
        else:
            key = self._keys[column]
        descending = order == Qt.SortOrder.DescendingOrder
        if self._filter.sort == key and self._filter.descending == descending:
            return
        self.set_filter(dataclasses.replace(self._filter, sort=key, descending=descending))
