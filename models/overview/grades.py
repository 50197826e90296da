"""The grade distribution of the latest 年度考核 for the 首页, read from the round's
overview (:func:`models.assessment.results.overview.round_overview`), the same figures the
年度考核 section shows: each grade's people after the 考核委员会's decisions."""

from __future__ import annotations

from dataclasses import dataclass

from models.assessment import KIND_ANNUAL, RoundDTO, list_rounds
from models.assessment.results.overview import round_overview
from models.assessment.rules import Grade
from models.assessment.tables import GradeResult
from models.overview.types import CountRow


@dataclass(frozen=True)
class GradeCounts:
    """The grades of one 年度考核 round."""

    round_id: int
    round_name: str  # '2025年度考核'
    status: str  # 录入 / 审核 / 审定
    counts: tuple[CountRow, ...]  # 优秀, 称职, 基本称职, 不称职, 不定等次: every grade, in order
    ungraded: int  # taking part, but no grade yet
    not_participating: int  # members who do not take part (a reason is recorded)

    @property
    def graded(self) -> int:
        return sum(r.count for r in self.counts)


def shown_round(rounds: list[RoundDTO]) -> RoundDTO | None:
    """Of ``rounds`` (latest first), the latest 年度考核 that has grades, else the latest
    年度考核 (a round just set up, nobody graded yet); None when there is none."""
    annual = [r for r in rounds if r.kind == KIND_ANNUAL]
    if not annual:
        return None
    graded = {
        rid
        for (rid,) in GradeResult.select(GradeResult.round)
        .where(GradeResult.final_grade != "")
        .distinct()
        .tuples()
    }
    return next((r for r in annual if r.id in graded), annual[0])


def latest_annual_grades() -> GradeCounts | None:
    """How many people got each grade in the latest graded 年度考核 (see :func:`shown_round`);
    None when no 年度考核 round exists."""
    rnd = shown_round(list_rounds())
    if rnd is None:
        return None
    overview = round_overview(rnd.id)
    counts = dict.fromkeys((g.value for g in Grade), 0)
    ungraded = 0
    for pool in overview.pools:
        for grade, n in pool.counts.items():
            counts[grade] += n
        ungraded += sum(1 for row in pool.rows if not row.final_grade)
    return GradeCounts(
        rnd.id,
        rnd.name,
        rnd.status,
        tuple(CountRow(grade, n) for grade, n in counts.items()),
        ungraded,
        len(overview.not_participating),
    )


__all__ = ["GradeCounts", "latest_annual_grades", "shown_round"]
