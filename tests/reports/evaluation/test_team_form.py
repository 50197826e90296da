"""The 领导班子年度考核登记表 on the demo database: the unit, its 班子成员 of the highest band,
its tasks, the five items and the 民主测评 by group as stored, the year-end scores with the
inspections' deductions, and the grade only once the year is approved (a year being worked
on prints "审定后填写" and no grade); one page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import main
from models.core.errors import DomainError
from models.evaluation import (
    TaskInput,
    grade_year,
    list_results,
    read_team,
    save_task,
    set_scores,
    set_team,
)
from models.evaluation.team import team_sheet
from models.roster.tables import Unit
from reports.evaluation import print_team_form
from tests.reports.conftest import assert_clean_pdf, squeeze

D = Decimal


def test_the_form_prints_what_the_year_holds(demo_eval, tmp_path) -> None:
    # a 县区领导班子 whose total lost points (督查 or 逾期自查): every part of the form shows
    r = next(
        r for r in list_results(2025)
        if r.unit.endswith("领导班子") and team_sheet(2025, r.unit_id).deduction
    )  # fmt: skip
    out = tmp_path / "班子.pdf"
    assert print_team_form(2025, r.unit_id, str(out)).pages == 1
    text = assert_clean_pdf(out)
    flat = squeeze(text)
    assert "领导班子年度考核登记表" in flat
    assert "（2025年度）" in flat
    s = team_sheet(2025, r.unit_id)
    assert s.members  # a 县区领导班子 of the demo has its 县处级 leaders
    assert all("科" not in post for _n, post in s.members)
    for name, _post in s.members:
        assert squeeze(name) in flat
    for item in ("思想政治建设", "领导水平", "工作实绩", "完成重点任务", "反腐倡廉"):
        assert item in flat
    team = read_team(2025, r.unit_id)
    staff = team.votes["staff"]
    # the 本单位干部职工 row: its counts in order 好 较好 一般 较差, then the sum
    row = flat[flat.index("本单位干部职工") :]
    counts = [staff.get(k, 0) for k in ("好", "较好", "一般", "较差")]
    assert row.startswith("本单位干部职工40%" + "".join(map(str, counts)) + str(sum(counts)))
    # the 年终考评 row ends in the rank among the units and the approved grade
    scores = flat[flat.index("四、年终考评") : flat.index("加分扣分事由")]
    assert f"{r.total:.2f}".rstrip("0").rstrip(".") in scores
    assert scores.endswith(f"{r.rank}/{s.units}{r.grade}")
    assert "审定后填写" not in flat
    assert "审定：" in flat
    # every point taken off is on the form, with its reason: the screen's figure
    assert s.deduction == r.all_deductions
    reasons = flat[flat.index("加分扣分事由") : flat.index("计分说明")]
    assert "扣分：" in reasons


def test_sixty_tasks_run_onto_the_next_page_and_nothing_is_lost(demo_eval, tmp_path) -> None:
    unit = Unit.get(Unit.name == "市审计局")
    titles = [f"第{k}项重点任务：整改审计发现问题并建立长效机制" for k in range(60)]
    for title in titles:
        save_task(TaskInput(2027, title, unit.id, weight=D(1)), user="考评办")
    out = tmp_path / "长.pdf"
    assert print_team_form(2027, unit.id, str(out)).pages >= 2
    flat = squeeze(assert_clean_pdf(out))
    assert all(squeeze(t) in flat for t in titles)
    assert flat.count("一、年度工作任务完成情况") >= 2  # the section's name repeated


def test_a_unit_with_nothing_that_year_gets_no_blank_form(demo_eval, tmp_path) -> None:
    unit = Unit.get(Unit.name == "市审计局")
    with pytest.raises(DomainError, match="在 1999 年度没有单位考评的任务和得分"):
        print_team_form(1999, unit.id, str(tmp_path / "空.pdf"))
    assert not (tmp_path / "空.pdf").exists()


def test_a_year_not_approved_prints_no_grade(demo_eval, tmp_path) -> None:
    unit = Unit.get(Unit.name == "市财政局")
    save_task(TaskInput(2026, "营商环境优化提升", unit.id, weight=D(60),
                        deadline=dt.date(2026, 11, 30)), user="考评办")  # fmt: skip
    set_scores(2026, unit.id, common=D(90), own=D(88), user="考评办")
    items = dict.fromkeys(("sxzz", "ldsp", "gzsj", "zdrw", "fflz"), D(90))
    set_team(2026, unit.id, items, {"leaders": {"好": 5}}, user="考评办")
    graded = grade_year(2026, user="考评办")
    # (90×40% + 88×60% = 88.8)×80% + 班子 (90×70% + 100×30% = 93)×20% = 71.04 + 18.6
    # = 89.64: computed, not yet approved
    assert (graded[0].total, graded[0].grade) == (D("89.64"), "较好")
    out = tmp_path / "未审定.pdf"
    print_team_form(2026, unit.id, str(out))
    flat = squeeze(assert_clean_pdf(out))
    section = flat[flat.index("年终考评") :]
    assert "审定后填写" in section
    assert "较好" not in section
    assert "89.64" in section
    assert "营商环境优化提升" in flat
    assert "审定：" not in flat


def test_the_command_prints_the_form(demo_eval_path, tmp_path, capsys) -> None:
    out = tmp_path / "f.pdf"
    db = str(demo_eval_path)
    assert main.main(["print", "team-form", "--db", db, "--year", "2025",
                      "--unit", "靖远县领导班子", "-o", str(out)]) == 0  # fmt: skip
    assert "已生成“靖远县领导班子”领导班子年度考核登记表" in capsys.readouterr().out
    assert "靖远县领导班子" in squeeze(assert_clean_pdf(out))
    assert main.main(["print", "team-form", "--db", db, "--year", "2025",
                      "--unit", "没有这个单位", "-o", str(out)]) == 1  # fmt: skip
    assert "没有这个单位" in capsys.readouterr().err
