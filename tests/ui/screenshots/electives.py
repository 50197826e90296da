"""Screenshot of the 选学 tab after a settlement, on a 300-cadre demo: four elective courses
are added to the class being planned, its trainees hand in wishes (fixed seed), the wishes are
settled 按职级 and electives_view.png shows who was moved, and why.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from models.training import (
    CourseInput,
    class_courses,
    list_classes,
    list_trainees,
    save_course,
    set_class_courses,
    set_elective_choices,
)
from models.training import planner as tt
from tests.ui.screenshots import harness

ELECTIVES = (("数字政府建设", 12), ("公文写作与处理", 10), ("突发事件应急处置", 0), ("心理调适", 8))


def add_electives(class_id: int) -> None:
    current = class_courses(class_id)
    ids = [cc.course.id for cc in current]
    caps = {cc.course.id: cc.capacity for cc in current}
    electives = []
    for title, places in ELECTIVES:
        cid = save_course(CourseInput(title, tt.LECTURE, 1, elective=True)).id
        electives.append(cid)
        caps[cid] = places
    set_class_courses(class_id, ids + electives, caps)
    rng = random.Random(7)
    start = dt.datetime(2026, 3, 16, 8, 30)
    popular = [electives[0], electives[0], electives[1], electives[0], electives[3]]
    for k, t in enumerate(list_trainees(class_id)):
        if k % 11 == 10:
            continue  # a few hand nothing in
        first = rng.choice(popular)
        rest = [e for e in electives if e != first]
        rng.shuffle(rest)
        wishes = [first, *rest[: rng.choice((1, 2))]]
        set_elective_choices(class_id, t.cadre_id, wishes, at=start + dt.timedelta(minutes=7 * k))


def make(out: Path) -> list[Path]:
    with harness.session(out, cadres=300, seed=1) as shots:
        planned = next(c for c in list_classes() if c.status == "筹备")
        add_electives(planned.id)
        window = shots.main_window()
        training = window.training_view
        harness.show_section(window, training)
        training.select_class(planned.id)
        training.tabs.setCurrentWidget(training.electives)
        view = training.electives
        view.rule.setCurrentIndex(view.rule.findData("by_rank"))
        view.settle()
        view.moved_only.setChecked(True)  # who was moved, and why
        shots.settle()
        shots.save(window, "electives_view.png")
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
