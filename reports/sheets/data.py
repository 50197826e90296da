"""From the database to one person's 年度考核登记表 (:class:`reports.sheets.model.SheetData`).

models/ must not import reports/, so the mapping from
:class:`models.assessment.results.PersonSheetDTO` to :class:`reports.sheets.model.SheetData`
lives here. Besides the DTO it adds what the 备注 box shows: the year's 学时 total from the training
ledger, the cadre's 奖励 text from the roster and the sanctions in force (from the DTO), and the
four 平时考核 quarter grades.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from models.assessment.results import PersonSheetDTO, person_sheet
from models.roster import service as roster
from models.training import list_hours
from reports.sheets.model import (
    Adjustment,
    RaterGroupScore,
    ScoreBlock,
    ScoreItem,
    SheetData,
    SheetVariant,
)

__all__ = ["from_dto", "rewards_text", "sheet_for", "training_hours"]

_QUARTERS = ("一", "二", "三", "四")


def training_hours(cadre_id: int, year: int) -> Decimal | None:
    """The cadre's 学时 total for ``year`` from the ledger; None when nothing is recorded (the
    box is then left for handwriting rather than printing a misleading 0)."""
    entries = list_hours(cadre_id, year)
    if not entries:
        return None
    return sum((e.hours for e in entries), Decimal(0))


def rewards_text(cadre_id: int) -> str:
    """The roster's 奖惩情况 (rewards) text of a cadre, '' when none."""
    return roster.rewards_of(cadre_id)


def _quarters_text(grades: Sequence[str | None]) -> str:
    parts = [f"第{_QUARTERS[i]}季度{g}" for i, g in enumerate(grades[:4]) if g]
    return "平时考核：" + "，".join(parts) if parts else ""


def _rewards_sanctions(rewards: str, sanctions: str) -> str:
    parts = []
    if rewards:
        parts.append(f"奖励：{' '.join(rewards.split())}")
    if sanctions:
        parts.append(f"处分：{sanctions}")
    return "；".join(parts)


def from_dto(
    dto: PersonSheetDTO,
    *,
    variant: SheetVariant = SheetVariant.FULL,
    hours: Decimal | None = None,
    rewards: str = "",
    work_scope: str = "",
    summary: str = "",
    supervisor_comment: str = "",
    committee_opinion: str = "",
    self_opinion: str = "",
    remarks: str = "",
) -> SheetData:
    """The sheet of one person. The grade printed in the scoring block is the final one
    (after the committee's decision), which the explanation accounts for."""
    scores = None
    if variant is SheetVariant.FULL:
        scores = ScoreBlock(
            items=tuple(ScoreItem(i.name, i.weight, i.score, i.weighted) for i in dto.items),
            democratic=tuple(
                RaterGroupScore(g.name, g.weight, g.score, g.weighted, g.raters) for g in dto.groups
            ),
            adjustments=tuple(Adjustment(reason, points) for reason, points in dto.adjustments),
            composite=dto.composite,
            rank=dto.rank,
            pool_size=dto.pool_size,
            pool_name=dto.pool_name,
            proposed_grade=dto.final_grade or dto.proposed_grade,
            explanation=dto.explanation,
        )
    notes = [t for t in (_quarters_text(dto.quarter_grades), remarks.strip()) if t]
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
        no_grade_note=dto.no_grade_note,
        training_hours=hours if hours is not None else dto.training_hours,
        rewards_sanctions=_rewards_sanctions(rewards, dto.rewards_sanctions),
        remarks="\n".join(notes),
        scores=scores,
        variant=variant,
    )


def sheet_for(
    round_id: int,
    cadre_id: int,
    *,
    variant: SheetVariant = SheetVariant.FULL,
    work_scope: str = "",
    summary: str = "",
    supervisor_comment: str = "",
    committee_opinion: str = "",
    self_opinion: str = "",
    remarks: str = "",
) -> SheetData:
    """The 考核登记表 of ``cadre_id`` in round ``round_id``: header and scores from the round
    (person_sheet: 单位及职务职级 is the member's unit + the roster's post + rank), 备注 with the
    round year's 学时 total, the roster's rewards and the sanctions in force. The free texts
    (个人总结, 评语...) are usually handwritten and default to empty boxes."""
    dto = person_sheet(round_id, cadre_id)
    return from_dto(
        dto,
        variant=variant,
        hours=training_hours(cadre_id, dto.year),
        rewards=rewards_text(cadre_id),
        work_scope=work_scope,
        summary=summary,
        supervisor_comment=supervisor_comment,
        committee_opinion=committee_opinion,
        self_opinion=self_opinion,
        remarks=remarks,
    )
