"""平时考核 grading in the database (models.assessment.grading.quarterly): stored
QuarterGrade rows, the change log, overwriting, locking, and all-or-nothing on bad data.

Default rules: items 德20/能15/勤15/绩30/廉20; pools by unit; 好 cap 40% 四舍五入 (no "at
least one"); quarter score lines 好 ≥ 90, 较好 ≥ 66, 一般 ≥ 55. Every item of a person gets the
same score below, so the quarter score is that score.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from models.assessment import (
    CADRE_ENTITY,
    LOCKED_MESSAGE,
    ScoreCell,
    add_sanction,
    add_unit_members,
    approve_round,
    create_round,
    get_round,
    return_to_entry,
    round_history,
    save_rules,
    set_member_flags,
    set_quarter_grade,
    set_scores,
    submit_for_review,
)
from models.assessment.grading import (
    compute_quarter_grades,
    format_quarter_report,
    quarter_bounds,
)
from models.assessment.tables import (
    ASSESSMENT_TABLES,
    KIND_QUARTERLY,
    STATUS_APPROVED,
    AssessmentRound,
    QuarterGrade,
)
from models.core.audit import ChangeLog, history
from models.core.errors import DomainError, ValidationError
from models.roster.tables import Cadre

ITEMS = ("de", "neng", "qin", "ji", "lian")


@pytest.fixture
def adb(database):
    database.create_tables(ASSESSMENT_TABLES)
    return database


def make_cadre(name: str, unit_id: int, n: int) -> int:
    return Cadre.create(
        name=name,
        sex="男",
        birth_date=dt.date(1980, 1, 1),
        unit=unit_id,
        id_card=f"62040219800101{n:04d}",
        post_title="科员",
    ).id


@pytest.fixture
def q1(adb, units):
    """市委组织部 with five cadres 甲..戊 in the 2025 Q1 平时考核 round."""
    ids = {name: make_cadre(name, units["org"], i) for i, name in enumerate("甲乙丙丁戊", 1)}
    rnd = create_round(2025, kind=KIND_QUARTERLY, quarter=1, user="tester")
    assert add_unit_members(rnd.id, units["org"], user="tester") == 5
    return rnd.id, ids


def fill(round_id: int, cadre_id: int, score: int | str) -> None:
    set_scores(round_id, [ScoreCell(cadre_id, c, score) for c in ITEMS], user="tester")


def stored(year: int = 2025, quarter: int = 1) -> dict[str, str]:
    return dict(
        QuarterGrade.select(Cadre.name, QuarterGrade.grade)
        .join(Cadre)
        .where((QuarterGrade.year == year) & (QuarterGrade.quarter == quarter))
        .tuples()
    )


def score_all(rid: int, ids: dict[str, int], scores: dict[str, int]) -> None:
    for name, s in scores.items():
        fill(rid, ids[name], s)


def test_quarter_bounds():
    assert quarter_bounds(2025, 1) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert quarter_bounds(2024, 1)[1] == dt.date(2024, 3, 31)
    assert quarter_bounds(2025, 2) == (dt.date(2025, 4, 1), dt.date(2025, 6, 30))
    assert quarter_bounds(2025, 4) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))


def test_compute_stores_grades_and_logs_each_one(q1):
    rid, ids = q1
    score_all(rid, ids, {"甲": 95, "乙": 92, "丙": 91, "丁": 70, "戊": 50})
    out = compute_quarter_grades(rid, user="组织科", reason="一季度考核")
    # cap 40%×5 = 2: 甲 95 and 乙 92 are 好; 丙 91 is above the 好 line but falls to 较好;
    # 丁 70 较好 (66–90); 戊 50 较差 (< 55)
    assert stored() == {"甲": "好", "乙": "好", "丙": "较好", "丁": "较好", "戊": "较差"}
    assert (out.year, out.quarter) == (2025, 1)
    assert len(out.first_time) == 5
    assert out.overwritten == ()
    assert "未进入“好”等次名额（2 名），定为较好" in out.grading.person(ids["丙"]).explanation
    log = history(CADRE_ENTITY, ids["甲"])
    assert [(c.field, c.old_value, c.new_value, c.user, c.reason) for c in log] == [
        ("2025年第1季度平时考核", "", "好", "组织科", "一季度考核")
    ]
    grading = [h for h in round_history(rid) if h.field == "grading"]
    assert len(grading) == 1
    assert grading[0].new_value.startswith(
        "计算2025年第1季度平时考核等次 5 人（好 2 人、较好 2 人、较差 1 人）；"
        "首次定等 5 人，等次变化 0 人"
    )
    assert AssessmentRound.get_by_id(rid).graded_at is not None


def test_recompute_without_changes_writes_no_person_log(q1):
    rid, ids = q1
    score_all(rid, ids, {"甲": 95, "乙": 92, "丙": 91, "丁": 70, "戊": 50})
    compute_quarter_grades(rid, user="t")
    before = ChangeLog.select().where(ChangeLog.entity == CADRE_ENTITY).count()
    out = compute_quarter_grades(rid, user="t")
    assert out.changes == ()
    assert ChangeLog.select().where(ChangeLog.entity == CADRE_ENTITY).count() == before


def test_computing_overwrites_hand_entered_grades_and_lists_them(q1):
    rid, ids = q1
    score_all(rid, ids, {"甲": 95, "乙": 92, "丙": 91, "丁": 70, "戊": 50})
    set_quarter_grade(ids["甲"], 2025, 1, "一般", user="科员", reason="手工录入")
    set_quarter_grade(ids["丁"], 2025, 1, "较好", user="科员")  # same as computed
    out = compute_quarter_grades(rid, user="组织科")
    assert stored()["甲"] == "好"
    assert [(c.name, c.old, c.new) for c in out.overwritten] == [("甲", "一般", "好")]
    assert len(out.first_time) == 3  # 乙 丙 戊; 丁 unchanged
    assert "等次变化 1 人：甲（市委组织部）：一般 → 好" in out.summary
    newest = history(CADRE_ENTITY, ids["甲"])[0]
    assert (newest.old_value, newest.new_value, newest.user) == ("一般", "好", "组织科")
    assert newest.reason == "计算季度等次"


def test_no_grade_clears_a_stored_grade_and_not_participating_is_left_alone(q1):
    rid, ids = q1
    score_all(rid, ids, {"甲": 95, "乙": 92, "丙": 91, "丁": 70})
    set_quarter_grade(ids["戊"], 2025, 1, "好", user="科员")
    set_quarter_grade(ids["丁"], 2025, 1, "一般", user="科员")
    set_member_flags(rid, ids["戊"], on_probation=True, reason="新录用")  # 试用期: no score needed
    set_member_flags(rid, ids["丁"], not_participating="借调外单位", reason="借调")
    out = compute_quarter_grades(rid, user="t")
    # 戊: 不定等次 → the hand-entered 好 is cleared; 丁 is not graded → 一般 stays.
    # pool = 4 participating people: 40%×4 = 1.6 → 2 (甲, 乙)
    assert stored() == {"甲": "好", "乙": "好", "丙": "较好", "丁": "一般"}
    assert [(c.name, c.old, c.new) for c in out.overwritten] == [("戊", "好", None)]
    assert out.grading.person(ids["戊"]).grade == "不定等次"
    assert history(CADRE_ENTITY, ids["戊"])[0].new_value == ""


def test_sanction_counts_from_the_quarter_it_was_given(q1, units):
    rid, ids = q1
    score_all(rid, ids, {"甲": 95, "乙": 92, "丙": 91, "丁": 70, "戊": 50})
    add_sanction(ids["甲"], "诫勉", dt.date(2025, 5, 10), note="工作失职", user="t")
    q2 = create_round(2025, kind=KIND_QUARTERLY, quarter=2, user="t").id
    add_unit_members(q2, units["org"], user="t")
    score_all(q2, ids, {"甲": 95, "乙": 92, "丙": 91, "丁": 70, "戊": 50})
    # Q1 (Jan–Mar): the 诫勉 of 10 May is not yet given → 甲 好
    compute_quarter_grades(rid, user="t")
    assert stored(2025, 1)["甲"] == "好"
    # Q2 (Apr–Jun): 诫勉 bars 好 → 甲 较好; the places go to 乙 92 and 丙 91
    out = compute_quarter_grades(q2, user="t")
    assert stored(2025, 2) == {"甲": "较好", "乙": "好", "丙": "好", "丁": "较好", "戊": "较差"}
    assert "受诫勉，年度考核中不得评为优秀，本季度相应不得评为“好”" in (
        out.grading.person(ids["甲"]).explanation
    )


def test_tie_at_the_cap_line_is_stored_as_fairly_good_and_reported(q1):
    rid, ids = q1
    score_all(rid, ids, {"甲": 95, "乙": 90, "丙": 90, "丁": 70, "戊": 60})
    out = compute_quarter_grades(rid, user="t")
    # cap 2: 甲 takes one; 乙 and 丙 tie at 90 for the other → both 较好, one place empty
    assert stored() == {"甲": "好", "乙": "较好", "丙": "较好", "丁": "较好", "戊": "一般"}
    assert out.grading.warnings == (
        "“好”等次名额线并列：乙、丙（季度得分同为 90.00），空出 1 个“好”等次名额待考核委员会确定",
    )


def test_locked_round_is_refused_and_nothing_stored(q1):
    rid, ids = q1
    score_all(rid, ids, {"甲": 95, "乙": 92, "丙": 91, "丁": 70, "戊": 50})
    AssessmentRound.update(status=STATUS_APPROVED).where(AssessmentRound.id == rid).execute()
    logs = ChangeLog.select().count()
    with pytest.raises(DomainError) as e:
        compute_quarter_grades(rid, user="t")
    assert e.value.message == LOCKED_MESSAGE
    assert stored() == {}
    assert ChangeLog.select().count() == logs


def test_refused_once_the_annual_round_of_the_year_is_approved(q1):
    rid, ids = q1
    score_all(rid, ids, {"甲": 95, "乙": 92, "丙": 91, "丁": 70, "戊": 50})
    annual = create_round(2025, user="t").id
    AssessmentRound.update(status=STATUS_APPROVED).where(AssessmentRound.id == annual).execute()
    with pytest.raises(DomainError, match="2025年度考核已审定锁定，不能修改平时考核等次"):
        compute_quarter_grades(rid, user="t")
    assert stored() == {}


def test_bad_person_stores_nothing(q1):
    rid, ids = q1
    score_all(rid, ids, {"甲": 95, "乙": 92, "丙": 91, "丁": 70})
    set_scores(rid, [ScoreCell(ids["戊"], c, 80) for c in ("de", "neng", "qin")], user="t")
    set_quarter_grade(ids["甲"], 2025, 1, "一般", user="科员")
    logs = ChangeLog.select().count()
    with pytest.raises(ValidationError) as e:
        compute_quarter_grades(rid, user="t")
    # 戊 lacks 绩 and 廉: named with the round and the unit
    assert e.value.message == "2025年第1季度平时考核：戊（市委组织部）：缺少“绩”“廉”得分"
    assert stored() == {"甲": "一般"}  # the hand-entered grade is untouched, no others
    assert ChangeLog.select().count() == logs
    assert AssessmentRound.get_by_id(rid).graded_at is None


def test_annual_round_and_empty_round_are_refused(adb, units):
    annual = create_round(2025, user="t").id
    with pytest.raises(DomainError, match="是年度考核，请用“计算等次”"):
        compute_quarter_grades(annual, user="t")
    empty = create_round(2025, kind=KIND_QUARTERLY, quarter=3, user="t").id
    with pytest.raises(DomainError, match="还没有考核人员"):
        compute_quarter_grades(empty, user="t")


def test_quarterly_round_approved_only_once_everybody_has_a_grade(q1):
    """审定 of a 平时考核 round: refused while people the rules grade have no quarter grade
    (丙 on probation is 不定等次 and needs none); after 计算季度等次 it goes through."""
    rid, ids = q1
    score_all(rid, ids, {"甲": 95, "乙": 80, "丙": 70, "丁": 60, "戊": 50})
    set_member_flags(rid, ids["丙"], on_probation=True, reason="新录用", user="tester")
    set_quarter_grade(ids["甲"], 2025, 1, "好", user="tester")  # entered by hand
    submit_for_review(rid, user="tester")
    with pytest.raises(DomainError, match="乙、丁、戊还没有本季度平时考核等次"):
        approve_round(rid, user="tester")

    return_to_entry(rid, reason="补算季度等次", user="tester")
    compute_quarter_grades(rid, user="tester")
    submit_for_review(rid, user="tester")
    assert approve_round(rid, user="tester").status == STATUS_APPROVED


def test_quarter_report_names_units_caps_and_counts(q1):
    """The text ``grade --quarter`` prints: 5 people, 好 cap 40% × 5 = 2 (四舍五入);
    scores 95/92/80/60/50 → 好 2, 较好 1, 一般 1, 较差 1."""
    rid, ids = q1
    score_all(rid, ids, {"甲": 95, "乙": 92, "丙": 80, "丁": 60, "戊": 50})
    text = format_quarter_report(compute_quarter_grades(rid, user="tester"))
    first, unit, explanation = text.splitlines()[:3]
    assert first.startswith(
        "计算2025年第1季度平时考核等次 5 人（好 2 人、较好 1 人、一般 1 人、较差 1 人）"
    )
    assert unit == "【市委组织部】"
    assert "40%×5=2" in explanation


def _to_review(rid: int) -> None:

    submit_for_review(rid, user="tester")


def test_quarter_graded_by_hand_is_approved_and_then_locked(q1):
    """No scores at all: the five grades entered by hand in 人员情况 (2 好 = the cap of
    40% × 5) are enough to approve; afterwards the quarter's grades cannot change."""
    rid, ids = q1
    for name, grade in zip("甲乙丙丁戊", ("好", "好", "较好", "一般", "较差"), strict=True):
        set_quarter_grade(ids[name], 2025, 1, grade, user="tester")
    _to_review(rid)
    assert approve_round(rid, user="tester").status == STATUS_APPROVED
    with pytest.raises(DomainError, match="已审定锁定，不能修改第1季度平时考核等次"):
        set_quarter_grade(ids["戊"], 2025, 1, "一般", user="tester")
    assert stored()["戊"] == "较差"
    set_quarter_grade(ids["戊"], 2025, 2, "一般", user="tester")  # another quarter: open


