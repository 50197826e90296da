"""A complete demo 年度考核 round on a demo database, so that every rule can be seen.

:func:`add_demo_assessment` adds, for one year: a round with the default scheme plus the
key topic 城市转型 on 绩, every 在职 cadre as a member, item scores, 民主测评 vote counts,
four quarters of 平时考核, a few 特色工作 加分, sanctions (诫勉 → 不得评为优秀, 政务记过 →
不定等次), a probationer, an open investigation, a failed quarter (较差), and, in the
largest unit, two people with identical results exactly at the 优秀 quota line, so that the
tie is flagged for the committee. Then the round is graded. Deterministic for a seed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from decimal import Decimal

from models.assessment.engine import excellent_quota
from models.assessment.grading import grade_and_store
from models.assessment.members import add_unit_members, set_member_flags
from models.assessment.records import add_adjustment, add_sanction, set_quarter_grade
from models.assessment.rounds import ROUND_ENTITY, create_round, get_round
from models.assessment.rules import default_rules
from models.assessment.tables import (
    ItemScore,
    QuarterGrade,
    RoundMember,
    VoteCount,
)
from models.core.audit import record_changes
from models.core.db import bulk_insert
from models.core.errors import DomainError
from models.evaluation import apply_to_round, staff_shares
from models.roster.tables import Cadre, Unit

__all__ = ["DemoAssessment", "add_demo_assessment"]

USER = "演示数据"
RATERS = {"superior": 5, "peer": 12, "subordinate": 10, "served": 8}


@dataclasses.dataclass(frozen=True)
class DemoAssessment:
    round_id: int
    people: int
    tie_unit: str
    tie_names: tuple[str, str]
    admonished: str  # 受诫勉: may not be 优秀
    demerit: str  # 政务记过: 不定等次
    probationer: str
    investigated: str
    poor_quarter: str  # a 较差 quarter: may not be 优秀


def _votes(rng: random.Random, quality: float) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for g, n in RATERS.items():
        exc = min(n, max(0, round(n * quality + rng.uniform(-1, 1))))
        rest = n - exc
        basic = 1 if rest and rng.random() < 0.15 else 0
        out[g] = {"优秀": exc, "称职": rest - basic, "基本称职": basic}
    return out


def _scores(rng: random.Random, quality: float) -> dict[str, Decimal]:
    out = {}
    for code in ("de", "neng", "qin", "ji", "lian"):
        v = 68 + 30 * quality + rng.uniform(-3, 3)
        out[code] = Decimal(str(round(min(100.0, max(50.0, v)), 1)))
    return out


def _bulk(model: type, rows: list[dict[str, object]]) -> None:
    bulk_insert(model, rows)


def add_demo_assessment(
    year: int, *, seed: int = 7, grade: bool = True, unit_year: int | None = None
) -> DemoAssessment:
    """Add the demo annual round of ``year`` to the open database (see module docstring).
    ``unit_year``: a year of the 单位考评 whose approved unit grades set the 优秀 share of
    each graded unit's pool (apply_to_round); the round's other units keep the scheme's."""
    rng = random.Random(seed)
    root = Unit.select().where(Unit.parent.is_null()).order_by(Unit.sort_order, Unit.id).first()
    if root is None:
        raise DomainError("数据库中没有单位，请先生成演示名册")
    base = default_rules()
    items = list(base.items)
    items[3] = dataclasses.replace(items[3], key_topic="城市转型", key_topic_weight=Decimal(10))
    rules = dataclasses.replace(base, name=f"{year}年度五项考核方案", items=tuple(items))
    rnd = create_round(year, rules=rules, user=USER)
    rid = rnd.id
    if unit_year is not None and staff_shares(unit_year):
        apply_to_round(rid, unit_year, user=USER)
        rules = get_round(rid).rules
    add_unit_members(rid, root.id, user=USER)
    members = list(
        RoundMember.select(RoundMember.cadre, RoundMember.unit_name, RoundMember.id)
        .where(RoundMember.round == rid)
        .order_by(RoundMember.sort_order)
        .tuples()
    )
    if len(members) < 12:
        raise DomainError(f"演示考核至少需要 12 名在职干部，现有 {len(members)} 名")
    by_unit: dict[str, list[int]] = {}
    for cid, unit, _mid in members:
        by_unit.setdefault(unit, []).append(cid)
    tie_unit = max(by_unit, key=lambda u: (len(by_unit[u]), u))
    tie_people = by_unit[tie_unit]
    quota = excellent_quota(rules, len(tie_people), unit=tie_unit).quota

    quality = {cid: rng.betavariate(4, 2) for cid, _u, _m in members}
    # the tie unit: quota−1 clearly ahead, then two identical people on the line, the rest
    # clearly behind
    for n, cid in enumerate(tie_people):
        if n < quota - 1:
            quality[cid] = 0.97
        elif n in (quota - 1, quota):
            quality[cid] = 0.9
        else:
            quality[cid] = min(quality[cid], 0.6)
    score_rows: list[dict[str, object]] = []
    vote_rows: list[dict[str, object]] = []
    quarter_rows: list[dict[str, object]] = []
    tie_a, tie_b = tie_people[quota - 1], tie_people[quota]
    tie_scores = _scores(random.Random(seed + 1), 0.9)
    tie_votes = _votes(random.Random(seed + 2), 0.9)
    for cid, _unit, _mid in members:
        q = quality[cid]
        s = tie_scores if cid in (tie_a, tie_b) else _scores(rng, q)
        v = tie_votes if cid in (tie_a, tie_b) else _votes(rng, q)
        score_rows += [
            {"round": rid, "cadre": cid, "item_code": code, "score": str(val)}
            for code, val in s.items()
        ]
        vote_rows += [
            {"round": rid, "cadre": cid, "group_code": g, "grade_label": lab, "count": n}
            for g, counts in v.items()
            for lab, n in counts.items()
            if n
        ]
        for quarter in (1, 2, 3, 4):
            if cid in (tie_a, tie_b):
                mark = "好"
            else:
                r = rng.random() * 0.7 + q * 0.5
                mark = "好" if r > 1.02 else "较好" if r > 0.45 else "一般"
            quarter_rows.append({"cadre": cid, "year": year, "quarter": quarter, "grade": mark})
    _bulk(ItemScore, score_rows)
    _bulk(VoteCount, vote_rows)
    QuarterGrade.delete().where(
        (QuarterGrade.year == year) & QuarterGrade.cadre.in_([m[0] for m in members])
    ).execute()
    _bulk(QuarterGrade, quarter_rows)
    record_changes(
        ROUND_ENTITY,
        rid,
        "修改",
        {},
        {"demo": f"生成演示得分 {len(members)} 人"},
        user=USER,
        reason="演示数据",
    )

    # the special cases, each through the services (so they are in the change log)
    others = [cid for cid, unit, _m in members if unit != tie_unit]
    others.sort(key=lambda c: -quality[c])
    admonished, demerit, poor, probationer, investigated = (
        others[0],
        others[1],
        others[2],
        others[-1],
        others[-2],
    )
    add_sanction(
        admonished, "admonition", dt.date(year, 4, 15), note="履职不力，受诫勉处理", user=USER
    )
    add_sanction(demerit, "gov_demerit", dt.date(year, 6, 1), note="违反工作纪律", user=USER)
    set_quarter_grade(poor, year, 3, "较差", reason="第三季度工作失误", user=USER)
    set_member_flags(
        rid, probationer, on_probation=True, reason=f"{year}年新录用，试用期内", user=USER
    )
    set_member_flags(
        rid, investigated, under_investigation=True, reason="立案审查尚未结案", user=USER
    )
    for cid in others[3:6]:
        add_adjustment(rid, cid, 2, "特色工作加分：城市转型重点项目", user=USER)
    if len(others) > 8:
        add_adjustment(rid, others[7], -3, "扣分：督查通报批评", user=USER)
    if grade:
        grade_and_store(rid, user=USER, reason="演示数据定等")
    names = dict(
        Cadre.select(Cadre.id, Cadre.name)
        .where(Cadre.id.in_([tie_a, tie_b, admonished, demerit, probationer, investigated, poor]))
        .tuples()
    )
    return DemoAssessment(
        round_id=rid,
        people=len(members),
        tie_unit=tie_unit,
        tie_names=(names[tie_a], names[tie_b]),
        admonished=names[admonished],
        demerit=names[demerit],
        probationer=names[probationer],
        investigated=names[investigated],
        poor_quarter=names[poor],
    )
