"""Dialogs of the 单位考评's year end and self-checks:

* :class:`TeamDialog` — 领导班子评分: the five items (思想政治建设、领导水平、工作实绩、完成重点
  任务、反腐倡廉, each with its weight) and the 民主测评 votes by rater group (好/较好/一般/较差),
  with the 班子得分 they make shown as they are typed;
* :class:`EvidenceDialog` — 佐证材料 of a self-check: the files filed with it, 添加…, 另存为…
  and 删除, each through the service (its Chinese refusal shown as it is)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from models import evaluation as ev
from models.accounts import Permission, can
from models.core.errors import DomainError
from models.evaluation.engine import team_score
from models.evaluation.rules import VOTE_LABELS
from reports.common.files import write_atomic
from ui import messages
from ui.common import Column, RowsModel, button, ok_cancel, table_view

__all__ = ["EvidenceDialog", "TeamDialog", "run_action"]


def _tr(text: str) -> str:
    return QCoreApplication.translate("EvaluationView", text)


def run_action(
    parent: QWidget, title: str, action: Callable[[], object], then: Callable[[], None]
) -> bool:
    """Run a service call; its Chinese refusal is shown under ``title`` (nothing was saved),
    else ``then`` refreshes what the screen shows."""
    try:
        action()
    except DomainError as e:
        messages.error(parent, str(e), title)
        return False
    then()
    return True


def _n(v: Decimal) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


class TeamDialog(QDialog):
    """领导班子评分 of one unit for the year."""

    def __init__(
        self, team: ev.TeamDTO, rules: ev.EvalRules, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("team_dialog")
        self.setWindowTitle(_tr("领导班子评分 — {u}").format(u=team.unit))
        self.rules = rules
        self.items: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for w in rules.team_items:
            edit = QLineEdit(_n(team.items[w.code]) if w.code in team.items else "")
            edit.setObjectName(f"team_item_{w.code}")
            edit.setPlaceholderText(_tr("0–100"))
            edit.textChanged.connect(lambda _t: self.refresh())
            self.items[w.code] = edit
            form.addRow(_tr("{n}（{w}%）：").format(n=w.name, w=_n(w.weight)), edit)
        labels = [k for k, _p in VOTE_LABELS]
        self.votes = QTableWidget(len(rules.vote_groups), len(labels))
        self.votes.setObjectName("team_votes")
        self.votes.setHorizontalHeaderLabels([_tr("评“{k}”票数").format(k=k) for k in labels])
        self.votes.setVerticalHeaderLabels(
            [f"{g.name}（{_n(g.weight)}%）" for g in rules.vote_groups]
        )
        self.spins: dict[tuple[str, str], QSpinBox] = {}
        for row, g in enumerate(rules.vote_groups):
            for col, label in enumerate(labels):
                spin = QSpinBox()
                spin.setRange(0, 99999)
                spin.setValue(team.votes.get(g.code, {}).get(label, 0))
                spin.valueChanged.connect(lambda _v: self.refresh())
                self.votes.setCellWidget(row, col, spin)
                self.spins[(g.code, label)] = spin
        self.votes.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.votes.setMinimumHeight(40 + 36 * len(rules.vote_groups))
        self.result = QLabel()
        self.result.setObjectName("team_result")
        self.result.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_tr("五项考核（每项 0–100 分）")))
        layout.addLayout(form)
        layout.addWidget(QLabel(_tr("民主测评（占班子得分 {v}%）").format(v=_n(rules.vote_weight))))
        layout.addWidget(self.votes)
        layout.addWidget(self.result)
        layout.addWidget(ok_cancel(self))
        self.resize(640, 520)
        self.refresh()

    def item_values(self) -> dict[str, Decimal | None]:
        """item code → score (None: blank). DomainError naming a cell that is not a number."""
        out: dict[str, Decimal | None] = {}
        for w in self.rules.team_items:
            text = self.items[w.code].text().strip()
            try:
                value = Decimal(text) if text else None
            except InvalidOperation:
                value = Decimal("NaN")
            if value is not None and not value.is_finite():
                raise DomainError(_tr("“{n}”的得分“{t}”不是数字").format(n=w.name, t=text))
            out[w.code] = value
        return out

    def vote_values(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for (group, label), spin in self.spins.items():
            if spin.value():
                out.setdefault(group, {})[label] = spin.value()
        return out

    def refresh(self) -> None:
        try:
            items = {k: v for k, v in self.item_values().items() if v is not None}
            score, text = team_score(self.rules, items, self.vote_values())
        except DomainError as e:
            self.result.setText(_tr("班子得分：尚不能计算（{m}）").format(m=e.message))
            return
        self.result.setText(_tr("班子得分：{s}（{t}）").format(s=_n(score), t=text))


EVIDENCE_COLUMNS: list[Column[ev.EvidenceDTO]] = [
    Column(_tr("文件"), lambda f: f.name),
    Column(
        _tr("大小"),
        lambda f: (
            f"{f.size / 1024 / 1024:.1f} MB"
            if f.size >= 1048576
            else f"{max(1, f.size // 1024)} KB"
        ),
        True,
    ),  # fmt: skip
    Column(_tr("添加人"), lambda f: f.added_by, True),
    Column(_tr("添加时间"), lambda f: f.added_at.strftime("%Y-%m-%d %H:%M"), True),
]


class EvidenceDialog(QDialog):
    """佐证材料 of one self-check: what is filed, 添加…, 另存为… and 删除."""

    def __init__(
        self, check: ev.SelfCheckDTO, title: str, today: dt.date, locked: bool,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("evidence_dialog")
        self.setWindowTitle(_tr("佐证材料 — {t}").format(t=title))
        self.check = check
        self.today = today
        self.model: RowsModel[ev.EvidenceDTO] = RowsModel(EVIDENCE_COLUMNS, lambda f: f.id, self)
        fit = QHeaderView.ResizeMode.ResizeToContents
        self.table = table_view(self.model, "evidence_files", resize=fit, stretch=(0,))
        self.late = QCheckBox(_tr("经考评办同意补充（过了截止日期时）"))
        self.late.setObjectName("evidence_late")
        self.add_button = button(_tr("添加…"), "evidence_add", self.add)
        self.save_button = button(_tr("另存为…"), "evidence_save", self.save_as)
        self.remove_button = button(_tr("删除"), "evidence_remove", self.remove)
        for b in (self.add_button, self.remove_button):
            b.setEnabled(not locked)
        self.late.setEnabled(not locked)
        self.late.setVisible(can(Permission.GRADING))  # the 考评办's approval
        note = QLabel(
            _tr("每个文件不超过 {m} MB，保存在数据库中，随数据库备份。").format(
                m=ev.MAX_BYTES // 1024 // 1024
            )
        )
        bar = QHBoxLayout()
        for b in (self.add_button, self.save_button, self.remove_button):
            bar.addWidget(b)
        bar.addWidget(self.late)
        bar.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.button(QDialogButtonBox.StandardButton.Close).setText(_tr("关闭"))
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(_tr("第{q}季度自查：{p}").format(q=check.quarter, p=check.progress))
        )
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        layout.addWidget(close)
        self.resize(640, 360)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(ev.list_evidence(self.check.id))

    def _chosen(self) -> ev.EvidenceDTO | None:
        row = self.table.currentIndex().row()
        if 0 <= row < self.model.rowCount():
            return self.model.rows[row]
        messages.info(self, _tr("佐证材料"), _tr("请先在表中选择一个文件。"))
        return None

    def _run(self, title: str, action: Callable[[], object]) -> bool:
        return run_action(self, title, action, self.reload)

    def add(self) -> None:
        path = messages.open_file(self, _tr("添加佐证材料"), Path.home(), _tr("所有文件 (*)"))
        if path is not None:
            self._run(
                _tr("添加佐证材料"),
                lambda: ev.add_evidence(
                    self.check.id, path, today=self.today, late_approved=self.late.isChecked()
                ),
            )

    def save_as(self) -> None:
        f = self._chosen()
        if f is None:
            return
        try:
            name, data = ev.evidence_data(f.id)
        except DomainError as e:
            messages.error(self, str(e), _tr("另存佐证材料"))
            return
        target = messages.save_file(
            self, _tr("另存佐证材料"), Path.home() / name, _tr("所有文件 (*)")
        )
        if target is None:
            return
        run_action(self, _tr("另存佐证材料"),
                   lambda: write_atomic(target, data, _tr("佐证材料")), lambda: None)  # fmt: skip

    def remove(self) -> None:
        f = self._chosen()
        if f is None:
            return
        if messages.ask_yes_no(self, _tr("删除佐证材料"), _tr("删除“{n}”？").format(n=f.name)):
            self._run(
                _tr("删除佐证材料"),
                lambda: ev.remove_evidence(
                    f.id, today=self.today, late_approved=self.late.isChecked()
                ),
            )
