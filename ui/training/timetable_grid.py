"""The pieces of the timetable screen: the week grid model (weeks × slots down, teaching
weekdays across), the cell painter (mode colour, red border on a clash), the legend, and the
live bar and the small chart of the three shares. The screen itself is
ui.training.timetable_view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from models.training import ClassDTO, SessionDTO
from models.training import planner as tt
from ui.common import num
from ui.common.charts import Bars, BarsChart

DISPLAY = Qt.ItemDataRole.DisplayRole
SESSION_ROLE = Qt.ItemDataRole.UserRole + 1
MODE_ROLE = Qt.ItemDataRole.UserRole + 2
CLASH_ROLE = Qt.ItemDataRole.UserRole + 3
IN_CLASS_ROLE = Qt.ItemDataRole.UserRole + 4
DATE_ROLE = Qt.ItemDataRole.UserRole + 5
MIME_TYPE = "application/x-cadredesk-session"

# mode → (cell fill, stripe / legend colour)
MODE_COLOURS: dict[str, tuple[str, str]] = {
    tt.LECTURE: ("#dbeafe", "#2563eb"),
    tt.FIELD_STUDY: ("#dcfce7", "#16a34a"),
    tt.DISCUSSION: ("#ffedd5", "#ea580c"),
    tt.OTHER: ("#ede9fe", "#7c3aed"),
}
MODE_LABELS = {tt.OTHER: "开班式结业式"}
OFF_COLOUR = "#eeeeee"
CLASH_COLOUR = "#dc2626"

ModelIndex = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("TimetableGrid", text)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _short(day: dt.date) -> str:
    return f"{day.month:02d}.{day.day:02d}"


class TimetableModel(QAbstractTableModel):
    """The class's sessions laid out like a printed 课程表: one column per teaching weekday,
    one row per (week, half-day). Cells outside the class (weekends, holidays, before the
    start) are grey and take no drops. Dropping a session asks ``dropRequested``."""

    dropRequested = Signal(int, object, str)  # session id, target day, target slot

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._weekdays: list[int] = []
        self._weeks: list[dt.date] = []
        self._slots: list[str] = []
        self._by_key: dict[tuple[dt.date, str], SessionDTO] = {}
        self._class_keys: set[tuple[dt.date, str]] = set()
        self._holidays: set[dt.date] = set()
        self._day_names: dict[dt.date, str] = {}  # 国庆节, 春节调休上班…
        self._clashes: dict[tuple[dt.date, str], list[str]] = {}

    # -- what the screen calls ------------------------------------------------------------

    def set_timetable(
        self,
        cls: ClassDTO | None,
        sessions: Sequence[SessionDTO],
        settings: tt.ClassSettings | None = None,
    ) -> None:
        """Lay out ``sessions`` over the class's weeks. ``settings``: the class's calendar as
        the planner reads it (models.training.class_settings: national holidays and 调休 days
        applied, with their names); no class (None): an empty grid."""
        self.beginResetModel()
        self._by_key = {(s.day, s.slot): s for s in sessions}
        if cls is None or settings is None:
            self._weekdays, self._weeks, self._slots = [], [], []
            self._class_keys, self._holidays, self._day_names = set(), set(), {}
        else:
            self._class_keys = set(settings.class_slots())
            self._holidays = set(settings.holidays)
            self._day_names = dict(settings.day_names)
            used = {s.slot for s in sessions}
            self._slots = [s for s in tt.SLOT_ORDER if s in settings.slots or s in used]
            days = [cls.start, cls.end, *(s.day for s in sessions)]
            worked = {d.weekday() for d, _slot in self._class_keys}
            self._weekdays = sorted(
                set(cls.weekdays) | worked | {s.day.weekday() for s in sessions}
            )
            first, last = _monday(min(days)), _monday(max(days))
            self._weeks = []
            week = first
            while week <= last:
                self._weeks.append(week)
                week += dt.timedelta(days=7)
        self.endResetModel()

    def set_clashes(self, clashes: Iterable[tt.Clash]) -> None:
        marks: dict[tuple[dt.date, str], list[str]] = {}
        for c in clashes:
            marks.setdefault((c.day, c.slot), []).append(f"{c.kind}：{c.message}")
        self._clashes = marks
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )

    def key_at(self, row: int, column: int) -> tuple[dt.date, str] | None:
        if not (0 <= row < self.rowCount() and 0 <= column < self.columnCount()):
            return None
        week = self._weeks[row // len(self._slots)]
        day = week + dt.timedelta(days=self._weekdays[column])
        return day, self._slots[row % len(self._slots)]

    def index_of(self, day: dt.date, slot: str) -> QModelIndex:
        if slot not in self._slots or day.weekday() not in self._weekdays:
            return QModelIndex()
        monday = _monday(day)
        if monday not in self._weeks:
            return QModelIndex()
        row = self._weeks.index(monday) * len(self._slots) + self._slots.index(slot)
        return self.index(row, self._weekdays.index(day.weekday()))

    def session_at(self, day: dt.date, slot: str) -> SessionDTO | None:
        return self._by_key.get((day, slot))

    def session_by_id(self, session_id: int) -> SessionDTO | None:
        return next((s for s in self._by_key.values() if s.id == session_id), None)

    def clashes_at(self, day: dt.date, slot: str) -> list[str]:
        return list(self._clashes.get((day, slot), []))

    def is_class_slot(self, day: dt.date, slot: str) -> bool:
        return (day, slot) in self._class_keys

    # -- Qt model interface ---------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._weeks) * len(self._slots)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self._weeks else len(self._weekdays)

    def _lines(self, s: SessionDTO) -> list[str]:
        title = _tr("〔锁〕") + s.title if s.locked else s.title
        lines = [title]
        if s.teacher_name:
            lines.append(s.teacher_name)
        place = s.site_name or s.room_name
        if place:
            lines.append(place)
        return lines

    def data(self, index: ModelIndex, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        key = self.key_at(index.row(), index.column())
        if key is None:
            return None
        s = self._by_key.get(key)
        if role == DISPLAY:
            if s is not None:
                return "\n".join(self._lines(s))
            if key[0] in self._holidays:
                return self._day_names.get(key[0]) or _tr("节假日")
            if key not in self._class_keys and key[0] in self._day_names:
                return self._day_names[key[0]]  # a 调休上班 day the class does not use
            return ""
        if role == SESSION_ROLE:
            return s.id if s is not None else None
        if role == MODE_ROLE:
            return s.mode if s is not None else None
        if role == CLASH_ROLE:
            return self._clashes.get(key) or None
        if role == IN_CLASS_ROLE:
            return key in self._class_keys
        if role == DATE_ROLE:
            return _short(key[0])
        if role == Qt.ItemDataRole.ToolTipRole:
            head = f"{key[0].isoformat()} {tt.WEEKDAY_NAMES[key[0].weekday()]} {key[1]}"
            parts = [head]
            if s is not None:
                parts.append(f"{s.mode}：{s.title}（{num(s.hours)} 学时）")
                parts.extend(self._lines(s)[1:])
                if s.locked:
                    parts.append(_tr("已锁定：重新排课时保留在此时段"))
            elif key[0] in self._holidays:
                name = self._day_names.get(key[0]) or _tr("节假日")
                parts.append(_tr("{name}放假，不排课").format(name=name))
            elif key not in self._class_keys:
                parts.append(_tr("不在本班教学日内"))
            parts.extend(self._clashes.get(key, []))
            return "\n".join(parts)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role != DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._weekdays):
                return tt.WEEKDAY_NAMES[self._weekdays[section]]
            return None
        if not self._slots or not 0 <= section < self.rowCount():
            return None
        week = self._weeks[section // len(self._slots)]
        slot = self._slots[section % len(self._slots)]
        if section % len(self._slots) == 0:
            last = week + dt.timedelta(days=self._weekdays[-1])
            first = week + dt.timedelta(days=self._weekdays[0])
            return f"{_short(first)}–{_short(last)}\n{slot}"
        return slot

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        key = self.key_at(index.row(), index.column())
        if key is not None and key in self._by_key:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        if key is not None and (key in self._class_keys or key in self._by_key):
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags

    # -- drag and drop --------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction  # never Move: the view would then remove rows

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        for index in indexes:
            sid = self.data(index, SESSION_ROLE)
            if sid is not None:
                data.setData(MIME_TYPE, QByteArray(str(sid).encode()))
                break
        return data

    def _target(self, row: int, column: int, parent: ModelIndex) -> tuple[dt.date, str] | None:
        if parent.isValid():
            return self.key_at(parent.row(), parent.column())
        return self.key_at(row, column)

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: ModelIndex,
    ) -> bool:
        key = self._target(row, column, parent)
        return (
            data.hasFormat(MIME_TYPE)
            and key is not None
            and (key in self._class_keys or key in self._by_key)
        )

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: ModelIndex,
    ) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        key = self._target(row, column, parent)
        assert key is not None
        try:
            sid = int(bytes(data.data(MIME_TYPE).data()).decode())
        except ValueError:
            return False
        self.dropRequested.emit(sid, key[0], key[1])
        return True


class SessionDelegate(QStyledItemDelegate):
    """A coloured card per session: mode stripe, bold title, teacher and place, the date in
    the corner, a red border when the half-day breaks a rule."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        painter.save()
        try:
            self._paint(painter, option, index)
        finally:
            painter.restore()

    def _paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        rect = QRectF(option.rect).adjusted(1.5, 1.5, -1.5, -1.5)
        mode = index.data(MODE_ROLE)
        in_class = bool(index.data(IN_CLASS_ROLE))
        text = index.data(DISPLAY) or ""
        fill, stripe = MODE_COLOURS.get(mode, ("#ffffff", "#9ca3af"))
        if mode is None:
            fill = "#ffffff" if in_class else OFF_COLOUR
        painter.fillRect(rect, QColor(fill))
        if mode is not None:
            painter.fillRect(QRectF(rect.left(), rect.top(), 4, rect.height()), QColor(stripe))
        base = QFont(option.font)
        fm = painter.fontMetrics()
        date = index.data(DATE_ROLE) or ""
        small = QFont(base)
        small.setPointSizeF(max(base.pointSizeF() * 0.85, 6.0))
        painter.setFont(small)
        painter.setPen(QColor("#6b7280"))
        inner = rect.adjusted(8, 3, -4, -3)
        painter.drawText(inner, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), date)
        date_w = painter.fontMetrics().horizontalAdvance(date) + 6
        if text and mode is not None:
            title, *rest = text.split("\n")
            bold = QFont(base)
            bold.setBold(True)
            painter.setFont(bold)
            painter.setPen(QColor("#111827"))
            title_rect = inner.adjusted(0, 0, -date_w, 0)
            flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            flags |= int(Qt.TextFlag.TextWordWrap)
            bound = painter.boundingRect(title_rect, flags, title)
            painter.drawText(title_rect, flags, title)
            painter.setFont(base)
            painter.setPen(QColor("#374151"))
            y = bound.bottom() + 2
            for line in rest:
                if y + fm.height() > inner.bottom() + 2:
                    break
                line_rect = QRectF(inner.left(), y, inner.width(), fm.height())
                painter.drawText(
                    line_rect,
                    int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                    fm.elidedText(line, Qt.TextElideMode.ElideRight, int(inner.width())),
                )
                y += fm.height()
        elif text:
            painter.setFont(base)
            painter.setPen(QColor("#9ca3af"))
            painter.drawText(inner, int(Qt.AlignmentFlag.AlignCenter), text)
        if index.data(CLASH_ROLE):
            painter.setPen(QPen(QColor(CLASH_COLOUR), 3))
            painter.drawRect(rect.adjusted(1.5, 1.5, -1.5, -1.5))
        elif option.state & QStyle.StateFlag.State_Selected:
            painter.setPen(QPen(QColor("#1e3a8a"), 2))
            painter.drawRect(rect.adjusted(1, 1, -1, -1))


