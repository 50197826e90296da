"""Builders for the widgets every screen makes the same way: a named push button wired to a
slot, a table view over a model with the screens' usual selection and header settings, the
OK / 取消 button row of a dialog, and a page that asks one choice per row (a wizard step).

Object names matter: tests and the screenshot harness find widgets by them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

SelectionMode = QAbstractItemView.SelectionMode
ResizeMode = QHeaderView.ResizeMode


def button(
    text: str,
    name: str,
    slot: Callable[[], object] | None = None,
    *,
    tooltip: str = "",
    parent: QWidget | None = None,
) -> QPushButton:
    """A push button named ``name``; a click calls ``slot()`` (without the checked flag)."""
    b = QPushButton(text, parent)
    b.setObjectName(name)
    if tooltip:
        b.setToolTip(tooltip)
    if slot is not None:
        b.clicked.connect(lambda _checked=False: slot())
    return b


def table_view(
    model: QAbstractItemModel,
    name: str,
    *,
    selection: SelectionMode = SelectionMode.SingleSelection,
    select_rows: bool = True,
    read_only: bool = False,
    row_numbers: bool = True,
    row_padding: int | None = None,
    resize: ResizeMode | None = None,
    stretch: Sequence[int] = (),
    stretch_last: bool = False,
    parent: QWidget | None = None,
) -> QTableView:
    """A table view named ``name`` over ``model``.

    ``selection``: how many rows (or cells) may be selected; ``select_rows``: a click selects
    the whole row; ``read_only``: no editor opens whatever the model allows;
    ``row_numbers``: show the vertical header; ``row_padding``: rows are the font's height
    plus this many pixels (None: Qt's default); ``resize``: the resize mode of every column;
    ``stretch``: columns that take the width left over; ``stretch_last``: the last column
    does.
    """
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    if select_rows:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(selection)
    if read_only:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    rows = table.verticalHeader()
    if not row_numbers:
        rows.hide()
    if row_padding is not None:
        rows.setDefaultSectionSize(table.fontMetrics().height() + row_padding)
    columns = table.horizontalHeader()
    if resize is not None:
        columns.setSectionResizeMode(resize)
    for column in stretch:
        columns.setSectionResizeMode(column, ResizeMode.Stretch)
    if stretch_last:
        columns.setStretchLastSection(True)
    return table


def ok_cancel(dialog: QDialog, *, ok_enabled: bool = True) -> QDialogButtonBox:
    """确定 / 取消 for ``dialog`` (accept / reject); ``ok_enabled=False`` starts with 确定
    greyed out, for a dialog that enables it once its entries are complete."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok_enabled)
    return buttons


def ok_button(buttons: QDialogButtonBox) -> QPushButton:
    """The 确定 button of an :func:`ok_cancel` row."""
    return buttons.button(QDialogButtonBox.StandardButton.Ok)


def choice_page(
    intro: str, columns: Sequence[str], name: str, *, stretch: int
) -> tuple[QWidget, QTableWidget]:
    """A page with the ``intro`` text over a read-only table of ``columns`` (object name
    ``name``, column ``stretch`` takes the spare width) whose rows the caller fills, each
    with a combo of the choices: how a wizard asks one question per value or person."""
    page = QWidget()
    label = QLabel(intro)
    label.setWordWrap(True)
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(columns))
    table.setSelectionMode(SelectionMode.NoSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, ResizeMode.Stretch)
    layout = QVBoxLayout(page)
    layout.addWidget(label)
    layout.addWidget(table, 1)
    return page, table