def test_quarter_above_the_cap_or_against_a_rule_is_not_approved(q1):
    """Four 好 entered by hand (甲乙丙 and 戊) where the cap is 2 (40% × 5 = 2, 四舍五入);
    and 戊 under 诫勉 (barred from 优秀, so from 好) entered as 好: both named."""
    rid, ids = q1
    score_all(rid, ids, {"甲": 95, "乙": 92, "丙": 91, "丁": 60, "戊": 93})
    add_sanction(ids["戊"], "诫勉", dt.date(2025, 1, 10), user="tester")
    for name, grade in zip("甲乙丙丁戊", ("好", "好", "好", "一般", "好"), strict=True):
        set_quarter_grade(ids[name], 2025, 1, grade, user="tester")
    _to_review(rid)
    with pytest.raises(DomainError) as err:
        approve_round(rid, user="tester")
    text = str(err.value)
    assert "市委组织部：“好”等次 4 人，超过上限 2 人（40%×5=2，四舍五入为 2 名）" in text
    assert "戊：按规则不得评为“好”，现为“好”" in text


def test_hand_graded_quarter_names_who_is_missing_and_lets_probation_through(q1):
    """No scores at all: 甲乙丙 graded by hand, 丁 on probation (不定等次, needs no grade),
    戊 left without a grade → 审定 refused naming 戊 only; once 戊 has a grade it goes."""
    rid, ids = q1
    for name, grade in zip("甲乙丙", ("好", "较好", "一般"), strict=True):
        set_quarter_grade(ids[name], 2025, 1, grade, user="tester")
    set_member_flags(rid, ids["丁"], on_probation=True, reason="新录用", user="tester")
    _to_review(rid)
    with pytest.raises(DomainError) as err:
        approve_round(rid, user="tester")
    assert "戊还没有本季度平时考核等次" in str(err.value)
    assert "丁" not in str(err.value)
    return_to_entry(rid, reason="补定等次", user="tester")
    set_quarter_grade(ids["戊"], 2025, 1, "较好", user="tester")
    _to_review(rid)
    assert approve_round(rid, user="tester").status == STATUS_APPROVED


