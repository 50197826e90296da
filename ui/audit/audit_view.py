"""The 修改记录 section: who changed what, when, from what to what and why, filtered by
period, person, unit, kind of record and account, a page at a time, and exported to xlsx for
an inspector.

The screen only gathers the filter and shows what :mod:`models.audit` returns; the page is
read on the worker (a large log with a person or unit filter takes a moment), the export runs
through the shared export flow with progress and 取消.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from models import audit
from models.accounts import Permission, can
from models.core.errors import DomainError
from models.core.progress import IsCancelled, Progress
from models.roster import service as roster
from reports.audit import export_audit_xlsx
from ui import jobs, messages
from ui.common import Column, RowsModel, button, export_file, last_export_folder, table_view

log = logging.getLogger(__name__)

__all__ = ["AuditView", "audit_columns"]

_ERROR_STYLE = "color: #b91c1c;"
PAGE_SIZE = audit.PAGE_SIZE  # rows per page


def _tr(text: str) -> str:
    return QCoreApplication.translate("AuditView", text)


def audit_columns() -> list[Column[audit.ChangeRow]]:
    """The table's columns: those of the export (models.audit.HEADERS), long texts in full
    in a tooltip."""
    return [
        Column(_tr("时间"), lambda r: r.at_text, True),
        Column(_tr("账号"), lambda r: r.account, True),
        Column(_tr("操作"), lambda r: r.action, True),
        Column(_tr("类别"), lambda r: r.kind, True),
        Column(_tr("对象"), lambda r: r.subject, tooltip=lambda r: r.subject),
        Column(_tr("字段"), lambda r: r.field),
        Column(_tr("原值"), lambda r: r.old, tooltip=lambda r: r.old),
        Column(_tr("新值"), lambda r: r.new, tooltip=lambda r: r.new),
        Column(_tr("原因"), lambda r: r.reason, tooltip=lambda r: r.reason),
    ]


def _day(edit: QDateEdit) -> dt.date:
    q = edit.date()
    return dt.date(q.year(), q.month(), q.day())


def _date_edit(name: str, day: dt.date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _page(
    f: audit.AuditFilter, offset: int, *, progress: Progress, cancelled: IsCancelled
) -> audit.ChangePage:
    """Job: one page of the changes ``f`` selects."""
    progress(0, 0, "")
    return audit.list_changes(f, offset=offset, limit=PAGE_SIZE)


def _write(dest: Path, *, f: audit.AuditFilter, progress: Progress, cancelled: IsCancelled) -> int:
    """Job: the changes ``f`` selects, written to ``dest``."""
    return export_audit_xlsx(f, dest, progress=progress, cancelled=cancelled)


class AuditView(QWidget):
    """Filters on top (日期从/到, 人员, 单位, 类别, 账号), the changes below, newest first,
    :data:`PAGE_SIZE` at a time."""

    def __init__(self, parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("audit_view")
        today = today or dt.date.today()
        self.date_from = _date_edit("audit_from", dt.date(today.year, 1, 1))
        self.date_to = _date_edit("audit_to", today)
        self.person = QLineEdit()
        self.person.setObjectName("audit_person")
        self.person.setPlaceholderText(_tr("姓名或身份证号"))
        self.person.setClearButtonEnabled(True)
        self.person.setMinimumWidth(self.fontMetrics().horizontalAdvance("姓名或身份证号") + 48)
        self.person.returnPressed.connect(self.query)
        self.unit = QComboBox()
        self.unit.setObjectName("audit_unit")
        self.unit.setMinimumContentsLength(20)
        self.kind = QComboBox()
        self.kind.setObjectName("audit_kind")
        self.kind.setMinimumContentsLength(6)
        self.account = QComboBox()
        self.account.setObjectName("audit_account")
        self.account.setMinimumContentsLength(8)
        self.query_button = button(_tr("查询"), "audit_query", self.query)
        self.export_button = button(_tr("导出 Excel…"), "audit_export", self.export)

        filters = QGridLayout()
        filters.addWidget(QLabel(_tr("日期从")), 0, 0)
        filters.addWidget(self.date_from, 0, 1)
        filters.addWidget(QLabel(_tr("到")), 0, 2)
        filters.addWidget(self.date_to, 0, 3)
        filters.addWidget(QLabel(_tr("人员")), 0, 4)
        filters.addWidget(self.person, 0, 5)
        filters.addWidget(QLabel(_tr("单位")), 0, 6)
        filters.addWidget(self.unit, 0, 7)
        filters.addWidget(QLabel(_tr("类别")), 1, 0)
        filters.addWidget(self.kind, 1, 1)
        filters.addWidget(QLabel(_tr("账号")), 1, 2)
        filters.addWidget(self.account, 1, 3)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.query_button)
        actions.addWidget(self.export_button)
        filters.addLayout(actions, 1, 4, 1, 4)
        filters.setColumnStretch(7, 1)

        self.model: RowsModel[audit.ChangeRow] = RowsModel(audit_columns(), lambda r: r.id, self)
        self.table = table_view(
            self.model,
            "audit_table",
            read_only=True,
            row_numbers=False,  # a page's row 1 is not the log's first change
            resize=QHeaderView.ResizeMode.Interactive,
            stretch_last=True,
        )
        char = self.fontMetrics().horizontalAdvance("中")
        # 时间, 账号, 操作, 类别, 对象, 字段, 原值, 新值 in characters; 原因 takes the rest
        for column, chars in enumerate((10, 6, 3, 5, 18, 9, 9, 9)):
            self.table.setColumnWidth(column, chars * char + 16)

        self.count = QLabel()
        self.count.setObjectName("audit_count")
        self.count.setWordWrap(True)
        self.prev_button = button(_tr("上一页"), "audit_prev", self.previous_page)
        self.next_button = button(_tr("下一页"), "audit_next", self.next_page)
        pager = QHBoxLayout()
        pager.addWidget(self.count, 1)
        pager.addWidget(self.prev_button)
        pager.addWidget(self.next_button)

        title = QLabel(_tr("修改记录"))
        title.setStyleSheet("font-weight:bold; font-size:14px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(pager)

        self.filter: audit.AuditFilter | None = None  # what the table shows
        self._picked: tuple[str, int] | None = None  # a name shared by several: the one chosen
        self.offset = 0
        self.total = 0
        self._loaded = False
        self.reload_choices()
        self._update_pager()

    # -- the filter -----------------------------------------------------------------------

    def reload_choices(self) -> None:
        """Fill 单位, 类别 and 账号 from the database, keeping what is chosen."""
        self._fill(self.unit, _tr("全部单位"),
                   [(path, uid) for uid, path in sorted(roster.unit_paths().items(),
                                                        key=lambda x: x[1])])  # fmt: skip
        self._fill(self.kind, _tr("全部"), [(k, k) for k in audit.kind_choices()])
        self._fill(self.account, _tr("全部账号"), [(a, a) for a in audit.account_choices()])
        allowed = can(Permission.AUDIT)  # the export itself checks it too
        self.export_button.setEnabled(allowed)
        self.export_button.setToolTip(
            _tr("按当前筛选条件导出全部修改记录（不只是本页），供检查、审计")
            if allowed
            else _tr("当前账号没有“导出修改记录”的权限（系统管理员、干部科才有）")
        )

    @staticmethod
    def _fill(combo: QComboBox, everything: str, items: list[tuple[str, object]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for text, data in items:
            combo.addItem(text, data)
        index = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)

    def current_filter(self) -> audit.AuditFilter | None:
        """The filter the widgets describe, or None when the person typed cannot be found
        or the user cancelled the choice between namesakes (the label says why)."""
        person: int | None = None
        text = self.person.text().strip()
        if text and self._picked is not None and self._picked[0] == text:
            person = self._picked[1]  # the namesake chosen for this text before
        elif text:
            matches = audit.find_people(text)
            if not matches:
                self._error(
                    _tr("名册和修改记录中都没有“{text}”，请检查姓名或身份证号").format(text=text)
                )
                return None
            if len(matches) == 1:
                person = matches[0].id
            else:
                picked = messages.choose_item(
                    self,
                    _tr("选择人员"),
                    _tr("名为“{text}”的干部不止一人，请选择：").format(text=text),
                    [m.label for m in matches],
                )
                if picked is None:
                    return None
                person = matches[picked].id
                self._picked = (text, person)
        return audit.AuditFilter(
            date_from=_day(self.date_from),
            date_to=_day(self.date_to),
            person=person,
            unit=self.unit.currentData(),
            kind=self.kind.currentData(),
            account=self.account.currentData(),
        )

    def _error(self, text: str) -> None:
        self.count.setStyleSheet(_ERROR_STYLE)
        self.count.setText(text)

    # -- loading --------------------------------------------------------------------------

    @Slot()
    def query(self) -> jobs.Job | None:
        """Read the first page for the filter as it stands."""
        f = self.current_filter()
        if f is None:
            return None
        return self.load(f, 0)

    def load(self, f: audit.AuditFilter, offset: int) -> jobs.Job:
        """Read the page at ``offset`` for ``f`` on the worker; the table fills when done."""
        self.count.setStyleSheet("")
        self.count.setText(_tr("正在查询修改记录……"))
        self.query_button.setEnabled(False)
        return jobs.runner().run(
            _page,
            f,
            offset,
            title=_tr("查询修改记录"),
            parent_widget=self,
            on_success=lambda page: self._show(f, page),
            on_failure=self._failed,
        )

    def _show(self, f: audit.AuditFilter, page: audit.ChangePage) -> None:
        self.query_button.setEnabled(True)
        self.filter, self.offset, self.total = f, page.offset, page.total
        self.model.set_rows(page.rows)
        self.table.scrollToTop()
        if not page.total:
            self.count.setText(_tr("没有符合条件的修改记录"))
        else:
            self.count.setText(
                _tr("共 {total} 条修改记录，显示第 {first}–{last} 条（最新的在前）").format(
                    total=page.total, first=page.offset + 1, last=page.offset + len(page.rows)
                )
            )
        self._update_pager()

    def _failed(self, error: BaseException) -> None:
        self.query_button.setEnabled(True)
        if isinstance(error, DomainError):
            self._error(_tr("查询失败：{reason}").format(reason=error))
            return
        busy = jobs.busy_database_message(error, _tr("查询修改记录"))
        if busy is not None:
            self._error(busy)
            return
        log.error("reading the change log failed", exc_info=error)
        self._error(_tr("查询修改记录时程序出错，详情已记入日志"))

    def _update_pager(self) -> None:
        self.prev_button.setEnabled(self.filter is not None and self.offset > 0)
        self.next_button.setEnabled(
            self.filter is not None and self.offset + self.model.rowCount() < self.total
        )

    @Slot()
    def next_page(self) -> jobs.Job | None:
        if self.filter is None:
            return None
        return self.load(self.filter, self.offset + PAGE_SIZE)

    @Slot()
    def previous_page(self) -> jobs.Job | None:
        if self.filter is None:
            return None
        return self.load(self.filter, max(self.offset - PAGE_SIZE, 0))

    def showEvent(self, event: QShowEvent) -> None:
        """Opening the section shows the changes as they are now (others may have changed
        things since it was last open)."""
        super().showEvent(event)
        if self._loaded:
            self.reload_choices()
        self._loaded = True
        f = self.filter or self.current_filter()
        if f is not None:
            self.load(f, self.offset if self.filter is not None else 0)

    # -- export ---------------------------------------------------------------------------

    @Slot()
    def export(self) -> jobs.Job | None:
        """Every change the filter selects (all pages) to an xlsx the user names."""
        f = self.current_filter()
        if f is None:
            return None
        try:
            audit.describe(f)  # a filter that names nothing is refused before the dialog
        except DomainError as e:
            messages.error(self, str(e), _tr("导出修改记录"))
            return None
        name = f"修改记录{f.date_from:%Y%m%d}-{f.date_to:%Y%m%d}.xlsx"
        return export_file(
            self,
            title=_tr("导出修改记录"),
            suggested=last_export_folder() / name,
            filters="Excel (*.xlsx)",
            write=partial(_write, f=f),
            done=lambda dest, n: _tr("已导出修改记录 {n} 条到 {path}").format(n=n, path=dest),
            remember_folder=True,
        )
