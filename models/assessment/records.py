"""五项考核 person records: 加分/扣分, 一票否决, 平时考核 quarterly grades and sanctions
(处分/组织处理), and which sanctions are in force in an assessment year.

Every change is logged with its old and new value (models.core.audit).

Optimistic locking: each edit carries what the screen showed, and is refused (ConflictError
naming who, when and what is stored now; nothing changes) when that changed meanwhile: a
deletion the record's ``version``; 一票否决 and 平时考核 the value shown (an empty cell has no
row to carry a version); adding a 加减分 or a 处分 the ids of the person's records shown, so
two clerks do not both enter the same one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from models.accounts import Permission, require
from models.assessment.engine import SanctionInForce
from models.assessment.engine.sanctions import in_force
from models.assessment.rounds import (
    CADRE_ENTITY,
    PERSON_ENTITY,
    acting_user,
    annual_round_locked,
    refuse_approved_annual_pool,
    rules_of,
    who,
    writable_member,
    writable_round,
)
from models.assessment.rules import (
    QUARTERLY_GRADES,
    AssessmentRules,
    default_rules,
    fmt_number,
    to_decimal,
)
from models.assessment.scores import UNREAD
from models.assessment.tables import (
    KIND_QUARTERLY,
    STATUS_APPROVED,
    AssessmentRound,
    QuarterGrade,
    RoundMember,
    Sanction,
    ScoreAdjustment,
    VetoFailure,
)
from models.core.audit import record_changes
from models.core.concurrency import conflict
from models.core.db import is_server, write_transaction
from models.core.errors import ConflictError, DomainError, NotFoundError
from models.roster.tables import Cadre

__all__ = [
    "AdjustmentDTO",
    "SanctionDTO",
    "add_adjustment",
    "add_sanction",
    "delete_adjustment",
    "delete_sanction",
    "in_force",
    "list_adjustments",
    "list_sanctions",
    "quarter_grades",
    "quarter_round_locked",
    "sanctions_in_force",
    "set_quarter_grade",
    "set_veto_failure",
]


@dataclass(frozen=True)
class AdjustmentDTO:
    id: int
    cadre_id: int
    points: Decimal
    reason: str
    warnings: tuple[str, ...] = ()
    version: int = 1  # as read; a deletion passes it back


@dataclass(frozen=True)
class SanctionDTO:
    id: int
    cadre_id: int
    code: str
    name: str
    start_date: dt.date
    end_date: dt.date | None
    note: str
    version: int = 1  # as read; a deletion passes it back


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _lock(model: type[Cadre] | type[RoundMember], row_id: int) -> None:
    """On a server, hold ``row_id``'s row until the transaction ends, so that two clerks
    adding to the same person's list do it one after the other (the second then sees the
    first one's record). SQLite writers hold the database lock already."""
    if is_server():
        model.select(model.id).where(model.id == row_id).for_update().execute()


def _refuse_if_list_changed(
    shown: Sequence[int] | None,
    stored: Sequence[int],
    record: str,
    entity: str,
    entity_id: int,
    field: str,
    now: str,
) -> None:
    """ConflictError when the records the screen showed (``shown`` ids; None: not checked)
    are no longer the stored ones."""
    if shown is not None and sorted(shown) != sorted(stored):
        raise conflict(record, entity, entity_id, field=field, now=now or "无")


def _gone(what: str) -> ConflictError:
    """A record the screen showed was deleted meanwhile (by whom is in the person's log)."""
    return ConflictError(f"这条{what}", deleted=True)


# --------------------------------------------------------------------------- 加分 / 扣分


def _cap_warnings(rules: AssessmentRules, points: Sequence[Decimal]) -> tuple[str, ...]:
    c = rules.composite
    bonus = sum((p for p in points if p > 0), Decimal(0))
    penalty = -sum((p for p in points if p < 0), Decimal(0))
    out = []
    if c.bonus_cap is not None and bonus > c.bonus_cap:
        out.append(
            f"加分合计 {fmt_number(bonus)} 超过上限 {fmt_number(c.bonus_cap)}，"
            f"计入综合得分时按 {fmt_number(c.bonus_cap)} 计"
        )
    if c.penalty_cap is not None and penalty > c.penalty_cap:
        out.append(
            f"扣分合计 {fmt_number(penalty)} 超过上限 {fmt_number(c.penalty_cap)}，"
            f"计入综合得分时按 {fmt_number(c.penalty_cap)} 计"
        )
    return tuple(out)


