"""The 考勤与结业 tab: pick a session; a grid of trainees × status (出勤 迟到 早退 请假 旷课)
filled by a click, by 全部出勤, or from the keyboard (1–5 or 出/迟/早/假/旷, on every selected
row); the credited 学时 and the 退学 review flags below; and 结业 (finish_class)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models import training
from models.core.errors import ConflictError, DomainError
from models.core.progress import IsCancelled, Progress
from models.training import SessionDTO, get_class, list_sessions
from models.training import hours as hr
from ui import jobs, messages
from ui.common import Column, RowsModel, num, table_view

STATUS_COLOURS = {
    hr.PRESENT: "#dcfce7",
    hr.LATE: "#fef9c3",
    hr.LEFT_EARLY: "#ffedd5",
    hr.LEAVE: "#dbeafe",
    hr.ABSENT: "#fecaca",
}
KEYS: dict[str, str] = {
    "1": hr.PRESENT,
    "2": hr.LATE,
    "3": hr.LEFT_EARLY,
    "4": hr.LEAVE,
    "5": hr.ABSENT,
    "出": hr.PRESENT,
    "迟": hr.LATE,
    "早": hr.LEFT_EARLY,
    "假": hr.LEAVE,
    "旷": hr.ABSENT,
}
FIRST_STATUS_COLUMN = 3


def _finish(
    class_id: int,
    allow_incomplete: bool,
    version: int | None,
    *,
    progress: Progress,
    cancelled: IsCancelled,
) -> training.FinishResult | DomainError:
    """Job: 结业 of the class (at the version the screen showed) in one transaction; a
    refusal comes back as the DomainError (shown on the GUI thread), any other failure is
    raised."""
    try:
        result: training.FinishResult = jobs.in_one_transaction(
            training.finish_class,
            class_id,
            allow_incomplete=allow_incomplete,
            expected_version=version,
            progress=progress,
            cancelled=cancelled,
        )
    except DomainError as e:
        return e
    return result


def _tr(text: str) -> str:
    return QCoreApplication.translate("AttendanceView", text)


def _mark(status: str) -> Column[training.AttendanceRow]:
    return Column(
        status,
        lambda r: "●" if r.status == status else "",
        centered=True,
        background=lambda r: STATUS_COLOURS[status] if r.status == status else None,
    )


def attendance_columns() -> list[Column[training.AttendanceRow]]:
    return [
        Column(_tr("组别"), lambda r: f"第{r.group_no}组" if r.group_no else "", True),
        Column(_tr("姓名"), lambda r: r.name, True),
        Column(_tr("单位"), lambda r: r.unit_name),
        *(_mark(s) for s in hr.STATUSES),
    ]


def credit_columns() -> list[Column[training.CreditDTO]]:
    review = "#fee2e2"
    return [
        Column(
            _tr("姓名"), lambda c: c.name, True, background=lambda c: review if c.review else None
        ),
        Column(_tr("单位"), lambda c: c.unit_name),
        Column(_tr("课表学时"), lambda c: c.class_hours, True),
        Column(_tr("已得学时"), lambda c: c.credited_hours, True),
        *(Column(s, lambda c, s=s: c.counts.get(s, 0), True) for s in hr.STATUSES),
        Column(
            _tr("请假学时/上限"),
            lambda c: f"{num(c.leave_hours)} / {num(c.leave_limit_hours)}",
            True,
        ),
        Column(_tr("旷课半天"), lambda c: c.absent_half_days, True),
        Column(
            _tr("退学审核"),
            lambda c: "；".join(c.flags),
            foreground=lambda c: "#b91c1c" if c.review else None,
            tooltip=lambda c: "\n".join(c.flags),
        ),
    ]


class AttendanceTable(QTableView):
    """Keyboard entry: 1–5 or 出/迟/早/假/旷 set the status of every selected row."""

    statusKeyed = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        status = KEYS.get(event.text())
        if status is None:
            super().keyPressEvent(event)
            return
        self.statusKeyed.emit(status)
        event.accept()


def session_label(s: SessionDTO) -> str:
    return f"{s.day.isoformat()} {s.slot}  {s.mode}《{s.title}》"


class AttendanceView(QWidget):
    classFinished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attendance_view")
        self.class_id: int | None = None
        self.class_version: int | None = None  # as last read: what 结业 carries
        self.finish_job: jobs.Job | None = None  # the latest 结业 job
        self.sessions: list[SessionDTO] = []
        self.session = QComboBox()
        self.session.setObjectName("session_combo")
        self.session.setMinimumContentsLength(36)
        self.session.currentIndexChanged.connect(lambda _i: self.reload_rows())
        self.all_present = QPushButton(_tr("全部出勤"))
        self.all_present.setObjectName("all_present_button")
        self.all_present.setToolTip(_tr("给还未登记的学员登记出勤；已登记的（如请假）不变"))
        self.all_present.clicked.connect(self.mark_all_present)
        self.finish = QPushButton(_tr("结业…"))
        self.finish.setObjectName("finish_button")
        self.finish.setToolTip(_tr("把每位学员所得学时登记到学时档案，并把班次设为已结业"))
        self.finish.clicked.connect(self.finish_class)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_tr("时段：")))
        bar.addWidget(self.session, 1)
        bar.addWidget(self.all_present)
        bar.addWidget(self.finish)
        hint = QLabel(
            _tr("选中学员后按键登记：1 出勤 2 迟到 3 早退 4 请假 5 旷课（也可按 出 迟 早 假 旷）")
        )
        hint.setStyleSheet("color:#4b5563;")

        self.model: RowsModel[training.AttendanceRow] = RowsModel(
            attendance_columns(), lambda r: r.cadre_id, self
        )
        self.table = AttendanceTable()
        self.table.setObjectName("attendance_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.statusKeyed.connect(self.set_selected_status)
        self.table.clicked.connect(self._clicked)
        self.recorded = QLabel()
        self.recorded.setObjectName("recorded_label")

        self.credit_model: RowsModel[training.CreditDTO] = RowsModel(
            credit_columns(), lambda c: c.cadre_id, self
        )
        self.credits = table_view(
            self.credit_model,
            "credit_table",
            selection=QAbstractItemView.SelectionMode.ExtendedSelection,
            resize=QHeaderView.ResizeMode.ResizeToContents,
            stretch=(1,),
            stretch_last=True,
        )
        self.review = QLabel()
        self.review.setObjectName("review_label")

        upper = QWidget()
        up = QVBoxLayout(upper)
        up.setContentsMargins(0, 0, 0, 0)
        up.addLayout(bar)
        up.addWidget(hint)
        up.addWidget(self.table, 1)
        up.addWidget(self.recorded)
        lower = QWidget()
        low = QVBoxLayout(lower)
        low.setContentsMargins(0, 0, 0, 0)
        low.addWidget(QLabel(_tr("学时与退学审核（全班累计）")))
        low.addWidget(self.credits, 1)
        low.addWidget(self.review)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(lower)
        split.setSizes([420, 260])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(split)

    # -- loading --------------------------------------------------------------------------

    def set_class(self, class_id: int | None) -> None:
        self.class_id = class_id
        self.reload_sessions()

    @Slot()
    def reload_sessions(self) -> None:
        self.setEnabled(self.class_id is not None)
        keep = self.current_session()
        self.sessions = list_sessions(self.class_id) if self.class_id is not None else []
        self.session.blockSignals(True)
        self.session.clear()
        for s in self.sessions:
            self.session.addItem(session_label(s), s.id)
        pick = 0
        if keep is not None:
            pick = next((k for k, s in enumerate(self.sessions) if s.id == keep.id), 0)
        else:  # the latest half-day up to today
            today = dt.date.today()
            past = [k for k, s in enumerate(self.sessions) if s.day <= today]
            pick = past[-1] if past else 0
        self.session.setCurrentIndex(pick if self.sessions else -1)
        self.session.blockSignals(False)
        finished = self.class_id is not None and get_class(self.class_id).status == "已结业"
        self.finish.setText(_tr("重新结业…") if finished else _tr("结业…"))
        self.reload_rows()

    def current_session(self) -> SessionDTO | None:
        k = self.session.currentIndex()
        return self.sessions[k] if 0 <= k < len(self.sessions) else None

    def select_session(self, session_id: int) -> None:
        k = next((k for k, s in enumerate(self.sessions) if s.id == session_id), -1)
        self.session.setCurrentIndex(k)

    def reload_rows(self) -> None:
        s = self.current_session()
        rows = training.session_attendance(s.id) if s is not None else []
        self.model.set_rows(rows)
        done = sum(1 for r in rows if r.status != hr.UNRECORDED)
        self.recorded.setText(
            _tr("本时段已登记 {done} / {n} 人").format(done=done, n=len(rows)) if s else ""
        )
        self.reload_credits()

    def reload_credits(self) -> None:
        cls = get_class(self.class_id) if self.class_id is not None else None
        self.class_version = cls.version if cls is not None else None  # 结业 carries it
        credits = training.class_credits(self.class_id) if self.class_id is not None else []
        self.credit_model.set_rows(credits)
        flagged = [c for c in credits if c.review]
        if flagged:
            self.review.setText(
                _tr("需退学审核 {n} 人：{names}").format(
                    n=len(flagged), names="、".join(c.name for c in flagged)
                )
            )
            self.review.setStyleSheet("color:#b91c1c; font-weight:bold;")
        else:
            self.review.setText(_tr("没有需要退学审核的学员"))
            self.review.setStyleSheet("color:#15803d;")

    # -- entry ----------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [cid for r in rows if (cid := self.model.id_at(r)) is not None]

    def shown_versions(self, cadre_ids: Sequence[int] | None = None) -> dict[int, int]:
        """cadre id → the version of the attendance record this screen shows (0: 未登记)."""
        wanted = None if cadre_ids is None else set(cadre_ids)
        return {
            r.cadre_id: r.version for r in self.model.rows if wanted is None or r.cadre_id in wanted
        }

    def _conflict(self, error: ConflictError) -> None:
        """Someone else recorded or changed attendance meanwhile: say who, when and what it
        is now, and show what is stored."""
        messages.conflict(self, str(error))
        self.reload_sessions()

    def set_status(self, cadre_ids: Sequence[int], status: str) -> bool:
        s = self.current_session()
        if s is None or not cadre_ids:
            return False
        try:
            training.record_attendance(
                s.id,
                dict.fromkeys(cadre_ids, status),
                expected_versions=self.shown_versions(cadre_ids),
            )
        except ConflictError as e:
            self._conflict(e)
            return False
        except DomainError as e:
            messages.error(self, str(e), _tr("不能登记考勤"))
            return False
        current = self.table.currentIndex()
        self.reload_rows()
        if len(cadre_ids) == 1 and current.isValid():  # keyboard entry walks down the list
            below = min(current.row() + 1, self.model.rowCount() - 1)
            self.table.setCurrentIndex(self.model.index(below, current.column()))
        else:
            for cid in cadre_ids:
                row = self.model.row_of(cid)
                if row is not None:
                    self.table.selectRow(row)
        return True

    @Slot(str)
    def set_selected_status(self, status: str) -> None:
        self.set_status(self.selected_ids(), status)

    @Slot(QModelIndex)
    def _clicked(self, index: QModelIndex) -> None:
        k = index.column() - FIRST_STATUS_COLUMN
        cid = self.model.id_at(index.row())
        if 0 <= k < len(hr.STATUSES) and cid is not None:
            self.set_status([cid], hr.STATUSES[k])

    @Slot()
    def mark_all_present(self) -> int:
        s = self.current_session()
        if s is None:
            return 0
        try:
            n = training.mark_all_present(s.id, expected_versions=self.shown_versions())
        except ConflictError as e:
            self._conflict(e)
            return 0
        except DomainError as e:
            messages.error(self, str(e), _tr("不能登记考勤"))
            return 0
        self.reload_rows()
        return n

    # -- 结业 -----------------------------------------------------------------------------

    @Slot()
    def finish_class(self) -> jobs.Job | None:
        """结业 after the user confirms: the ledger is written in the background (one
        transaction; 取消 before it commits writes nothing). Returns the job, or None when
        the user declined."""
        if self.class_id is None:
            return None
        name = get_class(self.class_id).name
        if not messages.ask_yes_no(
            self,
            _tr("结业"),
            _tr(
                "班次《{name}》结业：各学员所得学时将登记到学时档案，班次设为已结业。继续吗？"
            ).format(name=name),
        ):
            return None
        return self._run_finish(self.class_id, allow_incomplete=False)

    def _run_finish(self, class_id: int, *, allow_incomplete: bool) -> jobs.Job:
        self.finish.setEnabled(False)
        job = jobs.runner().run(
            _finish,
            class_id,
            allow_incomplete,
            self.class_version,
            title=_tr("结业"),
            parent_widget=self,
            on_success=lambda outcome: self._finished(class_id, allow_incomplete, outcome),
        )
        self.finish_job = job
        job.finished.connect(lambda: self._finish_job_ended(job))
        return job

    def _finish_job_ended(self, job: jobs.Job) -> None:
        if self.finish_job is job:  # not followed by the 考勤未登记完 retry
            self.finish.setEnabled(True)

    def _finished(
        self, class_id: int, allow_incomplete: bool, outcome: training.FinishResult | DomainError
    ) -> None:
        if isinstance(outcome, training.IncompleteAttendance) and not allow_incomplete:
            if messages.ask_yes_no(
                self,
                _tr("考勤未登记完"),
                str(outcome) + _tr("\n\n仍要结业吗？未登记的时段不计学时。"),
            ):
                self._run_finish(class_id, allow_incomplete=True)
            return
        if isinstance(outcome, ConflictError):
            self._conflict(outcome)
            return
        if isinstance(outcome, DomainError):
            messages.error(self, str(outcome), _tr("不能结业"))
            return
        text = _tr("已登记 {n} 条学时记录，共 {h} 学时。").format(
            n=outcome.entries, h=num(outcome.total_hours)
        )
        if outcome.review:
            text += _tr("\n需退学审核：{names}").format(
                names="、".join(r.name for r in outcome.review)
            )
        messages.info(self, _tr("已结业"), text)
        self.reload_sessions()
        self.classFinished.emit()
