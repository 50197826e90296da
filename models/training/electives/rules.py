"""菜单化选学, the rules: the electives of a class with their places, a trainee's wishes in
order of preference (handed in at a time: the 先报先得 order), and the settlement that gives
every trainee their places by a stated rule (先报先得, or 按职级从高到低), moving (调剂) those
whose wishes are full, with the reason.

One use case = one function = one transaction. Results are frozen dataclasses, never rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from models.accounts import Permission, require
from models.core.audit import current_user, record_changes
from models.core.db import write_transaction
from models.core.errors import DomainError
from models.training.classes import class_row, write_versioned
from models.training.tables import ClassCourse, Course, ElectiveChoice, Enrolment
from models.training.trainees import (
    ENROLMENT_ENTITY,
    list_trainees,
    rank_key,
    seniority,
    trainee_record,
    trainee_row,
)

__all__ = [
    "BY_RANK",
    "FIRST_COME",
    "RULE_NAMES",
    "ElectiveOption",
    "ElectiveOutcome",
    "ElectiveSettlement",
    "elective_options",
    "set_elective_choices",
    "settle_electives",
]

FIRST_COME = "first_come"
BY_RANK = "by_rank"
RULE_NAMES = {FIRST_COME: "先报先得", BY_RANK: "按职级从高到低"}


@dataclass(frozen=True)
class ElectiveOption:
    course_id: int
    title: str
    capacity: int  # 0: no limit
    chosen: int  # first choices
    admitted: int


def elective_options(class_id: int) -> list[ElectiveOption]:
    rows = (
        ClassCourse.select(ClassCourse, Course)
        .join(Course)
        .where((ClassCourse.training_class == class_id) & (Course.elective == True))  # noqa: E712
        .order_by(ClassCourse.sort_order, ClassCourse.id)
    )
    out = []
    for cc in rows:
        base = ElectiveChoice.select().where(
            (ElectiveChoice.training_class == class_id) & (ElectiveChoice.course == cc.course_id)
        )
        out.append(
            ElectiveOption(
                cc.course_id,
                cc.course.title,
                cc.capacity,
                base.where(ElectiveChoice.preference == 1).count(),
                base.where(ElectiveChoice.result.in_(["录取", "调剂"])).count(),
            )
        )
    return out


def _wishes_text(class_id: int, cadre_id: int) -> str:
    """A trainee's wishes as stored, for the change log and a conflict message."""
    q = (
        ElectiveChoice.select(ElectiveChoice, Course)
        .join(Course)
        .where(
            (ElectiveChoice.training_class == class_id)
            & (ElectiveChoice.cadre == cadre_id)
            & (ElectiveChoice.preference > 0)
        )
        .order_by(ElectiveChoice.preference)
    )
    return "、".join(f"《{ch.course.title}》" for ch in q) or "空"


