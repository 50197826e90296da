"""The 干部名册 screen: unit tree, search and filters, the roster table, and its actions.

Layout and wiring only: every query and change goes through models.roster.service. A status
change or a deletion passes the version of the row the table shows; when someone else
changed the cadre meanwhile it is refused, the conflict message says who and when, and the
table is read again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QItemSelectionModel,
    QPoint,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.core.errors import ConflictError, DomainError
from models.roster import STATUSES, RosterFilter, UnitDTO
from models.roster import service as roster
from ui import jobs, messages
from ui.roster.dossier import DossierPrinter
from ui.roster.exports import export_lrmx_file, export_lrmx_folder, export_roster, recent_results
from ui.roster.roster_model import RosterModel
from ui.roster.unit_tree import UnitTree
from ui.settings import settings

if TYPE_CHECKING:
    from ui.roster.cadre_dialog import CadreDialog
    from ui.roster.importing import ImportWizard

SEARCH_DELAY_MS = 150
ALL = "全部"

# Default column widths in characters of the UI font.
_WIDTH_CHARS = {
    "name": 4, "sex": 2.5, "birth": 5, "age": 2.5, "ethnicity": 4, "political_status": 4.5,
    "unit_name": 7.5, "post_title": 10, "leadership_level": 6, "rank": 6, "post_since": 5,
    "ft_education": 5, "id_card": 10, "phone": 7, "status": 2.5,
}  # fmt: skip
# Shown the first time; the rest can be switched on from the header's menu.
_HIDDEN_BY_DEFAULT = ["ethnicity", "post_since", "ft_education", "phone"]


def _tr(text: str) -> str:
    return QCoreApplication.translate("RosterView", text)


class RosterView(QWidget):
    """干部名册."""

    dataChanged = Signal()  # a cadre was added, edited, moved or deleted

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("roster_view")
        self._units: list[UnitDTO] = []
        self.model = RosterModel(self)
        self.model.recent_results = recent_results

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)

        self._build()
        self._wire()
        self.reload_units()
        self._restore_columns()
        self.apply_filter()

    # -- layout -----------------------------------------------------------------------------

    def _build(self) -> None:
        # Left: the unit tree (its context menu edits units).
        self.unit_tree = UnitTree()
        self.unit_model = self.unit_tree.unit_model

        # Right: the filter bar.
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            _tr("搜索姓名、拼音首字母（如 zs）、身份证号或“缺身份证号”  Ctrl+F")
        )
        self.search.setMinimumWidth(self.fontMetrics().horizontalAdvance("搜" * 24))

        self.level_combo = QComboBox()
        self.level_combo.setObjectName("level_filter")
        self.level_combo.addItem(_tr(ALL), "")
        for level in roster.level_choices():
            self.level_combo.addItem(level, level)
        self.level_combo.setMaxVisibleItems(25)

        self.status_combo = QComboBox()
        self.status_combo.setObjectName("status_filter")
        for status in STATUSES:
            self.status_combo.addItem(status, status)
        self.status_combo.addItem(_tr(ALL), "")

        level_label = QLabel(_tr("职务职级："))
        level_label.setBuddy(self.level_combo)
        status_label = QLabel(_tr("状态："))
        status_label.setBuddy(self.status_combo)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addSpacing(8)
        filters.addWidget(level_label)
        filters.addWidget(self.level_combo, 1)
        filters.addWidget(status_label)
        filters.addWidget(self.status_combo)

        # The table.
        self.table = QTableView()
        self.table.setObjectName("roster_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # several rows may be selected (导出任免审批表 for a selection); edit, status and delete
        # act on the current row
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        vh = self.table.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 10)
        hh = self.table.horizontalHeader()
        hh.setSectionsClickable(True)
        hh.setSortIndicatorShown(True)
        hh.setSortIndicatorClearable(True)
        hh.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        hh.setHighlightSections(False)
        hh.setStretchLastSection(True)
        hh.setSectionsMovable(False)
        hh.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        char = self.fontMetrics().horizontalAdvance("中")
        for col, key in enumerate(self.model.column_keys()):
            width = int(char * _WIDTH_CHARS.get(key, 6)) + 16
            if key == "id_card":  # 18 digits, not 18 Chinese characters
                width = self.fontMetrics().horizontalAdvance("0" * 18 + "X") + 16
            self.table.setColumnWidth(col, width)

        # Buttons and the count.
        self.new_button = QPushButton(_tr("新增(&N)"))
        self.new_button.setObjectName("new_button")
        self.new_button.setToolTip(_tr("新增干部（Ctrl+N）"))
        self.edit_button = QPushButton(_tr("编辑(&E)"))
        self.edit_button.setObjectName("edit_button")
        self.edit_button.setToolTip(_tr("编辑所选干部（回车或双击）"))
        self.status_button = QPushButton(_tr("调整状态(&S)"))
        self.status_button.setObjectName("status_button")
        status_menu = QMenu(self.status_button)
        self.status_actions: dict[str, QAction] = {}
        for status, text in (("调离", "调离…"), ("退休", "退休…"), ("在职", "恢复在职…")):
            action = status_menu.addAction(_tr(text))
            action.triggered.connect(lambda _c=False, s=status: self.change_status(s))
            self.status_actions[status] = action
        self.status_button.setMenu(status_menu)
        self.delete_button = QPushButton(_tr("删除(&D)"))
        self.delete_button.setObjectName("delete_button")
        self.delete_button.setToolTip(_tr("删除录入错误的干部（Del）；离开的人请用“调整状态”"))
        self.import_button = QPushButton(_tr("导入(&I)…"))
        self.import_button.setObjectName("import_button")
        self.import_button.setToolTip(
            _tr("从花名册（xlsx、csv）或任免审批表（lrmx、lrm）导入干部，可选整个文件夹")
        )
        self.lrmx_button = QPushButton(_tr("导出任免审批表(&L)"))
        self.lrmx_button.setObjectName("lrmx_button")
        self.lrmx_button.setToolTip(_tr("把所选干部导出为任免审批表（.lrmx）"))
        self.dossier = DossierPrinter(self, self.selected_ids, lambda: list(self.model.ids))
        self.export_button = QPushButton(_tr("导出 Excel(&X)"))
        self.export_button.setObjectName("export_button")
        self.export_button.setToolTip(_tr("把当前列表（按当前筛选和排序）导出为 xlsx"))
        self.count_label = QLabel()
        self.count_label.setObjectName("count_label")

        actions = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.status_button, self.delete_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.count_label)
        actions.addSpacing(12)
        actions.addWidget(self.import_button)
        actions.addWidget(self.lrmx_button)
        actions.addWidget(self.dossier.button)
        actions.addWidget(self.export_button)

        right = QWidget()
        rlay = QVBoxLayout(right)
        rlay.setContentsMargins(0, 0, 0, 0)
        rlay.addLayout(filters)
        rlay.addWidget(self.table, 1)
        rlay.addLayout(actions)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.unit_tree)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([char * 13, char * 70])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

        for a, b in (
            (self.unit_tree, self.search),
            (self.search, self.level_combo),
            (self.level_combo, self.status_combo),
            (self.status_combo, self.table),
            (self.table, self.new_button),
            (self.new_button, self.edit_button),
            (self.edit_button, self.status_button),
            (self.status_button, self.delete_button),
            (self.delete_button, self.import_button),
            (self.import_button, self.lrmx_button),
            (self.lrmx_button, self.dossier.button),
            (self.dossier.button, self.export_button),
        ):
            QWidget.setTabOrder(a, b)

    def _wire(self) -> None:
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._search_done)
        self.level_combo.currentIndexChanged.connect(self.apply_filter)
        self.status_combo.currentIndexChanged.connect(self.apply_filter)
        self.unit_tree.selectionModel().currentChanged.connect(self.apply_filter)
        self.model.filterApplied.connect(self._show_count)
        self.model.modelReset.connect(self._update_buttons)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        hh = self.table.horizontalHeader()
        hh.sortIndicatorChanged.connect(self.model.sort)
        hh.customContextMenuRequested.connect(self._column_menu)

        self.new_button.clicked.connect(self.add_cadre)
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_current)
        self.export_button.clicked.connect(self.export_xlsx)
        self.import_button.clicked.connect(self.import_roster)
        self.lrmx_button.clicked.connect(self.export_lrmx)
        self.unit_tree.unitsChanged.connect(self._units_changed)

        shortcuts: list[tuple[QKeySequence | Qt.Key, QWidget, Callable[[], object], bool]] = [
            (QKeySequence(QKeySequence.StandardKey.Find), self, self.focus_search, False),
            (QKeySequence(QKeySequence.StandardKey.New), self, self.add_cadre, False),
            (QKeySequence(Qt.Key.Key_Return), self.table, self.edit_current, True),
            (QKeySequence(Qt.Key.Key_Enter), self.table, self.edit_current, True),
            (QKeySequence(QKeySequence.StandardKey.Delete), self.table, self.delete_current, True),
        ]
        self._shortcuts = []
        for keys, owner, slot, widget_only in shortcuts:
            sc = QShortcut(keys, owner)
            if widget_only:
                sc.setContext(Qt.ShortcutContext.WidgetShortcut)
            sc.activated.connect(slot)
            self._shortcuts.append(sc)

    # -- units ------------------------------------------------------------------------------

    def reload_units(self) -> None:
        """Rebuild the unit tree (names and 在职 counts), keeping the selected unit."""
        self._units = self.unit_tree.reload()
        self.model.set_units(self._units)

    def selected_unit_id(self) -> int | None:
        return self.unit_tree.selected_unit_id()

    def select_unit(self, unit_id: int | None) -> None:
        """Select ``unit_id`` in the tree (None: 全部单位); the table follows."""
        self.unit_tree.select_unit(unit_id)

    @Slot()
    def _units_changed(self) -> None:
        """A unit was edited in the tree: names, paths and counts in the table may change."""
        self._units = self.unit_tree.units
        self.model.set_units(self._units)
        self.apply_filter()
        self.dataChanged.emit()

    # -- filtering --------------------------------------------------------------------------

    def current_filter(self) -> RosterFilter:
        current = self.model.filter
        return RosterFilter(
            unit_id=self.selected_unit_id(),
            include_subunits=True,
            text=self.search.text(),
            level=self.level_combo.currentData() or "",
            status=self.status_combo.currentData() or "",
            sort=current.sort,
            descending=current.descending,
        )

    @Slot()
    def apply_filter(self) -> None:
        self._search_timer.stop()
        keep = self.current_id()
        self.model.set_filter(self.current_filter())
        if (keep is None or not self.select_id(keep)) and self.model.rowCount() > 0:
            self.table.selectRow(0)
        self._update_buttons()

    @Slot()
    def _search_done(self) -> None:
        if self._search_timer.isActive():
            self.apply_filter()
        if self.model.rowCount() > 0:
            self.table.setFocus()
            if self.current_id() is None:
                self.table.selectRow(0)

    @Slot()
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    @Slot(int)
    def _show_count(self, n: int) -> None:
        self.count_label.setText(_tr("共 {n} 人").format(n=n))

    # -- columns ----------------------------------------------------------------------------

    def hidden_columns(self) -> list[str]:
        return [
            key
            for col, key in enumerate(self.model.column_keys())
            if self.table.isColumnHidden(col)
        ]

    def set_column_visible(self, key: str, visible: bool) -> None:
        keys = self.model.column_keys()
        shown = [k for k in keys if k not in self.hidden_columns()]
        if not visible and shown == [key]:
            return  # keep at least one column
        self.table.setColumnHidden(self.model.column_of(key), not visible)
        settings().roster_hidden_columns = self.hidden_columns()

    def _restore_columns(self) -> None:
        s = settings()
        stored = s.roster_hidden_columns
        widths = s.roster_column_widths
        hidden = _HIDDEN_BY_DEFAULT if stored is None else stored
        keys = self.model.column_keys()
        for col, key in enumerate(keys):
            self.table.setColumnHidden(col, key in hidden)
            if widths.get(key, 0) > 10:
                self.table.setColumnWidth(col, widths[key])
        if all(self.table.isColumnHidden(c) for c in range(len(keys))):
            self.table.setColumnHidden(0, False)
        splitter = s.roster_splitter
        if not splitter.isEmpty():
            self.splitter.restoreState(splitter)

    def save_state(self) -> None:
        """Remember column widths and the splitter (called when the window closes)."""
        s = settings()
        s.roster_column_widths = {
            key: self.table.columnWidth(col)
            for col, key in enumerate(self.model.column_keys())
            if not self.table.isColumnHidden(col)
        }
        s.roster_splitter = self.splitter.saveState()

    @Slot(QPoint)
    def _column_menu(self, pos: QPoint) -> None:
        menu = self.column_menu()
        menu.exec(self.table.horizontalHeader().mapToGlobal(pos))

    def column_menu(self) -> QMenu:
        """The header's context menu: one checkable entry per column."""
        menu = QMenu(self)
        menu.setObjectName("column_menu")
        hidden = set(self.hidden_columns())
        for key, header in zip(self.model.column_keys(), _headers(self.model), strict=True):
            action = menu.addAction(header)
            action.setCheckable(True)
            action.setChecked(key not in hidden)
            action.setData(key)
            action.toggled.connect(lambda on, k=key: self.set_column_visible(k, on))
        return menu

    # -- the current cadre ------------------------------------------------------------------

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.id_at(index.row()) if index.isValid() else None

    def select_id(self, cadre_id: int) -> bool:
        row = self.model.row_of(cadre_id)
        if row is None:
            return False
        index = self.model.index(row, self._first_visible_column())
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def _first_visible_column(self) -> int:
        for col in range(self.model.columnCount()):
            if not self.table.isColumnHidden(col):
                return col
        return 0

    @Slot()
    def _update_buttons(self, *_args: object) -> None:
        has = self.current_id() is not None
        for w in (self.edit_button, self.status_button, self.delete_button, self.lrmx_button):
            w.setEnabled(has)
        self.export_button.setEnabled(self.model.rowCount() > 0)
        self.dossier.selected_action.setEnabled(has)
        self.dossier.button.setEnabled(self.model.rowCount() > 0)

    def _after_change(self, select: int | None = None) -> None:
        row = self.table.currentIndex().row()
        self.reload_units()
        self.model.refresh()
        if select is not None and self.select_id(select):
            pass
        elif self.model.rowCount() > 0 and row >= 0:
            self.table.selectRow(min(row, self.model.rowCount() - 1))
        self._update_buttons()
        self.dataChanged.emit()

    @Slot()
    def refresh(self) -> None:
        """Query units and cadres again (after a change made elsewhere, e.g. 代码表)."""
        self._after_change(self.current_id())

    # -- actions ----------------------------------------------------------------------------

    @Slot()
    def add_cadre(self) -> None:
        dto = _cadre_dialog().ask(self)
        if dto is not None:
            self._after_change(dto.id)

    @Slot()
    def edit_current(self) -> None:
        cid = self.current_id()
        if cid is None:
            return
        try:
            dto = _cadre_dialog().ask(self, cid)
        except DomainError as e:  # deleted by someone else meanwhile
            messages.error(self, str(e))
            self._after_change()
            return
        if dto is not None:
            self._after_change(dto.id)

    def change_status(self, status: str) -> None:
        cid = self.current_id()
        if cid is None:
            return
        row = self.model.row_data(self.table.currentIndex().row())
        name = row.name if row else ""
        if row is not None and row.status == status:
            messages.info(self, _tr("调整状态"), _tr("“{name}”已是{status}状态。").format(
                name=name, status=status))  # fmt: skip
            return
        reason = messages.ask_text(
            self,
            _tr("调整状态"),
            _tr("把“{name}”改为“{status}”。原因或去向（可不填）：").format(
                name=name, status=status
            ),
        )
        if reason is None:
            return
        version = row.version if row is not None else None
        try:
            roster.set_status(cid, status, reason=reason.strip(), expected_version=version)
        except ConflictError as e:  # changed by someone else since the table read it
            self._after_change(cid)  # the message says the table is current
            messages.conflict(self, str(e))
            return
        except DomainError as e:
            messages.error(self, str(e))
            return
        self._after_change(cid)

    @Slot()
    def delete_current(self) -> None:
        cid = self.current_id()
        if cid is None:
            return
        row = self.model.row_data(self.table.currentIndex().row())
        name = row.name if row else str(cid)
        if not messages.ask_yes_no(
            self,
            _tr("删除干部"),
            _tr(
                "确定删除“{name}”吗？删除后不能恢复。\n"
                "只有录入错误的记录才应删除；调离或退休的干部请用“调整状态”。"
            ).format(name=name),
        ):
            return
        version = row.version if row is not None else None
        try:
            roster.delete_cadre(cid, expected_version=version)
        except ConflictError as e:  # changed by someone else since the table read it
            self._after_change(cid)  # the message says the table is current
            messages.conflict(self, str(e))
            return
        except DomainError as e:
            messages.error(self, str(e), _tr("不能删除"))
            return
        self._after_change()

    @Slot()
    def import_roster(self) -> ImportWizard:
        """Open the import wizard (window-modal, not blocking); the roster refreshes after an
        import."""
        from ui.roster.importing import ImportWizard  # lazy: start-up time (file readers)

        wizard = ImportWizard(self)
        wizard.imported.connect(self._after_import)
        wizard.open()
        return wizard

    def _after_import(self, cadre_ids: list[int]) -> None:
        self._after_change(cadre_ids[0] if cadre_ids else None)

    def selected_ids(self) -> list[int]:
        """The cadres of the selected rows, in table order (the current one when none)."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        ids = [cid for cid in (self.model.id_at(r) for r in rows) if cid is not None]
        current = self.current_id()
        return ids or ([current] if current is not None else [])

    @Slot()
    def export_lrmx(self) -> Path | jobs.Job | None:
        """One selected cadre: ask for a file ``姓名.lrmx``. Several: ask for a folder and
        write one file each in the background."""
        ids = self.selected_ids()
        if len(ids) <= 1:
            return export_lrmx_file(self, ids[0]) if ids else None
        return export_lrmx_folder(self, ids)

    @Slot()
    def export_xlsx(self) -> jobs.Job | None:
        ids = self.model.ids
        if not ids:
            messages.info(self, _tr("导出"), _tr("当前列表没有干部可以导出。"))
            return None
        job = export_roster(self, ids)
        if job is not None:
            self.export_button.setEnabled(False)  # until the file is written
            job.finished.connect(self._update_buttons)
        return job


def _cadre_dialog() -> type[CadreDialog]:
    from ui.roster.cadre_dialog import CadreDialog  # lazy: start-up time (opened on demand)

    return CadreDialog


def _headers(model: RosterModel) -> list[str]:
    return [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())]


__all__ = ["RosterView"]
