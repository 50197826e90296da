"""New / edit a training class: its settings (checked as the user types with
``check_class``, the reason shown beside the field; dates on a holiday or a day without
classes warned about under the dates, from the 节假日 table, without blocking the save) and
its courses chosen from the library."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QDate, Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models import training
from models.calendar import date_warnings
from models.core.errors import ConflictError, DomainError, ValidationError
from models.training import planner as tt
from models.training.classes import MAX_LECTURES_IN_ROW
from models.training.tables import CLASS_LEVELS
from ui import messages

ERROR_COLOR = "#c62828"
WARNING_COLOR = "#b45309"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ClassDialog", text)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


class ClassDialog(QDialog):
    """The class's settings on the left, the library's courses (checkable) on the right."""

    def __init__(self, cls: training.ClassDTO | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("class_dialog")
        self.setWindowTitle(_tr("编辑班次") if cls else _tr("新建班次"))
        self.cls = cls
        self.saved: training.ClassDTO | None = None
        self.issue_labels: dict[str, QLabel] = {}

        self.name = QLineEdit()
        self.name.setObjectName("class_name")
        self.name.setPlaceholderText(_tr("如 第十三期中青年干部培训班"))
        self.level = QComboBox()
        self.level.addItems(list(CLASS_LEVELS))
        self.organiser = QLineEdit()
        self.start = QDateEdit()
        self.end = QDateEdit()
        for w in (self.start, self.end):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
        self.weekdays = [QCheckBox(name) for name in tt.WEEKDAY_NAMES]
        self.evening = QCheckBox(_tr("安排晚上时段"))
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0, 24)
        self.hours.setDecimals(2)
        self.hours.setSingleStep(0.25)
        self.shares = [QDoubleSpinBox() for _ in tt.MODES]
        for s in self.shares:
            s.setRange(-1, 1)
            s.setDecimals(3)
            s.setSingleStep(0.05)
        self.tolerance = QSpinBox()
        self.tolerance.setRange(1, 20)
        self.class_size = QSpinBox()
        self.class_size.setRange(-1, 1000)
        self.class_size.setSpecialValueText(_tr("不限"))
        self.class_size.setMinimum(0)
        self.head_teacher = QLineEdit()
        self.use_workdays = QCheckBox(_tr("调休上班日排课（如春节前后的周六、周日上班日）"))
        self.use_workdays.setObjectName("class_use_workdays")
        self.max_lectures = QSpinBox()
        self.max_lectures.setObjectName("class_max_lectures")
        self.max_lectures.setRange(1, MAX_LECTURES_IN_ROW)
        self.max_lectures.setSuffix(_tr(" 个半天"))
        self.date_warnings = QLabel()  # holidays and days without classes: a warning only
        self.date_warnings.setObjectName("date_warnings")
        self.date_warnings.setStyleSheet(f"color:{WARNING_COLOR};")
        self.date_warnings.setWordWrap(True)
        self.date_warnings.hide()

        form = QFormLayout()
        self._row(form, "name", _tr("班次名称"), self.name)
        self._row(form, "level", _tr("班次类别"), self.level)
        self._row(form, "organiser", _tr("主办单位"), self.organiser)
        self._row(form, "start", _tr("开班日期"), self.start)
        self._row(form, "end", _tr("结业日期"), self.end)
        form.addRow("", self.date_warnings)
        days = QWidget()
        days_layout = QHBoxLayout(days)
        days_layout.setContentsMargins(0, 0, 0, 0)
        for box in self.weekdays:
            days_layout.addWidget(box)
        self._row(form, "weekdays", _tr("教学日"), days)
        self._row(form, "evening", "", self.evening)
        self._row(form, "use_workdays", "", self.use_workdays)
        self._row(form, "hours_per_half_day", _tr("每半天学时"), self.hours)
        shares = QWidget()
        shares_layout = QHBoxLayout(shares)
        shares_layout.setContentsMargins(0, 0, 0, 0)
        for mode, box in zip(tt.MODES, self.shares, strict=True):
            shares_layout.addWidget(QLabel(mode))
            shares_layout.addWidget(box)
        self._row(form, "share_lecture", _tr("三种形式比例"), shares)
        self._row(form, "share_tolerance", _tr("比例允许偏差（半天）"), self.tolerance)
        self._row(form, "max_lectures_in_row", _tr("连续讲课不超过（半天）"), self.max_lectures)
        self._row(form, "class_size", _tr("班额"), self.class_size)
        self._row(form, "head_teacher", _tr("班主任"), self.head_teacher)

        self.courses = QListWidget()
        self.courses.setObjectName("class_courses")
        stored = training.class_courses(cls.id) if cls else []
        self._order = {c.course.id: k for k, c in enumerate(stored)}  # the teaching order
        chosen = set(self._order)
        for c in training.list_courses():
            kind = f"{c.mode}·选学" if c.elective else c.mode
            item = QListWidgetItem(f"［{kind}］{c.title}（{c.half_days} 个半天）")
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if c.id in chosen else Qt.CheckState.Unchecked)
            self.courses.addItem(item)
        self.course_total = QLabel()
        self.courses.itemChanged.connect(self._count_courses)
        right = QVBoxLayout()
        right.addWidget(QLabel(_tr("选用的课程（从课程库勾选）")))
        right.addWidget(self.courses, 1)
        right.addWidget(self.course_total)

        body = QHBoxLayout()
        body.addLayout(form, 3)
        body.addLayout(right, 2)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addLayout(body)
        outer.addWidget(self.buttons)

        self._fill(cls)
        for w in (self.name, self.organiser, self.head_teacher):
            w.textChanged.connect(self.validate)
        self.level.currentIndexChanged.connect(self.validate)
        for w in (self.start, self.end):
            w.dateChanged.connect(self.validate)
        for box in (*self.weekdays, self.evening, self.use_workdays):
            box.toggled.connect(self.validate)
        for spin in (self.hours, *self.shares):
            spin.valueChanged.connect(self.validate)
        for spin in (self.tolerance, self.class_size, self.max_lectures):
            spin.valueChanged.connect(self.validate)
        for w in (self.start, self.end):
            w.dateChanged.connect(self.warn_dates)
        for box in self.weekdays:
            box.toggled.connect(self.warn_dates)
        self._count_courses()
        self.validate()
        self.warn_dates()
        self.resize(1000, 640)

    def _row(self, form: QFormLayout, key: str, label: str, widget: QWidget) -> None:
        issue = QLabel()
        issue.setObjectName(f"issue_{key}")
        issue.setStyleSheet(f"color:{ERROR_COLOR};")
        issue.setWordWrap(True)
        self.issue_labels[key] = issue
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(widget)
        layout.addWidget(issue)
        issue.hide()
        form.addRow(label, box)

    def _fill(self, cls: training.ClassDTO | None) -> None:
        base = training.ClassInput()
        today = dt.date.today()
        self.name.setText(cls.name if cls else "")
        self.level.setCurrentText(cls.level if cls else base.level)
        self.organiser.setText(cls.organiser if cls else "")
        self.start.setDate(_qdate(cls.start if cls else today))
        self.end.setDate(_qdate(cls.end if cls else today + dt.timedelta(days=18)))
        days = cls.weekdays if cls else set(base.weekdays)
        for k, box in enumerate(self.weekdays):
            box.setChecked(k in days)
        self.evening.setChecked(cls.evening if cls else False)
        self.hours.setValue(float(cls.hours_per_half_day if cls else base.hours_per_half_day))
        values = (
            (cls.share_lecture, cls.share_field_study, cls.share_discussion)
            if cls
            else (base.share_lecture, base.share_field_study, base.share_discussion)
        )
        for box, v in zip(self.shares, values, strict=True):
            box.setValue(v)
        self.tolerance.setValue(cls.share_tolerance if cls else base.share_tolerance)
        self.class_size.setValue(cls.class_size if cls else 0)
        self.head_teacher.setText(cls.head_teacher if cls else "")
        self.use_workdays.setChecked(cls.use_workdays if cls else base.use_workdays)
        self.max_lectures.setValue(cls.max_lectures_in_row if cls else base.max_lectures_in_row)

    def class_input(self) -> training.ClassInput:
        shares = [box.value() for box in self.shares]
        if abs(sum(shares) - 1) <= 3e-3:  # 0.333 × 3 means one third each
            shares = [s / sum(shares) for s in shares]
        cls = self.cls
        return training.ClassInput(
            name=self.name.text(),
            level=self.level.currentText(),
            organiser=self.organiser.text(),
            start=_pydate(self.start.date()),
            end=_pydate(self.end.date()),
            weekdays=[k for k, box in enumerate(self.weekdays) if box.isChecked()],
            holidays=cls.holidays if cls else (),
            evening=self.evening.isChecked(),
            hours_per_half_day=Decimal(str(round(self.hours.value(), 2))),
            share_lecture=shares[0],
            share_field_study=shares[1],
            share_discussion=shares[2],
            share_tolerance=self.tolerance.value(),
            class_size=self.class_size.value(),
            electives_per_trainee=cls.electives_per_trainee if cls else 1,
            head_teacher=self.head_teacher.text(),
            status=cls.status if cls else "筹备",
            notes=cls.notes if cls else "",
            id=cls.id if cls else None,
            version=cls.version if cls else None,
            use_workdays=self.use_workdays.isChecked(),
            max_lectures_in_row=self.max_lectures.value(),
        )

    def chosen_course_ids(self) -> list[int]:
        """The checked courses: those the class had in their teaching order, then the newly
        checked ones in the list's order."""
        out = []
        for k in range(self.courses.count()):
            item = self.courses.item(k)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return sorted(out, key=lambda cid: (self._order.get(cid, len(self._order)), out.index(cid)))

    def reload_stored(self) -> None:
        """Show the class as stored now (after someone else changed it meanwhile)."""
        if self.cls is None:
            return
        self.cls = training.get_class(self.cls.id)
        self._fill(self.cls)
        stored = training.class_courses(self.cls.id)
        self._order = {c.course.id: k for k, c in enumerate(stored)}
        for k in range(self.courses.count()):
            item = self.courses.item(k)
            on = item.data(Qt.ItemDataRole.UserRole) in self._order
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self._count_courses()
        self.validate()

    def set_course_checked(self, course_id: int, checked: bool) -> None:
        for k in range(self.courses.count()):
            item = self.courses.item(k)
            if item.data(Qt.ItemDataRole.UserRole) == course_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    @Slot()
    def _count_courses(self, *_args: object) -> None:
        by_mode = dict.fromkeys(tt.MODES, 0)
        chosen = set(self.chosen_course_ids())
        for c in training.list_courses():
            if c.id in chosen:
                by_mode[c.mode] = by_mode.get(c.mode, 0) + c.half_days
        text = "，".join(f"{m} {n} 个半天" for m, n in by_mode.items())
        self.course_total.setText(_tr("已选：{text}").format(text=text))

    @Slot()
    def warn_dates(self, *_args: object) -> list[str]:
        """Under the dates: a start or end on a holiday or a day without classes, the
        holidays and 调休上班 days inside (the 节假日 table). Saving stays possible."""
        start, end = _pydate(self.start.date()), _pydate(self.end.date())
        days = frozenset(k for k, box in enumerate(self.weekdays) if box.isChecked())
        found = date_warnings(start, end, days)
        self.date_warnings.setText("\n".join(f"⚠ {w}" for w in found))
        self.date_warnings.setVisible(bool(found))
        return found

    @Slot()
    def validate(self, *_args: object) -> bool:
        """Show every issue beside its field; Save is enabled only when there is none."""
        issues = training.check_class(self.class_input())
        by_field: dict[str, list[str]] = {}
        for i in issues:
            by_field.setdefault(i.field, []).append(i.message)
        for key, label in self.issue_labels.items():
            text = "；".join(by_field.get(key, []))
            label.setText(text)
            label.setVisible(bool(text))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not issues)
        return not issues

    @Slot()
    def save(self) -> None:
        if not self.validate():
            return
        try:
            saved = training.save_class_with_courses(self.class_input(), self.chosen_course_ids())
        except ConflictError as e:
            messages.conflict(self, str(e))
            self.reload_stored()  # the dialog stays open on what is stored now
            return
        except ValidationError as e:
            messages.error(self, str(e))
            return
        except DomainError as e:
            messages.error(self, str(e))
            return
        self.saved = training.get_class(saved.id)
        self.accept()

    @classmethod
    def ask(
        cls, current: training.ClassDTO | None, parent: QWidget | None = None
    ) -> training.ClassDTO | None:
        """The saved class, or None when cancelled."""
        dlg = cls(current, parent)
        dlg.exec()
        return dlg.saved
