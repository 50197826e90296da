"""The table model of the 五项考核 score grid: people × items, then the 民主测评 columns
(vote counts per rater group, or one average per group), then the live totals.

Every value is checked before it is stored (:meth:`ScoreGridModel.check_text`, the same
parse the services use); a refused value is never stored and its cell stays red with the
reason as tooltip. A pasted block goes through ONE all-or-nothing service call.
The row totals are computed with models.assessment.engine.grade (item_score / evaluation_score /
composite_score) on the row's values: no formula lives here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from models.assessment import (
    LOCKED_MESSAGE,
    MemberDTO,
    ScoreCell,
    VoteEntry,
    list_members,
    parse_score,
    set_cells,
    set_group_averages,
    set_scores,
    set_votes_block,
)
from models.assessment.engine import Adjustment, composite_score, evaluation_score, item_score
from models.assessment.grading import load_inputs
from models.assessment.rules import AssessmentRules, fmt_number
from models.core.errors import ConflictError, DomainError

log = logging.getLogger(__name__)

DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
ERROR_COLOUR = "#f8c8c8"
TOTAL_COLOUR = "#eef3fb"

MODE_VOTES = "votes"
MODE_AVERAGES = "averages"

ModelIndex = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("ScoreGrid", text)


@dataclass(frozen=True)
class GridColumn:
    kind: str  # name / unit / item / vote / avg / items_total / eval_total / composite
    header: str
    code: str = ""  # item or group code
    label: str = ""  # vote label
    tip: str = ""

    @property
    def editable(self) -> bool:
        return self.kind in ("item", "vote", "avg")


@dataclass(slots=True)
class GridRow:
    """One person's values; the dicts may be shared with other rows: replaced, never changed
    in place (ScoreGridModel.setData copies them first)."""

    member: MemberDTO
    scores: dict[str, Decimal] = field(default_factory=dict)
    votes: dict[str, dict[str, int]] = field(default_factory=dict)
    averages: dict[str, Decimal] = field(default_factory=dict)
    adjustments: tuple[Adjustment, ...] = ()

    @property
    def who(self) -> str:
        return f"{self.member.name}（{self.member.unit_name}）"


def grid_columns(rules: AssessmentRules, mode: str) -> list[GridColumn]:
    cols = [GridColumn("name", _tr("姓名")), GridColumn("unit", _tr("单位"))]
    for i in rules.items:
        extra = f"+{fmt_number(i.key_topic_weight)}" if i.key_topic_weight else ""
        tip = _tr("{name}：满分 {full}，权重 {w}{extra}").format(
            name=i.name, full=fmt_number(i.full_score), w=fmt_number(i.weight), extra=extra
        )
        if i.is_veto:
            tip += _tr("（一票否决）")
        cols.append(
            GridColumn("item", f"{i.name}\n满分{fmt_number(i.full_score)}", i.code, tip=tip)
        )
    cols += [
        GridColumn("items_total", _tr("项目\n得分"), tip=_tr("按各项目权重折算的百分制得分")),
        GridColumn("eval_total", _tr("民主\n测评"), tip=_tr("各评价组得分按组权重加权")),
        GridColumn("composite", _tr("综合\n得分"), tip=_tr("测评、项目按权重合计，再计加减分")),
    ]
    for g in rules.rater_groups:
        if mode == MODE_VOTES:
            cols.extend(
                GridColumn(
                    "vote",
                    f"{g.name}\n{v.label}",
                    g.code,
                    v.label,
                    _tr("民主测评：{group}组“{label}”票数").format(group=g.name, label=v.label),
                )
                for v in rules.vote_values
            )
        else:
            cols.append(
                GridColumn(
                    "avg",
                    f"{g.name}\n{_tr('平均分')}",
                    g.code,
                    tip=_tr("民主测评：{group}组平均分（0–100）").format(group=g.name),
                )
            )
    return cols


def check_count(text: str) -> str | None:
    """The reason a typed vote count is refused, or None ('' clears)."""
    t = text.strip()
    if not t or t.isdigit():
        return None
    return _tr("“{t}”不是不小于 0 的整数").format(t=t)


@dataclass
class GridData:
    """What a grid shows, read off the GUI thread for a big round (:func:`read_grid`)."""

    round_id: int | None
    rules: AssessmentRules | None = None
    round_name: str = ""
    mode: str = MODE_VOTES
    columns: list[GridColumn] = field(default_factory=list)
    rows: list[GridRow] = field(default_factory=list)


def read_grid(
    round_id: int | None, unit_id: int | None, mode: str | None, default_mode: str = MODE_VOTES
) -> GridData:
    """The grid of the round's participating members of ``unit_id`` (and its sub-units):
    columns for ``mode`` (None: votes, or averages when the round has only averages, else
    ``default_mode``), rows with the values stored. Reads only: runs on a worker thread."""
    if round_id is None:
        return GridData(None, mode=default_mode)
    rules, people, row = load_inputs(round_id)
    by_id = {p.person_id: p for p in people}
    if mode is None:
        has_votes = any(p.votes for p in people)
        has_avg = any(p.group_averages for p in people)
        mode = MODE_AVERAGES if has_avg and not has_votes else default_mode
    rows = []
    texts: dict[str, str] = {}  # one object per repeated text: a big round holds 50,000 rows
    for m in list_members(round_id, unit_id):
        if m.not_participating:
            continue
        m = _compact(m, texts)
        p = by_id.get(m.cadre_id)
        # the values are those of the rule engine's inputs, shared (equal vote counts are
        # one dict, and so is every empty one): the model copies a row's values before it
        # changes them
        rows.append(
            GridRow(m, p.item_scores, p.votes or _NONE, p.group_averages or _NONE, p.adjustments)
            if p
            else GridRow(m, _NONE, _NONE, _NONE)
        )
    return GridData(round_id, rules, row.name, mode, grid_columns(rules, mode), rows)


_NONE: dict[str, Any] = {}  # the rows' shared "no values" (never changed: copied on write)


def _compact(m: MemberDTO, texts: dict[str, str]) -> MemberDTO:
    """``m`` with its unit, post and layer texts shared with the rows read before (each is
    repeated over hundreds of people: 10 MB less for a round of 50,000)."""
    same = texts.setdefault
    return MemberDTO(
        m.id, m.round_id, m.cadre_id, m.name, m.id_card, m.unit_id, same(m.unit_name, m.unit_name),
        same(m.post_title, m.post_title), same(m.layer, m.layer), m.on_probation,
        m.under_investigation, m.leave_days, m.not_participating,
    )  # fmt: skip


class ScoreGridModel(QAbstractTableModel):
    """Rows are the round's participating members (one unit and its sub-units)."""

    totalsChanged = Signal(int)  # row whose totals changed
    stored = Signal()  # something was written to the database
    # someone else changed a value this grid showed: nothing was stored, the grid re-read
    # the round, and the text says who, when and the value now (the view shows it)
    conflicted = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.round_id: int | None = None
        self.round_name = ""
        self.rules: AssessmentRules | None = None
        self.read_only = False
        self.mode = MODE_VOTES
        self.columns: list[GridColumn] = []
        self.rows: list[GridRow] = []
        self.errors: dict[tuple[int, int], str] = {}  # (cadre id, column) → reason

    # -- loading ------------------------------------------------------------------------------

    def load(
        self,
        round_id: int | None,
        unit_id: int | None = None,
        *,
        read_only: bool = False,
        mode: str | None = None,
    ) -> None:
        """Read the round's grid and show it (see :func:`read_grid`, :meth:`show`)."""
        self.show(read_grid(round_id, unit_id, mode or None, self.mode), read_only=read_only)

    def show(self, data: GridData, *, read_only: bool = False) -> None:
        """Show what :func:`read_grid` read (on the GUI thread)."""
        self.beginResetModel()
        try:
            self.errors.clear()
            self.round_id = data.round_id
            self.read_only = read_only
            self.rules, self.round_name = data.rules, data.round_name
            self.mode = data.mode
            self.columns = data.columns
            self.rows = data.rows
        finally:
            self.endResetModel()

    def reload(self) -> None:
        """Re-read the values of the rows shown (same people, same columns)."""
        if self.round_id is None:
            return
        _rules, people, _row = load_inputs(self.round_id)
        by_id = {p.person_id: p for p in people}
        for r in self.rows:
            p = by_id.get(r.member.cadre_id)
            if p is None:
                continue
            r.scores = p.item_scores  # shared with the rule engine's inputs: copied on write
            r.votes = p.votes or _NONE
            r.averages = p.group_averages or _NONE
            r.adjustments = p.adjustments
        if self.rows and self.columns:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1)
            )

    # -- totals (models.assessment.engine.grade does the arithmetic) ------------------------

    def items_total(self, row: GridRow) -> Decimal | None:
        assert self.rules is not None
        try:
            return item_score(self.rules, row.scores, who=row.who)
        except DomainError:
            return None

    def evaluation_total(self, row: GridRow) -> Decimal | None:
        assert self.rules is not None
        try:
            if row.votes:
                return evaluation_score(self.rules, votes=row.votes, who=row.who)
            if row.averages:
                return evaluation_score(self.rules, averages=row.averages, who=row.who)
        except DomainError:
            return None
        return None

    def composite_total(self, row: GridRow) -> Decimal | None:
        assert self.rules is not None
        items, ev = self.items_total(row), self.evaluation_total(row)
        if items is None or (ev is None and self.rules.composite.evaluation_weight > 0):
            return None
        try:
            return composite_score(self.rules, ev or Decimal(0), items, row.adjustments).composite
        except DomainError:
            return None

    # -- cells --------------------------------------------------------------------------------

    def cell_text(self, row: GridRow, col: GridColumn) -> str:
        value: Decimal | int | None
        if col.kind == "name":
            return row.member.name
        if col.kind == "unit":
            return row.member.unit_name
        if col.kind == "item":
            value = row.scores.get(col.code)
        elif col.kind == "vote":
            value = row.votes.get(col.code, {}).get(col.label)
        elif col.kind == "avg":
            value = row.averages.get(col.code)
        elif col.kind == "items_total":
            value = self.items_total(row)
        elif col.kind == "eval_total":
            value = self.evaluation_total(row)
        else:
            value = self.composite_total(row)
        if value is None:
            return ""
        if isinstance(value, int) or col.kind in ("items_total", "eval_total", "composite"):
            return str(value)  # totals keep their 2 places, as in the explanations
        return fmt_number(value)

    def check_text(self, index: ModelIndex, text: str) -> str | None:
        """Why ``text`` cannot go into the cell at ``index`` (Chinese), or None."""
        col = self.columns[index.column()]
        assert self.rules is not None
        if col.kind == "item":
            item = self.rules.items_by_code[col.code]
            try:
                parse_score(text, item.full_score)
            except ValueError as exc:
                return _tr("“{item}”得分{reason}").format(item=item.name, reason=exc)
            return None
        if col.kind == "avg":
            try:
                parse_score(text, Decimal(100))
            except ValueError as exc:
                return _tr("平均分{reason}").format(reason=exc)
            return None
        if col.kind == "vote":
            return check_count(text)
        return _tr("此列由系统计算，不能录入")

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: ModelIndex, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if not 0 <= index.column() < len(self.columns):
            return None
        row, col = self.rows[index.row()], self.columns[index.column()]
        if role in (DISPLAY, EDIT):
            return self.cell_text(row, col)
        key = (row.member.cadre_id, index.column())
        if role == _BACKGROUND:
            if key in self.errors:
                return QBrush(QColor(ERROR_COLOUR))
            if col.kind in ("items_total", "eval_total", "composite"):
                return QBrush(QColor(TOTAL_COLOUR))
            return None
        if role == _TOOLTIP:
            return self.errors.get(key) or col.tip or None
        if role == _ALIGN and col.kind not in ("name", "unit"):
            return _RIGHT
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == DISPLAY:
                return self.columns[section].header
            if role == _TOOLTIP:
                return self.columns[section].tip or None
            return None
        if role == DISPLAY and orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.read_only and self.columns[index.column()].editable:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def setData(self, index: ModelIndex, value: Any, role: int = EDIT) -> bool:
        if role != EDIT or not index.isValid() or self.round_id is None:
            return False
        row, col = self.rows[index.row()], self.columns[index.column()]
        if not col.editable:
            return False
        text = "" if value is None else str(value).strip()
        key = (row.member.cadre_id, index.column())
        if self.read_only:
            return self._refuse(index, key, LOCKED_MESSAGE)
        problem = self.check_text(index, text)
        if problem:
            return self._refuse(index, key, f"{row.who}：{problem}")
        if text == self.cell_text(row, col):
            self._clear_error(index, key)
            return True
        cid = row.member.cadre_id
        try:
            if col.kind == "item":
                shown = row.scores.get(col.code)
                set_scores(self.round_id, [ScoreCell(cid, col.code, text, shown)])
                row.scores = dict(row.scores)  # copy on write: the values read may be shared
                if text:
                    row.scores[col.code] = Decimal(text.replace("，", ".").replace("。", "."))
                else:
                    row.scores.pop(col.code, None)
            elif col.kind == "vote":
                shown_votes = {col.code: {col.label: row.votes.get(col.code, {}).get(col.label)}}
                entry = VoteEntry(cid, {col.code: {col.label: text or None}}, shown_votes)
                set_votes_block(self.round_id, [entry])
                row.votes = {g: dict(c) for g, c in row.votes.items()}  # copy on write
                group = row.votes.setdefault(col.code, {})
                if text:
                    group[col.label] = int(text)
                else:
                    group.pop(col.label, None)
                    if not group:
                        row.votes.pop(col.code)
            else:
                shown_avg = {col.code: row.averages.get(col.code)}
                set_group_averages(self.round_id, cid, {col.code: text or None}, expected=shown_avg)
                row.averages = dict(row.averages)  # copy on write
                if text:
                    row.averages[col.code] = Decimal(text)
                else:
                    row.averages.pop(col.code, None)
        except ConflictError as exc:
            self._clear_error(index, key)
            self.reload()
            self.conflicted.emit(str(exc))
            return False
        except DomainError as exc:
            return self._refuse(index, key, str(exc))
        self._clear_error(index, key)
        self._row_changed(index.row())
        self.stored.emit()
        return True

    def _cell(self, r: int, c: int, value: object) -> ScoreCell:
        """The score edit of grid cell (r, c), carrying the score the grid shows there."""
        row, col = self.rows[r], self.columns[c]
        return ScoreCell(row.member.cadre_id, col.code, value, row.scores.get(col.code))

    def _votes(self, r: int, votes: dict[str, dict[str, object]]) -> VoteEntry:
        """The vote edit of row ``r``, carrying the counts the grid shows for those cells."""
        row = self.rows[r]
        shown = {g: {lab: row.votes.get(g, {}).get(lab) for lab in c} for g, c in votes.items()}
        return VoteEntry(row.member.cadre_id, votes, shown)

    def _store(self, write: Callable[[], int]) -> int:
        """Run a block write; when someone else changed one of its cells meanwhile, nothing
        is stored, the grid re-reads the round and says so (``conflicted``)."""
        try:
            return write()
        except ConflictError as exc:
            self.reload()
            self.conflicted.emit(str(exc))
            return 0

    def _refuse(self, index: ModelIndex, key: tuple[int, int], reason: str) -> bool:
        self.errors[key] = reason
        self.dataChanged.emit(index, index, [_BACKGROUND, _TOOLTIP])
        return False

    def _clear_error(self, index: ModelIndex, key: tuple[int, int]) -> None:
        if self.errors.pop(key, None) is not None:
            self.dataChanged.emit(index, index, [_BACKGROUND, _TOOLTIP])

    def _row_changed(self, r: int) -> None:
        self.dataChanged.emit(self.index(r, 0), self.index(r, len(self.columns) - 1))
        self.totalsChanged.emit(r)

    # -- blocks ---------------------------------------------------------------------------

    def paste(self, top: int, left: int, block: Sequence[Sequence[str]]) -> int:
        """Store a block of text cells with its top-left at (top, left) in ONE service call.
        Raises DomainError (nothing stored) naming the person and item of every bad cell."""
        if self.round_id is None or self.rules is None:
            raise DomainError(_tr("请先选择考核轮次"))
        if self.read_only:
            raise DomainError(LOCKED_MESSAGE)
        height = len(block)
        width = max((len(r) for r in block), default=0)
        if not height or not width:
            raise DomainError(_tr("剪贴板中没有可粘贴的内容"))
        if top + height > len(self.rows) or left + width > len(self.columns):
            raise DomainError(
                _tr(
                    "粘贴的内容有 {h} 行 {w} 列，从第 {r} 行“{c}”列开始放不下"
                    "（表格只剩 {rows} 行、{cols} 列）"
                ).format(
                    h=height,
                    w=width,
                    r=top + 1,
                    c=self.columns[left].header.replace("\n", ""),
                    rows=len(self.rows) - top,
                    cols=len(self.columns) - left,
                )
            )
        kinds = {self.columns[c].kind for c in range(left, left + width)}
        if kinds == {"item"}:
            cells = [
                self._cell(top + r, left + c, v)
                for r, line in enumerate(block)
                for c, v in enumerate(line)
            ]
            changed = self._store(lambda: set_scores(self.round_id, cells, reason=_tr("粘贴")))
        elif kinds == {"vote"}:
            entries = []
            for r, line in enumerate(block):
                votes: dict[str, dict[str, object]] = {}
                for c, v in enumerate(line):
                    col = self.columns[left + c]
                    votes.setdefault(col.code, {})[col.label] = v.strip() or None
                entries.append(self._votes(top + r, votes))
            changed = self._store(
                lambda: set_votes_block(self.round_id, entries, reason=_tr("粘贴"))
            )
        else:
            raise DomainError(
                _tr("一次粘贴只能落在考核项目得分列内，或民主测评票数列内；平均分请逐格录入")
            )
        for r in range(top, top + height):
            for c in range(left, left + width):
                self.errors.pop((self.rows[r].member.cadre_id, c), None)
        self.reload()
        self.stored.emit()
        return changed

    def clear_cells(self, indexes: Sequence[ModelIndex]) -> int:
        """Clear the editable item / vote cells among ``indexes`` in one call per kind."""
        if self.round_id is None:
            return 0
        if self.read_only:
            raise DomainError(LOCKED_MESSAGE)
        cells: list[ScoreCell] = []
        votes: dict[int, dict[str, dict[str, object]]] = {}
        rows: dict[int, int] = {}
        for ix in indexes:
            col = self.columns[ix.column()]
            cid = self.rows[ix.row()].member.cadre_id
            if col.kind == "item":
                cells.append(self._cell(ix.row(), ix.column(), None))
            elif col.kind == "vote":
                votes.setdefault(cid, {}).setdefault(col.code, {})[col.label] = None
                rows[cid] = ix.row()
        entries = [self._votes(rows[cid], v) for cid, v in votes.items()]
        n = self._store(lambda: set_cells(self.round_id, cells, entries, reason=_tr("清除")))
        if n:
            self.reload()
            self.stored.emit()
        return n


def parse_clipboard(text: str) -> list[list[str]]:
    """Tab/newline separated text (what Excel puts on the clipboard) → rows of cells."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    if not text:
        return []
    return [line.split("\t") for line in text.split("\n")]
