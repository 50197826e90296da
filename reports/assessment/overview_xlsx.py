"""The 五项考核 overview as an .xlsx sheet (ranking per unit with grades, quota and the
explanation of each person), written through reports.common.xlsx.write_table (atomic)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from models.assessment.results import RoundOverview
from models.core.progress import IsCancelled, Progress
from reports.common.xlsx import write_table

HEADERS = (
    "单位",
    "职级层次",
    "排名",
    "姓名",
    "身份证号",
    "现任职务",
    "民主测评",
    "项目得分",
    "加分",
    "扣分",
    "综合得分",
    "拟定等次",
    "最终等次",
    "调整理由",
    "优秀名额",
    "提示",
    "说明",
)
WIDTHS = (20, 12, 6, 10, 21, 26, 9, 9, 6, 6, 9, 9, 9, 20, 30, 30, 80)


def _num(value: object) -> object:
    return None if value is None else float(str(value))


def _rows(ov: RoundOverview) -> Iterator[Sequence[object]]:
    for pool in ov.pools:
        for r in pool.rows:
            notes = list(r.warnings)
            if r.missing:
                notes.append("未录入：" + "、".join(r.missing))
            yield (
                r.unit_name,
                r.layer,
                r.rank,
                r.name,
                r.id_card,
                r.post_title,
                _num(r.evaluation),
                _num(r.items),
                _num(r.bonus) or None,
                _num(r.penalty) or None,
                _num(r.composite),
                r.proposed_grade,
                r.final_grade,
                r.override_reason,
                f"{pool.quota} 名（{pool.quota_text}）",
                "；".join(notes),
                r.explanation,
            )


def write_overview_xlsx(
    ov: RoundOverview,
    dest: Path,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> int:
    """One row per person, ranked within each unit; returns the number of rows written."""
    total = sum(len(p.rows) for p in ov.pools)
    return write_table(
        Path(dest),
        title=f"{ov.round.name}结果汇总（{ov.round.status}）",
        headers=HEADERS,
        widths=WIDTHS,
        rows=_rows(ov),
        total=total,
        text_columns=(4,),
        progress=progress,
        cancelled=cancelled,
        sheet_name="考核结果",
    )
