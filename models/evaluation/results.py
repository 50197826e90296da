"""The year end of the 单位考评: each unit's scores (共性, 个性, 特色、创新工作加分 with its
approval, 督查扣分), the grading (models.evaluation.engine, late self-checks counted), the
approval that locks the year, and the results used: the 优秀 share of each unit's staff in
the cadres' annual assessment, written into a round's quota rules."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from models.accounts import Permission, require
from models.core.audit import current_user, record_changes
from models.core.dates import now_seconds
from models.core.db import write_transaction
from models.core.errors import DomainError
from models.evaluation.checks import late_checks
from models.evaluation.engine import UnitInput, grade_units, team_score
from models.evaluation.inspections import deductions
from models.evaluation.plan import eval_year, refuse_if_approved, store_result, year_rules
from models.evaluation.tables import EvalYear, UnitResult, WorkTask
from models.evaluation.team import computed_scores, team_inputs
from models.roster.tables import Unit

__all__ = [
    "UnitResultDTO",
    "apply_to_round",
    "approve_year",
    "grade_year",
    "list_results",
    "set_scores",
    "staff_shares",
    "unit_grades",
]


REASON_MAX = 300  # 加分/扣分理由: printed in one box of the 登记表


@dataclass(frozen=True)
class UnitResultDTO:
    unit_id: int
    unit: str
    common: Decimal | None
    own: Decimal | None
    bonus: Decimal
    bonus_approved: bool
    deduction: Decimal
    total: Decimal | None
    rank: int | None
    grade: str
    explanation: str
    version: int
    team: Decimal | None = None  # 领导班子得分, computed when graded
    bonus_reason: str = ""
    deduction_reason: str = ""
    # shown, not entered: the 共性/个性 scores computed from the tasks' year-end scores
    # (category → score) and what the half-year inspections deducted
    computed: tuple[tuple[str, Decimal], ...] = ()
    inspected: Decimal = Decimal(0)
    late_points: Decimal = Decimal(0)  # 逾期自查: the late self-checks × the year's deduction

    @property
    def all_deductions(self) -> Decimal:
        """Every point taken off the total: 督查, 逾期自查 and the unit's own 扣分."""
        return self.deduction + self.inspected + self.late_points

    def shown(self, category: str) -> Decimal | None:
        """The 共性 or 个性 score as graded: entered, or else computed from the tasks."""
        entered = self.common if category == "共性" else self.own
        return entered if entered is not None else dict(self.computed).get(category)


def _d(v: object) -> Decimal | None:
    return None if v is None else Decimal(str(v))


def _dto(r: UnitResult) -> UnitResultDTO:
    return UnitResultDTO(
        r.unit_id, r.unit.name, _d(r.common_score), _d(r.own_score), Decimal(str(r.bonus)),
        bool(r.bonus_approved), Decimal(str(r.deduction)), _d(r.total), r.rank, r.grade,
        r.explanation, r.version, _d(r.team_score), r.bonus_reason, r.deduction_reason,
    )  # fmt: skip


def list_results(year: int) -> list[UnitResultDTO]:
    """Every unit with scores or tasks in the year, ranked (the ungraded last; a unit that
    leads tasks but has no scores yet is listed with empty ones)."""
    rows = UnitResult.select().join(Unit).where(UnitResult.year == year)
    out = [_dto(r) for r in rows]
    have = {r.unit_id for r in out}
    for uid, name in (
        WorkTask.select(WorkTask.lead_unit, Unit.name)
        .join(Unit)
        .where(WorkTask.year == year)
        .distinct()
        .tuples()
    ):
        if uid not in have:
            have.add(uid)
            out.append(UnitResultDTO(uid, name, None, None, Decimal(0), False, Decimal(0),
                                     None, None, "", "", 0))  # fmt: skip
    rules = year_rules(year)
    computed = computed_scores(year, rules)
    inspected = deductions(year)
    late = late_checks(year)
    out = [
        dataclasses.replace(
            r,
            computed=tuple((c, v) for c, (v, _t) in sorted(computed.get(r.unit_id, {}).items())),
            inspected=inspected.get(r.unit_id, (Decimal(0), ()))[0],
            late_points=rules.late_deduction * late.get(r.unit_id, 0),
        )
        for r in out
    ]
    return sorted(out, key=lambda r: (r.rank is None, r.rank or 0, r.unit))


