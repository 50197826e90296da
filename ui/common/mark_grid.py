"""What the two attendance grids share (a class's half-day, a 讲坛 lecture): the trainees
picked, the record versions the screen shows (what an edit carries for its conflict check),
and the step down the list after a mark keyed in for one person, as in Excel."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QTableView

__all__ = ["selected_ids", "shown_versions", "step_down"]


def selected_ids(table: QTableView, model: Any) -> list[int]:
    """The cadre ids of the selected rows, top to bottom (``model.id_at(row)``)."""
    rows = sorted({i.row() for i in table.selectionModel().selectedRows()})
    return [cid for r in rows if (cid := model.id_at(r)) is not None]


def shown_versions(rows: Sequence[Any], cadre_ids: Sequence[int] | None = None) -> dict[int, int]:
    """cadre id → the version of the record the screen shows (0: 未登记), for ``cadre_ids``
    (None: everyone shown)."""
    wanted = None if cadre_ids is None else set(cadre_ids)
    return {r.cadre_id: r.version for r in rows if wanted is None or r.cadre_id in wanted}


def step_down(table: QTableView, model: Any, was: QModelIndex) -> None:
    """After one person's mark keyed in at ``was`` (read before the grid re-read): the cell
    below it, in the same column (the last row stays)."""
    if was.isValid():
        below = min(was.row() + 1, model.rowCount() - 1)
        table.setCurrentIndex(model.index(below, was.column()))