def list_adjustments(round_id: int, cadre_id: int) -> list[AdjustmentDTO]:
    return [
        AdjustmentDTO(a.id, a.cadre_id, Decimal(a.points), a.reason, version=a.version)
        for a in ScoreAdjustment.select()
        .where((ScoreAdjustment.round == round_id) & (ScoreAdjustment.cadre == cadre_id))
        .order_by(ScoreAdjustment.id)
    ]


def add_adjustment(
    round_id: int,
    cadre_id: int,
    points: object,
    reason: str,
    *,
    user: str | None = None,
    expected_ids: Sequence[int] | None = None,
) -> AdjustmentDTO:
    """A 加分 (points > 0) or 扣分 (points < 0) with its reason. The returned warnings say when
    the person's total passes the rules' cap (the composite then counts the cap).
    ``expected_ids``: the ids of the person's 加减分 the screen showed; when someone else
    added or deleted one meanwhile, ConflictError and nothing is added."""
    require(Permission.ASSESSMENT_RECORDS)
    with write_transaction():
        row = writable_round(round_id)
        rules = rules_of(row)
        m = writable_member(round_id, cadre_id)
        person = who(m)
        try:
            p = to_decimal(_text(points) if isinstance(points, str) else points, "分值")
        except DomainError:
            raise DomainError(
                f"{person}：加减分“{_text(points)}”不是数字", field="points"
            ) from None
        if p == 0:
            raise DomainError(f"{person}：加减分分值不能为 0", field="points")
        if p.as_tuple().exponent < -2:  # type: ignore[operator]
            raise DomainError(f"{person}：加减分 {fmt_number(p)} 最多保留两位小数", field="points")
        if not reason.strip():
            raise DomainError(f"{person}：加减分 {fmt_number(p)} 必须填写理由", field="reason")
        cap = rules.composite.bonus_cap if p > 0 else rules.composite.penalty_cap
        if cap is not None and cap == 0:
            kind = "加分" if p > 0 else "扣分"
            raise DomainError(f"本轮考核方案不允许{kind}（上限为 0）", field="points")
        if expected_ids is not None:
            _lock(RoundMember, m.id)
            stored = list_adjustments(round_id, cadre_id)
            _refuse_if_list_changed(
                expected_ids,
                [a.id for a in stored],
                f"{person}的加减分",
                PERSON_ENTITY,
                m.id,
                "加减分",
                "、".join(f"{fmt_number(a.points)}（{a.reason}）" for a in stored),
            )
        aid = ScoreAdjustment.insert(
            round=round_id, cadre=cadre_id, points=fmt_number(p), reason=reason.strip()
        ).execute()
        record_changes(
            PERSON_ENTITY,
            m.id,
            "新增",
            {},
            {"加减分": f"{fmt_number(p)}（{reason.strip()}）"},
            user=acting_user(user),
            reason=reason.strip(),
        )
        all_points = [a.points for a in list_adjustments(round_id, cadre_id)]
        return AdjustmentDTO(aid, cadre_id, p, reason.strip(), _cap_warnings(rules, all_points))


def delete_adjustment(
    adjustment_id: int,
    *,
    reason: str,
    user: str | None = None,
    expected_version: int | None = None,
) -> None:
    """Delete a 加减分. ``expected_version``: the AdjustmentDTO.version the screen showed;
    a record deleted or changed meanwhile raises ConflictError."""
    require(Permission.ASSESSMENT_RECORDS)
    if not reason.strip():
        raise DomainError("删除加减分必须填写理由", field="reason")
    with write_transaction():
        a = ScoreAdjustment.get_or_none(ScoreAdjustment.id == adjustment_id)
        if a is None:
            if expected_version is not None:
                raise _gone("加减分记录")
            raise NotFoundError(f"找不到编号为 {adjustment_id} 的加减分记录")
        writable_round(a.round_id)
        m = writable_member(a.round_id, a.cadre_id)
        expected = a.version if expected_version is None else expected_version
        same = (ScoreAdjustment.id == a.id) & (ScoreAdjustment.version == expected)
        if ScoreAdjustment.delete().where(same).execute() != 1:
            raise conflict(f"{who(m)}的加减分", PERSON_ENTITY, m.id, field="加减分")
        record_changes(
            PERSON_ENTITY,
            m.id,
            "删除",
            {"加减分": f"{a.points}（{a.reason}）"},
            {},
            user=acting_user(user),
            reason=reason,
        )