class Legend(QWidget):
    """Coloured swatches naming the modes (and what a red border means)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for mode in (*tt.MODES, tt.OTHER):
            fill, stripe = MODE_COLOURS[mode]
            swatch = QLabel()
            swatch.setFixedSize(18, 14)
            swatch.setStyleSheet(f"background:{fill}; border-left:4px solid {stripe};")
            layout.addWidget(swatch)
            layout.addWidget(QLabel(MODE_LABELS.get(mode, mode)))
            layout.addSpacing(10)
        clash = QLabel()
        clash.setFixedSize(18, 14)
        clash.setStyleSheet(f"background:white; border:2px solid {CLASH_COLOUR};")
        layout.addWidget(clash)
        layout.addWidget(QLabel(_tr("冲突（悬停查看原因）")))
        layout.addStretch(1)


class _StackBar(QWidget):
    """One bar split into the three modes' half-days, with ticks where the targets fall."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shares: tuple[tt.ModeShare, ...] = ()
        self.setMinimumHeight(16)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        rect = QRectF(self.rect()).adjusted(0, 2, -1, -2)
        painter.fillRect(rect, QColor("#f3f4f6"))
        total = max(
            sum(s.half_days for s in self.shares), sum(s.target_half_days for s in self.shares), 1
        )
        x = rect.left()
        for s in self.shares:
            w = rect.width() * s.half_days / total
            painter.fillRect(
                QRectF(x, rect.top(), w, rect.height()), QColor(MODE_COLOURS[s.mode][1])
            )
            x += w
        painter.setPen(QPen(QColor("#111827"), 2))
        acc = 0.0
        for s in self.shares[:-1]:
            acc += s.target_half_days
            tx = rect.left() + rect.width() * acc / total
            painter.drawLine(int(tx), int(rect.top() - 2), int(tx), int(rect.bottom() + 2))
        painter.end()


