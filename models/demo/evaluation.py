"""A year of 单位考评 for the demo city: two or three tasks for every 市直 department and
every 县区领导班子 (责任分解), four quarters of self-checks (a few filed late with approval),
two half-year inspections (a few with points deducted, a few to praise), the year-end scores
(some 特色、创新工作加分 approved; every fourth unit's 个性 score computed from the 考评办's
year-end scores of its tasks), the 领导班子's five items and 民主测评 votes, graded and
approved —
so the 单位考评 section, its command and its use in the cadres' round have data to show."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from models.evaluation import (
    TaskInput,
    approve_year,
    file_evidence,
    grade_year,
    record_inspection,
    save_task,
    set_scores,
    submit_check,
)
from models.evaluation.checks import check_deadline
from models.evaluation.rules import TEAM_ITEMS, TEAM_VOTE_GROUPS
from models.evaluation.team import set_task_score, set_team
from models.roster.tables import Unit

__all__ = ["add_demo_evaluation"]

USER = "演示数据"
COMMON = ("党风廉政建设主体责任落实", "意识形态工作责任制落实", "干部队伍建设与教育培训")
OWN = (
    "城市转型重点项目推进", "营商环境优化提升", "乡村振兴示范点建设", "民生实事办理",
    "生态环境保护督察问题整改", "重大风险防范化解", "数字政府建设", "招商引资和项目建设",
)  # fmt: skip
FAULTS = ("重点项目进度滞后于计划", "台账资料不完整，整改不到位", "群众反映问题办理超期")
GOOD = ("创新“一网通办”做法，经验被省级推广", "重点任务提前完成，群众满意度高")
PROGRESS = ("按计划推进，完成阶段目标", "已完成年度任务的 60%", "重点环节已突破，进度正常",
            "全面完成年度目标任务")  # fmt: skip


def add_demo_evaluation(year: int, *, seed: int = 11) -> int:
    """Add the 单位考评 of ``year`` to the open database; returns the number of units."""
    rng = random.Random(seed)
    units = list(
        Unit.select()
        .where(Unit.kind.in_(("city_dept", "county")))
        .order_by(Unit.sort_order, Unit.id)
    )
    for n, unit in enumerate(units):
        tasks = [
            save_task(TaskInput(year, COMMON[n % len(COMMON)], unit.id, category="共性",
                                weight=Decimal(40), deadline=dt.date(year, 12, 31)), user=USER),
            save_task(TaskInput(year, OWN[n % len(OWN)], unit.id, key_topic=n % 3 == 0,
                                weight=Decimal(60), deadline=dt.date(year, 11, 30),
                                responsible="分管负责同志"), user=USER),
        ]  # fmt: skip
        for task in tasks:
            for quarter in (1, 2, 3, 4):
                late = rng.random() < 0.08
                due = check_deadline(year, quarter, 10)
                day = due + dt.timedelta(days=5) if late else due - dt.timedelta(days=3)
                check = submit_check(
                    task.id, quarter, PROGRESS[quarter - 1],
                    Decimal(rng.randint(80, 98)), "" if rng.random() < 0.7 else "个别环节进度偏慢",
                    today=day, late_approved=late, user=USER,
                )  # fmt: skip
                if rng.random() < 0.3:  # a ledger filed as evidence
                    text = "\n".join((unit.name, task.title, f"第{quarter}季度工作台账",
                                      PROGRESS[quarter - 1]))  # fmt: skip
                    file_evidence(check.id, f"第{quarter}季度工作台账.txt", text.encode("utf-8"),
                                  today=day, late_approved=late, user=USER)  # fmt: skip
        for half in (1, 2):
            score = Decimal(rng.randint(68, 99))
            cost = Decimal(rng.choice((0, 0, 0, 0, 0, 0.5, 1))) if score < 90 else Decimal(0)
            record_inspection(
                year, half, unit.id, score, deduction=cost,
                finding=(FAULTS[n % len(FAULTS)] if cost or score < 70
                         else GOOD[n % len(GOOD)] if score >= 95 else ""),
                task_id=tasks[1].id, inspector="市委督查室", user=USER,
            )  # fmt: skip
        quality = rng.random()
        items = {
            code: Decimal(rng.randint(78, 90) + round(quality * 8)) for code, _n, _w in TEAM_ITEMS
        }
        votes = {}
        for code, _n, _w in TEAM_VOTE_GROUPS:
            voters = rng.randint(8, 30)
            good = round(voters * (0.4 + quality * 0.5))
            fair = rng.randint(0, voters - good)
            plain = rng.randint(0, voters - good - fair)
            votes[code] = {
                "好": good,
                "较好": fair,
                "一般": plain,
                "较差": voters - good - fair - plain,
            }
        set_team(year, unit.id, items, votes, user=USER)
        own: Decimal | None = Decimal(rng.randint(78, 99))
        if n % 4 == 3:  # scored task by task: the key task counts more
            set_task_score(tasks[1].id, own, user=USER)
            own = None
        bonus = Decimal(rng.choice((0, 0, 0, 1, 2, 3)))
        set_scores(
            year, unit.id,
            common=Decimal(rng.randint(82, 98)), own=own,
            bonus=bonus, bonus_reason="特色工作被省级推广" if bonus else "",
            bonus_approved=bool(bonus), user=USER,
        )  # fmt: skip
    grade_year(year, user=USER)
    approve_year(year, user=USER)
    return len(units)
