"""The lectures of a 领导干部讲坛 series: title, speaker, date, time, place, audience (units ×
ranks), 学时 (the series' default when left empty) and the notice's 有关要求.

A lecture already 已举办 keeps its ledger in step: a new date, title or 学时 updates its
lines at once (logged as 讲坛信息修改); it cannot move to a date after today, and it cannot
be deleted until its 学时登记 is withdrawn (撤销学时登记).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from peewee import fn

from models.accounts import Permission, require
from models.core.audit import current_user
from models.core.dates import as_date
from models.core.db import write_transaction
from models.core.errors import DomainError, FieldIssue, ValidationError
from models.roster import service as roster
from models.training.lectures.audience import (
    Audience,
    audience_text,
    check_audience,
    count_audience,
    lecture_audience,
)
from models.training.lectures.common import (
    ABSENT,
    ATTENDED,
    EXCUSED,
    HELD,
    LECTURE_ENTITY,
    MAX_HOURS,
    credit_hours,
    lecture_name,
    lecture_row,
    remove_row,
    series_row,
    store_row,
)
from models.training.lectures.credit import sync_lecture_ledger
from models.training.tables import Lecture, LectureAttendance, LectureSeries, stored_hours


@dataclass(frozen=True)
class LectureDTO:
    id: int
    series_id: int
    series_name: str
    seq: int  # 第几讲 in the series, by date
    title: str
    speaker: str
    speaker_title: str  # 单位及职务/职称
    day: dt.date
    time_text: str
    place: str
    audience_units: tuple[int, ...]
    audience_ranks: tuple[str, ...]
    audience_text: str
    hours: Decimal | None  # None: the series' default
    credit_hours: Decimal  # what one attendance credits
    status: str  # 筹备 / 已举办
    requirements: str
    notes: str
    version: int
    expected: int = 0  # cadres the audience covers now
    attended: int = 0
    excused: int = 0
    absent: int = 0


@dataclass
class LectureInput:
    series_id: int = 0
    title: str = ""
    speaker: str = ""
    speaker_title: str = ""
    day: dt.date | None = None
    time_text: str = ""
    place: str = ""
    audience_units: Sequence[int] = field(default_factory=tuple)
    audience_ranks: Sequence[str] = field(default_factory=tuple)
    hours: Decimal | float | str | None = None  # None or "": the series' default
    requirements: str = ""
    notes: str = ""
    id: int | None = None
    version: int | None = None  # the version read (None: not checked)
    reason: str = ""  # why a lecture already 已举办 is changed (its ledger lines follow)


def lecture_input(lec: LectureDTO) -> LectureInput:
    """The entries of a lecture as read, to edit (carries its id and version)."""
    return LectureInput(
        lec.series_id,
        lec.title,
        lec.speaker,
        lec.speaker_title,
        lec.day,
        lec.time_text,
        lec.place,
        lec.audience_units,
        lec.audience_ranks,
        lec.hours,
        lec.requirements,
        lec.notes,
        lec.id,
        lec.version,
    )


def _audit(lec: Lecture) -> dict[str, object]:
    return {
        "题目": lec.title,
        "主讲人": lec.speaker,
        "主讲人单位职务": lec.speaker_title,
        "日期": lec.day,
        "时间": lec.time_text,
        "地点": lec.place,
        "听课单位": lec.audience_units,
        "听课职级": lec.audience_ranks,
        "学时": "" if lec.hours is None else lec.hours,
        "有关要求": lec.requirements,
        "备注": lec.notes,
    }


def _marks(lecture_ids: list[int]) -> dict[int, dict[str, int]]:
    q = (
        LectureAttendance.select(
            LectureAttendance.lecture, LectureAttendance.status, fn.COUNT(LectureAttendance.id)
        )
        .where(LectureAttendance.lecture.in_(lecture_ids or [0]))
        .group_by(LectureAttendance.lecture, LectureAttendance.status)
        .tuples()
    )
    out: dict[int, dict[str, int]] = {}
    for lid, status, n in q:
        out.setdefault(lid, {})[status] = int(n)
    return out


def _dto(
    lec: Lecture,
    series: LectureSeries,
    seq: int,
    marks: dict[str, int],
    units: Sequence[roster.UnitDTO],
) -> LectureDTO:
    audience = lecture_audience(lec)
    return LectureDTO(
        lec.id,
        series.id,
        series.name,
        seq,
        lec.title,
        lec.speaker,
        lec.speaker_title,
        as_date(lec.day),
        lec.time_text,
        lec.place,
        audience.unit_ids,
        audience.ranks,
        audience_text(audience, units),
        None if lec.hours is None else Decimal(lec.hours),
        credit_hours(lec, series),
        lec.status,
        lec.requirements,
        lec.notes,
        lec.version,
        count_audience(audience, units),
        marks.get(ATTENDED, 0),
        marks.get(EXCUSED, 0),
        marks.get(ABSENT, 0),
    )


def _ordered(series_id: int) -> list[Lecture]:
    return list(
        Lecture.select().where(Lecture.series == series_id).order_by(Lecture.day, Lecture.id)
    )


def list_lectures(series_id: int) -> list[LectureDTO]:
    """The series' lectures by date (第一讲 first), with how many are expected and marked."""
    series = series_row(series_id)
    rows = _ordered(series_id)
    marks = _marks([r.id for r in rows])
    units = roster.list_units()
    return [_dto(r, series, k, marks.get(r.id, {}), units) for k, r in enumerate(rows, start=1)]


