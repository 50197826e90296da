"""The roster table model: Qt model contract, lazy fetching, SQL sorting, the None bug."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from PySide6.QtCore import QAbstractTableModel, QIdentityProxyModel, QModelIndex, Qt

from models.roster import service as roster
from models.roster.service import RosterFilter
from ui.common.tablemodels import ID_ROLE
from ui.roster.roster_model import RosterModel

DISPLAY = Qt.ItemDataRole.DisplayRole


def names(model: RosterModel) -> list[str]:
    col = model.column_of("name")
    return [model.index(r, col).data(DISPLAY) for r in range(model.rowCount())]


def test_qtmodeltester_passes_on_roster_model(qtmodeltester, people):
    model = RosterModel()
    model.set_filter(RosterFilter(status=""))
    assert model.rowCount() == 6
    qtmodeltester.check(model, force_py=True)


def test_rows_show_the_stored_values(qapp, people):
    model = RosterModel()
    model.set_filter(RosterFilter(text="张三"))
    assert model.rowCount() == 1
    row = {key: model.index(0, c).data(DISPLAY) for c, key in enumerate(model.column_keys())}
    assert row["name"] == "张三"
    assert row["sex"] == "男"
    assert row["birth"] == "1975.03"  # born 1975-03-12, shown as year.month
    assert row["unit_name"] == "市委组织部"
    assert row["leadership_level"] == "县处级正职"
    assert model.index(0, 0).data(ID_ROLE) == people["张三"]
    # Roles the model does not handle give None, not an empty QVariant of another type.
    assert model.index(0, 0).data(Qt.ItemDataRole.DecorationRole) is None


def test_rows_are_fetched_lazily_in_blocks(qapp, people, monkeypatch):
    calls: list[list[int]] = []
    real = roster.fetch_rows

    def spy(ids, **kw):  # noqa: ANN001, ANN003, ANN202
        calls.append(list(ids))
        return real(ids, **kw)

    monkeypatch.setattr(roster, "fetch_rows", spy)
    model = RosterModel()
    model.BLOCK = 2
    model.set_filter(RosterFilter(status=""))
    assert calls == []  # nothing read before the view asks
    model.index(3, 0).data(DISPLAY)  # row 3 lives in block 1 = rows 2 and 3
    assert calls == [model.ids[2:4]]
    model.index(2, 1).data(DISPLAY)  # same block: no new query
    assert len(calls) == 1


def test_sort_by_column_orders_in_sql(qapp, people):
    model = RosterModel()
    model.set_filter(RosterFilter())  # 在职 only: five people
    model.sort(model.column_of("birth"), Qt.SortOrder.AscendingOrder)
    # Births worked by hand from the fixture: 1968, 1975, 1980, 1986, 1990.
    assert names(model) == ["周志强", "张三", "李四", "王芳", "赵敏"]
    model.sort(model.column_of("age"), Qt.SortOrder.AscendingOrder)  # youngest first
    assert names(model) == ["赵敏", "王芳", "李四", "张三", "周志强"]
    model.sort(model.column_of("birth"), Qt.SortOrder.DescendingOrder)
    assert names(model) == ["赵敏", "王芳", "李四", "张三", "周志强"]


def test_deleted_row_shows_nothing_instead_of_failing(qapp, people):
    model = RosterModel()
    model.set_filter(RosterFilter(status=""))
    row = model.row_of(people["赵敏"])
    roster.delete_cadre(people["赵敏"])  # deleted after the ids were read
    assert model.index(row, 0).data(DISPLAY) is None


class _NoneModel(QAbstractTableModel):
    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 100

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 10

    def data(self, index: Any, role: int = DISPLAY) -> Any:
        return None

    def headerData(self, section: int, orientation: Any, role: int = DISPLAY) -> Any:
        return None


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_data_returning_none_keeps_none_refcount(qapp):
    """PySide6 6.12 dropped a reference to None per call (TECH-NOTES 5.3.1): the interpreter
    aborted with 'none_dealloc'. Read None 10,000 times through a C++ proxy."""
    proxy = QIdentityProxyModel()
    source = _NoneModel()
    proxy.setSourceModel(source)
    index = proxy.index(5, 5)
    before = sys.getrefcount(None)
    for _ in range(10_000):
        proxy.data(index, DISPLAY)
        proxy.headerData(3, Qt.Orientation.Horizontal, DISPLAY)
    after = sys.getrefcount(None)
    assert after >= before - 100, f"None lost {before - after} references"
