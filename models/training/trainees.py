"""Training use cases: trainees of a class -- enrolment from the roster, discussion
groups, class officers, and 菜单化选学 (electives with places, settled by a stated rule).

One use case = one function = one transaction. Results are frozen dataclasses, never rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from models.core.dates import age_on, as_date
from models.core.db import bulk_insert, chunks, db
from models.core.errors import DomainError, NotFoundError
from models.roster import service as roster
from models.roster.tables import Cadre, PicklistItem, Unit
from models.training.classes import class_row
from models.training.tables import (
    TRAINEE_ROLES,
    Attendance,
    ClassCourse,
    ClassSession,
    Course,
    ElectiveChoice,
    Enrolment,
)


@dataclass(frozen=True)
class TraineeDTO:
    enrolment_id: int
    cadre_id: int
    name: str
    sex: str
    birth_date: dt.date
    unit_id: int
    unit_name: str
    post_title: str
    leadership_level: str
    rank: str
    group_no: int
    role: str
    is_convener: bool


@dataclass(frozen=True)
class Refusal:
    cadre_id: int
    name: str
    reason: str


@dataclass(frozen=True)
class EnrolResult:
    added: tuple[TraineeDTO, ...]
    refused: tuple[Refusal, ...]


def list_trainees(class_id: int) -> list[TraineeDTO]:
    """The class's trainees by group, then unit and name."""
    q = (
        Enrolment.select(Enrolment, Cadre, Unit)
        .join(Cadre)
        .join(Unit)
        .where(Enrolment.training_class == class_id)
    )
    rows = [
        TraineeDTO(
            e.id,
            e.cadre_id,
            e.cadre.name,
            e.cadre.sex,
            as_date(e.cadre.birth_date),
            e.cadre.unit_id,
            e.cadre.unit.name,
            e.cadre.post_title,
            e.cadre.leadership_level,
            e.cadre.rank,
            e.group_no,
            e.role,
            bool(e.is_convener),
        )
        for e in q
    ]
    rows.sort(key=lambda t: (t.group_no, not t.is_convener, t.unit_id, t.name, t.cadre_id))
    return rows


def enrol(
    class_id: int,
    *,
    cadre_ids: Sequence[int] = (),
    unit_id: int | None = None,
    include_subunits: bool = True,
    level: str = "",
    min_age: int | None = None,
    max_age: int | None = None,
    on: dt.date | None = None,
) -> EnrolResult:
    """Enrol the cadres named in ``cadre_ids`` plus, when any filter is given, every 在职
    cadre the roster filter (unit, level, age on ``on``, default the class's start) finds.
    Cadres already in the class, not 在职, or beyond the class's size cap are refused with
    the reason."""
    with db.atomic():
        c = class_row(class_id)
        if c.status == "已结业":
            raise DomainError(f"班次《{c.name}》已结业，不能再报名")
        on = on or as_date(c.start)
        wanted: list[int] = list(dict.fromkeys(cadre_ids))
        filtered = unit_id is not None or level or min_age is not None or max_age is not None
        if filtered:
            ids = roster.query_ids(
                roster.RosterFilter(
                    unit_id=unit_id, include_subunits=include_subunits, level=level, status="在职"
                )
            )
            births = {
                cid: birth
                for part in chunks(ids)
                for cid, birth in Cadre.select(Cadre.id, Cadre.birth_date)
                .where(Cadre.id.in_(part))
                .tuples()
            }
            for cid in ids:
                age = age_on(as_date(births[cid]), on)
                if min_age is not None and age < min_age:
                    continue
                if max_age is not None and age > max_age:
                    continue
                if cid not in wanted:
                    wanted.append(cid)
        people = {
            x.id: x for part in chunks(wanted) for x in Cadre.select().where(Cadre.id.in_(part))
        }
        already = {
            cid
            for (cid,) in Enrolment.select(Enrolment.cadre)
            .where(Enrolment.training_class == class_id)
            .tuples()
        }
        count = len(already)
        added_ids: list[int] = []
        refused: list[Refusal] = []
        for cid in wanted:
            person = people.get(cid)
            if person is None:
                refused.append(Refusal(cid, "", f"找不到编号为 {cid} 的干部"))
            elif cid in already or cid in added_ids:
                refused.append(Refusal(cid, person.name, f"已在班次《{c.name}》中"))
            elif person.status != "在职":
                refused.append(Refusal(cid, person.name, f"状态为“{person.status}”，不是在职干部"))
            elif c.class_size and count >= c.class_size:
                refused.append(
                    Refusal(cid, person.name, f"班次《{c.name}》已满 {c.class_size} 人（班额）")
                )
            else:
                added_ids.append(cid)
                count += 1
        if added_ids:
            bulk_insert(
                Enrolment, [{"training_class": class_id, "cadre": cid} for cid in added_ids]
            )
        by_id = {t.cadre_id: t for t in list_trainees(class_id)}
        return EnrolResult(tuple(by_id[cid] for cid in added_ids), tuple(refused))


