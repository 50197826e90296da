"""导入干部: the roster import wizard.

Steps: choose a file or folder -> (check the column mapping, when a sheet has columns the
reader did not recognise) -> how to treat people already in the roster and the unit for
rows without one -> a preview of every row with the errors marked -> import. Reading,
planning and importing run on the worker (ui.jobs) with progress and 取消; the import is
all-or-nothing (models.roster_import.import_rows), so a cancel leaves nothing behind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models import intake, roster, roster_import
from models.errors import DomainError
from models.intake import ColumnInfo, IntakeResult, SheetLayout
from models.intake.headers import header_key
from models.roster_import import ImportPlan, ImportResult
from ui import jobs, messages
from ui.import_models import (
    COLUMN_ATTRIBUTES,
    AttributeDelegate,
    ColumnMappingModel,
    PreviewModel,
    issue_text,
)
from ui.settings import settings

log = logging.getLogger(__name__)

FILE_FILTER = "花名册或任免审批表 (*.xlsx *.xlsm *.csv *.txt *.lrmx *.lrm);;所有文件 (*)"
DUPLICATE_CHOICES = {
    "update": "更新：用文件中的内容更新已有人员",
    "skip": "跳过：已有人员保持不变，只导入新人员",
    "stop": "遇到已有人员即停止：有任何已有人员就不导入",
}
STEPS = ("选择文件", "核对列", "导入方式", "预览并导入")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportWizard", text)


# --------------------------------------------------------------------------- jobs


def read_source(
    path: Path,
    mapping: Mapping[str, str | None],
    recursive: bool,
    *,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> IntakeResult:
    """Worker: read the file or folder."""
    return intake.read_path(
        path, mapping=dict(mapping), recursive=recursive, progress=progress, cancelled=cancelled
    )


def plan_source(
    result: IntakeResult,
    on_duplicate: str,
    default_unit: str | None,
    *,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportPlan:
    """Worker: what importing would do (reads the database, writes nothing)."""
    return roster_import.plan_import(
        result,
        on_duplicate=on_duplicate,
        default_unit=default_unit,
        progress=progress,
        cancelled=cancelled,
    )


def import_source(
    result: IntakeResult,
    on_duplicate: str,
    default_unit: str | None,
    *,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportResult:
    """Worker: plan again and write everything in one transaction, or nothing."""
    return roster_import.import_rows(
        result,
        on_duplicate=on_duplicate,
        default_unit=default_unit,
        progress=progress,
        cancelled=cancelled,
    )


# --------------------------------------------------------------------------- the wizard


class ImportWizard(QDialog):
    """导入干部. ``imported`` carries the ids of the cadres written."""

    imported = Signal(list)

    SOURCE, MAPPING, OPTIONS, PREVIEW = range(4)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("import_wizard")
        self.setWindowTitle(_tr("导入干部"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.path: Path | None = None
        self.result: IntakeResult | None = None
        self.plan: ImportPlan | None = None
        self.import_result: ImportResult | None = None
        self.mapping_used: dict[str, str | None] = {}
        self.mapping_shown = False
        self.job: jobs.Job | None = None
        self._close_after_job = False
        self._unit_paths: list[str] = []

        self.steps_label = QLabel()
        self.steps_label.setObjectName("steps_label")
        self.stack = QStackedWidget()
        self.stack.addWidget(self._source_page())
        self.stack.addWidget(self._mapping_page())
        self.stack.addWidget(self._options_page())
        self.stack.addWidget(self._preview_page())

        self.back_button = QPushButton(_tr("上一步(&B)"))
        self.back_button.setObjectName("back_button")
        self.next_button = QPushButton(_tr("下一步(&N)"))
        self.next_button.setObjectName("next_button")
        self.import_button = QPushButton(_tr("导入(&I)"))
        self.import_button.setObjectName("import_button")
        self.close_button = QPushButton(_tr("关闭"))
        self.close_button.setObjectName("close_button")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.back_button, self.next_button, self.import_button, self.close_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        self.next_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.steps_label)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)

        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.import_button.clicked.connect(self.start_import)
        self.close_button.clicked.connect(self.reject)

        char = self.fontMetrics().horizontalAdvance("中")
        self.resize(char * 70, char * 40)
        self._show_page(self.SOURCE)

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> ImportResult | None:
        """Run the wizard modally; the import's result, or None when nothing was imported."""
        wizard = cls(parent)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        wizard.exec()
        result = wizard.import_result
        wizard.deleteLater()
        return result if result is not None and result.imported else None

    # -- pages ------------------------------------------------------------------------------

    def _source_page(self) -> QWidget:
        page = QWidget()
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("path_edit")
        self.path_edit.setPlaceholderText(_tr("文件或文件夹的位置"))
        self.path_edit.textChanged.connect(self._update_buttons)
        self.path_edit.returnPressed.connect(self.go_next)
        file_button = QPushButton(_tr("选择文件(&F)…"))
        file_button.setObjectName("choose_file_button")
        file_button.clicked.connect(self.choose_file)
        folder_button = QPushButton(_tr("选择文件夹(&D)…"))
        folder_button.setObjectName("choose_folder_button")
        folder_button.clicked.connect(self.choose_folder)
        self.recursive_check = QCheckBox(_tr("包括子文件夹中的文件"))
        self.recursive_check.setObjectName("recursive_check")
        note = QLabel(
            _tr(
                "可以导入：\n"
                "· 花名册：Excel 工作簿（.xlsx）或 CSV 文本（UTF-8、GBK 均可），"
                "表头上方可以有标题行；\n"
                "· 干部任免审批表：.lrmx 或旧版 .lrm（照片 .pic 放在同一文件夹）；\n"
                "· 一个文件夹：其中所有这些文件一起导入。\n\n"
                "导入前会先显示预览，确认无误后才写入名册；任何一行有错误都不会写入。"
            )
        )
        note.setWordWrap(True)
        grid = QGridLayout(page)
        grid.addWidget(QLabel(_tr("文件或文件夹：")), 0, 0)
        grid.addWidget(self.path_edit, 0, 1)
        grid.addWidget(file_button, 0, 2)
        grid.addWidget(folder_button, 0, 3)
        grid.addWidget(self.recursive_check, 1, 1)
        grid.addWidget(note, 2, 0, 1, 4)
        grid.setRowStretch(3, 1)
        grid.setColumnStretch(1, 1)
        return page

    def _mapping_page(self) -> QWidget:
        page = QWidget()
        self.mapping_intro = QLabel()
        self.mapping_intro.setObjectName("mapping_intro")
        self.mapping_intro.setWordWrap(True)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setObjectName("sheet_combo")
        self.sheet_combo.currentIndexChanged.connect(self._show_layout)
        self.sheet_label = QLabel(_tr("工作表："))
        self.sheet_label.setBuddy(self.sheet_combo)
        self.mapping_model = ColumnMappingModel(self)
        self.mapping_table = QTableView()
        self.mapping_table.setObjectName("mapping_table")
        self.mapping_table.setModel(self.mapping_model)
        self.mapping_table.setItemDelegateForColumn(
            ColumnMappingModel.ATTRIBUTE_COLUMN, AttributeDelegate(self.mapping_table)
        )
        self.mapping_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.mapping_table.verticalHeader().setVisible(False)
        self.mapping_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        char = self.fontMetrics().horizontalAdvance("中")
        for col, width in enumerate((3, 14, 12)):
            self.mapping_table.setColumnWidth(col, char * width + 16)
        self.mapping_table.horizontalHeader().setStretchLastSection(True)
        self.mapping_model.modelReset.connect(self._open_editors)
        note = QLabel(_tr("您的选择会被记住，下次导入同样列名的表时自动使用。"))
        note.setObjectName("mapping_note")
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(self.sheet_label)
        sheet_row.addWidget(self.sheet_combo, 1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.mapping_intro)
        layout.addLayout(sheet_row)
        layout.addWidget(self.mapping_table, 1)
        layout.addWidget(note)
        self._layouts: list[SheetLayout] = []
        self._choices: dict[str, str | None] = {}
        return page

    def _options_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            QLabel(_tr("名册中已有的人员（按身份证号识别；没有身份证号时按姓名和出生年月）："))
        )
        self.duplicate_group = QButtonGroup(self)
        self.duplicate_buttons: dict[str, QRadioButton] = {}
        for key, text in DUPLICATE_CHOICES.items():
            button = QRadioButton(_tr(text))
            button.setObjectName(f"duplicate_{key}")
            self.duplicate_group.addButton(button)
            self.duplicate_buttons[key] = button
            layout.addWidget(button)
        self.duplicate_buttons["update"].setChecked(True)
        layout.addSpacing(12)
        layout.addWidget(QLabel(_tr("没有写单位的人员（如任免审批表）归入：")))
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("default_unit")
        self.unit_combo.setMaxVisibleItems(25)
        layout.addWidget(self.unit_combo)
        hint = QLabel(_tr("不指定时，新人员缺少单位算作错误；已有人员保留原单位。"))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addStretch(1)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        self.counts_label = QLabel()
        self.counts_label.setObjectName("counts_label")
        font = self.counts_label.font()
        font.setBold(True)
        self.counts_label.setFont(font)
        self.notes_label = QLabel()
        self.notes_label.setObjectName("notes_label")
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.only_problems = QCheckBox(_tr("只看有问题的行"))
        self.only_problems.setObjectName("only_problems")
        self.save_issues_button = QPushButton(_tr("保存问题清单(&S)…"))
        self.save_issues_button.setObjectName("save_issues_button")
        self.save_issues_button.setToolTip(_tr("把所有问题存为 Excel，发给填表人改正"))
        self.preview_model = PreviewModel(self)
        self.preview_table = QTableView()
        self.preview_table.setObjectName("preview_table")
        self.preview_table.setModel(self.preview_model)
        self.preview_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.setWordWrap(False)
        self.preview_table.verticalHeader().setVisible(False)
        self.preview_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.preview_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.preview_table.horizontalHeader().setStretchLastSection(True)
        self.preview_model.modelReset.connect(self._size_preview_columns)
        self.detail_label = QLabel()
        self.detail_label.setObjectName("row_problems")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel()
        self.status_label.setObjectName("import_status")
        self.status_label.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.counts_label)
        top.addStretch(1)
        top.addWidget(self.only_problems)
        top.addWidget(self.save_issues_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.preview_table, 1)
        layout.addWidget(self.detail_label)
        layout.addWidget(self.status_label)
        self.only_problems.toggled.connect(self.preview_model.set_only_problems)
        self.save_issues_button.clicked.connect(self.save_issues)
        self.preview_table.selectionModel().currentRowChanged.connect(self._show_row_problems)
        self.preview_model.modelReset.connect(self._show_row_problems)
        return page

    # -- navigation -------------------------------------------------------------------------

    @property
    def page(self) -> int:
        return self.stack.currentIndex()

    def _show_page(self, page: int) -> None:
        self.stack.setCurrentIndex(page)
        if page == self.OPTIONS:
            self._fill_units()
        shown = [s for i, s in enumerate(STEPS) if i != self.MAPPING or self.mapping_shown]
        current = STEPS[page]
        parts = [f"<b>{s}</b>" if s == current else s for s in shown]
        number = shown.index(current) + 1 if current in shown else 1
        self.steps_label.setText(
            _tr("第 {n} 步，共 {total} 步：").format(n=number, total=len(shown)) + " → ".join(parts)
        )
        self._update_buttons()

    @Slot()
    def _update_buttons(self, *_args: object) -> None:
        busy = self.job is not None
        page = self.page
        self.back_button.setEnabled(not busy and page != self.SOURCE)
        self.next_button.setVisible(page != self.PREVIEW)
        self.next_button.setEnabled(
            not busy and (page != self.SOURCE or bool(self.path_edit.text().strip()))
        )
        self.import_button.setVisible(page == self.PREVIEW)
        self.import_button.setEnabled(not busy and self.can_import())
        self.close_button.setText(_tr("取消") if busy else _tr("关闭"))
        self.save_issues_button.setEnabled(
            not busy and self.plan is not None and bool(self.plan.issues or self.plan.file_issues)
        )

    def can_import(self) -> bool:
        """Only a plan without errors and with something to write can be imported."""
        plan = self.plan
        return (
            plan is not None
            and self.import_result is None
            and plan.ok
            and plan.count("新增") + plan.count("更新") > 0
        )

    @Slot()
    def go_next(self) -> None:
        if self.job is not None:
            return
        if self.page == self.SOURCE:
            self.start_read()
        elif self.page == self.MAPPING:
            self.accept_mapping()
        elif self.page == self.OPTIONS:
            self.start_plan()

    @Slot()
    def go_back(self) -> None:
        if self.job is not None or self.page == self.SOURCE:
            return
        if self.page == self.PREVIEW:
            self._show_page(self.OPTIONS)
        elif self.page == self.OPTIONS and self.mapping_shown:
            self._show_page(self.MAPPING)
        else:
            self._show_page(self.SOURCE)

    def _run(
        self, fn: Callable[..., Any], *args: Any, title: str, on_success: Callable[[Any], None]
    ) -> jobs.Job:
        self.job = jobs.runner().run(
            fn, *args, title=title, parent_widget=self, on_success=on_success,
            on_cancelled=self._job_cancelled,
        )  # fmt: skip
        self.job.finished.connect(self._job_finished)
        self._update_buttons()
        return self.job

    @Slot()
    def _job_finished(self) -> None:
        self.job = None
        self._update_buttons()
        if self._close_after_job:
            self._close_after_job = False
            super().reject()

    def _job_cancelled(self) -> None:
        if self.page == self.PREVIEW:
            self.status_label.setText(_tr("已取消导入，名册没有任何改动。"))

    def reject(self) -> None:
        """关闭; while a job runs, 取消 it first and close when it has stopped."""
        if self.job is not None:
            self._close_after_job = True
            self.job.cancel()
            return
        super().reject()

    # -- step 1: the file -------------------------------------------------------------------

    def _start_folder(self) -> Path:
        text = self.path_edit.text().strip()
        if text:
            p = Path(text)
            return p if p.is_dir() else p.parent
        last = settings().last_import_dir
        return Path(last) if last else Path.home()

    @Slot()
    def choose_file(self) -> None:
        path = messages.open_file(
            self, _tr("选择要导入的文件"), self._start_folder(), _tr(FILE_FILTER)
        )
        if path is not None:
            self.path_edit.setText(str(path))

    @Slot()
    def choose_folder(self) -> None:
        path = messages.open_folder(self, _tr("选择要导入的文件夹"), self._start_folder())
        if path is not None:
            self.path_edit.setText(str(path))

    def start_read(self, mapping: dict[str, str | None] | None = None) -> jobs.Job | None:
        text = self.path_edit.text().strip()
        if not text:
            return None
        path = Path(text)
        if not path.exists():
            messages.error(self, _tr("找不到文件或文件夹“{path}”").format(path=path))
            return None
        self.path = path
        settings().last_import_dir = str(path if path.is_dir() else path.parent)
        if mapping is None:
            mapping = settings().import_column_mapping
            self.mapping_shown = False
        self.mapping_used = dict(mapping)
        self.plan = None
        self.import_result = None
        recursive = path.is_dir() and self.recursive_check.isChecked()
        return self._run(
            read_source, path, dict(mapping), recursive,
            title=_tr("正在读取“{name}”").format(name=path.name), on_success=self._read_done,
        )  # fmt: skip

    def _read_done(self, result: IntakeResult) -> None:
        self.result = result
        if self.mapping_shown:  # read again after the mapping step
            self._show_page(self.OPTIONS)
            return
        layouts = [layout for layout in result.layouts if layout.unmapped]
        if layouts:
            self._set_up_mapping(result.layouts)
            self.mapping_shown = True
            self._show_page(self.MAPPING)
        else:
            self._show_page(self.OPTIONS)

    # -- step 2: the column mapping -------------------------------------------------------

    def _set_up_mapping(self, layouts: list[SheetLayout]) -> None:
        self._layouts = list(layouts)
        self._choices = {}
        for layout in self._layouts:
            for c in layout.columns:
                self._choices.setdefault(header_key(c.header), c.attribute)
        unmapped = [c for layout in self._layouts for c in layout.unmapped]
        names = "、".join(f"{c.letter}列“{c.header}”" for c in unmapped[:6])
        more = _tr("等") if len(unmapped) > 6 else ""
        self.mapping_intro.setText(
            _tr(
                "有 {n} 列没有自动识别：{names}{more}。请为每列选择对应的信息，"
                "不需要的列选“忽略”。其他列也可以改。"
            ).format(n=len(unmapped), names=names, more=more)
        )
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        for layout in self._layouts:
            name = layout.file + (f" · {layout.sheet}" if layout.sheet else "")
            count = len(layout.unmapped)
            label = _tr("{name}（{n} 列未识别）").format(name=name, n=count) if count else name
            self.sheet_combo.addItem(label)
        first = next((i for i, lay in enumerate(self._layouts) if lay.unmapped), 0)
        self.sheet_combo.setCurrentIndex(first)
        self.sheet_combo.blockSignals(False)
        several = len(self._layouts) > 1
        self.sheet_combo.setVisible(several)
        self.sheet_label.setVisible(several)
        self._show_layout(first)

    @Slot(int)
    def _show_layout(self, index: int) -> None:
        layout = self._layouts[index] if 0 <= index < len(self._layouts) else None
        self.mapping_model.set_layout(layout, self._choices)

    @Slot()
    def _open_editors(self) -> None:
        for row in range(self.mapping_model.rowCount()):
            self.mapping_table.openPersistentEditor(
                self.mapping_model.index(row, ColumnMappingModel.ATTRIBUTE_COLUMN)
            )

    def set_column_choice(self, letter: str, attribute: str | None) -> None:
        """Choose ``attribute`` (None: 忽略) for column ``letter`` of the sheet shown, as the
        combo does."""
        for row in range(self.mapping_model.rowCount()):
            if self.mapping_model.column_info(row).letter == letter:
                index = self.mapping_model.index(row, ColumnMappingModel.ATTRIBUTE_COLUMN)
                editor = self.mapping_table.indexWidget(index)
                if isinstance(editor, QComboBox):
                    editor.setCurrentIndex(editor.findData(attribute or ""))
                    editor.activated.emit(editor.currentIndex())
                else:
                    self.mapping_model.setData(index, attribute or "")
                return
        raise KeyError(letter)

    def chosen_mapping(self) -> dict[str, str | None]:
        """Header -> attribute for every column the user decided (or changed)."""
        out: dict[str, str | None] = {}
        for layout in self._layouts:
            for c in layout.columns:
                choice = self._choices.get(header_key(c.header), c.attribute)
                if c.status in ("unmapped", "user") or choice != c.attribute:
                    out[c.header] = choice
        return out

    def mapping_conflicts(self) -> list[str]:
        """Chinese lines naming columns of one sheet mapped to the same attribute."""
        lines: list[str] = []
        for layout in self._layouts:
            seen: dict[str, ColumnInfo] = {}
            for c in layout.columns:
                choice = self._choices.get(header_key(c.header), c.attribute)
                if c.status == "duplicate" and choice is None:
                    continue
                if choice is None:
                    continue
                if choice in seen:
                    first = seen[choice]
                    sheet = f"工作表“{layout.sheet}”" if layout.sheet else f"“{layout.file}”"
                    lines.append(
                        f"{sheet}的{first.letter}列和{c.letter}列都对应到"
                        f"“{COLUMN_ATTRIBUTES[choice]}”"
                    )
                else:
                    seen[choice] = c
        return lines

    def accept_mapping(self) -> jobs.Job | None:
        conflicts = self.mapping_conflicts()
        if conflicts:
            messages.error(
                self,
                _tr("一个信息只能对应一列，请改正：\n{lines}").format(lines="\n".join(conflicts)),
                _tr("列对应有重复"),
            )
            return None
        chosen = self.chosen_mapping()
        s = settings()
        remembered = s.import_column_mapping
        remembered.update(chosen)
        s.import_column_mapping = remembered
        mapping = {**self.mapping_used, **chosen}
        if mapping == self.mapping_used and self.result is not None:
            self._show_page(self.OPTIONS)
            return None
        return self.start_read(mapping)

    # -- step 3: options --------------------------------------------------------------------

    def _fill_units(self) -> None:
        keep = self.unit_combo.currentData()
        paths = roster.unit_paths()
        order = [u.id for u in roster.list_units()]
        self._unit_paths = [paths[i] for i in order if i in paths]
        self.unit_combo.clear()
        self.unit_combo.addItem(_tr("（不指定）"), "")
        for p in self._unit_paths:
            self.unit_combo.addItem(p, p)
        pos = self.unit_combo.findData(keep) if keep else 0
        self.unit_combo.setCurrentIndex(max(pos, 0))

    def on_duplicate(self) -> str:
        return next(k for k, b in self.duplicate_buttons.items() if b.isChecked())

    def default_unit(self) -> str | None:
        return self.unit_combo.currentData() or None

    def start_plan(self) -> jobs.Job | None:
        if self.result is None:
            return None
        self.import_result = None
        return self._run(
            plan_source, self.result, self.on_duplicate(), self.default_unit(),
            title=_tr("正在检查"), on_success=self._plan_done,
        )  # fmt: skip

    def _plan_done(self, plan: ImportPlan) -> None:
        self.show_plan(plan)
        self._show_page(self.PREVIEW)

    # -- step 4: preview and import -------------------------------------------------------

    def show_plan(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.preview_model.set_plan(plan)
        self.counts_label.setText(plan.summary())
        notes: list[str] = []
        if plan.new_units:
            notes.append(_tr("将新建单位：") + "、".join(plan.new_units))
        notes += [f.text() for f in plan.file_issues]
        self.notes_label.setText("\n".join(notes))
        self.notes_label.setVisible(bool(notes))
        if not plan.ok:
            self.status_label.setText(
                _tr(
                    "有错误，不能导入：请改正文件后重新选择（可先“保存问题清单”发给填表人）。"
                    "错误的行标为红色，把鼠标停在行上可看原因。"
                )
            )
        elif plan.count("新增") + plan.count("更新") == 0:
            self.status_label.setText(_tr("没有需要导入的人员。"))
        else:
            self.status_label.setText(_tr("检查通过，点“导入”写入名册。"))
        self._update_buttons()

    @Slot()
    def _show_row_problems(self, *_args: object) -> None:
        """Every problem of the current row in full, under the table (the cell is cut)."""
        index = self.preview_table.currentIndex()
        if not index.isValid() or index.row() >= self.preview_model.rowCount():
            self.detail_label.clear()
            self.detail_label.hide()
            return
        issues = self.preview_model.planned(index.row()).issues
        self.detail_label.setText("\n".join(i.text() for i in issues))
        self.detail_label.setVisible(bool(issues))

    @Slot()
    def save_issues(self) -> Path | None:
        from reports.import_errors_xlsx import export_import_errors

        if self.plan is None:
            return None
        s = settings()
        folder = Path(s.last_export_dir) if s.last_export_dir else self._start_folder()
        stem = self.path.stem if self.path else "导入"
        dest = messages.save_file(
            self,
            _tr("保存问题清单"),
            folder / _tr("{stem}_问题清单.xlsx").format(stem=stem),
            _tr("Excel 工作簿 (*.xlsx)"),
        )
        if dest is None:
            return None
        if dest.suffix.lower() != ".xlsx":
            dest = dest.with_name(dest.name + ".xlsx")
        try:
            n = export_import_errors(self.plan, dest)
        except (DomainError, OSError) as e:
            messages.error(self, str(e), _tr("保存失败"))
            return None
        s.last_export_dir = str(dest.parent)
        self.status_label.setText(_tr("已把 {n} 个问题保存到 {path}").format(n=n, path=dest))
        return dest

    @Slot()
    def start_import(self) -> jobs.Job | None:
        if self.result is None or not self.can_import() or self.job is not None:
            return None
        self.status_label.setText(_tr("正在导入…"))
        return self._run(
            import_source, self.result, self.on_duplicate(), self.default_unit(),
            title=_tr("正在导入"), on_success=self._import_done,
        )  # fmt: skip

    def _import_done(self, result: ImportResult) -> None:
        if not result.imported:  # the roster changed since the preview
            self.show_plan(result.plan)
            messages.error(
                self,
                _tr("名册在预览后有变化，重新检查发现问题，没有导入任何人员：\n{summary}").format(
                    summary=result.plan.summary()
                ),
                _tr("没有导入"),
            )
            return
        self.import_result = result
        self._update_buttons()
        self.imported.emit(list(result.cadre_ids))
        text = _tr("导入完成：{summary}").format(summary=result.plan.summary())
        if result.plan.new_units:
            text += "\n" + _tr("新建单位：") + "、".join(result.plan.new_units)
        messages.info(self, _tr("导入完成"), text)
        self.accept()

    # -- layout helpers ---------------------------------------------------------------------

    @Slot()
    def _size_preview_columns(self) -> None:
        fm = self.fontMetrics()
        char = fm.horizontalAdvance("中")
        widths = {"文件": 10, "行号": 3, "处理": 3, "姓名": 4, "性别": 2, "出生年月": 4.5,
                  "民族": 3.5, "政治面貌": 4.5, "单位": 11, "现任职务": 8, "领导职务层次": 6,
                  "职级": 6, "任现职时间": 5}  # fmt: skip
        for col in range(self.preview_model.columnCount()):
            header = str(self.preview_model.headerData(col, Qt.Orientation.Horizontal))
            if header == "身份证号":
                width = fm.horizontalAdvance("0" * 18 + "X")
            elif header == "问题":
                width = char * 26
            else:
                width = int(char * max(widths.get(header, 5), len(header)))
            self.preview_table.setColumnWidth(col, width + 16)


# --------------------------------------------------------------------------- export


def export_cadre_lrmx(parent: QWidget, cadre_id: int) -> Path | None:
    """Ask where to save and write the cadre as a 任免审批表 file (suggested ``姓名.lrmx``);
    the path written, or None when cancelled or refused (the reason was shown)."""
    title = _tr("导出失败")
    try:
        record = roster_import.lrmx_record(cadre_id)
        data = intake.write_lrmx(record)
    except DomainError as e:
        messages.error(parent, str(e), title)
        return None
    s = settings()
    folder = Path(s.last_export_dir) if s.last_export_dir else Path.home()
    name = str(record.get("name") or cadre_id)
    dest = messages.save_file(
        parent, _tr("导出任免审批表"), folder / f"{name}.lrmx", _tr("任免审批表 (*.lrmx)")
    )
    if dest is None:
        return None
    if dest.suffix.lower() != ".lrmx":
        dest = dest.with_name(dest.name + ".lrmx")
    try:
        dest.write_bytes(data)
    except OSError as e:
        why = e.strerror or str(e)
        messages.error(parent, _tr("无法写入“{path}”：{why}").format(path=dest, why=why), title)
        return None
    s.last_export_dir = str(dest.parent)
    return dest


__all__ = [
    "ColumnMappingModel",
    "export_cadre_lrmx",
    "ImportWizard",
    "PreviewModel",
    "import_source",
    "issue_text",
    "plan_source",
    "read_source",
]
