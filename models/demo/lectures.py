"""Demo 领导干部讲坛 on top of the 白银市 demo roster (:func:`models.demo.build_demo`): one
series of six monthly Friday lectures, four already held (attendance marked, 学时 registered
in the ledger, one attendance corrected afterwards with its reason) and two to come (one
with leave already asked for, so its 签到表 says 请假). Each lecture has its own audience:
city-level 处级 leaders, every unit's 县处级正职, two counties' leaders and 科级 heads...

The same (today, seed) always gives the same data. Call on an open database whose schema
has the training tables, after the roster (and, for the 讲坛 speaker, the demo training).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from models.core.db import db
from models.roster.tables import Unit
from models.training.lectures import (
    ABSENT,
    ATTENDED,
    EXCUSED,
    LectureInput,
    SeriesInput,
    credit_lecture,
    lecture_attendance,
    record_lecture_attendance,
    save_lecture,
    save_series,
)
from models.training.tables import Teacher

USER = "演示数据"
SERIES = "领导干部讲坛"
ORGANISER = "中共白银市委组织部"
PLACE = "市委党校多功能报告厅"
CHU = ("县处级正职", "县处级副职")


@dataclass(frozen=True)
class _Talk:
    days: int  # from today: negative for a lecture held, the Friday on or before it
    title: str
    speaker: str  # "": the demo's 领导干部讲坛 teacher (a county leader of the roster)
    speaker_title: str
    units: tuple[str, ...]  # unit names; (): every unit
    ranks: tuple[str, ...]
    hours: str = ""  # "": the series' 3 学时
    time_text: str = "上午 9:00-11:30"


TALKS = (
    _Talk(-119, "习近平经济思想与高质量发展", "刘国庆", "兰州大学经济学院教授",
          ("市委", "市政府"), CHU),
    _Talk(-91, "黄河流域生态保护和高质量发展", "孙晓燕", "甘肃省委党校乡村振兴研究中心研究员",
          (), ("县处级正职",)),
    _Talk(-63, "资源型城市转型发展的白银实践", "", "", ("靖远县", "会宁县"),
          (*CHU, "乡科级正职"), hours="4", time_text="下午 14:30-17:30"),
    _Talk(-35, "新时代领导干部的法治思维", "李明哲", "甘肃政法大学法学院教授",
          ("市委", "市政府"), ("乡科级正职",)),
    _Talk(9, "数字政府建设与基层治理创新", "陈立华", "甘肃省数据局副局长", (), CHU),
    _Talk(37, "全面从严治党与领导干部作风建设", "马建华", "市委党校马克思主义理论教研室主任、教授",
          ("白银区", "平川区"), (*CHU, "乡科级正职")),
)  # fmt: skip

REQUIREMENTS = (
    "请参加人员于开讲前 15 分钟到场，在签到表上本人签名。\n"
    "因公务不能参加的，须经本单位主要负责同志同意，于讲座前一日向市委组织部干部教育科请假。\n"
    "讲座后一周内，各单位将学习心得体会（每人不少于 1000 字）报市委组织部。"
)


def _friday(day: dt.date, *, before: bool) -> dt.date:
    """The Friday on or before ``day`` (or on or after it)."""
    shift = (day.weekday() - 4) % 7
    return (
        day - dt.timedelta(days=shift)
        if before
        else day + dt.timedelta(days=(4 - day.weekday()) % 7)
    )


def _speaker() -> tuple[str, str]:
    t = Teacher.select().where(Teacher.kind == SERIES).order_by(Teacher.id).first()
    return (t.name, t.unit_title) if t is not None else ("张振兴", "白银市人民政府副市长")


def add_demo_lectures(today: dt.date, rng_seed: int = 1) -> dict[str, int]:
    """Create the demo series and its lectures; returns lecture ids by title."""
    rng = random.Random(rng_seed * 7919 + 13)
    with db.atomic():
        series = save_series(
            SeriesInput(
                SERIES,
                ORGANISER,
                "3",
                "每月一讲，邀请专家学者和市级领导同志主讲，面向全市领导干部。",
            )
        )
        unit_ids = dict(Unit.select(Unit.name, Unit.id).tuples())
        ids: dict[str, int] = {}
        for talk in TALKS:
            held = talk.days < 0
            day = _friday(today + dt.timedelta(days=talk.days), before=held)
            speaker, title = (talk.speaker, talk.speaker_title) if talk.speaker else _speaker()
            lec = save_lecture(
                LectureInput(
                    series.id,
                    talk.title,
                    speaker,
                    title,
                    day,
                    talk.time_text,
                    PLACE,
                    [unit_ids[u] for u in talk.units if u in unit_ids],
                    list(talk.ranks),
                    talk.hours or None,
                    "" if held else REQUIREMENTS,
                ),
                today=today,
            )
            ids[talk.title] = lec.id
            rows = lecture_attendance(lec.id)
            if held:
                marks = {
                    r.cadre_id: rng.choices((ATTENDED, EXCUSED, ABSENT), (88, 7, 5))[0]
                    for r in rows
                }
                if marks:
                    if ATTENDED not in marks.values():
                        marks[rows[0].cadre_id] = ATTENDED
                    record_lecture_attendance(lec.id, marks, user=USER)
                    credit_lecture(lec.id, today=today, user=USER)
            elif rows:  # leave asked for beforehand
                asked = {r.cadre_id: EXCUSED for r in rows[:: max(len(rows) // 3, 1)][:3]}
                record_lecture_attendance(
                    lec.id, asked, notes=dict.fromkeys(asked, "外出公务"), user=USER
                )
        for talk in TALKS:
            if talk.days < 0 and _correct_one(ids[talk.title]):
                break
    return ids


def _correct_one(lecture_id: int) -> bool:
    """A correction after 登记学时: someone marked 缺席 had signed in after all."""
    rows = lecture_attendance(lecture_id)
    absent = next((r for r in rows if r.status == ABSENT), None)
    if absent is None:
        return False
    record_lecture_attendance(
        lecture_id,
        {absent.cadre_id: ATTENDED},
        notes={absent.cadre_id: "迟到签到，核实后补登"},
        reason="签到表核对时发现漏登",
        expected_versions={absent.cadre_id: absent.version},
        user=USER,
    )
    return True


__all__ = ["TALKS", "add_demo_lectures"]
