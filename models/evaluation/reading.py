"""What the printed forms of the 单位考评 read, gathered from the services of this package:
the year's state (审定 or not, by whom and when), the tasks grouped by lead unit in the unit
tree's order (任务分解表), a unit's tasks with their four quarters of self-checks and each
quarter's deadline (季度自查表), and the year-end results with every point deducted from each
total — the unit's own 扣分, the half-year inspections' and the late self-checks' — as the
grading counted them (考评结果汇总表). Read only: nothing here writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from models.core.errors import DomainError
from models.evaluation.checks import SelfCheckDTO, check_deadline, late_checks, list_checks
from models.evaluation.inspections import deductions
from models.evaluation.plan import TaskDTO, eval_year, list_tasks, year_rules
from models.evaluation.results import UnitResultDTO, list_results
from models.evaluation.team import computed_scores
from models.roster import list_units

__all__ = [
    "QUARTERS",
    "ResultLine",
    "TaskChecks",
    "UnitTasks",
    "YearState",
    "quarter_deadlines",
    "result_lines",
    "tasks_by_unit",
    "unit_checks",
    "year_state",
]

QUARTERS = (1, 2, 3, 4)


@dataclass(frozen=True)
class YearState:
    year: int
    approved: bool  # 审定: the results are locked
    approved_at: dt.datetime | None
    approved_by: str
    grades: tuple[str, ...]  # the year's grades, best first
    common_weight: Decimal
    own_weight: Decimal
    late_deduction: Decimal  # per self-check handed in late
    check_days: int  # a quarter's self-check is due this many days after it ends
    team_weight: Decimal  # the 领导班子's percent of the total (0: not counted)


@dataclass(frozen=True)
class UnitTasks:
    """The tasks one unit leads in the year."""

    unit_id: int
    unit: str
    tasks: tuple[TaskDTO, ...]


@dataclass(frozen=True)
class TaskChecks:
    """A task and its self-checks by quarter (a quarter not reported is missing)."""

    task: TaskDTO
    checks: dict[int, SelfCheckDTO]


@dataclass(frozen=True)
class ResultLine:
    """A unit's year-end result with the 共性 and 个性 scores its total used (as entered, or
    computed from its tasks' year-end scores when left blank: ``computed``) and what its
    total lost: ``deducted`` = the unit's own 扣分 + the half-year inspections' +
    ``late_checks`` × the year's deduction per late one."""

    result: UnitResultDTO
    common: Decimal | None
    own: Decimal | None
    computed: tuple[str, ...]  # the categories computed from the tasks: 共性, 个性
    deducted: Decimal
    late_checks: int
    inspected: Decimal


def year_state(year: int) -> YearState:
    row = eval_year(year)
    rules = year_rules(year)
    approved = row is not None and row.status == "审定"
    return YearState(
        year,
        approved,
        row.approved_at if approved and row is not None else None,
        row.approved_by if approved and row is not None else "",
        tuple(g.name for g in rules.grades),
        rules.common_weight,
        rules.own_weight,
        rules.late_deduction,
        rules.check_days,
        rules.team_weight,
    )


def _tree_order() -> dict[int, int]:
    """unit id → its place in the unit tree (parents before children, siblings in order)."""
    units = list_units()
    children: dict[int | None, list[int]] = {}
    for u in sorted(units, key=lambda u: (u.sort_order, u.id)):
        children.setdefault(u.parent_id, []).append(u.id)
    order: dict[int, int] = {}
    todo = list(reversed(children.get(None, [])))
    while todo:
        uid = todo.pop()
        order[uid] = len(order)
        todo.extend(reversed(children.get(uid, [])))
    return order


def tasks_by_unit(year: int) -> list[UnitTasks]:
    """The year's tasks grouped by lead unit, the units in the unit tree's order."""
    groups: dict[int, list[TaskDTO]] = {}
    for t in list_tasks(year):
        groups.setdefault(t.lead_unit_id, []).append(t)
    order = _tree_order()
    return [
        UnitTasks(uid, tasks[0].lead_unit, tuple(tasks))
        for uid, tasks in sorted(groups.items(), key=lambda g: (order.get(g[0], 1 << 30), g[0]))
    ]


def quarter_deadlines(year: int) -> dict[int, dt.date]:
    """quarter → the last day its self-check is on time."""
    days = year_rules(year).check_days
    return {q: check_deadline(year, q, days) for q in QUARTERS}


def unit_checks(year: int, unit_id: int, unit_name: str) -> list[TaskChecks]:
    """The tasks ``unit_id`` leads in ``year`` with their self-checks; DomainError naming
    the unit when it leads none."""
    tasks = list_tasks(year, unit_id)
    if not tasks:
        raise DomainError(f"“{unit_name}”在 {year} 年度没有牵头的工作任务，无法打印自查表")
    return [TaskChecks(t, {c.quarter: c for c in list_checks(t.id)}) for t in tasks]


def result_lines(year: int) -> list[ResultLine]:
    """The year's results in rank order (models.evaluation.list_results) with the points
    each total lost. DomainError when the year has neither tasks nor scores."""
    results = list_results(year)
    if not results:
        raise DomainError(f"{year} 年度单位考评还没有任务和得分，无法打印结果汇总表")
    rules = year_rules(year)
    late = late_checks(year)
    inspected = deductions(year)
    from_tasks = computed_scores(year, rules)
    out = []
    for r in results:
        n = late.get(r.unit_id, 0)
        found = inspected.get(r.unit_id, (Decimal(0), ()))[0]
        mine = from_tasks.get(r.unit_id, {})
        common = r.common if r.common is not None else mine.get("共性", (None, ""))[0]
        own = r.own if r.own is not None else mine.get("个性", (None, ""))[0]
        computed = tuple(
            c for c, v in (("共性", r.common), ("个性", r.own)) if v is None and c in mine
        )
        deducted = r.deduction + found + rules.late_deduction * n
        out.append(ResultLine(r, common, own, computed, deducted, n, found))
    return out
