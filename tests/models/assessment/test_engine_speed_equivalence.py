"""Equivalence guard for the grading speed work: the rule engine must give exactly the same
results, explanation text included, as the engine that was checked by hand in test_grading.py.

The golden file ``fixtures/grading_golden.json.gz`` holds the full ``RoundResult.to_dict()``
(and the Chinese error messages of bad rounds) computed by the engine before any speed-up,
for several thousand seeded generated people under several rule sets: every quota rounding
mode, pools by unit and by rank layer, quota base all/graded, sanctions of every effect
(several at once, expired ones), probation, investigation, long leave, veto items (failed
and by score line), 平时考核 bars and the "好" minimum, exact ties at the quota line
(resolved and unresolved), committee overrides (within quota, approved above quota), vote
counts (integer and non-integer vote values, missing groups) and group averages,
加分/扣分 with and without caps.

Regenerate (only when a rule change is intended and checked by hand):
``.venv/bin/python tests/models/assessment/test_engine_speed_equivalence.py --write``.

The database half checks that what ``compute_grades`` stores is exactly the engine's result,
and that the change log keeps its meaning (first grading: one round entry; later: one entry
per person whose grade changed).
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import random
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

if __name__ == "__main__":  # pragma: no cover - regeneration entry point
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from models.assessment.engine import Adjustment, Override, PersonInput, SanctionInForce, grade_round
from models.assessment.rules import (
    AssessmentRules,
    CompositeRule,
    Grade,
    GradeThresholds,
    PoolBy,
    QuarterlyRule,
    QuotaBase,
    QuotaRule,
    Rounding,
    SchemeItem,
    StatusRule,
    VoteValue,
    default_rules,
)
from models.core.errors import DomainError, ValidationError

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "grading_golden.json.gz"
D = Decimal
GROUPS = ("superior", "peer", "subordinate", "served")
LAYERS = ("县处级", "乡科级", "一般干部")
SANCTION_CODES = (
    "party_warning",
    "admonition",
    "party_serious_warning",
    "party_post_removed",
    "party_probation",
    "gov_major_demerit",
    "demoted_post",
)


# --------------------------------------------------------------------------- rule sets


def _rule_sets() -> dict[str, tuple[AssessmentRules, int, Callable[[list[str]], list[str]]]]:
    """name -> (rules, people, approved pools chooser)."""
    base = default_rules()
    items = list(base.items)
    # a key topic on 绩 and a veto-only item with a score line
    items[3] = dataclasses.replace(items[3], key_topic="城市转型", key_topic_weight=D(10))
    veto = SchemeItem(
        code="safety",
        name="安全生产",
        weight=D(0),
        is_veto=True,
        veto_below=D(60),
        veto_max_grade=Grade.BASIC,
    )
    veto2 = SchemeItem(
        code="letters", name="信访稳定", weight=D(0), is_veto=True, veto_max_grade=Grade.COMPETENT
    )
    with_veto = (*items, veto, veto2)
    half_items = tuple(
        dataclasses.replace(i, full_score=D(50)) if i.code in ("neng", "qin") else i
        for i in base.items
    )
    odd_votes = (
        VoteValue("优秀", D("95.5")),
        VoteValue("称职", D("80")),
        VoteValue("基本称职", D("62.25")),
        VoteValue("不称职", D("40")),
    )

    def none(keys: list[str]) -> list[str]:
        return []

    def every_third(keys: list[str]) -> list[str]:
        return keys[::3]

    return {
        "default_half_up": (base, 1500, none),
        "up_layer_graded": (
            dataclasses.replace(
                base,
                name="进一法·分层·确定等次基数",
                items=with_veto,
                quota=QuotaRule(
                    percent=D(20),
                    max_percent=D(25),
                    rounding=Rounding.UP,
                    at_least_one=False,
                    pool_by=PoolBy.UNIT_LAYER,
                    base=QuotaBase.GRADED,
                ),
                tie_break=("excellent_votes", "quarterly_good", "item:ji"),
                thresholds=GradeThresholds(
                    excellent_min=None, competent_min=D(70), basic_min=D(60)
                ),
                composite=CompositeRule(bonus_cap=None, penalty_cap=D(3)),
                quarterly=QuarterlyRule(
                    bar_excellent_grades=("较差", "一般"),
                    min_good_for_excellent=2,
                    good_cap_percent=D(50),
                ),
            ),
            1500,
            every_third,
        ),
        "down_no_tiebreak": (
            dataclasses.replace(
                base,
                name="去尾·不设并列排序",
                vote_values=odd_votes,
                quota=QuotaRule(
                    percent=D(15),
                    max_percent=D(30),
                    rounding=Rounding.DOWN,
                    at_least_one=True,
                    base=QuotaBase.GRADED,
                ),
                tie_break=(),
                composite=CompositeRule(D(30), D(70), bonus_cap=D(2), penalty_cap=None),
                status=StatusRule(
                    probation_no_grade=False, investigation_no_grade=True, long_leave_days=None
                ),
                quarterly=QuarterlyRule(good_cap_percent=None),
            ),
            1200,
            every_third,
        ),
        "down_plain_half_items": (
            dataclasses.replace(
                base,
                name="去尾·不足一名不计",
                items=half_items,
                quota=QuotaRule(
                    percent=D("12.5"),
                    max_percent=D(20),
                    rounding=Rounding.DOWN,
                    at_least_one=False,
                ),
                tie_break=("items", "evaluation"),
                thresholds=GradeThresholds(D("88.5"), D(66), D(55)),
            ),
            1000,
            none,
        ),
        "half_up_layer_eval_only": (
            dataclasses.replace(
                base,
                name="四舍五入·分层·仅测评",
                items=with_veto,
                composite=CompositeRule(D(100), D(0), bonus_cap=D(5), penalty_cap=D(10)),
                quota=QuotaRule(percent=D(30), max_percent=D(35), pool_by=PoolBy.UNIT_LAYER),
                tie_break=("item:de", "items"),
            ),
            800,
            every_third,
        ),
    }


# --------------------------------------------------------------------------- people


def _people(rules: AssessmentRules, n: int, seed: int) -> list[PersonInput]:
    rng = random.Random(seed)
    layered = rules.quota.pool_by is PoolBy.UNIT_LAYER
    units = [f"单位{k:02d}" for k in range(max(3, n // 40))]
    has_veto_line = any(i.code == "safety" for i in rules.items)
    has_letters = any(i.code == "letters" for i in rules.items)
    out: list[PersonInput] = []
    pool_excellent_override: set[str] = set()
    discrete = (D(90), D("92.5"), D(95), D(97), D(100))
    patterns = (
        {"优秀": 10, "称职": 2},
        {"优秀": 12},
        {"优秀": 8, "称职": 3, "基本称职": 1},
        {"优秀": 5, "称职": 5, "不称职": 1},
    )
    for i in range(n):
        unit = rng.choice(units)
        layer = rng.choice(LAYERS) if layered or rng.random() < 0.5 else ""
        pool = f"{unit}｜{layer}" if layered else unit
        tied = rng.random() < 0.35  # from a small set of values: many exact ties

        def score(lo: int = 6000, hi: int = 10000, tied: bool = tied) -> Decimal:
            if tied:
                return rng.choice(discrete)
            return D(rng.randint(lo, hi)) / 100

        item_scores: dict[str, Any] = {}
        for it in rules.items:
            if it.effective_weight == 0:
                continue
            v = score()
            item_scores[it.code] = v * it.full_score / 100 if it.full_score != 100 else v
        # sometimes an int or a string, which the engine converts
        if rng.random() < 0.05:
            item_scores["de"] = str(item_scores["de"])
        if rng.random() < 0.05:
            item_scores["lian"] = int(item_scores["lian"])
        clean = True
        if has_veto_line:
            low = rng.random() < 0.04
            item_scores["safety"] = D(rng.randint(30, 59)) if low else D(rng.randint(60, 100))
            clean = clean and not low
        votes: dict[str, dict[str, int]] | None = None
        averages: dict[str, Any] | None = None
        r = rng.random()
        if r < 0.45:
            if tied:
                pat = rng.choice(patterns)
                votes = {g: dict(pat) for g in GROUPS}
            else:
                votes = {
                    g: {
                        "优秀": rng.randint(0, 12),
                        "称职": rng.randint(0, 5),
                        "基本称职": rng.randint(0, 2),
                        "不称职": rng.randint(0, 1),
                    }
                    for g in GROUPS
                }
                votes["superior"]["优秀"] += 1
            if rng.random() < 0.05:
                votes.pop("served")  # a group left out: warning, weights rescaled
            if rng.random() < 0.03:
                votes["peer"] = {"优秀": 0, "称职": 0}  # no valid votes in a group
        elif r < 0.9:
            averages = {g: score(5000, 10000) for g in GROUPS}
            if rng.random() < 0.05:
                averages["subordinate"] = None
        sanctions: list[SanctionInForce] = []
        if rng.random() < 0.06:
            for _ in range(rng.choice((1, 1, 2))):
                code = rng.choice(SANCTION_CODES)
                sanctions.append(
                    SanctionInForce(code, rng.choice((0, 0, 0, 1, 2, 3)), rng.choice(("", "备注")))
                )
        probation = rng.random() < 0.02
        investigation = rng.random() < 0.01
        leave = rng.choice((0, 0, 0, 0, 10, 50, 200, 366)) if rng.random() < 0.1 else 0
        vetoes: tuple[str, ...] = ()
        if has_letters and rng.random() < 0.03:
            vetoes = ("letters",)
        quarters: tuple[str | None, ...] = ()
        qr = rng.random()
        if qr < 0.8:
            quarters = tuple(
                rng.choice(("好", "好", "较好", "一般", "较差" if rng.random() < 0.1 else "好"))
                for _ in range(4)
            )
        elif qr < 0.9:
            quarters = ("好", None, "较好")
        adjustments: list[Adjustment] = []
        if rng.random() < 0.1:
            for k in range(rng.choice((1, 2, 3))):
                pts = rng.choice(("0.5", "1", "3", "-0.5", "-2", "-6", 4, 2.5))
                adjustments.append(Adjustment(pts, f"理由{k}"))
        status_or_sanction = bool(sanctions) or probation or investigation or leave >= 183
        clean = clean and not status_or_sanction and not vetoes
        clean = clean and not any(q in rules.quarterly.bar_excellent_grades for q in quarters)
        # people given 不定等次 by their status may have no scores at all
        st = rules.status
        forced = (
            investigation
            or (probation and st.probation_no_grade)
            or (st.long_leave_days is not None and leave >= st.long_leave_days)
        )
        if forced and rng.random() < 0.3:
            item_scores = {}
            votes = averages = None
        if votes is None and averages is None and not forced:
            averages = {g: score(5000, 10000) for g in GROUPS}
        override: Override | None = None
        if clean and rng.random() < 0.03:
            g = rng.choice((Grade.COMPETENT, Grade.BASIC, Grade.INCOMPETENT, Grade.UNDETERMINED))
            override = Override(g, rng.choice(("委员会意见", "  群众反映问题  ")))
        elif (
            clean
            and pool not in pool_excellent_override
            and rng.random() < 0.02
            and sum(1 for q in quarters if q == "好") >= rules.quarterly.min_good_for_excellent
        ):
            pool_excellent_override.add(pool)
            override = Override(Grade.EXCELLENT, "突出贡献", approved=rng.random() < 0.5)
        pid: int | str = i if rng.random() < 0.9 else f"P{i}"
        out.append(
            PersonInput(
                person_id=pid,
                name=f"干部{i}",
                unit=unit,
                layer=layer,
                item_scores=item_scores,
                votes=votes,
                group_averages=averages,
                adjustments=tuple(adjustments),
                sanctions=tuple(sanctions),
                on_probation=probation,
                under_investigation=investigation,
                leave_days=leave,
                quarterly_grades=quarters,
                veto_failures=vetoes,
                override=override,
            )
        )
    return out


def _over_quota_pool() -> list[PersonInput]:
    """20 clean people in one pool: quota 4 (20 %), max 5 (25 %); 5 approved 优秀 overrides."""
    out = []
    for i in range(20):
        s = D(80 + i)
        out.append(
            PersonInput(
                person_id=10_000 + i,
                name=f"超额{i}",
                unit="超额单位",
                item_scores=dict.fromkeys(("de", "neng", "qin", "ji", "lian"), s),
                group_averages=dict.fromkeys(GROUPS, s),
                override=Override(Grade.EXCELLENT, "经批准", approved=True) if i < 5 else None,
            )
        )
    return out


def _tie_pools(rules: AssessmentRules) -> list[PersonInput]:
    """Two pools of 10 with the quota line inside a tie: one tie nothing can break (identical
    people), one the tie-break order decides (same composite, different parts)."""
    layer = "县处级" if rules.quota.pool_by is PoolBy.UNIT_LAYER else ""

    def p(pid: int, unit: str, e: int, i: int) -> PersonInput:
        return PersonInput(
            person_id=20_000 + pid,
            name=f"并列{pid}",
            unit=unit,
            layer=layer,
            item_scores={
                it.code: D(i) * it.full_score / 100 for it in rules.items if it.effective_weight
            },
            group_averages={g: D(e) for g in GROUPS},
            quarterly_grades=("好", "好", "好", "好"),
        )

    out = [p(0, "完全并列单位", 100, 100)]
    out += [p(k, "完全并列单位", 95, 95) for k in range(1, 4)]
    out += [p(k, "完全并列单位", 91, 91) for k in range(4, 10)]
    out += [p(10, "并列可分单位", 100, 100), p(11, "并列可分单位", 96, 96)]
    out += [p(12, "并列可分单位", 93, 98), p(13, "并列可分单位", 98, 94)]
    out += [p(k, "并列可分单位", 90, 90) for k in range(14, 20)]
    return out


def _error_cases() -> dict[str, tuple[AssessmentRules, list[PersonInput]]]:
    rules = default_rules()
    ok = {c: D(95) for c in ("de", "neng", "qin", "ji", "lian")}
    avg = {g: D(95) for g in GROUPS}

    def p(pid: int, **kw: Any) -> PersonInput:
        base: dict[str, Any] = {
            "person_id": pid,
            "name": f"人{pid}",
            "unit": "甲局",
            "item_scores": ok,
            "group_averages": avg,
        }
        base.update(kw)
        return PersonInput(**base)

    bad_inputs = [
        p(1, item_scores={**ok, "xx": 1}),
        p(2, item_scores={**ok, "de": 101}),
        p(3, item_scores={**ok, "de": "abc"}),
        p(3),
        p(4, votes={"superior": {"优秀": 1}}),
        p(5, quarterly_grades=("好", "差")),
        p(6, sanctions=(SanctionInForce("nope"),)),
        p(7, leave_days=400),
        p(8, adjustments=(Adjustment("1", " "),)),
        p(9, item_scores={"de": D(90)}),
        p(10, group_averages=None),
        p(11, sanctions=(SanctionInForce("admonition"),), override=Override(Grade.EXCELLENT, "x")),
        p(12, override=Override("最好", "x")),
        p(13, override=Override(Grade.BASIC, "")),
        p(14, name=" ", unit=""),
    ]
    votes = {g: {"优秀": 8, "称职": 2} for g in GROUPS}
    odd_types = [  # values that compare equal to good ones but are refused
        p(300, group_averages=None, votes={**votes, "peer": {"优秀": True, "称职": 2}}),
        p(301, group_averages=None, votes={**votes, "peer": {"优秀": 8.0, "称职": 2}}),
        p(302, group_averages=None, votes={**votes, "peer": {"优秀": -1, "称职": 2}}),
        p(303, group_averages=None, votes={**votes, "peer": {"优秀": D("sNaN")}}),
        p(304, group_averages=None, votes={**votes, "peer": {"优秀": [1]}}),
        p(305, group_averages=None, votes={**votes, "peer": {"良好": 3}}),
        p(306, group_averages=None, votes={**votes, "xx": {"优秀": 3}}),
        p(307, item_scores={**ok, "de": D("sNaN")}),
        p(308, item_scores={**ok, "de": D("Infinity")}),
        p(309, group_averages={**avg, "peer": D("sNaN")}),
        p(310, group_averages={**avg, "peer": D("100.01")}),
        p(311, group_averages={**avg, "xx": D(90)}),
        p(312, group_averages={**avg, "peer": "abc"}),
        p(313, votes=votes),
    ]
    over = [p(100 + i, override=Override(Grade.EXCELLENT, "意见")) for i in range(3)]
    over += [p(200 + i) for i in range(7)]
    return {
        "bad_inputs": (rules, bad_inputs),
        "odd_types": (rules, [p(299, votes=votes, group_averages=None), *odd_types]),
        "overrides_above_quota": (rules, over),
    }


def _compute() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for n, (name, (rules, count, chooser)) in enumerate(_rule_sets().items()):
        people = _people(rules, count, seed=100 + n)
        people += _tie_pools(rules)
        if name == "default_half_up":
            people += _over_quota_pool()
        keys = sorted(
            {
                f"{p.unit}｜{p.layer}" if rules.quota.pool_by is PoolBy.UNIT_LAYER else p.unit
                for p in people
            }
        )
        out[name] = grade_round(rules, people, approved_pools=chooser(keys)).to_dict()
    for name, (rules, people) in _error_cases().items():
        try:
            grade_round(rules, people)
        except (ValidationError, DomainError) as exc:
            out[name] = {"error": type(exc).__name__, "message": str(exc)}
        else:  # pragma: no cover - the golden file records that an error was expected
            out[name] = {"error": None}
    return out


def _normalise(data: Any) -> Any:
    """JSON round trip, so tuples and lists compare alike."""
    return json.loads(json.dumps(data, ensure_ascii=False))


# --------------------------------------------------------------------------- tests


@pytest.fixture(scope="module")
def golden() -> dict[str, Any]:
    with gzip.open(GOLDEN, "rt", encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def computed() -> dict[str, Any]:
    return _normalise(_compute())


def test_golden_covers_every_rule(golden: dict[str, Any]) -> None:
    """The golden data really exercises what it claims to (so the comparison means something)."""
    people = [p for name, r in golden.items() if "people" in r for p in r["people"]]
    assert len(people) >= 6000
    codes = {rule["code"].split(":")[0] + ":" for p in people for rule in p["rules"]}
    for prefix in ("sanction:", "status:", "veto:", "quarterly:", "score:", "quota:", "tie:"):
        assert prefix in codes, prefix
    all_codes = {rule["code"] for p in people for rule in p["rules"]}
    for code in (
        "sanction:heaviest",
        "status:probation",
        "status:investigation",
        "status:long_leave",
        "quarterly:bar",
        "quarterly:min_good",
        "tie:resolved",
        "tie:unresolved",
        "quota:displaced",
        "override",
    ):
        assert code in all_codes, code
    flags = {f for p in people for f in p["flags"]}
    assert {"override_above_quota", "tie_unresolved", "barred_from_excellent"} <= flags
    grades = {p["proposed_grade"] for p in people}
    assert grades == {g.value for g in Grade}
    roundings = {
        s["quota"]["rounding"] for r in golden.values() if "pools" in r for s in r["pools"]
    }
    assert roundings == {r.value for r in Rounding}
    assert any(s["raised_quota"] for r in golden.values() if "pools" in r for s in r["pools"])
    assert golden["bad_inputs"]["error"] == "ValidationError"
    assert golden["overrides_above_quota"]["error"] == "DomainError"
    assert golden["odd_types"]["error"] == "ValidationError"
    for pid in range(300, 314):  # every odd value is reported, naming the person
        assert f"（{pid}）" in golden["odd_types"]["message"], pid


@pytest.mark.parametrize(
    "name",
    [*_rule_sets().keys(), *_error_cases().keys()],
)
def test_same_result_as_golden(name: str, golden: dict[str, Any], computed: dict[str, Any]) -> None:
    want = golden[name]
    got = computed[name]
    if "people" in want:
        assert len(got["people"]) == len(want["people"])
        for g, w in zip(got["people"], want["people"], strict=True):
            assert g == w, f"person {w['person_id']} differs"
        assert got["pools"] == want["pools"]
    assert got == want


def test_grading_twice_gives_the_same_result() -> None:
    """No state leaks between calls (e.g. cached per-rules constants)."""
    rules, count, _ = _rule_sets()["up_layer_graded"]
    people = _people(rules, 300, seed=5)
    first = grade_round(rules, people).to_dict()
    other_rules = _rule_sets()["down_no_tiebreak"][0]
    grade_round(other_rules, _people(other_rules, 100, seed=6))
    assert grade_round(rules, people).to_dict() == first


if __name__ == "__main__":  # pragma: no cover
    if "--write" in sys.argv:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        data = _normalise(_compute())
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
        GOLDEN.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
        print(f"wrote {GOLDEN} ({GOLDEN.stat().st_size} bytes)")


# --------------------------------------------------------------------------- database half


@pytest.fixture(scope="module")
def demo_round(tmp_path_factory: pytest.TempPathFactory):
    import datetime as dt

    from models.core.db import close_database
    from models.demo import add_demo_assessment, build_demo
    from models.schema import open_database

    path = tmp_path_factory.mktemp("speed") / "demo.db"
    build_demo(path, cadres=400, today=dt.date(2026, 3, 1), parts=("training",))
    open_database(path)
    info = add_demo_assessment(2025, grade=False)
    # start from an ungraded round whatever the demo did (its ``grade`` flag is not relied on)
    from models.assessment.tables import GradeResult
    from models.core.audit import ChangeLog

    GradeResult.delete().where(GradeResult.round == info.round_id).execute()
    ChangeLog.delete().where(ChangeLog.field.in_(["grading", "考核等次"])).execute()
    yield info.round_id
    close_database()


def _stored(round_id: int) -> dict[Any, dict[str, Any]]:
    from models.assessment.tables import GradeResult

    rows = GradeResult.select().where(GradeResult.round == round_id).dicts()
    return {r["cadre"]: r for r in rows}


def _expected_row(p: dict[str, Any]) -> dict[str, Any]:
    """The GradeResult columns for one PersonResult.to_dict() (see the model's docstring)."""
    overridden = "overridden" in p["flags"]
    return {
        "pool_key": p["pool_key"],
        "evaluation": p["evaluation_score"],
        "items": p["items_score"],
        "bonus": p["bonus"],
        "penalty": p["penalty"],
        "composite": p["composite"],
        "rank": p["rank"],
        "proposed_grade": p["system_grade"],
        "final_grade": p["proposed_grade"],
        "no_grade_category": p["no_grade_category"] or "",
        "override_grade": p["proposed_grade"] if overridden else None,
        "override_reason": p["override_reason"],
        "override_approved": p["override_approved"],
        "flags": ",".join(p["flags"]),
        "warnings": "\n".join(p["warnings"]),
        "explanation": p["explanation"],
    }


def _grading_logs(round_id: int) -> tuple[list[Any], list[Any]]:
    from models.assessment import PERSON_ENTITY, ROUND_ENTITY
    from models.core.audit import ChangeLog

    person = list(
        ChangeLog.select()
        .where((ChangeLog.entity == PERSON_ENTITY) & (ChangeLog.field == "考核等次"))
        .order_by(ChangeLog.id)
    )
    rnd = list(
        ChangeLog.select()
        .where(
            (ChangeLog.entity == ROUND_ENTITY)
            & (ChangeLog.entity_id == round_id)
            & (ChangeLog.field == "grading")
        )
        .order_by(ChangeLog.id)
    )
    return person, rnd


def test_database_grading_stores_the_engine_result_and_logs_changes(demo_round: int) -> None:
    from models.assessment import ScoreCell, set_member_flags, set_scores
    from models.assessment.grading import compute_grades, load_inputs
    from models.assessment.tables import AssessmentRound, RoundMember

    rid = demo_round
    result = compute_grades(rid, user="测试")
    data = _normalise(result.to_dict())
    stored = _stored(rid)
    assert len(stored) == len(data["people"]) > 300
    for p in data["people"]:
        row = stored[p["person_id"]]
        got = {k: row[k] for k in _expected_row(p)}
        got["override_approved"] = bool(got["override_approved"])
        assert got == _expected_row(p), p["person_id"]
        assert row["computed_at"] is not None
    assert json.loads(AssessmentRound.get_by_id(rid).pools_json) == data["pools"]
    # the engine on the loaded inputs gives the same as what was stored
    rules, people, _row = load_inputs(rid)
    assert _normalise(grade_round(rules, people).to_dict()) == data
    # first grading: no per-person entry, one round entry naming everybody as first graded
    person_logs, round_logs = _grading_logs(rid)
    assert person_logs == []
    assert len(round_logs) == 1
    n = len(data["people"])
    assert f"计算等次 {n} 人" in round_logs[0].new_value
    assert f"首次定等 {n} 人，等次变化 0 人" in round_logs[0].new_value

    # the same grading again: nothing changes, nothing logged per person
    compute_grades(rid, user="测试")
    person_logs, round_logs = _grading_logs(rid)
    assert person_logs == []
    assert len(round_logs) == 2
    assert "首次定等 0 人，等次变化 0 人" in round_logs[1].new_value

    # one 优秀 person scores 0 in every item: 不称职 (composite ≤ 40 < 55), which frees a
    # place that the next candidate takes; one member stops taking part and loses the result
    excellent = [p for p in data["people"] if p["proposed_grade"] == "优秀"]
    low = excellent[0]["person_id"]
    set_scores(
        rid,
        [ScoreCell(low, code, 0) for code in ("de", "neng", "qin", "ji", "lian")],
        reason="测试",
        user="测试",
    )
    gone = next(p["person_id"] for p in data["people"] if p["person_id"] != low)
    set_member_flags(rid, gone, not_participating="调离", reason="测试", user="测试")
    before = {cid: r["final_grade"] for cid, r in _stored(rid).items()}
    second = _normalise(compute_grades(rid, user="测试2", reason="重新计算").to_dict())
    after = _stored(rid)
    assert gone not in after
    assert len(after) == len(data["people"]) - 1
    for p in second["people"]:
        row = after[p["person_id"]]
        got = {k: row[k] for k in _expected_row(p)}
        got["override_approved"] = bool(got["override_approved"])
        assert got == _expected_row(p)
    changed = {
        p["person_id"]: (before[p["person_id"]], p["proposed_grade"])
        for p in second["people"]
        if before[p["person_id"]] != p["proposed_grade"]
    }
    assert changed[low] == ("优秀", "不称职")
    assert len(changed) >= 2  # somebody else took the freed 优秀 place
    person_logs, round_logs = _grading_logs(rid)
    mids = dict(
        RoundMember.select(RoundMember.cadre, RoundMember.id)
        .where(RoundMember.round == rid)
        .tuples()
    )
    assert sorted((e.entity_id, e.old_value, e.new_value) for e in person_logs) == sorted(
        (mids[cid], old, new) for cid, (old, new) in changed.items()
    )
    assert all(e.user == "测试2" and e.reason == "重新计算" for e in person_logs)
    assert f"首次定等 0 人，等次变化 {len(changed)} 人" in round_logs[-1].new_value

    # values the scheme does not know are still loaded as they are, and grading names them
    from models.assessment.tables import ItemScore, QuarterGrade, VoteCount

    cid = second["people"][0]["person_id"]
    VoteCount.create(round=rid, cadre=cid, group_code="superior", grade_label="良好", count=2)
    VoteCount.create(round=rid, cadre=cid, group_code="外单位", grade_label="优秀", count=1)
    ItemScore.create(round=rid, cadre=cid, item_code="额外", score="50")
    QuarterGrade.delete().where((QuarterGrade.cadre == cid) & (QuarterGrade.year == 2025)).execute()
    QuarterGrade.create(cadre=cid, year=2025, quarter=2, grade="优")
    person = next(p for p in load_inputs(rid)[1] if p.person_id == cid)
    assert person.votes is not None
    assert person.votes["superior"]["良好"] == 2
    assert person.votes["外单位"] == {"优秀": 1}
    assert person.item_scores["额外"] == D(50)
    assert person.quarterly_grades == (None, "优")
    with pytest.raises(ValidationError) as info:
        compute_grades(rid, user="测试")
    message = str(info.value)
    for text in (
        "“良好”不在测评票分值表中",
        "评价组“外单位”不在",
        "考核项目“额外”不在",
        "“优”应为",
    ):
        assert text in message, text