def withdraw(class_id: int, cadre_id: int) -> None:
    """Take a trainee off the class (entered by mistake). Refused once attendance exists."""
    with db.atomic():
        c = class_row(class_id)
        e = Enrolment.get_or_none(
            (Enrolment.training_class == class_id) & (Enrolment.cadre == cadre_id)
        )
        if e is None:
            raise NotFoundError(f"编号为 {cadre_id} 的干部不在班次《{c.name}》中")
        n = (
            Attendance.select()
            .join(ClassSession)
            .where((ClassSession.training_class == class_id) & (Attendance.cadre == cadre_id))
            .count()
        )
        if n:
            raise DomainError(
                f"学员“{e.cadre.name}”已有 {n} 条考勤记录，不能撤销报名；如中途退学，请在考勤中登记"
            )
        ElectiveChoice.delete().where(
            (ElectiveChoice.training_class == class_id) & (ElectiveChoice.cadre == cadre_id)
        ).execute()
        e.delete_instance()


def set_role(class_id: int, cadre_id: int, role: str) -> TraineeDTO:
    """班长 / 副班长 / 组长 / 学员. A class has one 班长."""
    if role not in TRAINEE_ROLES:
        raise DomainError(f"学员职务应为 {'、'.join(TRAINEE_ROLES)} 之一，不能是“{role}”")
    with db.atomic():
        c = class_row(class_id)
        e = Enrolment.get_or_none(
            (Enrolment.training_class == class_id) & (Enrolment.cadre == cadre_id)
        )
        if e is None:
            raise NotFoundError(f"编号为 {cadre_id} 的干部不在班次《{c.name}》中")
        if role == "班长":
            Enrolment.update(role="学员").where(
                (Enrolment.training_class == class_id) & (Enrolment.role == "班长")
            ).execute()
        Enrolment.update(role=role).where(Enrolment.id == e.id).execute()
        return next(t for t in list_trainees(class_id) if t.cadre_id == cadre_id)


# ============================================================================ groups


def _seniority() -> dict[tuple[str, str], int]:
    """(kind, name) -> sort order of 领导职务层次 and 职级 (smaller = more senior)."""
    return {
        (kind, name): order
        for kind, name, order in PicklistItem.select(
            PicklistItem.kind, PicklistItem.name, PicklistItem.sort_order
        )
        .where(PicklistItem.kind.in_(["leadership_level", "rank"]))
        .tuples()
    }


def _rank_key(t: TraineeDTO, table: Mapping[tuple[str, str], int]) -> tuple[int, int]:
    return (
        table.get(("leadership_level", t.leadership_level), 99),
        table.get(("rank", t.rank), 99),
    )


@dataclass(frozen=True)
class GroupDTO:
    group_no: int
    members: tuple[TraineeDTO, ...]
    convener: TraineeDTO