def test_rule_bars_are_checked_even_when_someone_has_no_scores(q1):
    """戊 has no scores (graded by hand), so the round cannot be graded as a whole; 丁 under
    诫勉 holding 好 is still refused, and so is 丙 on probation holding a grade."""
    rid, ids = q1
    score_all(rid, ids, {"甲": 95, "乙": 80, "丙": 70, "丁": 93})
    add_sanction(ids["丁"], "诫勉", dt.date(2025, 1, 10), user="tester")
    for name, grade in zip("甲乙丙丁戊", ("好", "较好", "较好", "好", "一般"), strict=True):
        set_quarter_grade(ids[name], 2025, 1, grade, user="tester")
    set_member_flags(rid, ids["丙"], on_probation=True, reason="新录用", user="tester")
    _to_review(rid)
    with pytest.raises(DomainError) as err:
        approve_round(rid, user="tester")
    text = str(err.value)
    assert "丁：按规则不得评为“好”，现为“好”" in text
    assert "丙：按规则本季度不定等次，却有“较好”等次" in text
    assert "戊" not in text  # graded by hand, no rule against 一般


def test_scheme_changed_after_computing_must_be_computed_again(q1):
    rid, ids = q1
    score_all(rid, ids, {"甲": 95, "乙": 86, "丙": 80, "丁": 60, "戊": 50})
    compute_quarter_grades(rid, user="tester")
    rules = get_round(rid).rules
    lowered = dataclasses.replace(rules.quarterly, good_min=Decimal(85))
    # no pause: an edit in the same second as the computing (the change log keeps whole
    # seconds) must count as made after it
    assert save_rules(rid, dataclasses.replace(rules, quarterly=lowered), user="tester") == []
    _to_review(rid)
    with pytest.raises(DomainError, match="考核方案在上次计算季度等次之后有修改"):
        approve_round(rid, user="tester")
    return_to_entry(rid, reason="重算", user="tester")
    compute_quarter_grades(rid, user="tester")
    _to_review(rid)
    assert approve_round(rid, user="tester").status == STATUS_APPROVED
