"""Training use cases: classes (班次) with their calendar, 三三制 targets and status, and the
library courses each class uses, in teaching order.

One use case = one function = one transaction. Results are frozen dataclasses, never rows.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from models.accounts import Permission, require
from models.core.audit import current_user, record_changes
from models.core.concurrency import conflict
from models.core.dates import as_date
from models.core.db import is_server, write_transaction
from models.core.errors import (
    ConflictError,
    DomainError,
    FieldIssue,
    NotFoundError,
    ValidationError,
)
from models.training import planner as tt
from models.training.resources import CourseDTO, course_dto
from models.training.tables import (
    CLASS_LEVELS,
    CLASS_STATUSES,
    Attendance,
    ClassCourse,
    ClassSession,
    Course,
    Enrolment,
    TrainingClass,
)

# ============================================================================ versions


def changed_meanwhile(
    record: str,
    entity: str,
    entity_id: int,
    *,
    now: object = None,
    deleted: bool = False,
    field: str | None = None,
    action: str = "修改",
) -> ConflictError:
    """The ConflictError of a training record someone else changed (or removed) since the
    screen read it: who and when from the change log, ``now`` what it holds now, ``action``
    what they did when it was not a 修改 (e.g. 报名到班次《…》)."""
    found = conflict(record, entity, entity_id, field=field, now=now, deleted=deleted)
    if action == "修改" or deleted:
        return found
    return ConflictError(record, who=found.who, when=found.when, now=found.now, action=action)


def expect_version(
    row: Any, expected: int | None, record: str, entity: str, now: object = None
) -> None:
    """Refuse at once (before any other check) an edit of ``row`` read at another version."""
    if expected is not None and row.version != expected:
        raise changed_meanwhile(record, entity, row.id, now=now)


def write_versioned(
    model: Any,
    row: Any,
    expected: int | None,
    values: Mapping[str, object],
    *,
    record: str,
    entity: str,
    now: Callable[[Any], object] | None = None,
) -> int:
    """``UPDATE … SET values, version = version + 1 WHERE id = row.id AND version = expected``
    (``expected`` None: the version ``row`` was read at in this transaction, so a writer
    who committed in between is not overwritten either); returns the new version. When no
    row matched, raises :func:`changed_meanwhile` with ``now(row as stored now)``."""
    want = row.version if expected is None else expected
    done = (
        model.update(**values, version=model.version + 1)
        .where((model.id == row.id) & (model.version == want))
        .execute()
    )
    if done == 1:
        return want + 1
    fresh = model.get_or_none(model.id == row.id)
    if fresh is None:
        raise changed_meanwhile(record, entity, row.id, deleted=True)
    raise changed_meanwhile(record, entity, row.id, now=now(fresh) if now else None)


def delete_versioned(
    model: Any, row: Any, expected: int | None, *, record: str, entity: str
) -> None:
    """``DELETE … WHERE id = row.id AND version = expected`` (None: as read), else the
    ConflictError of :func:`changed_meanwhile`."""
    want = row.version if expected is None else expected
    if model.delete().where((model.id == row.id) & (model.version == want)).execute() != 1:
        gone = not model.select().where(model.id == row.id).exists()
        raise changed_meanwhile(record, entity, row.id, deleted=gone)


# ============================================================================ classes

MAX_LECTURES_IN_ROW = 12
"""The most consecutive 课堂教学 half-days a class may allow (six full days)."""


@dataclass(frozen=True)
class ClassDTO:
    id: int
    name: str
    level: str
    organiser: str
    start: dt.date
    end: dt.date
    weekdays: frozenset[int]
    holidays: tuple[dt.date, ...]
    evening: bool
    hours_per_half_day: Decimal
    share_lecture: float
    share_field_study: float
    share_discussion: float
    share_tolerance: int
    class_size: int
    electives_per_trainee: int
    head_teacher: str
    status: str
    notes: str
    version: int
    enrolled: int = 0
    use_workdays: bool = False  # 调休上班日排课
    max_lectures_in_row: int = 4  # consecutive 课堂教学 half-days at most


@dataclass
class ClassInput:
    name: str = ""
    level: str = "专题班"
    organiser: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    weekdays: Iterable[int] = (0, 1, 2, 3, 4)
    holidays: Iterable[dt.date] = ()
    evening: bool = False
    hours_per_half_day: Decimal | float = Decimal(4)
    share_lecture: float = 1 / 3
    share_field_study: float = 1 / 3
    share_discussion: float = 1 / 3
    share_tolerance: int = 1
    class_size: int = 0
    electives_per_trainee: int = 1
    head_teacher: str = ""
    status: str = "筹备"
    notes: str = ""
    id: int | None = None
    version: int | None = None
    use_workdays: bool = False  # plan on 调休上班 days too (weekend days worked)
    max_lectures_in_row: int = 4  # 1..MAX_LECTURES_IN_ROW


def class_dto(c: TrainingClass) -> ClassDTO:
    """The DTO of a class row, with the number of trainees enrolled."""
    enrolled = Enrolment.select().where(Enrolment.training_class == c.id).count()
    return ClassDTO(
        c.id,
        c.name,
        c.level,
        c.organiser,
        as_date(c.start),
        as_date(c.end),
        frozenset(int(ch) for ch in c.weekdays),
        tuple(sorted(dt.date.fromisoformat(x) for x in json.loads(c.holidays or "[]"))),
        bool(c.evening),
        Decimal(c.hours_per_half_day),
        c.share_lecture,
        c.share_field_study,
        c.share_discussion,
        c.share_tolerance,
        c.class_size,
        c.electives_per_trainee,
        c.head_teacher,
        c.status,
        c.notes,
        c.version,
        enrolled,
        use_workdays=bool(c.use_workdays),
        max_lectures_in_row=c.max_lectures_in_row,
    )


def class_row(class_id: int, *, lock: bool = False) -> TrainingClass:
    """The class's row, for the use cases of this package; NotFoundError when it is gone.
    With ``lock``, on a server, the row stays locked until the use case's transaction ends
    (SELECT … FOR UPDATE): attendance, 结业, 更正 and 重新开班 of one class take turns, so a
    mark never lands in a class being closed and its ledger lines are never written twice.
    (A SQLite file has one writer at a time already.)"""
    q = TrainingClass.select().where(TrainingClass.id == class_id)
    if lock and is_server():
        q = q.for_update()
    c = q.first()
    if c is None:
        raise NotFoundError(f"找不到编号为 {class_id} 的班次，可能已被删除")
    return c


def get_class(class_id: int) -> ClassDTO:
    return class_dto(class_row(class_id))


def list_classes(status: str = "") -> list[ClassDTO]:
    q = TrainingClass.select()
    if status:
        q = q.where(TrainingClass.status == status)
    return [class_dto(c) for c in q.order_by(TrainingClass.start.desc(), TrainingClass.id)]


def check_class(inp: ClassInput) -> list[FieldIssue]:
    """Everything wrong with a class's settings (empty when it can be saved)."""
    out: list[FieldIssue] = []
    add = out.append
    if not inp.name.strip():
        add(FieldIssue("name", "班次名称", "必填"))
    if inp.level not in CLASS_LEVELS:
        add(FieldIssue("level", "班次类别", f"应为 {'、'.join(CLASS_LEVELS)} 之一"))
    if inp.start is None:
        add(FieldIssue("start", "开班日期", "必填"))
    if inp.end is None:
        add(FieldIssue("end", "结业日期", "必填"))
    if inp.start and inp.end and inp.end < inp.start:
        add(FieldIssue("end", "结业日期", f"{inp.end} 早于开班日期 {inp.start}"))
    was = TrainingClass.get_or_none(TrainingClass.id == inp.id) if inp.id else None
    if was is not None and was.status == "已结业":
        add(
            FieldIssue(
                "status", "状态", "班次已结业，不能再修改；如需修改，请先“重新开班”并写明原因"
            )
        )
    elif inp.status == "已结业":
        add(FieldIssue("status", "状态", "结业请在“考勤与结业”中办理，学时才会登记到档案"))
    elif inp.status != (was.status if was is not None else "筹备"):
        add(FieldIssue("status", "状态", "开班、结业、重新开班请用班次列表上方的按钮办理"))
    days = set(inp.weekdays)
    if not days:
        add(FieldIssue("weekdays", "教学日", "至少选择一天"))
    elif not days <= set(range(7)):
        add(FieldIssue("weekdays", "教学日", "应为 0（周一）至 6（周日）"))
    if inp.start and inp.end:
        outside = sorted(d for d in inp.holidays if not inp.start <= d <= inp.end)
        if outside:
            add(FieldIssue("holidays", "节假日", f"{outside[0]} 不在开班至结业日期之间"))
    hours = Decimal(str(inp.hours_per_half_day))
    if not Decimal(0) < hours <= Decimal(12):
        add(FieldIssue("hours_per_half_day", "每半天学时", f"应在 0 到 12 之间，现为 {hours}"))
    shares = (inp.share_lecture, inp.share_field_study, inp.share_discussion)
    if any(s < 0 for s in shares):
        add(FieldIssue("share_lecture", "三种形式比例", "不能为负数"))
    elif abs(sum(shares) - 1) > 1e-3:
        text = "、".join(f"{m} {s:.3f}" for m, s in zip(tt.MODES, shares, strict=True))
        add(FieldIssue("share_lecture", "三种形式比例", f"之和须为 1，现为 {text}"))
    if inp.share_tolerance < 1:  # a third of 28 half-days is 9.3: 0 could never be met
        add(
            FieldIssue(
                "share_tolerance",
                "比例允许偏差",
                f"至少为 1 个半天（各方式的目标一般不是整数个半天），现为 {inp.share_tolerance}",
            )
        )
    if not 1 <= inp.max_lectures_in_row <= MAX_LECTURES_IN_ROW:
        text = f"应在 1 到 {MAX_LECTURES_IN_ROW} 之间，现为 {inp.max_lectures_in_row}"
        add(FieldIssue("max_lectures_in_row", "连续讲课不超过（半天）", text))
    if inp.class_size < 0:
        add(FieldIssue("class_size", "班额", "不能为负数"))
    if inp.electives_per_trainee < 0:
        add(FieldIssue("electives_per_trainee", "每人选学门数", "不能为负数"))
    if inp.status not in CLASS_STATUSES:
        add(FieldIssue("status", "状态", f"应为 {'、'.join(CLASS_STATUSES)} 之一"))
    return out


