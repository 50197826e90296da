"""The 图表 of 结果汇总 (ui.assessment.overview_view): for each unit (quota pool) of the round
overview, its people by final grade in one stacked bar, and beside it its 优秀 share against
the rules' 优秀 percent and the ceiling (the highest percent, only with approval, which the
city-level check also holds the whole round to), with the overall share above both. The
图表 button shows the chart in place of the ranking, and the ranking again."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models.assessment.results import PoolOverview, RoundOverview
from models.assessment.rules import fmt_number
from ui.assessment.overview_parts import GRADES, pool_name
from ui.common.charts import Bars, BarsChart, Line, legend_html, scrolling

UNGRADED = "尚未计算"
#: bar colours: each grade, then the people not graded yet
GRADE_COLOURS = ("#c0504d", "#4f81bd", "#f79646", "#7f7f7f", "#8064a2")
UNGRADED_COLOUR = "#d0d0d0"
SHARE_COLOUR, OVER_COLOUR = "#4f81bd", "#c0504d"
PERCENT_COLOUR, CEILING_COLOUR = "#2e7d32", "#b00020"


def _tr(text: str) -> str:
    return QCoreApplication.translate("AssessmentOverview", text)


def excellent_share(p: PoolOverview) -> float:
    """The pool's 优秀 share in per cent, to one place (0 for an empty pool)."""
    return round(100.0 * p.excellent / p.people, 1) if p.people else 0.0


class OverviewChart(QWidget):
    """The two charts of one round overview (:meth:`set_overview`); ``button`` toggles it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overview_chart")
        self.overview: RoundOverview | None = None
        self._drawn = True  # the charts show self.overview
        self.button = QPushButton(_tr("图表"))
        self.button.setObjectName("overview_chart_toggle")
        self.button.setCheckable(True)
        self.button.setToolTip(_tr("以图表显示各单位的等次分布和优秀比例"))
        self.summary = QLabel()
        self.summary.setObjectName("overview_chart_summary")
        self.summary.setWordWrap(True)
        self.grades = BarsChart(
            "overview_chart_grades", horizontal=True, stacked=True, legend=False
        )
        self.shares = BarsChart(
            "overview_chart_shares", horizontal=True, percent=True, category_labels=False,
            legend=False,
        )  # fmt: skip
        pair = QWidget()
        row = QHBoxLayout(pair)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.grades, 3)
        row.addWidget(self.shares, 2)
        # the titles say what the colours are: the two charts keep the same rows
        self.grades_title, self.shares_title = QLabel(), QLabel()
        titles = QHBoxLayout()
        for k, label in enumerate((self.grades_title, self.shares_title)):
            label.setObjectName(("overview_chart_grades_title", "overview_chart_shares_title")[k])
            label.setWordWrap(True)
            titles.addWidget(label, 3 - k)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addLayout(titles)
        layout.addWidget(scrolling(pair), 1)
        self.hide()

    def swaps_with(self, other: QWidget) -> None:
        """The button shows this chart in place of ``other`` (the ranking), and back; the chart
        sits beside ``other`` in the same splitter (or layout)."""
        self.button.toggled.connect(lambda on: self._swap(other, on))

    def _swap(self, other: QWidget, on: bool) -> None:
        splitter = self.parentWidget()
        sizes = splitter.sizes() if isinstance(splitter, QSplitter) else []
        self.setVisible(on)
        other.setVisible(not on)
        if isinstance(splitter, QSplitter):  # the one shown takes the other's room
            k, m = splitter.indexOf(self), splitter.indexOf(other)
            shown, hidden = (k, m) if on else (m, k)
            sizes[shown], sizes[hidden] = max(sizes[shown], sizes[hidden]), 0
            splitter.setSizes(sizes)

    def set_overview(self, ov: RoundOverview | None) -> None:
        """Show ``ov``'s pools (nothing for None: a 平时考核 round, which has no 图表). A
        hidden chart is drawn when it is shown (thousands of pools in a big round)."""
        self.overview, self._drawn = ov, False
        self.button.setEnabled(ov is not None)
        if self.isVisible():
            self.draw()

    def showEvent(self, event: QShowEvent) -> None:
        if not self._drawn:
            self.draw()
        super().showEvent(event)

    def draw(self) -> None:
        """Draw the charts of the overview given last."""
        self._drawn = True
        ov = self.overview
        pools = ov.pools if ov else ()
        names = [pool_name(p) for p in pools]
        grades = [
            Bars(g, tuple(float(p.counts.get(g, 0)) for p in pools), colour)
            for g, colour in zip(GRADES, GRADE_COLOURS, strict=True)
        ]
        waiting = tuple(float(p.people - sum(p.counts.values())) for p in pools)
        if any(waiting):
            grades.append(Bars(_tr(UNGRADED), waiting, UNGRADED_COLOUR))
        self.grades.set_data(names, grades)
        title = "<b>{}</b>&nbsp;&nbsp;".format(_tr("各单位等次分布（人）"))
        self.grades_title.setText(title + legend_html(grades))
        if ov is None:
            self.shares.set_data([], [])
            self.shares_title.setText("")
            self.summary.setText(_tr("没有考核结果"))
            return
        quota = ov.round.rules.quota
        ceiling = float(quota.max_percent)
        shares = tuple(excellent_share(p) for p in pools)
        above = tuple(k for k, s in enumerate(shares) if s > ceiling)
        bars = Bars(_tr("优秀比例"), shares, SHARE_COLOUR, above, OVER_COLOUR)
        lines = [
            Line(_tr("一般比例 {p}%").format(p=fmt_number(quota.percent)),
                 float(quota.percent), PERCENT_COLOUR),
            Line(_tr("上限 {p}%").format(p=fmt_number(quota.max_percent)), ceiling,
                 CEILING_COLOUR),
        ]  # fmt: skip
        self.shares.set_data(names, [bars], lines)
        over = Bars(_tr("超过上限"), (), OVER_COLOUR)
        title = "<b>{}</b>&nbsp;&nbsp;".format(_tr("优秀比例"))
        self.shares_title.setText(title + legend_html([bars, over, *lines]))
        self.summary.setText(self.summary_text(ov))
        self.summary.setStyleSheet("color: #b00020;" if ov.ceiling_warning else "")

    @staticmethod
    def summary_text(ov: RoundOverview) -> str:
        """合计: the 优秀 share of everyone shown against the percent and the ceiling."""
        people = sum(p.people for p in ov.pools)
        excellent = sum(p.excellent for p in ov.pools)
        quota = ov.round.rules.quota
        share = f"{100.0 * excellent / people:.1f}%" if people else "—"
        text = _tr(
            "合计：{units} 个考核范围，参加考核 {n} 人，优秀 {e} 人，占 {share}"
            "（一般比例 {p}%，上限 {c}%）"
        ).format(
            units=len(ov.pools), n=people, e=excellent, share=share,
            p=fmt_number(quota.percent), c=fmt_number(quota.max_percent),
        )  # fmt: skip
        return text + (_tr("，超过上限") if ov.ceiling_warning else "")


__all__ = ["OverviewChart", "excellent_share"]
