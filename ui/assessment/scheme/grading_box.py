"""The 综合得分、等次与优秀名额 box of the 考核方案 editor (ui.assessment.scheme.editor): the
weights of 测评 and 项目 in the composite score, the caps on 加分 and 扣分, the grade lines,
the 优秀 quota (percent, approved maximum, rounding, the unit it is counted in) and the order
of tie-breaks. The editor validates the whole scheme; this box only shows, reads and locks
its own fields."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models.assessment.rules import (
    TIE_BREAK_LABELS,
    CompositeRule,
    GradeThresholds,
    PoolBy,
    QuotaBase,
    QuotaRule,
    Rounding,
    SanctionCount,
)
from ui.assessment.scheme.models import KEY_ROLE, Parse, num_text
from ui.common import button


def _tr(text: str) -> str:
    return QCoreApplication.translate("SchemeEditor", text)


class GradingBox(QGroupBox):
    """``edited`` when a choice or the tie-break order changes (the number fields come from
    the editor's ``line``, which watches them itself)."""

    edited = Signal()

    def __init__(
        self,
        line: Callable[[str], QLineEdit],
        row: Callable[..., QWidget],
        parent: QWidget | None = None,
    ) -> None:
        """``line(name)`` makes a number field that revalidates the scheme when edited,
        ``row(*widgets)`` lays widgets out in a row."""
        super().__init__(_tr("综合得分、等次与优秀名额"), parent)
        self._row = row
        self.eval_weight, self.items_weight = (
            line("scheme_eval_weight"),
            line("scheme_items_weight"),
        )
        self.bonus_cap, self.penalty_cap = line("scheme_bonus_cap"), line("scheme_penalty_cap")
        self.excellent_min = line("scheme_excellent_min")
        self.competent_min, self.basic_min = line("scheme_competent_min"), line("scheme_basic_min")
        self.quota_percent, self.quota_max = line("scheme_quota"), line("scheme_quota_max")
        self.rounding = self._combo("scheme_rounding", [r.value for r in Rounding])
        self.pool_by = self._combo("scheme_pool_by", [p.value for p in PoolBy])
        self.quota_base = self._combo("scheme_quota_base", [b.value for b in QuotaBase])
        self.at_least_one = QCheckBox(_tr("不足 1 名按 1 名计"))
        self.at_least_one.setObjectName("scheme_at_least_one")
        self.at_least_one.toggled.connect(self.edited)
        # small units share their parent unit's (主管部门's) pool; 0: every unit on its own
        self.merge_below = QSpinBox()
        self.merge_below.setObjectName("scheme_merge_below")
        self.merge_below.setRange(0, 1000)
        self.merge_below.setSpecialValueText(_tr("0（不合并）"))
        self.merge_below.setToolTip(
            _tr("参加考核人数少于此数的单位，与上级单位（主管部门）合并计算优秀名额；0 为不合并")
        )
        self.merge_below.valueChanged.connect(self.edited)
        # how the years a sanction affects are counted (DOMAIN.md §1.5)
        self.sanction_count = self._combo("scheme_sanction_count", [c.value for c in SanctionCount])
        self.sanction_count.setToolTip(
            _tr(
                "按自然年度：按处分影响表，从受处分当年起按年度计算；按处分期间：处分期间届满"
                "（解除）的那一年起正常确定等次"
            )
        )
        self.tie_list = QListWidget()
        self.tie_list.setObjectName("scheme_tie_break")
        self.tie_list.itemChanged.connect(self.edited)
        self.tie_up = button(_tr("上移"), "scheme_tie_up", lambda: self._move_tie(-1))
        self.tie_down = button(_tr("下移"), "scheme_tie_down", lambda: self._move_tie(1))

        form = QFormLayout(self)
        form.addRow(
            _tr("综合得分权重%"),
            self._pair(_tr("测评"), self.eval_weight, _tr("项目"), self.items_weight),
        )
        form.addRow(
            _tr("加减分上限"),
            self._pair(_tr("加分"), self.bonus_cap, _tr("扣分"), self.penalty_cap),
        )
        thresholds = row(
            QLabel(_tr("优秀 ≥")),
            self.excellent_min,
            QLabel(_tr("称职 ≥")),
            self.competent_min,
            QLabel(_tr("基本称职 ≥")),
            self.basic_min,
        )
        form.addRow(_tr("等次分数线"), thresholds)
        form.addRow(
            _tr("优秀比例%"),
            self._pair(_tr("一般"), self.quota_percent, _tr("经批准最高"), self.quota_max),
        )
        form.addRow(_tr("名额取整"), row(self.rounding, self.at_least_one))
        form.addRow(_tr("名额计算单元"), row(self.pool_by, self.quota_base))
        form.addRow(
            "",
            row(QLabel(_tr("小于")), self.merge_below, QLabel(_tr("人的单位并入上级单位计算名额"))),
        )
        form.addRow(
            _tr("处分影响年度"),
            row(self.sanction_count, QLabel(_tr("（按处分期间时，期满当年正常定等次）"))),
        )
        tie = QWidget()
        tl = QHBoxLayout(tie)
        tl.setContentsMargins(0, 0, 0, 0)
        self.tie_list.setFixedHeight(self.fontMetrics().height() * 8 + 24)
        tl.addWidget(self.tie_list, 1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.tie_up)
        buttons.addWidget(self.tie_down)
        buttons.addStretch(1)
        tl.addLayout(buttons)
        form.addRow(_tr("并列时依次比较\n（勾选的依据）"), tie)

    def _combo(self, name: str, values: list[str]) -> QComboBox:
        c = QComboBox()
        c.setObjectName(name)
        c.addItems(values)
        c.currentIndexChanged.connect(self.edited)
        return c

    def _pair(self, la: str, a: QWidget, lb: str, b: QWidget) -> QWidget:
        return self._row(QLabel(la), a, QLabel(lb), b)

    def load(
        self,
        composite: CompositeRule,
        thresholds: GradeThresholds,
        quota: QuotaRule,
        tie_break: Sequence[str],
        item_ties: Sequence[tuple[str, str]],
        sanction_count: SanctionCount = SanctionCount.CALENDAR,
    ) -> None:
        """Show the rules; ``item_ties`` are the tie-break keys and labels of the scheme's
        items (``item:<code>``), offered after the fixed ones."""
        c, t, q = composite, thresholds, quota
        for edit, value in (
            (self.eval_weight, c.evaluation_weight),
            (self.items_weight, c.items_weight),
            (self.bonus_cap, c.bonus_cap),
            (self.penalty_cap, c.penalty_cap),
            (self.excellent_min, t.excellent_min),
            (self.competent_min, t.competent_min),
            (self.basic_min, t.basic_min),
            (self.quota_percent, q.percent),
            (self.quota_max, q.max_percent),
        ):
            edit.setText(num_text(value))
        self.rounding.setCurrentText(q.rounding.value)
        self.pool_by.setCurrentText(q.pool_by.value)
        self.quota_base.setCurrentText(q.base.value)
        self.at_least_one.setChecked(q.at_least_one)
        self.merge_below.setValue(q.merge_below)
        self.sanction_count.setCurrentText(sanction_count.value)
        self._fill_ties(tuple(tie_break), [*TIE_BREAK_LABELS.items(), *item_ties])

    def set_item_ties(self, item_ties: Sequence[tuple[str, str]]) -> None:
        """The scheme's items changed: offer their tie-break keys under their current names,
        keep the choices and their order; the key of a deleted item goes."""
        keys = [*TIE_BREAK_LABELS.items(), *item_ties]
        shown = [
            (str(self.tie_list.item(k).data(KEY_ROLE)), self.tie_list.item(k).text())
            for k in range(self.tie_list.count())
        ]
        if sorted(shown) == sorted(keys):
            return
        labels = dict(keys)
        chosen = tuple(
            str(self.tie_list.item(k).data(KEY_ROLE))
            for k in range(self.tie_list.count())
            if self.tie_list.item(k).checkState() == Qt.CheckState.Checked
            and self.tie_list.item(k).data(KEY_ROLE) in labels
        )
        self._fill_ties(chosen, keys)
        self.edited.emit()

    def _fill_ties(self, chosen: tuple[str, ...], keys: list[tuple[str, str]]) -> None:
        labels = dict(keys)
        self.tie_list.blockSignals(True)
        self.tie_list.clear()
        for key in [*chosen, *(k for k in labels if k not in chosen)]:
            item = QListWidgetItem(labels.get(key, key))
            item.setData(KEY_ROLE, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if key in chosen else Qt.CheckState.Unchecked)
            self.tie_list.addItem(item)
        self.tie_list.blockSignals(False)

    def _move_tie(self, step: int) -> None:
        r = self.tie_list.currentRow()
        if r < 0 or not 0 <= r + step < self.tie_list.count():
            return
        item = self.tie_list.takeItem(r)
        self.tie_list.insertItem(r + step, item)
        self.tie_list.setCurrentRow(r + step)
        self.edited.emit()

    def read(
        self, base: QuotaRule, p: Parse
    ) -> tuple[CompositeRule, GradeThresholds, QuotaRule, tuple[str, ...]]:
        """The composite rule, grade lines, quota (the rest of ``base`` kept) and tie-break
        keys as entered; entries that are not numbers go to ``p.issues``."""
        w = _tr("综合得分")
        composite = CompositeRule(
            evaluation_weight=p.dec(self.eval_weight.text(), "composite", w, _tr("测评权重")),
            items_weight=p.dec(self.items_weight.text(), "composite", w, _tr("项目权重")),
            bonus_cap=p.opt(self.bonus_cap.text(), "composite", w, _tr("加分上限")),
            penalty_cap=p.opt(self.penalty_cap.text(), "composite", w, _tr("扣分上限")),
        )
        t = _tr("等次分数线")
        thresholds = GradeThresholds(
            excellent_min=p.opt(self.excellent_min.text(), "thresholds", t, _tr("优秀分数线")),
            competent_min=p.dec(self.competent_min.text(), "thresholds", t, _tr("称职分数线")),
            basic_min=p.dec(self.basic_min.text(), "thresholds", t, _tr("基本称职分数线")),
        )
        q = _tr("优秀名额")
        quota = dataclasses.replace(
            base,
            percent=p.dec(self.quota_percent.text(), "quota.percent", q, _tr("优秀比例")),
            max_percent=p.dec(self.quota_max.text(), "quota.max_percent", q, _tr("最高比例")),
            rounding=Rounding(self.rounding.currentText()),
            at_least_one=self.at_least_one.isChecked(),
            pool_by=PoolBy(self.pool_by.currentText()),
            base=QuotaBase(self.quota_base.currentText()),
            merge_below=self.merge_below.value(),
        )
        ties = tuple(
            str(self.tie_list.item(k).data(KEY_ROLE))
            for k in range(self.tie_list.count())
            if self.tie_list.item(k).checkState() == Qt.CheckState.Checked
        )
        return composite, thresholds, quota, ties

    def set_read_only(self, locked: bool) -> None:
        for w in (
            self.eval_weight,
            self.items_weight,
            self.bonus_cap,
            self.penalty_cap,
            self.excellent_min,
            self.competent_min,
            self.basic_min,
            self.quota_percent,
            self.quota_max,
        ):
            w.setReadOnly(locked)
        for x in (
            self.rounding,
            self.pool_by,
            self.quota_base,
            self.at_least_one,
            self.merge_below,
            self.sanction_count,
            self.tie_list,
            self.tie_up,
            self.tie_down,
        ):
            x.setEnabled(not locked)
