"""Dialogs of the 人员情况 tab: 加分/扣分, 处分 and 一票否决 for one person. Each has a classmethod
``ask(...)`` returning the choice or None (tests patch ``ask``); OK stays disabled until the
required reason is written. The services check everything again and refuse with their own
message."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from models.assessment.rules import AssessmentRules, SanctionRule, SchemeItem, fmt_number
from ui.common import ok_button, ok_cancel


def _tr(text: str) -> str:
    return QCoreApplication.translate("AssessmentPeople", text)


def _reason_line(dialog: QDialog, name: str, ok: QPushButton) -> QLineEdit:
    line = QLineEdit()
    line.setObjectName(name)
    line.setMinimumWidth(dialog.fontMetrics().horizontalAdvance("中") * 24)
    line.textChanged.connect(lambda t: ok.setEnabled(bool(t.strip())))
    return line


def cap_text(rules: AssessmentRules) -> str:
    c = rules.composite
    bonus = _tr("不限") if c.bonus_cap is None else _tr("{n} 分").format(n=fmt_number(c.bonus_cap))
    penalty = (
        _tr("不限") if c.penalty_cap is None else _tr("{n} 分").format(n=fmt_number(c.penalty_cap))
    )
    return _tr("本轮方案：加分合计上限 {b}，扣分合计上限 {p}").format(b=bonus, p=penalty)


@dataclass(frozen=True)
class AdjustmentChoice:
    points: Decimal  # > 0 加分, < 0 扣分
    reason: str


class AdjustmentDialog(QDialog):
    """加分/扣分: kind, points and the reason (required)."""

    def __init__(self, name: str, rules: AssessmentRules, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adjustment_dialog")
        self.setWindowTitle(_tr("加分/扣分：{name}").format(name=name))
        self.kind = QComboBox()
        self.kind.setObjectName("adjustment_kind")
        self.kind.addItems([_tr("加分"), _tr("扣分")])
        self.points = QDoubleSpinBox()
        self.points.setObjectName("adjustment_points")
        self.points.setDecimals(2)
        self.points.setRange(0.01, 100)
        self.points.setValue(1)
        buttons = ok_cancel(self, ok_enabled=False)
        self.ok = ok_button(buttons)
        self.reason = _reason_line(self, "adjustment_reason", self.ok)
        form = QFormLayout(self)
        form.addRow(_tr("类别"), self.kind)
        form.addRow(_tr("分值"), self.points)
        form.addRow(_tr("理由（必填）"), self.reason)
        form.addRow("", QLabel(cap_text(rules)))
        form.addRow(buttons)

    def choice(self) -> AdjustmentChoice:
        value = Decimal(f"{self.points.value():.2f}")
        sign = 1 if self.kind.currentIndex() == 0 else -1
        return AdjustmentChoice(value * sign, self.reason.text().strip())

    @classmethod
    def ask(
        cls, parent: QWidget | None, name: str, rules: AssessmentRules
    ) -> AdjustmentChoice | None:
        dlg = cls(name, rules, parent)
        return dlg.choice() if dlg.exec() == QDialog.DialogCode.Accepted else None


@dataclass(frozen=True)
class SanctionChoice:
    code: str
    start: dt.date
    end: dt.date | None
    note: str


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def sanction_kinds(rules: AssessmentRules) -> list[tuple[SanctionRule, list[SanctionRule]]]:
    """The kinds the entry dialog offers, each with its variants (rows whose ``variant_of``
    names it, e.g. the duty-related 党内严重警告). Legacy rows, kept only to read old records
    (留党察看 before 留察一年/二年), are not offered."""
    kinds = [s for s in rules.sanctions if not s.legacy and not s.variant_of]
    return [
        (k, [v for v in rules.sanctions if not v.legacy and v.variant_of == k.code]) for k in kinds
    ]


def _sanction_label(s: SanctionRule) -> str:
    return f"{s.name}（{'→'.join(e.value for e in s.effects)}）"


class SanctionDialog(QDialog):
    """处分/组织处理: the kind from the rules' 处分影响表 and, for a kind with variants, the
    variant (情形), the dates and the note (required, it is recorded as the reason)."""

    def __init__(
        self, name: str, rules: AssessmentRules, year: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sanction_dialog")
        self.setWindowTitle(_tr("处分/组织处理：{name}").format(name=name))
        self._kinds = sanction_kinds(rules)
        self.code = QComboBox()
        self.code.setObjectName("sanction_code")
        for kind, _variants in self._kinds:
            self.code.addItem(_sanction_label(kind), kind.code)
        self.variant = QComboBox()
        self.variant.setObjectName("sanction_variant")
        self.code.currentIndexChanged.connect(self._fill_variants)
        self._fill_variants(self.code.currentIndex())
        self.start = QDateEdit()
        self.start.setObjectName("sanction_start")
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd")
        self.start.setDate(_qdate(dt.date(year, 1, 1)))
        self.has_end = QCheckBox(_tr("提前结束于"))
        self.has_end.setObjectName("sanction_has_end")
        self.end = QDateEdit()
        self.end.setObjectName("sanction_end")
        self.end.setCalendarPopup(True)
        self.end.setDisplayFormat("yyyy-MM-dd")
        self.end.setDate(_qdate(dt.date(year, 12, 31)))
        self.end.setEnabled(False)
        self.has_end.toggled.connect(self.end.setEnabled)
        buttons = ok_cancel(self, ok_enabled=False)
        self.ok = ok_button(buttons)
        self.note = _reason_line(self, "sanction_note", self.ok)
        if not rules.sanctions:
            self.code.setEnabled(False)
            self.note.setEnabled(False)
        form = QFormLayout(self)
        form.addRow(_tr("处分种类"), self.code)
        form.addRow(_tr("情形"), self.variant)
        form.addRow(_tr("处分日期"), self.start)
        form.addRow(self.has_end, self.end)
        form.addRow(_tr("依据及说明（必填）"), self.note)
        form.addRow(
            "", QLabel(_tr("影响期按处分影响表计算；“提前结束于”只用于处分被撤销或提前解除"))
        )
        form.addRow(buttons)

    def _fill_variants(self, index: int) -> None:
        """The kind itself (一般情形) and its variants; disabled when the kind has none."""
        self.variant.clear()
        if not 0 <= index < len(self._kinds):
            self.variant.setEnabled(False)
            return
        kind, variants = self._kinds[index]
        self.variant.addItem(_tr("一般情形：{rule}").format(rule=_sanction_label(kind)), kind.code)
        for v in variants:
            self.variant.addItem(_sanction_label(v), v.code)
        self.variant.setEnabled(bool(variants))

    def choice(self) -> SanctionChoice:
        end = _pydate(self.end.date()) if self.has_end.isChecked() else None
        return SanctionChoice(
            str(self.variant.currentData()),
            _pydate(self.start.date()),
            end,
            self.note.text().strip(),
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None, name: str, rules: AssessmentRules, year: int
    ) -> SanctionChoice | None:
        dlg = cls(name, rules, year, parent)
        return dlg.choice() if dlg.exec() == QDialog.DialogCode.Accepted else None


@dataclass(frozen=True)
class VetoChoice:
    item_code: str
    reason: str


def veto_items(rules: AssessmentRules) -> tuple[SchemeItem, ...]:
    return tuple(i for i in rules.items if i.is_veto)


class VetoDialog(QDialog):
    """一票否决: which veto item of the scheme failed, and why (required)."""

    def __init__(
        self,
        name: str,
        items: tuple[SchemeItem, ...],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("veto_dialog")
        self.setWindowTitle(_tr("一票否决：{name}").format(name=name))
        self.item = QComboBox()
        self.item.setObjectName("veto_item")
        for it in items:
            self.item.addItem(
                _tr("{name}（否决后等次最高为{grade}）").format(
                    name=it.name, grade=it.veto_max_grade.value
                ),
                it.code,
            )
        buttons = ok_cancel(self, ok_enabled=False)
        self.ok = ok_button(buttons)
        self.reason = _reason_line(self, "veto_reason", self.ok)
        form = QFormLayout(self)
        form.addRow(_tr("否决项目"), self.item)
        form.addRow(_tr("认定理由（必填）"), self.reason)
        form.addRow(buttons)

    def choice(self) -> VetoChoice:
        return VetoChoice(str(self.item.currentData()), self.reason.text().strip())

    @classmethod
    def ask(
        cls, parent: QWidget | None, name: str, items: tuple[SchemeItem, ...]
    ) -> VetoChoice | None:
        dlg = cls(name, items, parent)
        return dlg.choice() if dlg.exec() == QDialog.DialogCode.Accepted else None
