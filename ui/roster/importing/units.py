"""Step “确定单位” of the roster import wizard (ui.roster.importing.wizard): the .lrmx/.lrm
people whose 现任职务 names no unit of the tree, or several equally well, one row each, with
a combo of the candidate units first and then every unit of the tree. The plan is then made
again with the choices (models.roster.import_plan ``unit_choices``). Mixed into
ImportWizard, shown only when the plan has such people and no default unit was chosen."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QTableWidgetItem,
    QWidget,
)

from models.roster.intake.unit_choice import UnsureUnit
from ui.common import choice_page

NONE = "（暂不指定）"
COLUMNS = ("文件", "姓名", "现任职务", "单位")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportWizard", text)


class UnsureUnitsStep:
    """The page and the choices of step “确定单位” (a mixin; ImportWizard is the QDialog)."""

    def _units_page(self) -> QWidget:
        page, self.units_table = choice_page(
            _tr(
                "下列人员的现任职务对应不到单位，或可对应多个单位。请为每人选择单位"
                "（可能的单位排在前面），选好后点“下一步”重新检查。"
                "选“（暂不指定）”的人员算作错误，整批不能导入。"
            ),
            [_tr(c) for c in COLUMNS],
            "units_table",
            stretch=3,
        )
        self.unsure_shown: list[UnsureUnit] = []
        return page

    def set_up_units(self, unsure: Sequence[UnsureUnit], paths: Sequence[str]) -> None:
        """Fill the table: one row per person, candidates first, then every unit path."""
        self.unsure_shown = list(unsure)
        table = self.units_table
        table.setRowCount(len(unsure))
        for r, u in enumerate(unsure):
            for c, text in enumerate((u.file, u.name, u.post)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(r, c, item)
            combo = QComboBox()
            combo.setObjectName(f"unit_choice_{r}")
            combo.addItem(_tr(NONE), None)
            for p in u.candidates:
                combo.addItem(p, p)
            if u.candidates:
                combo.insertSeparator(combo.count())
            for p in paths:
                if p not in u.candidates:
                    combo.addItem(p, p)
            combo.setAccessibleName(_tr("{name}的单位").format(name=u.name or u.file))
            table.setCellWidget(r, 3, combo)
        table.resizeColumnsToContents()
        char = table.fontMetrics().horizontalAdvance("中")
        table.setColumnWidth(3, max(table.columnWidth(3), char * 18))

    def unit_choice_combo(self, row: int) -> QComboBox:
        return self.units_table.cellWidget(row, 3)  # type: ignore[return-value]

    def set_unit_choice(self, row: int, path: str | None) -> None:
        """Choose the unit ``path`` (None: 暂不指定) for a row."""
        combo = self.unit_choice_combo(row)
        combo.setCurrentIndex(max(combo.findData(path), 0) if path is not None else 0)

    def chosen_units(self) -> dict[tuple[str, int | None], str]:
        """(file, row) → the unit path chosen, for the rows with a choice."""
        out: dict[tuple[str, int | None], str] = {}
        for r, u in enumerate(self.unsure_shown):
            path = self.unit_choice_combo(r).currentData()
            if path:
                out[u.key] = path
        return out
