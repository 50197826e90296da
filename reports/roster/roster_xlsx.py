"""The 花名册 as an xlsx sheet: one row per cadre, the columns a 组织部 roster has."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from models.core.dates import ym
from models.core.progress import IsCancelled, Progress
from models.roster import CadreDTO
from reports.common.xlsx import write_table

# header, attribute (or a function of the cadre), column width
COLUMNS: list[tuple[str, str, int]] = [
    ("姓名", "name", 10),
    ("性别", "sex", 6),
    ("出生年月", "birth_date", 10),
    ("民族", "ethnicity", 8),
    ("籍贯", "native_place", 12),
    ("出生地", "birthplace", 12),
    ("政治面貌", "political_status", 12),
    ("入党时间", "party_date", 10),
    ("参加工作时间", "work_start_date", 12),
    ("健康状况", "health", 8),
    ("全日制学历", "ft_education", 12),
    ("全日制学位", "ft_degree", 12),
    ("全日制毕业院校系及专业", "ft_school", 28),
    ("在职学历", "pt_education", 14),
    ("在职学位", "pt_degree", 12),
    ("在职毕业院校系及专业", "pt_school", 24),
    ("单位", "unit_name", 22),
    ("现任职务", "post_title", 32),
    ("领导职务层次", "leadership_level", 12),
    ("职级", "rank", 12),
    ("任现职时间", "post_since", 10),
    ("身份证号", "id_card", 21),
    ("联系电话", "phone", 14),
    ("状态", "status", 6),
    ("人员类别", "staff_category", 16),
    ("备注", "notes", 20),
]
HEADERS = ["序号"] + [c[0] for c in COLUMNS]
ID_COLUMN = HEADERS.index("身份证号")


def row_of(n: int, c: CadreDTO) -> list[object]:
    out: list[object] = [n]
    for _, attr, _ in COLUMNS:
        value = getattr(c, attr)
        out.append(ym(value) if isinstance(value, dt.date) else value)
    return out


def export_roster_xlsx(
    cadres: Iterable[CadreDTO],
    dest: Path,
    *,
    total: int = 0,
    title: str = "干部花名册",
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> int:
    """Write the roster; returns the number of rows. Dates are written 1975.03, ID numbers as
    text. Nothing is left at ``dest`` when cancelled (Cancelled) or failing."""
    today = dt.date.today()
    return write_table(
        Path(dest),
        title=f"{title}（{today.year}年{today.month}月{today.day}日导出）",
        headers=HEADERS,
        widths=[6] + [c[2] for c in COLUMNS],
        rows=(row_of(n, c) for n, c in enumerate(cadres, start=1)),
        total=total,
        text_columns=[ID_COLUMN],
        progress=progress,
        cancelled=cancelled,
        sheet_name="干部花名册",
    )
