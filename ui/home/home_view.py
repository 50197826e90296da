"""The 首页 section: an overview of the open database in four charts, each with the table of
its numbers and a 合计 line: the 在职 cadres by 领导职务层次/职级 and by age band, this
year's 学时 completion by top-level unit, and the latest 年度考核's grades. The figures
come from models.overview in one background job (quiet: the screen stays usable and says it
is counting) each time the section is shown or 刷新 is pressed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from models.core.dates import ymd_cn
from models.overview import CountRow, GradeCounts, HomeOverview, HoursCompletion, home_overview
from models.training.hours import Requirements
from ui import jobs
from ui.common import button, num
from ui.home.cards import ChartCard, Line
from ui.home.charts import BarChart


def _tr(text: str) -> str:
    return QCoreApplication.translate("HomeView", text)


def _share(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:.1f}%" if whole else "—"


def count_lines(rows: Sequence[CountRow]) -> list[Line]:
    """A line per row (人数, 占比) and the 合计 line."""
    whole = sum(r.count for r in rows)
    lines = [Line(r.label, (str(r.count), _share(r.count, whole))) for r in rows]
    lines.append(Line(_tr("合计"), (str(whole), _share(whole, whole)), total=True))
    return lines


class HomeView(QWidget):
    """Four cards in a 2 × 2 grid (scrolling when the window is small). ``today`` fixes the
    day the ages and the 学时 year are counted on (tests); None: the real today."""

    def __init__(self, today: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("home_view")
        self.today = today
        self.load_job: jobs.Job | None = None
        self._counts = 0  # counts started
        self._shown_count = 0  # the one whose figures are shown
        self.overview: HomeOverview | None = None

        title = QLabel(_tr("干部队伍概况"))
        title.setObjectName("home_title")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() + 3)
        font.setBold(True)
        title.setFont(font)
        self.status = QLabel(_tr("正在统计…"))
        self.status.setObjectName("home_status")
        self.refresh_button = button(_tr("刷新"), "home_refresh", self.refresh)
        head = QHBoxLayout()
        head.addWidget(title)
        head.addSpacing(16)
        head.addWidget(self.status, 1)
        head.addWidget(self.refresh_button)

        self.level_card = ChartCard(
            _tr("领导职务层次 / 职级分布（在职）"),
            "home_level",
            BarChart("home_level_chart", horizontal=True, color="#c0504d"),
            (_tr("领导职务层次/职级"), _tr("人数"), _tr("占比")),
        )
        self.age_card = ChartCard(
            _tr("年龄结构（在职）"),
            "home_age",
            BarChart("home_age_chart", horizontal=True, color="#4f81bd"),
            (_tr("年龄段"), _tr("人数"), _tr("占比")),
        )
        self.hours_card = ChartCard(
            _tr("学时完成情况"),
            "home_hours",
            BarChart("home_hours_chart", horizontal=True, percent=True, color="#5b9b45"),
            (_tr("单位"), _tr("在职"), _tr("达标"), _tr("未达标"), _tr("达标率")),
        )
        self.grades_card = ChartCard(
            _tr("年度考核等次分布"),
            "home_grades",
            BarChart("home_grades_chart", color="#e07b39"),
            (_tr("等次"), _tr("人数"), _tr("占比")),
        )
        grid = QGridLayout()
        grid.setSpacing(6)
        for k, card in enumerate(self.cards):
            grid.addWidget(card, k // 2, k % 2)
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)
        inner = QWidget()
        inner.setLayout(grid)
        grid.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 2)
        layout.addLayout(head)
        layout.addWidget(scroll, 1)

    @property
    def cards(self) -> tuple[ChartCard, ...]:
        return (self.level_card, self.age_card, self.hours_card, self.grades_card)

    def showEvent(self, event: QShowEvent) -> None:
        """Opening the section counts afresh (the roster or the grades may have changed)."""
        super().showEvent(event)
        if not event.spontaneous():  # not merely the window coming back from the taskbar
            self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        """Leaving the section stops a count under way at its next step: there is one worker,
        and a big roster's count (some seconds) should not hold up what the user does next."""
        super().hideEvent(event)
        if not event.spontaneous() and self.load_job is not None:
            self.load_job.cancel()

    @Slot()
    def refresh(self) -> jobs.Job:
        """Count in the background; the figures shown stay until the new ones arrive. A count
        already under way is not started twice."""
        if self.load_job is not None and not self.load_job.cancelled():
            return self.load_job
        self.status.setText(_tr("正在统计…"))
        self.refresh_button.setEnabled(False)
        self._counts += 1
        job = jobs.runner().run(
            home_overview,
            self.today or dt.date.today(),
            title=_tr("统计首页数据"),
            parent_widget=self,
            on_success=partial(self._counted, self._counts),
            quiet=True,
        )
        job.finished.connect(partial(self._loaded, self._counts))
        self.load_job = job
        return job

    def _counted(self, count: int, overview: HomeOverview) -> None:
        self._shown_count = count
        self.show_overview(overview)

    def _loaded(self, count: int) -> None:
        if count != self._counts:  # a stopped count ending after a new one started
            return
        self.load_job = None
        self.refresh_button.setEnabled(True)
        if self._shown_count != count:  # stopped, or failed (the job said why)
            self.status.setText(_tr("统计未完成，请点“刷新”重试"))

    def show_overview(self, overview: HomeOverview) -> None:
        self.overview = overview
        self.status.setText(
            _tr("统计日期：{day}　在职干部 {n} 人").format(
                day=ymd_cn(overview.on_date), n=overview.active
            )
        )
        nobody = _tr("暂无数据\n名册中还没有在职干部")
        if overview.active == 0:
            self.level_card.show_empty(nobody)
            self.age_card.show_empty(nobody)
        else:
            rows = overview.by_level
            self.level_card.show_data(
                [r.label for r in rows],
                [r.count for r in rows],
                count_lines(rows),
                _tr("有领导职务层次的按领导职务层次统计，其余按职级统计"),
            )
            rows = overview.by_age
            self.age_card.show_data(
                [r.label for r in rows],
                [r.count for r in rows],
                count_lines(rows),
                _tr("按 {day} 的周岁计算").format(day=ymd_cn(overview.on_date)),
            )
        self._show_hours(overview.hours)
        self._show_grades(overview.grades)

    def _show_hours(self, hours: HoursCompletion) -> None:
        rules = Requirements()
        self.hours_card.setTitle(
            _tr("{year}年学时完成情况（各单位在职干部）").format(year=hours.year)
        )
        note = _tr(
            "达标：不在学时不足名单中（每年 {a} 学时；县处级及以上、四级调研员及以上五年 {b} 学时）"
        ).format(a=num(rules.annual_hours), b=num(rules.five_year_hours))
        if not hours.units:
            self.hours_card.show_empty(_tr("暂无数据\n名册中还没有在职干部"), note)
            return
        lines = [
            Line(u.unit, (str(u.people), str(u.met), str(u.short), f"{u.share:.1f}%"))
            for u in (*hours.units, hours.total)
        ]
        lines[-1] = Line(_tr("合计"), lines[-1].cells, total=True)
        self.hours_card.show_data(
            [u.unit for u in hours.units], [round(u.share, 1) for u in hours.units], lines, note
        )

    def _show_grades(self, grades: GradeCounts | None) -> None:
        if grades is None:
            self.grades_card.setTitle(_tr("年度考核等次分布"))
            self.grades_card.show_empty(_tr("暂无数据\n还没有建立年度考核"))
            return
        self.grades_card.setTitle(_tr("{name}等次分布").format(name=grades.round_name))
        parts = [_tr("考核状态：{status}").format(status=grades.status)]
        if grades.ungraded:
            parts.append(_tr("尚未评定 {n} 人").format(n=grades.ungraded))
        if grades.not_participating:
            parts.append(_tr("不参加考核 {n} 人").format(n=grades.not_participating))
        note = _tr("；").join(parts)
        if grades.graded == 0:
            self.grades_card.show_empty(_tr("暂无数据\n本轮考核尚未评定等次"), note)
            return
        rows = grades.counts
        self.grades_card.show_data(
            [r.label for r in rows], [r.count for r in rows], count_lines(rows), note
        )


__all__ = ["HomeView", "count_lines"]
