"""考评规则 of a year of the 单位考评: the weights of 共性/个性 indicators, the 领导班子's share
of the total and of its 民主测评, the cap on 特色、创新工作加分, the deduction for a late
self-check and when self-checks are due, the weight of key tasks, the grades (name, the share
of units each may hold, its score line and the 优秀 share it gives the unit's staff — e.g.
好/较好/一般/较差 or 一等/二等/三等), and the five 班子 items and rater groups with their
weights. What is typed is checked by the service, whose Chinese message is shown as it is."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from models import evaluation as ev
from models.core.errors import DomainError
from ui.common import button, ok_cancel

__all__ = ["RulesDialog"]


def _tr(text: str) -> str:
    return QCoreApplication.translate("EvaluationView", text)


def _n(v: Decimal) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


def _number(text: str, what: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise DomainError(_tr("“{w}”应为数字，现为“{t}”").format(w=what, t=text.strip())) from None
    if not value.is_finite():
        raise DomainError(_tr("“{w}”应为数字，现为“{t}”").format(w=what, t=text.strip()))
    return value


def _table(headers: list[str], rows: list[list[str]], name: str) -> QTableWidget:
    t = QTableWidget(len(rows), len(headers))
    t.setObjectName(name)
    t.setHorizontalHeaderLabels(headers)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            t.setItem(r, c, QTableWidgetItem(text))
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return t


def _cell(t: QTableWidget, r: int, c: int) -> str:
    item = t.item(r, c)
    return item.text().strip() if item is not None else ""


class RulesDialog(QDialog):
    """考评规则 of one year."""

    def __init__(self, year: int, rules: ev.EvalRules, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("eval_rules_dialog")
        self.setWindowTitle(_tr("{y} 年度单位考评规则").format(y=year))
        self.rules = rules
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for key, label in (
            ("common_weight", _tr("共性指标权重（%）")),
            ("own_weight", _tr("个性指标权重（%）")),
            ("team_weight", _tr("领导班子得分占总分（%，0 为不计）")),
            ("vote_weight", _tr("民主测评占班子得分（%）")),
            ("bonus_cap", _tr("特色、创新工作加分上限（分）")),
            ("late_deduction", _tr("每次逾期自查扣分（分）")),
            ("key_factor", _tr("重点工作权重倍数")),
        ):
            edit = QLineEdit(_n(getattr(rules, key)))
            edit.setObjectName(f"rules_{key}")
            self.edits[key] = edit
            form.addRow(label + _tr("："), edit)
        self.check_days = QSpinBox()
        self.check_days.setObjectName("rules_check_days")
        self.check_days.setRange(0, 60)
        self.check_days.setValue(rules.check_days)
        self.check_days.setSuffix(_tr(" 天"))
        form.addRow(_tr("季度结束后自查截止："), self.check_days)
        self.grades = _table(
            [_tr("等次"), _tr("最多占单位（%）"), _tr("分数线"), _tr("干部优秀比例（%）")],
            [[g.name, _n(g.share), _n(g.min_score), _n(g.staff_excellent)] for g in rules.grades],
            "rules_grades",
        )
        add = button(_tr("增加等次"), "rules_add_grade", self.add_grade)
        remove = button(_tr("删除所选等次"), "rules_remove_grade", self.remove_grade)
        self.items = _table(
            [_tr("班子考核项目"), _tr("权重（%）")],
            [[w.name, _n(w.weight)] for w in rules.team_items],
            "rules_team_items",
        )
        self.groups = _table(
            [_tr("民主测评组"), _tr("权重（%）")],
            [[w.name, _n(w.weight)] for w in rules.vote_groups],
            "rules_vote_groups",
        )
        grade_bar = QHBoxLayout()
        grade_bar.addWidget(QLabel(_tr("等次（从高到低；最后一个等次接收其余单位）")))
        grade_bar.addStretch(1)
        grade_bar.addWidget(add)
        grade_bar.addWidget(remove)
        pair = QHBoxLayout()
        pair.addWidget(self.items)
        pair.addWidget(self.groups)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(grade_bar)
        layout.addWidget(self.grades)
        layout.addLayout(pair)
        layout.addWidget(ok_cancel(self))
        self.resize(720, 760)

    def add_grade(self) -> None:
        self.grades.insertRow(self.grades.rowCount())

    def remove_grade(self) -> None:
        row = self.grades.currentRow()
        if row >= 0:
            self.grades.removeRow(row)

    def values(self) -> ev.EvalRules:
        """The rules as typed; DomainError naming the first cell that is not a number."""
        labels = {"common_weight": _tr("共性指标权重"), "own_weight": _tr("个性指标权重"),
                  "team_weight": _tr("领导班子得分比例"), "vote_weight": _tr("民主测评比例"),
                  "bonus_cap": _tr("加分上限"), "late_deduction": _tr("逾期自查扣分"),
                  "key_factor": _tr("重点工作权重倍数")}  # fmt: skip
        nums = {k: _number(e.text(), labels[k]) for k, e in self.edits.items()}
        grades = []
        for r in range(self.grades.rowCount()):
            name = _cell(self.grades, r, 0)
            if not name and not any(_cell(self.grades, r, c) for c in (1, 2, 3)):
                continue  # an empty row added and left blank
            where = _tr("第 {r} 个等次“{n}”的").format(r=r + 1, n=name)
            grades.append(
                ev.GradeRule(
                    name,
                    _number(_cell(self.grades, r, 1), where + _tr("单位比例")),
                    _number(_cell(self.grades, r, 2), where + _tr("分数线")),
                    _number(_cell(self.grades, r, 3), where + _tr("干部优秀比例")),
                )
            )
        items = tuple(
            ev.Weighted(w.code, _cell(self.items, r, 0),
                        _number(_cell(self.items, r, 1), _cell(self.items, r, 0) + _tr("的权重")))
            for r, w in enumerate(self.rules.team_items)
        )  # fmt: skip
        groups = tuple(
            ev.Weighted(w.code, _cell(self.groups, r, 0),
                        _number(_cell(self.groups, r, 1), _cell(self.groups, r, 0) + _tr("的权重")))
            for r, w in enumerate(self.rules.vote_groups)
        )  # fmt: skip
        return ev.EvalRules(
            nums["common_weight"], nums["own_weight"], nums["bonus_cap"],
            nums["late_deduction"], self.check_days.value(), tuple(grades),
            nums["team_weight"], items, nums["vote_weight"], groups, nums["key_factor"],
        )  # fmt: skip
