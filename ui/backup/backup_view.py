"""The 备份与恢复 section: the database's backups (date, kind, size, check), 立即备份,
恢复 after a confirmation that says the current data is backed up first, and 打开备份文件夹.

The screen only shows what :mod:`models.backup` lists; backing up and restoring run on the
worker (ui.jobs) with progress, and a restore reopens the database there (migrations bring
an older backup up to date) before the screen says it is done.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QVBoxLayout, QWidget

from models import backup
from models.accounts import Permission, require
from models.core.errors import DomainError, os_error_text
from models.schema import LATEST, open_database
from ui import jobs, messages
from ui.common import Column, RowsModel, button, table_view

log = logging.getLogger(__name__)

__all__ = ["BackupView", "backup_columns"]

_NOTE_STYLE = "color: #555;"
_ERROR_STYLE = "color: #b91c1c;"


def _tr(text: str) -> str:
    return QCoreApplication.translate("BackupView", text)


def backup_columns() -> list[Column[backup.BackupInfo]]:
    return [
        Column(_tr("日期"), lambda b: f"{b.when:%Y-%m-%d %H:%M:%S}", True),
        Column(_tr("类别"), lambda b: b.label, True),
        Column(_tr("大小"), lambda b: backup.size_text(b.size), True),
        Column(
            _tr("校验"),
            lambda b: _tr("已校验") if b.checked else _tr("未校验"),
            True,
            tooltip=lambda b: _tr("备份写完后通过了完整性检查，才改为正式文件名"),
        ),
        Column(_tr("文件名"), lambda b: b.name, tooltip=lambda b: str(b.path)),
    ]


class BackupView(QWidget):
    """The 备份与恢复 section for the open database; ``target`` is how it was opened (a
    file path or a server URL), which a restore reopens."""

    restored = Signal()  # the database now holds a backup's data: screens must re-read

    def __init__(self, target: str | Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backup_view")
        self.target = str(target)
        self.source = backup.source_of()
        title = QLabel(_tr("备份与恢复"))
        title.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.where = QLabel()
        self.where.setObjectName("backup_where")
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.where.setWordWrap(True)
        rules = QLabel(
            _tr(
                "每天第一次启动时自动备份一次；导入名册或打分表、计算等次、审定之前也自动备份。"
                "每份备份写完后先通过完整性检查，才出现在下面的列表中。"
                "保留最近 7 天每天最新的一份、最近 4 周每周一份、最近 12 个月每月一份，"
                "以及 7 天内的手动备份和操作前备份；最新的一份总是保留。"
            )
        )
        rules.setObjectName("backup_rules")
        rules.setWordWrap(True)
        rules.setStyleSheet(_NOTE_STYLE)
        self.problem = QLabel()
        self.problem.setObjectName("backup_problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(_ERROR_STYLE)
        self.problem.hide()

        self.model: RowsModel[backup.BackupInfo] = RowsModel(
            backup_columns(), lambda b: hash(b.path), self
        )
        self.table = table_view(
            self.model,
            "backup_table",
            read_only=True,
            resize=QHeaderView.ResizeMode.ResizeToContents,
            stretch=(4,),
        )
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        self.count_label = QLabel()
        self.count_label.setObjectName("backup_count")

        self.backup_button = button(_tr("立即备份"), "backup_now", self.backup_now)
        self.restore_button = button(
            _tr("恢复所选备份…"),
            "backup_restore",
            self.restore_selected,
            tooltip=_tr("用所选的备份替换当前数据库的全部数据（当前数据会先备份）"),
        )
        self.restore_file_button = button(
            _tr("从其他位置恢复…"),
            "backup_restore_file",
            self.restore_from_file,
            tooltip=_tr("选择一个其他文件夹（如U盘）中的备份文件来恢复"),
        )
        self.folder_button = button(_tr("打开备份文件夹"), "backup_open_folder", self.open_folder)
        self.refresh_button = button(_tr("刷新"), "backup_refresh", self.refresh)
        buttons = QHBoxLayout()
        for b in (self.backup_button, self.restore_button, self.restore_file_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        buttons.addWidget(self.folder_button)
        buttons.addWidget(self.refresh_button)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.where)
        layout.addWidget(rules)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.refresh()

    # -- what the screen shows ------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        # backups made since (before an import, a grading …) show when the section is opened
        self.refresh()
        super().showEvent(event)

    @property
    def folder(self) -> Path | None:
        return None if self.source is None else backup.backup_folder(self.source)

    @Slot()
    def refresh(self) -> None:
        """Re-read the list of backups (a folder listing: quick)."""
        if self.source is None:
            self.where.setText(_tr("内存中的数据库没有备份"))
            self.model.set_rows([])
            self._update_buttons()
            return
        self.where.setText(
            _tr("数据库：{db}\n备份文件夹：{folder}").format(
                db=backup.describe(self.source), folder=self.folder
            )
        )
        problem = ""
        if self.source.server and not backup.tools_available():
            problem = _tr("找不到 PostgreSQL 备份程序 pg_dump / pg_restore，无法备份或恢复。") + (
                backup.CLIENT_TOOLS_HINT
            )
        rows: list[backup.BackupInfo] = []
        try:
            rows = backup.list_backups(self.source)
        except backup.ToolsMissing as exc:
            problem = str(exc)
        except Exception as exc:  # a folder that cannot be read: say so on the screen
            log.warning("listing backups failed: %s", exc)
            problem = str(exc) if isinstance(exc, DomainError) else _tr("无法读取备份文件夹")
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.model.set_rows(rows)
        total = sum(b.size for b in rows)
        self.count_label.setText(
            _tr("共 {n} 份，{size}").format(n=len(rows), size=backup.size_text(total))
        )
        self._update_buttons()

    def _selected(self) -> backup.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        usable = self.source is not None and not (
            self.source.server and not backup.tools_available()
        )
        busy = jobs.runner().busy
        self.backup_button.setEnabled(usable and not busy)
        self.restore_button.setEnabled(usable and not busy and self._selected() is not None)
        self.restore_file_button.setEnabled(usable and not busy)
        self.folder_button.setEnabled(self.source is not None)

    # -- actions --------------------------------------------------------------------------

    def _allowed(self) -> bool:
        """Whether the logged-in account may back up and restore (told when not)."""
        try:
            require(Permission.BACKUP)
        except DomainError as exc:
            messages.error(self, str(exc))
            return False
        return True

    @Slot()
    def backup_now(self) -> None:
        if self.source is None or not self._allowed():
            return
        job = jobs.runner().run(
            backup.backup_now,
            self.source,
            title=_tr("立即备份"),
            parent_widget=self,
            on_success=self._backed_up,
        )
        job.finished.connect(self._update_buttons)
        self._update_buttons()

    def _backed_up(self, info: backup.BackupInfo) -> None:
        self.refresh()
        row = next((k for k, b in enumerate(self.model.rows) if b.path == info.path), None)
        if row is not None:
            self.table.selectRow(row)
        messages.info(
            self,
            _tr("备份完成"),
            _tr("已备份为 {name}（{size}），并通过了完整性检查。").format(
                name=info.name, size=backup.size_text(info.size)
            ),
        )

    @Slot()
    def restore_selected(self) -> None:
        chosen = self._selected()
        if chosen is not None and self.restore_button.isEnabled():
            self._restore(chosen.path, f"{chosen.when:%Y-%m-%d %H:%M}，{chosen.label}")

    @Slot()
    def restore_from_file(self) -> None:
        if self.source is None:
            return
        kind = _tr("PostgreSQL 备份 (*.dump)") if self.source.server else _tr("数据库备份 (*.db)")
        path = messages.open_file(self, _tr("选择要恢复的备份"), self.folder or Path.home(), kind)
        if path is not None:
            self._restore(path, _tr("其他位置的备份"))

    def _restore(self, path: Path, what: str) -> None:
        if self.source is None or not self._allowed():
            return
        text = _tr(
            "用备份 {name}（{what}）替换数据库 {db} 的全部数据吗？\n\n"
            "恢复前会先把当前数据备份一份（恢复前），需要时可以再恢复回来。\n"
            "恢复期间请不要在其他电脑上使用这个数据库。"
        ).format(name=path.name, what=what, db=backup.describe(self.source))
        if not messages.ask_yes_no(self, _tr("恢复备份"), text):
            return
        job = jobs.runner().run(
            backup.restore,
            self.source,
            path,
            reopen=open_database,
            latest=LATEST,
            target=self.target,
            title=_tr("恢复备份"),
            parent_widget=self,
            on_success=self._restored,
        )
        job.finished.connect(self._update_buttons)
        self._update_buttons()

    def _restored(self, result: backup.RestoreResult) -> None:
        self.refresh()
        self.restored.emit()
        lines = [_tr("已用备份 {name} 恢复数据库。").format(name=result.restored.name)]
        if result.safety is not None:
            lines.append(_tr("恢复前的数据已备份为 {name}。").format(name=result.safety.name))
        if result.damaged_copy is not None:
            lines.append(
                _tr("已损坏的原数据库文件另存为 {path}。").format(path=result.damaged_copy)
            )
        messages.info(self, _tr("恢复完成"), "\n".join(lines))

    @Slot()
    def open_folder(self) -> None:
        folder = self.folder
        if folder is None:
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            messages.error(
                self,
                _tr("无法建立备份文件夹 {folder}：{why}").format(
                    folder=folder, why=os_error_text(exc)
                ),
            )
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            messages.error(self, _tr("无法打开文件夹 {folder}").format(folder=folder))
