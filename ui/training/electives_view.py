"""The 选学 tab of a class (菜单化选学): the elective menu with its places (edited in the
table), every trainee's wishes in order of preference (entered by staff or imported from
xlsx), 按规则分配 (先报先得 or 按职级) and the outcome -- who got what, which wish, who was
moved and why -- exported to xlsx.

Every change goes through models.training.electives / models.training.trainees; the screen
never touches the database itself.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models.core.errors import ConflictError, DomainError
from models.core.progress import IsCancelled, Progress
from models.training import (
    ElectiveOption,
    get_class,
    set_elective_choices,
)
from models.training import electives as el
from reports.common import xlsx
from ui import jobs, messages
from ui.common import RowsModel, export_file, table_view
from ui.training.electives_models import (
    RULES,
    ChoicesDialog,
    OptionsModel,
    OutcomeLine,
    choice_columns,
    outcome_columns,
    outcome_lines,
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ElectivesView", text)


def _export(
    dest: Path,
    title: str,
    lines: list[OutcomeLine],
    *,
    progress: Progress,
    cancelled: IsCancelled,
) -> int:
    return xlsx.write_table(
        dest,
        title=title,
        headers=el.OUTCOME_HEADERS,
        widths=(10, 28, 14, 28, 10, 10, 40),
        rows=(line.values for line in lines),
        total=len(lines),
        progress=progress,
        cancelled=cancelled,
        sheet_name="选学分配结果",
    )


def _import_choices(
    class_id: int, path: Path, *, progress: Progress, cancelled: IsCancelled
) -> el.ChoiceImportResult | DomainError:
    """Job: import the wishes in one transaction; the result (which lists any bad rows), or
    the DomainError saying why the file was refused (shown on the GUI thread)."""
    try:
        result: el.ChoiceImportResult = jobs.in_one_transaction(
            el.import_elective_choices, class_id, path, progress=progress, cancelled=cancelled
        )
    except DomainError as e:
        return e
    return result


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight:bold;")
    return label


class ElectivesView(QWidget):
    """菜单化选学 of the class given to :meth:`set_class`."""

    electivesChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("electives_view")
        self.class_id: int | None = None
        self.class_name = ""
        self.limit = 0
        self._lines: list[OutcomeLine] = []

        # the menu
        self.options = OptionsModel(self._save_capacity, self)
        self.options_table = table_view(
            self.options,
            "elective_options_table",
            row_numbers=False,
            resize=QHeaderView.ResizeMode.ResizeToContents,
            stretch=(0,),
        )
        self.options_table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.menu_note = QLabel()
        self.menu_note.setObjectName("elective_menu_note")
        self.menu_note.setWordWrap(True)
        menu_box = QWidget()
        menu_layout = QVBoxLayout(menu_box)
        menu_layout.setContentsMargins(0, 0, 0, 0)
        menu_layout.addWidget(_heading(_tr("选学课程菜单（双击“名额”修改）")))
        menu_layout.addWidget(self.options_table, 1)
        menu_layout.addWidget(self.menu_note)

        # the wishes
        self.choices: RowsModel[el.TraineeChoices] = RowsModel(
            choice_columns(0), lambda t: t.cadre_id, self
        )
        self.choices_table = table_view(self.choices, "elective_choices_table", row_numbers=False)
        self.choices_table.doubleClicked.connect(lambda _i: self.edit_choices())
        self.edit_button = QPushButton(_tr("填写志愿…"))
        self.edit_button.setObjectName("edit_choices_button")
        self.edit_button.clicked.connect(self.edit_choices)
        self.clear_button = QPushButton(_tr("清除志愿"))
        self.clear_button.setObjectName("clear_choices_button")
        self.clear_button.clicked.connect(self.clear_choices)
        self.import_button = QPushButton(_tr("从 Excel 导入志愿…"))
        self.import_button.setObjectName("import_choices_button")
        self.import_button.setToolTip(
            _tr(
                "表头：姓名、身份证号、第一志愿、第二志愿、第三志愿，填选学课程名称；"
                "表中先后即报名先后"
            )
        )
        self.import_button.clicked.connect(self.import_choices)
        self.choices_count = QLabel()
        self.choices_count.setObjectName("choices_count")
        wish_bar = QHBoxLayout()
        wish_bar.addWidget(_heading(_tr("学员志愿")))
        wish_bar.addWidget(self.choices_count, 1)
        wish_bar.addWidget(self.edit_button)
        wish_bar.addWidget(self.clear_button)
        wish_bar.addWidget(self.import_button)
        wish_box = QWidget()
        wish_layout = QVBoxLayout(wish_box)
        wish_layout.setContentsMargins(0, 0, 0, 0)
        wish_layout.addLayout(wish_bar)
        wish_layout.addWidget(self.choices_table, 1)

        upper = QSplitter(Qt.Orientation.Horizontal)
        upper.addWidget(menu_box)
        upper.addWidget(wish_box)
        upper.setStretchFactor(0, 2)
        upper.setStretchFactor(1, 5)
        upper.setSizes([380, 900])

        # the settlement
        self.rule = QComboBox()
        self.rule.setObjectName("elective_rule")
        for code, name in RULES:
            self.rule.addItem(name, code)
        self.rule.setToolTip(
            _tr("先报先得：按志愿交来的先后；按职级：职务层次、职级高者优先，同级按先后")
        )
        self.settle_button = QPushButton(_tr("按规则分配"))
        self.settle_button.setObjectName("settle_button")
        self.settle_button.clicked.connect(self.settle)
        self.export_button = QPushButton(_tr("导出分配结果…"))
        self.export_button.setObjectName("export_outcome_button")
        self.export_button.clicked.connect(self.export)
        self.moved_only = QCheckBox(_tr("只看调剂和未分配"))
        self.moved_only.setObjectName("outcome_moved_only")
        self.moved_only.toggled.connect(lambda _on: self._show_outcome())
        self.summary = QLabel()
        self.summary.setObjectName("outcome_summary")
        self.summary.setWordWrap(True)
        rule_bar = QHBoxLayout()
        rule_bar.addWidget(_heading(_tr("分配结果")))
        rule_bar.addWidget(QLabel(_tr("规则：")))
        rule_bar.addWidget(self.rule)
        rule_bar.addWidget(self.settle_button)
        rule_bar.addWidget(self.export_button)
        rule_bar.addWidget(self.moved_only)
        rule_bar.addSpacing(12)
        rule_bar.addWidget(self.summary, 1)
        self.outcome: RowsModel[OutcomeLine] = RowsModel(outcome_columns(), lambda x: x.key, self)
        self.outcome_table = table_view(
            self.outcome,
            "elective_outcome_table",
            row_numbers=False,
            resize=QHeaderView.ResizeMode.ResizeToContents,
            stretch=(len(el.OUTCOME_HEADERS) - 1,),
        )
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(rule_bar)
        lower_layout.addWidget(self.outcome_table, 1)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(lower)
        split.setSizes([400, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(split)
        self.set_class(None)

    # -- loading --------------------------------------------------------------------------

    def set_class(self, class_id: int | None) -> None:
        self.class_id = class_id
        self.reload()

    def reload(self, settlement: el.SettlementView | None = None) -> None:
        if self.class_id is None:
            self.options.set_rows([])
            self._set_choices([], 0)
            self._lines = []
            self.outcome.set_rows([])
            self.summary.setText("")
            self.menu_note.setText("")
            self.choices_count.setText("")
            self.setEnabled(False)
            return
        self.setEnabled(True)
        c = get_class(self.class_id)
        self.class_name = c.name
        open_class = c.status != "已结业"
        options = el.elective_options(self.class_id)
        self.options.editable = open_class
        self.options.set_rows(options)
        trainees = el.list_elective_choices(self.class_id)
        self._set_choices(trainees, el.wish_limit(self.class_id))
        handed = sum(1 for t in trainees if t.wishes)
        self.choices_count.setText(
            _tr("{n} 名学员，已填志愿 {k} 人").format(n=len(trainees), k=handed)
        )
        if options:
            self.menu_note.setText(
                _tr("每名学员选学 {n} 门，最多填 {w} 个志愿").format(
                    n=c.electives_per_trainee, w=self.limit
                )
            )
            self.menu_note.setStyleSheet("")
        else:
            self.menu_note.setText(
                _tr("本班还没有选学课程：请在“编辑班次”的课程列表中加入课程库里标为选学的课程")
            )
            self.menu_note.setStyleSheet("color:#b45309;")
        shown = settlement or el.last_settlement(self.class_id)
        self._lines = outcome_lines(shown.outcomes, trainees)
        self._show_outcome()
        self._summarise(shown)
        has_menu = bool(options)
        for w in (self.edit_button, self.clear_button, self.import_button, self.settle_button):
            w.setEnabled(open_class and has_menu)
        self.rule.setEnabled(open_class and has_menu)
        self.export_button.setEnabled(bool(shown.outcomes))

    def _show_outcome(self) -> None:
        lines = self._lines
        if self.moved_only.isChecked():
            lines = [x for x in lines if x.moved or not x.placed]
        self.outcome.set_rows(lines)

    def _set_choices(self, trainees: list[el.TraineeChoices], limit: int) -> None:
        if limit != self.limit:
            self.limit = limit
            old = self.choices
            self.choices = RowsModel(choice_columns(limit), lambda t: t.cadre_id, self)
            self.choices_table.setModel(self.choices)
            old.deleteLater()
            header = self.choices_table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.choices.set_rows(trainees)

    def _summarise(self, shown: el.SettlementView) -> None:
        if not shown.rule_name:
            self.summary.setText(_tr("尚未分配：填好志愿后选择规则，点“按规则分配”"))
            return
        outs = shown.outcomes
        first = sum(1 for o in outs if o.course_id is not None and not o.moved)
        other = sum(1 for o in outs if o.course_id is not None and o.preference > 1)
        moved = sum(1 for o in outs if o.course_id is not None and o.preference == 0)
        none = sum(1 for o in outs if o.course_id is None)
        when = shown.at.strftime("%Y-%m-%d %H:%M") if shown.at else ""
        self.summary.setText(
            _tr(
                "按“{rule}”分配（{when}）：第一志愿 {a} 人次，其他志愿 {b}，调剂 {c}，未分配 {d}"
            ).format(rule=shown.rule_name, when=when, a=first, b=other, c=moved, d=none)
        )

    # -- the menu -------------------------------------------------------------------------

    def _conflict(self, error: ConflictError) -> None:
        """Someone else changed the menu or a trainee's wishes meanwhile: say who, when and
        what it is now, and show what is stored."""
        messages.conflict(self, str(error))
        self.reload()
        self.electivesChanged.emit()

    def _save_capacity(self, course_id: int, places: int) -> ElectiveOption | None:
        if self.class_id is None:
            return None
        shown = next((o.capacity for o in self.options.rows if o.course_id == course_id), None)
        try:
            saved = el.set_elective_capacity(
                self.class_id, course_id, places, expected_capacity=shown
            )
        except ConflictError as e:
            # from inside the cell's commit: say so (and re-read) once the editor has closed
            error = e
            QTimer.singleShot(0, self, lambda: self._conflict(error))
            return None
        except DomainError as e:
            messages.error(self, str(e), _tr("不能修改名额"))
            return None
        self.electivesChanged.emit()
        return saved

    # -- wishes ---------------------------------------------------------------------------

    def current_trainee(self) -> el.TraineeChoices | None:
        return self.choices.row(self.choices_table.currentIndex().row())

    def select_trainee(self, cadre_id: int) -> None:
        row = self.choices.row_of(cadre_id)
        if row is not None:
            self.choices_table.selectRow(row)

    @Slot()
    def edit_choices(self) -> bool:
        t = self.current_trainee()
        if self.class_id is None or t is None:
            if self.class_id is not None:
                messages.error(self, _tr("请先在学员志愿表中选择一名学员"))
            return False
        chosen = ChoicesDialog.ask(
            t.name, self.options.rows, [w.course_id for w in t.wishes], self.limit, self
        )
        if chosen is None or chosen == [w.course_id for w in t.wishes]:
            return False
        return self._store(t, chosen)

    @Slot()
    def clear_choices(self) -> bool:
        t = self.current_trainee()
        if self.class_id is None or t is None or not (t.wishes or t.granted):
            return False
        if not messages.ask_yes_no(
            self, _tr("清除志愿"), _tr("清除“{name}”的全部选学志愿吗？").format(name=t.name)
        ):
            return False
        return self._store(t, [])

    def _store(self, t: el.TraineeChoices, course_ids: list[int]) -> bool:
        assert self.class_id is not None
        try:
            set_elective_choices(self.class_id, t.cadre_id, course_ids, expected_version=t.version)
        except ConflictError as e:
            self._conflict(e)
            return False
        except DomainError as e:
            messages.error(self, str(e), _tr("不能保存志愿"))
            return False
        self.reload()
        self.select_trainee(t.cadre_id)
        self.electivesChanged.emit()
        return True

    @Slot()
    def import_choices(self) -> jobs.Job | None:
        """Import the wishes from an xlsx in the background (all or nothing, one transaction;
        取消 before it commits stores nothing). Returns the job, or None when no file was
        chosen."""
        if self.class_id is None:
            return None
        path = messages.open_file(
            self, _tr("导入选学志愿"), Path.home(), _tr("Excel 工作簿 (*.xlsx)")
        )
        if path is None:
            return None
        self.import_button.setEnabled(False)
        job = jobs.runner().run(
            _import_choices,
            self.class_id,
            path,
            title=_tr("导入选学志愿"),
            parent_widget=self,
            on_success=lambda outcome: self._imported(path, outcome),
        )
        job.finished.connect(self._import_ended)
        return job

    @Slot()
    def _import_ended(self) -> None:
        self.import_button.setEnabled(self.options.editable and self.options.rowCount() > 0)

    def _imported(self, path: Path, outcome: el.ChoiceImportResult | DomainError) -> None:
        if isinstance(outcome, DomainError):
            messages.error(self, str(outcome), _tr("不能导入选学志愿"))
            return
        if not outcome.ok:
            messages.issues(
                self,
                _tr("未导入选学志愿"),
                _tr("“{file}”有 {n} 处错误，未导入任何志愿。请改正后重新导入：").format(
                    file=path.name, n=outcome.errors
                ),
                outcome.lines(),
            )
            return
        self.reload()
        self.electivesChanged.emit()
        text = _tr("已导入 {n} 名学员的选学志愿").format(n=outcome.imported)
        if outcome.lines():
            messages.issues(self, _tr("已导入"), text + _tr("，另有提示："), outcome.lines())
        else:
            messages.info(self, _tr("已导入"), text)

    # -- settlement -----------------------------------------------------------------------

    @Slot()
    def settle(self) -> el.SettlementView | None:
        if self.class_id is None:
            return None
        before = el.last_settlement(self.class_id)
        rule, name = self.rule.currentData(), self.rule.currentText()
        if before.rule_name and not messages.ask_yes_no(
            self,
            _tr("按规则分配"),
            _tr("将按“{rule}”重新分配，上次的分配结果会被替换。继续吗？").format(rule=name),
        ):
            return None
        try:
            result = el.settle(self.class_id, rule)
        except DomainError as e:
            messages.error(self, str(e), _tr("不能分配"))
            return None
        stored = el.last_settlement(self.class_id)
        # the list in the order the rule handed out the places
        shown = el.SettlementView(stored.rule_name, stored.at, result.outcomes, result.options)
        self.reload(shown)
        self.electivesChanged.emit()
        return shown

    @Slot()
    def export(self) -> jobs.Job | None:
        lines = list(self._lines)  # the whole outcome, whatever the filter shows
        if self.class_id is None or not lines:
            messages.error(self, _tr("还没有分配结果：请先按规则分配"))
            return None
        title = _tr("{name}选学分配结果").format(name=self.class_name)
        if self.summary.text():
            title += f"（{self.summary.text()}）"
        return export_file(
            self,
            title=_tr("导出选学分配结果"),
            suggested=Path(f"{self.class_name}选学分配结果.xlsx"),
            filters="Excel (*.xlsx)",
            write=partial(_export, title=title, lines=lines),
            done=lambda dest, n: _tr("已导出 {n} 行到 {path}").format(n=n, path=dest),
        )