# --------------------------------------------------------------------------- 一票否决


def set_veto_failure(
    round_id: int,
    cadre_id: int,
    item_code: str,
    failed: bool,
    *,
    reason: str,
    user: str | None = None,
    expected: bool | None = None,
) -> None:
    """Record (or clear) the failure of a 一票否决 item; a reason is required. ``expected``:
    whether the screen showed the item failed (None: not checked); when that changed
    meanwhile, ConflictError and nothing changes."""
    require(Permission.ASSESSMENT_RECORDS)
    if not reason.strip():
        raise DomainError("一票否决的认定或撤销必须填写理由", field="reason")
    with write_transaction():
        row = writable_round(round_id)
        rules = rules_of(row)
        m = writable_member(round_id, cadre_id)
        item = rules.items_by_code.get(item_code)
        if item is None or not item.is_veto:
            raise DomainError(
                f"{who(m)}：“{item.name if item else item_code}”不是本轮考核方案中的一票否决项目",
                field="item_code",
            )
        cur = VetoFailure.get_or_none(
            (VetoFailure.round == round_id)
            & (VetoFailure.cadre == cadre_id)
            & (VetoFailure.item_code == item_code)
        )
        key = f"一票否决/{item.name}"
        record = f"{who(m)}的一票否决“{item.name}”"
        if expected is not None and expected != (cur is not None):
            now = "否决" if cur is not None else "未否决"
            raise conflict(record, PERSON_ENTITY, m.id, field=key, now=now)
        if failed == (cur is not None):
            return
        if failed:  # a row inserted meanwhile meets the unique index: ConflictError
            VetoFailure.insert(
                round=round_id, cadre=cadre_id, item_code=item_code, reason=reason.strip()
            ).execute()
        elif (
            VetoFailure.delete()
            .where((VetoFailure.id == cur.id) & (VetoFailure.version == cur.version))
            .execute()
            != 1
        ):
            raise conflict(record, PERSON_ENTITY, m.id, field=key, now="未否决")
        record_changes(
            PERSON_ENTITY,
            m.id,
            "修改",
            {key: "否决" if cur else ""},
            {key: "否决" if failed else ""},
            user=acting_user(user),
            reason=reason.strip(),
        )


# --------------------------------------------------------------------------- 平时考核


def quarter_round_locked(cadre_id: int, year: int, quarter: int) -> str | None:
    """The name of the 审定 平时考核 round of that quarter the cadre belongs to, or None: its
    grades are then the approved ones and cannot change until it is unlocked."""
    row = (
        AssessmentRound.select(AssessmentRound.name)
        .join(RoundMember)
        .where(
            (AssessmentRound.year == year)
            & (AssessmentRound.kind == KIND_QUARTERLY)
            & (AssessmentRound.quarter == quarter)
            & (AssessmentRound.status == STATUS_APPROVED)
            & (RoundMember.cadre == cadre_id)
        )
        .first()
    )
    return None if row is None else row.name


