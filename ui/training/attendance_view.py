"""The 考勤与结业 tab: pick a session; a grid of trainees × status (出勤 迟到 早退 请假 旷课)
filled by a click, by 全部出勤, or from the keyboard (1–5 or 出/迟/早/假/旷, on every selected
row); the credited 学时 and the 退学 review flags below; and 结业 (finish_class), which asks
for a reason before the end date. After 结业 the grid is read-only: a mistake is put right
by 更正… (one trainee, the new status and a reason), which updates the 学时档案 at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models import training
from models.core.errors import ConflictError, DomainError
from models.core.progress import IsCancelled, Progress
from models.training import AttendanceRow, SessionDTO, get_class, list_sessions
from models.training import hours as hr
from ui import jobs, messages
from ui.common import Column, RowsModel, button, num, ok_button, ok_cancel, table_view
from ui.common.mark_grid import selected_ids, shown_versions, step_down
from ui.common.send_results import send_class_results

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
    reason: str,
    today: dt.date | None,
    *,
    progress: Progress,
    cancelled: IsCancelled,
) -> training.FinishResult | DomainError:
    """Job: 结业 of the class (at the version the screen showed, with the early-close
    ``reason``) in one transaction; a refusal comes back as the DomainError (shown on the
    GUI thread), any other failure is raised."""
    try:
        result: training.FinishResult = jobs.in_one_transaction(
            training.finish_class,
            class_id,
            allow_incomplete=allow_incomplete,
            expected_version=version,
            reason=reason,
            today=today,
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


class CorrectionDialog(QDialog):
    """更正 after 结业: one trainee's new status for one half-day, and the reason (required)."""

    def __init__(self, row: AttendanceRow, where: str, status: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("correction_dialog")
        self.setWindowTitle(_tr("更正考勤"))
        self.current = row.status
        self.status = QComboBox()
        self.status.setObjectName("correction_status")
        self.status.addItems(list(hr.STATUSES))
        others = [x for x in hr.STATUSES if x != row.status]
        self.status.setCurrentText(status if status in hr.STATUSES else others[0])
        self.reason = QLineEdit()
        self.reason.setObjectName("correction_reason")
        self.reason.setPlaceholderText(_tr("必填，如：补交假条后核实为请假"))
        self.reason.setMinimumWidth(320)
        note = QLabel(_tr("更正后该学员本班学时重新计算，学时档案同步更新；原因记入修改记录。"))
        note.setStyleSheet("color:#4b5563;")
        form = QFormLayout(self)
        form.addRow(_tr("学员"), QLabel(f"{row.name}（{row.unit_name}）"))
        form.addRow(_tr("时段"), QLabel(where))
        form.addRow(_tr("现登记为"), QLabel(row.status))
        form.addRow(_tr("更正为"), self.status)
        form.addRow(_tr("更正原因"), self.reason)
        form.addRow(note)
        self.buttons = ok_cancel(self, ok_enabled=False)
        form.addRow(self.buttons)
        self.status.currentTextChanged.connect(lambda _t: self._check())
        self.reason.textChanged.connect(lambda _t: self._check())
        self._check()

    def _check(self) -> None:
        """确定 only with a reason and a status other than the one recorded."""
        ok = bool(self.reason.text().strip()) and self.status.currentText() != self.current
        ok_button(self.buttons).setEnabled(ok)

    @classmethod
    def ask(
        cls, row: AttendanceRow, where: str, status: str, parent: QWidget
    ) -> tuple[str, str] | None:
        """(new status, reason), or None when the user cancels."""
        dlg = cls(row, where, status, parent)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        return dlg.status.currentText(), dlg.reason.text().strip()


class AttendanceView(QWidget):
    classFinished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attendance_view")
        self.class_id: int | None = None
        self.class_version: int | None = None  # as last read: what 结业 carries
        self.closed = False  # 已结业: the grid is read-only, 更正… is the way to change it
        self.today: dt.date | None = None  # the day 结业 is checked against (None: the computer's)
        self.finish_job: jobs.Job | None = None  # the latest 结业 job
        self.sessions: list[SessionDTO] = []
        self.session = QComboBox()
        self.session.setObjectName("session_combo")
        self.session.setMinimumContentsLength(36)
        self.session.currentIndexChanged.connect(lambda _i: self.reload_rows())
        self.all_present = button(
            _tr("全部出勤"),
            "all_present_button",
            self.mark_all_present,
            tooltip=_tr("给还未登记的学员登记出勤；已登记的（如请假）不变"),
        )
        self.finish = button(_tr("结业…"), "finish_button", self.finish_class)
        self.correct = button(
            _tr("更正…"),
            "correct_button",
            self.correct_selected,
            tooltip=_tr("结业后更正选中学员本时段的考勤（须写明原因），学时档案同步更新"),
        )
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_tr("时段：")))
        bar.addWidget(self.session, 1)
        bar.addWidget(self.all_present)
        bar.addWidget(self.correct)
        bar.addWidget(self.finish)
        self.send = button(_tr("发送学时到组织部…"), "send_results_button", self.send_results)
        bar.addWidget(self.send)
        self.hint = QLabel()
        self.hint.setObjectName("attendance_hint")
        self.hint.setWordWrap(True)

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
        up.addWidget(self.hint)
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
            today = self.today or dt.date.today()
            past = [k for k, s in enumerate(self.sessions) if s.day <= today]
            pick = past[-1] if past else 0
        self.session.setCurrentIndex(pick if self.sessions else -1)
        self.session.blockSignals(False)
        self.update_state()
        self.reload_rows()

    def send_results(self) -> jobs.Job | None:
        c = training.get_class(self.class_id) if self.class_id is not None else None
        return send_class_results(self, c.id, c.name) if c is not None else None

    def update_state(self) -> None:
        """Buttons and the hint as the class's status allows: 结业 once, while in progress;
        after it the grid is read-only and 更正… is offered."""
        life = training.class_lifecycle(self.class_id) if self.class_id is not None else None
        status = life.status if life is not None else ""
        self.closed = life is not None and life.closed
        self.all_present.setEnabled(not self.closed)
        self.correct.setEnabled(self.closed)
        self.finish.setEnabled(status == "进行中")
        self.send.setEnabled(status == "已结业")
        tips = {"筹备": _tr("尚未开班：请先在班次列表中开班"), "已结业": _tr("本班{when}")}
        tip = tips.get(status, _tr("把每位学员所得学时登记到学时档案，并把班次设为已结业"))
        self.finish.setToolTip(tip.format(when=life.closed_text if life else ""))
        text = _tr(
            "选中学员后按键登记：1 出勤 2 迟到 3 早退 4 请假 5 旷课（也可按 出 迟 早 假 旷）"
        )
        style = "color:#4b5563;"
        if life is not None and life.closed:
            why = life.close_reason and _tr("（提前结业：{r}）").format(r=life.close_reason)
            text = _tr(
                "本班{when}{why}，考勤只读。登记有误时，选中学员后点“更正…”（或点要改成的状态格），"
                "写明原因；该学员的学时档案同步更新。"
            ).format(when=life.closed_text, why=why)
            style = "color:#92400e; font-weight:bold;"
        self.hint.setText(text)
        self.hint.setStyleSheet(style)

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
        return selected_ids(self.table, self.model)

    def shown_versions(self, cadre_ids: Sequence[int] | None = None) -> dict[int, int]:
        """cadre id → the version of the attendance record this screen shows (0: 未登记)."""
        return shown_versions(self.model.rows, cadre_ids)

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
            step_down(self.table, self.model, current)
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
        row = self.model.row(index.row())
        if not 0 <= k < len(hr.STATUSES) or row is None:
            return
        if self.closed:  # read-only: a click on a status only proposes it as a 更正
            if row.status != hr.STATUSES[k]:
                self.correct_row(row, hr.STATUSES[k])
            return
        self.set_status([row.cadre_id], hr.STATUSES[k])

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

    # -- 更正 -----------------------------------------------------------------------------

    @Slot()
    def correct_selected(self) -> training.CorrectionResult | None:
        """更正… for the selected trainee (one at a time: each has their own reason)."""
        ids = self.selected_ids()
        row = self.model.row(self.model.row_of(ids[0])) if len(ids) == 1 else None
        if row is None:
            messages.error(self, _tr("请先在表中选中一名学员，再点“更正…”"), _tr("更正考勤"))
            return None
        return self.correct_row(row)

    def correct_row(
        self, row: training.AttendanceRow, status: str = ""
    ) -> training.CorrectionResult | None:
        """Ask for the new status and the reason, then 更正; None when cancelled or refused."""
        s = self.current_session()
        if s is None:
            return None
        answer = CorrectionDialog.ask(row, session_label(s), status, self)
        if answer is None:
            return None
        try:
            done = training.correct_attendance(
                s.id, row.cadre_id, answer[0], answer[1], expected_version=row.version
            )
        except ConflictError as e:
            self._conflict(e)
            return None
        except DomainError as e:
            messages.error(self, str(e), _tr("不能更正考勤"))
            return None
        self.reload_rows()
        messages.info(
            self,
            _tr("已更正"),
            _tr(
                "学员“{name}”{when}：{old} → {new}。\n本班学时 {before} → {after}，"
                "学时档案已同步更新。"
            ).format(
                name=row.name,
                when=session_label(s),
                old=done.old_status,
                new=done.row.status,
                before=num(done.hours_before),
                after=num(done.hours_after),
            ),
        )
        return done

    # -- 结业 -----------------------------------------------------------------------------

    @Slot()
    def finish_class(self) -> jobs.Job | None:
        """结业 after the user confirms (and, before the end date, gives the reason): the
        ledger is written in the background (one transaction; 取消 before it commits writes
        nothing). Returns the job, or None when the user declined."""
        if self.class_id is None:
            return None
        c = get_class(self.class_id)
        today = self.today or dt.date.today()
        reason = ""
        if today < c.end:
            text = messages.ask_text(
                self,
                _tr("提前结业"),
                _tr(
                    "班次《{name}》的结业日期为 {end}，今天是 {today}。\n"
                    "提前结业须写明原因（记入班次和修改记录）："
                ).format(name=c.name, end=c.end.isoformat(), today=today.isoformat()),
            )
            if text is None:
                return None
            reason = text.strip()
            if not reason:
                messages.error(self, _tr("提前结业须写明原因"), _tr("不能结业"))
                return None
        if not messages.ask_yes_no(
            self,
            _tr("结业"),
            _tr(
                "班次《{name}》结业：各学员所得学时将登记到学时档案，班次设为已结业。"
                "结业后考勤只能逐条更正。继续吗？"
            ).format(name=c.name),
        ):
            return None
        return self._run_finish(self.class_id, allow_incomplete=False, reason=reason)

    def _run_finish(self, class_id: int, *, allow_incomplete: bool, reason: str = "") -> jobs.Job:
        self.finish.setEnabled(False)
        job = jobs.runner().run(
            _finish,
            class_id,
            allow_incomplete,
            self.class_version,
            reason,
            self.today,
            title=_tr("结业"),
            parent_widget=self,
            on_success=lambda outcome: self._finished(class_id, allow_incomplete, outcome, reason),
        )
        self.finish_job = job
        job.finished.connect(lambda: self._finish_job_ended(job))
        return job

    def _finish_job_ended(self, job: jobs.Job) -> None:
        if self.finish_job is job:  # not followed by the 考勤未登记完 retry
            self.update_state()

    def _finished(
        self,
        class_id: int,
        allow_incomplete: bool,
        outcome: training.FinishResult | DomainError,
        reason: str = "",
    ) -> None:
        if isinstance(outcome, training.IncompleteAttendance) and not allow_incomplete:
            if messages.ask_yes_no(
                self,
                _tr("考勤未登记完"),
                str(outcome) + _tr("\n\n仍要结业吗？未登记的时段不计学时。"),
            ):
                self._run_finish(class_id, allow_incomplete=True, reason=reason)
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
