"""One cadre's 年度考核 over the years, for the 一人一档 (a cadre's whole record as one PDF):
each annual round the cadre took part in, with the grade (approved or still being worked
on, said as such), the composite score and the 平时考核 grades of the year."""

from __future__ import annotations

from dataclasses import dataclass

from peewee import JOIN

from models.assessment.records import quarter_grades
from models.assessment.tables import (
    KIND_ANNUAL,
    STATUS_APPROVED,
    AssessmentRound,
    GradeResult,
    PoolApproval,
    RoundMember,
)
from models.core.db import query_rows

__all__ = ["CadreRoundDTO", "cadre_rounds"]


@dataclass(frozen=True)
class CadreRoundDTO:
    round_id: int
    year: int
    name: str
    status: str  # 录入 / 审核 / 审定
    approved: bool  # the round 审定, or the cadre's 考核范围 approved on its own
    grade: str  # the final grade; 不定等次 with its category; "" not graded yet
    composite: str  # '' when none
    not_participating: str  # why the cadre did not take part ('' when they did)
    quarters: tuple[str | None, str | None, str | None, str | None]  # 平时考核 Q1–Q4

    @property
    def result_text(self) -> str:
        """What the dossier prints as the year's result."""
        if self.not_participating:
            return f"不参加考核（{self.not_participating}）"
        if not self.grade:
            return "未计算等次"
        return self.grade if self.approved else f"{self.grade}（未审定）"


def cadre_rounds(cadre_id: int) -> list[CadreRoundDTO]:
    """The annual rounds the cadre is a member of, the latest year first."""
    result_on = (GradeResult.round == RoundMember.round) & (GradeResult.cadre == RoundMember.cadre)
    pool_on = (PoolApproval.round == GradeResult.round) & (
        PoolApproval.pool_key == GradeResult.pool_key
    )
    query = (
        RoundMember.select(
            AssessmentRound.id,
            AssessmentRound.year,
            AssessmentRound.name,
            AssessmentRound.status,
            PoolApproval.id,
            GradeResult.final_grade,
            GradeResult.no_grade_category,
            GradeResult.composite,
            RoundMember.not_participating,
        )
        .join(AssessmentRound)
        .switch(RoundMember)
        .join(GradeResult, JOIN.LEFT_OUTER, on=result_on)
        .join(PoolApproval, JOIN.LEFT_OUTER, on=pool_on)
        .where((RoundMember.cadre == cadre_id) & (AssessmentRound.kind == KIND_ANNUAL))
        .order_by(AssessmentRound.year.desc(), AssessmentRound.id.desc())
    )
    out = []
    for rid, year, name, status, pool_ok, grade, no_grade, composite, absent in query_rows(query):
        text = grade or ""
        if text == "不定等次" and no_grade:
            text = f"不定等次（{no_grade}）"
        out.append(
            CadreRoundDTO(
                rid,
                year,
                name,
                status,
                status == STATUS_APPROVED or pool_ok is not None,
                text,
                composite or "",
                absent or "",
                quarter_grades(cadre_id, year),
            )
        )
    return out
