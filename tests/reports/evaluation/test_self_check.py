"""A unit's 季度自查表: each quarter shows every task the unit leads with its progress,
self-score and problems, whether it came on time, late (逾期补报) or not at all, who filed it
and when; one quarter prints that quarter only; the unit signs and seals it; a unit that
leads no task is refused, named."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from models.core.errors import DomainError
from models.evaluation import TaskInput, list_checks, list_tasks, save_task, submit_check
from reports.evaluation import print_self_check, self_check_report
from tests.reports.conftest import assert_clean_pdf, pdf_text, squeeze

Y = 2025


@pytest.fixture
def town_task(units, bundled_fonts) -> int:  # noqa: ANN001
    """乌兰镇's task with Q1 on time, Q2 late (with consent), Q3 not filed, Q4 not yet due."""
    task = TaskInput(Y, "乡村振兴示范村建设", units["town"], key_topic=True,
                     target="建成示范村 3 个", weight=Decimal(30))  # fmt: skip
    t = save_task(task, user="考评办")
    submit_check(t.id, 1, "完成规划编制\n启动第一个村", Decimal(88), "资金到位慢",
                 today=dt.date(Y, 4, 5), user="王镇长")  # fmt: skip
    submit_check(t.id, 2, "完成一期建设", Decimal(90), today=dt.date(Y, 7, 20),
                 late_approved=True, user="李干事")  # fmt: skip
    return t.id


def _marks(flat: str) -> str:
    """The 报送情况 marks of a squeezed text (not the counts in the quarter lines or the note)."""
    rest = flat.replace("其中逾期补报", "").replace("每项逾期补报", "")
    return " ".join(
        m for m in ("按时报送", "逾期补报", "未报送（已逾期）", "未到截止日期") if m in rest
    )


def test_the_year_shows_each_quarter_with_its_deadline_and_counts(town_task, units, tmp_path):
    out = tmp_path / "自查表.pdf"
    printed = print_self_check(Y, units["town"], "乌兰镇", None, out, day=dt.date(Y, 11, 1))
    assert printed.rows == 1
    assert_clean_pdf(out)
    flat = squeeze(pdf_text(out))
    assert flat.startswith("2025年度工作任务自查表填报单位：乌兰镇牵头任务1项")
    heads = [
        "第一季度自查截止：2025年4月10日已报送1项（其中逾期补报0项），未报送0项",
        "第二季度自查截止：2025年7月10日已报送1项（其中逾期补报1项），未报送0项",
        "第三季度自查截止：2025年10月10日已报送0项（其中逾期补报0项），未报送1项（已逾期1项）",
        "第四季度自查截止：2026年1月10日已报送0项（其中逾期补报0项），未报送1项",
    ]
    at = [flat.index(h) for h in heads]
    assert at == sorted(at)
    assert flat.count("乡村振兴示范村建设（年度重点工作）") == 4
    assert _marks(flat) == "按时报送 逾期补报 未报送（已逾期） 未到截止日期"
    for blank in ("单位主要负责人（签字）：", "填表人：", "单位（盖章）"):
        assert blank in flat
    assert "逾期须经考评办同意后补报，每项逾期补报在年终考评中扣0.5分" in flat


@pytest.mark.parametrize(
    ("quarter", "shown", "mark"),
    [
        (1, ["完成规划编制启动第一个村", "88", "资金到位慢", "王镇长"], "按时报送"),
        (2, ["完成一期建设", "90", "李干事"], "逾期补报"),
        (3, [], "未报送（已逾期）"),  # due 2025-10-10, nothing filed by 11-01
        (4, [], "未到截止日期"),
    ],
)
def test_a_quarter_shows_what_was_filed_and_its_mark(town_task, units, tmp_path, quarter, shown,
                                                     mark) -> None:  # fmt: skip
    out = tmp_path / f"q{quarter}.pdf"
    print_self_check(Y, units["town"], "乌兰镇", quarter, out, day=dt.date(Y, 11, 1))
    flat = squeeze(pdf_text(out))
    name = "一二三四"[quarter - 1]
    assert flat.startswith(f"2025年第{name}季度工作任务自查表")
    assert "目标：建成示范村3个" in flat
    for text in shown:
        assert text in flat
    assert _marks(flat) == mark
    check = {c.quarter: c for c in list_checks(town_task)}.get(quarter)
    if check is not None:  # the filing time as stored
        assert f"{check.submitted_at:%Y.%m.%d}{check.submitted_at:%H:%M}" in flat
    else:
        assert "王镇长" not in flat
        assert "李干事" not in flat


def test_a_unit_that_leads_no_task_or_a_wrong_quarter_is_refused(town_task, units) -> None:
    with pytest.raises(DomainError, match="“市委组织部”在 2025 年度没有牵头的工作任务"):
        self_check_report(Y, units["org"], "市委组织部")
    with pytest.raises(DomainError, match="季度应为 1–4，现为 5"):
        self_check_report(Y, units["town"], "乌兰镇", 5)


def test_the_demo_unit_with_late_checks_shows_them(demo_eval, tmp_path) -> None:
    late = next(t for t in list_tasks(2025) if any(c.late for c in list_checks(t.id)))
    tasks = list_tasks(2025, late.lead_unit_id)
    out = tmp_path / "demo.pdf"
    printed = print_self_check(2025, late.lead_unit_id, late.lead_unit, None, out)
    assert printed.rows == len(tasks)
    assert_clean_pdf(out)
    flat = squeeze(pdf_text(out))
    assert f"填报单位：{late.lead_unit}" in flat
    for t in tasks:
        assert flat.count(squeeze(t.title)) == 4  # once a quarter
    lates = sum(c.late for t in tasks for c in list_checks(t.id))
    rest = flat.replace("其中逾期补报", "").replace("每项逾期补报", "")
    assert rest.count("逾期补报") == lates > 0
