"""What a cadre's 一人一档 holds, read from every subject of the database: the roster's
基本信息 as the 任免审批表 has it (with photo, 简历, family), the classes and the 学时 ledger
with each year's total against the requirement, the annual assessments with their 考核登记表,
the grade of the cadre's unit (领导班子) in the 单位考评, the 反馈与指导 records and the
sanctions."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from models.assessment import FeedbackDTO, SanctionDTO, get_feedback, list_sanctions
from models.assessment.results import CadreRoundDTO, cadre_rounds
from models.evaluation import unit_grades
from models.roster import CadreDTO, get_cadre
from models.roster.importing import lrmx_record
from models.training import CadreClassDTO, HoursEntryDTO, cadre_classes, list_hours
from models.training import hours as hr
from reports.sheets import SheetData, SheetVariant, sheet_for

__all__ = ["DossierData", "YearHours", "dossier_data"]


@dataclass(frozen=True)
class YearHours:
    """One year of the 学时 ledger against the requirement."""

    year: int
    by_kind: dict[str, Decimal]  # 班次培训 / 外出培训 / 网络学习 / 领导干部讲坛
    counted: Decimal  # what counts toward the requirement
    requirement: str  # markup: 每年 90 学时, or 五年 550 学时<br/>2022–2026 年已计 …
    met: bool | None  # None: a five-year requirement judged over its window


@dataclass(frozen=True)
class DossierData:
    cadre: CadreDTO
    record: dict[str, Any]  # the 任免审批表 fields (lrmx_record): photo, 简历, family…
    classes: list[CadreClassDTO]
    hours: list[HoursEntryDTO]  # every ledger line, the latest first
    years: list[YearHours]  # the latest first
    rounds: list[CadreRoundDTO]
    sheets: list[tuple[int, SheetData]]  # (year, 考核登记表) of each approved round
    feedback: list[tuple[CadreRoundDTO, FeedbackDTO]]
    sanctions: list[SanctionDTO]
    printed_on: dt.date
    unit_grades: list[tuple[int, str]] = dataclasses.field(default_factory=list)  # 单位考评


def _years(cadre: CadreDTO, entries: list[HoursEntryDTO], today: dt.date) -> list[YearHours]:
    rules = hr.Requirements()
    rank = hr.CadreRank(str(cadre.id), cadre.name, cadre.unit_name,
                        cadre.leadership_level or None, cadre.rank or None)  # fmt: skip
    ledger = [hr.HoursEntry(str(cadre.id), e.day, float(e.hours), e.kind, e.title) for e in entries]
    totals = hr.yearly_totals(ledger).get(str(cadre.id), {})
    five = rules.five_year(rank)
    out = []
    for year in sorted(set(totals) | {today.year}, reverse=True):
        t = totals.get(year, hr.YearTotal(str(cadre.id), year))
        by_kind = {
            hr.ENTRY_KINDS[0]: Decimal(str(t.class_hours)),
            hr.ENTRY_KINDS[1]: Decimal(str(t.outside_hours)),
            hr.ENTRY_KINDS[2]: Decimal(str(t.online_hours)),
            hr.ENTRY_KINDS[3]: Decimal(str(t.lecture_hours)),
        }
        counted = Decimal(str(rules.counted(t))).quantize(Decimal("0.1"))
        if five:
            first, last = rules.window(year)
            window = sum(
                (rules.counted(totals[y]) for y in range(first, last + 1) if y in totals), 0.0
            )
            text = (
                f"五年 {hr.one_place(rules.five_year_hours)} 学时<br/>"
                f"{first}–{last} 年已计 {hr.one_place(window)}"
            )
            met = window >= rules.five_year_hours if year == today.year else None
        else:
            text = f"每年 {hr.one_place(rules.annual_hours)} 学时"
            met = float(counted) >= rules.annual_hours
        out.append(YearHours(year, by_kind, counted, text, met))
    return out


def dossier_data(cadre_id: int, *, today: dt.date | None = None) -> DossierData:
    """Everything of one cadre's 一人一档 (NotFoundError when there is no such cadre)."""
    today = today or dt.date.today()
    cadre = get_cadre(cadre_id)
    entries = sorted(list_hours(cadre_id), key=lambda e: (e.day, e.id), reverse=True)
    rounds = cadre_rounds(cadre_id)
    sheets = [
        (r.year, sheet_for(r.round_id, cadre_id, variant=SheetVariant.OFFICIAL))
        for r in rounds
        if r.approved and not r.not_participating
    ]
    feedback = []
    for r in rounds:
        f = get_feedback(r.round_id, cadre_id)
        if f is not None:
            feedback.append((r, f))
    return DossierData(
        cadre=cadre,
        record=lrmx_record(cadre_id),
        classes=cadre_classes(cadre_id),
        hours=entries,
        years=_years(cadre, entries, today),
        rounds=rounds,
        sheets=sheets,
        feedback=feedback,
        sanctions=sorted(list_sanctions(cadre_id), key=lambda s: s.start_date, reverse=True),
        printed_on=today,
        unit_grades=unit_grades(cadre.unit_id),
    )
