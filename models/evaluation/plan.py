"""The year's work plan of the 单位考评: its rules and tasks (责任分解: title, 共性/个性, key
topic, target, weight, deadline, lead unit, co-units, responsible person), entered one by
one or imported from the xlsx the 考评办 keeps — all rows or none, every bad cell named by
row, column and field."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from models.accounts import Permission, current_account, is_unit_scoped, require
from models.accounts.units import subtree
from models.core.audit import current_user, record_changes
from models.core.concurrency import conflict
from models.core.dates import as_date, parse_date
from models.core.db import write_transaction
from models.core.errors import DomainError, FieldIssue, ValidationError
from models.evaluation.rules import (
    EvalRules,
    check_rules,
    default_eval_rules,
    rules_from_json,
    rules_to_json,
)
from models.evaluation.tables import EvalYear, UnitResult, WorkTask
from models.roster.units import find_unit

__all__ = [
    "TASK_HEADERS",
    "TaskDTO",
    "TaskInput",
    "eval_year",
    "import_tasks",
    "list_tasks",
    "save_rules",
    "save_task",
    "store_result",
    "year_rules",
    "year_status",
]

CATEGORIES = ("共性", "个性")
TASK_HEADERS = (
    "任务", "类别", "重点工作", "目标与措施", "分值", "完成时限", "牵头单位", "配合单位", "责任人",
)  # fmt: skip


@dataclass(frozen=True)
class TaskDTO:
    id: int
    year: int
    title: str
    category: str
    key_topic: bool
    target: str
    weight: Decimal
    deadline: dt.date | None
    lead_unit_id: int
    lead_unit: str
    co_units: str
    responsible: str
    version: int
    year_score: Decimal | None = None  # the 考评办's year-end score (v17)


@dataclass
class TaskInput:
    year: int
    title: str
    lead_unit_id: int
    category: str = "个性"
    key_topic: bool = False
    target: str = ""
    weight: Decimal = Decimal(0)
    deadline: dt.date | None = None
    co_units: str = ""
    responsible: str = ""
    id: int | None = None
    version: int | None = None  # the version the screen read (None: a new task)


def eval_year(year: int, *, create: bool = False) -> EvalYear | None:
    row = EvalYear.get_or_none(EvalYear.year == year)
    if row is None and create:
        row = EvalYear.create(year=year, rules=rules_to_json(default_eval_rules()))
    return row


def store_result(
    year: int,
    unit_id: int,
    values: dict[str, Any],
    *,
    where: str,
    expected_version: int | None,
    user: str,
    reason: str = "",
) -> UnitResult:
    """Write ``values`` into the unit's year-end result (made when it has none), in the
    caller's transaction: refused once the year is approved, or when ``expected_version``
    (0: the screen saw no result) is not the stored one; the change logged."""
    refuse_if_approved(year)
    eval_year(year, create=True)
    old = UnitResult.get_or_none((UnitResult.year == year) & (UnitResult.unit == unit_id))
    if expected_version is not None and (old.version if old else 0) != expected_version:
        raise conflict(where, "unit_result", old.id if old else None)
    if old is None:
        r = UnitResult.create(year=year, unit=unit_id, **values)
        record_changes("unit_result", r.id, "新增", {}, values, user=user, reason=reason)
        return r
    UnitResult.update(**values, version=UnitResult.version + 1).where(
        UnitResult.id == old.id
    ).execute()
    record_changes("unit_result", old.id, "修改", {k: getattr(old, k) for k in values}, values,
                   user=user, reason=reason)  # fmt: skip
    return UnitResult.get_by_id(old.id)


def year_rules(year: int) -> EvalRules:
    row = eval_year(year)
    return rules_from_json(row.rules) if row is not None else default_eval_rules()


def year_status(year: int) -> str:
    """录入 while the year is worked on, 审定 once approved (locked)."""
    row = eval_year(year)
    return row.status if row is not None else "录入"


def refuse_if_approved(year: int) -> None:
    row = eval_year(year)
    if row is not None and row.status == "审定":
        raise DomainError(
            f"{year}年度单位考评已于 {row.approved_at:%Y-%m-%d %H:%M} 由 {row.approved_by} 审定，"
            "不能再修改",
            record=f"{year}年度单位考评",
        )


def save_rules(year: int, rules: EvalRules, *, user: str | None = None) -> EvalRules:
    require(Permission.ASSESSMENT_SETUP)
    check_rules(rules)
    with write_transaction():
        refuse_if_approved(year)
        row = eval_year(year, create=True)
        assert row is not None
        old = row.rules
        new = rules_to_json(rules)
        if new != old:
            EvalYear.update(rules=new, version=EvalYear.version + 1).where(
                EvalYear.id == row.id
            ).execute()
            record_changes("eval_year", row.id, "修改", {"rules": old}, {"rules": new},
                           user=user or current_user())  # fmt: skip
    return rules


def _dto(t: WorkTask) -> TaskDTO:
    return TaskDTO(
        t.id, t.year, t.title, t.category, bool(t.key_topic), t.target, Decimal(str(t.weight)),
        as_date(t.deadline) if t.deadline else None, t.lead_unit_id, t.lead_unit.name,
        t.co_units, t.responsible, t.version,
        None if t.year_score is None else Decimal(str(t.year_score)),
    )  # fmt: skip


def list_tasks(year: int, unit_id: int | None = None) -> list[TaskDTO]:
    """The year's tasks, by lead unit then id; a 考核录入 account sees only the tasks its
    units (and the units below them) lead."""
    q = WorkTask.select().where(WorkTask.year == year)
    if unit_id is not None:
        q = q.where(WorkTask.lead_unit == unit_id)
    me = current_account()
    if me is not None and is_unit_scoped(me.role):  # a unit's clerk sees its own tasks
        q = q.where(WorkTask.lead_unit.in_(sorted(subtree(me.unit_ids))))
    return [_dto(t) for t in q.order_by(WorkTask.lead_unit, WorkTask.id)]


def _clean(v: TaskInput, where: str) -> dict[str, Any]:
    issues: list[FieldIssue] = []
    title = (v.title or "").strip()
    if not title:
        issues.append(FieldIssue("title", where, "任务名称不能为空"))
    elif len(title) > 200:
        issues.append(FieldIssue("title", where, f"任务名称不能超过 200 字，现为 {len(title)} 字"))
    if v.category not in CATEGORIES:
        issues.append(FieldIssue("category", where, f"类别应为“共性”或“个性”，现为“{v.category}”"))
    if len(v.target.strip()) > 1000:
        n = len(v.target.strip())
        issues.append(FieldIssue("target", where, f"目标与措施最多 1000 字，现有 {n} 字"))
    if not v.weight.is_finite() or not Decimal(0) <= v.weight <= Decimal(100):
        issues.append(FieldIssue("weight", where, f"分值应在 0–100 之间，现为 {v.weight}"))
    if v.deadline is not None and v.deadline.year != v.year:
        issues.append(FieldIssue("deadline", where, f"完成时限 {v.deadline} 不在 {v.year} 年内"))
    if issues:
        raise ValidationError(issues, record=where)
    return {
        "year": v.year, "title": title, "category": v.category, "key_topic": v.key_topic,
        "target": v.target.strip(), "weight": v.weight, "deadline": v.deadline,
        "lead_unit": v.lead_unit_id, "co_units": v.co_units.strip(),
        "responsible": v.responsible.strip(),
    }  # fmt: skip


def save_task(v: TaskInput, *, user: str | None = None) -> TaskDTO:
    """Add a task, or change one (``v.version``: the version read; a task changed meanwhile
    is refused with who changed it and when)."""
    require(Permission.ASSESSMENT_SETUP)
    values = _clean(v, f"任务“{v.title}”")
    who = user or current_user()
    with write_transaction():
        refuse_if_approved(v.year)
        eval_year(v.year, create=True)
        if v.id is None:
            t = WorkTask.create(**values)
            record_changes("work_task", t.id, "新增", {}, {"title": t.title}, user=who)
            return _dto(t)
        old = WorkTask.get_or_none(WorkTask.id == v.id)
        if old is None or (v.version is not None and old.version != v.version):
            raise conflict(f"任务“{v.title}”", "work_task", v.id, deleted=old is None)
        WorkTask.update(**values, version=WorkTask.version + 1).where(WorkTask.id == v.id).execute()
        before = {k: getattr(old, k if k != "lead_unit" else "lead_unit_id") for k in values}
        record_changes("work_task", v.id, "修改", before, values, user=who)
        return _dto(WorkTask.get_by_id(v.id))


def _cell_decimal(value: object) -> Decimal:
    return Decimal(str(value).strip()) if value not in (None, "") else Decimal(0)


def import_tasks(year: int, path: str | Path, *, user: str | None = None) -> int:
    """The tasks of the 考评办's xlsx (a header row with 任务、类别、重点工作、目标与措施、分值、
    完成时限、牵头单位、配合单位、责任人 in any order; extra columns ignored): every row checked
    first, then all stored in one transaction, or none. Returns how many were added."""
    from models.core.workbook import open_workbook, read_file, sheet_rows  # lazy: openpyxl

    require(Permission.ASSESSMENT_SETUP)
    name = Path(path).name
    wb = open_workbook(read_file(path), name, hint="请按“任务分解表”的列填写")
    try:
        rows = list(sheet_rows(wb.worksheets[0], name))
    finally:
        wb.close()
    head_at = next(
        (k for k, r in enumerate(rows[:10]) if "任务" in [str(c).strip() for c in r if c]), None
    )
    if head_at is None:
        raise DomainError(f"“{name}”前 10 行中没有“任务”列标题，请按任务分解表的列填写")
    header = [str(c).strip() if c is not None else "" for c in rows[head_at]]
    col = {h: header.index(h) for h in TASK_HEADERS if h in header}
    for needed in ("任务", "牵头单位"):
        if needed not in col:
            raise DomainError(f"“{name}”缺少“{needed}”列")
    issues: list[FieldIssue] = []
    tasks: list[TaskInput] = []
    for n, r in enumerate(rows[head_at + 1 :], start=head_at + 2):
        cell = {h: (r[k] if k < len(r) else None) for h, k in col.items()}
        if not any(v not in (None, "") for v in cell.values()):
            continue

        def where(h: str, n: int = n) -> str:
            return f"“{name}”第{n}行{chr(65 + col[h])}列【{h}】"

        try:
            unit = find_unit(str(cell["牵头单位"] or "").strip())
        except DomainError as e:
            issues.append(FieldIssue("lead_unit", where("牵头单位"), str(e)))
            continue
        try:
            weight = _cell_decimal(cell.get("分值"))
        except InvalidOperation:
            issues.append(FieldIssue("weight", where("分值"), f"“{cell.get('分值')}”不是数字"))
            continue
        deadline = cell.get("完成时限")
        if isinstance(deadline, dt.datetime):
            deadline = deadline.date()
        elif deadline not in (None, "") and not isinstance(deadline, dt.date):
            parsed = parse_date(str(deadline))
            if parsed is None:
                issues.append(FieldIssue("deadline", where("完成时限"), f"“{deadline}”不是日期"))
                continue
            deadline = parsed
        t = TaskInput(
            year=year,
            title=str(cell.get("任务") or "").strip(),
            lead_unit_id=unit.id,
            category=str(cell.get("类别") or "个性").strip(),
            key_topic=str(cell.get("重点工作") or "").strip() in ("是", "√", "重点", "1"),
            target=str(cell.get("目标与措施") or ""),
            weight=weight,
            deadline=deadline or None,
            co_units=str(cell.get("配合单位") or ""),
            responsible=str(cell.get("责任人") or ""),
        )
        try:
            _clean(t, f"“{name}”第{n}行")
        except ValidationError as e:
            issues.extend(e.issues)
            continue
        tasks.append(t)
    if issues:
        raise ValidationError(issues, record=name)
    if not tasks:
        raise DomainError(f"“{name}”中没有任务")
    with write_transaction():
        refuse_if_approved(year)
        for t in tasks:
            save_task(dataclasses.replace(t), user=user)
    return len(tasks)