def get_lecture(lecture_id: int) -> LectureDTO:
    lec = lecture_row(lecture_id)
    series = series_row(lec.series_id)
    seq = 1 + next(k for k, r in enumerate(_ordered(series.id)) if r.id == lec.id)
    return _dto(lec, series, seq, _marks([lec.id]).get(lec.id, {}), roster.list_units())


def _hours(value: Decimal | float | str | None) -> Decimal | None | str:
    """The 学时 entered: None (the series' default), a Decimal, or the text that is no number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return stored_hours(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError):
        return str(value)


def _text_issues(inp: LectureInput) -> list[FieldIssue]:
    issues = []
    limits = (
        ("title", "讲座题目", 120, True),
        ("speaker", "主讲人", 60, True),
        ("speaker_title", "主讲人单位及职务", 120, False),
        ("time_text", "时间", 40, False),
        ("place", "地点", 120, False),
    )
    for name, label, most, required in limits:
        text = str(getattr(inp, name)).strip()
        if required and not text:
            issues.append(FieldIssue(name, label, "不能为空"))
        elif len(text) > most:
            issues.append(FieldIssue(name, label, f"最多 {most} 个字，现为 {len(text)} 个"))
    return issues


def check_lecture(inp: LectureInput, *, today: dt.date | None = None) -> list[FieldIssue]:
    """What is wrong with the lecture's entries, each naming its field."""
    issues = _text_issues(inp)
    if inp.day is None:
        issues.append(FieldIssue("day", "日期", "不能为空"))
    elif not 2000 <= inp.day.year <= 2100:
        issues.append(FieldIssue("day", "日期", f"年份应在 2000–2100 之间，现为 {inp.day.year}"))
    hours = _hours(inp.hours)
    if isinstance(hours, str):
        issues.append(FieldIssue("hours", "学时", f"“{hours}”不是数字；留空则按讲坛的每讲学时"))
    elif hours is not None and not Decimal(0) < hours <= MAX_HOURS:
        issues.append(FieldIssue("hours", "学时", f"应大于 0 且不超过 {MAX_HOURS}，现为 {hours}"))
    issues += check_audience(Audience(tuple(inp.audience_units), tuple(inp.audience_ranks)))
    if inp.id is not None and inp.day is not None:
        old = Lecture.get_or_none(Lecture.id == inp.id)
        today = today or dt.date.today()
        if old is not None and old.status == HELD and inp.day > today:
            issues.append(
                FieldIssue(
                    "day",
                    "日期",
                    f"本讲已登记学时，日期不能改到今天（{today.isoformat()}）以后；"
                    "如讲座改期，请先撤销学时登记",
                )
            )
    return issues


def save_lecture(
    inp: LectureInput, *, today: dt.date | None = None, user: str | None = None
) -> LectureDTO:
    """New lecture (``inp.id`` None) or an edit carrying the version read; a lecture already
    已举办 has its ledger lines brought up to date in the same transaction."""
    require(Permission.TRAINING)
    user = user or current_user()
    with write_transaction():
        series = series_row(inp.series_id)
        record = f"讲坛“{series.name}”的《{inp.title.strip()}》"
        issues = check_lecture(inp, today=today)
        if issues:
            raise ValidationError(issues, record=record)
        hours = _hours(inp.hours)
        units = sorted({int(u) for u in inp.audience_units})
        ranks = list(dict.fromkeys(r.strip() for r in inp.audience_ranks if r.strip()))
        values: dict[str, object] = {
            "series": series.id,
            "title": inp.title.strip(),
            "speaker": inp.speaker.strip(),
            "speaker_title": inp.speaker_title.strip(),
            "day": inp.day,
            "time_text": inp.time_text.strip(),
            "place": inp.place.strip(),
            "audience_units": json.dumps(units),
            "audience_ranks": json.dumps(ranks, ensure_ascii=False),
            "hours": hours,
            "requirements": inp.requirements.strip(),
            "notes": inp.notes.strip(),
        }
        if inp.id is not None:
            lecture_row(inp.id, lock=True)  # its ledger lines follow: one writer at a time
        lid = store_row(
            Lecture,
            LECTURE_ENTITY,
            inp.id,
            inp.version,
            values,
            record=record,
            audit=_audit,
            user=user,
        )
        lec = Lecture.get_by_id(lid)
        if lec.status == HELD:
            why = inp.reason.strip()
            done = sync_lecture_ledger(
                lec, user=user, reason=f"{lecture_name(lec)}讲坛信息修改：{why}"
            )
            if (done.added or done.removed) and not why:  # rolled back with the edit
                raise ValidationError(
                    [
                        FieldIssue(
                            "reason",
                            "修改原因",
                            f"本讲已登记学时，这次修改将更正 {done.lines} 名听课干部的学时档案"
                            "（学时、日期或题目），须写明原因",
                        )
                    ],
                    record=record,
                )
        return get_lecture(lid)


def delete_lecture(lecture_id: int, *, expected_version: int | None = None) -> None:
    """Delete a lecture and its attendance records; refused once its 学时 are registered."""
    require(Permission.TRAINING)
    with write_transaction():
        lec = lecture_row(lecture_id, lock=True)
        where = lecture_name(lec)
        if lec.status == HELD:
            raise DomainError(
                f"{where}已登记学时，不能删除；如确属误登，请先撤销学时登记", field="status"
            )
        remove_row(
            Lecture,
            LECTURE_ENTITY,
            lec,
            expected_version,
            record=where,
            audit=_audit(lec),
            user=current_user(),
        )


__all__ = [
    "LectureDTO",
    "LectureInput",
    "check_lecture",
    "delete_lecture",
    "get_lecture",
    "lecture_input",
    "list_lectures",
    "save_lecture",
]
