"""The 学时 section: the 学时不足名单 for a year and unit (hours_report, computed in the
background whenever the section is shown or the year or unit changes) with a chart beside it
of each unit's share of 在职 cadres who met the requirement, the list exported to xlsx in
the background; and one cadre's ledger for the year (re-read when the year changes) with
外出培训 / 网络学习 lines added or deleted, and printed as a 学时证明."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, Qt, QTimer, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models import training
from models.core.errors import ConflictError, DomainError
from models.core.progress import IsCancelled, Progress
from models.overview import HoursCompletion, completion_by_unit
from models.roster import RosterFilter
from models.roster import service as roster
from models.training import hours as hr
from reports.common import xlsx
from ui import jobs, messages
from ui.common import Column, RowsModel, export_file, num, ok_cancel, table_view
from ui.common.charts import Bars, BarsChart, scrolling
from ui.training.print_kit import PreviewHost, preview_hours_certificate

log = logging.getLogger(__name__)

REFRESH_DELAY_MS = 300  # the list is computed once the year or unit stops changing


def _tr(text: str) -> str:
    return QCoreApplication.translate("HoursView", text)


SHORTFALL_HEADERS = (
    "单位",
    "姓名",
    "领导职务层次",
    "职级",
    "要求",
    "统计年度",
    "应完成学时",
    "已完成学时",
    "尚差学时",
)


def _years(r: training.ShortfallDTO) -> str:
    return str(r.last_year) if r.first_year == r.last_year else f"{r.first_year}–{r.last_year}"


def shortfall_values(r: training.ShortfallDTO) -> tuple[object, ...]:
    return (r.unit_name, r.name, r.leadership_level or "—", r.rank or "—", r.requirement, _years(r),
            float(r.required), float(r.earned), float(r.short))  # fmt: skip


def shortfall_columns() -> list[Column[training.ShortfallDTO]]:
    return [
        Column(_tr("单位"), lambda r: r.unit_name),
        Column(_tr("姓名"), lambda r: r.name, True),
        Column(_tr("领导职务层次"), lambda r: r.leadership_level or "—", True),
        Column(_tr("职级"), lambda r: r.rank or "—", True),
        Column(_tr("要求"), lambda r: r.requirement, True),
        Column(_tr("统计年度"), _years, True),
        Column(_tr("应完成学时"), lambda r: r.required, True),
        Column(_tr("已完成学时"), lambda r: r.earned, True),
        Column(_tr("尚差学时"), lambda r: r.short, True, foreground=lambda r: "#b91c1c"),
    ]


def _source(e: training.HoursEntryDTO) -> str:
    """Where a ledger line comes from: a class's 结业, a 讲坛 lecture attended, or typed."""
    if e.class_id:
        return _tr("班次结业")
    return _tr("领导干部讲坛听课登记") if e.lecture_id else _tr("手工登记")


def ledger_columns() -> list[Column[training.HoursEntryDTO]]:
    return [
        Column(_tr("日期"), lambda e: e.day.isoformat(), True),
        Column(_tr("类别"), lambda e: e.kind, True),
        Column(_tr("学时"), lambda e: e.hours, True),
        Column(_tr("内容"), lambda e: e.title),
        Column(_tr("来源"), _source, True),
    ]


class HoursEntryDialog(QDialog):
    """A 外出培训 or 网络学习 line: date, kind, 学时, content."""

    def __init__(self, cadre_name: str, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hours_entry_dialog")
        self.setWindowTitle(_tr("登记学时：{name}").format(name=cadre_name))
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        today = dt.date.today()
        day = today if today.year == year else dt.date(year, 12, 31)
        self.day.setDate(QDate(day.year, day.month, day.day))
        self.kind = QComboBox()
        self.kind.addItems(list(training.MANUAL_KINDS))
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0, 1000)
        self.hours.setDecimals(2)
        self.hours.setValue(8)
        self.title = QLineEdit()
        self.title.setPlaceholderText(_tr("如 甘肃干部网络学院在线学习"))
        form = QFormLayout(self)
        form.addRow(_tr("日期"), self.day)
        form.addRow(_tr("类别"), self.kind)
        form.addRow(_tr("学时"), self.hours)
        form.addRow(_tr("内容"), self.title)
        form.addRow(ok_cancel(self))

    @classmethod
    def ask(
        cls, cadre_name: str, year: int, parent: QWidget | None = None
    ) -> tuple[dt.date, str, Decimal, str] | None:
        dlg = cls(cadre_name, year, parent)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        q = dlg.day.date()
        return (
            dt.date(q.year(), q.month(), q.day()),
            dlg.kind.currentText(),
            Decimal(str(round(dlg.hours.value(), 2))),
            dlg.title.text(),
        )


