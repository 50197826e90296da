"""The widget builders: a named button that calls its slot, a table view with the screens'
settings, and the OK / 取消 row of a dialog."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QDialog, QHeaderView

from ui.common import button, ok_button, ok_cancel, table_view

LEFT = Qt.MouseButton.LeftButton


def test_button_is_named_and_calls_its_slot_without_arguments(qtbot) -> None:
    calls: list[tuple[object, ...]] = []
    b = button("保存", "save_button", lambda *a: calls.append(a), tooltip="保存修改")
    qtbot.addWidget(b)
    qtbot.mouseClick(b, LEFT)
    assert (b.objectName(), b.text(), b.toolTip()) == ("save_button", "保存", "保存修改")
    assert calls == [()]  # not the "checked" flag of clicked(bool)
    plain = button("关闭", "close_button")
    qtbot.addWidget(plain)
    qtbot.mouseClick(plain, LEFT)  # no slot: nothing happens


def test_table_view_defaults(qtbot) -> None:
    model = QStringListModel(["甲", "乙"])
    t = table_view(model, "people_table")
    qtbot.addWidget(t)
    assert t.objectName() == "people_table"
    assert t.model() is model
    assert t.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows
    assert t.selectionMode() == QAbstractItemView.SelectionMode.SingleSelection
    assert t.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers
    assert not t.verticalHeader().isHidden()
    assert not t.horizontalHeader().stretchLastSection()


def test_table_view_options(qtbot) -> None:
    model = QStringListModel(["甲", "乙"])
    t = table_view(
        model,
        "list",
        selection=QAbstractItemView.SelectionMode.ExtendedSelection,
        select_rows=False,
        read_only=True,
        row_numbers=False,
        row_padding=8,
        resize=QHeaderView.ResizeMode.ResizeToContents,
        stretch=(0,),
        stretch_last=True,
    )
    qtbot.addWidget(t)
    assert t.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectItems
    assert t.selectionMode() == QAbstractItemView.SelectionMode.ExtendedSelection
    assert t.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert t.verticalHeader().isHidden()
    assert t.verticalHeader().defaultSectionSize() == t.fontMetrics().height() + 8
    header = t.horizontalHeader()
    assert header.sectionResizeMode(0) == QHeaderView.ResizeMode.Stretch
    assert header.stretchLastSection()


def test_ok_cancel_accepts_rejects_and_may_start_disabled(qtbot) -> None:
    dialog = QDialog()
    qtbot.addWidget(dialog)
    buttons = ok_cancel(dialog)
    assert ok_button(buttons).isEnabled()
    buttons.accepted.emit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    buttons.rejected.emit()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not ok_button(ok_cancel(QDialog(dialog), ok_enabled=False)).isEnabled()
