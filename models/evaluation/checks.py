"""Quarterly self-checks (一季度一自查): the lead unit reports each task's progress, a
self-score and its problems each quarter. A quarter's self-check is due ``check_days`` after
the quarter ends; after that it is refused unless the 考评办 approves a late one, which is
marked late and costs ``late_deduction`` points at the year end. Locked once the year is
approved."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from models.accounts import Permission, require
from models.core.audit import current_user, record_changes
from models.core.concurrency import conflict
from models.core.dates import ymd_cn
from models.core.db import write_transaction
from models.core.errors import DomainError
from models.evaluation.plan import refuse_if_approved, year_rules
from models.evaluation.tables import SelfCheck, WorkTask

__all__ = ["SelfCheckDTO", "check_deadline", "late_checks", "list_checks", "submit_check"]


TEXT_MAX = 1000  # 工作进展 / 存在问题: one row of the printed 自查表


@dataclass(frozen=True)
class SelfCheckDTO:
    id: int
    task_id: int
    quarter: int
    progress: str
    self_score: Decimal | None
    problems: str
    late: bool
    submitted_at: dt.datetime
    submitted_by: str
    version: int


def check_deadline(year: int, quarter: int, check_days: int) -> dt.date:
    """The last day a quarter's self-check is on time."""
    end = dt.date(year, 3 * quarter, 1) + dt.timedelta(days=32)
    end = end.replace(day=1) - dt.timedelta(days=1)  # the quarter's last day
    return end + dt.timedelta(days=check_days)


def _dto(c: SelfCheck) -> SelfCheckDTO:
    score = Decimal(str(c.self_score)) if c.self_score is not None else None
    return SelfCheckDTO(c.id, c.task_id, c.quarter, c.progress, score, c.problems,
                        bool(c.late), c.submitted_at, c.submitted_by, c.version)  # fmt: skip


def list_checks(task_id: int) -> list[SelfCheckDTO]:
    q = SelfCheck.select().where(SelfCheck.task == task_id).order_by(SelfCheck.quarter)
    return [_dto(c) for c in q]


def submit_check(
    task_id: int,
    quarter: int,
    progress: str,
    self_score: Decimal | None,
    problems: str = "",
    *,
    today: dt.date | None = None,
    late_approved: bool = False,
    expected_version: int | None = None,
    user: str | None = None,
) -> SelfCheckDTO:
    """Store (or correct) the task's self-check of ``quarter``. After the deadline only with
    ``late_approved`` (the 考评办's approval), and then marked late."""
    today = today or dt.date.today()
    who = user or current_user()
    if quarter not in (1, 2, 3, 4):
        raise DomainError(f"季度应为 1–4，现为 {quarter}", field="quarter")
    if self_score is not None and (
        not self_score.is_finite() or not Decimal(0) <= self_score <= Decimal(100)
    ):
        raise DomainError(f"自评分应在 0–100 之间，现为 {self_score}", field="self_score")
    if not progress.strip():
        raise DomainError("请填写工作进展", field="progress")
    for text, what in ((progress, "工作进展"), (problems, "存在问题")):
        if len(text.strip()) > TEXT_MAX:
            raise DomainError(f"{what}最多 {TEXT_MAX} 字，现有 {len(text.strip())} 字，请精简",
                              field="progress")  # fmt: skip
    with write_transaction():
        task = WorkTask.get_or_none(WorkTask.id == task_id)
        if task is None:
            raise DomainError("该任务已被删除", field="task")
        require(Permission.SCORES, unit_ids=[task.lead_unit_id])  # a clerk: its own units'
        refuse_if_approved(task.year)
        where = f"“{task.lead_unit.name}”的任务“{task.title}”第 {quarter} 季度自查"
        if today < dt.date(task.year, 3 * quarter - 2, 1):
            raise DomainError(f"{where}：第 {quarter} 季度尚未开始，不能提前自查", field="quarter")
        due = check_deadline(task.year, quarter, year_rules(task.year).check_days)
        late = today > due
        if late and not late_approved:
            raise DomainError(
                f"{where}已过截止日期（{ymd_cn(due)}），须经考评办同意后补报，补报按逾期扣分",
                field="late",
            )
        if late:  # the 考评办's approval: not a unit clerk's to give
            require(Permission.GRADING)
        values = {"progress": progress.strip(), "self_score": self_score,
                  "problems": problems.strip(), "late": late, "submitted_by": who}  # fmt: skip
        old = SelfCheck.get_or_none((SelfCheck.task == task_id) & (SelfCheck.quarter == quarter))
        reason = f"经考评办同意逾期补报（{who}）" if late else ""
        if old is None:
            c = SelfCheck.create(task=task_id, quarter=quarter, **values)
            record_changes("self_check", c.id, "新增", {}, values, user=who, reason=reason)
            return _dto(c)
        if expected_version is not None and old.version != expected_version:
            raise conflict(where, "self_check", old.id)
        values["late"] = old.late or late
        SelfCheck.update(**values, version=SelfCheck.version + 1).where(
            SelfCheck.id == old.id
        ).execute()
        record_changes("self_check", old.id, "修改",
                       {k: getattr(old, k) for k in values}, values, user=who,
                       reason=reason)  # fmt: skip
        return _dto(SelfCheck.get_by_id(old.id))


def late_checks(year: int) -> dict[int, int]:
    """unit id → how many of its self-checks of the year came late."""
    out: dict[int, int] = {}
    q = (
        SelfCheck.select(WorkTask.lead_unit)
        .join(WorkTask)
        .where((WorkTask.year == year) & SelfCheck.late)
        .tuples()
    )
    for (unit_id,) in q:
        out[unit_id] = out.get(unit_id, 0) + 1
    return out
