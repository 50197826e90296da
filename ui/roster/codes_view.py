"""The 代码表 screen: the editable pick-lists (民族, 政治面貌, 学历 …).

Kinds on the left, the items of the chosen kind in a table, and buttons that call
models.roster.codes. A refusal (a name already taken, deleting an item in use) is shown in Chinese
as models.roster.codes words it. Each edit passes the version of the item the table shows;
when someone else changed the item meanwhile, the conflict message says who and when and
the list is read again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.core.errors import ConflictError, DomainError
from models.roster import codes
from models.roster.codes import CodeItem
from models.roster.picklists import KINDS
from ui import messages
from ui.common import HeadedTableModel

log = logging.getLogger(__name__)

DISPLAY = Qt.ItemDataRole.DisplayRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1
ModelIndex = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("CodesView", text)


class CodesModel(HeadedTableModel):
    """Items of one pick-list: 名称, 代码, 使用次数, 状态, 别名. Switched-off items are grey."""

    HEADERS = ("名称", "代码", "使用次数", "状态", "别名")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[CodeItem] = []

    def set_items(self, items: list[CodeItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> CodeItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, item_id: int) -> int | None:
        return next((r for r, i in enumerate(self._items) if i.id == item_id), None)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: ModelIndex, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        col = index.column()
        if role == DISPLAY:
            if col == 0:
                return item.name
            if col == 1:
                return item.code
            if col == 2:
                return str(item.used)
            if col == 4:
                return "、".join(item.variants)
            return _tr("启用") if item.active else _tr("停用")
        if role == Qt.ItemDataRole.ToolTipRole and col == 4 and item.variants:
            return _tr("导入时这些写法都识别为“{name}”").format(name=item.name)
        if role == ID_ROLE:
            return item.id
        if role == Qt.ItemDataRole.ForegroundRole and not item.active:
            return QBrush(QColor(128, 128, 128))
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 2, 3):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def column_headers(self) -> Sequence[str]:
        return self.HEADERS


class CodesView(QWidget):
    """代码表."""

    codesChanged = Signal()  # an item was added, renamed, moved, switched or deleted

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("codes_view")
        self.kinds = QListWidget()
        self.kinds.setObjectName("code_kinds")
        for kind, name in KINDS.items():
            item = QListWidgetItem(name)
            item.setData(ID_ROLE, kind)
            self.kinds.addItem(item)
        char = self.fontMetrics().horizontalAdvance("中")
        self.kinds.setFixedWidth(char * 8 + 24)
        self.kinds.setStyleSheet("QListWidget::item { padding: 6px 4px; }")

        self.title = QLabel()
        self.title.setObjectName("codes_title")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.model = CodesModel(self)
        self.table = QTableView()
        self.table.setObjectName("codes_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 5), (2, 5), (3, 4)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.table.setColumnWidth(col, char * width + 16)

        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for name, text, slot in (
            ("add", _tr("新增(&A)…"), self.add_item),
            ("rename", _tr("改名(&R)…"), self.rename_current),
            ("variants", _tr("别名(&V)…"), self.edit_variants),
            ("up", _tr("上移(&U)"), lambda: self.move_current(-1)),
            ("down", _tr("下移(&W)"), lambda: self.move_current(1)),
            ("toggle", _tr("停用(&T)"), self.toggle_current),
            ("delete", _tr("删除(&D)"), self.delete_current),
        ):
            button = QPushButton(text)
            button.setObjectName(f"code_{name}_button")
            button.clicked.connect(lambda _c=False, s=slot: s())
            self.buttons[name] = button
            row.addWidget(button)
        row.addStretch(1)
        self.status_label = QLabel()
        self.status_label.setObjectName("codes_status")
        self.status_label.setWordWrap(True)
        note = QLabel(
            _tr(
                "改名会同时改正所有干部信息中的这个值，并记入修改记录。"
                "已被使用的项不能删除，可以停用：停用后不再出现在选项中，原有记录不变。"
                "别名是同一项的其他写法（如“大学”即“大学本科”），导入时自动识别为该项。"
            )
        )
        note.setWordWrap(True)

        right = QWidget()
        rlay = QVBoxLayout(right)
        rlay.setContentsMargins(0, 0, 0, 0)
        rlay.addWidget(self.title)
        rlay.addWidget(self.table, 1)
        rlay.addLayout(row)
        rlay.addWidget(self.status_label)
        rlay.addWidget(note)
        layout = QHBoxLayout(self)
        layout.addWidget(self.kinds)
        layout.addWidget(right, 1)

        self.kinds.currentRowChanged.connect(lambda _r: self.reload())
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.rename_current())
        self.kinds.setCurrentRow(0)

    # -- state ------------------------------------------------------------------------------

    def current_kind(self) -> str:
        item = self.kinds.currentItem()
        return str(item.data(ID_ROLE)) if item is not None else next(iter(KINDS))

    def select_kind(self, kind: str) -> None:
        self.kinds.setCurrentRow(list(KINDS).index(kind))

    def current_item(self) -> CodeItem | None:
        index = self.table.currentIndex()
        return self.model.item(index.row()) if index.isValid() else None

    def select_item(self, item_id: int) -> bool:
        row = self.model.row_of(item_id)
        if row is None:
            return False
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def reload(self, select: int | None = None) -> None:
        """Read the items of the current kind again, keeping (or moving to) a selection."""
        keep = select if select is not None else getattr(self.current_item(), "id", None)
        kind = self.current_kind()
        items = codes.list_items(kind)
        self.model.set_items(items)
        self.title.setText(_tr("{kind}（{n} 项）").format(kind=KINDS[kind], n=len(items)))
        if not (keep is not None and self.select_item(keep)) and items:
            self.table.selectRow(0)
        self._update_buttons()

    @Slot()
    def _update_buttons(self, *_args: object) -> None:
        item = self.current_item()
        row = self.table.currentIndex().row()
        has = item is not None
        self.buttons["rename"].setEnabled(has)
        self.buttons["variants"].setEnabled(has)
        self.buttons["up"].setEnabled(has and row > 0)
        self.buttons["down"].setEnabled(has and row < self.model.rowCount() - 1)
        self.buttons["toggle"].setEnabled(has)
        self.buttons["toggle"].setText(
            _tr("启用(&T)") if item is not None and not item.active else _tr("停用(&T)")
        )
        self.buttons["delete"].setEnabled(has)

    def _do(self, title: str, change: Callable[[], object]) -> object | None:
        """Run a models.roster.codes change; show its refusal. Returns what it returned."""
        try:
            out = change()
        except ConflictError as e:  # changed by someone else since the list was read
            self.reload()  # the message says the list is current
            self.codesChanged.emit()
            messages.conflict(self, str(e))
            return None
        except DomainError as e:
            messages.error(self, str(e), title)
            return None
        self.codesChanged.emit()
        return out if out is not None else True

    # -- actions ----------------------------------------------------------------------------

    @Slot()
    def add_item(self) -> None:
        kind = self.current_kind()
        label = KINDS[kind]
        name = messages.ask_text(self, _tr("新增{kind}").format(kind=label), _tr("名称："))
        if name is None:
            return
        prompt = _tr("“{name}”的代码（可不填）：").format(name=name.strip())
        code = messages.ask_text(self, _tr("新增{kind}").format(kind=label), prompt)
        if code is None:
            return
        added = self._do(_tr("不能新增"), lambda: codes.add_item(kind, name, code))
        if isinstance(added, CodeItem):
            self.reload(added.id)
            self.status_label.setText(_tr("已新增“{name}”。").format(name=added.name))

    @Slot()
    def rename_current(self) -> None:
        item = self.current_item()
        if item is None:
            return
        name = messages.ask_text(
            self,
            _tr("改名"),
            _tr("“{name}”的新名称（已用 {n} 处，会一起改）：").format(name=item.name, n=item.used),
            item.name,
        )
        if name is None or name.strip() == item.name:
            return
        changed = self._do(
            _tr("不能改名"),
            lambda: codes.rename_item(item.id, name, expected_version=item.version),
        )
        if changed is None:
            return
        self.reload(item.id)
        self.status_label.setText(
            _tr("已把“{old}”改为“{new}”，{n} 处干部信息随之更新。").format(
                old=item.name, new=name.strip(), n=changed if isinstance(changed, int) else 0
            )
        )

    @Slot()
    def edit_variants(self) -> None:
        item = self.current_item()
        if item is None:
            return
        text = messages.ask_text(
            self,
            _tr("别名"),
            _tr("“{name}”的别名，用顿号“、”分隔（导入时这些写法都识别为它）：").format(
                name=item.name
            ),
            "、".join(item.variants),
        )
        if text is None:
            return
        done = self._do(
            _tr("不能修改别名"),
            lambda: codes.set_variants(item.id, [text], expected_version=item.version),
        )
        if not isinstance(done, CodeItem):
            return
        self.reload(item.id)
        self.status_label.setText(
            _tr("已修改“{name}”的别名：{variants}").format(
                name=item.name, variants="、".join(done.variants) or _tr("（无）")
            )
        )

    def move_current(self, step: int) -> None:
        item = self.current_item()
        if item is None:
            return
        move = self._do(
            _tr("不能移动"), lambda: codes.move_item(item.id, step, expected_version=item.version)
        )
        if move is not None:
            self.reload(item.id)

    @Slot()
    def toggle_current(self) -> None:
        item = self.current_item()
        if item is None:
            return
        active = not item.active
        if (
            self._do(
                _tr("不能修改"),
                lambda: codes.set_active(item.id, active, expected_version=item.version),
            )
            is None
        ):
            return
        self.reload(item.id)
        text = _tr("已启用“{name}”。") if active else _tr("已停用“{name}”，它不再出现在选项中。")
        self.status_label.setText(text.format(name=item.name))

    @Slot()
    def delete_current(self) -> None:
        item = self.current_item()
        if item is None:
            return
        if not messages.ask_yes_no(
            self, _tr("删除"), _tr("确定删除“{name}”吗？").format(name=item.name)
        ):
            return
        if (
            self._do(
                _tr("不能删除"), lambda: codes.delete_item(item.id, expected_version=item.version)
            )
            is None
        ):
            return
        self.reload()
        self.status_label.setText(_tr("已删除“{name}”。").format(name=item.name))


__all__ = ["CodesModel", "CodesView"]