def _export(
    dest: Path,
    rows: list[training.ShortfallDTO],
    title: str,
    *,
    progress: Progress,
    cancelled: IsCancelled,
) -> int:
    return xlsx.write_table(
        dest,
        title=title,
        headers=SHORTFALL_HEADERS,
        widths=(28, 10, 14, 16, 12, 12, 12, 10),
        rows=(shortfall_values(r) for r in rows),
        total=len(rows),
        progress=progress,
        cancelled=cancelled,
        sheet_name="学时不足名单",
    )


@dataclass(frozen=True)
class _Refused:
    """Why an import stored nothing: the file could not be read (``rows_read`` False), or
    its rows were read and refused (the message lists them)."""

    error: DomainError
    rows_read: bool


def _import_hours(path: Path, *, progress: Progress, cancelled: IsCancelled) -> int | _Refused:
    """Job: read the sheet and import its rows in one transaction; the number imported, or
    why nothing was (shown on the GUI thread)."""
    try:
        rows = training.read_hours_xlsx(path)
    except DomainError as e:
        return _Refused(e, rows_read=False)
    if not rows:
        return _Refused(
            DomainError(_tr("“{file}”中没有学时记录").format(file=path.name)), rows_read=False
        )
    try:
        n: int = jobs.in_one_transaction(
            training.import_hours, rows, progress=progress, cancelled=cancelled
        )
    except DomainError as e:
        return _Refused(e, rows_read=True)
    return n


