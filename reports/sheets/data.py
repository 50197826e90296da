"""From the database to one person's 年度考核登记表 (:class:`reports.sheets.model.SheetData`).

models/ must not import reports/, so the mapping from
:class:`models.assessment.results.PersonSheetDTO` to :class:`reports.sheets.model.SheetData`
lives here. Besides the DTO it adds what the 备注 box shows: the year's 学时 total from the training
ledger, the cadre's 奖励 text from the roster and the sanctions in force (from the DTO). The
评分表's numbers come from :mod:`reports.sheets.scoring`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from models.assessment.results import PersonSheetDTO, person_sheet, person_sheets
from models.assessment.rules import fmt_number
from models.training import HoursEntryDTO, hours_by_cadre, list_hours
from reports.sheets.model import SheetData, SheetVariant, StaffCategory, template_rows
from reports.sheets.scoring import score_block

__all__ = [
    "category_of",
    "from_dto",
    "full_time_training",
    "sheet_for",
    "sheets_for",
    "training_hours",
]


def training_hours(cadre_id: int, year: int) -> Decimal | None:
    """The cadre's 学时 total for ``year`` from the ledger; None when nothing is recorded (the
    box is then left for handwriting rather than printing a misleading 0)."""
    return _hours_total(list_hours(cadre_id, year))


def _hours_total(entries: Sequence[HoursEntryDTO]) -> Decimal | None:
    if not entries:
        return None
    return sum((e.hours for e in entries), Decimal(0))


#: the ledger's kinds that are 脱产 training (a class, or training elsewhere)
FULL_TIME_KINDS = ("班次培训", "外出培训")


def full_time_training(cadre_id: int, year: int) -> str:
    """参加脱产培训情况 of ``year`` from the ledger: '2025.03 市委党校中青年干部培训班
    （96学时）；…', '' when none is recorded (the row is then left for handwriting)."""
    return _full_time(list_hours(cadre_id, year))


def _full_time(entries: Sequence[HoursEntryDTO]) -> str:
    parts = [
        f"{e.day:%Y.%m} {e.title or e.kind}（{fmt_number(e.hours)}学时）"
        for e in sorted(entries, key=lambda e: e.day)
        if e.kind in FULL_TIME_KINDS
    ]
    return "；".join(parts)


def _rewards_sanctions(rewards: str, sanctions: str) -> str:
    parts = []
    if rewards:
        parts.append(f"奖励：{' '.join(rewards.split())}")
    if sanctions:
        parts.append(f"处分：{sanctions}")
    return "；".join(parts)


def category_of(label: str) -> StaffCategory:
    """The :class:`StaffCategory` of a DTO's category label (公务员 when unknown)."""
    try:
        return StaffCategory(label)
    except ValueError:
        return StaffCategory.CIVIL


def from_dto(
    dto: PersonSheetDTO,
    *,
    variant: SheetVariant = SheetVariant.OFFICIAL,
    category: StaffCategory | None = None,
    hours: Decimal | None = None,
    rewards: str = "",
    work_scope: str = "",
    summary: str = "",
    supervisor_comment: str = "",
    committee_opinion: str = "",
    self_opinion: str = "",
    remarks: str = "",
    header_rows: tuple[str, ...] = (),
    full_time: str = "",
) -> SheetData:
    """The sheet of one person. ``OFFICIAL``: the 考核登记表 as filed, with nothing the
    主管领导 or the committee writes (no scores, rank or grade; the 未确定等次 box only says
    why someone did not take part, a fact the office records). ``SCORED``: the 考核评分表, with
    the final grade (after the committee's decision) and the explanation.
    ``category`` overrides the personnel category the roster implies. ``header_rows``: the
    optional header rows to print (文化程度 from the roster, 参加脱产培训情况 = ``full_time``)."""
    scores = score_block(dto) if variant is SheetVariant.SCORED else None
    no_grade_note = dto.no_grade_note
    if variant is SheetVariant.OFFICIAL and not no_grade_note.startswith("不参加考核"):
        no_grade_note = ""
    return SheetData(
        year=dto.year,
        name=dto.name,
        gender=dto.gender,
        birth=dto.birth,
        political_status=dto.political_status,
        post_since=dto.post_since,
        unit_and_post=dto.unit_and_post,
        work_scope=work_scope or dto.work_scope,
        summary=summary,
        supervisor_comment=supervisor_comment,
        committee_opinion=committee_opinion,
        self_opinion=self_opinion,
        no_grade_note=no_grade_note,
        training_hours=hours if hours is not None else dto.training_hours,
        rewards_sanctions=_rewards_sanctions(rewards, dto.rewards_sanctions),
        remarks=remarks.strip(),
        scores=scores,
        variant=variant,
        category=category or category_of(dto.category),
        education=dto.education if "文化程度" in header_rows else None,
        training_row=full_time if "参加脱产培训情况" in header_rows else None,
    )


def sheet_for(
    round_id: int,
    cadre_id: int,
    *,
    variant: SheetVariant = SheetVariant.OFFICIAL,
    category: StaffCategory | None = None,
    work_scope: str = "",
    summary: str = "",
    supervisor_comment: str = "",
    committee_opinion: str = "",
    self_opinion: str = "",
    remarks: str = "",
    header_rows: tuple[str, ...] | None = None,
) -> SheetData:
    """The 考核登记表 of ``cadre_id`` in round ``round_id``: header and scores from the round
    (person_sheet: 单位及职务职级 is the member's unit + the roster's post + rank), 备注 with the
    round year's 学时 total, the roster's rewards and the sanctions in force. The free texts
    (个人总结, 评语...) are usually handwritten and default to empty boxes. ``header_rows``:
    the optional header rows (None: the person's category's template, template_rows)."""
    dto = person_sheet(round_id, cadre_id)
    entries = list_hours(cadre_id, dto.year)  # the year's ledger, read once for both boxes
    if header_rows is None:
        header_rows = template_rows(category or category_of(dto.category))
    return from_dto(
        dto,
        variant=variant,
        category=category,
        hours=_hours_total(entries),
        rewards=dto.rewards,
        work_scope=work_scope,
        summary=summary,
        supervisor_comment=supervisor_comment,
        committee_opinion=committee_opinion,
        self_opinion=self_opinion,
        remarks=remarks,
        header_rows=header_rows,
        full_time=_full_time(entries) if "参加脱产培训情况" in header_rows else "",
    )


def sheets_for(
    round_id: int,
    cadre_ids: Sequence[int],
    *,
    variant: SheetVariant = SheetVariant.OFFICIAL,
    category: StaffCategory | None = None,
    header_rows: tuple[str, ...] | None = None,
) -> list[SheetData]:
    """The sheets of many members at once (a batch: a unit, a chunk of a whole round), as
    :func:`sheet_for` makes them with empty free-text boxes, in a few queries for the lot
    (models.assessment.results.person_sheets and one ledger read)."""
    dtos = person_sheets(round_id, cadre_ids)
    if not dtos:
        return []
    ledger = hours_by_cadre(cadre_ids, dtos[0].year)
    sheets = []
    for cid, dto in zip(cadre_ids, dtos, strict=True):
        rows = header_rows
        if rows is None:
            rows = template_rows(category or category_of(dto.category))
        entries = ledger.get(cid, ())
        sheets.append(
            from_dto(
                dto,
                variant=variant,
                category=category,
                hours=_hours_total(entries),
                rewards=dto.rewards,
                header_rows=rows,
                full_time=_full_time(entries) if "参加脱产培训情况" in rows else "",
            )
        )
    return sheets