def set_scores(
    year: int,
    unit_id: int,
    *,
    common: Decimal | None,
    own: Decimal | None,
    bonus: Decimal = Decimal(0),
    bonus_reason: str = "",
    bonus_approved: bool = False,
    deduction: Decimal = Decimal(0),
    deduction_reason: str = "",
    expected_version: int | None = None,
    user: str | None = None,
) -> UnitResultDTO:
    """A unit's year-end scores. A bonus above the year's cap is refused (say what the cap
    is); a bonus or a deduction needs its reason; approving a bonus needs the 审定 right."""
    require(Permission.SCORES)
    if bonus_approved:
        require(Permission.APPROVE)
    rules = year_rules(year)
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        raise DomainError("该单位已被删除", field="unit")
    where = f"“{unit.name}”{year}年度考评"
    for name, v in (("共性指标得分", common), ("个性指标得分", own), ("加分", bonus),
                    ("督查扣分", deduction)):  # fmt: skip
        if v is not None and not v.is_finite():
            raise DomainError(f"{where}：{name}应为数字，现为 {v}", field="score")
    for text, what in ((bonus_reason, "加分理由"), (deduction_reason, "扣分理由")):
        if len(text.strip()) > REASON_MAX:
            raise DomainError(f"{where}：{what}最多 {REASON_MAX} 字，现有 {len(text.strip())} 字",
                              field="reason")  # fmt: skip
    for name, v in (("共性指标得分", common), ("个性指标得分", own)):
        if v is not None and not Decimal(0) <= v <= Decimal(100):
            raise DomainError(f"{where}：{name}应在 0–100 之间，现为 {v}", field="score")
    if bonus < 0 or bonus > rules.bonus_cap:
        raise DomainError(
            f"{where}：特色、创新工作加分最多 {rules.bonus_cap} 分，现为 {bonus}", field="bonus"
        )
    if bonus and not bonus_reason.strip():
        raise DomainError(f"{where}：请写明加分的理由（特色或创新工作）", field="bonus_reason")
    if deduction < 0:
        raise DomainError(f"{where}：督查扣分不能为负数，现为 {deduction}", field="deduction")
    if deduction and not deduction_reason.strip():
        raise DomainError(f"{where}：请写明扣分的理由（督查发现的问题）", field="deduction_reason")
    who = user or current_user()
    values = {
        "common_score": common, "own_score": own, "bonus": bonus,
        "bonus_reason": bonus_reason.strip(), "bonus_approved": bonus_approved and bonus > 0,
        "deduction": deduction, "deduction_reason": deduction_reason.strip(),
    }  # fmt: skip
    with write_transaction():
        r = store_result(year, unit_id, values, where=where, expected_version=expected_version,
                         user=who)  # fmt: skip
        return _dto(r)