class SharesBar(QWidget):
    """三三制 shares live: half-days and 学时 of each mode against the class's target."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shares_bar")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.bar = _StackBar()
        layout.addWidget(self.bar)
        row = QHBoxLayout()
        self.labels: dict[str, QLabel] = {}
        for mode in tt.MODES:
            label = QLabel()
            label.setObjectName(f"share_{mode}")
            label.setTextFormat(Qt.TextFormat.PlainText)
            self.labels[mode] = label
            row.addWidget(label, 1)
        layout.addLayout(row)

    def set_shares(self, shares: Sequence[tt.ModeShare]) -> None:
        self.bar.shares = tuple(shares)
        self.bar.update()
        by_mode: Mapping[str, tt.ModeShare] = {s.mode: s for s in shares}
        for mode, label in self.labels.items():
            s = by_mode.get(mode)
            if s is None:
                label.setText("")
                continue
            text = _tr("■ {mode} {n} 个半天 / 目标 {target}，{hours} 学时 / 目标 {th}").format(
                mode=mode,
                n=s.half_days,
                target=num(s.target_half_days),
                hours=num(s.hours),
                th=num(s.target_hours),
            )
            colour = MODE_COLOURS[mode][1]
            if not s.within_tolerance:
                text += _tr("（偏离目标）")
                colour = CLASH_COLOUR
            label.setText(text)
            label.setStyleSheet(f"color:{colour}; font-weight:bold;")

    def texts(self) -> dict[str, str]:
        return {mode: label.text() for mode, label in self.labels.items()}


class SharesChart(BarsChart):
    """三三制 shares as a small chart: each mode's half-days against its target; hidden
    until ``button`` (三三制图表) is pressed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("shares_chart", parent=parent)
        self.setFixedWidth(300)
        self.set_title(_tr("三三制比例（半天）"))
        self.hide()
        self.button = QPushButton(_tr("三三制图表"))
        self.button.setObjectName("shares_chart_toggle")
        self.button.setCheckable(True)
        self.button.toggled.connect(self.setVisible)

    def set_shares(self, shares: Sequence[tt.ModeShare]) -> None:
        modes = [s.mode for s in shares]
        actual = tuple(float(s.half_days) for s in shares)
        target = tuple(round(s.target_half_days, 1) for s in shares)
        self.set_data(
            modes,
            [Bars(_tr("实际"), actual, "#2563eb"), Bars(_tr("目标"), target, "#9ca3af")],
        )
