"""Bar charts for the screens' figures: several named series of bars over Chinese category
labels, side by side or stacked, upright or lying (long unit names stay legible), with
optional reference lines (a quota percent, a ceiling) across the bars.

QtCharts stays behind this module (and the 首页's own ui.home.charts): it is deprecated since
Qt 6.10 (Qt Graphs replaces it), and a replacement then touches only these files. A chart
keeps what it was given and reads back what its series hold, for the screens' tests.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QCursor, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QFrame, QScrollArea, QToolTip, QWidget

TICKS = 5  # a count axis: 0 and four steps
_PAD = 5  # QtCharts' padding above and below a category label
WORD_JOINER = "\u2060"  # no line break on either side


@dataclass(frozen=True)
class Bars:
    """One series: its name (the legend), one value per category, its colour; the bars of
    the categories numbered in ``marked`` are drawn in ``marked_color`` (above a ceiling)."""

    name: str
    values: tuple[float, ...]
    color: str
    marked: tuple[int, ...] = ()
    marked_color: str = "#c0504d"


@dataclass(frozen=True)
class Line:
    """A reference line across the bars at ``value`` (a per cent on a percent chart)."""

    name: str
    value: float
    color: str


def nice_top(value: float) -> float:
    """The upper end of a count axis: four equal whole steps (1, 2, 3…, 10, 15, 20, 25…) with
    room above the highest bar for its label."""
    room = max(value * 1.15, 1.0)
    step = 1.0
    while True:
        for k in (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.5, 8.0):
            tick = k * step
            if tick.is_integer() and tick * (TICKS - 1) >= room:
                return tick * (TICKS - 1)
        step *= 10


def _series(horizontal: bool, stacked: bool) -> QAbstractBarSeries:
    if stacked:
        return QHorizontalStackedBarSeries() if horizontal else QStackedBarSeries()
    return QHorizontalBarSeries() if horizontal else QBarSeries()


class BarsChart(QChartView):
    """Named series of bars over categories. ``horizontal``: bars run left to right, the
    first category at the top and the value axis above them (it stays in sight when a long
    list scrolls); ``stacked``: a category's values are piled into one bar (no value labels:
    a hover shows them); ``percent``: values are per cent, the axis runs 0–100;
    ``category_labels`` False: a chart set beside another with the same categories;
    ``legend`` False: the screen says what the colours are (:func:`legend_html`)."""

    def __init__(
        self,
        name: str,
        *,
        horizontal: bool = False,
        stacked: bool = False,
        percent: bool = False,
        category_labels: bool = True,
        legend: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.horizontal, self.stacked, self.percent = horizontal, stacked, percent
        self.category_labels, self.legend = category_labels, legend
        self._categories: list[str] = []
        self._bars: list[Bars] = []
        self._lines: list[Line] = []
        chart = QChart()
        chart.setBackgroundRoundness(0)
        chart.setMargins(QMargins(2, 2, 8, 2))
        chart.layout().setContentsMargins(0, 0, 0, 0)
        chart.legend().setAlignment(
            Qt.AlignmentFlag.AlignTop if horizontal else Qt.AlignmentFlag.AlignBottom
        )
        self.setChart(chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumSize(220, 180)

    def sizeHint(self) -> QSize:
        """Modest: the chart takes the room left beside a table (QChartView's own hint is
        480 pixels high)."""
        return QSize(320, 220)

    # -- what is shown, for the tests ------------------------------------------------------

    def categories(self) -> list[str]:
        return list(self._categories)

    def series_names(self) -> list[str]:
        return [b.name for b in self._bars]

    def shown_values(self, name: str) -> list[float]:
        """The values the bar set ``name`` holds, in the order of :meth:`categories`."""
        for series in self.chart().series():
            if isinstance(series, QAbstractBarSeries):
                for bars in series.barSets():
                    if bars.label() == name:
                        shown = [bars.at(k) for k in range(bars.count())]
                        return shown[::-1] if self.horizontal else shown
        raise KeyError(name)

    def axis_labels(self) -> list[str]:
        """The category axis' labels, in the order of :meth:`categories`."""
        for axis in self.chart().axes():
            if isinstance(axis, QBarCategoryAxis):
                labels = list(axis.categories())
                return labels[::-1] if self.horizontal else labels
        return []

    def marked(self, name: str) -> list[int]:
        """The categories (numbered as in :meth:`categories`) whose bar of ``name`` is drawn
        in its marked colour."""
        n = len(self._categories)
        for series in self.chart().series():
            if isinstance(series, QAbstractBarSeries):
                for bars in series.barSets():
                    if bars.label() == name:
                        picked = bars.selectedBars()
                        return sorted(n - 1 - k if self.horizontal else k for k in picked)
        raise KeyError(name)

    def lines(self) -> list[tuple[str, float]]:
        """The reference lines shown: (legend name, value)."""
        out = []
        for series in self.chart().series():
            if isinstance(series, QLineSeries):
                point = series.at(0)
                out.append((series.name(), point.x() if self.horizontal else point.y()))
        return out

    # -- showing ---------------------------------------------------------------------------

    def set_title(self, text: str) -> None:
        """A title above the chart, in the screen's font (QtCharts' own is large)."""
        font = self.font()
        font.setBold(True)
        self.chart().setTitleFont(font)
        self.chart().setTitle(text)

    def set_data(
        self, categories: Sequence[str], bars: Sequence[Bars], lines: Sequence[Line] = ()
    ) -> None:
        """Show ``bars`` over ``categories`` (replacing what was shown), with ``lines``."""
        self._categories, self._bars, self._lines = list(categories), list(bars), list(lines)
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        # a lying chart draws its first category at the bottom: turned round to read from the top
        order = slice(None, None, -1) if self.horizontal else slice(None)
        series = _series(self.horizontal, self.stacked)
        for b in self._bars:
            bar_set = QBarSet(b.name)
            bar_set.setColor(QColor(b.color))
            bar_set.setBorderColor(QColor(b.color))
            bar_set.setLabelColor(QColor("#333333"))
            bar_set.append([float(v) for v in b.values][order])
            if b.marked:
                bar_set.setSelectedColor(QColor(b.marked_color))
                n = len(b.values)
                bar_set.selectBars([n - 1 - k if self.horizontal else k for k in b.marked])
            series.append(bar_set)
        series.setBarWidth(0.7 if self.stacked or len(self._bars) == 1 else 0.8)
        if not self.stacked:
            series.setLabelsVisible(True)
            series.setLabelsPosition(QAbstractBarSeries.LabelsPosition.LabelsOutsideEnd)
            series.setLabelsFormat("@value%" if self.percent else "@value")
            series.setLabelsPrecision(4)
        series.hovered.connect(self._hovered)
        chart.addSeries(series)

        axis = QBarCategoryAxis()
        axis.append(self._categories[order])
        axis.setGridLineVisible(False)
        axis.setLabelsVisible(self.category_labels)
        amounts = QValueAxis()
        if self.percent:
            amounts.setRange(0, 100)
            amounts.setTickCount(6)
            amounts.setLabelFormat("%d%%")
        else:
            piles = [sum(vs) for vs in zip(*(b.values for b in self._bars), strict=True)]
            highest = max(piles if self.stacked else [v for b in self._bars for v in b.values],
                          default=0.0)  # fmt: skip
            amounts.setRange(0, nice_top(highest))
            amounts.setTickCount(TICKS)
            amounts.setLabelFormat("%d")
        small = self.font()
        small.setPointSizeF(max(small.pointSizeF() - 1, 7))
        for a in (axis, amounts):
            a.setLabelsFont(small)
        chart.legend().setFont(small)
        chart.legend().setVisible(self.legend and (len(self._bars) > 1 or bool(self._lines)))
        along, across = (
            (Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignTop)
            if self.horizontal
            else (Qt.AlignmentFlag.AlignBottom, Qt.AlignmentFlag.AlignLeft)
        )
        chart.addAxis(axis, along)
        chart.addAxis(amounts, across)
        series.attachAxis(axis)
        series.attachAxis(amounts)
        for line in self._lines:
            drawn = self._line(line, len(self._categories))
            chart.addSeries(drawn)
            drawn.attachAxis(axis)
            drawn.attachAxis(amounts)
        if self.horizontal:
            # QtCharts prints a category as "..." when its band is lower than the label plus
            # its padding: a long list asks for the height it needs (a scroll area holds it)
            band = QFontMetrics(small).height() + 2 * _PAD + 2
            legend = 2 * band if chart.legend().isVisible() else 0
            self.setMinimumHeight(max(180, band * len(self._categories) + 40 + legend))

    def _line(self, line: Line, n: int) -> QLineSeries:
        """A dashed line at ``line.value`` across every category's band."""
        series = QLineSeries()
        series.setName(line.name)
        ends = (-0.5, n - 0.5)
        points = [QPointF(line.value, e) if self.horizontal else QPointF(e, line.value)
                  for e in ends]  # fmt: skip
        series.append(points)
        pen = QPen(QColor(line.color))
        pen.setWidthF(1.6)
        pen.setStyle(Qt.PenStyle.DashLine)
        series.setPen(pen)
        return series

    def _hovered(self, status: bool, index: int, bar_set: QBarSet) -> None:
        """A hover names the category, the series and its value."""
        if not status:
            QToolTip.hideText()
            return
        k = len(self._categories) - 1 - index if self.horizontal else index
        value = bar_set.at(index)
        text = f"{value:g}%" if self.percent else f"{value:g}"
        if 0 <= k < len(self._categories):
            QToolTip.showText(QCursor.pos(), f"{self._categories[k]}：{bar_set.label()} {text}")


def legend_html(items: Sequence[Bars | Line]) -> str:
    """The colours of a chart as rich text: a ■ per series, a dashed ┄ per line. A line
    breaks between the items only (Qt breaks Chinese anywhere but at a word joiner)."""
    parts = []
    for item in items:
        mark = "■" if isinstance(item, Bars) else "┄┄"
        name = html.escape(WORD_JOINER.join(item.name))
        parts.append(f"<span style='color:{item.color}'>{mark}</span>&nbsp;{WORD_JOINER}{name}")
    return "&nbsp;&nbsp; ".join(parts)


def scrolling(chart: QWidget) -> QScrollArea:
    """``chart`` in a frameless scroll area: a long list of categories scrolls."""
    area = QScrollArea()
    area.setObjectName(f"{chart.objectName()}_scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(chart)
    return area


__all__ = [
    "TICKS",
    "WORD_JOINER",
    "Bars",
    "BarsChart",
    "Line",
    "legend_html",
    "nice_top",
    "scrolling",
]