def split_groups(class_id: int, n: int, *, on: dt.date | None = None) -> list[GroupDTO]:
    """Split the trainees into ``n`` discussion groups whose sizes differ by at most one,
    spreading units, ranks, sexes and ages; the most senior member of each group (then
    the eldest) is its convener. Deterministic: the same trainees give the same groups.

    Trainees are placed one by one -- largest unit first, and within it by seniority then
    age -- each into the smallest group, preferring the group with fewest of the same
    unit, then of the same 职级 band, then of the same sex, then the lowest total age."""
    with db.atomic():
        c = class_row(class_id)
        people = list_trainees(class_id)
        if n < 1:
            raise DomainError(f"分组数应至少为 1，现为 {n}", field="groups")
        if n > len(people):
            raise DomainError(
                f"班次《{c.name}》只有 {len(people)} 名学员，不能分成 {n} 个组", field="groups"
            )
        on = on or as_date(c.start)
        table = _seniority()
        unit_size: dict[int, int] = {}
        for t in people:
            unit_size[t.unit_id] = unit_size.get(t.unit_id, 0) + 1
        order = sorted(
            people,
            key=lambda t: (
                -unit_size[t.unit_id],
                t.unit_id,
                _rank_key(t, table),
                t.birth_date,
                t.cadre_id,
            ),
        )
        groups: list[list[TraineeDTO]] = [[] for _ in range(n)]
        for t in order:
            smallest = min(len(g) for g in groups)

            def cost(k: int, t: TraineeDTO = t) -> tuple[int, int, int, int, int]:
                g = groups[k]
                return (
                    sum(1 for m in g if m.unit_id == t.unit_id),
                    sum(1 for m in g if _rank_key(m, table) == _rank_key(t, table)),
                    sum(1 for m in g if m.sex == t.sex),
                    sum(age_on(m.birth_date, on) for m in g),
                    k,
                )

            best = min((k for k in range(n) if len(groups[k]) == smallest), key=cost)
            groups[best].append(t)
        Enrolment.update(group_no=0, is_convener=False).where(
            Enrolment.training_class == class_id
        ).execute()
        for k, g in enumerate(groups, start=1):
            convener = min(g, key=lambda m: (_rank_key(m, table), m.birth_date, m.cadre_id))
            Enrolment.update(group_no=k).where(
                Enrolment.id.in_([m.enrolment_id for m in g])
            ).execute()
            Enrolment.update(is_convener=True).where(
                Enrolment.id == convener.enrolment_id
            ).execute()
        result: dict[int, list[TraineeDTO]] = {}
        for t in list_trainees(class_id):
            result.setdefault(t.group_no, []).append(t)
        return [
            GroupDTO(k, tuple(m), next(x for x in m if x.is_convener))
            for k, m in sorted(result.items())
        ]


# ============================================================================ electives

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


def set_elective_choices(
    class_id: int, cadre_id: int, course_ids: Sequence[int], *, at: dt.datetime | None = None
) -> None:
    """A trainee's elective wishes in order of preference (first = first choice). ``at`` is
    when they were handed in (the 先报先得 order); replaces earlier wishes."""
    at = at or dt.datetime.now().replace(microsecond=0)
    with db.atomic():
        c = class_row(class_id)
        e = Enrolment.get_or_none(
            (Enrolment.training_class == class_id) & (Enrolment.cadre == cadre_id)
        )
        if e is None:
            raise NotFoundError(f"编号为 {cadre_id} 的干部不在班次《{c.name}》中")
        if len(set(course_ids)) != len(course_ids):
            raise DomainError(f"学员“{e.cadre.name}”的选学志愿中有重复的课程")
        offered = {o.course_id: o for o in elective_options(class_id)}
        for cid in course_ids:
            if cid not in offered:
                raise DomainError(
                    f"学员“{e.cadre.name}”所选编号为 {cid} 的课程不是班次《{c.name}》的选学课程"
                )
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
    if rule not in RULE_NAMES:
        raise DomainError(f"选学规则应为 {'、'.join(RULE_NAMES)} 之一，不能是“{rule}”")
    with db.atomic():
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
        table = _seniority()
        late = dt.datetime.max

        def order_key(cid: int) -> tuple[object, ...]:
            when = handed.get(cid, late)
            if rule == BY_RANK:
                return (_rank_key(people[cid], table), when, cid)
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
