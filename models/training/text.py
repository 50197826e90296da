"""Plain-text summaries for the command line (`plan-class`, `hours`). No Qt."""

from __future__ import annotations

from decimal import Decimal

from models.core.db import db
from models.training.attendance import hours_report
from models.training.classes import get_class
from models.training.timetable import class_shares, list_sessions


def _num(value: float | Decimal) -> str:
    v = float(value)
    return f"{v:g}" if abs(v - round(v)) < 1e-9 else f"{v:.1f}"


def format_plan_summary(class_id: int) -> str:
    """Class name, dates, and each mode's half-days and 学时 against the target."""
    with db.atomic():
        c = get_class(class_id)
        sessions = list_sessions(class_id)
        shares = class_shares(class_id)
    total = sum((s.hours for s in sessions), Decimal(0))
    lines = [
        f"班次：{c.name}（{c.level}，{c.status}）",
        f"日期：{c.start.isoformat()} 至 {c.end.isoformat()}，"
        f"共 {len(sessions)} 个半天、{_num(total)} 学时"
        f"（每半天 {_num(c.hours_per_half_day)} 学时）",
        "三三制比例：",
    ]
    for s in shares:
        mark = "" if s.within_tolerance else "  ← 偏离目标"
        lines.append(
            f"  {s.mode}  {s.half_days} 个半天 / 目标 {_num(s.target_half_days)}，"
            f"{_num(s.hours)} 学时 / 目标 {_num(s.target_hours)}{mark}"
        )
    return "\n".join(lines)


def format_shortfall(year: int, unit_id: int | None = None) -> str:
    """学时不足名单 as text: unit, name, rank, required, done, short."""
    rows = hours_report(year, unit_id)
    if not rows:
        return f"{year} 年没有学时不足的干部"
    header = f"{year} 年学时不足名单（共 {len({r.cadre_id for r in rows})} 人）"
    lines = [header, "单位\t姓名\t职级\t要求\t应完成\t已完成\t尚差"]
    lines.extend(
        f"{r.unit_name}\t{r.name}\t{r.rank or '—'}\t{r.requirement}\t"
        f"{_num(r.required)}\t{_num(r.earned)}\t{_num(r.short)}"
        for r in rows
    )
    return "\n".join(lines)
