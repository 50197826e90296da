"""Parts of the 结果汇总 tab (ui.assessment.overview_view): the colours, the table columns
(units, quarterly units, ranking, the 待录入 list, change history), the 考核委员会
override dialog, the approval of one 考核范围 on its own (or its withdrawal) and the titled
boxes of the lower half."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from models.assessment import RoundChangedError, RoundDTO, approve_pool, unlock_pool
from models.assessment.engine import FLAG_BARRED, FLAG_TIE, FLAG_TIE_UNRESOLVED
from models.assessment.grading import PendingPerson, QuarterPoolRow
from models.assessment.results import OverviewRow, PoolOverview
from models.assessment.rules import Grade
from models.core.audit import ChangeDTO
from models.core.errors import DomainError
from ui import messages
from ui.common import Column, ok_button, ok_cancel

GRADES = [g.value for g in Grade]
TIE_COLOUR = "#fff3c4"
OVER_COLOUR = "#f8c8c8"


def _tr(text: str) -> str:
    return QCoreApplication.translate("AssessmentOverview", text)


def row_notes(r: OverviewRow) -> str:
    """The 提示 column: tie at the quota line, warnings, what is missing."""
    notes: list[str] = []
    if FLAG_TIE_UNRESOLVED in r.flags:
        notes.append(_tr("名额线完全并列，待考核委员会确定"))
    elif FLAG_TIE in r.flags:
        notes.append(_tr("名额线并列"))
    if FLAG_BARRED in r.flags and r.final_grade != Grade.UNDETERMINED.value:
        notes.append(_tr("不得评为优秀"))
    notes += [w for w in r.warnings if w not in notes and "完全并列" not in w]
    if r.missing:
        notes.append(_tr("未录入：") + "、".join(r.missing))
    if r.override_reason:
        notes.append(_tr("委员会调整：") + r.override_reason)
    return "；".join(notes)


def _d(value: object) -> str:
    """A stored 2-place score as it is (RowsModel would round Decimals to one place)."""
    return "" if value is None or value == 0 and not isinstance(value, int) else str(value)


def _tie_bg(r: OverviewRow) -> str | None:
    return TIE_COLOUR if FLAG_TIE in r.flags else None


def pool_columns() -> list[Column[PoolOverview]]:
    cols: list[Column[PoolOverview]] = [
        Column(_tr("单位"), lambda p: p.unit + (f"｜{p.layer}" if p.layer else "")),
        Column(_tr("人数"), lambda p: p.people, centered=True),
        Column(_tr("优秀名额"), lambda p: p.quota, centered=True, tooltip=lambda p: p.quota_text),
        Column(
            _tr("优秀"),
            lambda p: p.excellent,
            centered=True,
            background=lambda p: OVER_COLOUR if p.over_quota else None,
        ),
    ]
    cols += [Column(g, lambda p, g=g: p.counts.get(g, 0), centered=True) for g in GRADES[1:]]
    cols += [
        Column(
            _tr("审定"),
            lambda p: _tr("已审定") if p.approved else "",
            centered=True,
            tooltip=lambda p: p.approved,
        ),
        Column(_tr("未录入"), lambda p: len(p.without_scores) or "", centered=True),
        Column(
            _tr("提示"),
            lambda p: len(p.with_warnings) or "",
            centered=True,
            background=lambda p: TIE_COLOUR if p.with_warnings else None,
        ),
    ]
    return cols


def pools_total(pools: Sequence[PoolOverview]) -> str:
    """The 合计 line under the pools: people, quota, each grade with its share, still to
    enter ("" when there are no pools)."""
    if not pools:
        return ""
    people = sum(p.people for p in pools)
    parts = [
        _tr("合计 {n} 人").format(n=people),
        _tr("优秀名额 {q}").format(q=sum(p.quota for p in pools)),
    ]
    for g in GRADES:
        n = sum(p.counts.get(g, 0) for p in pools)
        share = f"（{n * 100 / people:.1f}%）" if people and g == GRADES[0] else ""
        parts.append(f"{g} {n}{share}")
    missing = sum(len(p.without_scores) for p in pools)
    if missing:
        parts.append(_tr("未录入 {n} 人").format(n=missing))
    return "，".join(parts)


def quarter_columns() -> list[Column[QuarterPoolRow]]:
    """Units of a 平时考核 round: the quarter grades held now against the cap on 好."""
    return [
        Column(_tr("单位"), lambda p: p.pool_key),
        Column(_tr("人数"), lambda p: p.people, centered=True),
        Column(
            _tr("“好”上限"),
            lambda p: "不限" if p.cap is None else p.cap,
            centered=True,
            tooltip=lambda p: p.cap_text,
        ),
        Column(
            _tr("好"),
            lambda p: p.counts.get("好", 0),
            centered=True,
            background=lambda p: OVER_COLOUR if p.over_cap else None,
        ),
        *(
            Column(g, lambda p, g=g: p.counts.get(g, 0), centered=True)
            for g in ("较好", "一般", "较差")
        ),
        Column(_tr("未定等次"), lambda p: p.without or "", centered=True),
    ]


def ranking_columns() -> list[Column[OverviewRow]]:
    return [
        Column(_tr("排名"), lambda r: r.rank, centered=True, background=_tie_bg),
        Column(_tr("姓名"), lambda r: r.name, background=_tie_bg),
        Column(_tr("民主测评"), lambda r: _d(r.evaluation), centered=True),
        Column(_tr("项目得分"), lambda r: _d(r.items), centered=True),
        Column(_tr("加分"), lambda r: _d(r.bonus), centered=True),
        Column(_tr("扣分"), lambda r: _d(r.penalty), centered=True),
        Column(_tr("综合得分"), lambda r: _d(r.composite), centered=True),
        Column(_tr("拟定等次"), lambda r: r.proposed_grade, centered=True),
        Column(
            _tr("最终等次"),
            lambda r: r.final_grade,
            centered=True,
            foreground=lambda r: "#b00020" if r.override_reason else None,
        ),
        Column(_tr("提示"), row_notes, background=_tie_bg, tooltip=row_notes),
        Column(_tr("现任职务"), lambda r: r.post_title),
    ]


def pending_columns() -> list[Column[PendingPerson]]:
    """The 待录入 list: who holds a pool up, and what is missing."""
    return [
        Column(_tr("姓名"), lambda p: p.name),
        Column(_tr("单位"), lambda p: p.unit),
        Column(_tr("待录入"), lambda p: p.what, tooltip=lambda p: p.text),
    ]


def history_columns() -> list[Column[ChangeDTO]]:
    return [
        Column(_tr("时间"), lambda c: c.at.strftime("%Y-%m-%d %H:%M")),
        Column(_tr("操作人"), lambda c: c.user),
        Column(_tr("内容"), lambda c: c.field),
        Column(_tr("原值"), lambda c: c.old_value),
        Column(_tr("新值"), lambda c: c.new_value),
        Column(_tr("理由"), lambda c: c.reason, tooltip=lambda c: c.reason),
    ]


@dataclass(frozen=True)
class OverrideChoice:
    grade: str
    reason: str
    approved: bool


class OverrideDialog(QDialog):
    """考核委员会调整等次: the grade, the reason (required) and 经批准 (may exceed the quota)."""

    def __init__(self, name: str, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("override_dialog")
        self.setWindowTitle(_tr("考核委员会调整等次：{name}").format(name=name))
        self.grade = QComboBox()
        self.grade.setObjectName("override_grade")
        self.grade.addItems(GRADES)
        if current in GRADES:
            self.grade.setCurrentText(current)
        self.reason = QLineEdit()
        self.reason.setObjectName("override_reason")
        self.reason.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 24)
        self.approved = QCheckBox(_tr("经批准可超出一般优秀比例"))
        self.approved.setObjectName("override_approved")
        buttons = ok_cancel(self, ok_enabled=False)
        self.ok = ok_button(buttons)
        self.reason.textChanged.connect(lambda t: self.ok.setEnabled(bool(t.strip())))
        form = QFormLayout(self)
        form.addRow(_tr("最终等次"), self.grade)
        form.addRow(_tr("调整理由"), self.reason)
        form.addRow("", self.approved)
        form.addRow(buttons)

    def choice(self) -> OverrideChoice:
        return OverrideChoice(
            self.grade.currentText(), self.reason.text().strip(), self.approved.isChecked()
        )

    @classmethod
    def ask(cls, parent: QWidget | None, name: str, current: str) -> OverrideChoice | None:
        dlg = cls(name, current, parent)
        return dlg.choice() if dlg.exec() == QDialog.DialogCode.Accepted else None


def titled(title: str, widget: QWidget) -> QWidget:
    """``widget`` under its bold title."""
    w = QWidget()
    lay = QVBoxLayout(w)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(QLabel(f"<b>{html.escape(title)}</b>"))
    lay.addWidget(widget, 1)
    return w


def pool_name(p: PoolOverview) -> str:
    return p.unit + (f"｜{p.layer}" if p.layer else "")


def toggle_pool_approval(parent: QWidget, rnd: RoundDTO, p: PoolOverview) -> bool:
    """审定 the pool ``p`` on its own, or withdraw its approval (a reason required), with
    the round's version the tab shows. True when the tab should read the round again (done,
    or the round was changed by someone else meanwhile)."""
    name = pool_name(p)
    if p.approved:
        title = _tr("解除考核范围审定")
        prompt = _tr("解除“{pool}”的审定（{at}），以便更正。理由（必填）：")
    else:
        title = _tr("审定考核范围")
        prompt = _tr(
            "审定“{pool}”（{n} 人）：审定后本范围人员的得分、记录和等次锁定，"
            "其他范围照常录入和计算。审定依据（如考核委员会会议，可不填）："
        )
    reason = messages.ask_text(parent, title, prompt.format(pool=name, at=p.approved, n=p.people))
    if reason is None:
        return False
    try:
        if p.approved:
            unlock_pool(rnd.id, p.pool_key, reason=reason, expected_version=rnd.version)
        else:
            approve_pool(rnd.id, p.pool_key, reason=reason, expected_version=rnd.version)
    except RoundChangedError as exc:
        messages.error(
            parent,
            str(exc) + "\n\n" + _tr("已重新读取本轮考核的最新结果，请核对后再操作。"),
            title,
        )
        return True
    except DomainError as exc:
        messages.error(parent, str(exc), _tr("不能审定") if not p.approved else title)
        return False
    return True
