"""The 自定义考核范围 box of the 考核方案 editor (ui.assessment.scheme.editor): pools the
组织部 draws itself — a name and the units that share one 优秀 quota (e.g. several small
部门 under 市委工作部门) — listed with 新增 / 修改 / 删除. The editor validates the whole
scheme (a name, at least one unit, a unit in one pool only); this box shows, reads and locks
its own list. Units are offered by name, as the round's members carry them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models.assessment.rules import NamedPool
from ui.common import button, ok_cancel


def _tr(text: str) -> str:
    return QCoreApplication.translate("SchemeEditor", text)


def pool_text(p: NamedPool) -> str:
    return _tr("{name}：{units}").format(name=p.name, units="、".join(p.units))


class PoolDialog(QDialog):
    """Name a pool and tick its units."""

    def __init__(
        self, units: Sequence[str], pool: NamedPool | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("named_pool_dialog")
        self.setWindowTitle(_tr("自定义考核范围"))
        self.name = QLineEdit(pool.name if pool else "")
        self.name.setObjectName("named_pool_name")
        self.name.setPlaceholderText(_tr("如：市委工作部门"))
        self.units = QListWidget()
        self.units.setObjectName("named_pool_units")
        chosen = set(pool.units) if pool else set()
        for unit in [*units, *sorted(chosen - set(units))]:
            item = QListWidgetItem(unit)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if unit in chosen else Qt.CheckState.Unchecked)
            self.units.addItem(item)
        form = QFormLayout(self)
        form.addRow(_tr("范围名称"), self.name)
        form.addRow(_tr("包括的单位\n（勾选）"), self.units)
        form.addRow(ok_cancel(self))
        self.resize(420, 480)

    def pool(self) -> NamedPool:
        units = tuple(
            self.units.item(k).text()
            for k in range(self.units.count())
            if self.units.item(k).checkState() == Qt.CheckState.Checked
        )
        return NamedPool(self.name.text().strip(), units)


class PoolsBox(QGroupBox):
    """The list of user-drawn pools; ``changed`` is called after every edit."""

    def __init__(
        self,
        units: Callable[[], Sequence[str]],
        changed: Callable[[], object],
        parent: QWidget | None = None,
    ) -> None:
        """``units()``: the unit names to offer; ``changed`` revalidates the scheme."""
        super().__init__(_tr("自定义考核范围（合并计算优秀名额）"), parent)
        self._units = units
        self._changed = changed
        self.pools: list[NamedPool] = []
        self.list = QListWidget()
        self.list.setObjectName("scheme_named_pools")
        self.list.setFixedHeight(self.fontMetrics().height() * 4 + 16)
        self.list.itemDoubleClicked.connect(lambda _i: self.edit_pool())
        self.add_button = button(_tr("新增…"), "scheme_pool_add", self.add_pool)
        self.edit_button = button(_tr("修改…"), "scheme_pool_edit", self.edit_pool)
        self.remove_button = button(_tr("删除"), "scheme_pool_remove", self.remove_pool)
        note = QLabel(
            _tr("所列单位不论人数多少，合在一起按一个范围计算优秀名额；优先于“小于 N 人并入上级”。")
        )
        note.setWordWrap(True)
        buttons = QVBoxLayout()
        for b in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(row)

    def load(self, pools: Sequence[NamedPool]) -> None:
        self.pools = list(pools)
        self._show()

    def _show(self) -> None:
        self.list.clear()
        for p in self.pools:
            self.list.addItem(pool_text(p))

    def _ask(self, pool: NamedPool | None) -> NamedPool | None:
        dlg = PoolDialog(self._units(), pool, self)
        return dlg.pool() if dlg.exec() == QDialog.DialogCode.Accepted else None

    def add_pool(self) -> NamedPool | None:
        pool = self._ask(None)
        if pool is not None:
            self.pools.append(pool)
            self._show()
            self._changed()
        return pool

    def edit_pool(self) -> NamedPool | None:
        k = self.list.currentRow()
        if not 0 <= k < len(self.pools):
            return None
        pool = self._ask(self.pools[k])
        if pool is not None:
            self.pools[k] = pool
            self._show()
            self._changed()
        return pool

    def remove_pool(self) -> None:
        k = self.list.currentRow()
        if 0 <= k < len(self.pools):
            del self.pools[k]
            self._show()
            self._changed()

    def set_read_only(self, locked: bool) -> None:
        for b in (self.add_button, self.edit_button, self.remove_button):
            b.setEnabled(not locked)
