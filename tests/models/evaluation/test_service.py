"""单位考评 from the database, as a 考评办 runs a year: the task breakdown entered and imported
from the xlsx (all rows or none, the bad cell named), quarterly self-checks with their
deadline (a late one only with approval, then marked late and costing points), year-end
scores (a bonus above the cap refused), grading (refused while a lead unit has no scores),
approval that locks the year, and the result used: a 好 unit's staff get the larger 优秀
quota in the cadres' annual round."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from models.assessment import add_unit_members, create_round
from models.assessment.grading import grade_and_store
from models.assessment.results import round_overview
from models.core.audit import ChangeLog
from models.core.errors import DomainError, ValidationError
from models.evaluation import (
    TASK_HEADERS,
    TaskInput,
    apply_to_round,
    approve_year,
    grade_year,
    import_tasks,
    list_checks,
    list_results,
    list_tasks,
    save_task,
    set_scores,
    staff_shares,
    submit_check,
    year_status,
)
from models.evaluation.tables import WorkTask
from tests.fixtures.sheets import book
from tests.models.assessment.test_service import adb, fill, make_cadre  # noqa: F401

D = Decimal
Y = 2025


def test_tasks_entered_listed_by_unit_and_audited(plan, units) -> None:
    a, b = plan
    assert [t.title for t in list_tasks(Y)] == ["干部教育培训全覆盖", "乡村振兴示范村建设"]
    mine = list_tasks(Y, units["town"])
    assert [(t.title, t.key_topic, t.lead_unit, t.responsible) for t in mine] == [
        ("乡村振兴示范村建设", True, "乌兰镇", "王镇长")
    ]
    assert ChangeLog.select().where(ChangeLog.entity == "work_task").count() >= 2
    with pytest.raises(ValidationError, match="分值应在 0–100 之间，现为 120"):
        save_task(TaskInput(Y, "超分任务", units["org"], weight=D(120)))
    with pytest.raises(ValidationError, match="类别应为“共性”或“个性”"):
        save_task(TaskInput(Y, "错类任务", units["org"], category="其他"))


def test_import_is_all_or_nothing_and_names_the_bad_cell(adb, units, tmp_path) -> None:  # noqa: F811
    header = list(TASK_HEADERS)
    good = ["党建引领基层治理", "个性", "是", "建成示范点 3 个", 25, "2025-11-30", "乌兰镇",
            "靖远县", "李书记"]  # fmt: skip
    bad = ["招商引资", "个性", "", "", "三十", "2025-10-31", "乌兰镇", "", ""]
    path = book(tmp_path / "任务分解表.xlsx", header, [good, bad])
    with pytest.raises(ValidationError) as err:
        import_tasks(Y, path)
    assert "“任务分解表.xlsx”第3行E列【分值】" in str(err.value)
    assert "“三十”不是数字" in str(err.value)
    assert WorkTask.select().count() == 0  # nothing half-saved
    unknown = book(tmp_path / "单位错.xlsx", header, [[*good[:6], "不存在的单位", "", ""]])
    with pytest.raises(ValidationError, match="第2行G列【牵头单位】：找不到单位“不存在的单位”"):
        import_tasks(Y, unknown)
    path = book(tmp_path / "任务分解表.xlsx", header, [good])
    assert import_tasks(Y, path) == 1
    t = list_tasks(Y)[0]
    assert (t.title, t.key_topic, t.weight, t.deadline, t.lead_unit, t.co_units) == (
        "党建引领基层治理",
        True,
        D(25),
        dt.date(2025, 11, 30),
        "乌兰镇",
        "靖远县",
    )


def test_self_check_deadline_late_approval_and_lock(plan, units) -> None:
    _a, b = plan
    # Q1 ends 03-31, due 10 days later: 04-10 on time
    c = submit_check(b, 1, "完成规划编制", D(90), today=dt.date(Y, 4, 10), user="乌兰镇")
    assert not c.late
    with pytest.raises(DomainError, match=r"已过截止日期（2025年7月10日），须经考评办同意后补报"):
        submit_check(b, 2, "完成一期建设", D(88), today=dt.date(Y, 7, 11))
    assert [x.quarter for x in list_checks(b)] == [1]
    late = submit_check(b, 2, "完成一期建设", D(88), today=dt.date(Y, 7, 11), late_approved=True)
    assert late.late
    with pytest.raises(DomainError, match="第 4 季度尚未开始，不能提前自查"):
        submit_check(b, 4, "计划", None, today=dt.date(Y, 9, 30))
    # on the quarter's first day it may be filed (early, not late)
    assert not submit_check(b, 4, "计划", None, today=dt.date(Y, 10, 1)).late
    with pytest.raises(DomainError, match="自评分应在 0–100 之间"):
        submit_check(b, 3, "推进中", D(101), today=dt.date(Y, 10, 1))


def test_year_end_grading_approval_and_the_staff_quota(plan, units) -> None:
    _a, b = plan
    submit_check(b, 2, "补报", D(80), today=dt.date(Y, 7, 20), late_approved=True)
    with pytest.raises(DomainError, match="特色、创新工作加分最多 5 分，现为 6"):
        set_scores(Y, units["org"], common=D(95), own=D(95), bonus=D(6), bonus_reason="创新")
    set_scores(Y, units["org"], common=D(95), own=D(95), user="考评办")
    with pytest.raises(
        DomainError, match="还有 1 个单位的年终评分不全：乌兰镇（共性得分、个性得分）"
    ):
        grade_year(Y)
    set_scores(Y, units["town"], common=D(85), own=D(80), user="考评办")
    results = grade_year(Y, user="考评办")
    # 95 → 好 (30%×2 → 1 place); 乌兰镇 85×0.4 + 80×0.6 = 82, one late self-check −0.5 = 81.5
    assert [(r.unit, r.total, r.rank, r.grade) for r in results] == [
        ("市委组织部", D("95.00"), 1, "好"),
        ("乌兰镇", D("81.50"), 2, "较好"),
    ]
    assert "逾期自查 1 次扣 0.5" in results[1].explanation
    assert staff_shares(Y) == {}  # not approved yet
    approve_year(Y, user="部长")
    assert staff_shares(Y) == {"市委组织部": D(25), "乌兰镇": D(20)}
    with pytest.raises(DomainError, match="2025年度单位考评已于 .* 由 部长 审定，不能再修改"):
        set_scores(Y, units["town"], common=D(99), own=D(99))
    with pytest.raises(DomainError, match="已于 .* 审定"):
        submit_check(b, 3, "推进", D(90), today=dt.date(Y, 10, 5))
    assert [r.grade for r in list_results(Y)] == ["好", "较好"]

    # the cadres' round: ten in each unit, all scored alike; 25 % vs 20 % of ten
    ids = [make_cadre(f"组{k}", units["org"], k) for k in range(10)]
    ids += [make_cadre(f"镇{k}", units["town"], 100 + k) for k in range(10)]
    rid = create_round(Y, user="tester").id
    add_unit_members(rid, units["org"], user="tester")
    add_unit_members(rid, units["town"], user="tester")
    for n, cid in enumerate(ids):
        fill(rid, cid, 90 + n % 10)
    before = {p.unit: p.quota for p in round_overview(rid).pools}
    assert before == {"市委组织部": 2, "乌兰镇": 2}  # the round's 20 %
    assert apply_to_round(rid, Y, user="干部科") == {"市委组织部": D(25), "乌兰镇": D(20)}
    grade_and_store(rid, user="tester")
    pools = {p.unit: p for p in round_overview(rid).pools}
    assert (pools["市委组织部"].quota, pools["乌兰镇"].quota) == (3, 2)  # 2.5 → 3; 2
    assert (pools["市委组织部"].excellent, pools["乌兰镇"].excellent) == (3, 2)
    assert "25%×10=2.5" in pools["市委组织部"].quota_text
    logged = ChangeLog.select().where(ChangeLog.reason.contains("按2025年度单位考评等次"))
    assert logged.count() >= 1


def test_results_cannot_be_used_before_approval(plan, units) -> None:
    rid = create_round(Y, user="tester").id
    with pytest.raises(DomainError, match="2025年度单位考评尚未审定"):
        apply_to_round(rid, Y)


def test_approval_is_refused_before_grading_and_after_a_later_change(plan, units) -> None:
    set_scores(Y, units["org"], common=D(95), own=D(95), user="考评办")
    set_scores(Y, units["town"], common=D(85), own=D(80), user="考评办")
    with pytest.raises(DomainError, match="还有单位没有计算等次，请先计算等次再审定"):
        approve_year(Y, user="部长")
    grade_year(Y, user="考评办")
    # a score corrected after the grades were computed: approving would lock stale grades
    set_scores(Y, units["town"], common=D(99), own=D(99), user="考评办")
    with pytest.raises(DomainError, match="在计算等次后又有修改（涉及 .*乌兰镇"):
        approve_year(Y, user="部长")
    assert year_status(Y) == "录入"
    results = {r.unit: r for r in grade_year(Y, user="考评办")}
    assert results["乌兰镇"].total == D("99.00")
    approve_year(Y, user="部长")
    assert year_status(Y) == "审定"
