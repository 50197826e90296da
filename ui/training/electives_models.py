"""Table models, columns and the ChoicesDialog of the 选学 tab (see ui.training.electives_view)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QWidget,
)

from models.training import (
    BY_RANK,
    FIRST_COME,
    ElectiveOption,
    ElectiveOutcome,
)
from models.training import electives as el
from ui.common import Column, ModelIndex, RowsModel, ok_cancel

EDIT = Qt.ItemDataRole.EditRole
RULES = ((FIRST_COME, "先报先得"), (BY_RANK, "按职级"))
MOVED_COLOUR = "#fef3c7"
NONE_COLOUR = "#fee2e2"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ElectivesView", text)


# ============================================================================ models


def option_columns() -> list[Column[ElectiveOption]]:
    return [
        Column(_tr("选学课程"), lambda o: o.title),
        Column(
            _tr("名额"),
            lambda o: o.capacity or _tr("不限"),
            True,
            tooltip=lambda _o: _tr("双击修改名额；0 表示不限"),
        ),
        Column(
            _tr("第一志愿人数"),
            lambda o: o.chosen,
            True,
            foreground=lambda o: "#b91c1c" if o.capacity and o.chosen > o.capacity else None,
            tooltip=lambda o: (
                _tr("第一志愿人数超过名额，需按规则分配")
                if o.capacity and o.chosen > o.capacity
                else ""
            ),
        ),
        Column(_tr("已分配"), lambda o: o.admitted, True),
    ]


CAPACITY_COLUMN = 1


class OptionsModel(RowsModel[ElectiveOption]):
    """The elective menu; the 名额 column is editable through ``save_capacity(course_id,
    places)``, which returns the stored option or None when refused."""

    def __init__(
        self,
        save_capacity: Callable[[int, int], ElectiveOption | None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(option_columns(), lambda o: o.course_id, parent)
        self._save = save_capacity
        self.editable = True

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == EDIT and index.isValid() and index.column() == CAPACITY_COLUMN:
            o = self.row(index.row())
            return o.capacity if o is not None else None
        return super().data(index, role)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if self.editable and index.isValid() and index.column() == CAPACITY_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: ModelIndex, value: Any, role: int = EDIT) -> bool:
        if role != EDIT or not index.isValid() or index.column() != CAPACITY_COLUMN:
            return False
        o = self.row(index.row())
        if o is None:
            return False
        try:
            places = int(value)
        except (TypeError, ValueError):
            return False
        saved = self._save(o.course_id, places)
        if saved is None:
            return False
        self._rows[index.row()] = saved
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), 3))
        return True


def choice_columns(wishes: int) -> list[Column[el.TraineeChoices]]:
    cols: list[Column[el.TraineeChoices]] = [
        Column(_tr("姓名"), lambda t: t.name, True),
        Column(_tr("单位"), lambda t: t.unit_name),
        Column(_tr("职级"), lambda t: t.rank, True),
    ]
    cols.extend(
        Column(el.wish_name(k), lambda t, k=k: t.wish_title(k)) for k in range(1, wishes + 1)
    )
    cols.append(
        Column(
            _tr("填报时间"),
            lambda t: t.handed_at.strftime("%m-%d %H:%M:%S") if t.handed_at else "",
            True,
        )
    )
    cols.append(
        Column(
            _tr("分配结果"),
            lambda t: "、".join(w.title for w in t.granted),
            foreground=lambda t: "#15803d" if t.granted else None,
        )
    )
    return cols


@dataclass(frozen=True)
class OutcomeLine:
    """One row of the outcome list: the values under OUTCOME_HEADERS."""

    key: int
    cadre_id: int
    values: tuple[object, ...]
    placed: bool
    moved: bool


def _line_colour(line: OutcomeLine) -> str | None:
    if not line.placed:
        return NONE_COLOUR
    return MOVED_COLOUR if line.moved else None


def outcome_columns() -> list[Column[OutcomeLine]]:
    widths = (True, False, True, False, True, True, False)
    return [
        Column(_tr(h), lambda x, k=k: x.values[k], centered, background=_line_colour)
        for k, (h, centered) in enumerate(zip(el.OUTCOME_HEADERS, widths, strict=True))
    ]


def outcome_lines(
    outcomes: Sequence[ElectiveOutcome], trainees: Sequence[el.TraineeChoices]
) -> list[OutcomeLine]:
    by_id = {t.cadre_id: t for t in trainees}
    rows = el.outcome_rows(outcomes, by_id)
    return [
        OutcomeLine(k, o.cadre_id, values, o.course_id is not None, o.moved)
        for k, (o, values) in enumerate(zip(outcomes, rows, strict=True))
    ]


# ============================================================================ dialog


class ChoicesDialog(QDialog):
    """A trainee's wishes in order of preference: one list per wish, each the menu."""

    def __init__(
        self,
        name: str,
        options: Sequence[ElectiveOption],
        current: Sequence[int],
        limit: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("choices_dialog")
        self.setWindowTitle(_tr("填写选学志愿：{name}").format(name=name))
        form = QFormLayout(self)
        self.boxes: list[QComboBox] = []
        for k in range(limit):
            box = QComboBox()
            box.setObjectName(f"wish_{k + 1}")
            box.addItem(_tr("（不填）"), None)
            for o in options:
                places = _tr("不限") if not o.capacity else str(o.capacity)
                box.addItem(_tr("{t}（名额 {n}）").format(t=o.title, n=places), o.course_id)
            if k < len(current):
                box.setCurrentIndex(max(box.findData(current[k]), 0))
            form.addRow(el.wish_name(k + 1), box)
            self.boxes.append(box)
        self.problem = QLabel()
        self.problem.setObjectName("choices_problem")
        self.problem.setStyleSheet("color:#dc2626;")
        self.problem.setWordWrap(True)
        form.addRow(self.problem)
        form.addRow(ok_cancel(self))

    def chosen(self) -> list[int]:
        return [b.currentData() for b in self.boxes if b.currentData() is not None]

    def check(self) -> str:
        """Why the wishes cannot be saved ('' when they can)."""
        values = [b.currentData() for b in self.boxes]
        seen: set[int] = set()
        for k, v in enumerate(values):
            if v is None:
                if any(x is not None for x in values[k + 1 :]):
                    return _tr("{w}没有填写，请依次填写志愿").format(w=el.wish_name(k + 1))
                continue
            if v in seen:
                return _tr("{w}与前面的志愿重复").format(w=el.wish_name(k + 1))
            seen.add(v)
        return ""

    def accept(self) -> None:
        problem = self.check()
        self.problem.setText(problem)
        if not problem:
            super().accept()

    @classmethod
    def ask(
        cls,
        name: str,
        options: Sequence[ElectiveOption],
        current: Sequence[int],
        limit: int,
        parent: QWidget | None = None,
    ) -> list[int] | None:
        """The course ids in order of preference, or None when cancelled."""
        dlg = cls(name, options, current, limit, parent)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        return dlg.chosen()
