"""五项考核 database half: rounds, scheme editing, score entry, grading, overrides, locking and
the change log. Expected values are worked by hand in the comments.

Default rules: items 德20/能15/勤15/绩30/廉20 (full 100); rater groups 上级领导 0.3, 同级 0.3,
下级 0.2, 服务对象 0.2; votes 100/80/60/40; composite = 测评×40% + 项目×60% + 加分 − 扣分;
优秀 ≥ 90, 称职 ≥ 66, 基本称职 ≥ 55; quota 20% 四舍五入, at least one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from models.assessment import (
    LOCKED_MESSAGE,
    ScoreCell,
    VoteEntry,
    add_adjustment,
    add_sanction,
    add_unit_members,
    approve_round,
    create_round,
    get_round,
    person_history,
    person_scores,
    round_history,
    save_rules,
    set_cells,
    set_group_averages,
    set_member_flags,
    set_quarter_grade,
    set_raised_quota,
    set_score,
    set_scores,
    set_veto_failure,
    set_votes,
    submit_for_review,
    unlock_round,
)
from models.assessment.grading import clear_override, compute_grades, set_override
from models.assessment.results import (
    format_grade_report,
    grade_command,
    person_sheet,
    round_overview,
)
from models.assessment.rules import Grade, SchemeItem
from models.assessment.tables import ASSESSMENT_TABLES, GradeResult, ItemScore
from models.core.errors import DomainError, ValidationError
from models.roster.service import delete_cadre
from models.roster.tables import Cadre

D = Decimal
ITEMS = ("de", "neng", "qin", "ji", "lian")
GROUPS = ("superior", "peer", "subordinate", "served")


@pytest.fixture
def adb(database):
    database.create_tables(ASSESSMENT_TABLES)
    return database


def make_cadre(name: str, unit_id: int, n: int, level: str = "") -> int:
    return Cadre.create(
        name=name,
        sex="男",
        birth_date=dt.date(1980, 1, 1),
        unit=unit_id,
        id_card=f"62040219800101{n:04d}",
        leadership_level=level,
        post_title="科员",
    ).id


@pytest.fixture
def org(adb, units):
    """市委组织部 with five cadres 甲..戊, all in the 2025 annual round."""
    ids = {name: make_cadre(name, units["org"], i) for i, name in enumerate("甲乙丙丁戊", 1)}
    rnd = create_round(2025, user="tester")
    assert add_unit_members(rnd.id, units["org"], user="tester") == 5
    return rnd.id, ids


def fill(round_id: int, cadre_id: int, score: int | str) -> None:
    """Every item and every group average = score, so the composite = score."""
    set_scores(round_id, [ScoreCell(cadre_id, c, score) for c in ITEMS], user="tester")
    set_group_averages(round_id, cadre_id, dict.fromkeys(GROUPS, score), user="tester")


def test_round_from_default_rules_and_copy_of_last_year(adb):
    r25 = create_round(2025)
    assert [i.name for i in r25.rules.items] == ["德", "能", "勤", "绩", "廉"]
    assert r25.status == "录入"
    rules = dataclasses.replace(
        r25.rules,
        items=(
            *r25.rules.items[:3],
            dataclasses.replace(r25.rules.items[3], key_topic="城市转型", key_topic_weight=D(10)),
            r25.rules.items[4],
        ),
    )
    assert save_rules(r25.id, rules, reason="城市转型加大赋分") == []
    r26 = create_round(2026, copy_previous=True)
    assert r26.rules.items[3].key_topic == "城市转型"
    assert r26.rules.items[3].effective_weight == D(40)
    with pytest.raises(DomainError, match="已经建立"):
        create_round(2026)


def test_copied_scheme_carries_the_new_year_in_its_name(adb):
    r24 = create_round(2024)
    r25 = create_round(2025, copy_previous=True)
    assert r25.rules.name == r24.rules.name  # a name without a year is kept
    named = dataclasses.replace(r25.rules, name="2025年度考核方案")
    assert save_rules(r25.id, named, reason="改名") == []
    assert create_round(2026, copy_previous=True).rules.name == "2026年度考核方案"
    # copied from a named round two years back, and a name that kept an older year
    r27 = create_round(2027, copy_from=r25.id)
    assert r27.rules.name == "2027年度考核方案"
    old = dataclasses.replace(r27.rules, name="市直机关2023年度五项考核方案（修订）")
    assert save_rules(r27.id, old, reason="改名") == []
    assert (
        create_round(2028, copy_previous=True).rules.name == "市直机关2028年度五项考核方案（修订）"
    )


def test_scheme_with_bad_weights_is_refused_and_issues_returned(adb):
    rnd = create_round(2025)
    extra = SchemeItem("tese", "特色工作", D(10))  # 个性 item: weights now add to 110
    issues = save_rules(rnd.id, dataclasses.replace(rnd.rules, items=(*rnd.rules.items, extra)))
    assert any("合计为 110，应为 100（多 10）" in i.message for i in issues)
    assert get_round(rnd.id).rules.items == rnd.rules.items  # nothing saved
    # make room: 绩 30 → 20, then the 个性 item fits
    items = list(rnd.rules.items)
    items[3] = dataclasses.replace(items[3], weight=D(20))
    assert save_rules(rnd.id, dataclasses.replace(rnd.rules, items=(*items, extra))) == []
    assert [i.name for i in get_round(rnd.id).rules.items][-1] == "特色工作"


def test_scheme_cannot_drop_an_item_that_has_scores(org):
    rid, ids = org
    set_score(rid, ids["甲"], "lian", 90)
    rules = get_round(rid).rules
    items = list(rules.items[:4])
    items[0] = dataclasses.replace(items[0], weight=D(40))
    issues = save_rules(rid, dataclasses.replace(rules, items=tuple(items)))
    assert any("已录入 1 条得分" in i.message for i in issues)


def test_score_out_of_range_names_person_and_item(org):
    rid, ids = org
    with pytest.raises(ValidationError) as e:
        set_score(rid, ids["甲"], "de", "120")
    assert "甲（市委组织部）的“德”得分" in e.value.message
    assert "120 超出 0–100" in e.value.message
    with pytest.raises(ValidationError, match="“abc”不是数字"):
        set_score(rid, ids["乙"], "neng", "abc")
    assert ItemScore.select().count() == 0


def test_block_paste_is_all_or_nothing(org):
    rid, ids = org
    good = [ScoreCell(ids["甲"], c, 90) for c in ITEMS]
    bad = [ScoreCell(ids["乙"], "de", 95), ScoreCell(ids["乙"], "ji", -1)]
    with pytest.raises(ValidationError) as e:
        set_scores(rid, good + bad)
    assert "乙（市委组织部）的“绩”得分" in e.value.message
    assert ItemScore.select().count() == 0  # not even 甲's five good cells
    assert set_scores(rid, good + bad[:1]) == 6
    assert ItemScore.select().count() == 6
    # pasting the same values again changes nothing
    assert set_scores(rid, good) == 0


def test_grading_stored_and_explained(org):
    rid, ids = org
    for name, score in zip("甲乙丙丁戊", (95, 92, 80, 60, 50), strict=True):
        fill(rid, ids[name], score)
    result = compute_grades(rid, user="tester")
    # 5 people × 20% = 1 → one 优秀: 甲 (95); 乙 (92) is above 90 but outside the quota
    grades = {r.name: r.proposed_grade.value for r in result.people}
    assert grades == {"甲": "优秀", "乙": "称职", "丙": "称职", "丁": "基本称职", "戊": "不称职"}
    stored = {r.cadre_id: (r.composite, r.rank, r.final_grade) for r in GradeResult.select()}
    assert stored[ids["甲"]] == ("95.00", 1, "优秀")
    assert stored[ids["丁"]] == ("60.00", 4, "基本称职")
    ov = round_overview(rid)
    (pool,) = ov.pools
    assert pool.quota == 1
    assert "20%×5=1，四舍五入为 1 名" in pool.quota_text
    assert pool.counts["优秀"] == 1
    assert pool.counts["不称职"] == 1
    assert [r.name for r in pool.rows] == ["甲", "乙", "丙", "丁", "戊"]
    assert "排名未进入优秀名额（1 名）" in pool.rows[1].explanation
    report = format_grade_report(2025)
    assert "【市委组织部】5 人" in report
    assert "优秀 1，称职 2，基本称职 1，不称职 1" in report


def test_votes_adjustment_and_person_sheet(org):
    rid, ids = org
    pid = ids["甲"]
    set_scores(
        rid, [ScoreCell(pid, c, v) for c, v in zip(ITEMS, (90, 80, 85, 95, 100), strict=True)]
    )
    set_votes(
        rid,
        pid,
        {
            "superior": {"优秀": 8, "称职": 2},  # (800 + 160) / 10 = 96
            "peer": {"优秀": 5, "称职": 5},  # 90
            "subordinate": {"优秀": 10},  # 100
            "served": {"称职": 10},  # 80
        },
    )
    adj = add_adjustment(rid, pid, "2", "特色工作加分：城市转型项目")
    assert adj.warnings == ()
    big = add_adjustment(rid, pid, 4, "获省级表彰")
    assert "加分合计 6 超过上限 5" in big.warnings[0]
    for name in "乙丙丁戊":
        fill(rid, ids[name], 70)
    result = compute_grades(rid)
    me = result.person(pid)
    # 测评 96×.3 + 90×.3 + 100×.2 + 80×.2 = 91.8
    # 项目 90×.2 + 80×.15 + 85×.15 + 95×.3 + 100×.2 = 91.25
    # 综合 91.8×.4 + 91.25×.6 + min(6, 5) = 36.72 + 54.75 + 5 = 96.47
    assert me.evaluation_score == D("91.80")
    assert me.items_score == D("91.25")
    assert me.composite == D("96.47")
    assert "合计 6，封顶 5" in me.explanation
    sheet = person_sheet(rid, pid)
    assert sheet.composite == D("96.47")
    assert (sheet.rank, sheet.pool_size) == (1, 5)
    assert [(i.name, i.weight, i.weighted) for i in sheet.items][3] == ("绩", D(30), D("28.50"))
    sup = sheet.groups[0]
    assert (sup.name, sup.weight, sup.score, sup.weighted, sup.raters) == (
        "上级领导",
        D(30),
        D("96.00"),
        D("28.80"),
        10,
    )
    assert sheet.final_grade == "优秀"
    assert [p for _r, p in sheet.adjustments] == [D(2), D(4)]


def test_sanction_probation_and_veto_in_the_database(org, units):
    rid, ids = org
    for name in "甲乙丙丁戊":
        fill(rid, ids[name], 95)
    add_sanction(ids["甲"], "诫勉", dt.date(2025, 3, 1), note="工作失职")
    set_member_flags(rid, ids["乙"], on_probation=True, reason="2025 年新录用")
    set_quarter_grade(ids["丙"], 2025, 2, "较差")
    # 一票否决 needs a veto item in the scheme
    rules = get_round(rid).rules
    veto = SchemeItem("safety", "安全生产", D(0), is_veto=True, veto_max_grade=Grade.BASIC)
    assert save_rules(rid, dataclasses.replace(rules, items=(*rules.items, veto))) == []
    set_veto_failure(rid, ids["丁"], "safety", True, reason="发生较大安全事故")
    result = compute_grades(rid)
    g = {r.name: r for r in result.people}
    assert g["甲"].proposed_grade.value == "称职"
    assert "受诫勉，本年度不得评为优秀" in g["甲"].explanation
    assert g["乙"].proposed_grade.value == "不定等次"
    assert g["丙"].proposed_grade.value == "称职"  # 第 2 季度 较差
    assert g["丁"].proposed_grade.value == "基本称职"
    assert g["戊"].proposed_grade.value == "优秀"  # the only one left who may be 优秀
    # a sanction of 2023 (诫勉 affects one year only) does not reach 2025
    add_sanction(ids["戊"], "admonition", dt.date(2023, 5, 1))
    assert compute_grades(rid).person(ids["戊"]).proposed_grade.value == "优秀"
    assert person_sheet(rid, ids["甲"]).rewards_sanctions.startswith("诫勉（2025.03）")


def test_override_needs_approval_above_quota(adb, units):
    # 乌兰镇, 10 people: quota 20% × 10 = 2; approved maximum 25% × 10 = 2.5 → 四舍五入 3
    ids = [make_cadre(f"镇{i}", units["town"], 100 + i) for i in range(10)]
    rid = create_round(2025).id
    add_unit_members(rid, units["town"])
    for i, cid in enumerate(ids):
        fill(rid, cid, 95 - i)  # 95, 94, ... 86: the first two are 优秀
    compute_grades(rid)
    set_override(rid, ids[3], "优秀", "抗洪抢险表现突出")  # 92 → 优秀, displaces 94
    assert GradeResult.get(GradeResult.cadre == ids[1]).final_grade == "称职"
    set_override(rid, ids[2], "优秀", "重大项目牵头人")  # 93 → 优秀, displaces 95
    # a third 优秀 by the committee goes above the quota of 2: refused without approval
    with pytest.raises(DomainError, match="超出名额"):
        set_override(rid, ids[4], "优秀", "招商引资成绩突出")
    assert GradeResult.get(GradeResult.cadre == ids[4]).final_grade == "称职"
    # approval must cover every committee 优秀 above the quota: the two earlier ones were not
    with pytest.raises(DomainError, match="镇2（.*）、镇3（.*） 的调整未经批准"):
        set_override(rid, ids[4], "优秀", "招商引资成绩突出", approved=True)
    # the pool is approved to use the maximum percentage: quota 3, the third place fits
    set_raised_quota(rid, "乌兰镇", True, reason="市委批准（重大任务单位）")
    res = set_override(rid, ids[4], "优秀", "招商引资成绩突出")
    assert res.proposed_grade.value == "优秀"
    # a fourth is above even the approved maximum of 3
    with pytest.raises(DomainError, match="超出名额"):
        set_override(rid, ids[5], "优秀", "理由")
    for cid in ids[2:5]:
        set_override(rid, cid, "优秀", "经批准", approved=True)
    with pytest.raises(DomainError, match="即使经批准也不能超过"):
        set_override(rid, ids[5], "优秀", "经批准", approved=True)
    excellent = GradeResult.select().where(GradeResult.final_grade == "优秀").count()
    assert excellent == 3


def test_override_within_quota_and_clear(org):
    rid, ids = org
    for name, score in zip("甲乙丙丁戊", (95, 92, 80, 70, 70), strict=True):
        fill(rid, ids[name], score)
    compute_grades(rid)
    # the committee gives the one 优秀 place to 乙 instead: 甲 is displaced to 称职
    res = set_override(rid, ids["乙"], "优秀", "年度重点工作成绩突出")
    assert res.proposed_grade.value == "优秀"
    assert res.system_grade.value == "称职"
    stored = {r.cadre_id: r for r in GradeResult.select()}
    assert stored[ids["甲"]].final_grade == "称职"
    assert stored[ids["乙"]].override_grade == "优秀"
    # a recomputation keeps the committee's decision
    compute_grades(rid)
    assert GradeResult.get(GradeResult.cadre == ids["乙"]).final_grade == "优秀"
    hist = person_history(rid, ids["乙"])
    entry = next(h for h in hist if h.field == "考核委员会调整等次")
    assert (entry.old_value, entry.new_value, entry.reason) == ("", "优秀", "年度重点工作成绩突出")
    clear_override(rid, ids["乙"], reason="复议撤销")
    assert GradeResult.get(GradeResult.cadre == ids["甲"]).final_grade == "优秀"


def test_lock_prevents_changes_and_unlock_needs_reason(org):
    rid, ids = org
    for name in "甲乙丙丁戊":
        fill(rid, ids[name], 80)
    compute_grades(rid)
    submit_for_review(rid)
    approve_round(rid, user="部长")
    rnd = get_round(rid)
    assert rnd.locked
    assert rnd.locked_by == "部长"
    for change in (
        lambda: set_score(rid, ids["甲"], "de", 81),
        lambda: compute_grades(rid),
        lambda: set_override(rid, ids["甲"], "基本称职", "理由"),
        lambda: add_adjustment(rid, ids["甲"], 1, "理由"),
        lambda: save_rules(rid, rnd.rules),
        lambda: set_quarter_grade(ids["甲"], 2025, 1, "好"),
        lambda: add_sanction(ids["甲"], "诫勉", dt.date(2025, 3, 1), note="x"),
    ):
        with pytest.raises(DomainError, match="审定锁定"):
            change()
    assert LOCKED_MESSAGE == "本轮考核已审定锁定，不能修改"
    with pytest.raises(DomainError, match="必须填写理由"):
        unlock_round(rid, reason=" ")
    unlock_round(rid, reason="复核发现得分录入错误", user="部长")
    assert set_score(rid, ids["甲"], "de", 81) == D(81)
    statuses = [
        (h.old_value, h.new_value, h.reason) for h in round_history(rid) if h.field == "status"
    ]
    assert statuses[0] == ("审定", "审核", "复核发现得分录入错误")
    assert ("审核", "审定", "") in statuses


def test_approve_needs_grades(org):
    rid, ids = org
    submit_for_review(rid)
    with pytest.raises(DomainError, match="还没有计算等次"):
        approve_round(rid)


def test_audit_records_old_and_new_score(org):
    rid, ids = org
    set_score(rid, ids["甲"], "ji", 88, user="录入员", reason="初录")
    set_score(rid, ids["甲"], "ji", "90.5", user="审核员", reason="更正")
    set_score(rid, ids["甲"], "ji", None, user="审核员", reason="清空")
    h = [
        (c.user, c.field, c.old_value, c.new_value, c.reason)
        for c in person_history(rid, ids["甲"])
    ]
    assert ("录入员", "绩得分", "", "88", "初录") in h
    assert ("审核员", "绩得分", "88", "90.5", "更正") in h
    assert ("审核员", "绩得分", "90.5", "", "清空") in h


def test_votes_and_averages_are_exclusive(org):
    rid, ids = org
    set_votes(rid, ids["甲"], {"superior": {"优秀": 3}})
    with pytest.raises(ValidationError, match="已录入民主测评票数"):
        set_group_averages(rid, ids["甲"], {"peer": 90})
    with pytest.raises(ValidationError, match="不是不小于 0 的整数"):
        set_votes(rid, ids["乙"], {"peer": {"优秀": "-2"}})


def test_missing_scores_listed_in_overview_and_grading_refused(org):
    rid, ids = org
    fill(rid, ids["甲"], 90)
    ov = round_overview(rid)
    without = {r.name: r.missing for r in ov.pools[0].without_scores}
    assert without["乙"] == ("德", "能", "勤", "绩", "廉", "民主测评")
    assert "甲" not in without
    with pytest.raises(ValidationError, match="乙"):
        compute_grades(rid)
    assert GradeResult.select().count() == 0


def test_grade_report_of_a_partly_entered_round(org, units):
    """The ``grade`` report and the overview agree on who lacks what: 甲 complete; 乙 only
    德 and 能 plus one 上级领导 vote; 丙 nothing; 丁 does not take part; 戊 has every item but
    only 0 votes (no valid vote). A second unit (乌兰镇, one complete person) is left out by
    the unit filter."""
    rid, ids = org
    fill(rid, ids["甲"], 90)
    set_scores(rid, [ScoreCell(ids["乙"], "de", 18), ScoreCell(ids["乙"], "neng", 12)])
    set_votes(rid, ids["乙"], {"superior": {"优秀": 1}})
    set_member_flags(rid, ids["丁"], not_participating="借调省委", reason="借调")
    set_scores(rid, [ScoreCell(ids["戊"], c, 10) for c in ITEMS])
    set_votes(rid, ids["戊"], {"peer": {"称职": 0}})
    town = make_cadre("己", units["town"], 9)
    add_unit_members(rid, units["town"])
    fill(rid, town, 80)

    ov = round_overview(rid, units["org"])
    (pool,) = ov.pools
    missing = {r.name: r.missing for r in pool.rows}
    assert missing == {
        "甲": (),
        "乙": ("勤", "绩", "廉"),
        "丙": ("德", "能", "勤", "绩", "廉", "民主测评"),
        "戊": ("民主测评",),
    }
    assert ov.not_participating == (("丁", "市委组织部", "借调省委"),)

    report = format_grade_report(2025, units["org"])
    assert "：4 人参加考核，1 个考核范围" in report
    # 20% × 4 = 0.8, 四舍五入 1
    assert "【市委组织部】4 人；优秀名额 20%×4=0.8，四舍五入为 1 名" in report
    assert "等次：尚未计算" in report
    assert (
        "未录入完整：乙（缺勤、绩、廉）、丙（缺德、能、勤、绩、廉、民主测评）、戊（缺民主测评）"
        in report
    )
    assert "不参加考核：丁（市委组织部）借调省委" in report
    assert "乌兰镇" not in report
    assert "己" not in report
    whole = format_grade_report(2025)
    assert "【乌兰镇】1 人" in whole
    assert "：5 人参加考核，2 个考核范围" in whole


def test_grade_command_prints_what_is_stored(org):
    """The report printed right after grading (built from the engine's result) is the text
    read back from the database: 丁 does not take part; 甲 95 and 乙 95 tie on everything at
    the quota line (4 people × 20% = 0.8 → 1 place), so neither gets it and both are named."""
    rid, ids = org
    for name, score in zip("甲乙丙戊", (95, 95, 80, 70), strict=True):
        fill(rid, ids[name], score)
    set_member_flags(rid, ids["丁"], not_participating="病休", reason="病休")
    text = grade_command(2025, user="tester")
    assert text == "已计算 4 人的等次（1 个考核范围）。\n" + format_grade_report(2025)
    assert "【市委组织部】4 人；优秀名额 20%×4=0.8，四舍五入为 1 名" in text
    assert "  等次：称职 4" in text
    assert "  甲：名额线完全并列，需考核委员会确定" in text
    assert "  乙：名额线完全并列，需考核委员会确定" in text
    assert text.endswith("不参加考核：丁（市委组织部）病休")


def test_cadre_with_scores_cannot_be_deleted(org):
    rid, ids = org
    set_score(rid, ids["甲"], "de", 90)
    with pytest.raises(DomainError, match="考核得分记录 1 条"):
        delete_cadre(ids["甲"])


def test_approve_refuses_grades_computed_before_the_data_changed(org):
    rid, ids = org
    for name in "甲乙丙丁戊":
        fill(rid, ids[name], 80)
    compute_grades(rid)
    submit_for_review(rid)
    set_score(rid, ids["乙"], "ji", 99, reason="审核时更正")  # still allowed in 审核
    # 乙 moves to first place, so everyone's stored rank is out of date
    with pytest.raises(DomainError, match="甲、乙、丙、丁、戊的考核数据在上次计算等次之后有变化"):
        approve_round(rid)
    assert not get_round(rid).locked
    compute_grades(rid)
    assert approve_round(rid).locked


def test_scores_and_votes_of_one_selection_change_together_or_not_at_all(org):
    rid, ids = org
    fill(rid, ids["甲"], 80)
    before = person_scores(rid, ids["甲"])
    bad_votes = [VoteEntry(ids["甲"], {"nosuchgroup": {"优秀": 1}})]
    with pytest.raises(DomainError):
        set_cells(rid, [ScoreCell(ids["甲"], "de", None)], bad_votes)
    assert person_scores(rid, ids["甲"]) == before  # the score was not cleared either
