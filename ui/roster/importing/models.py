"""Table models of the import wizard: the column-mapping table (with its combo delegate)
and the preview of planned rows. Both are QAbstractTableModel over plain data, checked by
qtmodeltester in tests/ui/roster/test_import_wizard.py."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from models.roster import FIELD_LABELS
from models.roster.import_plan import PREVIEW_FIELDS, ImportPlan, PlannedRow
from models.roster.intake import (
    ATTRIBUTE_LABELS,
    ColumnInfo,
    RowIssue,
    SheetLayout,
    UnimportedColumn,
    header_key,
)
from ui.common import HeadedTableModel

DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole
ModelIndex = QModelIndex | QPersistentModelIndex

IGNORE = "忽略（不导入）"
# Attributes a sheet column can feed (family rows, photos and unknown tags come only from
# .lrmx/.lrm files).
COLUMN_ATTRIBUTES = {
    k: v for k, v in ATTRIBUTE_LABELS.items() if k not in ("family", "photo", "extra")
}
ERROR_BACKGROUND = QColor(255, 214, 214)
WARNING_BACKGROUND = QColor(255, 243, 205)
UNMAPPED_BACKGROUND = QColor(255, 243, 205)
_STATUS_TEXT = {
    "auto": "自动识别",
    "user": "按上次的选择",
    "ignored": "不导入（如序号、年龄）",
    "duplicate": "与前面的列重复，不导入",
    "unmapped": "未识别，请选择",
}
_LETTERS = re.compile(r"[A-Z]{1,3}")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportWizard", text)


def issue_text(issue: RowIssue) -> str:
    """One problem without the file and row (the table shows those), reason first:
    '【身份证号】校验位错误…（H列“公民身份号码”：620402…）'."""
    where = f"{issue.column}列" if _LETTERS.fullmatch(issue.column or "") else issue.column
    if issue.header and issue.header != issue.label:
        where += f"“{issue.header}”"
    if issue.value and issue.value not in issue.message:
        where += f"：{issue.value}" if where else issue.value
    kind = "提示：" if issue.warning else ""
    return f"{kind}【{issue.label}】{issue.message}" + (f"（{where}）" if where else "")


class ColumnMappingModel(HeadedTableModel):
    """The columns of one sheet: letter, header as written, the attribute it feeds
    (editable; '' = ignore) and how that was decided. Choices are keyed by the header
    (as the reader compares headers) and shared by every sheet of the import."""

    HEADERS = ("列", "表头（原文）", "对应到", "说明")
    ATTRIBUTE_COLUMN = 2

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns: list[ColumnInfo] = []
        self.choices: dict[str, str | None] = {}

    def set_layout(self, layout: SheetLayout | None, choices: dict[str, str | None]) -> None:
        self.beginResetModel()
        self._columns = list(layout.columns) if layout else []
        self.choices = choices
        self.endResetModel()

    def column_info(self, row: int) -> ColumnInfo:
        return self._columns[row]

    def choice(self, row: int) -> str | None:
        column = self._columns[row]
        return self.choices.get(header_key(column.header), column.attribute)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: ModelIndex, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._columns):
            return None
        column = self._columns[index.row()]
        col = index.column()
        chosen = self.choice(index.row())
        if role == DISPLAY:
            if col == 0:
                return column.letter
            if col == 1:
                return column.header
            if col == 2:
                return COLUMN_ATTRIBUTES.get(chosen or "", _tr(IGNORE))
            if chosen != column.attribute:
                return _tr("已按您的选择修改")
            return _tr(_STATUS_TEXT.get(column.status, column.status))
        if role == EDIT:
            if col == self.ATTRIBUTE_COLUMN:
                return chosen or ""
            return self.data(index, DISPLAY)
        if role == Qt.ItemDataRole.BackgroundRole:
            if column.status == "unmapped" and chosen is None:
                return QBrush(UNMAPPED_BACKGROUND)
            return None
        if role == Qt.ItemDataRole.ToolTipRole and col == 1:
            return column.header
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = EDIT) -> bool:
        if role != EDIT or not index.isValid() or index.column() != self.ATTRIBUTE_COLUMN:
            return False
        attribute = str(value or "") or None
        if attribute is not None and attribute not in COLUMN_ATTRIBUTES:
            return False
        column = self._columns[index.row()]
        self.choices[header_key(column.header)] = attribute
        # Every row with the same header shows the same choice.
        self.dataChanged.emit(self.index(0, 0), self.index(len(self._columns) - 1, 3))
        return True

    def column_headers(self) -> Sequence[str]:
        return self.HEADERS

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.ATTRIBUTE_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags


class AttributeDelegate(QStyledItemDelegate):
    """A combo of the attributes (and 忽略) for the 对应到 column."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex
    ) -> QWidget:
        combo = QComboBox(parent)
        combo.setObjectName("attribute_combo")
        combo.addItem(_tr(IGNORE), "")
        for key, label in COLUMN_ATTRIBUTES.items():
            combo.addItem(label, key)
        combo.setMaxVisibleItems(20)
        combo.activated.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        pos = editor.findData(index.data(EDIT) or "")
        editor.setCurrentIndex(max(pos, 0))

    def setModelData(self, editor: QWidget, model: Any, index: ModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData() or "", EDIT)