CLASS_ENTITY = "training_class"
"""The change log's ``entity`` of a class (its settings, course list, status, 选学名额)."""

_CLASS_LABELS = {
    "name": "班次名称",
    "level": "班次类别",
    "organiser": "主办单位",
    "start": "开班日期",
    "end": "结业日期",
    "weekdays": "教学日",
    "holidays": "节假日",
    "evening": "晚上排课",
    "hours_per_half_day": "每半天学时",
    "share_lecture": "课堂教学比例",
    "share_field_study": "调研考察比例",
    "share_discussion": "研讨交流比例",
    "share_tolerance": "比例允许偏差",
    "use_workdays": "调休上班日排课",
    "max_lectures_in_row": "连续讲课不超过（半天）",
    "class_size": "班额",
    "electives_per_trainee": "每人选学门数",
    "head_teacher": "班主任",
    "status": "状态",
    "notes": "备注",
}


def _class_audit(values: Mapping[str, object]) -> dict[str, object]:
    """A class's settings as the change log keeps them: Chinese names, comparable text."""
    out: dict[str, object] = {}
    for key, label in _CLASS_LABELS.items():
        v = values[key]
        if isinstance(v, bool):
            v = "是" if v else "否"
        elif isinstance(v, float):
            v = f"{v:.3f}"
        elif isinstance(v, Decimal):
            v = format(v.normalize(), "f")
        elif key in ("start", "end") and v is not None:
            v = as_date(v).isoformat()  # type: ignore[arg-type]
        out[label] = v
    return out