class HoursView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hours_view")
        self.year = QSpinBox()
        self.year.setObjectName("hours_year")
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year)
        self.unit = QComboBox()
        self.unit.setObjectName("hours_unit")
        self.unit.setMinimumContentsLength(24)
        query = QPushButton(_tr("查询"))
        query.setObjectName("hours_query")
        query.clicked.connect(self.reload)
        self.export_button = QPushButton(_tr("导出 Excel…"))
        self.export_button.setObjectName("hours_export")
        self.export_button.clicked.connect(self.export)
        self.import_button = QPushButton(_tr("导入学时…"))
        self.import_button.setObjectName("hours_import")
        self.import_button.setToolTip(
            _tr("从 Excel 导入外出培训、网络学习学时。表头：身份证号、姓名、日期、类别、学时、内容")
        )
        self.import_button.clicked.connect(self.import_hours)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_tr("年度")))
        bar.addWidget(self.year)
        bar.addWidget(QLabel(_tr("单位")))
        bar.addWidget(self.unit, 1)
        bar.addWidget(query)
        bar.addWidget(self.export_button)
        bar.addWidget(self.import_button)
        self.count = QLabel()
        self.count.setObjectName("shortfall_count")

        self.model: RowsModel[training.ShortfallDTO] = RowsModel(
            shortfall_columns(), lambda r: r.cadre_id, self
        )
        self.table = table_view(
            self.model, "shortfall_table", resize=QHeaderView.ResizeMode.Stretch
        )
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._pick_from_list())
        # beside the list: the share of each unit's 在职 cadres who met the requirement
        self.chart = BarsChart("hours_chart", horizontal=True, percent=True)

        # ledger of one cadre
        self.search = QLineEdit()
        self.search.setObjectName("ledger_search")
        self.search.setPlaceholderText(_tr("姓名、拼音首字母或身份证号"))
        self.search.setMinimumWidth(
            self.fontMetrics().horizontalAdvance("姓名、拼音首字母或身份证号") + 24
        )
        self.search.returnPressed.connect(self.find_cadre)
        self.matches = QComboBox()
        self.matches.setObjectName("ledger_matches")
        self.matches.setMinimumContentsLength(20)
        self.matches.currentIndexChanged.connect(
            lambda _i: self.show_ledger(self.matches.currentData())
        )
        find = QPushButton(_tr("查找干部"))
        find.clicked.connect(self.find_cadre)
        self.add_button = QPushButton(_tr("登记学时…"))
        self.add_button.setObjectName("ledger_add")
        self.add_button.clicked.connect(self.add_entry)
        self.delete_button = QPushButton(_tr("删除记录"))
        self.delete_button.setObjectName("ledger_delete")
        self.delete_button.clicked.connect(self.delete_entry)
        ledger_bar = QHBoxLayout()
        ledger_bar.addWidget(self.search)
        ledger_bar.addWidget(find)
        ledger_bar.addWidget(self.matches, 1)
        ledger_bar.addWidget(self.add_button)
        ledger_bar.addWidget(self.delete_button)
        self.certificate_button = QPushButton(_tr("打印学时证明…"))
        self.certificate_button.setObjectName("ledger_certificate")
        self.certificate_button.setToolTip(_tr("所选干部在所选年度的干部教育培训学时证明"))
        self.certificate_button.clicked.connect(self.print_certificate)
        ledger_bar.addWidget(self.certificate_button)
        self.printer = PreviewHost(self)
        self.ledger_title = QLabel()
        self.ledger_title.setObjectName("ledger_title")
        self.ledger_model: RowsModel[training.HoursEntryDTO] = RowsModel(
            ledger_columns(), lambda e: e.id, self
        )
        self.ledger = table_view(
            self.ledger_model,
            "ledger_table",
            resize=QHeaderView.ResizeMode.ResizeToContents,
            stretch=(3,),
        )
        self.cadre_id: int | None = None
        self.cadre_name = ""

        upper = QWidget()
        up = QVBoxLayout(upper)
        up.setContentsMargins(0, 0, 0, 0)
        title = QLabel(_tr("学时不足名单"))
        title.setStyleSheet("font-weight:bold; font-size:14px;")
        up.addWidget(title)
        up.addLayout(bar)
        beside = QSplitter(Qt.Orientation.Horizontal)
        beside.addWidget(self.table)
        beside.addWidget(scrolling(self.chart))
        beside.setSizes([800, 380])
        up.addWidget(beside, 1)
        up.addWidget(self.count)
        lower = QWidget()
        low = QVBoxLayout(lower)
        low.setContentsMargins(0, 0, 0, 0)
        ledger_head = QLabel(_tr("干部学时档案"))
        ledger_head.setStyleSheet("font-weight:bold; font-size:14px;")
        low.addWidget(ledger_head)
        low.addLayout(ledger_bar)
        low.addWidget(self.ledger_title)
        low.addWidget(self.ledger, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(lower)
        split.setSizes([480, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self.reload_units()
        self._update_buttons()
        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(REFRESH_DELAY_MS)
        self._refresh.timeout.connect(self.reload)
        self.year.valueChanged.connect(self._year_changed)
        self.unit.currentIndexChanged.connect(lambda _i: self._refresh.start())

    def showEvent(self, event: QShowEvent) -> None:
        """Opening the section shows the list as it is now (no 查询 needed)."""
        super().showEvent(event)
        self._refresh.stop()
        self.reload_units()
        self.reload()

    @Slot(int)
    def _year_changed(self, _year: int) -> None:
        """The ledger shown is re-read for the new year at once (one cadre: quick); the list
        follows in the background once the year stops changing."""
        self.show_ledger(self.cadre_id, self.cadre_name or None)
        self._refresh.start()

    def reload_units(self) -> None:
        """The units as the roster has them now, the one chosen kept when it is still there."""
        chosen = self.unit.currentData()
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItem(_tr("全部单位"), None)
        for uid, path in sorted(roster.unit_paths().items(), key=lambda x: x[1]):
            self.unit.addItem(path, uid)
        self.unit.setCurrentIndex(max(0, self.unit.findData(chosen)))
        self.unit.blockSignals(False)

    # -- shortfall list -------------------------------------------------------------------

    @Slot()
    def reload(self) -> jobs.Job:
        """Compute the shortfall list in the background (the whole roster's 学时 takes
        seconds on a large database); the table fills when it is done."""
        year, unit_id = self.year.value(), self.unit.currentData()
        self.count.setText(_tr("正在统计 {year} 年学时……").format(year=year))

        def report(*, progress, cancelled):  # noqa: ANN001, ANN202
            rows = training.hours_report(year, unit_id)
            return rows, completion_by_unit(year, (r.cadre_id for r in rows), unit_id)

        return jobs.runner().run(
            report,
            title=_tr("统计学时"),
            parent_widget=self,
            on_success=lambda out: self._show_rows(year, unit_id, *out),
        )

    def _show_rows(
        self,
        year: int,
        unit_id: int | None,
        rows: list[training.ShortfallDTO],
        done: HoursCompletion,
    ) -> None:
        if (year, unit_id) != (self.year.value(), self.unit.currentData()):
            return  # the user chose another year or unit meanwhile: its list is on the way
        self.model.set_rows(rows)
        self.chart.set_data(
            [u.unit for u in done.units],
            [Bars(_tr("达标率"), tuple(round(u.share, 1) for u in done.units), "#4f81bd")],
        )
        self.chart.set_title(
            _tr("{year} 年各单位学时达标率（合计 {met}/{n} 人达标）").format(
                year=year, met=done.total.met, n=done.total.people
            )
        )
        people = len({r.cadre_id for r in rows})
        self.count.setText(
            _tr("{year} 年学时不足 {n} 人，共差 {h} 学时").format(
                year=year, n=people, h=num(sum((r.short for r in rows), Decimal(0)))
            )
        )
        self.show_ledger(self.cadre_id)

    @Slot()
    def export(self) -> jobs.Job | None:
        rows = self.model.rows
        if not rows:
            messages.error(self, _tr("名单是空的：请先选择年度和单位并查询"))
            return None
        year = self.year.value()
        unit = self.unit.currentText() if self.unit.currentData() is not None else _tr("全部单位")
        title = _tr("{year} 年学时不足名单（{unit}）").format(year=year, unit=unit)
        return export_file(
            self,
            title=_tr("导出学时不足名单"),
            suggested=Path(f"{year}年学时不足名单.xlsx"),
            filters="Excel (*.xlsx)",
            write=partial(_export, rows=rows, title=title),
            done=lambda dest, n: _tr("已导出 {n} 行到 {path}").format(n=n, path=dest),
        )

    def _pick_from_list(self) -> None:
        r = self.model.row(self.table.currentIndex().row())
        if r is not None:
            self.show_ledger(r.cadre_id, r.name)

    # -- ledger ---------------------------------------------------------------------------

    @Slot()
    def find_cadre(self) -> None:
        text = self.search.text().strip()
        if not text:
            return
        ids = roster.query_ids(RosterFilter(text=text, status=""))[:50]
        rows = roster.fetch_rows(ids)
        self.matches.blockSignals(True)
        self.matches.clear()
        for cid in ids:
            r = rows[cid]
            self.matches.addItem(f"{r.name}（{r.unit_name}，{r.post_title}）", cid)
        self.matches.blockSignals(False)
        if ids:
            self.matches.setCurrentIndex(0)
            self.show_ledger(ids[0], rows[ids[0]].name)
        else:
            self.ledger_title.setText(_tr("没有找到“{text}”").format(text=text))

    def show_ledger(self, cadre_id: int | None, name: str | None = None) -> None:
        if cadre_id is not None and name is None:
            name = roster.get_cadre(cadre_id).name
        self.cadre_id, self.cadre_name = cadre_id, name or ""
        year = self.year.value()
        entries = training.list_hours(cadre_id, year) if cadre_id is not None else []
        self.ledger_model.set_rows(entries)
        if cadre_id is None:
            self.ledger_title.setText(_tr("在上面的名单中选一人，或按姓名查找干部"))
        else:
            by_kind = {k: Decimal(0) for k in hr.ENTRY_KINDS}
            for e in entries:
                by_kind[e.kind] = by_kind.get(e.kind, Decimal(0)) + e.hours
            parts = "，".join(  # 讲坛 only for those who attended one
                f"{k} {num(v)}" for k, v in by_kind.items() if v or k != hr.LECTURE_SERIES
            )
            self.ledger_title.setText(
                _tr("{name} {year} 年共 {total} 学时（{parts}）").format(
                    name=self.cadre_name, year=year, total=num(sum(by_kind.values())), parts=parts
                )
            )
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(self.cadre_id is not None)
        self.delete_button.setEnabled(self.cadre_id is not None)
        self.certificate_button.setEnabled(self.cadre_id is not None)

    @Slot()
    def print_certificate(self) -> jobs.Job | None:
        """打印学时证明 of the cadre shown in the ledger for the year chosen above."""
        if self.cadre_id is None:
            return None
        return preview_hours_certificate(
            self.printer, self.cadre_id, self.cadre_name, self.year.value()
        )

    def add_entry(self) -> training.HoursEntryDTO | None:
        if self.cadre_id is None:
            return None
        values = HoursEntryDialog.ask(self.cadre_name, self.year.value(), self)
        if values is None:
            return None
        try:
            entry = training.add_hours_entry(self.cadre_id, *values)
        except DomainError as e:
            messages.error(self, str(e), _tr("不能登记学时"))
            return None
        self.show_ledger(self.cadre_id)  # small: at once; the whole list in the background
        self.reload()
        return entry

    def delete_entry(self) -> bool:
        e = self.ledger_model.row(self.ledger.currentIndex().row())
        if e is None:
            messages.error(self, _tr("请先在学时档案中选择要删除的记录"))
            return False
        if not messages.ask_yes_no(
            self,
            _tr("删除学时记录"),
            _tr("删除 {name} {day} 的“{title}”（{h} 学时）吗？").format(
                name=self.cadre_name, day=e.day.isoformat(), title=e.title, h=num(e.hours)
            ),
        ):
            return False
        try:
            training.delete_hours_entry(e.id)
        except ConflictError as err:  # another clerk deleted it meanwhile: show the ledger now
            self.show_ledger(self.cadre_id)
            self.reload()
            messages.conflict(self, str(err))
            return False
        except DomainError as err:
            messages.error(self, str(err), _tr("不能删除"))
            return False
        self.show_ledger(self.cadre_id)  # small: at once; the whole list in the background
        self.reload()
        return True

    # -- import ---------------------------------------------------------------------------

    @Slot()
    def import_hours(self) -> jobs.Job | None:
        """导入学时 from an xlsx, all or nothing, in the background: the errors (row, column,
        reason) are listed and nothing is stored, or the number imported is told and the lists
        refreshed. Returns the job, or None when no file was chosen."""
        path = messages.open_file(self, _tr("导入学时"), Path.home(), _tr("Excel 工作簿 (*.xlsx)"))
        if path is None:
            return None
        self.import_button.setEnabled(False)
        job = jobs.runner().run(
            _import_hours,
            path,
            title=_tr("导入学时"),
            parent_widget=self,
            on_success=lambda outcome: self._imported(path, outcome),
        )
        job.finished.connect(lambda: self.import_button.setEnabled(True))
        return job

    def _imported(self, path: Path, outcome: int | _Refused) -> None:
        if isinstance(outcome, _Refused):
            e = outcome.error
            if not outcome.rows_read:
                messages.error(self, str(e), _tr("不能导入学时"))
                return
            head, _sep, rest = e.message.partition("：")
            lines = [x for x in rest.split("；") if x] if rest else [e.message]
            messages.issues(
                self,
                _tr("未导入学时"),
                _tr("“{file}”：{head}。请改正以下各行后重新导入：").format(
                    file=path.name, head=head
                ),
                lines,
            )
            return
        self.show_ledger(self.cadre_id)  # small: at once; the whole list in the background
        self.reload()
        messages.info(
            self,
            _tr("已导入"),
            _tr("已从“{file}”导入 {n} 条学时记录").format(file=path.name, n=outcome),
        )
