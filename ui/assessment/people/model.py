"""Data and table model of the 人员情况 tab of 年度考核: one row per member of the round with
the status flags, the four 平时考核 quarters, the sanctions in force, 加分/扣分 and 一票否决.

Rows are read through the services (models.assessment.grading.load_inputs for the round,
models.assessment.list_members for the unit, the per-person functions of
models.assessment where needed); an edit in the table goes to the service at once
(:func:`set_member_flags`, :func:`set_quarter_grade`) with the value the cell showed; a
refusal leaves the row as it was and is reported through :attr:`PeopleModel.refused` with the
service's Chinese message, or through :attr:`PeopleModel.conflicted` when someone else
changed that value meanwhile (the tab then reads the rows again).

The 平时考核 texts (barred from 优秀, the cap on 好 per quarter) are read from the round's
rules (``rules.quarterly``), never fixed here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from models.assessment import (
    MemberDTO,
    RoundDTO,
    list_adjustments,
    list_members,
    quarter_grades,
    sanctions_in_force,
    set_member_flags,
    set_quarter_grade,
)
from models.assessment.engine import QuotaCalc, SanctionInForce, quota_for
from models.assessment.grading import load_inputs
from models.assessment.rules import QUARTERLY_GRADES, AssessmentRules, fmt_number, pool_key_of
from models.core.errors import ConflictError, DomainError
from ui.common import HeadedTableModel

DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole
CHECK = Qt.ItemDataRole.CheckStateRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
ID_ROLE = Qt.ItemDataRole.UserRole + 1

BARRED_COLOUR = "#f8c8c8"
FLAG_COLOUR = "#fff3c4"
ABSENT_COLOUR = "#9e9e9e"
WARN_TEXT = "#b00020"

QUARTER_NAMES = ("一季度", "二季度", "三季度", "四季度")

ModelIndex = QModelIndex | QPersistentModelIndex
Quarters = tuple[str | None, str | None, str | None, str | None]


def _tr(text: str) -> str:
    return QCoreApplication.translate("AssessmentPeople", text)


# --------------------------------------------------------------------------- rows (no Qt)


@dataclass(frozen=True)
class PersonRow:
    """One member of the round as the 人员情况 table shows them."""

    member: MemberDTO
    quarters: Quarters
    sanctions: tuple[SanctionInForce, ...]  # in force in the round's year
    adjustments: tuple[Decimal, ...]  # points, + 加分 / − 扣分
    vetoes: tuple[str, ...]  # codes of failed 一票否决 items

    @property
    def cadre_id(self) -> int:
        return self.member.cadre_id

    @property
    def participating(self) -> bool:
        return not self.member.not_participating


def _four(grades: Sequence[str | None]) -> Quarters:
    g = [*list(grades)[:4], None, None, None, None]
    return (g[0], g[1], g[2], g[3])


def load_rows(rnd: RoundDTO, unit_id: int | None) -> list[PersonRow]:
    """The members of ``rnd`` in ``unit_id`` (and its sub-units; all units when None)."""
    _rules, inputs, _row = load_inputs(rnd.id)
    by_id = {p.person_id: p for p in inputs}
    rows = []
    for m in list_members(rnd.id, unit_id):
        p = by_id.get(m.cadre_id)
        if p is not None:
            rows.append(
                PersonRow(
                    m,
                    _four(p.quarterly_grades),
                    tuple(p.sanctions),
                    tuple(a.points for a in p.adjustments),
                    tuple(p.veto_failures),
                )
            )
        else:  # not taking part: the engine's loader leaves them out
            rows.append(person_row(rnd, m, ()))
    return rows


def person_row(rnd: RoundDTO, member: MemberDTO, vetoes: tuple[str, ...]) -> PersonRow:
    """One row read again through the per-person services (after a change)."""
    cid = member.cadre_id
    return PersonRow(
        member,
        quarter_grades(cid, rnd.year),
        sanctions_in_force(cid, rnd.year, rnd.rules),
        tuple(a.points for a in list_adjustments(rnd.id, cid)),
        vetoes,
    )


def quarterly_bar(rules: AssessmentRules, quarters: Sequence[str | None]) -> str:
    """Why the 平时考核 rule bars 优秀 ('' when it does not), worded as the grading does."""
    qr = rules.quarterly
    bad = [n for n, g in enumerate(quarters, start=1) if g and g in qr.bar_excellent_grades]
    out = []
    if bad:
        qs = "、".join(_tr("第 {n} 季度").format(n=n) for n in bad)
        grades = "/".join(qr.bar_excellent_grades)
        out.append(_tr("{qs}平时考核为{grades}，不得评为优秀").format(qs=qs, grades=grades))
    good = sum(1 for g in quarters if g == "好")
    if qr.min_good_for_excellent and good < qr.min_good_for_excellent:
        out.append(
            _tr("平时考核“好”等次 {good} 次，少于 {n} 次，不得评为优秀").format(
                good=good, n=qr.min_good_for_excellent
            )
        )
    return "；".join(out)


def sanction_text(rules: AssessmentRules, s: SanctionInForce) -> str:
    """'诫勉（不得评为优秀）', with the year of the 影响期 when it is not the first."""
    rule = rules.sanctions_by_code.get(s.code)
    if rule is None:
        return _tr("{code}（不在处分影响表中）").format(code=s.code)
    if s.lifted_on is not None:
        return _tr("{name}（处分期间 {day} 届满，本年度正常定等次）").format(
            name=rule.name, day=f"{s.lifted_on:%Y-%m-%d}"
        )
    effect = rule.effects[s.year_offset].value if s.year_offset < len(rule.effects) else ""
    when = _tr("影响期第 {n} 年，").format(n=s.year_offset + 1) if s.year_offset else ""
    return f"{rule.name}（{when}{effect}）"


def adjustments_text(points: Sequence[Decimal]) -> str:
    """'+2', '−3' or '+2／−3' (加分 and 扣分 totals)."""
    bonus = sum((p for p in points if p > 0), Decimal(0))
    penalty = -sum((p for p in points if p < 0), Decimal(0))
    parts = []
    if bonus:
        parts.append("+" + fmt_number(bonus))
    if penalty:
        parts.append("−" + fmt_number(penalty))
    return "／".join(parts)


@dataclass(frozen=True)
class PoolGood:
    """平时考核 好 per quarter in one pool against the cap (good_cap_percent of its people)."""

    pool: str
    people: int
    cap: QuotaCalc | None  # None: the rules set no cap
    good: tuple[int, int, int, int]

    def over(self, quarter: int) -> bool:
        """True when quarter (1–4) has more 好 than the cap."""
        return self.cap is not None and self.good[quarter - 1] > self.cap.quota

    @property
    def any_over(self) -> bool:
        return any(self.over(q) for q in (1, 2, 3, 4))


def good_counts(rules: AssessmentRules, rows: Sequence[PersonRow]) -> list[PoolGood]:
    """Per quota pool (participating members only, as the grading counts them)."""
    pools: dict[str, list[PersonRow]] = {}
    for r in rows:
        if r.participating:
            key = pool_key_of(rules, r.member.unit_name, r.member.layer)
            pools.setdefault(key, []).append(r)
    pct = rules.quarterly.good_cap_percent
    out = []
    for key, members in pools.items():
        n = len(members)
        at_least_one = rules.quarterly.good_cap_at_least_one
        cap = None if pct is None else quota_for(pct, n, rules.quota.rounding, at_least_one)
        good = [sum(1 for r in members if r.quarters[q] == "好") for q in range(4)]
        out.append(PoolGood(key, n, cap, (good[0], good[1], good[2], good[3])))
    return out


# --------------------------------------------------------------------------- columns

COL_NAME, COL_UNIT, COL_PROBATION, COL_INVESTIGATION, COL_LEAVE, COL_ABSENT = range(6)
COL_Q1 = 6
COL_QUARTERLY, COL_SANCTIONS, COL_ADJUST, COL_VETO = 10, 11, 12, 13
QUARTER_COLUMNS = range(COL_Q1, COL_Q1 + 4)
CHECK_COLUMNS = (COL_PROBATION, COL_INVESTIGATION)
EDIT_COLUMNS = (COL_LEAVE, COL_ABSENT, *QUARTER_COLUMNS)


def headers() -> list[str]:
    return [
        _tr("姓名"),
        _tr("单位"),
        _tr("试用期"),
        _tr("立案审查"),
        _tr("病事假天数"),
        _tr("不参加考核原因"),
        *[_tr(q) for q in QUARTER_NAMES],
        _tr("平时考核"),
        _tr("处分（本年度有影响）"),
        _tr("加减分"),
        _tr("一票否决"),
    ]


class PeopleModel(HeadedTableModel):
    """The members of a round; flags and quarter grades are edited in place."""

    refused = Signal(str)  # the service's message; the cell keeps its value
    conflicted = Signal(str)  # changed by someone else meanwhile: the message; read again
    changed = Signal(int)  # cadre id whose data changed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.round: RoundDTO | None = None
        self.rows: list[PersonRow] = []
        self.read_only = True
        self._headers = headers()

    # -- what the screen calls --------------------------------------------------------------

    def load(self, rnd: RoundDTO | None, unit_id: int | None) -> None:
        self.beginResetModel()
        self.round = rnd
        self.read_only = rnd is None or rnd.locked
        self.rows = load_rows(rnd, unit_id) if rnd is not None else []
        self.endResetModel()

    @property
    def rules(self) -> AssessmentRules | None:
        return self.round.rules if self.round else None

    def row(self, row: int) -> PersonRow | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of(self, cadre_id: int) -> int | None:
        return next((k for k, r in enumerate(self.rows) if r.cadre_id == cadre_id), None)

    def replace_row(self, new: PersonRow) -> None:
        k = self.row_of(new.cadre_id)
        if k is None:
            return
        self.rows[k] = new
        self.dataChanged.emit(self.index(k, 0), self.index(k, len(self._headers) - 1))

    def refresh_person(self, cadre_id: int, vetoes: tuple[str, ...] | None = None) -> None:
        """Read one person's quarters, sanctions and adjustments again (after a change)."""
        k = self.row_of(cadre_id)
        if k is None or self.round is None:
            return
        old = self.rows[k]
        self.replace_row(
            person_row(self.round, old.member, old.vetoes if vetoes is None else vetoes)
        )
        self.changed.emit(cadre_id)

    def text(self, row: int, column: int) -> str:
        value = self.data(self.index(row, column))
        return "" if value is None else str(value)

    def headers(self) -> list[str]:
        return list(self._headers)

    # -- Qt model interface -------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def column_headers(self) -> Sequence[str]:
        return self._headers

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.read_only:
            return f
        c = index.column()
        if c in CHECK_COLUMNS:
            f |= Qt.ItemFlag.ItemIsUserCheckable
        elif c in EDIT_COLUMNS:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def data(self, index: ModelIndex, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        r = self.row(index.row())
        rules = self.rules
        if r is None or rules is None:
            return None
        c = index.column()
        m = r.member
        if role in (DISPLAY, EDIT):
            return self._value(r, c, rules, edit=role == EDIT)
        if role == CHECK and c in CHECK_COLUMNS:
            on = m.on_probation if c == COL_PROBATION else m.under_investigation
            return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        if role == ID_ROLE:
            return r.cadre_id
        if role == _ALIGN and c not in (COL_NAME, COL_UNIT, COL_ABSENT, COL_SANCTIONS, COL_VETO):
            return _CENTER
        if role == _BACKGROUND:
            colour = self._background(r, c, rules)
            return QBrush(QColor(colour)) if colour else None
        if role == _FOREGROUND:
            if not r.participating and c in (COL_NAME, COL_UNIT):
                return QBrush(QColor(ABSENT_COLOUR))
            if c == COL_QUARTERLY and quarterly_bar(rules, r.quarters):
                return QBrush(QColor(WARN_TEXT))
            return None
        if role == _TOOLTIP:
            return self._tooltip(r, c, rules) or None
        return None

    def _value(self, r: PersonRow, c: int, rules: AssessmentRules, *, edit: bool) -> Any:
        m = r.member
        if c == COL_NAME:
            return m.name
        if c == COL_UNIT:
            return m.unit_name
        if c in CHECK_COLUMNS:
            return ""
        if c == COL_LEAVE:
            return m.leave_days if edit else (str(m.leave_days) if m.leave_days else "")
        if c == COL_ABSENT:
            return m.not_participating
        if c in QUARTER_COLUMNS:
            return r.quarters[c - COL_Q1] or ""
        if c == COL_QUARTERLY:
            return _tr("不得评为优秀") if quarterly_bar(rules, r.quarters) else ""
        if c == COL_SANCTIONS:
            return "；".join(sanction_text(rules, s) for s in r.sanctions)
        if c == COL_ADJUST:
            return adjustments_text(r.adjustments)
        if c == COL_VETO:
            items = rules.items_by_code
            return "、".join(items[v].name if v in items else v for v in r.vetoes)
        return ""

    def _background(self, r: PersonRow, c: int, rules: AssessmentRules) -> str | None:
        m = r.member
        if c in QUARTER_COLUMNS:
            g = r.quarters[c - COL_Q1]
            return BARRED_COLOUR if g and g in rules.quarterly.bar_excellent_grades else None
        if c == COL_QUARTERLY and quarterly_bar(rules, r.quarters):
            return BARRED_COLOUR
        if (c == COL_PROBATION and m.on_probation) or (
            c == COL_INVESTIGATION and m.under_investigation
        ):
            return FLAG_COLOUR
        if c == COL_LEAVE and (
            rules.status.long_leave_days is not None
            and m.leave_days >= rules.status.long_leave_days
        ):
            return FLAG_COLOUR
        if c == COL_ABSENT and m.not_participating:
            return FLAG_COLOUR
        if c in (COL_SANCTIONS, COL_VETO) and (r.sanctions if c == COL_SANCTIONS else r.vetoes):
            return BARRED_COLOUR
        return None

    def _tooltip(self, r: PersonRow, c: int, rules: AssessmentRules) -> str:
        if c == COL_QUARTERLY:
            return quarterly_bar(rules, r.quarters)
        if c == COL_SANCTIONS:
            return "\n".join(
                sanction_text(rules, s) + (f"：{s.note}" if s.note else "") for s in r.sanctions
            )
        if c == COL_LEAVE and rules.status.long_leave_days is not None:
            return _tr("病事假达到 {n} 天的不定等次").format(n=rules.status.long_leave_days)
        if c == COL_ADJUST and r.adjustments:
            return "、".join(("+" if p > 0 else "") + fmt_number(p) for p in r.adjustments)
        return ""

    # -- editing: every change goes to the service at once ----------------------------------

    def setData(self, index: ModelIndex, value: Any, role: int = EDIT) -> bool:
        if not index.isValid() or self.read_only or self.round is None:
            return False
        r = self.row(index.row())
        if r is None:
            return False
        c = index.column()
        m = r.member
        try:
            if role == CHECK and c in CHECK_COLUMNS:
                on = _checked(value)
                if c == COL_PROBATION:
                    member = set_member_flags(
                        self.round.id, m.cadre_id, on_probation=on, expected=m
                    )
                else:
                    member = set_member_flags(
                        self.round.id, m.cadre_id, under_investigation=on, expected=m
                    )
                new = dataclasses.replace(r, member=member)
            elif role != EDIT:
                return False
            elif c == COL_LEAVE:
                days = _days(value, m.name)
                if days == m.leave_days:
                    return True
                member = set_member_flags(self.round.id, m.cadre_id, leave_days=days, expected=m)
                new = dataclasses.replace(r, member=member)
            elif c == COL_ABSENT:
                text = "" if value is None else str(value).strip()
                if text == m.not_participating:
                    return True
                member = set_member_flags(
                    self.round.id, m.cadre_id, not_participating=text, expected=m
                )
                new = dataclasses.replace(r, member=member)
            elif c in QUARTER_COLUMNS:
                q = c - COL_Q1
                grade = (str(value).strip() if value is not None else "") or None
                if grade == r.quarters[q]:
                    return True
                set_quarter_grade(m.cadre_id, self.round.year, q + 1, grade, expected=r.quarters[q])
                quarters = list(r.quarters)
                quarters[q] = grade
                new = dataclasses.replace(r, quarters=_four(quarters))
            else:
                return False
        except ConflictError as exc:
            self.conflicted.emit(str(exc))
            return False
        except DomainError as exc:
            self.refused.emit(str(exc))
            return False
        self.rows[index.row()] = new
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), COL_VETO))
        self.changed.emit(m.cadre_id)
        return True