def save_class(inp: ClassInput) -> ClassDTO:
    """Validate and store a class (new when ``inp.id`` is None). A stale ``version`` raises
    ConflictError; nothing is saved when anything is wrong."""
    require(Permission.TRAINING)
    issues = check_class(inp)
    if issues:
        raise ValidationError(issues, record=f"班次《{inp.name.strip() or '新班次'}》")
    values = {
        "name": inp.name.strip(),
        "level": inp.level,
        "organiser": inp.organiser.strip(),
        "start": inp.start,
        "end": inp.end,
        "weekdays": "".join(str(d) for d in sorted(set(inp.weekdays))),
        "holidays": json.dumps(sorted(d.isoformat() for d in set(inp.holidays))),
        "evening": inp.evening,
        "hours_per_half_day": Decimal(str(inp.hours_per_half_day)),
        "share_lecture": inp.share_lecture,
        "share_field_study": inp.share_field_study,
        "share_discussion": inp.share_discussion,
        "share_tolerance": inp.share_tolerance,
        "use_workdays": inp.use_workdays,
        "max_lectures_in_row": inp.max_lectures_in_row,
        "class_size": inp.class_size,
        "electives_per_trainee": inp.electives_per_trainee,
        "head_teacher": inp.head_teacher.strip(),
        "status": inp.status,
        "notes": inp.notes,
    }
    user = current_user()
    with write_transaction():
        if inp.id is None:
            new_id = TrainingClass.insert(**values).execute()
            record_changes(CLASS_ENTITY, new_id, "新增", {}, _class_audit(values), user=user)
            return get_class(new_id)
        old = class_row(inp.id)
        before = _class_audit({k: getattr(old, k) for k in _CLASS_LABELS})
        write_versioned(
            TrainingClass,
            old,
            inp.version,
            values,
            record=f"班次《{old.name}》",
            entity=CLASS_ENTITY,
        )
        record_changes(CLASS_ENTITY, old.id, "修改", before, _class_audit(values), user=user)
        return get_class(inp.id)


