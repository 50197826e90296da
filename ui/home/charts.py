"""The 首页's bar chart. QtCharts stays behind this one module: it is deprecated since
Qt 6.10 (Qt Graphs replaces it), and a replacement, or a small QPainter chart, then touches
only this file. The chart keeps the labels and values it was given, in that order, for the
screen's tests."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QWidget

from ui.common.charts import TICKS, nice_top

_OUTSIDE = QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd


class BarChart(QChartView):
    """One series of bars with their values printed at the end of each bar. ``horizontal``:
    bars run left to right, the first label at the top (long Chinese labels stay legible);
    ``percent``: values are per cent, the axis runs 0–100 and the labels end in %."""

    def __init__(
        self,
        name: str,
        *,
        horizontal: bool = False,
        percent: bool = False,
        color: str = "#c0504d",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.horizontal, self.percent, self.color = horizontal, percent, QColor(color)
        self._labels: list[str] = []
        self._values: list[float] = []
        chart = QChart()
        chart.legend().hide()
        chart.setBackgroundRoundness(0)
        chart.setMargins(QMargins(2, 2, 8, 2))
        chart.layout().setContentsMargins(0, 0, 0, 0)
        self.setChart(chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(240, 200)

    def sizeHint(self) -> QSize:
        """Modest: the 首页 gives the charts the room left beside their tables (QChartView's
        own hint, 480 pixels high, would make a scrolling page of four charts)."""
        return QSize(320, 200)

    def labels(self) -> list[str]:
        return list(self._labels)

    def values(self) -> list[float]:
        return list(self._values)

    def shown_values(self) -> list[float]:
        """The values the series holds, in the order of :meth:`labels`."""
        series = self.chart().series()
        if not series:
            return []
        bars = series[0].barSets()[0]
        shown = [bars.at(k) for k in range(bars.count())]
        return shown[::-1] if self.horizontal else shown

    def set_bars(self, labels: Sequence[str], values: Sequence[float]) -> None:
        """Show one bar per label (replacing what was shown)."""
        self._labels, self._values = list(labels), [float(v) for v in values]
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        # a horizontal chart draws its first category at the bottom: the list is turned
        # round so that it reads from the top
        order = slice(None, None, -1) if self.horizontal else slice(None)
        bars = QBarSet("")
        bars.setColor(self.color)
        bars.setBorderColor(self.color)
        bars.append(self._values[order])
        series = QHorizontalBarSeries() if self.horizontal else QBarSeries()
        series.append(bars)
        series.setBarWidth(0.6)
        series.setLabelsVisible(True)
        series.setLabelsPosition(_OUTSIDE)
        series.setLabelsFormat("@value%" if self.percent else "@value")
        series.setLabelsPrecision(4)
        bars.setLabelColor(QColor("#333333"))
        chart.addSeries(series)

        categories = QBarCategoryAxis()
        categories.append(self._labels[order])
        categories.setGridLineVisible(False)
        amounts = QValueAxis()
        if self.percent:
            amounts.setRange(0, 100)
            amounts.setTickCount(6)
            amounts.setLabelFormat("%d%%")
        else:
            amounts.setRange(0, nice_top(max(self._values, default=0.0)))
            amounts.setTickCount(TICKS)
            amounts.setLabelFormat("%d")
        small = self.font()
        small.setPointSizeF(max(small.pointSizeF() - 1, 7))
        for axis in (categories, amounts):
            axis.setLabelsFont(small)
        if self.horizontal:
            # QtCharts prints a category as "..." when its band is lower than the label plus
            # 5 pixels of padding above and below: a long list asks for the height it needs
            band = QFontMetrics(small).height() + 2 * 5 + 2
            self.setMinimumHeight(max(200, band * len(self._labels) + 40))
            chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
            chart.addAxis(amounts, Qt.AlignmentFlag.AlignBottom)
        else:
            chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
            chart.addAxis(amounts, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(amounts)


__all__ = ["BarChart"]
