"""The data of the 考核 summary reports, gathered from the assessment services:

* :func:`summary_data`: 考核结果汇总表, per unit (quota pool), ranked, with scores, grades and
  the 优秀 quota line;
* :func:`approval_data`: 年度考核结果审定表, counts by rank layer and grade, 不定等次 with
  reasons, 未参加考核;
* :func:`register_data`: 年度考核结果名册, everyone with their final grade, by unit.

Plain frozen dataclasses; the PDF layout is :mod:`reports.assessment.summary_pdf`, the sheets
:mod:`reports.assessment.summary_xlsx`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from models.assessment import DEFAULT_LAYER, RoundDTO, find_round, list_members
from models.assessment.engine import NO_GRADE_OTHER, NO_GRADE_PROBATION, NO_GRADE_SANCTION
from models.assessment.results import OverviewRow, round_overview
from models.assessment.rules import Grade
from models.core.dates import ym
from models.core.errors import DomainError
from models.roster import service as roster

__all__ = [
    "ALL_UNITS",
    "DETERMINED",
    "NO_GRADE_KINDS",
    "ApprovalData",
    "ApprovalRow",
    "RegisterData",
    "RegisterRow",
    "SummaryData",
    "SummaryRow",
    "SummaryUnit",
    "UNGRADED",
    "approval_data",
    "no_grade_reason",
    "register_data",
    "resolve_round",
    "summary_data",
]


#: The scope of a report made for every unit (no unit selected).
ALL_UNITS = "全部单位"
#: Grades that are a 确定等次, in the order of the printed columns.
DETERMINED = (Grade.EXCELLENT.value, Grade.COMPETENT.value, Grade.BASIC.value,
              Grade.INCOMPETENT.value)  # fmt: skip
#: 不定等次 categories, in the order of the printed columns.
NO_GRADE_KINDS = (NO_GRADE_PROBATION, NO_GRADE_SANCTION, NO_GRADE_OTHER)
#: the people taking part who have no grade yet, where the grades are counted
UNGRADED = "尚未计算"


# ============================================================================ helpers


def resolve_round(year_or_round: int | RoundDTO) -> RoundDTO:
    """A RoundDTO as it is, or the annual round of a year."""
    if isinstance(year_or_round, RoundDTO):
        return year_or_round
    return find_round(int(year_or_round))


def _scope_label(unit_id: int | None) -> str:
    if unit_id is None:
        return ALL_UNITS
    for u in roster.list_units():
        if u.id == unit_id:
            return u.name
    raise DomainError(f"找不到编号为 {unit_id} 的单位，可能已被删除", field="unit_id")


def _post_with_rank(post: str, rank: str) -> str:
    if rank and rank not in post:
        return f"{post}（{rank}）" if post else rank
    return post


def _ranks(cadre_ids: Sequence[int]) -> dict[int, tuple[str, str, str]]:
    """cadre id → (sex, 出生年月, rank) from the roster."""
    return {c.id: (c.sex, ym(c.birth_date), c.rank) for c in roster.iter_cadres(cadre_ids)}


def no_grade_reason(explanation: str) -> str:
    """The parts of an explanation that say why no grade was given."""
    parts = [s.strip() for s in explanation.rstrip("。").split("；")]
    keep = [s for s in parts if "不定等次" in s or "不写评语" in s or "只写评语" in s]
    return "；".join(keep) or explanation


# ============================================================================ 汇总表 data


@dataclass(frozen=True)
class SummaryRow:
    seq: int
    name: str
    post: str  # 职务职级
    evaluation: Decimal | None  # 测评得分
    items: Decimal | None  # 项目得分
    adjust: Decimal  # 加分 − 扣分
    composite: Decimal | None
    rank: int | None
    proposed: str  # 拟定等次 (the rules)
    final: str  # 最终等次 (after the committee)
    note: str
    within_quota: bool  # ranked inside the 优秀 quota line


@dataclass(frozen=True)
class SummaryUnit:
    label: str  # '市委组织部' or '市委组织部（县处级正职）'
    people: int
    quota: int
    quota_text: str  # '20%×6=1.2，四舍五入为 1 名'
    raised_quota: bool
    counts: dict[str, int]
    rows: tuple[SummaryRow, ...]
    notes: tuple[str, ...]  # pool warnings (ties at the line...)

    @property
    def line_after(self) -> int:
        """Index of the last row inside the quota line (-1: the line is above every row)."""
        inside = [i for i, r in enumerate(self.rows) if r.within_quota]
        return inside[-1] if inside else -1


@dataclass(frozen=True)
class SummaryData:
    year: int
    round_name: str
    status: str
    scope: str
    units: tuple[SummaryUnit, ...]

    @property
    def people(self) -> int:
        return sum(u.people for u in self.units)

    @property
    def grade_counts(self) -> tuple[tuple[str, int], ...]:
        """Each grade and its people over every unit, in the grades' order, then 尚未计算
        (the people without a grade yet) when there are any: the chart of the 汇总表."""
        out = [(g.value, sum(u.counts.get(g.value, 0) for u in self.units)) for g in Grade]
        waiting = self.people - sum(n for _g, n in out)
        return (*out, (UNGRADED, waiting)) if waiting else tuple(out)


def _row_note(r: OverviewRow) -> str:
    notes: list[str] = []
    if r.final_grade and r.proposed_grade and r.final_grade != r.proposed_grade:
        notes.append(
            f"考核委员会调整：{r.override_reason}" if r.override_reason else "考核委员会调整"
        )
    if r.final_grade == Grade.UNDETERMINED.value:
        notes.append(f"不定等次（{r.no_grade_category or NO_GRADE_OTHER}）")
    if "tie_at_quota_line" in r.flags:
        notes.append("名额线并列，待考核委员会确定")
    notes.extend(w for w in r.warnings if w not in notes and "名额线完全并列" not in w)
    if r.missing:
        notes.append("未录入：" + "、".join(r.missing))
    if not r.final_grade:
        notes.append("尚未计算等次")
    return "；".join(notes)


def summary_data(year_or_round: int | RoundDTO, unit_id: int | None = None) -> SummaryData:
    """The 汇总表 of the round (``unit_id``: that unit and its sub-units), one block per quota
    pool, rows in rank order (ungraded last)."""
    rnd = resolve_round(year_or_round)
    scope = _scope_label(unit_id)
    ov = round_overview(rnd.id, unit_id)
    ranks = _ranks([r.cadre_id for p in ov.pools for r in p.rows])
    units = []
    for p in ov.pools:
        rows = []
        for i, r in enumerate(p.rows, 1):
            rank = ranks.get(r.cadre_id, ("", "", ""))[2]
            rows.append(
                SummaryRow(
                    seq=i,
                    name=r.name,
                    post=_post_with_rank(r.post_title, rank),
                    evaluation=r.evaluation,
                    items=r.items,
                    adjust=r.bonus - r.penalty,
                    composite=r.composite,
                    rank=r.rank,
                    proposed=r.proposed_grade,
                    final=r.final_grade,
                    note=_row_note(r),
                    within_quota=r.rank is not None and r.rank <= p.quota,
                )
            )
        label = f"{p.unit}（{p.layer}）" if p.layer else p.unit
        units.append(
            SummaryUnit(
                label,
                p.people,
                p.quota,
                p.quota_text,
                p.raised_quota,
                dict(p.counts),
                tuple(rows),
                tuple(p.warnings),
            )  # fmt: skip
        )
    if not units:
        raise DomainError(f"“{rnd.name}”在{scope}没有参加考核的人员，无法生成汇总表")
    return SummaryData(rnd.year, rnd.name, rnd.status, scope, tuple(units))


# ============================================================================ 审定表 data


@dataclass(frozen=True)
class ApprovalRow:
    layer: str
    members: int  # 实有人数
    grades: dict[str, int]  # DETERMINED → people
    no_grade: dict[str, int]  # NO_GRADE_KINDS → people
    absent: int  # 未参加考核人员

    @property
    def subtotal(self) -> int:
        """确定等次 + 不定等次."""
        return sum(self.grades.values()) + sum(self.no_grade.values())


@dataclass(frozen=True)
class ApprovalData:
    year: int
    round_name: str
    status: str
    scope: str
    rows: tuple[ApprovalRow, ...]  # one per rank layer
    total: ApprovalRow  # 合计
    no_grade: tuple[tuple[str, str, str, str], ...]  # (name, unit, category, reason)
    absent: tuple[tuple[str, str, str], ...]  # (name, unit, reason)
    ungraded: tuple[tuple[str, str], ...]  # (name, unit): taking part, no grade computed yet
    filler: str = ""  # 填表单位: the unit selected; "" for all units (filled in by hand)
    ceiling_warning: str = ""  # the 优秀 share above the rules' ceiling (round_overview's)


def _layer_order(layers: set[str]) -> list[str]:
    order = {name: i for i, name in enumerate(roster.picklist("leadership_level"))}
    return sorted(layers, key=lambda s: (s == DEFAULT_LAYER, order.get(s, len(order)), s))


def approval_data(year_or_round: int | RoundDTO, unit_id: int | None = None) -> ApprovalData:
    """Counts of the round's final grades by rank layer (the member's 职级层次)."""
    rnd = resolve_round(year_or_round)
    scope = _scope_label(unit_id)
    members = list_members(rnd.id, unit_id)
    if not members:
        raise DomainError(f"“{rnd.name}”在{scope}没有考核人员，无法生成审定表")
    ov = round_overview(rnd.id, unit_id)
    graded = {r.cadre_id: r for p in ov.pools for r in p.rows}
    layers = _layer_order({m.layer or DEFAULT_LAYER for m in members})
    acc = {
        layer: {"members": 0, "absent": 0, **dict.fromkeys(DETERMINED + NO_GRADE_KINDS, 0)}
        for layer in layers
    }
    no_grade: list[tuple[str, str, str, str]] = []
    absent: list[tuple[str, str, str]] = []
    ungraded: list[tuple[str, str]] = []
    for m in members:
        a = acc[m.layer or DEFAULT_LAYER]
        a["members"] += 1
        if m.not_participating:
            a["absent"] += 1
            absent.append((m.name, m.unit_name, m.not_participating))
            continue
        r = graded.get(m.cadre_id)
        if r is None or not r.final_grade:
            ungraded.append((m.name, m.unit_name))
        elif r.final_grade == Grade.UNDETERMINED.value:
            kind = r.no_grade_category or NO_GRADE_OTHER
            a[kind] += 1
            no_grade.append((m.name, m.unit_name, kind, no_grade_reason(r.explanation)))
        else:
            a[r.final_grade] += 1

    def make(layer: str, d: dict[str, int]) -> ApprovalRow:
        return ApprovalRow(
            layer,
            d["members"],
            {g: d[g] for g in DETERMINED},
            {k: d[k] for k in NO_GRADE_KINDS},
            d["absent"],
        )

    rows = tuple(make(layer, acc[layer]) for layer in layers)
    total = {key: sum(acc[layer][key] for layer in layers) for key in acc[layers[0]]}
    return ApprovalData(
        rnd.year, rnd.name, rnd.status, scope, rows, make("合计", total),
        tuple(no_grade), tuple(absent), tuple(ungraded),
        "" if unit_id is None else scope, ov.ceiling_warning,
    )  # fmt: skip


# ============================================================================ 名册 data


@dataclass(frozen=True)
class RegisterRow:
    seq: int
    unit: str
    name: str
    sex: str
    birth: str
    post: str
    layer: str
    evaluation: Decimal | None
    composite: Decimal | None
    final: str  # '未参加考核' for those not taking part
    note: str


@dataclass(frozen=True)
class RegisterData:
    year: int
    round_name: str
    status: str
    scope: str
    units: tuple[tuple[str, tuple[RegisterRow, ...]], ...]  # (unit, rows) in roster order

    @property
    def people(self) -> int:
        return sum(len(rows) for _, rows in self.units)


def register_data(year_or_round: int | RoundDTO, unit_id: int | None = None) -> RegisterData:
    """Every member of the round with the final grade, grouped by unit in roster order."""
    rnd = resolve_round(year_or_round)
    scope = _scope_label(unit_id)
    members = list_members(rnd.id, unit_id)
    if not members:
        raise DomainError(f"“{rnd.name}”在{scope}没有考核人员，无法生成名册")
    ov = round_overview(rnd.id, unit_id)
    graded = {r.cadre_id: r for p in ov.pools for r in p.rows}
    info = _ranks([m.cadre_id for m in members])
    by_unit: dict[str, list[RegisterRow]] = {}
    for m in members:
        sex, birth, rank = info.get(m.cadre_id, ("", "", ""))
        r = graded.get(m.cadre_id)
        if m.not_participating:
            final, note = "未参加考核", m.not_participating
        elif r is None or not r.final_grade:
            final, note = "", "尚未计算等次"
        else:
            final, note = r.final_grade, ""
            if final == Grade.UNDETERMINED.value:
                note = r.no_grade_category or NO_GRADE_OTHER
            elif r.proposed_grade and r.proposed_grade != final:
                note = f"考核委员会调整（原拟定{r.proposed_grade}）"
        rows = by_unit.setdefault(m.unit_name, [])
        rows.append(
            RegisterRow(
                len(rows) + 1,
                m.unit_name,
                m.name,
                sex,
                birth,
                _post_with_rank(m.post_title, rank),
                m.layer,
                r.evaluation if r else None,
                r.composite if r else None,
                final,
                note,
            )  # fmt: skip
        )
    units = tuple((u, tuple(rows)) for u, rows in by_unit.items())
    return RegisterData(rnd.year, rnd.name, rnd.status, scope, units)