def set_class_status(
    class_id: int, status: str, *, expected_version: int | None = None
) -> ClassDTO:
    """进行中 → 筹备 (开班 undone) while no attendance is recorded. The other moves belong
    to models.training.lifecycle and are refused here, saying which to use: 开班 (checks
    the start date), 结业 (writes the 学时), 重新开班 (takes them back, with a reason).
    ``expected_version``: the class's version the screen showed (None: not checked)."""
    require(Permission.TRAINING)
    if status not in CLASS_STATUSES:
        raise DomainError(f"班次状态应为 {'、'.join(CLASS_STATUSES)} 之一", field="status")
    with write_transaction():
        c = class_row(class_id)
        record = f"班次《{c.name}》"
        expect_version(c, expected_version, record, CLASS_ENTITY, now=c.status)
        if c.status == "已结业":
            raise DomainError(
                f"{record}已结业；如需重新开班，请点“重新开班…”并写明原因", field="status"
            )
        if status == "已结业":
            raise DomainError(f"{record}请用“结业”操作结束，以便登记学员学时", field="status")
        if status == c.status:
            raise DomainError(f"{record}已是“{status}”", field="status")
        if status == "进行中":
            raise DomainError(f"{record}请用“开班”操作开班（核对开班日期）", field="status")
        recorded = (
            Attendance.select()
            .join(ClassSession)
            .where(ClassSession.training_class == c.id)
            .exists()
        )
        if recorded:
            raise DomainError(f"{record}已登记考勤，不能退回筹备", field="status")
        write_versioned(
            TrainingClass,
            c,
            expected_version,
            {"status": status, "opened_at": None, "opened_by": ""},
            record=record,
            entity=CLASS_ENTITY,
            now=lambda row: row.status,
        )
        record_changes(
            CLASS_ENTITY, c.id, "修改", {"状态": c.status}, {"状态": status}, user=current_user()
        )
        return get_class(class_id)


@dataclass(frozen=True)
class ClassCourseDTO:
    course: CourseDTO
    sort_order: int
    capacity: int  # electives: places, 0 = no limit


