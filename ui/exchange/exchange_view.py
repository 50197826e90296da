"""The 数据交换 section: packages (.cdx) carried between offices on a USB stick.

* 发送: a finished class's results, a unit's roster, a year's annual round's scores and
  grades, or the 学时 lines of a period, written to a package (optionally with a
  password), in the background with progress;
* 接收: a package chosen, checked and previewed — per table what is new, the same, changed
  there or here, in conflict (both values shown, 保留本单位 / 采用交换包 chosen per record,
  and for 学时 lines also 两条都保留) or cannot be matched (by name) — then received all at
  once;
* 记录: the packages sent and received, with their hashes.

The office's own name (sent with every package) is set at the top."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models import exchange as ex
from models.assessment import KIND_ANNUAL, list_rounds
from models.core.errors import DomainError
from models.roster import list_units
from models.training import list_classes
from ui import jobs, messages
from ui.common import Column, RowsModel, button, last_export_folder, run_export, table_view

__all__ = ["ExchangeView"]

FILTER = "交换包 (*.cdx)"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ExchangeView", text)


def _count_columns() -> list[Column[Any]]:
    counts = [Column(kind, lambda t, k=kind: t.count(k) or "", True) for kind in ex.KINDS]
    return [Column(_tr("类别"), lambda t: t.label), *counts]


CHOICE_TEXT = {"mine": "保留本单位的", "theirs": "采用交换包的", "both": "两条都保留"}
CHOICE_COLOUR = {"theirs": "#dcfce7", "both": "#dbeafe"}
CONFLICT_COLUMNS: list[Column[Any]] = [
    Column(_tr("类别"), lambda r: r[0].label, True),
    Column(
        _tr("记录"),
        lambda r: r[0].title + (_tr("（本单位另有相似记录）") if r[0].reason else ""),
        tooltip=lambda r: r[0].reason,
    ),
    Column(_tr("字段"), lambda r: r[1].label, True),
    Column(_tr("本单位的值"), lambda r: r[1].mine),
    Column(_tr("交换包的值"), lambda r: r[1].theirs),
    Column(
        _tr("处理（双击改变）"),
        lambda r: CHOICE_TEXT[r[2]()],
        True,
        background=lambda r: CHOICE_COLOUR.get(r[2]()),
        tooltip=lambda r: (
            _tr("双击在 保留本单位的、采用交换包的、两条都保留 之间切换")
            if r[0].may_keep_both
            else _tr("双击在 保留本单位的、采用交换包的 之间切换")
        ),
    ),
]
HISTORY_COLUMNS: list[Column[Any]] = [
    Column(_tr("时间"), lambda h: h.at.strftime("%Y-%m-%d %H:%M"), True),
    Column(_tr("方向"), lambda h: h.direction, True),
    Column(_tr("发出单位"), lambda h: h.office),
    Column(_tr("内容"), lambda h: h.title),
    Column(_tr("文件"), lambda h: h.file_name),
    Column(_tr("结果"), lambda h: h.summary),
    Column(_tr("操作人"), lambda h: h.user, True),
    Column(
        _tr("校验值（SHA-256）"),
        lambda h: h.content_sha256[:16] + "…",
        tooltip=lambda h: h.content_sha256,
    ),  # fmt: skip
]


class ExchangeView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exchange_view")
        self.office = QLabel()
        self.office.setObjectName("exchange_office")
        top = QHBoxLayout()
        top.addWidget(self.office, 1)
        top.addWidget(button(_tr("设置本单位名称…"), "exchange_set_office", self.set_office))

        # -- 发送
        self.send_class = QRadioButton(_tr("已结业班次的结果（学员、考勤、学时）"))
        self.send_class.setChecked(True)
        self.send_unit = QRadioButton(_tr("一个单位（含下级单位）的名册"))
        self.send_round = QRadioButton(_tr("一个年度考核的得分与等次（本单位所管单位的考核人员）"))
        self.send_round.setObjectName("exchange_send_round")
        self.send_hours = QRadioButton(_tr("一段时间内本单位登记的学时记录"))
        self.send_hours.setObjectName("exchange_send_hours")
        self.class_box = QComboBox()
        self.class_box.setObjectName("exchange_class")
        self.unit_box = QComboBox()
        self.unit_box.setObjectName("exchange_unit")
        self.round_box = QComboBox()
        self.round_box.setObjectName("exchange_round")
        today = QDate.currentDate()
        self.hours_from = QDateEdit(QDate(today.year(), 1, 1))
        self.hours_from.setObjectName("exchange_hours_from")
        self.hours_to = QDateEdit(today)
        self.hours_to.setObjectName("exchange_hours_to")
        for w in (self.hours_from, self.hours_to):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
        period = QHBoxLayout()
        period.addWidget(QLabel(_tr("自")))
        period.addWidget(self.hours_from)
        period.addWidget(QLabel(_tr("至")))
        period.addWidget(self.hours_to)
        period.addStretch(1)
        self.send_password = QLineEdit()
        self.send_password.setObjectName("exchange_send_password")
        self.send_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.send_password.setPlaceholderText(_tr("可不填；填写后对方须输入同一密码"))
        self.send_button = button(_tr("生成交换包…"), "exchange_send", self.send)
        send = QWidget()
        sl = QVBoxLayout(send)
        for w in (
            self.send_class,
            self.class_box,
            self.send_unit,
            self.unit_box,
            self.send_round,
            self.round_box,
            self.send_hours,
        ):
            sl.addWidget(w)
        sl.addLayout(period)
        for radio, chosen in (
            (self.send_class, [self.class_box]),
            (self.send_unit, [self.unit_box]),
            (self.send_round, [self.round_box]),
            (self.send_hours, [self.hours_from, self.hours_to]),
        ):
            for w in chosen:  # only the choice made is open
                w.setEnabled(radio.isChecked())
                radio.toggled.connect(w.setEnabled)
        row = QHBoxLayout()
        row.addWidget(QLabel(_tr("密码：")))
        row.addWidget(self.send_password, 1)
        row.addWidget(self.send_button)
        sl.addLayout(row)
        sl.addStretch(1)

        # -- 接收
        self.receive_password = QLineEdit()
        self.receive_password.setObjectName("exchange_receive_password")
        self.receive_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.receive_password.setPlaceholderText(_tr("交换包有密码时填写"))
        self.open_button = button(_tr("选择交换包…"), "exchange_open", self.open_package)
        self.preview_label = QLabel(_tr("请选择要接收的交换包。"))
        self.preview_label.setObjectName("exchange_preview_label")
        self.preview_label.setWordWrap(True)
        self.count_model: RowsModel[Any] = RowsModel(_count_columns(), lambda t: 0, self)
        fit = QHeaderView.ResizeMode.ResizeToContents
        self.count_table = table_view(self.count_model, "exchange_counts", resize=fit)
        self.conflict_model: RowsModel[Any] = RowsModel(CONFLICT_COLUMNS, lambda r: 0, self)
        self.conflict_table = table_view(
            self.conflict_model, "exchange_conflicts", resize=fit, stretch=(3, 4)
        )
        self.conflict_table.doubleClicked.connect(lambda index: self.toggle(index.row()))
        self.choices: dict[tuple[str, str], str] = {}  # (table, gid) → mine / theirs
        self.prefer = QComboBox()
        self.prefer.setObjectName("exchange_prefer")
        self.prefer.addItem(_tr("其余冲突保留本单位的"), "mine")
        self.prefer.addItem(_tr("其余冲突采用交换包的"), "theirs")
        self.prefer.addItem(_tr("其余冲突：学时两条都保留，其他保留本单位的"), "both")
        self.prefer.currentIndexChanged.connect(lambda _i: self.conflict_model.layoutChanged.emit())
        self.receive_button = button(_tr("接收"), "exchange_receive", self.receive)
        self.receive_button.setEnabled(False)
        receive = QWidget()
        rl = QVBoxLayout(receive)
        rrow = QHBoxLayout()
        rrow.addWidget(QLabel(_tr("密码：")))
        rrow.addWidget(self.receive_password, 1)
        rrow.addWidget(self.open_button)
        rl.addLayout(rrow)
        rl.addWidget(self.preview_label)
        rl.addWidget(self.count_table, 1)
        rl.addWidget(QLabel(_tr("冲突（双方自上次交换后都改过）：")))
        rl.addWidget(self.conflict_table, 1)
        brow = QHBoxLayout()
        brow.addStretch(1)
        brow.addWidget(self.prefer)
        brow.addWidget(self.receive_button)
        rl.addLayout(brow)

        # -- 记录
        self.history_model: RowsModel[Any] = RowsModel(HISTORY_COLUMNS, lambda h: 0, self)
        self.history_table = table_view(self.history_model, "exchange_history", resize=fit)

        self.tabs = QTabWidget()
        self.tabs.addTab(send, _tr("发送"))
        self.tabs.addTab(receive, _tr("接收"))
        self.tabs.addTab(self.history_table, _tr("记录"))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.preview: Any = None
        self.job: jobs.Job | None = None
        self.reload()

    def reload(self) -> None:
        name = ex.office_name()
        self.office.setText(
            _tr("本单位：{n}").format(n=name) if name else _tr("本单位：（未设置，发送前请先设置）")
        )
        self.class_box.clear()
        for c in list_classes("已结业"):
            self.class_box.addItem(f"{c.name}（{c.start:%Y-%m-%d}—{c.end:%Y-%m-%d}）", c.id)
        self.unit_box.clear()
        for u in list_units():
            self.unit_box.addItem(u.name, u.id)
        self.round_box.clear()
        for r in list_rounds():
            if r.kind == KIND_ANNUAL:
                self.round_box.addItem(_tr("{n}（{m} 人，{s}）").format(
                    n=r.name, m=r.members, s=r.status), r.year)  # fmt: skip
        self.history_model.set_rows(ex.exchange_history())

    def set_office(self) -> None:
        name = messages.ask_text(self, _tr("本单位名称"), _tr("本单位名称（如 白银市委党校）："),
                                 ex.office_name())  # fmt: skip
        if name is None:
            return
        try:
            ex.set_office(name)
        except DomainError as e:
            messages.error(self, str(e), _tr("本单位名称"))
        self.reload()

    def send(self) -> jobs.Job | None:
        password = self.send_password.text() or None
        write: Any
        if self.send_class.isChecked():
            target, what = self.class_box.currentData(), self.class_box.currentText()
            write = ex.export_class
        elif self.send_unit.isChecked():
            target, what = self.unit_box.currentData(), self.unit_box.currentText()
            write = ex.export_unit
        elif self.send_round.isChecked():
            target, what = self.round_box.currentData(), self.round_box.currentText()
            write = ex.export_round
        else:
            start, end = self.hours_from.date().toPython(), self.hours_to.date().toPython()
            if start > end:
                messages.error(self, _tr("学时期间的起始日期 {a} 晚于结束日期 {b}，请对调后重试")
                               .format(a=start, b=end), _tr("生成交换包"))  # fmt: skip
                return None
            target, what = (start, end), _tr("学时{a}至{b}").format(a=start, b=end)

            def write(period: Any, path: Path, *, password: str | None) -> Any:
                return ex.export_hours(*period, path, password=password)

        if target is None:
            messages.info(self, _tr("生成交换包"), _tr("没有可以发送的班次、单位或考核轮次。"))
            return None
        name = what.split("（")[0]
        dest = messages.save_file(self, _tr("保存交换包"),
                                  last_export_folder() / f"{name}.cdx", _tr(FILTER))  # fmt: skip
        if dest is None:
            return None

        def work(path: Path, **_progress: object) -> Any:
            return write(target, path, password=password)

        self.job = run_export(
            self, dest, work, job_title=_tr("生成交换包"),
            done=lambda d, r: _tr("已生成交换包 {p}\n共 {n} 条记录，校验值 {h}…").format(
                p=d, n=sum(r.manifest.rows.values()), h=r.manifest.content_sha256[:16]),
            done_title=_tr("生成交换包"),
        )  # fmt: skip
        self.job.finished.connect(self.reload)
        return self.job

    def open_package(self) -> jobs.Job | None:
        path = messages.open_file(self, _tr("选择交换包"), last_export_folder(), _tr(FILTER))
        if path is None:
            return None
        password = self.receive_password.text() or None
        self.receive_button.setEnabled(False)
        self.preview_label.setText(_tr("正在检查 {f} …").format(f=path.name))
        self.job = jobs.runner().run(
            lambda **_kw: ex.preview(path, password), title=_tr("检查交换包"),
            parent_widget=self, on_success=self.show_preview, on_failure=self._failed,
        )  # fmt: skip
        return self.job

    def _failed(self, exc: BaseException) -> None:
        self.preview_label.setText(_tr("请选择要接收的交换包。"))
        if isinstance(exc, DomainError):
            messages.error(self, str(exc), _tr("接收交换包"))
        else:
            messages.critical(self, _tr("“检查交换包”没有完成：程序出错，详情已记入日志"))

    def show_preview(self, p: Any) -> None:
        self.preview = p
        m = p.manifest
        self.preview_label.setText(
            _tr("{f}：{o} 于 {t} 发出，{s}。新增 {new}，冲突 {c}，无法匹配 {u}。").format(
                f=p.file.name, o=m.office, t=m.created.replace("T", " ")[:16], s=m.title,
                new=p.total(ex.NEW), c=p.total(ex.CONFLICT), u=p.total(ex.UNMATCHED),
            )
        )  # fmt: skip
        self.count_model.set_rows(list(p.tables))
        self.choices = {}
        self.conflict_model.set_rows(
            [(i, d, lambda i=i: self._choice(i)) for i in p.conflicts for d in i.differences]
        )
        self.receive_button.setEnabled(True)

    def _choice(self, item: Any) -> str:
        chosen = self.choices.get((item.table, item.gid), self.prefer.currentData())
        return "mine" if chosen == "both" and not item.may_keep_both else chosen

    def toggle(self, row: int) -> None:
        """A conflict's record taken from the package instead of kept, or (学时) both kept,
        or back to this office's."""
        if not 0 <= row < self.conflict_model.rowCount():
            return
        item = self.conflict_model.rows[row][0]
        cycle = ["mine", "theirs", "both"] if item.may_keep_both else ["mine", "theirs"]
        now = self._choice(item)
        self.choices[(item.table, item.gid)] = cycle[(cycle.index(now) + 1) % len(cycle)]
        self.conflict_model.layoutChanged.emit()

    def receive(self) -> jobs.Job | None:
        """Receive the package previewed, in one transaction on the job worker (a progress
        window with 取消 for a big package; cancelled before the commit, nothing is kept)."""
        if self.preview is None:
            return None
        preview, choices, prefer = self.preview, dict(self.choices), self.prefer.currentData()
        self.receive_button.setEnabled(False)
        self.job = jobs.runner().run(
            jobs.in_one_transaction, ex.apply, preview, choices, prefer,
            title=_tr("接收交换包"), parent_widget=self,
            on_success=self._received, on_failure=self._receive_failed,
            on_cancelled=lambda: self.receive_button.setEnabled(True),
        )  # fmt: skip
        return self.job

    def _receive_failed(self, exc: BaseException) -> None:
        self.receive_button.setEnabled(True)
        if isinstance(exc, DomainError):
            messages.error(self, str(exc), _tr("接收交换包"))
        else:
            messages.critical(self, _tr("“接收交换包”没有完成：程序出错，详情已记入日志"))

    def _received(self, result: Any) -> None:
        text = _tr("已接收：{s}").format(s=result.summary)
        if result.unmatched:
            text += _tr("\n未接收（本单位名册中找不到）：") + "；".join(result.unmatched)
        messages.info(self, _tr("接收完成"), text)
        self.preview = None
        self.count_model.set_rows([])
        self.conflict_model.set_rows([])
        self.preview_label.setText(_tr("已接收。"))
        self.reload()
