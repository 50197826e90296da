"""The half-year inspection and its bulletin (半年一督查、一通报): the 督查室/考评办 records a
score and what it found for each unit (optionally on one task), with the points a problem
costs; the bulletin ranks the units of the half by their inspection score, with the units
to praise (表扬: the score reaches ``PRAISE_SCORE`` with nothing deducted) and those to
criticise (通报批评: points deducted or the score below ``CRITICISE_SCORE``); the points
deducted flow into the year-end total with their reasons."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from models.accounts import Permission, require
from models.core.audit import current_user, record_changes
from models.core.db import write_transaction
from models.core.errors import DomainError
from models.evaluation.plan import refuse_if_approved
from models.evaluation.tables import Inspection, WorkTask
from models.roster.tables import Unit

__all__ = [
    "CRITICISE_SCORE",
    "PRAISE_SCORE",
    "Bulletin",
    "BulletinRow",
    "bulletin",
    "deductions",
    "record_inspection",
]

PRAISE_SCORE = Decimal(95)
CRITICISE_SCORE = Decimal(70)
HALVES = {1: "上半年", 2: "下半年"}


@dataclass(frozen=True)
class BulletinRow:
    rank: int
    unit: str
    score: Decimal  # the average of the unit's inspection scores in the half
    deduction: Decimal
    findings: tuple[str, ...]


@dataclass(frozen=True)
class Bulletin:
    year: int
    half: int
    rows: tuple[BulletinRow, ...]
    praised: tuple[BulletinRow, ...]
    criticised: tuple[BulletinRow, ...]

    @property
    def title(self) -> str:
        return f"{self.year}年{HALVES[self.half]}工作督查情况通报"


def record_inspection(
    year: int,
    half: int,
    unit_id: int,
    score: Decimal,
    *,
    deduction: Decimal = Decimal(0),
    finding: str = "",
    task_id: int | None = None,
    inspector: str = "",
    user: str | None = None,
) -> int:
    """Store one inspection finding; returns its id. A deduction needs the finding that
    caused it; a task must be one the unit leads in that year."""
    require(Permission.SCORES)
    if half not in HALVES:
        raise DomainError(f"督查半年应为 1（上半年）或 2（下半年），现为 {half}", field="half")
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise DomainError(f"督查评分应在 0–100 之间，现为 {score}", field="score")
    if not deduction.is_finite() or deduction < 0 or deduction > Decimal(20):
        raise DomainError(f"督查扣分应在 0–20 之间，现为 {deduction}", field="deduction")
    if deduction and not finding.strip():
        raise DomainError("扣分须写明督查发现的问题", field="finding")
    if len(finding.strip()) > 500:
        raise DomainError(f"督查发现的问题最多 500 字，现有 {len(finding.strip())} 字",
                          field="finding")  # fmt: skip
    who = user or current_user()
    with write_transaction():
        refuse_if_approved(year)
        unit = Unit.get_or_none(Unit.id == unit_id)
        if unit is None:
            raise DomainError("该单位已被删除", field="unit")
        if task_id is not None:
            task = WorkTask.get_or_none(WorkTask.id == task_id)
            if task is None or task.lead_unit_id != unit_id or task.year != year:
                raise DomainError(f"所选任务不是“{unit.name}”{year}年度牵头的任务", field="task")
        values = {
            "year": year, "half": half, "unit": unit_id, "task": task_id, "score": score,
            "deduction": deduction, "finding": finding.strip(), "inspector": inspector,
        }  # fmt: skip
        row = Inspection.create(**values)
        record_changes("inspection", row.id, "新增", {}, values, user=who)
        return row.id


def _avg(values: list[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def bulletin(year: int, half: int) -> Bulletin:
    """The ranked bulletin of the half (DomainError when nobody was inspected)."""
    per: dict[str, list[Inspection]] = {}
    q = (
        Inspection.select(Inspection, Unit)
        .join(Unit)
        .where((Inspection.year == year) & (Inspection.half == half))
        .order_by(Unit.sort_order, Inspection.id)
    )
    for i in q:
        per.setdefault(i.unit.name, []).append(i)
    if not per:
        raise DomainError(f"{year}年{HALVES.get(half, '')}还没有督查记录，无法生成通报")
    scored = sorted(
        (
            (unit, _avg([Decimal(str(i.score)) for i in found]),
             sum((Decimal(str(i.deduction)) for i in found), Decimal(0)),
             tuple(i.finding for i in found if i.finding))
            for unit, found in per.items()
        ),
        key=lambda x: (-x[1], x[0]),
    )  # fmt: skip
    rows: list[BulletinRow] = []
    for pos, (unit, score, deduction, findings) in enumerate(scored, start=1):
        rank = rows[-1].rank if rows and rows[-1].score == score else pos
        rows.append(BulletinRow(rank, unit, score, deduction, findings))
    praised = tuple(r for r in rows if r.score >= PRAISE_SCORE and not r.deduction)
    criticised = tuple(r for r in rows if r.deduction or r.score < CRITICISE_SCORE)
    return Bulletin(year, half, tuple(rows), praised, criticised)


def deductions(year: int) -> dict[int, tuple[Decimal, tuple[str, ...]]]:
    """unit id → the points its inspections of the year deduct, and the findings."""
    out: dict[int, tuple[Decimal, tuple[str, ...]]] = {}
    q = Inspection.select().where((Inspection.year == year) & (Inspection.deduction > 0))
    for i in q:
        total, found = out.get(i.unit_id, (Decimal(0), ()))
        out[i.unit_id] = (total + Decimal(str(i.deduction)), (*found, i.finding))
    return out