class PreviewModel(HeadedTableModel):
    """The planned rows: where from, what will happen, the values as they will be stored,
    and the problems. Rows in error are red, rows with only 提示 yellow."""

    PREVIEW_LABELS = tuple("单位" if a == "unit" else FIELD_LABELS[a] for a in PREVIEW_FIELDS)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[PlannedRow] = []
        self.not_imported: list[UnimportedColumn] = []  # “未导入的列” of the plan
        self._rows: list[PlannedRow] = []
        self._only_problems = False
        self._show_file = False
        self._headers: list[str] = []
        self._set_headers()

    def _set_headers(self) -> None:
        # The reason comes right after the name, so it is seen without scrolling.
        self._headers = (["文件"] if self._show_file else []) + ["行号", "处理", "姓名", "问题"]
        self._headers += [label for label in self.PREVIEW_LABELS if label != "姓名"]

    def set_plan(self, plan: ImportPlan | None) -> None:
        self.beginResetModel()
        self.not_imported = list(plan.not_imported) if plan else []
        self._all = list(plan.rows) if plan else []
        files = {(r.source.file, r.source.sheet) for r in self._all}
        self._show_file = len(files) > 1 or any(r.source.row is None for r in self._all)
        self._set_headers()
        self._apply_filter()
        self.endResetModel()

    def set_only_problems(self, on: bool) -> None:
        self.beginResetModel()
        self._only_problems = on
        self._apply_filter()
        self.endResetModel()

    def _apply_filter(self) -> None:
        if self._only_problems:
            self._rows = [r for r in self._all if r.issues]
        else:
            self._rows = list(self._all)

    def planned(self, row: int) -> PlannedRow:
        return self._rows[row]

    def column_of(self, header: str) -> int:
        return self._headers.index(header)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def _text(self, r: PlannedRow, header: str) -> str:
        if header == "文件":
            return f"{r.source.file}·{r.source.sheet}" if r.source.sheet else r.source.file
        if header == "行号":
            return str(r.source.row) if r.source.row is not None else ""
        if header == "处理":
            return r.action
        if header == "问题":
            return "；".join(issue_text(i) for i in r.issues)
        return r.preview.get(header, "")

    def data(self, index: ModelIndex, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        header = self._headers[index.column()]
        if role == DISPLAY:
            return self._text(r, header)
        if role == Qt.ItemDataRole.BackgroundRole:
            if r.has_errors:
                return QBrush(ERROR_BACKGROUND)
            if r.issues:
                return QBrush(WARNING_BACKGROUND)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            if r.issues:
                return "\n".join(i.text() for i in r.issues)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and header == "处理" and r.has_errors:
            return QBrush(QColor(176, 0, 0))
        if role == Qt.ItemDataRole.TextAlignmentRole and header in ("行号", "处理"):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def column_headers(self) -> Sequence[str]:
        return self._headers


__all__ = [
    "COLUMN_ATTRIBUTES",
    "IGNORE",
    "AttributeDelegate",
    "ColumnMappingModel",
    "PreviewModel",
    "issue_text",
]
