"""The demo's 选学: the class in progress offers elective courses with places, its trainees
have handed in wishes and they were settled 按职级, so every table of the 选学 tab shows
data (it was empty: the demo had no elective courses)."""

from __future__ import annotations

from models.demo.electives import ELECTIVES
from models.training import class_courses, list_courses
from tests.ui.training import support as training_support
from ui.training.electives_view import ElectivesView

# the shared demo-database fixtures (tests/ui/training/support.py)
demo_template = training_support.demo_template
demo_db = training_support.demo_db


def test_demo_electives_fill_the_tables(qtbot, qtmodeltester, demo_db) -> None:
    titles = [e.title for e in ELECTIVES]
    library = [c for c in list_courses() if c.elective]
    assert [c.title for c in library] == titles  # in the library, marked 选学
    running = demo_db["进行中"]
    offered = [cc for cc in class_courses(running) if cc.course.elective]
    assert [cc.course.title for cc in offered] == titles
    assert any(cc.capacity for cc in offered)  # places are set
    assert not [cc for cc in class_courses(demo_db["筹备"]) if cc.course.elective]

    view = ElectivesView()
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.set_class(running)
    for model in (view.options, view.choices, view.outcome):
        qtmodeltester.check(model)
    assert view.options.rowCount() == len(titles)
    assert view.choices.rowCount() > 0
    assert view.outcome.rowCount() > 0
    assert "按职级从高到低" in view.summary.text()
    wishes = [t for t in view.choices.rows if t.wishes]
    assert 0 < len(wishes) < view.choices.rowCount()  # a few handed nothing in
    assert any(line.moved for line in view.outcome.rows)  # someone was moved, with a reason