def set_quarter_grade(
    cadre_id: int,
    year: int,
    quarter: int,
    grade: str | None,
    *,
    reason: str = "",
    user: str | None = None,
    expected: object = UNREAD,
) -> None:
    """The 平时考核 grade (好/较好/一般/较差) of one quarter; None clears it. Refused once the
    year's annual round, or the cadre's 平时考核 round of that quarter, is 审定.
    ``expected``: the grade the screen showed (None or "" for an empty cell; UNREAD: not
    checked); when the stored grade is no longer that, ConflictError and nothing changes."""
    require(Permission.ASSESSMENT_RECORDS)
    if quarter not in (1, 2, 3, 4):
        raise DomainError(f"季度应为 1–4，现为 {quarter}", field="quarter")
    grade = (grade or "").strip() or None
    with write_transaction():
        c = Cadre.get_or_none(Cadre.id == cadre_id)
        if c is None:
            raise NotFoundError(f"找不到编号为 {cadre_id} 的干部")
        if grade is not None and grade not in QUARTERLY_GRADES:
            raise DomainError(
                f"{c.name}：{year}年第{quarter}季度平时考核等次“{grade}”应为好、较好、一般或较差",
                field="grade",
            )
        if annual_round_locked(year):
            raise DomainError(f"{year}年度考核已审定锁定，不能修改平时考核等次", field="grade")
        refuse_approved_annual_pool(cadre_id, year)
        locked = quarter_round_locked(cadre_id, year, quarter)
        if locked:
            raise DomainError(
                f"{c.name}：“{locked}”已审定锁定，不能修改第{quarter}季度平时考核等次"
                "（如需更正，请先解除审定锁定）",
                field="grade",
            )
        cur = QuarterGrade.get_or_none(
            (QuarterGrade.cadre == cadre_id)
            & (QuarterGrade.year == year)
            & (QuarterGrade.quarter == quarter)
        )
        old = cur.grade if cur else None
        key = f"{year}年第{quarter}季度平时考核"
        record = f"{c.name}的{key}等次"
        if expected is not UNREAD and (_text(expected) or None) != old:
            raise conflict(record, CADRE_ENTITY, cadre_id, field=key, now=old or "空")
        if old == grade:
            return
        if cur is None:  # a row inserted meanwhile meets the unique index: ConflictError
            QuarterGrade.insert(cadre=cadre_id, year=year, quarter=quarter, grade=grade).execute()
        else:  # conditional on the grade read: a writer in between makes it touch no row
            same = (QuarterGrade.id == cur.id) & (QuarterGrade.grade == old)
            if grade is None:
                done = QuarterGrade.delete().where(same).execute()
            else:
                q = QuarterGrade.update(grade=grade, version=QuarterGrade.version + 1)
                done = q.where(same).execute()
            if done != 1:
                now = QuarterGrade.select(QuarterGrade.grade).where(QuarterGrade.id == cur.id)
                raise conflict(record, CADRE_ENTITY, cadre_id, field=key, now=now.scalar() or "空")
        record_changes(
            CADRE_ENTITY,
            cadre_id,
            "修改",
            {key: old},
            {key: grade},
            user=acting_user(user),
            reason=reason,
        )


def quarter_grades(
    cadre_id: int, year: int
) -> tuple[str | None, str | None, str | None, str | None]:
    found = dict(
        QuarterGrade.select(QuarterGrade.quarter, QuarterGrade.grade)
        .where((QuarterGrade.cadre == cadre_id) & (QuarterGrade.year == year))
        .tuples()
    )
    return (found.get(1), found.get(2), found.get(3), found.get(4))


# --------------------------------------------------------------------------- sanctions


def _sanction_names() -> dict[str, str]:
    """Every sanction code known: the default rules and every round's rules."""
    names = {s.code: s.name for s in default_rules().sanctions}
    for (text,) in AssessmentRound.select(AssessmentRound.rules_json).tuples():
        for s in json.loads(text).get("sanctions", []):
            names.setdefault(s.get("code", ""), s.get("name", ""))
    return names


def _sanction_dto(s: Sanction, names: Mapping[str, str]) -> SanctionDTO:
    return SanctionDTO(
        s.id,
        s.cadre_id,
        s.code,
        names.get(s.code, s.code),
        s.start_date,
        s.end_date,
        s.note,
        s.version,
    )


def _refuse_sanction_change_in_locked_years(
    cadre_id: int, start: dt.date, end: dt.date | None
) -> None:
    """A sanction feeds the grades of the years it affects (up to three under the default
    rules); once such a year's annual round is 审定 the record must not change under it."""
    last = end.year if end is not None else start.year + 2
    for year in range(start.year, last + 1):
        if annual_round_locked(year):
            raise DomainError(
                f"{year}年度考核已审定锁定，不能增删影响该年度等次的处分；如确需更改，请先解锁"
            )
        refuse_approved_annual_pool(cadre_id, year)