def _inputs(year: int, rows: dict[int, UnitResult]) -> tuple[list[UnitInput], dict[int, str]]:
    """The engine's input for each unit (its 共性/个性 as entered or computed from its tasks'
    year-end scores, its 班子得分, late self-checks and deductions) and what each unit's
    explanation starts with. DomainError naming every unit that lacks something."""
    rules = year_rules(year)
    computed = computed_scores(year, rules)
    late = late_checks(year)
    inspected = deductions(year)  # the half-year inspections' points
    inputs: list[UnitInput] = []
    notes: dict[int, str] = {}
    missing: list[str] = []
    for uid, r in rows.items():
        name = r.unit.name
        lack: list[str] = []
        scores: dict[str, Decimal] = {}
        how: list[str] = []
        for category, stored in (("共性", r.common_score), ("个性", r.own_score)):
            if stored is not None:
                scores[category] = Decimal(str(stored))
            elif category in computed.get(uid, {}):
                scores[category], text = computed[uid][category]
                how.append(f"{category}得分：{text}")
            else:
                lack.append(f"{category}得分")
        team = None
        if rules.team_weight:
            try:
                team, text = team_score(rules, *team_inputs(r))
                how.append(f"领导班子得分：{text}")
            except DomainError:
                lack.append("领导班子评分或民主测评")
        if lack:
            missing.append(f"{name}（{'、'.join(lack)}）")
            continue
        notes[uid] = "；".join(how)
        inputs.append(
            UnitInput(
                name, scores["共性"], scores["个性"],
                Decimal(str(r.bonus)) if r.bonus_approved else Decimal(0),
                late.get(uid, 0),
                Decimal(str(r.deduction)) + inspected.get(uid, (Decimal(0), ()))[0],
                team, uid,
            )
        )  # fmt: skip
    if missing:
        raise DomainError(
            f"{year}年度单位考评还有 {len(missing)} 个单位的年终评分不全："
            + "；".join(missing[:10])
            + ("等" if len(missing) > 10 else ""),
            field="scores",
        )
    return inputs, notes


def _graded(year: int, rows: dict[int, UnitResult]) -> dict[int, dict[str, object]]:
    """unit id → what grading stores for it now (total, rank, grade, explanation, 班子得分)."""
    inputs, notes = _inputs(year, rows)
    team = {i.unit_id: i.team for i in inputs}
    out: dict[int, dict[str, object]] = {}
    for o in grade_units(year_rules(year), inputs):
        text = f"{o.explanation}。其中{notes[o.unit_id]}" if notes[o.unit_id] else o.explanation
        out[o.unit_id] = {"total": o.total, "rank": o.rank, "grade": o.grade,
                          "explanation": text, "team_score": team[o.unit_id]}  # fmt: skip
    return out


def grade_year(year: int, *, user: str | None = None) -> list[UnitResultDTO]:
    """Compute every unit's total, rank and grade and store them (one transaction): the
    督查扣分 is the unit's own plus what the year's inspections deducted. Refused, naming
    them and what they lack, when a unit that leads tasks of the year has no year-end
    scores (共性/个性 entered or computable from its tasks; the 领导班子's items and votes
    when the 班子 counts)."""
    require(Permission.GRADING)
    who = user or current_user()
    with write_transaction():
        refuse_if_approved(year)
        leads = {
            t.lead_unit_id: t.lead_unit.name
            for t in WorkTask.select().join(Unit).where(WorkTask.year == year)
        }
        rows = {r.unit_id: r for r in UnitResult.select().where(UnitResult.year == year)}
        for uid in leads:  # a unit with tasks but no result row yet: graded from its tasks
            if uid not in rows:
                rows[uid] = UnitResult.create(year=year, unit=uid)
                record_changes("unit_result", rows[uid].id, "新增", {}, {"year": year}, user=who)
        if not rows:
            raise DomainError(f"{year}年度单位考评还没有任何单位的得分")
        for uid, new in _graded(year, rows).items():
            r = rows[uid]
            old = {k: getattr(r, k) for k in new}
            UnitResult.update(**new, version=UnitResult.version + 1).where(
                UnitResult.id == r.id
            ).execute()
            record_changes("unit_result", r.id, "修改", old, new, user=who, reason="计算单位等次")
    return list_results(year)


