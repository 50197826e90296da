"""Demo 菜单化选学: elective courses in the course library, offered by one demo class with
places, every trainee's wishes handed in over the Friday before the class starts (a few hand
in nothing), settled 按职级从高到低, so the 选学 screen shows a menu, wishes and an outcome
with some trainees moved (调剂) and the reason why.

The same (class, seed) always gives the same wishes.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from models.training import planner as tt
from models.training.classes import class_courses, get_class, set_class_courses
from models.training.electives import BY_RANK, MAX_WISHES, set_elective_choices, settle
from models.training.resources import CourseInput, list_teachers, save_course
from models.training.trainees import list_trainees

__all__ = ["ELECTIVES", "add_demo_electives"]


@dataclass(frozen=True)
class DemoElective:
    title: str
    teacher: str  # a demo teacher's name; "" or a name not in the library: none
    share: float  # places as a share of the class's trainees; 0: no limit
    pull: int  # how often it is a first choice, relative to the others


ELECTIVES = (
    DemoElective("数字政府建设与政务服务", "陈海涛", 0.2, 6),  # more want it than it seats
    DemoElective("公文写作与政务信息", "李文静", 0.25, 3),
    DemoElective("突发事件应急处置与舆情应对", "赵丽萍", 0.25, 2),
    DemoElective("黄河流域生态保护和高质量发展", "刘国庆", 0, 1),
    DemoElective("领导干部心理调适", "", 0.2, 2),
)


def add_demo_electives(class_id: int, rng_seed: int = 1) -> list[int]:
    """Add :data:`ELECTIVES` to the library and to the class (after its own courses, with
    places), hand in its trainees' wishes and settle them 按职级; returns the electives'
    course ids. A class without trainees gets the menu only."""
    teachers = {t.name: t.id for t in list_teachers()}
    electives = [
        save_course(
            CourseInput(e.title, tt.LECTURE, 1, teacher_id=teachers.get(e.teacher), elective=True)
        ).id
        for e in ELECTIVES
    ]
    trainees = list_trainees(class_id)
    kept = class_courses(class_id)
    places = {cc.course.id: cc.capacity for cc in kept}
    for cid, e in zip(electives, ELECTIVES, strict=True):
        places[cid] = math.ceil(len(trainees) * e.share) if e.share else 0
    set_class_courses(class_id, [cc.course.id for cc in kept] + electives, places)
    if not trainees:
        return electives
    rng = random.Random(rng_seed)
    start = get_class(class_id).start
    friday = start - dt.timedelta(days=(start.weekday() - 4) % 7 or 7)
    handed_in = dt.datetime.combine(friday, dt.time(8, 30))
    pulls = [e.pull for e in ELECTIVES]
    for k, t in enumerate(trainees):
        if k % 9 == 8:
            continue  # a few hand nothing in
        first = rng.choices(electives, pulls)[0]
        rest = [c for c in electives if c != first]
        rng.shuffle(rest)
        wishes = [first, *rest[: rng.randint(0, MAX_WISHES - 1)]]
        at = handed_in + dt.timedelta(minutes=11 * k + rng.randint(0, 9))
        set_elective_choices(class_id, t.cadre_id, wishes, at=at)
    settle(class_id, BY_RANK, user="演示数据")
    return electives
