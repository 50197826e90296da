"""The 五项考核 score entry screen: the grid (people × items and 民主测评 columns, live
totals) with its toolbar: 测评 entry mode, adding the unit's people, the score template for
units that collect scores themselves (export, fill in, import back).

Adding the unit's people is a change of the round (optimistic locking): it passes the version
of the round the grid shows and keeps the version it leaves. When someone else changed the
round meanwhile it is refused (RoundChangedError, nothing added); the message is shown and
the grid and the section read the round again.

Keyboard first: Tab / Enter commit and move to the next editable cell, typing overwrites the
cell, Ctrl+V pastes a block copied from Excel through ONE all-or-nothing service call (see
:meth:`ScoreGridModel.paste`), Delete clears the selected cells.
"""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.assessment import (
    RoundChangedError,
    RoundDTO,
    add_unit_members,
    count_addable,
    get_round,
)
from models.core.errors import DomainError
from ui import jobs, messages
from ui.assessment.score_grid_model import (
    EDIT,
    ERROR_COLOUR,
    MODE_AVERAGES,
    MODE_VOTES,
    GridData,
    ModelIndex,
    ScoreGridModel,
    parse_clipboard,
    read_grid,
)
from ui.common import export_file, last_export_folder
from ui.settings import settings

if TYPE_CHECKING:
    from models.assessment import ScoreImportResult

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ScoreGrid", text)


class ScoreDelegate(QStyledItemDelegate):
    """A line editor that is checked as it is typed; Enter commits and moves on like Tab,
    unless the value is refused (then the editor stays, red, with the reason)."""

    problem = Signal(str)  # the reason of the text being typed ('' when fine)

    def __init__(self, model: ScoreGridModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.grid_model = model
        self.last_ok = True

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex
    ) -> QWidget:
        editor = QLineEdit(parent)
        editor.setObjectName("score_editor")
        editor.setFrame(False)
        idx = QPersistentModelIndex(index)
        editor.textChanged.connect(lambda text: self._check(editor, idx, text))
        return editor

    def _check(self, editor: QLineEdit, index: QPersistentModelIndex, text: str) -> None:
        reason = self.grid_model.check_text(index, text) if index.isValid() else None
        editor.setStyleSheet(f"background: {ERROR_COLOUR};" if reason else "")
        editor.setToolTip(reason or "")
        editor.setProperty("problem", reason or "")
        self.problem.emit(reason or "")

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        assert isinstance(editor, QLineEdit)
        editor.setText(str(index.data(EDIT) or ""))
        editor.selectAll()  # typing overwrites

    def setModelData(self, editor: QWidget, model: Any, index: ModelIndex) -> None:
        assert isinstance(editor, QLineEdit)
        self.last_ok = bool(model.setData(index, editor.text(), EDIT))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            # as in Excel: Enter stores and goes down (Shift+Enter up), Tab goes right
            down = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            moves = {
                Qt.Key.Key_Return: QAbstractItemDelegate.EndEditHint.NoHint,
                Qt.Key.Key_Enter: QAbstractItemDelegate.EndEditHint.NoHint,
                Qt.Key.Key_Tab: QAbstractItemDelegate.EndEditHint.EditNextItem,
                Qt.Key.Key_Backtab: QAbstractItemDelegate.EndEditHint.EditPreviousItem,
            }
            if key in moves and isinstance(obj, QLineEdit):
                self.commitData.emit(obj)
                if self.last_ok:
                    self.closeEditor.emit(obj, moves[key])
                    view = self.parent()
                    if down and isinstance(view, ScoreTable):
                        up = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                        view.step_rows(-1 if up else 1)
                else:
                    obj.selectAll()
                return True
        return super().eventFilter(obj, event)


