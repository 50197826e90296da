"""The 领导干部讲坛 section: the series on the left (new / edit / delete); on the right the
chosen series' lectures by date (new / edit / delete, 打印通知, 打印签到表) over the 听课登记
of the chosen lecture (ui.training.lectures.attendance_panel)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models.core.errors import ConflictError, DomainError
from models.training import lectures as lt
from ui import jobs, messages
from ui.common import Column, RowsModel, button, num, table_view
from ui.training.lectures.attendance_panel import LectureAttendancePanel
from ui.training.lectures.lecture_dialog import LectureDialog
from ui.training.lectures.printing import LecturePrinter
from ui.training.lectures.series_dialog import SeriesDialog

STATUS_COLOURS = {lt.PLANNED: "#fef3c7", lt.HELD: "#dcfce7"}


def _tr(text: str) -> str:
    return QCoreApplication.translate("LecturesView", text)


def series_columns() -> list[Column[lt.SeriesDTO]]:
    return [
        Column(_tr("讲坛"), lambda s: s.name),
        Column(_tr("每讲学时"), lambda s: s.hours_per_lecture, True),
        Column(
            _tr("已举办/讲数"),
            lambda s: f"{s.held} / {s.lectures}",
            True,
            tooltip=lambda s: _tr("已登记学时 {h} 讲，共 {n} 讲").format(h=s.held, n=s.lectures),
        ),
    ]


def lecture_columns() -> list[Column[lt.LectureDTO]]:
    return [
        Column(_tr("讲次"), lambda x: f"第{x.seq}讲", True),
        Column(_tr("日期"), lambda x: x.day.isoformat(), True),
        Column(
            _tr("状态"),
            lambda x: x.status,
            True,
            background=lambda x: STATUS_COLOURS.get(x.status),
        ),
        Column(_tr("题目"), lambda x: x.title),
        Column(_tr("主讲人"), lambda x: x.speaker, True, tooltip=lambda x: x.speaker_title),
        Column(_tr("地点"), lambda x: x.place),
        Column(_tr("听课范围"), lambda x: x.audience_text, tooltip=lambda x: x.audience_text),
        Column(_tr("应到"), lambda x: x.expected, True),
        Column(_tr("出勤"), lambda x: x.attended, True),
        Column(_tr("学时"), lambda x: num(x.credit_hours), True),
    ]


class LecturesView(QWidget):
    """Series | lectures over attendance."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lectures_view")
        self.printer = LecturePrinter(self)

        self.series_model: RowsModel[lt.SeriesDTO] = RowsModel(
            series_columns(), lambda s: s.id, self
        )
        self.series_table = table_view(
            self.series_model, "series_table", read_only=True, row_numbers=False,
            resize=QHeaderView.ResizeMode.ResizeToContents, stretch=(0,),
        )  # fmt: skip
        self.series_table.selectionModel().currentRowChanged.connect(
            lambda *_a: self.series_changed()
        )
        self.series_table.doubleClicked.connect(lambda _i: self.edit_series())
        self.new_series_button = button(_tr("新建讲坛…"), "new_series_button", self.new_series)
        self.edit_series_button = button(_tr("编辑…"), "edit_series_button", self.edit_series)
        self.delete_series_button = button(_tr("删除"), "delete_series_button", self.delete_series)
        series_bar = QHBoxLayout()
        for b in (self.new_series_button, self.edit_series_button, self.delete_series_button):
            series_bar.addWidget(b)
        self.series_info = QLabel()
        self.series_info.setObjectName("series_info")
        self.series_info.setWordWrap(True)
        self.series_info.setStyleSheet("color:#4b5563;")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(_tr("讲坛系列")))
        left_layout.addWidget(self.series_table, 1)
        left_layout.addLayout(series_bar)
        left_layout.addWidget(self.series_info)

        self.lecture_model: RowsModel[lt.LectureDTO] = RowsModel(
            lecture_columns(), lambda x: x.id, self
        )
        self.lecture_table = table_view(
            self.lecture_model, "lecture_table", read_only=True, row_numbers=False,
            resize=QHeaderView.ResizeMode.ResizeToContents, stretch=(6,),
        )  # fmt: skip
        self.lecture_table.selectionModel().currentRowChanged.connect(
            lambda *_a: self.lecture_changed()
        )
        self.lecture_table.doubleClicked.connect(lambda _i: self.edit_lecture())
        self.new_lecture_button = button(_tr("新建讲座…"), "new_lecture_button", self.new_lecture)
        self.edit_lecture_button = button(
            _tr("编辑讲座…"), "edit_lecture_button", self.edit_lecture
        )
        self.delete_lecture_button = button(
            _tr("删除讲座"), "delete_lecture_button", self.delete_lecture
        )
        self.notice_button = button(
            _tr("打印通知…"), "print_notice_button", self.print_notice,
            tooltip=_tr("讲座通知：题目、主讲人、时间、地点、参加人员和有关要求"),
        )  # fmt: skip
        self.signin_button = button(
            _tr("打印签到表…"), "print_signin_button", self.print_signin,
            tooltip=_tr("按单位列出应到干部：序号、姓名、单位、职务、签到"),
        )  # fmt: skip
        self.series_title = QLabel()
        self.series_title.setObjectName("series_title")
        self.series_title.setStyleSheet("font-weight:bold;")
        lecture_bar = QHBoxLayout()
        lecture_bar.addWidget(self.series_title, 1)
        for b in (
            self.new_lecture_button,
            self.edit_lecture_button,
            self.delete_lecture_button,
            self.notice_button,
            self.signin_button,
        ):
            lecture_bar.addWidget(b)
        upper = QWidget()
        up = QVBoxLayout(upper)
        up.setContentsMargins(0, 0, 0, 0)
        up.addLayout(lecture_bar)
        up.addWidget(self.lecture_table, 1)
        self.attendance = LectureAttendancePanel()
        self.attendance.changed.connect(self.attendance_changed)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(upper)
        right.addWidget(self.attendance)
        right.setSizes([300, 420])

        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([230, 1030])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)
        self.reload()

    # -- what is chosen ---------------------------------------------------------------------

    def current_series(self) -> lt.SeriesDTO | None:
        return self.series_model.row(self.series_table.currentIndex().row())

    def current_lecture(self) -> lt.LectureDTO | None:
        return self.lecture_model.row(self.lecture_table.currentIndex().row())

    def _select(self, table: object, model: RowsModel, item_id: int | None) -> None:  # type: ignore[type-arg]
        row = model.row_of(item_id) if item_id is not None else None
        if row is None:
            row = 0 if model.rowCount() else None
        if row is None:
            return
        table.selectionModel().setCurrentIndex(  # type: ignore[attr-defined]
            model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def select_series(self, series_id: int) -> None:
        self._select(self.series_table, self.series_model, series_id)

    def select_lecture(self, lecture_id: int) -> None:
        self._select(self.lecture_table, self.lecture_model, lecture_id)

    # -- loading ----------------------------------------------------------------------------

    @Slot()
    def reload(self) -> None:
        keep = self.current_series()
        self.series_model.set_rows(lt.list_series())
        self._select(self.series_table, self.series_model, keep.id if keep else None)
        self.series_changed()

    def series_changed(self) -> None:
        s = self.current_series()
        for b in (self.edit_series_button, self.delete_series_button, self.new_lecture_button):
            b.setEnabled(s is not None)
        if s is None:
            self.series_info.setText(_tr("还没有讲坛，请先新建讲坛（如“领导干部讲坛”）"))
            self.series_title.setText("")
        else:
            self.series_info.setText(
                _tr("主办单位：{org}\n每讲学时：{h}").format(
                    org=s.organiser or "—", h=num(s.hours_per_lecture)
                )
            )
            self.series_title.setText(_tr("《{name}》各讲").format(name=s.name))
        self.reload_lectures()

    @Slot()
    def reload_lectures(self) -> None:
        s = self.current_series()
        keep = self.current_lecture()
        rows = lt.list_lectures(s.id) if s is not None else []
        self.lecture_model.set_rows(rows)
        if keep is not None:
            self._select(self.lecture_table, self.lecture_model, keep.id)
        else:  # the next lecture to come, else the last one held
            upcoming = [x for x in rows if x.status == lt.PLANNED]
            pick = upcoming[0] if upcoming else (rows[-1] if rows else None)
            self._select(self.lecture_table, self.lecture_model, pick.id if pick else None)
        self.lecture_changed()

    @Slot()
    def attendance_changed(self) -> None:
        """Marks or 学时 were stored: re-read the lecture (counts, version) and its grid."""
        self.attendance.lecture = None
        self.reload_lectures()

    def lecture_changed(self) -> None:
        lec = self.current_lecture()
        for b in (
            self.edit_lecture_button,
            self.delete_lecture_button,
            self.notice_button,
            self.signin_button,
        ):
            b.setEnabled(lec is not None)
        if self.attendance.lecture != lec:
            self.attendance.set_lecture(lec)

    # -- series -----------------------------------------------------------------------------

    @Slot()
    def new_series(self) -> lt.SeriesDTO | None:
        saved = SeriesDialog.ask(None, self)
        if saved is not None:
            self.reload()
            self.select_series(saved.id)
        return saved

    @Slot()
    def edit_series(self) -> lt.SeriesDTO | None:
        s = self.current_series()
        if s is None:
            return None
        saved = SeriesDialog.ask(s, self)
        self.reload()  # also after a conflict: show what is stored
        return saved

    @Slot()
    def delete_series(self) -> bool:
        s = self.current_series()
        if s is None:
            return False
        if not messages.ask_yes_no(
            self,
            _tr("删除讲坛"),
            _tr("删除讲坛“{name}”及其全部 {n} 讲和听课登记吗？").format(name=s.name, n=s.lectures),
        ):
            return False
        try:
            lt.delete_series(s.id, expected_version=s.version)
        except ConflictError as e:
            messages.conflict(self, str(e))
        except DomainError as e:
            messages.error(self, str(e), _tr("不能删除讲坛"))
            return False
        self.reload()
        return True

    # -- lectures ---------------------------------------------------------------------------

    @Slot()
    def new_lecture(self) -> lt.LectureDTO | None:
        s = self.current_series()
        if s is None:
            return None
        saved = LectureDialog.ask(s, None, self)
        if saved is not None:
            self.reload_lectures()
            self.select_lecture(saved.id)
        return saved

    @Slot()
    def edit_lecture(self) -> lt.LectureDTO | None:
        s, lec = self.current_series(), self.current_lecture()
        if s is None or lec is None:
            return None
        saved = LectureDialog.ask(s, lec, self)
        self.attendance.lecture = None  # re-read: the audience or 学时 may have changed
        self.reload_lectures()
        return saved

    @Slot()
    def delete_lecture(self) -> bool:
        lec = self.current_lecture()
        if lec is None:
            return False
        if not messages.ask_yes_no(
            self,
            _tr("删除讲座"),
            _tr("删除第{seq}讲《{title}》及其听课登记吗？").format(seq=lec.seq, title=lec.title),
        ):
            return False
        try:
            lt.delete_lecture(lec.id, expected_version=lec.version)
        except ConflictError as e:
            messages.conflict(self, str(e))
        except DomainError as e:
            messages.error(self, str(e), _tr("不能删除讲座"))
            return False
        self.reload_lectures()
        return True

    # -- printing ---------------------------------------------------------------------------

    @Slot()
    def print_notice(self) -> jobs.Job | None:
        lec = self.current_lecture()
        return self.printer.notice(lec) if lec is not None else None

    @Slot()
    def print_signin(self) -> jobs.Job | None:
        lec = self.current_lecture()
        return self.printer.signin(lec) if lec is not None else None