def approve_year(year: int, *, user: str | None = None) -> None:
    """审定: the year's results are locked. Refused while a unit has no grade, or when
    something changed since the grades were computed (a score, a vote, a late self-check, an
    inspection, the rules): the stored grades would not be what the rules give now."""
    require(Permission.APPROVE)
    who = user or current_user()
    with write_transaction():
        refuse_if_approved(year)
        results = list_results(year)
        if not results or any(not r.grade for r in results):
            raise DomainError(f"{year}年度单位考评还有单位没有计算等次，请先计算等次再审定")
        _refuse_if_stale(year)
        row = eval_year(year)
        assert row is not None
        EvalYear.update(
            status="审定", approved_at=now_seconds(), approved_by=who, version=EvalYear.version + 1
        ).where(EvalYear.id == row.id).execute()
        record_changes("eval_year", row.id, "修改", {"status": row.status}, {"status": "审定"},
                       user=who, reason="审定单位考评结果")  # fmt: skip


def _refuse_if_stale(year: int) -> None:
    rows = {r.unit_id: r for r in UnitResult.select().join(Unit).where(UnitResult.year == year)}
    try:
        now = _graded(year, rows)
    except DomainError as e:
        raise DomainError(
            f"计算等次后又有修改，现在{e.message}；请补全后重新计算等次再审定"
        ) from None

    def same(r: UnitResult, new: dict[str, object]) -> bool:
        def d(v: object) -> object:
            return None if v is None else Decimal(str(v))

        return (d(r.total), r.rank, r.grade, r.explanation, d(r.team_score)) == (
            d(new["total"]), new["rank"], new["grade"], new["explanation"], d(new["team_score"])
        )  # fmt: skip

    changed = [r.unit.name for uid, r in rows.items() if uid not in now or not same(r, now[uid])]
    if changed:
        raise DomainError(
            f"{year}年度单位考评在计算等次后又有修改（涉及 {'、'.join(changed[:5])}"
            f"{'等' if len(changed) > 5 else ''} {len(changed)} 个单位的得分、说明或等次），"
            "请重新计算等次再审定",
            field="scores",
        )


def staff_shares(year: int) -> dict[str, Decimal]:
    """unit name → the 优秀 percent its staff get in the cadres' assessment, from the
    approved grades of ``year`` (empty while the year is not approved)."""
    row = eval_year(year)
    if row is None or row.status != "审定":
        return {}
    rules = year_rules(year)
    out: dict[str, Decimal] = {}
    for r in list_results(year):
        g = rules.grade(r.grade)
        if g is not None:
            out[r.unit] = g.staff_excellent
    return out


def apply_to_round(round_id: int, year: int, *, user: str | None = None) -> dict[str, Decimal]:
    """Set the 优秀 percent of each unit's pool in an annual round from the approved
    ``year`` of the 单位考评 (quota.unit_percents), as a change of the round's rules with its
    reason in the change log. Refused while that year is not approved."""
    # lazy: the cadres' assessment is needed only when the results are used
    from models.assessment import get_round, save_rules
    from models.core.errors import ValidationError  # lazy: as above

    shares = staff_shares(year)
    if not shares:
        raise DomainError(f"{year}年度单位考评尚未审定，审定后才能用于确定各单位干部的优秀比例")
    rnd = get_round(round_id)
    quota = dataclasses.replace(rnd.rules.quota, unit_percents=tuple(sorted(shares.items())))
    issues = save_rules(
        round_id,
        dataclasses.replace(rnd.rules, quota=quota),
        reason=f"按{year}年度单位考评等次确定各单位干部的优秀比例",
        user=user or current_user(),
        expected_version=rnd.version,
    )
    if issues:
        raise ValidationError(issues, record=rnd.name)
    return shares


def unit_grades(unit_id: int) -> list[tuple[int, str]]:
    """(year, grade) of the unit in every approved year of the 单位考评, latest first: the
    领导班子's grade shown on its members' records and dossiers."""
    q = (
        UnitResult.select(UnitResult.year, UnitResult.grade)
        .join(EvalYear, on=(EvalYear.year == UnitResult.year))
        .where(
            (UnitResult.unit == unit_id) & (EvalYear.status == "审定") & (UnitResult.grade != "")
        )
        .order_by(UnitResult.year.desc())
        .tuples()
    )
    return [(year, grade) for year, grade in q]