class ScoreTable(QTableView):
    """The grid's view: next/previous cell skips the columns that cannot be edited; Ctrl+V
    pastes from the clipboard; Delete clears."""

    pasteFailed = Signal(str)
    pasted = Signal(int)

    def __init__(self, model: ScoreGridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("score_table")
        self.grid_model = model
        self.setModel(model)
        self.delegate = ScoreDelegate(model, self)
        self.setItemDelegate(self.delegate)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setTabKeyNavigation(True)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        current = self.currentIndex()
        if cursorAction not in (
            QAbstractItemView.CursorAction.MoveNext,
            QAbstractItemView.CursorAction.MovePrevious,
        ):
            return super().moveCursor(cursorAction, modifiers)
        ix = super().moveCursor(cursorAction, modifiers)
        for _ in range(self.grid_model.columnCount() + 1):
            if not ix.isValid() or self.grid_model.columns[ix.column()].editable:
                return ix
            self.setCurrentIndex(ix)  # step from here (restored below when nothing fits)
            ix = super().moveCursor(cursorAction, modifiers)
        self.setCurrentIndex(current)
        return current

    def step_rows(self, rows: int) -> None:
        """The cursor ``rows`` rows down (up when negative) in the same column, if there."""
        current = self.currentIndex()
        target = current.sibling(current.row() + rows, current.column())
        if current.isValid() and target.isValid():
            self.setCurrentIndex(target)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_from_clipboard()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != (
            QAbstractItemView.State.EditingState
        ):  # as in Excel: Enter goes down, Shift+Enter up
            up = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.step_rows(-1 if up else 1)
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.state() != (
            QAbstractItemView.State.EditingState
        ):
            try:
                self.grid_model.clear_cells(self.selectedIndexes())
            except DomainError as exc:
                self.pasteFailed.emit(str(exc))
            return
        super().keyPressEvent(event)

    def paste_from_clipboard(self) -> int | None:
        """Paste the clipboard at the top-left selected cell; returns cells changed, or None
        when refused (the reason goes out through ``pasteFailed``)."""
        block = parse_clipboard(QGuiApplication.clipboard().text())
        sel = self.selectedIndexes()
        anchor = min(sel, key=lambda i: (i.row(), i.column())) if sel else self.currentIndex()
        if not anchor.isValid():
            self.pasteFailed.emit(_tr("请先点选要粘贴到的左上角单元格"))
            return None
        try:
            n = self.grid_model.paste(anchor.row(), anchor.column(), block)
        except DomainError as exc:
            self.pasteFailed.emit(str(exc))
            return None
        m = self.grid_model
        bottom = min(anchor.row() + len(block), m.rowCount()) - 1
        right = min(anchor.column() + max(len(r) for r in block), m.columnCount()) - 1
        self.selectionModel().select(
            QItemSelection(anchor, m.index(bottom, right)),
            QItemSelectionModel.SelectionFlag.ClearAndSelect,
        )
        self.pasted.emit(n)
        return n


def _import(path: Path, round_id: int, **_job: Any) -> ScoreImportResult:
    # lazy: the spreadsheet readers (openpyxl, the intake) load on the first import
    from models.assessment import import_scores

    return import_scores(path, round_id)


def _export(dest: Path, round_id: int, unit_id: int | None, **_job: Any) -> int:
    # lazy: openpyxl loads on the first template written
    from models.assessment import export_score_template

    return export_score_template(round_id, unit_id, dest)


class ScoreGrid(QWidget):
    """评分录入 tab: the toolbar, a hint line and the grid."""

    # scores, votes or members were written, or adding members found the round changed by
    # someone else: the section reads the round again
    stored = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("score_grid")
        self.round: RoundDTO | None = None
        self.unit_id: int | None = None
        self.unit_name = ""
        self._loading: tuple[Any, ...] | None = None  # the grid being read in the background
        self.load_job: jobs.Job | None = None
        self.model = ScoreGridModel(self)
        self.table = ScoreTable(self.model, self)
        self.mode = QComboBox()
        self.mode.setObjectName("grid_mode")
        self.mode.addItem(_tr("民主测评按票数录入"), MODE_VOTES)
        self.mode.addItem(_tr("民主测评按各组平均分录入"), MODE_AVERAGES)
        self.mode.currentIndexChanged.connect(lambda _i: self.refresh(keep_mode=False))
        self.add_button = QPushButton(_tr("添加本单位考核人员"))
        self.add_button.setObjectName("grid_add_members")
        self.add_button.clicked.connect(self.add_members)
        self.export_button = QPushButton(_tr("导出评分模板…"))
        self.export_button.setObjectName("grid_export_template")
        self.export_button.clicked.connect(self.export_template)
        self.import_button = QPushButton(_tr("导入评分表…"))
        self.import_button.setObjectName("grid_import")
        self.import_button.clicked.connect(self.import_file)
        bar = QHBoxLayout()
        bar.addWidget(self.mode)
        bar.addStretch(1)
        bar.addWidget(self.add_button)
        bar.addWidget(self.export_button)
        bar.addWidget(self.import_button)
        self.hint = QLabel()
        self.hint.setObjectName("grid_hint")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        self.table.delegate.problem.connect(self._show_problem)
        self.table.pasteFailed.connect(self._paste_failed)
        self.table.pasted.connect(self._pasted)
        self.model.stored.connect(self.stored)
        self.model.conflicted.connect(self._conflicted)
        self._default_hint()

    def _conflicted(self, text: str) -> None:
        """Someone else changed a cell meanwhile: the grid already shows the new values; say
        so once the editor has closed (not from inside the cell's commit)."""
        QTimer.singleShot(0, self, lambda: messages.conflict(self, text))

    # -- contents -------------------------------------------------------------------------

    def set_round(self, rnd: RoundDTO | None, unit_id: int | None, unit_name: str = "") -> None:
        self.round, self.unit_id, self.unit_name = rnd, unit_id, unit_name
        self.add_button.setText(
            _tr("添加本单位考核人员") if unit_id is not None else _tr("添加全部单位考核人员…")
        )
        self.refresh()

    def refresh(self, *, keep_mode: bool = True) -> None:
        """Read the grid again. A big round (more than jobs.BACKGROUND_ROWS members) is read on
        the worker thread: the section stays usable, the grid shows 正在读取… meanwhile."""
        rnd = self.round
        mode = None if keep_mode else self.mode.currentData()
        rid = rnd.id if rnd else None
        if rnd is None or rnd.members <= jobs.BACKGROUND_ROWS:
            self._loading = None
            self.model.load(rid, self.unit_id, read_only=bool(rnd and rnd.locked), mode=mode)
            self._loaded()
            return
        key = (rid, self.unit_id, mode)
        self._loading = key
        self.model.show(GridData(None, mode=self.model.mode))
        for b in (self.add_button, self.import_button, self.mode, self.export_button):
            b.setEnabled(False)
        self._set_hint(_tr("正在读取 {n} 人的评分…").format(n=rnd.members), error=False)

        def show(data: GridData) -> None:
            if self._loading != key:  # another round or unit was chosen meanwhile
                return
            self._loading = None
            self.model.show(data, read_only=rnd.locked)
            self._loaded()

        unit_id, default_mode = self.unit_id, self.model.mode

        def read(**_progress_and_cancel: object) -> GridData:
            return read_grid(rid, unit_id, mode, default_mode)

        self.load_job = jobs.runner().run(
            read, title=_tr("读取评分"), parent_widget=self, on_success=show, quiet=True
        )

    def _loaded(self) -> None:
        rnd = self.round
        self.mode.blockSignals(True)
        self.mode.setCurrentIndex(self.mode.findData(self.model.mode))
        self.mode.blockSignals(False)
        writable = rnd is not None and not rnd.locked
        for b in (self.add_button, self.import_button, self.mode):
            b.setEnabled(writable)
        self.export_button.setEnabled(rnd is not None)
        self._size_columns()
        self._default_hint()

    def select_person(self, cadre_id: int) -> bool:
        """Put the cursor on the person's row: on the first score still empty, else the name.
        False when the person is not in the grid (another unit, or not taking part)."""
        r = next(
            (k for k, row in enumerate(self.model.rows) if row.member.cadre_id == cadre_id), None
        )
        if r is None:
            return False
        row = self.model.rows[r]
        c = next(
            (
                k
                for k, col in enumerate(self.model.columns)
                if col.editable and not self.model.cell_text(row, col)
            ),
            0,
        )
        index = self.model.index(r, c)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        self.table.setFocus()
        self._set_hint(_tr("{who}：请补录后再计算等次").format(who=row.who), error=False)
        return True

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        fm = self.table.fontMetrics()
        for c, col in enumerate(self.model.columns):
            if col.kind == "name":
                width = fm.horizontalAdvance("欧阳晓明") + 20
            elif col.kind == "unit":
                width = fm.horizontalAdvance("市人力资源和社会保障局") + 16
            else:
                lines = col.header.split("\n")
                width = max(fm.horizontalAdvance(t) for t in [*lines, "100.00"]) + 18
            self.table.setColumnWidth(c, width)
        header.setMinimumHeight(fm.height() * 2 + 12)

    def _default_hint(self) -> None:
        rnd = self.round
        if rnd is None:
            text = _tr("请先选择或新建考核轮次")
        elif rnd.locked:
            text = _tr("“{name}”已审定锁定，只能查看；如需修改请先解锁").format(name=rnd.name)
        elif not self.model.rows:
            text = _tr("本范围还没有考核人员：点“{button}”").format(
                button=self.add_button.text().rstrip("…")
            )
        else:
            text = _tr(
                "{n} 人。直接输入分数，回车到下一行、Tab 到下一格；"
                "可从 Excel 复制一块后按 Ctrl+V 粘贴；Delete 清除所选"
            ).format(n=len(self.model.rows))
        self._set_hint(text, error=False)

    def _set_hint(self, text: str, *, error: bool) -> None:
        self.hint.setText(text)
        self.hint.setStyleSheet("color: #b00020;" if error else "color: #444;")

    def _show_problem(self, reason: str) -> None:
        if reason:
            self._set_hint(reason, error=True)
        else:
            self._default_hint()

    def _paste_failed(self, text: str) -> None:
        self._set_hint(_tr("没有修改任何数据"), error=True)
        messages.error(self, text, _tr("粘贴未完成，没有修改任何数据"))

    def _pasted(self, n: int) -> None:
        self._set_hint(_tr("已粘贴，{n} 个单元格有变化").format(n=n), error=False)

    # -- actions --------------------------------------------------------------------------

    def add_members(self) -> int:
        if self.round is None:
            return 0
        rid, ver = self.round.id, self.round.version
        if self.unit_id is None and not self._confirm_all_units(self.round):
            return 0
        try:
            n = add_unit_members(rid, self.unit_id, expected_version=ver)
        except RoundChangedError as exc:
            note = _tr("已重新读取本轮考核的最新状态，请核对后再操作。")
            messages.error(self, f"{exc}\n\n{note}", _tr("添加考核人员"))
            self.round = get_round(rid)  # the other writer's state, and its version
            self.refresh()
            self.stored.emit()  # the section reads the round again too
            return 0
        except DomainError as exc:
            messages.error(self, str(exc))
            return 0
        self.round = get_round(rid)  # the version this add left: the next add sends it
        self.refresh()
        self.stored.emit()
        if self.unit_id is None:
            text = _tr("已添加全部单位在职干部 {n} 人").format(n=n)
        else:
            text = _tr("已添加“{unit}”及下级单位在职干部 {n} 人").format(unit=self.unit_name, n=n)
        messages.info(self, _tr("添加考核人员"), text)
        return n

    def _confirm_all_units(self, rnd: RoundDTO) -> bool:
        """With 全部单位 selected: say how many 在职 cadres of every unit would be added and
        ask before adding them (nobody left to add: say so)."""
        try:
            n = count_addable(rnd.id, None)
        except DomainError as exc:
            messages.error(self, str(exc))
            return False
        if n == 0:
            messages.info(
                self, _tr("添加考核人员"), _tr("全部单位的在职干部都已在本轮考核中，无需添加")
            )
            return False
        return messages.ask_yes_no(
            self,
            _tr("添加考核人员"),
            _tr("将把全部单位的在职干部 {n} 人添加到“{round}”。是否继续？").format(
                n=n, round=rnd.name
            ),
        )

    def export_template(self) -> jobs.Job | None:
        if self.round is None:
            return None
        name = f"{self.round.name}评分表{('-' + self.unit_name) if self.unit_name else ''}.xlsx"
        return export_file(
            self,
            title=_tr("导出评分模板"),
            suggested=last_export_folder() / name,
            filters="Excel (*.xlsx)",
            remember_folder=True,
            write=partial(_export, round_id=self.round.id, unit_id=self.unit_id),
            done=lambda dest, n: _tr("评分模板 {n} 人已导出到\n{path}").format(n=n, path=dest),
        )

    def import_file(self) -> jobs.Job | None:
        if self.round is None:
            return None
        folder = Path(settings().last_import_dir or Path.home())
        path = messages.open_file(self, _tr("导入评分表"), folder, "Excel (*.xlsx)")
        if path is None:
            return None
        settings().last_import_dir = str(path.parent)

        def done(result: ScoreImportResult) -> None:
            self.refresh()
            if result.imported:
                self.stored.emit()
            text = "\n".join(result.lines()[:40])
            if result.ok:
                messages.info(self, _tr("导入评分表"), text)
            else:
                messages.error(self, _tr("没有导入任何数据：\n") + text, _tr("导入评分表"))

        return jobs.runner().run(
            _import,
            path,
            self.round.id,
            title=_tr("导入评分表"),
            parent_widget=self,
            on_success=done,
        )
