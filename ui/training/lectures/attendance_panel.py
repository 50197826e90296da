"""听课登记 of the lecture chosen on the 讲坛 screen: a grid of the cadres it expects × 出勤 /
请假 / 缺席, filled by a click, by 全部出勤, or from the keyboard (1–3 or 出/假/缺, on every
selected row); 登记学时 writes the ledger (again: brings it up to date), 撤销学时登记 takes
it out. After 登记学时 every change asks for the reason of the correction."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QModelIndex, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.core.errors import ConflictError, DomainError
from models.core.progress import IsCancelled, Progress
from models.training import lectures as lt
from ui import jobs, messages
from ui.common import Column, RowsModel, button, num, selected_ids, shown_versions, step_down

STATUS_COLOURS = {lt.ATTENDED: "#dcfce7", lt.EXCUSED: "#dbeafe", lt.ABSENT: "#fecaca"}
KEYS: dict[str, str] = {
    "1": lt.ATTENDED,
    "2": lt.EXCUSED,
    "3": lt.ABSENT,
    "出": lt.ATTENDED,
    "假": lt.EXCUSED,
    "缺": lt.ABSENT,
}
FIRST_STATUS_COLUMN = 4


def _tr(text: str) -> str:
    return QCoreApplication.translate("LectureAttendance", text)


def _credit(
    lecture_id: int,
    allow_incomplete: bool,
    version: int | None,
    *,
    progress: Progress,
    cancelled: IsCancelled,
) -> lt.LectureCreditResult | DomainError:
    """Job: 登记学时 of the lecture (at the version the screen showed) in one transaction; a
    refusal comes back as the DomainError (shown on the GUI thread), any other failure is
    raised."""
    try:
        result: lt.LectureCreditResult = jobs.in_one_transaction(
            lt.credit_lecture,
            lecture_id,
            allow_incomplete=allow_incomplete,
            expected_version=version,
            progress=progress,
            cancelled=cancelled,
        )
    except DomainError as e:
        return e
    return result


def _mark(status: str) -> Column[lt.LectureAttendanceRow]:
    return Column(
        status,
        lambda r: "●" if r.status == status else "",
        centered=True,
        background=lambda r: STATUS_COLOURS[status] if r.status == status else None,
    )


def attendance_columns() -> list[Column[lt.LectureAttendanceRow]]:
    return [
        Column(_tr("单位"), lambda r: r.unit_name),
        Column(_tr("姓名"), lambda r: r.name, True),
        Column(_tr("职务"), lambda r: r.post),
        Column(_tr("层次/职级"), lambda r: r.level, True),
        *(_mark(s) for s in lt.ATTENDANCE_STATUSES),
        Column(
            _tr("备注"),
            lambda r: (
                r.note
                if r.expected
                else _tr("不在当前听课范围") + (f"；{r.note}" if r.note else "")
            ),
            foreground=lambda r: None if r.expected else "#b45309",
        ),
    ]


class MarkTable(QTableView):
    """Keyboard entry: 1–3 or 出/假/缺 mark every selected row."""

    statusKeyed = Signal(str)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        status = KEYS.get(event.text())
        if status is None:
            super().keyPressEvent(event)
            return
        self.statusKeyed.emit(status)
        event.accept()


class LectureAttendancePanel(QWidget):
    """The grid and its buttons; ``changed`` fires after anything was stored."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lecture_attendance_panel")
        self.lecture: lt.LectureDTO | None = None
        self.credit_job: jobs.Job | None = None  # the latest 登记学时 job
        self.last_credit: lt.LectureCreditResult | None = None
        self.title = QLabel()
        self.title.setObjectName("lecture_attendance_title")
        self.title.setWordWrap(True)
        self.all_present = button(
            _tr("全部出勤"), "lecture_all_present", self.mark_all,
            tooltip=_tr("给还未登记的干部登记出勤；已登记的（如请假）不变"),
        )  # fmt: skip
        self.credit_button = button(
            _tr("登记学时"), "lecture_credit", self.credit,
            tooltip=_tr("讲座举办后，把出勤干部的学时登记到学时档案（已登记的只更新差异，不会重复）"),
        )  # fmt: skip
        self.uncredit_button = button(
            _tr("撤销学时登记…"), "lecture_uncredit", self.uncredit,
            tooltip=_tr("误登时使用：撤销本讲登记到学时档案的学时，须说明原因"),
        )  # fmt: skip
        bar = QHBoxLayout()
        bar.addWidget(self.title, 1)
        bar.addWidget(self.all_present)
        bar.addWidget(self.credit_button)
        bar.addWidget(self.uncredit_button)
        hint = QLabel(_tr("选中干部后按键登记：1 出勤 2 请假 3 缺席（也可按 出 假 缺）"))
        hint.setStyleSheet("color:#4b5563;")
        self.model: RowsModel[lt.LectureAttendanceRow] = RowsModel(
            attendance_columns(), lambda r: r.cadre_id, self
        )
        self.table = MarkTable()
        self.table.setObjectName("lecture_attendance_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(len(self.model.headers()) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.statusKeyed.connect(self.set_selected_status)
        self.table.clicked.connect(self._clicked)
        self.counts = QLabel()
        self.counts.setObjectName("lecture_counts")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.counts)
        self.set_lecture(None)

    # -- loading ----------------------------------------------------------------------------

    def set_lecture(self, lecture: lt.LectureDTO | None) -> None:
        self.lecture = lecture
        self.reload()

    def reload(self) -> None:
        lec = self.lecture
        rows = lt.lecture_attendance(lec.id) if lec is not None else []
        self.model.set_rows(rows)
        held = lec is not None and lec.status == lt.HELD
        for w in (self.all_present, self.credit_button, self.table):
            w.setEnabled(lec is not None)
        self.uncredit_button.setEnabled(held)
        self.credit_button.setText(_tr("重新登记学时") if held else _tr("登记学时"))
        if lec is None:
            self.title.setText(_tr("在上面选一讲，登记听课情况"))
            self.counts.setText("")
            return
        state = (
            _tr("已登记学时，每人 {h} 学时；更改听课情况须说明更正原因").format(
                h=num(lec.credit_hours)
            )
            if held
            else _tr("尚未登记学时（每人 {h} 学时）").format(h=num(lec.credit_hours))
        )
        self.title.setText(
            _tr("第{seq}讲《{title}》 {day}　{state}").format(
                seq=lec.seq, title=lec.title, day=lec.day.isoformat(), state=state
            )
        )
        self.title.setStyleSheet("color:#15803d;" if held else "")
        count = {
            s: sum(1 for r in rows if r.status == s)
            for s in (*lt.ATTENDANCE_STATUSES, lt.UNRECORDED)
        }
        expected = sum(1 for r in rows if r.expected)
        self.counts.setText(
            _tr("应到 {n} 人：出勤 {a}，请假 {e}，缺席 {b}，未登记 {u}").format(
                n=expected,
                a=count[lt.ATTENDED],
                e=count[lt.EXCUSED],
                b=count[lt.ABSENT],
                u=count[lt.UNRECORDED],
            )
        )

    def shown_versions(self, cadre_ids: Sequence[int] | None = None) -> dict[int, int]:
        """cadre id → the version of the record this screen shows (0: 未登记)."""
        return shown_versions(self.model.rows, cadre_ids)

    def _after(self) -> None:
        self.changed.emit()  # the screen re-reads the lecture (counts, version) and this grid

    def _conflict(self, error: ConflictError) -> None:
        messages.conflict(self, str(error))
        self._after()

    def _correction_reason(self) -> str | None:
        """After 登记学时 a change corrects the ledger: ask why ('' when not needed)."""
        if self.lecture is None or self.lecture.status != lt.HELD:
            return ""
        reason = messages.ask_text(
            self,
            _tr("更正听课情况"),
            _tr("本讲已登记学时，更改将同时更正学时档案。请填写更正原因："),
        )
        if reason is not None and not reason.strip():
            messages.error(self, _tr("没有填写更正原因，未作更改"), _tr("更正听课情况"))
            return None
        return reason

    # -- marks ------------------------------------------------------------------------------

    def set_status(self, cadre_ids: Sequence[int], status: str) -> bool:
        lec = self.lecture
        if lec is None or not cadre_ids:
            return False
        reason = self._correction_reason()
        if reason is None:
            return False
        try:
            lt.record_lecture_attendance(
                lec.id,
                dict.fromkeys(cadre_ids, status),
                reason=reason,
                expected_versions=self.shown_versions(cadre_ids),
            )
        except ConflictError as e:
            self._conflict(e)
            return False
        except DomainError as e:
            messages.error(self, str(e), _tr("不能登记听课情况"))
            return False
        current = self.table.currentIndex()
        self._after()
        if len(cadre_ids) == 1:  # keyboard entry walks down the list
            step_down(self.table, self.model, current)
        return True

    def selected_ids(self) -> list[int]:
        return selected_ids(self.table, self.model)

    @Slot(str)
    def set_selected_status(self, status: str) -> None:
        self.set_status(self.selected_ids(), status)

    @Slot(QModelIndex)
    def _clicked(self, index: QModelIndex) -> None:
        k = index.column() - FIRST_STATUS_COLUMN
        cid = self.model.id_at(index.row())
        if 0 <= k < len(lt.ATTENDANCE_STATUSES) and cid is not None:
            self.set_status([cid], lt.ATTENDANCE_STATUSES[k])

    @Slot()
    def mark_all(self) -> int:
        lec = self.lecture
        if lec is None:
            return 0
        reason = self._correction_reason()
        if reason is None:
            return 0
        try:
            n = lt.mark_all_attended(lec.id, reason=reason, expected_versions=self.shown_versions())
        except ConflictError as e:
            self._conflict(e)
            return 0
        except DomainError as e:
            messages.error(self, str(e), _tr("不能登记听课情况"))
            return 0
        self._after()
        return n

    # -- 学时 -------------------------------------------------------------------------------

    @Slot()
    def credit(self) -> jobs.Job | None:
        """登记学时 after the user confirms, in the background (one transaction; 取消 before
        it commits writes nothing). When some expected cadres are still 未登记, asks whether
        to go on (they earn nothing). Returns the job, or None when the user declined."""
        lec = self.lecture
        if lec is None:
            return None
        if not messages.ask_yes_no(
            self,
            _tr("登记学时"),
            _tr("把第{seq}讲《{title}》出勤干部的学时（每人 {h} 学时）登记到学时档案吗？").format(
                seq=lec.seq, title=lec.title, h=num(lec.credit_hours)
            ),
        ):
            return None
        return self._run_credit(lec, allow_incomplete=False)

    def _run_credit(self, lec: lt.LectureDTO, *, allow_incomplete: bool) -> jobs.Job:
        self.credit_button.setEnabled(False)
        job = jobs.runner().run(
            _credit, lec.id, allow_incomplete, lec.version,
            title=_tr("登记学时"), parent_widget=self,
            on_success=lambda outcome: self._credited(lec, allow_incomplete, outcome),
        )  # fmt: skip
        self.credit_job = job
        job.finished.connect(lambda: self._credit_job_ended(job))
        return job

    def _credit_job_ended(self, job: jobs.Job) -> None:
        if self.credit_job is job:  # not followed by the 未登记完 retry
            self.credit_button.setEnabled(self.lecture is not None)

    def _credited(
        self,
        lec: lt.LectureDTO,
        allow_incomplete: bool,
        outcome: lt.LectureCreditResult | DomainError,
    ) -> None:
        if isinstance(outcome, lt.IncompleteLectureAttendance) and not allow_incomplete:
            if messages.ask_yes_no(
                self,
                _tr("听课情况未登记完"),
                str(outcome) + _tr("\n\n仍要登记吗？未登记的干部不计学时。"),
            ):
                self._run_credit(lec, allow_incomplete=True)
            return
        if isinstance(outcome, ConflictError):
            self._conflict(outcome)
            return
        if isinstance(outcome, DomainError):
            messages.error(self, str(outcome), _tr("不能登记学时"))
            return
        self.last_credit = outcome
        messages.info(
            self,
            _tr("已登记学时"),
            _tr("本讲共 {n} 人计学时，合计 {h} 学时（新登记 {a} 条，撤下 {r} 条）。").format(
                n=outcome.entries, h=num(outcome.total_hours), a=outcome.added, r=outcome.removed
            ),
        )
        self._after()

    @Slot()
    def uncredit(self) -> lt.LedgerSync | None:
        lec = self.lecture
        if lec is None:
            return None
        reason = messages.ask_text(
            self,
            _tr("撤销学时登记"),
            _tr("撤销第{seq}讲《{title}》登记的学时，请填写原因：").format(
                seq=lec.seq, title=lec.title
            ),
        )
        if reason is None:
            return None
        try:
            done = lt.uncredit_lecture(lec.id, reason=reason, expected_version=lec.version)
        except ConflictError as e:
            self._conflict(e)
            return None
        except DomainError as e:
            messages.error(self, str(e), _tr("不能撤销学时登记"))
            return None
        self._after()
        return done
