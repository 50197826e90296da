"""xlsx exports of the training kit: 课程表, 签到表 rows and 学员名册 (each written through
:func:`reports.common.xlsx.write_table`: a temporary file renamed into place)."""

from __future__ import annotations

import os
from pathlib import Path

from models.core.progress import IsCancelled, Progress
from models.training import planner as tt
from models.training import print_data as tp
from reports.common.xlsx import write_table

__all__ = ["roster_xlsx", "signin_xlsx", "timetable_xlsx"]


def timetable_xlsx(
    data: tp.TimetablePrint,
    dest: str | os.PathLike[str],
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> int:
    """课程表 as a sheet, one row per session; returns the rows written."""
    rows = [
        [
            s.day.isoformat(),
            tt.WEEKDAY_NAMES[s.day.weekday()],
            s.slot,
            s.mode,
            s.title if s.parts <= 1 else f"{s.title}（{s.part}/{s.parts}）",
            s.teacher_name,
            s.site_name or s.room_name,
            float(s.hours),
            "是" if s.elective else "",
        ]
        for s in data.sessions
    ]
    return write_table(
        Path(dest),
        title=f"{data.cls.name}课程表（{data.cls.period}）",
        headers=["日期", "星期", "时段", "教学形式", "课程", "授课教师", "地点", "学时", "选学"],
        widths=[12, 6, 6, 10, 40, 12, 24, 6, 6],
        rows=rows,
        total=len(rows),
        text_columns=(0,),
        progress=progress,
        cancelled=cancelled,
        sheet_name="课程表",
    )


def signin_xlsx(
    data: tp.SigninPrint,
    dest: str | os.PathLike[str],
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> int:
    """签到表 rows: one row per trainee per session (empty 签名 column)."""
    rows = [
        [
            sheet.day.isoformat(),
            sheet.slot,
            sheet.title,
            r.seq,
            r.name,
            r.unit,
            r.post,
            r.group,
            "",
            r.note,
        ]
        for sheet in data.sheets
        for r in sheet.rows
    ]
    return write_table(
        Path(dest),
        title=f"{data.cls.name}签到表",
        headers=["日期", "时段", "课程", "序号", "姓名", "单位", "职务", "组别", "签名", "备注"],
        widths=[12, 6, 36, 6, 10, 24, 20, 8, 16, 10],
        rows=rows,
        total=len(rows),
        text_columns=(0,),
        progress=progress,
        cancelled=cancelled,
        sheet_name="签到表",
    )


def roster_xlsx(
    data: tp.RosterPrint,
    dest: str | os.PathLike[str],
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> int:
    """学员名册 as a sheet: 组别 and 班内职务 as their own columns."""
    rows = [
        [
            g.label,
            p.seq,
            p.name,
            p.sex,
            p.birth,
            p.unit_post,
            p.rank,
            p.phone,
            "、".join(p.marks),
        ]
        for g in data.groups
        for p in g.people
    ]
    return write_table(
        Path(dest),
        title=f"{data.cls.name}学员名册",
        headers=[
            "组别",
            "序号",
            "姓名",
            "性别",
            "出生年月",
            "单位及职务",
            "职级",
            "联系电话",
            "班内职务",
        ],
        widths=[8, 6, 10, 6, 10, 36, 14, 16, 14],
        rows=rows,
        total=len(rows),
        text_columns=(4, 7),
        progress=progress,
        cancelled=cancelled,
        sheet_name="学员名册",
    )
