"""导入干部: the roster import wizard.

Steps: choose a file or folder -> (check the column mapping, when a sheet has columns the
reader did not recognise) -> how to treat people already in the roster and the unit for
rows without one -> (确定单位, when an .lrmx/.lrm person's 现任职务 names no unit or several)
-> (未识别的代码值, when values match no code-table item) -> a preview
of every row with the errors marked -> import. Reading,
planning and importing run on the worker (ui.jobs) with progress and 取消; the import is
all-or-nothing (models.roster.importing.import_rows), so a cancel leaves nothing behind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from models.core.errors import DomainError
from models.roster import service as roster
from models.roster.import_plan import ImportPlan, ImportResult
from models.roster.intake import IntakeResult
from ui import jobs, messages
from ui.common import ask_save_path, last_export_folder
from ui.roster.importing.jobs import import_source, plan_source, read_source
from ui.roster.importing.steps import ImportWizardSteps
from ui.roster.importing.units import UnsureUnitsStep
from ui.roster.importing.values import UnmappedValuesStep
from ui.settings import settings

log = logging.getLogger(__name__)

FILE_FILTER = "花名册或任免审批表 (*.xlsx *.xlsm *.csv *.txt *.lrmx *.lrm);;所有文件 (*)"
STEPS = ("选择文件", "核对列", "导入方式", "预览并导入", "未识别的代码值", "确定单位")  # by page


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportWizard", text)


# --------------------------------------------------------------------------- the wizard


class ImportWizard(ImportWizardSteps, UnsureUnitsStep, UnmappedValuesStep, QDialog):
    """导入干部. ``imported`` carries the ids of the cadres written."""

    imported = Signal(list)

    SOURCE, MAPPING, OPTIONS, PREVIEW, VALUES, UNITS = range(6)
    ORDER = (SOURCE, MAPPING, OPTIONS, UNITS, VALUES, PREVIEW)  # the order the steps come in

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
        self.values_shown = False
        self.units_shown = False
        self.unit_choices: dict[tuple[str, int | None], str] = {}
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
        self.stack.addWidget(self._values_page())
        self.stack.addWidget(self._units_page())

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

    # -- navigation -------------------------------------------------------------------------

    @property
    def page(self) -> int:
        return self.stack.currentIndex()

    def _show_page(self, page: int) -> None:
        self.stack.setCurrentIndex(page)
        if page == self.OPTIONS:
            self._fill_units()
        shown = [
            STEPS[i]
            for i in self.ORDER
            if (i != self.MAPPING or self.mapping_shown)
            and (i != self.VALUES or self.values_shown)
            and (i != self.UNITS or self.units_shown)
        ]
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
            self.values_shown = self.units_shown = False
            self.start_plan()
        elif self.page == self.UNITS:
            self.unit_choices = self.chosen_units()
            self.start_plan()  # again, with the units chosen
        elif self.page == self.VALUES and self.accept_values() is None:
            self.start_plan()  # nothing chosen (with choices, the job plans again after saving)

    @Slot()
    def go_back(self) -> None:
        if self.job is not None or self.page == self.SOURCE:
            return
        if self.page == self.PREVIEW and self.values_shown:
            self._show_page(self.VALUES)
        elif self.page in (self.PREVIEW, self.VALUES) and self.units_shown:
            self._show_page(self.UNITS)
        elif self.page in (self.PREVIEW, self.VALUES, self.UNITS):
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
        if mapping is None:  # a file chosen anew: nothing carried over from the last one
            mapping = settings().import_column_mapping
            self.mapping_shown = False
            self.unit_choices = {}
            self.accept_birth_mismatch.setChecked(False)
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
            *self.identity_options(), dict(self.unit_choices),
            title=_tr("正在检查"), on_success=self._plan_done,
        )  # fmt: skip

    def _plan_done(self, plan: ImportPlan) -> None:
        self.show_plan(plan)
        if plan.unsure_units and not self.units_shown:
            self.set_up_units(plan.unsure_units, self._unit_paths)
            self.units_shown = True
            self._show_page(self.UNITS)
            return
        if plan.unmapped and not self.values_shown:
            self.set_up_values(plan.unmapped)
            self.values_shown = True
            self._show_page(self.VALUES)
            return
        self._show_page(self.PREVIEW)

    # -- step 4: preview and import -------------------------------------------------------

    def show_plan(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.preview_model.set_plan(plan)
        self.counts_label.setText(plan.summary())
        self.show_to_confirm(plan)
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
        # lazy: openpyxl costs about 0.15 s, paid on the first save rather than at start-up
        from reports.roster import export_import_errors

        if self.plan is None:
            return None
        stem = self.path.stem if self.path else "导入"
        dest = ask_save_path(
            self,
            _tr("保存问题清单"),
            last_export_folder(self._start_folder())
            / _tr("{stem}_问题清单.xlsx").format(stem=stem),
            _tr("Excel 工作簿 (*.xlsx)"),
        )
        if dest is None:
            return None
        try:
            n = export_import_errors(self.plan, dest)
        except (DomainError, OSError) as e:
            messages.error(self, str(e), _tr("保存失败"))
            return None
        settings().last_export_dir = str(dest.parent)
        self.status_label.setText(_tr("已把 {n} 个问题保存到 {path}").format(n=n, path=dest))
        return dest

    @Slot()
    def start_import(self) -> jobs.Job | None:
        if self.result is None or not self.can_import() or self.job is not None:
            return None
        self.status_label.setText(_tr("正在导入…"))
        return self._run(
            import_source, self.result, self.on_duplicate(), self.default_unit(),
            *self.identity_options(), dict(self.unit_choices),
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