def _checked(value: Any) -> bool:
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    return int(value) == Qt.CheckState.Checked.value


def _days(value: Any, name: str) -> int:
    """The 病事假天数 as typed; DomainError when it is not a whole number."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        return 0
    if not text.isdigit():
        raise DomainError(
            _tr("{name}：病事假天数“{text}”不是整数").format(name=name, text=text),
            field="leave_days",
        )
    return int(text)


class PeopleDelegate(QStyledItemDelegate):
    """A combo (空/好/较好/一般/较差) for the quarters and a 0–366 spin box for leave days."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex
    ) -> QWidget:
        c = index.column()
        if c in QUARTER_COLUMNS:
            combo = QComboBox(parent)
            combo.setObjectName("people_quarter_editor")
            combo.addItem(_tr("（未评）"), "")
            for g in QUARTERLY_GRADES:
                combo.addItem(g, g)
            combo.activated.connect(lambda _i, c=combo: self._chosen(c))
            return combo
        if c == COL_LEAVE:
            spin = QSpinBox(parent)
            spin.setObjectName("people_leave_editor")
            spin.setRange(0, 366)
            return spin
        return super().createEditor(parent, option, index)

    def _chosen(self, combo: QComboBox) -> None:
        """A grade picked with the mouse (or Enter in the list) is stored at once."""
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: ModelIndex) -> None:
        if isinstance(editor, QComboBox):
            current = index.data(EDIT) or ""
            editor.setCurrentIndex(max(editor.findData(current), 0))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: ModelIndex) -> None:
        if isinstance(editor, QComboBox):
            value = editor.currentData()
            if value != (index.data(EDIT) or ""):
                model.setData(index, value, EDIT)
            return
        if isinstance(editor, QSpinBox):
            editor.interpretText()
            if editor.value() != index.data(EDIT):
                model.setData(index, editor.value(), EDIT)
            return
        super().setModelData(editor, model, index)
