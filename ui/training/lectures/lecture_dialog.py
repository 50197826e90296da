"""New / edit one lecture of a 讲坛 series: title, speaker (picked from the teachers or typed),
date, time, place, 学时 (empty: the series' default), the notice's 有关要求, and the audience
picker — units ticked in the unit tree (a unit covers its sub-units) × 领导职务层次/职级
ticked in the list — with the audience in words and how many cadres it expects, updated as
the user ticks. The service checks the entries; each reason shows beside its field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QDate, Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models import training
from models.core.errors import ConflictError, DomainError, ValidationError
from models.roster import service as roster
from models.training import lectures as lt
from ui import messages
from ui.common import num, ok_cancel

ERROR_STYLE = "color:#c62828;"
UNIT_ROLE = Qt.ItemDataRole.UserRole + 1
SPEAKER_KINDS = ("领导干部讲坛", "外请专家", "党校教师")


def _tr(text: str) -> str:
    return QCoreApplication.translate("LectureDialog", text)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


class LectureDialog(QDialog):
    """The lecture's particulars on the left, the audience picker on the right."""

    def __init__(
        self,
        series: lt.SeriesDTO,
        lecture: lt.LectureDTO | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("lecture_dialog")
        self.setWindowTitle(_tr("编辑讲座") if lecture else _tr("新建讲座"))
        self.series = series
        self.lecture = lecture
        self.saved: lt.LectureDTO | None = None
        self.issue_labels: dict[str, QLabel] = {}
        self.units = roster.list_units()

        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("lecture_title")
        self.speaker = QComboBox()
        self.speaker.setObjectName("lecture_speaker")
        self.speaker.setEditable(True)
        self.speaker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.teachers = [t for t in training.list_teachers() if t.kind in SPEAKER_KINDS]
        self.speaker.addItems([t.name for t in self.teachers])
        self.speaker.activated.connect(self._speaker_picked)
        self.speaker_title = QLineEdit()
        self.speaker_title.setObjectName("lecture_speaker_title")
        self.speaker_title.setPlaceholderText(_tr("如 兰州大学经济学院教授"))
        self.day = QDateEdit()
        self.day.setObjectName("lecture_day")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.time_text = QLineEdit()
        self.time_text.setObjectName("lecture_time")
        self.time_text.setPlaceholderText(_tr("如 上午 9:00-11:30"))
        self.place = QLineEdit()
        self.place.setObjectName("lecture_place")
        self.hours = QDoubleSpinBox()
        self.hours.setObjectName("lecture_hours")
        self.hours.setRange(0, 24)
        self.hours.setDecimals(2)
        self.hours.setSingleStep(0.5)
        self.hours.setSpecialValueText(
            _tr("按讲坛每讲学时（{h}）").format(h=num(series.hours_per_lecture))
        )
        self.requirements = QPlainTextEdit()
        self.requirements.setObjectName("lecture_requirements")
        self.requirements.setPlaceholderText(_tr("每行一条；不填则通知中列出通常的三条要求"))
        self.requirements.setFixedHeight(96)
        self.notes = QLineEdit()
        # a lecture already 已举办: its attendees' 学时档案 follow an edit, with the reason
        self.reason = QLineEdit()
        self.reason.setObjectName("lecture_reason")
        self.reason.setPlaceholderText(
            _tr("修改学时、日期或题目会更正听课干部的学时档案，须写明原因")
        )

        form = QFormLayout()
        form.addRow(_tr("讲坛"), QLabel(series.name))
        self._row(form, "title", _tr("讲座题目"), self.title_edit)
        self._row(form, "speaker", _tr("主讲人"), self.speaker)
        self._row(form, "speaker_title", _tr("单位及职务"), self.speaker_title)
        self._row(form, "day", _tr("日期"), self.day)
        self._row(form, "time_text", _tr("时间"), self.time_text)
        self._row(form, "place", _tr("地点"), self.place)
        self._row(form, "hours", _tr("学时"), self.hours)
        self._row(form, "requirements", _tr("有关要求"), self.requirements)
        self._row(form, "notes", _tr("备注"), self.notes)
        if lecture is not None and lecture.status == lt.HELD:
            self._row(form, "reason", _tr("修改原因"), self.reason)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        left_layout.addStretch(1)

        self.unit_tree = QTreeWidget()
        self.unit_tree.setObjectName("audience_units")
        self.unit_tree.setHeaderLabels(
            [_tr("听课单位（勾选的单位含其下属单位；都不勾为全部单位）")]
        )
        self.rank_list = QListWidget()
        self.rank_list.setObjectName("audience_ranks")
        self.audience = QLabel()
        self.audience.setObjectName("audience_summary")
        self.audience.setWordWrap(True)
        self.audience.setStyleSheet("background:#eef2ff; padding:6px;")
        self.unit_issue = self._issue("audience_units")
        self.rank_issue = self._issue("audience_ranks")
        picks = QHBoxLayout()
        ranks_box = QVBoxLayout()
        ranks_box.addWidget(QLabel(_tr("领导职务层次 / 职级（都不勾为全部）")))
        ranks_box.addWidget(self.rank_list, 1)
        ranks_box.addWidget(self.rank_issue)
        units_box = QVBoxLayout()
        units_box.addWidget(self.unit_tree, 1)
        units_box.addWidget(self.unit_issue)
        picks.addLayout(units_box, 3)
        picks.addLayout(ranks_box, 2)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(picks, 1)
        right_layout.addWidget(self.audience)

        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([520, 560])
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        self.buttons = ok_cancel(self)
        layout.addWidget(self.buttons)

        self._fill_audience(lecture)
        self._fill(lecture)
        self.unit_tree.itemChanged.connect(lambda *_a: self.update_audience())
        self.rank_list.itemChanged.connect(lambda *_a: self.update_audience())
        self.update_audience()
        self.resize(1120, 640)

    # -- building ---------------------------------------------------------------------------

    def _issue(self, key: str) -> QLabel:
        issue = QLabel()
        issue.setObjectName(f"issue_{key}")
        issue.setStyleSheet(ERROR_STYLE)
        issue.setWordWrap(True)
        issue.hide()
        self.issue_labels[key] = issue
        return issue

    def _row(self, form: QFormLayout, key: str, label: str, widget: QWidget) -> None:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(widget)
        layout.addWidget(self._issue(key))
        form.addRow(label, box)

    def _fill_audience(self, lecture: lt.LectureDTO | None) -> None:
        chosen_units = set(lecture.audience_units) if lecture else set()
        items: dict[int, QTreeWidgetItem] = {}
        for u in self.units:
            parent = items.get(u.parent_id) if u.parent_id is not None else None
            item = (
                QTreeWidgetItem(parent) if parent is not None else QTreeWidgetItem(self.unit_tree)
            )
            item.setText(0, u.name)
            item.setData(0, UNIT_ROLE, u.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                0, Qt.CheckState.Checked if u.id in chosen_units else Qt.CheckState.Unchecked
            )
            items[u.id] = item
        for uid in chosen_units:  # show what is ticked
            item = items.get(uid)
            while item is not None and item.parent() is not None:
                item.parent().setExpanded(True)
                item = item.parent()
        for item in items.values():
            if item.parent() is None:
                item.setExpanded(True)
        chosen_ranks = set(lecture.audience_ranks) if lecture else set()
        for name in roster.level_choices():
            it = QListWidgetItem(name)
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(
                Qt.CheckState.Checked if name in chosen_ranks else Qt.CheckState.Unchecked
            )
            self.rank_list.addItem(it)

    def _fill(self, lecture: lt.LectureDTO | None) -> None:
        self.title_edit.setText(lecture.title if lecture else "")
        self.speaker.setCurrentText(lecture.speaker if lecture else "")
        self.speaker_title.setText(lecture.speaker_title if lecture else "")
        self.day.setDate(_qdate(lecture.day if lecture else dt.date.today()))
        self.time_text.setText(lecture.time_text if lecture else _tr("上午 9:00-11:30"))
        self.place.setText(lecture.place if lecture else "")
        hours = lecture.hours if lecture and lecture.hours is not None else 0
        self.hours.setValue(float(hours))
        self.requirements.setPlainText(lecture.requirements if lecture else "")
        self.notes.setText(lecture.notes if lecture else "")

    @Slot(int)
    def _speaker_picked(self, index: int) -> None:
        if 0 <= index < len(self.teachers) and not self.speaker_title.text().strip():
            self.speaker_title.setText(self.teachers[index].unit_title)

    # -- audience ---------------------------------------------------------------------------

    def chosen_units(self) -> list[int]:
        out = []
        stack = [self.unit_tree.topLevelItem(k) for k in range(self.unit_tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            if item.checkState(0) == Qt.CheckState.Checked:
                out.append(int(item.data(0, UNIT_ROLE)))
            stack.extend(item.child(k) for k in range(item.childCount()))
        return sorted(out)

    def chosen_ranks(self) -> list[str]:
        return [
            self.rank_list.item(k).text()
            for k in range(self.rank_list.count())
            if self.rank_list.item(k).checkState() == Qt.CheckState.Checked
        ]

    @Slot()
    def update_audience(self) -> None:
        audience = lt.Audience(tuple(self.chosen_units()), tuple(self.chosen_ranks()))
        n = lt.count_audience(audience, self.units)
        self.audience.setText(
            _tr("听课范围：{text}。应到 {n} 人（在职）。").format(
                text=lt.audience_text(audience, self.units), n=n
            )
        )

    # -- saving -----------------------------------------------------------------------------

    def values(self) -> lt.LectureInput:
        lec = self.lecture
        hours = self.hours.value()
        return lt.LectureInput(
            self.series.id,
            self.title_edit.text(),
            self.speaker.currentText(),
            self.speaker_title.text(),
            _pydate(self.day.date()),
            self.time_text.text(),
            self.place.text(),
            self.chosen_units(),
            self.chosen_ranks(),
            Decimal(str(round(hours, 2))) if hours > 0 else None,
            self.requirements.toPlainText(),
            self.notes.text(),
            lec.id if lec else None,
            lec.version if lec else None,
            self.reason.text(),
        )

    def show_issues(self, issues: list[object]) -> None:
        for label in self.issue_labels.values():
            label.hide()
        for issue in issues:
            label = self.issue_labels.get(getattr(issue, "field", ""))
            if label is not None:
                label.setText(getattr(issue, "message", ""))
                label.show()

    @Slot()
    def accept(self) -> None:
        try:
            self.saved = lt.save_lecture(self.values())
        except ValidationError as e:
            self.show_issues(list(e.issues))
            return
        except ConflictError as e:
            messages.conflict(self, str(e))
            self.reject()
            return
        except DomainError as e:
            messages.error(self, str(e), _tr("不能保存讲座"))
            return
        super().accept()

    @classmethod
    def ask(
        cls,
        series: lt.SeriesDTO,
        lecture: lt.LectureDTO | None = None,
        parent: QWidget | None = None,
    ) -> lt.LectureDTO | None:
        """The lecture saved, or None when the user cancelled."""
        dialog = cls(series, lecture, parent)
        return dialog.saved if dialog.exec() == QDialog.DialogCode.Accepted else None
