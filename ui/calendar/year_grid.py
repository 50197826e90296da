"""A year at a glance: twelve small month grids (four across, three down) with the days off
in red and the 调休 working days in blue, as a wall calendar marks them. It shows what the
screen hands it (:meth:`YearGrid.set_days`) and reads nothing itself; a click on a day says
which (``dayClicked``), a double click asks to edit it (``dayActivated``)."""

from __future__ import annotations

import calendar
import datetime as dt

from PySide6.QtCore import QCoreApplication, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from models.calendar import DAY_OFF, WORKDAY

COLUMNS = 4  # months across
ROWS = 3
WEEK_HEAD = ("一", "二", "三", "四", "五", "六", "日")
OFF_BG, OFF_FG = QColor("#fde2df"), QColor("#c62828")
WORK_BG, WORK_FG = QColor("#dde8fb"), QColor("#1f4fa3")
WEEKEND_FG = QColor("#8a8a8a")
SELECTED = QColor("#444444")
TODAY = QColor("#2e7d32")


def _tr(text: str) -> str:
    return QCoreApplication.translate("YearGrid", text)


class YearGrid(QWidget):
    """Twelve month grids of ``year``; ``set_days`` gives each marked day its kind and name."""

    dayClicked = Signal(object)  # dt.date
    dayActivated = Signal(object)  # dt.date (double click)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("holiday_year_grid")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.year = dt.date.today().year
        self.kinds: dict[dt.date, str] = {}
        self.names: dict[dt.date, str] = {}
        self.selected: dt.date | None = None
        fm = self.fontMetrics()
        self.cell_w = fm.horizontalAdvance("00") + 8
        self.cell_h = fm.height() + 4
        self.gap = fm.horizontalAdvance("中")

    # -- what the screen calls ------------------------------------------------------------

    def set_days(self, year: int, days: list[tuple[dt.date, str, str]]) -> None:
        """Show ``year`` with ``days`` as (date, kind, name)."""
        self.year = year
        self.kinds = {d: kind for d, kind, _name in days}
        self.names = {d: name for d, _kind, name in days}
        if self.selected is not None and self.selected.year != year:
            self.selected = None
        self.update()

    def select(self, day: dt.date | None) -> None:
        self.selected = day
        self.update()

    # -- geometry -------------------------------------------------------------------------

    def _month_size(self) -> QSize:
        return QSize(7 * self.cell_w, (6 + 2) * self.cell_h)

    def sizeHint(self) -> QSize:
        m = self._month_size()
        return QSize(
            COLUMNS * m.width() + (COLUMNS + 1) * self.gap,
            ROWS * m.height() + (ROWS + 1) * self.gap,
        )

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def _month_origin(self, month: int) -> QPoint:
        m = self._month_size()
        col, row = (month - 1) % COLUMNS, (month - 1) // COLUMNS
        return QPoint(
            self.gap + col * (m.width() + self.gap), self.gap + row * (m.height() + self.gap)
        )

    def cell_rect(self, day: dt.date) -> QRect:
        origin = self._month_origin(day.month)
        first = dt.date(day.year, day.month, 1).weekday()
        index = first + day.day - 1
        row, col = divmod(index, 7)
        return QRect(
            origin.x() + col * self.cell_w,
            origin.y() + (2 + row) * self.cell_h,
            self.cell_w,
            self.cell_h,
        )

    def day_at(self, pos: QPoint) -> dt.date | None:
        """The day whose cell holds ``pos`` (None: between the grids)."""
        for month in range(1, 13):
            for d in range(1, calendar.monthrange(self.year, month)[1] + 1):
                day = dt.date(self.year, month, d)
                if self.cell_rect(day).contains(pos):
                    return day
        return None

    # -- painting -------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        bold = QFont(self.font())
        bold.setBold(True)
        today = dt.date.today()
        for month in range(1, 13):
            origin = self._month_origin(month)
            title = QRect(origin.x(), origin.y(), 7 * self.cell_w, self.cell_h)
            p.setFont(bold)
            p.setPen(self.palette().text().color())
            p.drawText(title, Qt.AlignmentFlag.AlignCenter, _tr("{m}月").format(m=month))
            p.setFont(self.font())
            for col, head in enumerate(WEEK_HEAD):
                rect = QRect(origin.x() + col * self.cell_w, origin.y() + self.cell_h,
                             self.cell_w, self.cell_h)  # fmt: skip
                p.setPen(WEEKEND_FG if col >= 5 else self.palette().text().color())
                p.drawText(rect, Qt.AlignmentFlag.AlignCenter, head)
            for d in range(1, calendar.monthrange(self.year, month)[1] + 1):
                self._paint_day(p, dt.date(self.year, month, d), today)
        p.end()

    def _paint_day(self, p: QPainter, day: dt.date, today: dt.date) -> None:
        rect = self.cell_rect(day).adjusted(1, 1, -1, -1)
        kind = self.kinds.get(day)
        fg = self.palette().text().color()
        if kind == DAY_OFF:
            p.fillRect(rect, OFF_BG)
            fg = OFF_FG
        elif kind == WORKDAY:
            p.fillRect(rect, WORK_BG)
            fg = WORK_FG
        elif day.weekday() >= 5:
            fg = WEEKEND_FG
        p.setPen(fg)
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(day.day))
        if day == today:
            p.setPen(TODAY)
            p.drawRect(rect.adjusted(0, 0, -1, -1))
        if day == self.selected:
            p.setPen(SELECTED)
            p.drawRect(rect.adjusted(0, 0, -1, -1))

    # -- mouse ----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        day = self.day_at(event.position().toPoint())
        if day is not None:
            self.select(day)
            self.dayClicked.emit(day)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        day = self.day_at(event.position().toPoint())
        if day is not None:
            self.dayActivated.emit(day)
        super().mouseDoubleClickEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        day = self.day_at(event.position().toPoint())
        text = ""
        if day is not None and day in self.kinds:
            text = f"{day.isoformat()} {self.kinds[day]}：{self.names.get(day, '')}"
        if text:
            QToolTip.showText(event.globalPosition().toPoint(), text, self)
        else:
            QToolTip.hideText()
        super().mouseMoveEvent(event)


__all__ = ["YearGrid"]
