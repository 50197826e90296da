"""菜单化选学, the staff side around the rules (models.training.electives.rules): the
elective menu with its places, every trainee's wishes in order of preference, settlement by
a stated rule with the outcome kept, and the outcome as table rows for export.

One use case = one function = one transaction. Results are frozen dataclasses, never rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from models.accounts import Permission, require
from models.core.audit import current_user, history, record_changes
from models.core.db import write_transaction
from models.core.errors import DomainError, NotFoundError
from models.roster.tables import Cadre
from models.training.classes import CLASS_ENTITY, changed_meanwhile, class_row
from models.training.electives.rules import (
    RULE_NAMES,
    ElectiveOption,
    ElectiveOutcome,
    ElectiveSettlement,
    elective_options,
    settle_electives,
)
from models.training.tables import ClassCourse, ElectiveChoice
from models.training.trainees import list_trainees

__all__ = [
    "MAX_WISHES",
    "OUTCOME_HEADERS",
    "SETTLE_ACTION",
    "SettlementView",
    "TraineeChoices",
    "WishDTO",
    "last_settlement",
    "list_elective_choices",
    "outcome_rows",
    "rule_choices",
    "set_elective_capacity",
    "settle",
    "wish_limit",
    "wish_name",
]

MAX_WISHES = 3  # the sheet's 第一志愿 / 第二志愿 / 第三志愿 and the staff dialog
SETTLE_ACTION = "选学分配"
OUTCOME_HEADERS = ("姓名", "单位", "职级", "选学课程", "所得志愿", "是否调剂", "说明")

_NUMERALS = "一二三四五六七八九十"


def wish_name(preference: int) -> str:
    """1 → 第一志愿; 0 → 调剂."""
    if preference <= 0:
        return "调剂"
    if preference <= len(_NUMERALS):
        return f"第{_NUMERALS[preference - 1]}志愿"
    return f"第{preference}志愿"


# ============================================================================ the menu


def wish_limit(class_id: int) -> int:
    """How many wishes a trainee may hand in: up to MAX_WISHES, never more than there are
    electives, and at least the number of electives each trainee takes."""
    c = class_row(class_id)
    n = len(elective_options(class_id))
    return min(n, max(MAX_WISHES, c.electives_per_trainee))


def set_elective_capacity(
    class_id: int,
    course_id: int,
    capacity: int,
    *,
    user: str | None = None,
    expected_capacity: int | None = None,
) -> ElectiveOption:
    """The number of places of one elective of the class (0: no limit).
    ``expected_capacity``: the places the screen showed (None: not checked); when someone
    else changed them since, nothing is stored (ConflictError with who, when and places now)."""
    require(Permission.TRAINING)
    with write_transaction():
        c = class_row(class_id)
        if c.status == "已结业":
            raise DomainError(f"班次《{c.name}》已结业，不能再修改选学名额", field="capacity")
        offered = {o.course_id: o for o in elective_options(class_id)}
        option = offered.get(course_id)
        if option is None:
            raise NotFoundError(f"编号为 {course_id} 的课程不是班次《{c.name}》的选学课程")
        if capacity < 0:
            raise DomainError(
                f"《{option.title}》的选学名额不能为负数，现为 {capacity}", field="capacity"
            )
        field = f"选学名额《{option.title}》"
        seen = option.capacity if expected_capacity is None else expected_capacity
        # conditional on the places read: a writer who committed in between is not overwritten
        done = (
            ClassCourse.update(capacity=capacity)
            .where(
                (ClassCourse.training_class == class_id)
                & (ClassCourse.course == course_id)
                & (ClassCourse.capacity == seen)
            )
            .execute()
        )
        if done != 1:
            now = ClassCourse.get(
                (ClassCourse.training_class == class_id) & (ClassCourse.course == course_id)
            ).capacity
            record = f"班次《{c.name}》选学课程《{option.title}》的名额"
            raise changed_meanwhile(record, CLASS_ENTITY, class_id, field=field, now=now or "不限")
        old, new = {field: option.capacity}, {field: capacity}
        record_changes(CLASS_ENTITY, class_id, "修改", old, new, user=user or current_user())
        return next(o for o in elective_options(class_id) if o.course_id == course_id)


# ============================================================================ wishes


@dataclass(frozen=True)
class WishDTO:
    course_id: int
    title: str
    preference: int  # 1 = first choice; 0 = a place given by 调剂
    result: str  # '' (not settled), 录取, 未录取, 调剂


@dataclass(frozen=True)
class TraineeChoices:
    cadre_id: int
    name: str
    id_card: str
    unit_name: str
    rank: str  # 领导职务层次, else 职级
    wishes: tuple[WishDTO, ...]  # in order of preference, without 调剂 places
    handed_at: dt.datetime | None  # when the wishes were handed in (先报先得)
    granted: tuple[WishDTO, ...]  # places after the last settlement (录取 or 调剂)
    version: int = 1  # of the trainee's enrolment: what an edit of the wishes carries

    def wish_title(self, k: int) -> str:
        """The title of the ``k``-th wish (1-based), '' when there is none."""
        return self.wishes[k - 1].title if 0 < k <= len(self.wishes) else ""


def list_elective_choices(class_id: int) -> list[TraineeChoices]:
    """Every trainee of the class (in the trainee list's order) with their wishes."""
    class_row(class_id)
    titles = {o.course_id: o.title for o in elective_options(class_id)}
    rows: dict[int, list[ElectiveChoice]] = {}
    for ch in (
        ElectiveChoice.select()
        .where(ElectiveChoice.training_class == class_id)
        .order_by(ElectiveChoice.preference, ElectiveChoice.id)
    ):
        rows.setdefault(ch.cadre_id, []).append(ch)
    trainees = list_trainees(class_id)
    cards = dict(
        Cadre.select(Cadre.id, Cadre.id_card)
        .where(Cadre.id.in_([t.cadre_id for t in trainees]))
        .tuples()
    )
    out = []
    for t in trainees:
        mine = rows.get(t.cadre_id, [])
        dtos = [
            WishDTO(ch.course_id, titles.get(ch.course_id, ""), ch.preference, ch.result)
            for ch in mine
        ]
        wishes = tuple(w for w in dtos if w.preference > 0)
        handed = min((ch.chosen_at for ch in mine if ch.preference > 0), default=None)
        out.append(
            TraineeChoices(
                t.cadre_id,
                t.name,
                cards.get(t.cadre_id, ""),
                t.unit_name,
                t.leadership_level or t.rank,
                wishes,
                handed,
                tuple(w for w in dtos if w.result in ("录取", "调剂")),
                t.version,
            )
        )
    return out


# ============================================================================ settlement


@dataclass(frozen=True)
class SettlementView:
    """The last settlement of a class as stored: rule name and time ('' / None if the
    class was never settled), every trainee's outcome, the menu after it."""

    rule_name: str
    at: dt.datetime | None
    outcomes: tuple[ElectiveOutcome, ...]
    options: tuple[ElectiveOption, ...]


def settle(class_id: int, rule: str, *, user: str | None = None) -> ElectiveSettlement:
    """settle_electives, plus what is needed to list the outcome later: the reason of each
    place kept on its wish, the rule and time in the change log. One transaction."""
    require(Permission.TRAINING)
    with write_transaction():
        result = settle_electives(class_id, rule)
        for o in result.outcomes:
            if o.course_id is None or not o.reason:
                continue
            ElectiveChoice.update(note=o.reason[:200]).where(
                (ElectiveChoice.training_class == class_id)
                & (ElectiveChoice.cadre == o.cadre_id)
                & (ElectiveChoice.course == o.course_id)
            ).execute()
        placed = sum(1 for o in result.outcomes if o.course_id is not None)
        record_changes(
            "training_class",
            class_id,
            SETTLE_ACTION,
            {},
            {"选学规则": result.rule_name, "分配名额": placed},
            user=user or current_user(),
            reason=f"按{result.rule_name}分配选学课程",
        )
        return result


def last_settlement(class_id: int) -> SettlementView:
    """The outcome of the last settlement, rebuilt from what is stored: each trainee's
    places (录取 on a wish, or 调剂) with the reason given then; trainees who got none."""
    c = class_row(class_id)
    options = tuple(elective_options(class_id))
    entry = next(
        (
            h
            for h in history("training_class", class_id)
            if h.action == SETTLE_ACTION and h.field == "选学规则"
        ),
        None,
    )
    if entry is None:
        return SettlementView("", None, (), options)
    notes = {
        (ch.cadre_id, ch.course_id): ch.note
        for ch in ElectiveChoice.select().where(ElectiveChoice.training_class == class_id)
    }
    outcomes: list[ElectiveOutcome] = []
    full_everywhere = all(o.capacity and o.admitted >= o.capacity for o in options)
    for t in list_elective_choices(class_id):
        for w in t.granted:
            note = notes.get((t.cadre_id, w.course_id), "")
            reason = "" if note == "调剂" else note
            outcomes.append(
                ElectiveOutcome(
                    t.cadre_id,
                    t.name,
                    w.course_id,
                    w.title,
                    w.preference,
                    w.preference != 1,
                    reason,
                )
            )
        missing = min(c.electives_per_trainee, len(options)) - len(t.granted)
        if missing > 0:
            why = "未填报选学志愿" if not t.wishes else "所填志愿名额均已满"
            tail = (
                "，且所有选学课程均已满"
                if full_everywhere
                else "，分配后才报名或修改了志愿，请重新分配"
            )
            outcomes.extend(
                ElectiveOutcome(t.cadre_id, t.name, None, "", 0, True, why + tail)
                for _ in range(missing)
            )
    return SettlementView(entry.new_value, entry.at, tuple(outcomes), options)


def outcome_rows(
    outcomes: Sequence[ElectiveOutcome], trainees: Mapping[int, TraineeChoices]
) -> list[tuple[object, ...]]:
    """The outcome as table rows under OUTCOME_HEADERS (for the screen's export)."""
    rows: list[tuple[object, ...]] = []
    for o in outcomes:
        t = trainees.get(o.cadre_id)
        rows.append(
            (
                o.name,
                t.unit_name if t else "",
                t.rank if t else "",
                o.course_title or "未分配",
                wish_name(o.preference) if o.course_id is not None else "—",
                "是" if o.moved and o.course_id is not None else "否",
                o.reason,
            )
        )
    return rows


def rule_choices() -> Mapping[str, str]:
    """Rule code → Chinese name, in the order the screen offers them."""
    return dict(RULE_NAMES)
