"""The chart of the 考评结果汇总表: each unit's total as a horizontal bar (the units top to
bottom in rank order, the long unit names readable on the left), the bar's colour by grade,
the total written at its end, and a legend of the grades. A reportlab.graphics drawing (a
platypus flowable); every string names the registered CJK font."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors

from reports.common.styles import FONT

__all__ = ["GRADE_COLOURS", "score_bar_drawing"]

#: bar colours of the grades, best first (a fifth grade and more take the last)
GRADE_COLOURS = (
    colors.HexColor("#2e7d32"),
    colors.HexColor("#4f81bd"),
    colors.HexColor("#f0a030"),
    colors.HexColor("#c0504d"),
    colors.HexColor("#7f7f7f"),
)
BAR_PITCH = 15.0  # points per unit
LABEL_WIDTH = 120.0  # points for the unit names, at least
LABEL_CHARS = 24  # a longer unit name is cut, with "…", to keep the bars on the page


def _label(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"


def _colour(grades: Sequence[str], grade: str) -> colors.Color:
    k = grades.index(grade) if grade in grades else len(GRADE_COLOURS) - 1
    return GRADE_COLOURS[min(k, len(GRADE_COLOURS) - 1)]


def _axis_top(top: float) -> tuple[int, int]:
    """(step, max) of the score axis: a step of 10 up to at least 100."""
    step = 10
    return step, max(100, step * int(-(-top // step)))


def score_bar_drawing(
    units: Sequence[str],
    totals: Sequence[Decimal],
    unit_grades: Sequence[str],
    grades: Sequence[str],
    *,
    title: str,
    width: float,
    font_size: float = 8,
) -> Drawing:
    """One bar per unit (``units`` in rank order, top first) of its total, coloured by its
    grade among ``grades`` (best first); the drawing is as tall as the units need."""
    n = max(1, len(units))
    title_h, legend_h, axis_h = font_size + 10, font_size + 10, font_size + 8
    height = title_h + legend_h + axis_h + n * BAR_PITCH + 6
    drawing = Drawing(width, height, initialFontName=FONT, initialFontSize=font_size)
    drawing.add(
        String(width / 2, height - font_size - 3, title, fontName=FONT,
               fontSize=font_size + 2, textAnchor="middle")
    )  # fmt: skip
    labels = [_label(u) for u in units]
    # the names' column as wide as the longest (a CJK character is about one em wide), at
    # most half the drawing
    label_w = min(width / 2, max([LABEL_WIDTH] + [font_size * len(u) + 8 for u in labels]))
    x = label_w
    y = height - title_h - legend_h + 3
    for k, g in enumerate(grades):
        colour = GRADE_COLOURS[min(k, len(GRADE_COLOURS) - 1)]
        drawing.add(Rect(x, y, 10, 7, fillColor=colour, strokeColor=colour))
        drawing.add(String(x + 13, y, g, fontName=FONT, fontSize=font_size))
        x += 13 + font_size * len(g) + 14
    chart = HorizontalBarChart()
    chart.x, chart.y = label_w, axis_h
    chart.width = width - label_w - 40
    chart.height = n * BAR_PITCH
    # the chart draws its first category at the bottom: reversed, the first rank is on top
    chart.data = [[float(t) for t in reversed(totals)]]
    chart.categoryAxis.categoryNames = list(reversed(labels))
    chart.categoryAxis.joinAxisMode = "left"  # the names left of the plot, not at 0
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = font_size
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.labels.boxAnchor = "e"
    step, top = _axis_top(max([float(t) for t in totals] or [0.0]))
    low = min([float(t) for t in totals] or [0.0])
    # a total below 0 (deductions beyond the scores): the axis starts below it, on a step
    chart.valueAxis.valueMin = 0 if low >= 0 else -step * (int(-(low // step)) + 1)
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = font_size
    chart.valueAxis.labelTextFormat = "%d"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    chart.barWidth = BAR_PITCH * 0.62
    chart.groupSpacing = BAR_PITCH * 0.38
    chart.barSpacing = 0
    for i, g in enumerate(reversed(unit_grades)):
        colour = _colour(grades, g)
        chart.bars[(0, i)].fillColor = colour
        chart.bars[(0, i)].strokeColor = colour
    chart.barLabelFormat = "%.2f"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = font_size
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing
