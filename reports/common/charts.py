"""Bar charts in PDF reports: a reportlab.graphics drawing (a platypus flowable) of one row of
counts under Chinese category labels. (The sheets' charts are openpyxl's, in
:mod:`reports.common.xlsx`.)

Every string the chart draws names the registered CJK font (reportlab's default is
Helvetica, which prints Chinese as black squares and embeds nothing); the caller has set the
fonts up, as for any of our documents.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from reports.common.styles import FONT

__all__ = ["count_bar_drawing", "nice_step"]

BAR_COLOUR = colors.HexColor("#4f81bd")


def nice_step(top: float) -> int:
    """A whole step for a count axis up to ``top`` with four or five ticks."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000):
        if top / step <= 5:
            return step
    return int(top // 5) + 1


def count_bar_drawing(
    categories: Sequence[str],
    values: Sequence[int],
    *,
    title: str,
    width: float,
    height: float,
    font_size: float = 9,
) -> Drawing:
    """Upright bars, one per category, each with its count above it, under ``title``."""
    drawing = Drawing(width, height, initialFontName=FONT, initialFontSize=font_size)
    title_h = font_size + 8
    drawing.add(
        String(width / 2, height - font_size - 2, title, fontName=FONT,
               fontSize=font_size + 1, textAnchor="middle")
    )  # fmt: skip
    chart = VerticalBarChart()
    chart.x, chart.y = 34, font_size + 10
    chart.width, chart.height = width - chart.x - 10, height - chart.y - title_h - 12
    chart.data = [[int(v) for v in values]]
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = font_size
    chart.categoryAxis.labels.dy = -3
    step = nice_step(max([*values, 1]) * 1.15)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueStep = step
    chart.valueAxis.valueMax = step * max(1, -(-max([*values, 1]) * 1.15 // step))
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = font_size - 1
    chart.valueAxis.labelTextFormat = "%d"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")
    chart.bars[0].fillColor = BAR_COLOUR
    chart.bars[0].strokeColor = BAR_COLOUR
    chart.barWidth = 10
    chart.groupSpacing = 12
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = font_size
    chart.barLabels.nudge = 6
    drawing.add(chart)
    return drawing
