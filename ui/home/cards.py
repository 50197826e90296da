"""One card of the 首页: a titled box with a chart and, beside it, the table of its numbers
ending in a 合计 line; or, when there is nothing to count, a plain 暂无数据 note in place
of an empty frame."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.common import Column, RowsModel, table_view
from ui.home.charts import BarChart

TOTAL_BACKGROUND = "#eef1f5"


def _tr(text: str) -> str:
    return QCoreApplication.translate("HomeView", text)


@dataclass(frozen=True)
class Line:
    """One line of a card's table: its label, the other cells as shown, and whether it is the
    合计 line."""

    label: str
    cells: tuple[str, ...]
    total: bool = False


def _shade(line: Line) -> str | None:
    return TOTAL_BACKGROUND if line.total else None


class ChartCard(QGroupBox):
    """A chart and its table under a title, with a note line above them (what is counted,
    and how). :meth:`show_data` fills both; :meth:`show_empty` puts a note in their place."""

    def __init__(
        self,
        title: str,
        name: str,
        chart: BarChart,
        headers: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        self.setObjectName(name)
        self.chart = chart
        self.note = QLabel()
        self.note.setObjectName(f"{name}_note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555555;")
        columns = [Column(headers[0], lambda line: line.label, background=_shade)]
        columns.extend(
            Column(header, lambda line, k=k: line.cells[k], centered=True, background=_shade)
            for k, header in enumerate(headers[1:])
        )
        self.model: RowsModel[Line] = RowsModel(columns, lambda _line: 0, self)
        self.table = table_view(
            self.model,
            f"{name}_table",
            selection=QAbstractItemView.SelectionMode.NoSelection,
            read_only=True,
            row_numbers=False,
            row_padding=4,
            resize=QHeaderView.ResizeMode.ResizeToContents,
        )
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.empty = QLabel(_tr("正在统计…"))
        self.empty.setObjectName(f"{name}_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #777777; font-size: 15pt;")

        content = QWidget()
        row = QHBoxLayout(content)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(chart, 1)
        row.addWidget(self.table, 0, Qt.AlignmentFlag.AlignTop)
        self.pages = QStackedWidget()
        self.pages.addWidget(content)
        self.pages.addWidget(self.empty)
        self.pages.setCurrentWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 6)
        layout.addWidget(self.note)
        layout.addWidget(self.pages, 1)

    @property
    def has_data(self) -> bool:
        return self.pages.currentWidget() is not self.empty

    def lines(self) -> list[Line]:
        return self.model.rows

    def table_text(self) -> list[list[str]]:
        """Every line of the table as shown, the header first."""
        rows = [self.model.headers()]
        rows.extend(
            [self.model.text(r, c) for c in range(self.model.columnCount())]
            for r in range(self.model.rowCount())
        )
        return rows

    def show_data(
        self, labels: Sequence[str], values: Sequence[float], lines: Sequence[Line], note: str
    ) -> None:
        self.note.setText(note)
        self.chart.set_bars(labels, values)
        self.model.set_rows(lines)
        self.pages.setCurrentIndex(0)

    def show_empty(self, text: str, note: str = "") -> None:
        """``text`` (暂无数据 and why) where the chart and table would be."""
        self.note.setText(note)
        self.chart.set_bars([], [])
        self.model.set_rows([])
        self.empty.setText(text)
        self.pages.setCurrentWidget(self.empty)


__all__ = ["ChartCard", "Line"]