def add_sanction(
    cadre_id: int,
    code: str,
    start_date: dt.date,
    *,
    end_date: dt.date | None = None,
    note: str = "",
    user: str | None = None,
    expected_ids: Sequence[int] | None = None,
) -> SanctionDTO:
    """Record a 处分/组织处理 of a cadre. ``code`` or the Chinese name (诫勉) is accepted.
    ``expected_ids``: the ids of the cadre's sanctions the screen showed; when someone else
    added or deleted one meanwhile, ConflictError and nothing is added."""
    require(Permission.ASSESSMENT_RECORDS)
    with write_transaction():
        c = Cadre.get_or_none(Cadre.id == cadre_id)
        if c is None:
            raise NotFoundError(f"找不到编号为 {cadre_id} 的干部")
        names = _sanction_names()
        by_name = {v: k for k, v in names.items()}
        code = by_name.get(code.strip(), code.strip())
        if code not in names:
            raise DomainError(
                f"{c.name}：处分“{code}”不在处分影响表中（可选：{'、'.join(names.values())}）",
                field="code",
            )
        _refuse_sanction_change_in_locked_years(cadre_id, start_date, end_date)
        if end_date is not None and end_date < start_date:
            raise DomainError(
                f"{c.name}：处分影响期结束日期 {end_date} 早于开始日期 {start_date}",
                field="end_date",
            )
        if expected_ids is not None:
            _lock(Cadre, cadre_id)
            stored = list_sanctions(cadre_id)
            _refuse_if_list_changed(
                expected_ids,
                [s.id for s in stored],
                f"{c.name}的处分记录",
                CADRE_ENTITY,
                cadre_id,
                "处分",
                "、".join(f"{s.name}（{s.start_date}起）" for s in stored),
            )
        sid = Sanction.insert(
            cadre=cadre_id, code=code, start_date=start_date, end_date=end_date, note=note.strip()
        ).execute()
        record_changes(
            CADRE_ENTITY,
            cadre_id,
            "新增",
            {},
            {"处分": f"{names[code]}（{start_date}起）"},
            user=acting_user(user),
            reason=note.strip(),
        )
        return _sanction_dto(Sanction.get_by_id(sid), names)


def delete_sanction(
    sanction_id: int,
    *,
    reason: str,
    user: str | None = None,
    expected_version: int | None = None,
) -> None:
    """Delete a sanction record. ``expected_version``: the SanctionDTO.version the screen
    showed; a record deleted or changed meanwhile raises ConflictError."""
    require(Permission.ASSESSMENT_RECORDS)
    if not reason.strip():
        raise DomainError("删除处分记录必须填写理由", field="reason")
    with write_transaction():
        s = Sanction.get_or_none(Sanction.id == sanction_id)
        if s is None:
            if expected_version is not None:
                raise _gone("处分记录")
            raise NotFoundError(f"找不到编号为 {sanction_id} 的处分记录")
        _refuse_sanction_change_in_locked_years(s.cadre_id, s.start_date, s.end_date)
        expected = s.version if expected_version is None else expected_version
        same = (Sanction.id == s.id) & (Sanction.version == expected)
        if Sanction.delete().where(same).execute() != 1:
            name = Cadre.select(Cadre.name).where(Cadre.id == s.cadre_id).scalar()
            raise conflict(f"{name}的处分记录", CADRE_ENTITY, s.cadre_id, field="处分")
        names = _sanction_names()
        record_changes(
            CADRE_ENTITY,
            s.cadre_id,
            "删除",
            {"处分": f"{names.get(s.code, s.code)}（{s.start_date}起）"},
            {},
            user=acting_user(user),
            reason=reason,
        )


def list_sanctions(cadre_id: int) -> list[SanctionDTO]:
    names = _sanction_names()
    return [
        _sanction_dto(s, names)
        for s in Sanction.select().where(Sanction.cadre == cadre_id).order_by(Sanction.start_date)
    ]


def sanctions_in_force(
    cadre_id: int, year: int, rules: AssessmentRules
) -> tuple[SanctionInForce, ...]:
    out = []
    for s in Sanction.select().where(Sanction.cadre == cadre_id):
        f = in_force(s.start_date, s.end_date, s.code, year, rules)
        if f is not None:
            out.append(replace(f, note=s.note))
    return tuple(out)
