"""The unit tree (单位) beside the roster: a filter for the table and the place where units
are added, renamed, moved, reordered and deleted (context menu). Every change goes through
models.roster.units with the version of the unit the tree shows; when someone else changed
the unit meanwhile the change is refused, the conflict message says who and when, and the
tree reads the units again. The tree reloads itself and says so with ``unitsChanged``."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QAction, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QMenu, QTreeView, QWidget

from models.core.errors import ConflictError, DomainError
from models.roster import UnitDTO
from models.roster import service as roster
from models.roster import units as unit_service
from ui import messages

log = logging.getLogger(__name__)

UNIT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
TOP_LEVEL = "（顶层，不属于任何单位）"


def _tr(text: str) -> str:
    return QCoreApplication.translate("UnitTree", text)


def subtree_counts(units: Sequence[UnitDTO]) -> dict[int, int]:
    """在职 cadres in each unit and all units below it."""
    by_id = {u.id: u for u in units}
    totals = {u.id: u.cadre_count for u in units}
    for u in units:
        parent = u.parent_id
        seen = 0
        while parent is not None and parent in by_id and seen < len(units):
            totals[parent] += u.cadre_count
            parent = by_id[parent].parent_id
            seen += 1
    return totals


class UnitTree(QTreeView):
    """全部单位 at the root, then the units with their 在职 counts (sub-units included)."""

    unitsChanged = Signal()  # a unit was added, renamed, moved, reordered or deleted

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unit_tree")
        self.unit_model = QStandardItemModel(self)
        self.setModel(self.unit_model)
        self.setHeaderHidden(True)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformRowHeights(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_menu)
        self.units: list[UnitDTO] = []

    # -- contents ---------------------------------------------------------------------------

    def reload(self) -> list[UnitDTO]:
        """Rebuild from the database (names and 在职 counts), keeping the selected unit.
        Emits no selection signal; returns the units."""
        keep = self.selected_unit_id()
        self.units = roster.list_units()
        totals = subtree_counts(self.units)
        self.selectionModel().blockSignals(True)
        try:
            self.unit_model.clear()
            root = QStandardItem(
                _tr("全部单位（{n}）").format(n=sum(u.cadre_count for u in self.units))
            )
            root.setData(None, UNIT_ID_ROLE)
            root.setEditable(False)
            self.unit_model.appendRow(root)
            items: dict[int, QStandardItem] = {}
            for u in self.units:  # two passes: a parent may sort after its child
                item = QStandardItem(f"{u.name}（{totals.get(u.id, 0)}）")
                item.setData(u.id, UNIT_ID_ROLE)
                item.setToolTip(u.name)
                item.setEditable(False)
                items[u.id] = item
            for u in self.units:
                parent = items.get(u.parent_id) if u.parent_id is not None else None
                (parent or root).appendRow(items[u.id])
            self.expand(root.index())
            for item in (items.get(u.id) for u in self.units if u.parent_id is None):
                if item is not None:
                    self.expand(item.index())
            target = items[keep].index() if keep in items else root.index()
            if keep in items:
                parent_index = target.parent()
                while parent_index.isValid():
                    self.expand(parent_index)
                    parent_index = parent_index.parent()
            self.setCurrentIndex(target)
        finally:
            self.selectionModel().blockSignals(False)
        return self.units

    def selected_unit_id(self) -> int | None:
        index = self.currentIndex()
        if not index.isValid():
            return None
        value = index.data(UNIT_ID_ROLE)
        return int(value) if value is not None else None

    def select_unit(self, unit_id: int | None) -> None:
        """Select ``unit_id`` (None: 全部单位)."""
        if unit_id is None:
            matches = [self.unit_model.index(0, 0)]
        else:
            matches = self.unit_model.match(
                self.unit_model.index(0, 0),
                UNIT_ID_ROLE,
                unit_id,
                1,
                Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
            )
        if matches:
            self.setCurrentIndex(matches[0])

    def _name(self, unit_id: int) -> str:
        return next((u.name for u in self.units if u.id == unit_id), str(unit_id))

    def _version(self, unit_id: int) -> int | None:
        """The version of the unit as the tree shows it (passed back with each edit)."""
        return next((u.version for u in self.units if u.id == unit_id), None)

    # -- the context menu -------------------------------------------------------------------

    def unit_menu(self) -> QMenu:
        """The actions for the selected unit (全部单位: only 新增顶层单位)."""
        menu = QMenu(self)
        menu.setObjectName("unit_menu")
        uid = self.selected_unit_id()

        def add(name: str, text: str, slot: Callable[[], object], enabled: bool = True) -> None:
            action = QAction(text, menu)
            action.setObjectName(name)
            action.setEnabled(enabled)
            action.triggered.connect(lambda _c=False: slot())
            menu.addAction(action)

        if uid is None:
            add("add_unit", _tr("新增顶层单位…"), self.add_child)
            return menu
        siblings = [u.id for u in self.units if u.parent_id == self._parent_of(uid)]
        pos = siblings.index(uid) if uid in siblings else 0
        add("add_unit", _tr("新增下级单位…"), self.add_child)
        add("rename_unit", _tr("改名…"), self.rename_selected)
        add("move_unit", _tr("移动到…"), self.move_selected)
        menu.addSeparator()
        add("unit_up", _tr("上移"), lambda: self.reorder_selected(-1), pos > 0)
        add("unit_down", _tr("下移"), lambda: self.reorder_selected(1), pos < len(siblings) - 1)
        menu.addSeparator()
        add("delete_unit", _tr("删除"), self.delete_selected)
        return menu

    @Slot(QPoint)
    def _show_menu(self, pos: QPoint) -> None:
        index = self.indexAt(pos)
        if index.isValid():
            self.setCurrentIndex(index)
        self.unit_menu().exec(self.viewport().mapToGlobal(pos))

    def _parent_of(self, unit_id: int) -> int | None:
        return next((u.parent_id for u in self.units if u.id == unit_id), None)

    def _changed(self, select: int | None) -> None:
        self.reload()
        if select is not None:
            self.select_unit(select)
        self.unitsChanged.emit()

    def _run(self, title: str, change: Callable[[], object]) -> bool:
        try:
            change()
        except ConflictError as e:  # changed by someone else since the tree read it
            self._changed(self.selected_unit_id())  # the message says the tree is current
            messages.conflict(self, str(e))
            return False
        except DomainError as e:
            messages.error(self, str(e), title)
            return False
        return True

    # -- actions ----------------------------------------------------------------------------

    @Slot()
    def add_child(self) -> None:
        parent_id = self.selected_unit_id()
        where = self._name(parent_id) if parent_id is not None else _tr("顶层")
        name = messages.ask_text(
            self, _tr("新增单位"), _tr("在“{where}”下新增单位，名称：").format(where=where)
        )
        if name is None:
            return
        created: list[int] = []
        title = _tr("不能新增单位")
        if self._run(title, lambda: created.append(unit_service.add_unit(name, parent_id).id)):
            self._changed(created[0])

    @Slot()
    def rename_selected(self) -> None:
        uid = self.selected_unit_id()
        if uid is None:
            return
        old = self._name(uid)
        name = messages.ask_text(
            self, _tr("单位改名"), _tr("“{old}”的新名称：").format(old=old), old
        )
        if name is None or name.strip() == old:
            return
        ver = self._version(uid)
        if self._run(
            _tr("不能改名"), lambda: unit_service.rename_unit(uid, name, expected_version=ver)
        ):
            self._changed(uid)

    @Slot()
    def move_selected(self) -> None:
        uid = self.selected_unit_id()
        if uid is None:
            return
        below = set(roster.subtree_ids(uid, self.units))
        paths = roster.unit_paths()
        targets: list[int | None] = [None] + [
            u.id for u in self.units if u.id not in below and u.id != self._parent_of(uid)
        ]
        if self._parent_of(uid) is None:
            targets.remove(None)
        if not targets:
            messages.info(self, _tr("移动单位"), _tr("没有可以移入的其他单位。"))
            return
        labels = [TOP_LEVEL if t is None else paths[t] for t in targets]
        picked = messages.choose_item(
            self,
            _tr("移动单位"),
            _tr("把“{name}”（连同下级单位）移到：").format(name=self._name(uid)),
            labels,
        )
        if picked is None:
            return
        target = targets[picked]
        ver = self._version(uid)
        if self._run(
            _tr("不能移动"), lambda: unit_service.move_unit(uid, target, expected_version=ver)
        ):
            self._changed(uid)

    def reorder_selected(self, step: int) -> None:
        uid = self.selected_unit_id()
        if uid is None:
            return
        ver = self._version(uid)
        if self._run(
            _tr("不能移动"),
            lambda: unit_service.move_unit_order(uid, step, expected_version=ver),
        ):
            self._changed(uid)

    @Slot()
    def delete_selected(self) -> None:
        uid = self.selected_unit_id()
        if uid is None:
            return
        name = self._name(uid)
        if not messages.ask_yes_no(
            self, _tr("删除单位"), _tr("确定删除单位“{name}”吗？").format(name=name)
        ):
            return
        ver = self._version(uid)
        if self._run(_tr("不能删除"), lambda: unit_service.delete_unit(uid, expected_version=ver)):
            self._changed(self._parent_of(uid))


__all__ = ["TOP_LEVEL", "UNIT_ID_ROLE", "UnitTree", "subtree_counts"]