def set_elective_choices(
    class_id: int,
    cadre_id: int,
    course_ids: Sequence[int],
    *,
    at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> None:
    """A trainee's elective wishes in order of preference (first = first choice). ``at`` is
    when they were handed in (the 先报先得 order); replaces earlier wishes. The wishes are a
    part of the trainee's enrolment: ``expected_version`` is its version the screen showed
    (None: not checked), refused with who, when and the wishes now when it moved on."""
    require(Permission.TRAINING)
    at = at or dt.datetime.now().replace(microsecond=0)
    with write_transaction():
        c = class_row(class_id)
        about = "的选学志愿"

        def now(row: Enrolment) -> str:
            return _wishes_text(class_id, row.cadre_id)

        e = trainee_row(c, cadre_id, expected_version, about=about, now=now)
        if len(set(course_ids)) != len(course_ids):
            raise DomainError(f"学员“{e.cadre.name}”的选学志愿中有重复的课程")
        offered = {o.course_id: o for o in elective_options(class_id)}
        for cid in course_ids:
            if cid not in offered:
                raise DomainError(
                    f"学员“{e.cadre.name}”所选编号为 {cid} 的课程不是班次《{c.name}》的选学课程"
                )
        # the enrolment first: a second writer waits here, then finds its version gone
        record = trainee_record(c, e.cadre.name) + about
        write_versioned(
            Enrolment, e, expected_version, {}, record=record, entity=ENROLMENT_ENTITY, now=now
        )
        before = _wishes_text(class_id, cadre_id)
        ElectiveChoice.delete().where(
            (ElectiveChoice.training_class == class_id) & (ElectiveChoice.cadre == cadre_id)
        ).execute()
        if course_ids:
            ElectiveChoice.insert_many(
                [
                    {
                        "training_class": class_id,
                        "cadre": cadre_id,
                        "course": cid,
                        "preference": k,
                        "chosen_at": at,
                    }
                    for k, cid in enumerate(course_ids, start=1)
                ]
            ).execute()
        old, new = {"选学志愿": before}, {"选学志愿": _wishes_text(class_id, cadre_id)}
        record_changes(ENROLMENT_ENTITY, e.id, "修改", old, new, user=current_user())


@dataclass(frozen=True)
class ElectiveOutcome:
    cadre_id: int
    name: str
    course_id: int | None  # None: no place anywhere
    course_title: str
    preference: int  # which wish was granted; 0: moved to a course not chosen (调剂)
    moved: bool  # not the first choice
    reason: str  # why moved, Chinese; '' for a first choice


@dataclass(frozen=True)
class ElectiveSettlement:
    rule: str
    rule_name: str
    outcomes: tuple[ElectiveOutcome, ...]
    options: tuple[ElectiveOption, ...]


def settle_electives(class_id: int, rule: str = FIRST_COME) -> ElectiveSettlement:
    """Give every trainee ``electives_per_trainee`` places, in rounds: in each round the
    trainees, ordered by the rule (先报先得: by the time the wishes were handed in; 按职级:
    most senior first, then by time), take their best remaining wish with a free place.
    A trainee whose wishes are all full is moved (调剂) to the elective with most free
    places; with no place left anywhere they get none. The reason is given for every move.
    Settling again starts afresh."""
    require(Permission.TRAINING)
    if rule not in RULE_NAMES:
        raise DomainError(f"选学规则应为 {'、'.join(RULE_NAMES)} 之一，不能是“{rule}”")
    with write_transaction():
        c = class_row(class_id)
        options = elective_options(class_id)
        if not options:
            raise DomainError(f"班次《{c.name}》没有选学课程")
        ElectiveChoice.delete().where(
            (ElectiveChoice.training_class == class_id) & (ElectiveChoice.preference == 0)
        ).execute()
        ElectiveChoice.update(result="", note="").where(
            ElectiveChoice.training_class == class_id
        ).execute()
        title = {o.course_id: o.title for o in options}
        cap = {o.course_id: o.capacity for o in options}
        taken = dict.fromkeys(cap, 0)
        people = {t.cadre_id: t for t in list_trainees(class_id)}
        wishes: dict[int, list[int]] = {cid: [] for cid in people}
        handed: dict[int, dt.datetime] = {}
        for ch in (
            ElectiveChoice.select()
            .where(ElectiveChoice.training_class == class_id)
            .order_by(ElectiveChoice.preference)
        ):
            wishes.setdefault(ch.cadre_id, []).append(ch.course_id)
            handed[ch.cadre_id] = min(handed.get(ch.cadre_id, ch.chosen_at), ch.chosen_at)
        table = seniority()
        late = dt.datetime.max

        def order_key(cid: int) -> tuple[object, ...]:
            when = handed.get(cid, late)
            if rule == BY_RANK:
                return (rank_key(people[cid], table), when, cid)
            return (when, cid)

        ordered = sorted(people, key=order_key)
        rounds = max(0, min(c.electives_per_trainee, len(options)))
        got: dict[int, list[int]] = {cid: [] for cid in people}
        outcomes: list[ElectiveOutcome] = []

        def free(course_id: int) -> bool:
            return cap[course_id] == 0 or taken[course_id] < cap[course_id]

        for _ in range(rounds):
            for cid in ordered:
                person = people[cid]
                mine = wishes.get(cid, [])
                open_wishes = [w for w in mine if w not in got[cid]]
                pick = next((w for w in open_wishes if free(w)), None)
                if pick is not None:
                    pref = mine.index(pick) + 1
                    full = open_wishes[: open_wishes.index(pick)]
                    reason = "、".join(f"《{title[w]}》" for w in full) + "名额已满" if full else ""
                    got[cid].append(pick)
                    taken[pick] += 1
                    outcomes.append(
                        ElectiveOutcome(
                            cid, person.name, pick, title[pick], pref, bool(full), reason
                        )
                    )
                    continue
                spare = [
                    o.course_id
                    for o in options
                    if o.course_id not in got[cid] and free(o.course_id)
                ]
                why = "未填报选学志愿" if not mine else "所填志愿名额均已满"
                if spare:
                    spare.sort(
                        key=lambda k: (
                            -(cap[k] - taken[k]) if cap[k] else -(10**6),
                            [o.course_id for o in options].index(k),
                        )
                    )
                    pick = spare[0]
                    got[cid].append(pick)
                    taken[pick] += 1
                    outcomes.append(
                        ElectiveOutcome(
                            cid,
                            person.name,
                            pick,
                            title[pick],
                            0,
                            True,
                            f"{why}，调剂到《{title[pick]}》",
                        )
                    )
                else:
                    outcomes.append(
                        ElectiveOutcome(
                            cid, person.name, None, "", 0, True, f"{why}，且所有选学课程均已满"
                        )
                    )
        # store the results
        for cid, courses in got.items():
            for course_id in courses:
                row = ElectiveChoice.get_or_none(
                    (ElectiveChoice.training_class == class_id)
                    & (ElectiveChoice.cadre == cid)
                    & (ElectiveChoice.course == course_id)
                )
                if row is None:
                    ElectiveChoice.insert(
                        training_class=class_id,
                        cadre=cid,
                        course=course_id,
                        preference=0,
                        result="调剂",
                        note="调剂",
                    ).execute()
                else:
                    ElectiveChoice.update(result="录取").where(
                        ElectiveChoice.id == row.id
                    ).execute()
        ElectiveChoice.update(result="未录取").where(
            (ElectiveChoice.training_class == class_id) & (ElectiveChoice.result == "")
        ).execute()
        return ElectiveSettlement(
            rule, RULE_NAMES[rule], tuple(outcomes), tuple(elective_options(class_id))
        )
