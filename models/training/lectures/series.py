"""领导干部讲坛 series: name, 主办单位 and the 学时 one attended lecture credits by default.

A change of the default 学时 follows into the ledger at once for every lecture of the series
already 已举办 that has no 学时 of its own. A series whose lectures have credited 学时
cannot be deleted (撤销学时登记 first).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from peewee import Case, IntegrityError, fn

from models.accounts import Permission, require
from models.core.audit import current_user
from models.core.db import db, is_unique_violation, write_transaction
from models.core.errors import DomainError, FieldIssue, ValidationError
from models.training.lectures.common import (
    HELD,
    MAX_HOURS,
    SERIES_ENTITY,
    remove_row,
    series_row,
    store_row,
)
from models.training.lectures.credit import sync_lecture_ledger
from models.training.tables import Lecture, LectureSeries, stored_hours


@dataclass(frozen=True)
class SeriesDTO:
    id: int
    name: str
    organiser: str
    hours_per_lecture: Decimal
    notes: str
    version: int
    lectures: int = 0
    held: int = 0  # lectures whose 学时 are registered


@dataclass
class SeriesInput:
    name: str = ""
    organiser: str = ""
    hours_per_lecture: Decimal | float | str = Decimal(3)
    notes: str = ""
    id: int | None = None
    version: int | None = None  # the version read (None: not checked)
    reason: str = ""  # why 每讲学时 changes when 已举办 lectures use it (their ledger lines)


def _audit(s: LectureSeries) -> dict[str, object]:
    return {
        "名称": s.name,
        "主办单位": s.organiser,
        "每讲学时": s.hours_per_lecture,
        "备注": s.notes,
    }


def _counts(series_ids: list[int]) -> dict[int, tuple[int, int]]:
    held = fn.SUM(Case(None, [(Lecture.status == HELD, 1)], 0))
    q = (
        Lecture.select(Lecture.series, fn.COUNT(Lecture.id), held)
        .where(Lecture.series.in_(series_ids or [0]))
        .group_by(Lecture.series)
        .tuples()
    )
    return {sid: (int(n), int(h or 0)) for sid, n, h in q}


def _dto(s: LectureSeries, counts: tuple[int, int] = (0, 0)) -> SeriesDTO:
    return SeriesDTO(
        s.id,
        s.name,
        s.organiser,
        Decimal(s.hours_per_lecture),
        s.notes,
        s.version,
        counts[0],
        counts[1],
    )


def list_series() -> list[SeriesDTO]:
    rows = list(LectureSeries.select().order_by(LectureSeries.id))  # oldest first
    counts = _counts([s.id for s in rows])
    return [_dto(s, counts.get(s.id, (0, 0))) for s in rows]


def get_series(series_id: int) -> SeriesDTO:
    s = series_row(series_id)
    return _dto(s, _counts([s.id]).get(s.id, (0, 0)))


def _hours(value: Decimal | float | str) -> Decimal | None:
    try:
        return stored_hours(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError):
        return None


def check_series(inp: SeriesInput) -> list[FieldIssue]:
    """What is wrong with the series' entries (nothing is read but other series' names)."""
    issues = []
    name = inp.name.strip()
    if not name:
        issues.append(FieldIssue("name", "讲坛名称", "不能为空"))
    elif len(name) > 120:
        issues.append(FieldIssue("name", "讲坛名称", f"最多 120 个字，现为 {len(name)} 个"))
    else:
        same = LectureSeries.select().where(LectureSeries.name == name)
        if inp.id is not None:
            same = same.where(LectureSeries.id != inp.id)
        if same.exists():
            issues.append(FieldIssue("name", "讲坛名称", f"已有名为“{name}”的讲坛"))
    if len(inp.organiser.strip()) > 100:
        issues.append(FieldIssue("organiser", "主办单位", "最多 100 个字"))
    hours = _hours(inp.hours_per_lecture)
    if hours is None:
        issues.append(
            FieldIssue("hours_per_lecture", "每讲学时", f"“{inp.hours_per_lecture}”不是数字")
        )
    elif not Decimal(0) < hours <= MAX_HOURS:
        issues.append(
            FieldIssue(
                "hours_per_lecture", "每讲学时", f"应大于 0 且不超过 {MAX_HOURS}，现为 {hours}"
            )
        )
    return issues


def save_series(inp: SeriesInput, *, user: str | None = None) -> SeriesDTO:
    """New series (``inp.id`` None) or an edit carrying the version read. A new default
    学时 updates the ledger lines of the series' 已举办 lectures that use it."""
    require(Permission.TRAINING)
    user = user or current_user()
    record = f"讲坛“{inp.name.strip()}”"
    with write_transaction():
        issues = check_series(inp)
        if issues:
            raise ValidationError(issues, record=record)
        hours = _hours(inp.hours_per_lecture)
        values: dict[str, object] = {
            "name": inp.name.strip(),
            "organiser": inp.organiser.strip(),
            "hours_per_lecture": hours,
            "notes": inp.notes.strip(),
        }
        before = series_row(inp.id).hours_per_lecture if inp.id is not None else None
        try:
            with db.atomic():  # a savepoint: another clerk's series of the same name
                sid = store_row(
                    LectureSeries,
                    SERIES_ENTITY,
                    inp.id,
                    inp.version,
                    values,
                    record=record,
                    audit=_audit,
                    user=user,
                )
        except IntegrityError as exc:
            if not is_unique_violation(exc):
                raise
            raise ValidationError(
                [FieldIssue("name", "讲坛名称", f"已有名为“{values['name']}”的讲坛")],
                record=record,
            ) from exc
        if before is not None and Decimal(before) != hours:
            held = Lecture.select().where(
                (Lecture.series == sid) & (Lecture.status == HELD) & Lecture.hours.is_null()
            )
            why = inp.reason.strip()
            changed = 0
            for lec in held.order_by(Lecture.day, Lecture.id):
                done = sync_lecture_ledger(
                    lec, user=user, reason=f"{record}每讲学时改为 {hours}：{why}"
                )
                changed += done.added
            if changed and not why:  # rolled back with the edit
                raise ValidationError(
                    [
                        FieldIssue(
                            "reason",
                            "修改原因",
                            f"已举办讲座的 {changed} 条学时记录将按新的每讲学时更正，须写明原因",
                        )
                    ],
                    record=record,
                )
        return get_series(sid)


def delete_series(series_id: int, *, expected_version: int | None = None) -> None:
    """Delete a series with its lectures and their attendance; refused while one of its
    lectures has 学时 in the ledger."""
    require(Permission.TRAINING)
    with write_transaction():
        s = series_row(series_id)
        record = f"讲坛“{s.name}”"
        held = Lecture.select().where((Lecture.series == s.id) & (Lecture.status == HELD)).count()
        if held:
            raise DomainError(
                f"{record}已有 {held} 讲登记了学时，不能删除；如确属误登，请先撤销各讲的学时登记"
            )
        remove_row(
            LectureSeries,
            SERIES_ENTITY,
            s,
            expected_version,
            record=record,
            audit=_audit(s),
            user=current_user(),
        )


__all__ = [
    "SeriesDTO",
    "SeriesInput",
    "check_series",
    "delete_series",
    "get_series",
    "list_series",
    "save_series",
]
