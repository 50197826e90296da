"""反馈与指导 tab of 年度考核 (一项指导): after the results are approved, the 反馈与指导 talk
with each cadre is recorded here and printed as the 考核结果反馈表.

Left: the round's members (of the selected unit) with their grade and whether they have had
their feedback (已反馈 / 未反馈 / 结果未审定), with 只看未反馈 to work through who is left.
Right: the selected person's record — when, where, by whom, the form of the feedback, the
strengths, shortcomings, points to improve and the cadre's own response. 保存 goes through
models.assessment.save_feedback with the version the form showed: a change by someone else
meanwhile is refused naming who and when, and the tab reads it again. 打印反馈表 writes the
forms of the approved people (filled in, or blank to fill by hand) as PDF, or the list as
xlsx, in the background."""

from __future__ import annotations

import datetime as dt
from functools import partial

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models.assessment import (
    FEEDBACK_FORMS,
    KIND_ANNUAL,
    FeedbackInput,
    FeedbackRow,
    RoundDTO,
    delete_feedback,
    feedback_list,
    save_feedback,
)
from models.core.errors import ConflictError, DomainError
from ui import jobs, messages
from ui.common import Column, RowsModel, button, export_file, last_export_folder, table_view

BOXES = (
    ("strengths", "主要优点"),
    ("shortcomings", "存在不足"),
    ("improvements", "改进方向和指导意见"),
    ("response", "本人意见"),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("AssessmentFeedback", text)


def _columns() -> list[Column[FeedbackRow]]:
    def day(r: FeedbackRow) -> str:
        return f"{r.feedback.talk_date:%Y-%m-%d}" if r.feedback else ""

    return [
        Column(_tr("姓名"), lambda r: r.name),
        Column(_tr("单位"), lambda r: r.unit_name),
        Column(_tr("考核等次"), lambda r: r.grade or _tr("未定"), centered=True),
        Column(_tr("反馈情况"), lambda r: r.status, centered=True),
        Column(_tr("谈话时间"), day, centered=True),
        Column(_tr("谈话人"), lambda r: r.feedback.talker if r.feedback else ""),
    ]


class FeedbackView(QWidget):
    """The 反馈与指导 tab."""

    changed = Signal()  # a record was saved or deleted

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assessment_feedback")
        self.round: RoundDTO | None = None
        self.unit_id: int | None = None
        self.rows: list[FeedbackRow] = []
        self._loading: tuple[int, int | None] | None = None  # the list read in the background
        self.list_job: jobs.Job | None = None

        self.missing_only = QCheckBox(_tr("只看未反馈"))
        self.missing_only.setObjectName("feedback_missing_only")
        self.missing_only.toggled.connect(lambda _on: self._show_rows())
        self.count_label = QLabel()
        self.count_label.setObjectName("feedback_counts")
        self.print_button = button(_tr("打印反馈表…"), "feedback_print", self.print_forms)
        self.list_button = button(_tr("导出反馈名单…"), "feedback_export", self.export_list)
        bar = QHBoxLayout()
        bar.addWidget(self.missing_only)
        bar.addWidget(self.count_label, 1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.list_button)

        self.model: RowsModel[FeedbackRow] = RowsModel(_columns(), lambda r: r.cadre_id, self)
        self.table = table_view(
            self.model,
            "feedback_people",
            read_only=True,
            row_numbers=False,
            row_padding=8,
            stretch_last=True,
        )
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_person())

        self.person_label = QLabel()
        self.person_label.setObjectName("feedback_person")
        self.person_label.setWordWrap(True)
        self.day = QDateEdit()
        self.day.setObjectName("feedback_date")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.place = QLineEdit()
        self.place.setObjectName("feedback_place")
        self.talker = QLineEdit()
        self.talker.setObjectName("feedback_talker")
        self.talker.setPlaceholderText(_tr("姓名和职务，如：王建国（市委组织部副部长）"))
        self.form_kind = QComboBox()
        self.form_kind.setObjectName("feedback_form")
        self.form_kind.addItems(FEEDBACK_FORMS)
        self.boxes: dict[str, QPlainTextEdit] = {}
        form = QFormLayout()
        form.addRow(_tr("谈话时间"), self.day)
        form.addRow(_tr("谈话地点"), self.place)
        form.addRow(_tr("谈话人"), self.talker)
        form.addRow(_tr("反馈形式"), self.form_kind)
        for name, label in BOXES:
            box = QPlainTextEdit()
            box.setObjectName(f"feedback_{name}")
            box.setTabChangesFocus(True)
            self.boxes[name] = box
            form.addRow(_tr(label), box)
        self.save_button = button(_tr("保存"), "feedback_save", self.save)
        self.delete_button = button(_tr("删除记录…"), "feedback_delete", self.delete)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.delete_button)
        actions.addWidget(self.save_button)
        self.editor = QWidget()
        right = QVBoxLayout(self.editor)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.person_label)
        right.addLayout(form, 1)
        right.addLayout(actions)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.editor)
        split.setSizes([620, 640])
        self.note = QLabel()
        self.note.setObjectName("feedback_note")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.note)
        layout.addWidget(split, 1)
        self._show_person()

    # -- contents -------------------------------------------------------------------------

    def set_round(self, rnd: RoundDTO | None, unit_id: int | None) -> None:
        self.round, self.unit_id = rnd, unit_id
        self.refresh()

    def refresh(self) -> None:
        """Read the list again; a big round's (more than jobs.BACKGROUND_ROWS members) on the
        worker thread, the tab usable meanwhile and saying so."""
        keep = self.current()
        keep_id = keep.cadre_id if keep else None
        annual = self.round is not None and self.round.kind == KIND_ANNUAL
        self._loading = None
        if not annual or self.round is None or self.round.members <= jobs.BACKGROUND_ROWS:
            rows = feedback_list(self.round.id, self.unit_id) if annual and self.round else []
            self._show_list(rows, keep_id)
            return
        key = self._loading = (self.round.id, self.unit_id)
        self.count_label.setText(_tr("正在读取 {n} 人的反馈情况…").format(n=self.round.members))
        self.print_button.setEnabled(False)
        self.list_button.setEnabled(False)

        def read(**_progress_and_cancel: object) -> list[FeedbackRow]:
            return feedback_list(*key)

        def show(rows: list[FeedbackRow]) -> None:
            if self._loading == key:  # not another round or unit chosen meanwhile
                self._loading = None
                self._show_list(rows, keep_id)

        self.list_job = jobs.runner().run(
            read, title=_tr("读取反馈情况"), parent_widget=self, on_success=show, quiet=True
        )

    def _show_list(self, rows: list[FeedbackRow], keep: int | None) -> None:
        annual = self.round is not None and self.round.kind == KIND_ANNUAL
        self.rows = rows
        approved = [r for r in self.rows if r.approved]
        done = sum(1 for r in approved if r.feedback is not None)
        self.count_label.setText(
            _tr("已审定 {n} 人：已反馈 {done} 人，未反馈 {left} 人").format(
                n=len(approved), done=done, left=len(approved) - done
            )
        )
        if not annual:
            note = _tr("平时考核不做结果反馈；请选择年度考核轮次。") if self.round else ""
        elif not approved:
            note = _tr(
                "本范围还没有审定的考核结果：整轮审定，或在“结果汇总”中审定某个考核范围后，"
                "再登记反馈与指导。"
            )
        else:
            note = ""
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.print_button.setEnabled(bool(approved))
        self.list_button.setEnabled(bool(self.rows))
        self._show_rows(keep)

    def _show_rows(self, keep: int | None = None) -> None:
        if keep is None and self.current() is not None:
            keep = self.current().cadre_id  # type: ignore[union-attr]
        shown = self.rows
        if self.missing_only.isChecked():
            shown = [r for r in self.rows if r.status == "未反馈"]
        self.model.set_rows(shown)
        self.table.resizeColumnsToContents()
        row = next((k for k, r in enumerate(shown) if r.cadre_id == keep), 0)
        if shown:
            self.table.selectRow(row)
        self._show_person()

    def current(self) -> FeedbackRow | None:
        return self.model.row(self.table.currentIndex().row())

    def select_person(self, cadre_id: int) -> bool:
        for k, r in enumerate(self.model.rows):
            if r.cadre_id == cadre_id:
                self.table.selectRow(k)
                return True
        return False

    def _show_person(self) -> None:
        r = self.current()
        f = r.feedback if r else None
        if r is None:
            self.person_label.setText("")
        else:
            text = _tr("<b>{name}</b>（{post}）：{grade}，{status}").format(
                name=r.name, post=r.unit_and_post, grade=r.grade or _tr("未定等次"), status=r.status
            )
            if f is not None and f.recorder:
                text += _tr("；记录人 {who}").format(who=f.recorder)
            self.person_label.setText(text)
        day = f.talk_date if f else dt.date.today()
        self.day.setDate(QDate(day.year, day.month, day.day))
        self.place.setText(f.place if f else "")
        self.talker.setText(f.talker if f else "")
        self.form_kind.setCurrentText(f.form if f else FEEDBACK_FORMS[0])
        for name, box in self.boxes.items():
            box.setPlainText(getattr(f, name) if f else "")
        editable = r is not None and r.approved
        for w in (self.day, self.place, self.talker, self.form_kind, *self.boxes.values()):
            w.setEnabled(editable)
        self.save_button.setEnabled(editable)
        self.delete_button.setEnabled(f is not None)

    def values(self) -> FeedbackInput:
        d = self.day.date()
        return FeedbackInput(
            talk_date=dt.date(d.year(), d.month(), d.day()),
            talker=self.talker.text(),
            place=self.place.text(),
            form=self.form_kind.currentText(),
            **{name: box.toPlainText() for name, box in self.boxes.items()},
        )

    # -- actions --------------------------------------------------------------------------

    def save(self) -> bool:
        r = self.current()
        if self.round is None or r is None:
            return False
        version = r.feedback.version if r.feedback else None
        try:
            save_feedback(self.round.id, r.cadre_id, self.values(), expected_version=version)
        except ConflictError as exc:  # entered or changed by someone else meanwhile
            self.refresh()
            messages.conflict(self, str(exc))
            return False
        except DomainError as exc:
            messages.error(self, str(exc), _tr("不能保存反馈记录"))
            return False
        self.refresh()
        self.changed.emit()
        return True

    def delete(self) -> bool:
        r = self.current()
        if self.round is None or r is None or r.feedback is None:
            return False
        reason = messages.ask_text(
            self, _tr("删除反馈记录"), _tr("删除“{name}”的反馈记录，理由：").format(name=r.name)
        )
        if reason is None:
            return False
        try:
            delete_feedback(
                self.round.id, r.cadre_id, reason=reason, expected_version=r.feedback.version
            )
        except ConflictError as exc:
            self.refresh()
            messages.conflict(self, str(exc))
            return False
        except DomainError as exc:
            messages.error(self, str(exc), _tr("不能删除反馈记录"))
            return False
        self.refresh()
        self.changed.emit()
        return True

    def _export(self, name: str, suffix: str, title: str, done: str) -> jobs.Job | None:
        if self.round is None:
            return None
        rnd = self.round
        # lazy: reportlab and openpyxl load on the first form printed or list exported
        from reports.assessment import summary as assessment_reports

        return export_file(
            self,
            title=title,
            suggested=last_export_folder() / f"{rnd.year}年度{name}{suffix}",
            filters="PDF (*.pdf)" if suffix == ".pdf" else "Excel (*.xlsx)",
            suffixes=(suffix,),
            remember_folder=True,
            write=partial(assessment_reports.print_report, "feedback", rnd, unit_id=self.unit_id),
            done=lambda dest, n: done.format(path=dest, n=n),
        )

    def print_forms(self) -> jobs.Job | None:
        """The 考核结果反馈表 of the approved people of the unit, as PDF."""
        return self._export(
            "考核结果反馈表", ".pdf", _tr("打印考核结果反馈表"), _tr("已生成 {n} 页：{path}")
        )

    def export_list(self) -> jobs.Job | None:
        """Everybody with their feedback status, as xlsx."""
        return self._export(
            "考核结果反馈名单", ".xlsx", _tr("导出反馈名单"), _tr("已导出 {n} 人：{path}")
        )
