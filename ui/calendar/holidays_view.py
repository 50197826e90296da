"""The 节假日 section: one year's days off and 调休 working days as a list (日期、星期、类型、
名称、来源) beside a twelve-month grid, with 新增 / 修改 / 删除 and 恢复国务院公布安排. The
training planner skips these days off, and uses the 调休 days only for a class that allows it.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models import calendar
from models.accounts import Permission, can
from models.calendar import DAY_OFF, NATIONAL_YEARS, WORKDAY, HolidayDTO
from models.core.errors import ConflictError, DomainError
from ui import messages
from ui.calendar.holiday_dialog import HolidayDialog
from ui.calendar.year_grid import OFF_BG, OFF_FG, WORK_BG, WORK_FG, YearGrid
from ui.common import Column, RowsModel, button, table_view


def _tr(text: str) -> str:
    return QCoreApplication.translate("HolidaysView", text)


def _source(h: HolidayDTO) -> str:
    return h.source or _tr("手工录入")


COLUMNS: list[Column[HolidayDTO]] = [
    Column(_tr("日期"), lambda h: h.day.isoformat(), True),
    Column(_tr("星期"), lambda h: h.weekday, True),
    Column(
        _tr("类型"),
        lambda h: h.kind,
        True,
        background=lambda h: (OFF_BG if h.kind == DAY_OFF else WORK_BG).name(),
        foreground=lambda h: (OFF_FG if h.kind == DAY_OFF else WORK_FG).name(),
    ),
    Column(_tr("名称"), lambda h: h.name),
    Column(_tr("来源"), _source),
]


NOT_ALLOWED = _tr("当前账号没有“管理培训班、课程、师资与场地”的权限，只能查看节假日")


def _swatch(text: str, bg: str, fg: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet(f"background:{bg}; color:{fg}; padding:2px 8px;")
    return label


class HolidaysView(QWidget):
    """The year chosen at the top (this year at first); everything below shows that year."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("holidays_view")
        self.allowed = True  # may the account change the table (set again by reload)
        self.year = QSpinBox()
        self.year.setObjectName("holidays_year")
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year)
        self.year.setSuffix(_tr(" 年"))
        self.year.valueChanged.connect(lambda _y: self.reload())
        self.add_button = button(_tr("新增…"), "holidays_add", self.add)
        self.edit_button = button(_tr("修改…"), "holidays_edit", self.edit)
        self.delete_button = button(_tr("删除"), "holidays_delete", self.delete)
        self.restore_button = button(
            _tr("恢复国务院公布安排"),
            "holidays_restore",
            self.restore,
            tooltip=_tr("把本年的放假日和调休上班日恢复为国务院公布的安排；您另外新增的日子保留"),
        )
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_tr("年份")))
        bar.addWidget(self.year)
        for b in (self.add_button, self.edit_button, self.delete_button, self.restore_button):
            bar.addWidget(b)
        bar.addStretch(1)

        self.summary = QLabel()
        self.summary.setObjectName("holidays_summary")
        self.summary.setWordWrap(True)

        self.model: RowsModel[HolidayDTO] = RowsModel(COLUMNS, lambda h: h.id, self)
        self.table = table_view(
            self.model,
            "holidays_table",
            read_only=True,
            row_numbers=False,
            row_padding=8,
            resize=QHeaderView.ResizeMode.ResizeToContents,
            stretch_last=True,
        )
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)

        self.grid = YearGrid()
        self.grid.dayClicked.connect(self._day_clicked)
        self.grid.dayActivated.connect(self._day_activated)
        legend = QHBoxLayout()
        legend.addWidget(_swatch(_tr("放假"), OFF_BG.name(), OFF_FG.name()))
        legend.addWidget(_swatch(_tr("调休上班"), WORK_BG.name(), WORK_FG.name()))
        hint = QLabel(_tr("双击某一天可新增或修改"))
        hint.setStyleSheet("color:#666;")
        legend.addWidget(hint)
        legend.addStretch(1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidget(self.grid)
        scroll.setWidgetResizable(True)
        scroll.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        right_layout.addWidget(scroll, 1)
        right_layout.addLayout(legend)

        # the grid is never narrower than its twelve months; the list takes what is left
        bar_width = scroll.style().pixelMetric(scroll.style().PixelMetric.PM_ScrollBarExtent)
        scroll.setMinimumWidth(self.grid.sizeHint().width() + 2 * scroll.frameWidth() + bar_width)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 0)
        split.setCollapsible(0, False)
        split.setCollapsible(1, False)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        self.reload()

    # -- reading --------------------------------------------------------------------------

    @property
    def chosen_year(self) -> int:
        return self.year.value()

    def reload(self) -> None:
        """Re-read the chosen year (keeping the selected day when it is still there)."""
        keep = self.current()
        year = self.chosen_year
        rows = calendar.list_holidays(year)
        self.model.set_rows(rows)
        self.grid.set_days(year, [(h.day, h.kind, h.name) for h in rows])
        off = sum(1 for h in rows if h.kind == DAY_OFF)
        work = sum(1 for h in rows if h.kind == WORKDAY)
        self.summary.setText(
            _tr("{year} 年：放假 {off} 天，调休上班 {work} 天。{note}").format(
                year=year, off=off, work=work, note=calendar.national_note(year)
            )
        )
        self.allowed = can(Permission.TRAINING)  # the services check it too
        for b in (self.add_button, self.edit_button, self.delete_button):
            b.setEnabled(self.allowed)
            b.setToolTip("" if self.allowed else NOT_ALLOWED)
        self.restore_button.setEnabled(self.allowed and year in NATIONAL_YEARS)
        if keep is not None:
            self.select_day(keep.day)

    def current(self) -> HolidayDTO | None:
        return self.model.row(self.table.currentIndex().row())

    def select_day(self, day: dt.date) -> bool:
        """Select the row of ``day``; False when the day is not in the list."""
        for k, h in enumerate(self.model.rows):
            if h.day == day:
                self.table.selectRow(k)
                return True
        self.table.clearSelection()
        return False

    @Slot()
    def _row_changed(self) -> None:
        h = self.current()
        self.grid.select(h.day if h else None)

    @Slot(object)
    def _day_clicked(self, day: dt.date) -> None:
        self.select_day(day)
        self.grid.select(day)

    @Slot(object)
    def _day_activated(self, day: dt.date) -> None:
        if not self.allowed:
            self.select_day(day)
        elif self.select_day(day):
            self.edit()
        else:
            self.open_dialog(None, day)

    # -- changing -------------------------------------------------------------------------

    def open_dialog(self, holiday: HolidayDTO | None, day: dt.date) -> None:
        saved, changed = HolidayDialog.ask(holiday, day, self)
        if not changed:
            return
        if saved is not None and saved.day.year != self.chosen_year:
            self.year.setValue(saved.day.year)  # reloads
        else:
            self.reload()
        if saved is not None:
            self.select_day(saved.day)

    @Slot()
    def add(self) -> None:
        today = dt.date.today()
        self.open_dialog(
            None, today if today.year == self.chosen_year else dt.date(self.chosen_year, 1, 1)
        )

    @Slot()
    def edit(self) -> None:
        h = self.current()
        if h is not None and self.allowed:
            self.open_dialog(h, h.day)

    @Slot()
    def delete(self) -> None:
        h = self.current()
        if h is None:
            return
        question = _tr(
            "删除 {day}（{weekday}）“{name}”{kind}吗？删除后这一天按平常日子排课。"
        ).format(day=h.day.isoformat(), weekday=h.weekday, name=h.name, kind=h.kind)
        if not messages.ask_yes_no(self, _tr("删除节假日"), question):
            return
        try:
            calendar.delete_holiday(h.id, expected_version=h.version)
        except ConflictError as e:
            messages.conflict(self, str(e))
        except DomainError as e:
            messages.error(self, str(e), _tr("不能删除"))
        self.reload()

    @Slot()
    def restore(self) -> None:
        year = self.chosen_year
        question = _tr(
            "把 {year} 年的放假日和调休上班日恢复为国务院公布的安排吗？\n"
            "被删除或改动过的日子会恢复原样；您另外新增的日子保留。"
        ).format(year=year)
        if not messages.ask_yes_no(self, _tr("恢复国务院公布安排"), question):
            return
        try:
            n = calendar.restore_national(year)
        except DomainError as e:
            messages.error(self, str(e), _tr("不能恢复"))
            return
        finally:
            self.reload()
        text = (
            _tr("已恢复 {n} 天。").format(n=n)
            if n
            else _tr("{year} 年的安排与国务院公布的一致，无需恢复。").format(year=year)
        )
        messages.info(self, _tr("恢复国务院公布安排"), text)


__all__ = ["HolidaysView"]
