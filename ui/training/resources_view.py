"""The 培训资源 section: teachers (with the dates they cannot teach), classrooms, field-study
sites (with the dates they cannot receive a class) and the course library (with how the
planner picks from it: 必修, 优先级, 适用班次层次, 可重复, 位置), each a list with 新增 / 编辑 /
删除 through a small form."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models import training
from models.core.errors import ConflictError, DomainError
from models.training import planner as tt
from models.training.resources import COURSE_POSITIONS, REPEATABLE_MODES
from models.training.tables import CLASS_LEVELS, TEACHER_KINDS
from ui import messages
from ui.common import Column, RowsModel, table_view


def _tr(text: str) -> str:
    return QCoreApplication.translate("TrainingResources", text)


def parse_days(text: str, label: str = "不可授课日期") -> list[dt.date]:
    """'2026-03-05、2026-03-06' (any separator: space, comma, 、, new line) → dates; a part
    that is not a date is refused naming the field (``label``)."""
    out = []
    for part in text.replace("，", " ").replace(",", " ").replace("、", " ").split():
        try:
            out.append(dt.date.fromisoformat(part))
        except ValueError as e:
            raise DomainError(
                f"{label}“{part}”不是日期，应写作 2026-03-05", field="unavailable"
            ) from e
    return out


def days_text(days: tuple[dt.date, ...]) -> str:
    """How the lists show unavailable days: 2026-03-05、2026-03-06."""
    return "、".join(d.isoformat() for d in days)


def days_edit(days: tuple[dt.date, ...]) -> QPlainTextEdit:
    """The box for unavailable days, one date a line."""
    w = QPlainTextEdit("\n".join(d.isoformat() for d in days))
    w.setPlaceholderText(_tr("每行一个日期，如 2026-03-05"))
    w.setMaximumHeight(90)
    return w


class FormDialog(QDialog):
    """A form of named widgets; ``build`` turns them into the service call's result."""

    def __init__(self, title: str, rows: list[tuple[str, QWidget]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.widgets = dict(rows)
        form = QFormLayout(self)
        for label, widget in rows:
            form.addRow(label, widget)
        self.error = QLabel()
        self.error.setStyleSheet("color:#c62828;")
        self.error.setWordWrap(True)
        self.error.hide()
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.save_fn: Callable[[], Any] | None = None
        self.result_value: Any = None
        self.conflicted = False  # someone else changed the record meanwhile: nothing saved
        self.setMinimumWidth(460)

    def _save(self) -> None:
        assert self.save_fn is not None
        try:
            self.result_value = self.save_fn()
        except ConflictError as e:
            messages.conflict(self, str(e))
            self.conflicted = True
            self.reject()  # the list re-reads what is stored; edit again from there
            return
        except DomainError as e:
            self.error.setText(str(e))  # shown in the form, beside the fields
            self.error.show()
            return
        self.accept()


def _line(text: str = "") -> QLineEdit:
    w = QLineEdit()
    w.setText(text)
    return w


def _spin(value: int, lo: int = 0, hi: int = 100000) -> QSpinBox:
    w = QSpinBox()
    w.setRange(lo, hi)
    w.setValue(value)
    return w


def teacher_form(t: training.TeacherDTO | None, parent: QWidget | None) -> FormDialog:
    kind = QComboBox()
    kind.addItems(list(TEACHER_KINDS))
    if t:
        kind.setCurrentText(t.kind)
    days = days_edit(t.unavailable if t else ())
    name, unit, phone = (
        _line(t.name if t else ""),
        _line(t.unit_title if t else ""),
        _line(t.phone if t else ""),
    )
    dlg = FormDialog(
        _tr("授课教师"),
        [(_tr("姓名"), name), (_tr("类别"), kind), (_tr("单位及职务"), unit),
         (_tr("电话"), phone), (_tr("不可授课日期"), days)],
        parent,
    )  # fmt: skip
    dlg.save_fn = lambda: training.save_teacher(
        training.TeacherInput(
            name=name.text(),
            kind=kind.currentText(),
            unit_title=unit.text(),
            phone=phone.text(),
            cadre_id=t.cadre_id if t else None,
            unavailable=parse_days(days.toPlainText()),
            notes=t.notes if t else "",
            id=t.id if t else None,
            version=t.version if t else None,
        )
    )
    return dlg


def room_form(r: training.RoomDTO | None, parent: QWidget | None) -> FormDialog:
    name, cap = _line(r.name if r else ""), _spin(r.capacity if r else 50)
    dlg = FormDialog(_tr("教室"), [(_tr("名称"), name), (_tr("容纳人数"), cap)], parent)
    dlg.save_fn = lambda: training.save_room(
        name.text(),
        cap.value(),
        notes=r.notes if r else "",
        room_id=r.id if r else None,
        expected_version=r.version if r else None,
    )
    return dlg


def site_form(s: training.SiteDTO | None, parent: QWidget | None) -> FormDialog:
    name, address = _line(s.name if s else ""), _line(s.address if s else "")
    contact, phone = _line(s.contact if s else ""), _line(s.phone if s else "")
    minutes = _spin(s.travel_minutes if s else 0, 0, 1440)
    days = days_edit(s.unavailable if s else ())
    dlg = FormDialog(
        _tr("现场教学点"),
        [(_tr("名称"), name), (_tr("地址"), address), (_tr("联系人"), contact),
         (_tr("电话"), phone), (_tr("路程（分钟）"), minutes), (_tr("不可接待日期"), days)],
        parent,
    )  # fmt: skip
    dlg.save_fn = lambda: training.save_site(
        name.text(),
        address=address.text(),
        contact=contact.text(),
        phone=phone.text(),
        travel_minutes=minutes.value(),
        notes=s.notes if s else "",
        unavailable=parse_days(days.toPlainText(), _tr("不可接待日期")),
        site_id=s.id if s else None,
        expected_version=s.version if s else None,
    )
    return dlg


class LevelsBox(QWidget):
    """适用班次层次: a check box per class level; none checked means every level."""

    def __init__(self, chosen: tuple[str, ...] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes = {level: QCheckBox(level) for level in CLASS_LEVELS}
        for k, (level, box) in enumerate(self.boxes.items()):
            box.setObjectName(f"course_level_{k}")
            box.setChecked(level in chosen)
            grid.addWidget(box, k // 2, k % 2)
        hint = QLabel(_tr("都不勾选：适用于全部班次"))
        hint.setStyleSheet("color:#666;")
        grid.addWidget(hint, (len(self.boxes) + 1) // 2, 0, 1, 2)

    def levels(self) -> list[str]:
        return [level for level, box in self.boxes.items() if box.isChecked()]


def course_form(c: training.CourseDTO | None, parent: QWidget | None) -> FormDialog:
    title = _line(c.title if c else "")
    mode = QComboBox()
    mode.addItems(list(tt.MODES))
    if c:
        mode.setCurrentText(c.mode)
    half_days = _spin(c.half_days if c else 1, 1, 60)
    teacher = QComboBox()
    teacher.addItem(_tr("（无）"), None)
    for t in training.list_teachers():
        teacher.addItem(f"{t.name}（{t.kind}）", t.id)
    site = QComboBox()
    site.addItem(_tr("（无）"), None)
    for s in training.list_sites():
        site.addItem(s.name, s.id)
    if c:
        teacher.setCurrentIndex(max(0, teacher.findData(c.teacher_id)))
        site.setCurrentIndex(max(0, site.findData(c.site_id)))
    elective = QCheckBox(_tr("选学课程"))
    elective.setChecked(bool(c and c.elective))
    block, follows = _line(c.block if c else ""), _line(c.follows if c else "")
    block.setPlaceholderText(_tr("课堂教学：所属专题，如 理论"))
    follows.setPlaceholderText(_tr("研讨交流：研讨的专题，如 理论"))
    required = QCheckBox(_tr("必修（适用的班次都安排）"))
    required.setChecked(bool(c and c.required))
    priority = _spin(c.priority if c else 0, 0, 99)
    priority.setToolTip(_tr("同一教学形式中，数字大的课程优先排入"))
    levels = LevelsBox(c.levels if c else ())
    repeatable = QCheckBox(_tr("课程不足时可重复安排（研讨交流、调研考察）"))
    repeatable.setChecked(bool(c and c.repeatable))
    position = QComboBox()
    for value in COURSE_POSITIONS:
        position.addItem(value or _tr("不限"), value)
    position.setCurrentIndex(max(0, position.findData(c.position if c else "")))

    def mode_changed(_i: int = 0) -> None:
        can_repeat = mode.currentText() in REPEATABLE_MODES
        repeatable.setEnabled(can_repeat)
        if not can_repeat:
            repeatable.setChecked(False)

    mode.currentIndexChanged.connect(mode_changed)
    mode_changed()
    widgets = {"mode": mode, "required": required, "priority": priority, "levels": levels,
               "repeatable": repeatable, "position": position}  # fmt: skip
    for key, w in widgets.items():
        w.setObjectName(f"course_{key}")
    dlg = FormDialog(
        _tr("课程"),
        [(_tr("课程名称"), title), (_tr("教学形式"), mode), (_tr("半天数"), half_days),
         (_tr("授课教师"), teacher), (_tr("现场教学点"), site), ("", elective),
         (_tr("专题"), block), (_tr("研讨的专题"), follows), ("", required),
         (_tr("优先级"), priority), (_tr("适用班次层次"), levels), ("", repeatable),
         (_tr("位置"), position)],
        parent,
    )  # fmt: skip
    dlg.save_fn = lambda: training.save_course(
        training.CourseInput(
            title=title.text(),
            mode=mode.currentText(),
            half_days=half_days.value(),
            teacher_id=teacher.currentData(),
            site_id=site.currentData(),
            elective=elective.isChecked(),
            block=block.text(),
            follows=follows.text(),
            notes=c.notes if c else "",
            id=c.id if c else None,
            version=c.version if c else None,
            required=required.isChecked(),
            priority=priority.value(),
            levels=levels.levels(),
            repeatable=repeatable.isChecked(),
            position=position.currentData(),
        )
    )
    return dlg


class ResourceList(QWidget):
    """One resource kind: its table and 新增 / 编辑 / 删除."""

    def __init__(
        self,
        name: str,
        columns: list[Column[Any]],
        load: Callable[[], list[Any]],
        form: Callable[[Any, QWidget | None], FormDialog],
        delete: Callable[..., None],
        describe: Callable[[Any], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"resources_{name}")
        self.load, self.form, self.delete_fn, self.describe = load, form, delete, describe
        self.model: RowsModel[Any] = RowsModel(columns, lambda x: x.id, self)
        self.table = table_view(
            self.model,
            f"resources_{name}_table",
            resize=QHeaderView.ResizeMode.ResizeToContents,
            stretch_last=True,
        )
        self.table.doubleClicked.connect(lambda _i: self.edit())
        bar = QHBoxLayout()
        for text, slot in ((_tr("新增…"), self.add), (_tr("编辑…"), self.edit),
                           (_tr("删除"), self.delete)):  # fmt: skip
            b = QPushButton(text)
            b.clicked.connect(slot)
            bar.addWidget(b)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(self.load())

    def current(self) -> Any:
        return self.model.row(self.table.currentIndex().row())

    def open_form(self, item: Any) -> None:
        dlg = self.form(item, self)
        if dlg.exec() == QDialog.DialogCode.Accepted or dlg.conflicted:
            self.reload()

    @Slot()
    def add(self) -> None:
        self.open_form(None)

    @Slot()
    def edit(self) -> None:
        item = self.current()
        if item is not None:
            self.open_form(item)

    @Slot()
    def delete(self) -> None:
        item = self.current()
        if item is None:
            return
        if not messages.ask_yes_no(
            self, _tr("删除"), _tr("删除“{x}”吗？").format(x=self.describe(item))
        ):
            return
        try:
            self.delete_fn(item.id, expected_version=item.version)
        except ConflictError as e:
            messages.conflict(self, str(e))
        except DomainError as e:
            messages.error(self, str(e), _tr("不能删除"))
        self.reload()


class ResourcesView(QTabWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("training_resources")
        self.teachers = ResourceList(
            "teachers",
            [
                Column(_tr("姓名"), lambda t: t.name, True),
                Column(_tr("类别"), lambda t: t.kind, True),
                Column(_tr("单位及职务"), lambda t: t.unit_title),
                Column(_tr("电话"), lambda t: t.phone),
                Column(_tr("不可授课日期"), lambda t: days_text(t.unavailable)),
            ],
            training.list_teachers,
            teacher_form,
            training.delete_teacher,
            lambda t: t.name,
        )
        self.rooms = ResourceList(
            "rooms",
            [
                Column(_tr("名称"), lambda r: r.name),
                Column(_tr("容纳人数"), lambda r: r.capacity, True),
            ],
            training.list_rooms,
            room_form,
            training.delete_room,
            lambda r: r.name,
        )
        self.sites = ResourceList(
            "sites",
            [
                Column(_tr("名称"), lambda s: s.name),
                Column(_tr("地址"), lambda s: s.address),
                Column(_tr("联系人"), lambda s: s.contact, True),
                Column(_tr("电话"), lambda s: s.phone),
                Column(_tr("路程（分钟）"), lambda s: s.travel_minutes, True),
                Column(_tr("不可接待日期"), lambda s: days_text(s.unavailable)),
            ],
            training.list_sites,
            site_form,
            training.delete_site,
            lambda s: s.name,
        )
        self.courses = ResourceList(
            "courses",
            [
                Column(_tr("课程名称"), lambda c: c.title),
                Column(_tr("教学形式"), lambda c: c.mode, True),
                Column(_tr("半天数"), lambda c: c.half_days, True),
                Column(_tr("授课教师"), lambda c: c.teacher_name, True),
                Column(_tr("现场教学点"), lambda c: c.site_name),
                Column(_tr("选学"), lambda c: "是" if c.elective else "", True),
                Column(_tr("必修"), lambda c: "是" if c.required else "", True),
                Column(_tr("优先级"), lambda c: c.priority, True),
                Column(_tr("适用班次层次"), lambda c: "、".join(c.levels) or _tr("全部")),
                Column(_tr("可重复"), lambda c: "是" if c.repeatable else "", True),
                Column(_tr("位置"), lambda c: c.position, True),
                Column(_tr("专题/研讨专题"), lambda c: c.block or c.follows),
            ],
            training.list_courses,
            course_form,
            training.delete_course,
            lambda c: c.title,
        )
        self.addTab(self.teachers, _tr("授课教师"))
        self.addTab(self.rooms, _tr("教室"))
        self.addTab(self.sites, _tr("现场教学点"))
        self.addTab(self.courses, _tr("课程库"))
        self.currentChanged.connect(lambda _i: self.reload())

    def reload(self) -> None:
        for w in (self.teachers, self.rooms, self.sites, self.courses):
            w.reload()
