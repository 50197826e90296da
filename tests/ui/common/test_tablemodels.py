"""RowsModel, the generic table over a list of DTOs: the Qt model contract, what each role
shows, and how numbers are written."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import Qt

from ui.common import ID_ROLE, Column, RowsModel, num


@dataclass(frozen=True)
class Item:
    id: int
    name: str
    hours: Decimal
    late: bool


def columns() -> list[Column[Item]]:
    return [
        Column("姓名", lambda i: i.name, tooltip=lambda i: f"编号 {i.id}"),
        Column(
            "学时",
            lambda i: i.hours,
            centered=True,
            background=lambda i: "#fee2e2" if i.late else None,
            foreground=lambda i: "#b00020" if i.late else None,
        ),
    ]


ITEMS = [Item(7, "张三", Decimal("4.00"), False), Item(9, "李四", Decimal("37.333"), True)]


def test_rows_model_passes_qtmodeltester(qtmodeltester) -> None:
    model: RowsModel[Item] = RowsModel(columns(), lambda i: i.id)
    qtmodeltester.check(model, force_py=True)
    model.set_rows(ITEMS)
    qtmodeltester.check(model, force_py=True)


def test_rows_model_roles_and_lookups() -> None:
    model: RowsModel[Item] = RowsModel(columns(), lambda i: i.id)
    model.set_rows(ITEMS)
    assert model.headers() == ["姓名", "学时"]
    assert model.headerData(1, Qt.Orientation.Vertical) == "2"
    assert [model.text(r, 1) for r in range(2)] == ["4", "37.3"]
    assert model.index(1, 0).data(ID_ROLE) == 9
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == "编号 7"
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignCenter
    )
    assert model.index(0, 0).data(Qt.ItemDataRole.TextAlignmentRole) is None
    assert model.index(0, 1).data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.index(1, 1).data(Qt.ItemDataRole.BackgroundRole).color().name() == "#fee2e2"
    assert model.index(1, 1).data(Qt.ItemDataRole.ForegroundRole).color().name() == "#b00020"
    assert (model.id_at(1), model.row_of(9), model.row_of(1), model.row(5)) == (9, 1, None, None)
    assert model.rows == ITEMS


def test_num_writes_whole_numbers_without_decimals() -> None:
    assert [num(12), num(37.333), num(Decimal("4.00")), num(0.05)] == ["12", "37.3", "4", "0.1"]
