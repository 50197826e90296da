"""Step “未识别的代码值” of the roster import wizard (ui.roster.importing.wizard): values no
code-table item (name or 别名) matches, asked once per (代码表, value) with how many rows hold
it. Each can be mapped to an existing item (remembered as its 别名, so the next file from that
office matches) or added to the code table; the plan is then made again. Mixed into
ImportWizard, shown only when the plan has such values."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QTableWidgetItem,
    QWidget,
)

from models.roster import codes
from models.roster.import_plan import UnmappedValue
from ui import jobs
from ui.common import choice_page

SKIP = "（暂不对应）"
NEW = "新增到代码表"
COLUMNS = ("代码表", "原值", "行数", "所在行", "对应代码表项")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportWizard", text)


class UnmappedValuesStep:
    """The page and the choices of step “未识别的代码值” (a mixin; ImportWizard is the
    QDialog)."""

    def _values_page(self) -> QWidget:
        page, self.values_table = choice_page(
            _tr(
                "下列值在代码表中找不到。请为每个值选择它对应的代码表项（记为该项的别名，"
                "以后的文件自动识别），或“新增到代码表”；点“下一步”时选择即存入代码表"
                "（即使不导入也保留，可在“代码表”中修改），并重新检查。"
                "选“（暂不对应）”的值算作错误，整批不能导入。"
            ),
            [_tr(c) for c in COLUMNS],
            "values_table",
            stretch=3,
        )
        self.unmapped_shown: list[UnmappedValue] = []
        self.values_stored: set[codes.ValueChoice] = set()
        return page

    def set_up_values(self, unmapped: list[UnmappedValue]) -> None:
        """Fill the table: one row per value, with a combo of the list's items."""
        self.unmapped_shown = list(unmapped)
        table = self.values_table
        table.setRowCount(len(unmapped))
        names: dict[str, list[str]] = {}
        for r, u in enumerate(unmapped):
            if u.field not in names:
                names[u.field] = [i.name for i in codes.list_items(u.field) if i.active]
            cells = (u.label, u.value, str(u.count), u.where(5))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setToolTip(u.where(50) if c == 3 else text)
                table.setItem(r, c, item)
            combo = QComboBox()
            combo.setObjectName(f"value_choice_{r}")
            combo.addItem(_tr(SKIP), None)
            combo.addItem(_tr(NEW), codes.NEW_ITEM)
            for name in names[u.field]:
                combo.addItem(name, name)
            combo.setAccessibleName(
                _tr("“{value}”对应的{label}").format(value=u.value, label=u.label)
            )
            table.setCellWidget(r, 4, combo)
        table.resizeColumnsToContents()
        char = table.fontMetrics().horizontalAdvance("中")
        table.setColumnWidth(4, max(table.columnWidth(4), char * 14))

    def value_combo(self, row: int) -> QComboBox:
        return self.values_table.cellWidget(row, 4)  # type: ignore[return-value]

    def set_value_choice(self, row: int, target: str | None) -> None:
        """Choose ``target`` (an item name, codes.NEW_ITEM, or None for 暂不对应) for a row."""
        combo = self.value_combo(row)
        combo.setCurrentIndex(max(combo.findData(target), 0) if target is not None else 0)

    def value_choices(self) -> list[codes.ValueChoice]:
        out = []
        for r, u in enumerate(self.unmapped_shown):
            target = self.value_combo(r).currentData()
            if target is not None:
                out.append(codes.ValueChoice(u.field, u.value, target))
        return out

    def accept_values(self) -> jobs.Job | None:
        """Store the choices in the code tables (all or nothing) on the worker, then plan again
        (``then``); None when nothing was chosen (the caller plans at once)."""
        stored = self.values_stored  # type: ignore[has-type]
        choices = [c for c in self.value_choices() if c not in stored]
        if not choices:
            return None

        def saved(_n: int) -> None:
            stored.update(choices)  # not again when the user goes back and on
            self.start_plan()  # type: ignore[attr-defined]

        return self._run(  # type: ignore[attr-defined]
            jobs.in_one_transaction, codes.map_values, choices,
            title=_tr("正在保存到代码表"), on_success=saved,
        )  # fmt: skip
