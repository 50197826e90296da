"""The 培训班 section: the list of classes (name, level, dates, status, trainees), new / edit,
开班 (not before the start date), 结业… (once; the 考勤与结业 tab does it), 重新开班… (with a
reason; takes the class's 学时 back out of the ledger), 打印 (课程表, 签到表, 学员名册, 结业证书;
Excel), and the chosen class's page with tabs 课表 / 学员 / 选学 / 考勤与结业."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models import training
from models.core.errors import ConflictError, DomainError
from models.training.tables import CLASS_STATUSES
from ui import messages
from ui.common import Column, RowsModel, button, num, table_view
from ui.training.attendance_view import AttendanceView
from ui.training.class_dialog import ClassDialog
from ui.training.electives_view import ElectivesView
from ui.training.print_kit import ClassPrinter
from ui.training.timetable_view import TimetableView
from ui.training.trainees_view import TraineesView

STATUS_COLOURS = {"筹备": "#fef3c7", "进行中": "#dcfce7", "已结业": "#e5e7eb"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("TrainingView", text)


def class_columns() -> list[Column[training.ClassDTO]]:
    return [
        Column(_tr("班次名称"), lambda c: c.name),
        Column(_tr("类别"), lambda c: c.level, centered=True),
        Column(_tr("开班日期"), lambda c: c.start.isoformat(), centered=True),
        Column(_tr("结业日期"), lambda c: c.end.isoformat(), centered=True),
        Column(
            _tr("状态"),
            lambda c: c.status,
            centered=True,
            background=lambda c: STATUS_COLOURS.get(c.status),
        ),
        Column(_tr("学员数"), lambda c: c.enrolled, centered=True),
        Column(_tr("班主任"), lambda c: c.head_teacher, centered=True),
    ]


class TrainingView(QWidget):
    """Classes on top, the current class's tabs below."""

    classChanged = Signal(int)  # the current class id (0: none)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("training_view")
        self.model: RowsModel[training.ClassDTO] = RowsModel(class_columns(), lambda c: c.id, self)

        self.status_filter = QComboBox()
        self.status_filter.setObjectName("class_status_filter")
        self.status_filter.addItem(_tr("全部状态"), "")
        for s in CLASS_STATUSES:
            self.status_filter.addItem(s, s)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.new_button = QPushButton(_tr("新建班次…"))
        self.new_button.setObjectName("new_class_button")
        self.new_button.clicked.connect(self.new_class)
        self.edit_button = QPushButton(_tr("编辑班次…"))
        self.edit_button.setObjectName("edit_class_button")
        self.edit_button.clicked.connect(self.edit_class)
        self.start_button = QPushButton(_tr("开班"))
        self.start_button.setObjectName("start_class_button")
        self.start_button.setToolTip(_tr("把筹备中的班次设为进行中"))
        self.start_button.clicked.connect(self.start_class)
        self.close_button = button(_tr("结业…"), "close_class_button", self.close_class)
        self.reopen_button = button(
            _tr("重新开班…"),
            "reopen_class_button",
            self.reopen_class,
            tooltip=_tr("已结业的班次重新开班（须写明原因）：本班登记的学时从学时档案中撤销"),
        )
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_tr("状态：")))
        bar.addWidget(self.status_filter)
        bar.addWidget(self.new_button)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.start_button)
        bar.addWidget(self.close_button)
        bar.addWidget(self.reopen_button)
        bar.addStretch(1)

        self.table = table_view(
            self.model,
            "class_table",
            row_numbers=False,
            resize=QHeaderView.ResizeMode.ResizeToContents,
            stretch=(0,),
        )
        self.table.doubleClicked.connect(lambda _i: self.edit_class())
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_current())

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(bar)
        top_layout.addWidget(self.table)

        self.title = QLabel()
        self.title.setObjectName("class_title")
        self.title.setStyleSheet("font-weight:bold; font-size:14px;")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("class_tabs")
        self.timetable = TimetableView()
        self.trainees = TraineesView()
        self.attendance = AttendanceView()
        self.tabs.addTab(self.timetable, _tr("课表"))
        self.tabs.addTab(self.trainees, _tr("学员"))
        self.electives = ElectivesView()
        self.tabs.addTab(self.electives, _tr("选学"))
        self.trainees.traineesChanged.connect(lambda *_a: self.electives.reload())
        # wishes are a part of a trainee's enrolment: the 学员 tab shows their new version
        self.electives.electivesChanged.connect(lambda *_a: self.trainees.reload())
        self.tabs.addTab(self.attendance, _tr("考勤与结业"))
        self.trainees.traineesChanged.connect(self._refresh_list_keep)
        self.attendance.classFinished.connect(self._refresh_list_keep)
        self.attendance.classFinished.connect(lambda: self._update_title())
        self.timetable.timetableChanged.connect(self.attendance.reload_sessions)
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(self.title)
        page_layout.addWidget(self.tabs, 1)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(page)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 5)
        split.setSizes([150, 650])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self.printer = ClassPrinter(self, self.current_class, self.attendance.current_session)
        bar.insertWidget(bar.indexOf(self.reopen_button) + 1, self.printer.button)
        self.reload()

    @property
    def today(self) -> dt.date | None:
        """The day 开班 and 结业 are checked against (None: the computer's date)."""
        return self.attendance.today

    @today.setter
    def today(self, day: dt.date | None) -> None:
        self.attendance.today = day

    # -- list -----------------------------------------------------------------------------

    def current_class(self) -> training.ClassDTO | None:
        return self.model.row(self.table.currentIndex().row())

    def reload(self, select: int | None = None) -> None:
        keep = select if select is not None else (c.id if (c := self.current_class()) else None)
        self.model.set_rows(training.list_classes(self.status_filter.currentData() or ""))
        row = self.model.row_of(keep) if keep is not None else None
        if row is None and self.model.rowCount():
            row = 0
        if row is not None:
            self.select_row(row)
        else:
            self._show_current()

    def select_class(self, class_id: int) -> None:
        row = self.model.row_of(class_id)
        if row is not None:
            self.select_row(row)

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self._show_current()

    def _refresh_list_keep(self, *_args: object) -> None:
        c = self.current_class()
        self.model.set_rows(training.list_classes(self.status_filter.currentData() or ""))
        if c is not None:
            row = self.model.row_of(c.id)
            if row is not None:
                index = self.model.index(row, 0)
                self.table.selectionModel().blockSignals(True)
                self.table.selectionModel().setCurrentIndex(
                    index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect
                    | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.table.selectionModel().blockSignals(False)
                self._update_title()

    def _update_title(self) -> None:
        c = self.current_class()
        self.edit_button.setEnabled(c is not None and c.status != "已结业")
        self.start_button.setEnabled(c is not None and c.status == "筹备")
        self.close_button.setEnabled(c is not None and c.status == "进行中")
        self.reopen_button.setEnabled(c is not None and c.status == "已结业")
        closed = training.class_lifecycle(c.id).closed_text if c is not None else ""
        self.close_button.setToolTip(
            _tr("本班{when}").format(when=closed)
            if closed
            else _tr("结业：把学员所得学时登记到学时档案（在“考勤与结业”中办理）")
        )
        self.printer.update_actions()
        if c is None:
            self.title.setText(_tr("还没有班次，请先新建班次"))
            return
        self.title.setText(
            _tr("{name}（{level}，{start} 至 {end}，{status}，学员 {n} 人）").format(
                name=c.name,
                level=c.level,
                start=c.start.isoformat(),
                end=c.end.isoformat(),
                status=c.status,
                n=c.enrolled,
            )
        )

    @Slot()
    def _show_current(self) -> None:
        c = self.current_class()
        self._update_title()
        class_id = c.id if c else None
        self.timetable.set_class(class_id)
        self.trainees.set_class(class_id)
        self.attendance.set_class(class_id)
        self.electives.set_class(class_id)
        self.classChanged.emit(class_id or 0)

    # -- actions --------------------------------------------------------------------------

    @Slot()
    def new_class(self) -> None:
        saved = ClassDialog.ask(None, self)
        if saved is not None:
            self.status_filter.setCurrentIndex(0)
            self.reload(select=saved.id)

    @Slot()
    def edit_class(self) -> None:
        c = self.current_class()
        if c is None or not self.edit_button.isEnabled():  # a double-click on a closed class
            return
        saved = ClassDialog.ask(c, self)
        self.reload(select=saved.id if saved is not None else c.id)  # also after a conflict

    @Slot()
    def start_class(self) -> None:
        c = self.current_class()
        if c is None:
            return
        try:
            training.open_class(c.id, today=self.today, expected_version=c.version)
        except ConflictError as e:
            messages.conflict(self, str(e))
            self.reload(select=c.id)
            return
        except DomainError as e:
            messages.error(self, str(e), _tr("不能开班"))
            return
        self.reload(select=c.id)

    @Slot()
    def close_class(self) -> None:
        """结业 is done on the 考勤与结业 tab, where the attendance it counts is shown."""
        c = self.current_class()
        if c is None:
            return
        self.tabs.setCurrentWidget(self.attendance)
        self.attendance.finish_class()

    @Slot()
    def reopen_class(self) -> None:
        """重新开班 with a reason; the class's 学时 come out of the ledger."""
        c = self.current_class()
        if c is None:
            return
        reason = messages.ask_text(
            self,
            _tr("重新开班"),
            _tr(
                "班次《{name}》重新开班后，本班登记的学时将从学时档案中撤销，"
                "再次结业时重新登记。\n请写明原因："
            ).format(name=c.name),
        )
        if reason is None:
            return
        try:
            done = training.reopen_class(c.id, reason, expected_version=c.version)
        except ConflictError as e:
            messages.conflict(self, str(e))
            self.reload(select=c.id)
            return
        except DomainError as e:
            messages.error(self, str(e), _tr("不能重新开班"))
            return
        self.reload(select=c.id)
        messages.info(
            self,
            _tr("已重新开班"),
            _tr("班次《{name}》已重新开班，撤销学时记录 {n} 条，共 {h} 学时。").format(
                name=c.name, n=done.entries, h=num(done.total_hours)
            ),
        )
