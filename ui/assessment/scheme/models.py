"""Table models and helpers of the 考核方案 editor (ui.assessment.scheme.editor): an editable table
over plain dict rows (items, rater groups, vote values) and the collection of entries that
are not numbers, as FieldIssues naming where they are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from models.assessment.rules import fmt_number, to_decimal
from models.core.errors import DomainError, FieldIssue
from ui.common import HeadedTableModel

DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole
CHECK = Qt.ItemDataRole.CheckStateRole
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
ModelIndex = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("SchemeEditor", text)


@dataclass(frozen=True)
class Field:
    key: str
    header: str
    kind: str = "text"  # text / number / bool
    shown: bool = True  # False: kept in the row (an internal code), its column hidden


class FieldsModel(HeadedTableModel):
    """An editable table over plain dict rows; numbers are kept as the text typed so that a
    wrong entry can be named by the checks instead of being silently dropped."""

    edited = Signal()

    def __init__(self, fields: list[Field], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fields = fields
        self.rows: list[dict[str, Any]] = []
        self.read_only = False

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = [dict(r) for r in rows]
        self.endResetModel()

    def append(self, row: dict[str, Any]) -> int:
        n = len(self.rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self.rows.append(dict(row))
        self.endInsertRows()
        self.edited.emit()
        return n

    def remove(self, r: int) -> None:
        if 0 <= r < len(self.rows):
            self.beginRemoveRows(QModelIndex(), r, r)
            del self.rows[r]
            self.endRemoveRows()
            self.edited.emit()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.fields)

    def data(self, index: ModelIndex, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if not 0 <= index.column() < len(self.fields):
            return None
        f = self.fields[index.column()]
        value = self.rows[index.row()].get(f.key)
        if f.kind == "bool":
            if role == CHECK:
                return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
            return None
        if role in (DISPLAY, EDIT):
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and f.kind == "number":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def column_headers(self) -> Sequence[str]:
        return [f.header for f in self.fields]

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.read_only:
            return f
        if self.fields[index.column()].kind == "bool":
            return f | Qt.ItemFlag.ItemIsUserCheckable
        return f | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: ModelIndex, value: Any, role: int = EDIT) -> bool:
        if not index.isValid() or self.read_only:
            return False
        f = self.fields[index.column()]
        row = self.rows[index.row()]
        if f.kind == "bool" and role == CHECK:
            row[f.key] = Qt.CheckState(value) == Qt.CheckState.Checked
        elif f.kind != "bool" and role == EDIT:
            row[f.key] = str(value).strip()
        else:
            return False
        self.dataChanged.emit(index, index, [role, DISPLAY])
        self.edited.emit()
        return True


ITEM_FIELDS = [
    Field("code", _tr("代码"), shown=False),
    Field("name", _tr("名称")),
    Field("weight", _tr("权重%"), "number"),
    Field("full_score", _tr("满分"), "number"),
    Field("is_veto", _tr("一票否决"), "bool"),
    Field("veto_below", _tr("否决线"), "number"),
    Field("key_topic", _tr("重点内容")),
    Field("key_topic_weight", _tr("重点加权"), "number"),
]
GROUP_FIELDS = [
    Field("code", _tr("代码"), shown=False),
    Field("name", _tr("评价组")),
    Field("weight", _tr("权重"), "number"),
]
VOTE_FIELDS = [Field("label", _tr("票种")), Field("value", _tr("分值"), "number")]


def num_text(value: Decimal | None) -> str:
    return "" if value is None else fmt_number(value)


class Parse:
    """Collects the entries that are not numbers, as FieldIssues naming where they are."""

    def __init__(self) -> None:
        self.issues: list[FieldIssue] = []

    def dec(self, text: object, path: str, where: str, what: str) -> Decimal:
        try:
            return to_decimal(str(text or "").strip() or "0", what)
        except DomainError:
            self.issues.append(
                FieldIssue(path, where, _tr("{what}“{t}”不是数字").format(what=what, t=text))
            )
            return Decimal(0)

    def opt(self, text: object, path: str, where: str, what: str) -> Decimal | None:
        return None if not str(text or "").strip() else self.dec(text, path, where, what)