def class_courses(class_id: int) -> list[ClassCourseDTO]:
    q = (
        ClassCourse.select()
        .where(ClassCourse.training_class == class_id)
        .order_by(ClassCourse.sort_order, ClassCourse.id)
    )
    return [ClassCourseDTO(course_dto(cc.course), cc.sort_order, cc.capacity) for cc in q]


def _store_courses(
    c: TrainingClass, course_ids: Sequence[int], capacities: Mapping[int, int]
) -> None:
    """Store the class's course list (in the caller's transaction, after it moved the
    class's version on) and log it."""
    if len(set(course_ids)) != len(course_ids):
        raise DomainError("课程列表中有重复的课程", field="courses")
    found = {x.id: x for x in Course.select().where(Course.id.in_(list(course_ids)))}
    missing = [i for i in course_ids if i not in found]
    if missing:
        raise NotFoundError(f"班次《{c.name}》：找不到编号为 {missing[0]} 的课程")
    for cid, cap in capacities.items():
        if cap < 0:
            raise DomainError(f"课程《{found[cid].title}》的选学名额不能为负数")
    used = {
        x.course_id
        for x in ClassSession.select(ClassSession.course)
        .join(Attendance)
        .where((ClassSession.training_class == c.id) & ClassSession.course.is_null(False))
    }
    dropped = used - set(course_ids)
    if dropped:
        title = Course.get_by_id(min(dropped)).title
        raise DomainError(f"课程《{title}》已有考勤记录，不能从班次《{c.name}》中移除")
    kept = {x.course_id: x for x in ClassCourse.select().where(ClassCourse.training_class == c)}
    before = [x.course_id for x in sorted(kept.values(), key=lambda x: (x.sort_order, x.id))]
    changed = before != list(course_ids)
    gone = [cid for cid in kept if cid not in course_ids]
    if gone:
        ClassCourse.delete().where(
            (ClassCourse.training_class == c) & ClassCourse.course.in_(gone)
        ).execute()
    for k, cid in enumerate(course_ids):
        row = kept.get(cid)
        if row is None:
            cap = capacities.get(cid, 0)
            ClassCourse.insert(training_class=c, course=cid, sort_order=k, capacity=cap).execute()
            continue
        new = {"sort_order": k, "capacity": capacities.get(cid, row.capacity)}
        if (row.sort_order, row.capacity) != (k, new["capacity"]):
            changed = True
            ClassCourse.update(**new).where(ClassCourse.id == row.id).execute()
    if changed:
        titles = {x.id: x.title for x in Course.select().where(Course.id.in_(before))}
        titles.update({i: x.title for i, x in found.items()})
        record_changes(
            CLASS_ENTITY,
            c.id,
            "修改",
            {"课程": "、".join(f"《{titles[i]}》" for i in before)},
            {"课程": "、".join(f"《{titles[i]}》" for i in course_ids)},
            user=current_user(),
        )


def set_class_courses(
    class_id: int,
    course_ids: Sequence[int],
    capacities: Mapping[int, int] | None = None,
    *,
    expected_version: int | None = None,
) -> list[ClassCourseDTO]:
    """The library courses the class uses, in teaching order (the order discussion blocks
    follow). ``capacities``: places per elective course (a course kept in the list keeps
    its places when not named). Moves the class's version on; ``expected_version`` is the
    one the screen showed (None: not checked)."""
    require(Permission.TRAINING)
    with write_transaction():
        c = class_row(class_id)
        record = f"班次《{c.name}》"
        # the class row first: a second writer waits here, then finds the version moved on
        write_versioned(TrainingClass, c, expected_version, {}, record=record, entity=CLASS_ENTITY)
        _store_courses(c, course_ids, capacities or {})
        return class_courses(class_id)


def save_class_with_courses(
    inp: ClassInput, course_ids: Sequence[int], capacities: Mapping[int, int] | None = None
) -> ClassDTO:
    """The class editor's save: the settings and the course list in one transaction, so a
    refused course list leaves the class as it was."""
    require(Permission.TRAINING)
    with write_transaction():
        saved = save_class(inp)  # checks and moves on the version: one edit, one step
        _store_courses(class_row(saved.id), course_ids, capacities or {})
        return get_class(saved.id)
