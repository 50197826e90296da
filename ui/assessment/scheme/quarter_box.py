"""The 平时考核 box of the 考核方案 editor (ui.assessment.scheme.editor): the quarter score lines
of 好 / 较好 / 一般, the cap on 好 and its "不足 1 名按 1 名计" switch, read from and written into
the round's QuarterlyRule. The editor validates the whole scheme; this box only shows, reads and
locks its own fields."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QCheckBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from models.assessment.rules import QuarterlyRule
from ui.assessment.scheme.models import Parse, num_text


def _tr(text: str) -> str:
    return QCoreApplication.translate("SchemeEditor", text)


class QuarterBox(QGroupBox):
    def __init__(
        self,
        line: Callable[[str], QLineEdit],
        row: Callable[..., QWidget],
        changed: Callable[[], object],
        parent: QWidget | None = None,
    ) -> None:
        """``line(name)`` makes a number field that revalidates the scheme when edited,
        ``row(*widgets)`` lays widgets out in a row, ``changed`` revalidates."""
        super().__init__(_tr("平时考核（季度等次）"), parent)
        self.good_min = line("scheme_quarter_good_min")
        self.good_min.setPlaceholderText(_tr("不设"))
        self.good_min.setToolTip(
            _tr("留空：不设“好”等次分数线，按季度得分排名和“好”等次比例上限确定")
        )
        self.fairly_good_min = line("scheme_quarter_fairly_good_min")
        self.ordinary_min = line("scheme_quarter_ordinary_min")
        self.good_cap = line("scheme_quarter_good_cap")
        self.good_cap.setPlaceholderText(_tr("不设"))
        self.good_cap.setToolTip(_tr("留空：不限制“好”等次人数"))
        self.at_least_one = QCheckBox(_tr("不足 1 名按 1 名计"))
        self.at_least_one.setObjectName("scheme_quarter_at_least_one")
        self.at_least_one.toggled.connect(changed)
        form = QFormLayout(self)
        form.addRow(
            _tr("季度等次分数线"),
            row(
                QLabel(_tr("好 ≥")),
                self.good_min,
                QLabel(_tr("较好 ≥")),
                self.fairly_good_min,
                QLabel(_tr("一般 ≥")),
                self.ordinary_min,
            ),
        )
        form.addRow(_tr("“好”等次比例上限%"), row(self.good_cap, self.at_least_one))

    def load(self, rule: QuarterlyRule) -> None:
        for edit, value in (
            (self.good_min, rule.good_min),
            (self.fairly_good_min, rule.fairly_good_min),
            (self.ordinary_min, rule.ordinary_min),
            (self.good_cap, rule.good_cap_percent),
        ):
            edit.setText(num_text(value))
        self.at_least_one.setChecked(rule.good_cap_at_least_one)

    def set_read_only(self, locked: bool) -> None:
        for edit in (self.good_min, self.fairly_good_min, self.ordinary_min, self.good_cap):
            edit.setReadOnly(locked)
        self.at_least_one.setEnabled(not locked)

    def read(self, base: QuarterlyRule, p: Parse) -> QuarterlyRule:
        """``base`` with the box's values; entries that are not numbers go to ``p``."""
        where = _tr("平时考核")
        return dataclasses.replace(
            base,
            good_min=p.opt(
                self.good_min.text(), "quarterly.good_min", where, _tr("“好”等次分数线")
            ),
            fairly_good_min=p.dec(
                self.fairly_good_min.text(),
                "quarterly.fairly_good_min",
                where,
                _tr("“较好”等次分数线"),
            ),
            ordinary_min=p.dec(
                self.ordinary_min.text(), "quarterly.ordinary_min", where, _tr("“一般”等次分数线")
            ),
            good_cap_percent=p.opt(
                self.good_cap.text(),
                "quarterly.good_cap_percent",
                where,
                _tr("“好”等次比例上限"),
            ),
            good_cap_at_least_one=self.at_least_one.isChecked(),
        )
