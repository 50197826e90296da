"""The 培训班 section: the class list, the class editor's field checks and course choice,
the tabs, and the resources lists."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox

from models import training as svc
from models.demo.electives import ELECTIVES
from models.demo.training import LIBRARY
from tests.ui.training import support as training_support
from ui.training.class_dialog import ClassDialog
from ui.training.classes_view import TrainingView
from ui.training.resources_view import ResourcesView, parse_days

# the shared demo-database fixtures (tests/ui/training/support.py)
demo_template = training_support.demo_template
demo_db = training_support.demo_db


def test_class_list_shows_the_demo_classes(qtbot, qtmodeltester, demo_db) -> None:
    view = TrainingView()
    qtbot.addWidget(view)
    qtmodeltester.check(view.model)
    by_name = {view.model.text(r, 0): r for r in range(view.model.rowCount())}
    assert set(by_name) == {
        "2025年县处级领导干部进修班",
        "第十二期中青年干部培训班",
        "科级干部能力提升班",
    }
    row = by_name["第十二期中青年干部培训班"]
    assert view.model.text(row, 2) == "2026-03-09"  # 开班
    assert view.model.text(row, 3) == "2026-03-27"  # 结业: start + 18 days
    assert view.model.text(row, 4) == "进行中"
    assert view.model.text(row, 5) == str(svc.get_class(demo_db["进行中"]).enrolled)


def test_selecting_a_class_shows_it_in_every_tab(qtbot, demo_db) -> None:
    view = TrainingView()
    qtbot.addWidget(view)
    view.select_class(demo_db["进行中"])
    assert view.timetable.class_id == demo_db["进行中"]
    assert view.trainees.class_id == demo_db["进行中"]
    assert view.attendance.class_id == demo_db["进行中"]
    assert "第十二期中青年干部培训班" in view.title.text()
    view.status_filter.setCurrentIndex(view.status_filter.findData("已结业"))
    assert view.model.rowCount() == 1
    assert view.model.text(0, 4) == "已结业"
    assert not view.edit_button.isEnabled()  # a finished class is not edited


def test_class_dialog_checks_fields_as_you_type(qtbot, demo_db) -> None:
    dlg = ClassDialog(None)
    qtbot.addWidget(dlg)
    save = dlg.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert dlg.issue_labels["name"].text() == "必填"
    assert not save.isEnabled()
    dlg.name.insert("第十三期中青年干部培训班")
    assert dlg.issue_labels["name"].text() == ""
    dlg.start.setDate(QDate(2026, 6, 8))
    dlg.end.setDate(QDate(2026, 6, 1))
    assert dlg.issue_labels["end"].text() == "2026-06-01 早于开班日期 2026-06-08"
    assert not save.isEnabled()
    dlg.end.setDate(QDate(2026, 6, 26))
    for box in dlg.weekdays:
        box.setChecked(False)
    assert dlg.issue_labels["weekdays"].text() == "至少选择一天"
    dlg.weekdays[0].setChecked(True)
    dlg.shares[0].setValue(0.5)  # 0.5 + 0.333 + 0.333 ≠ 1
    assert "之和须为 1" in dlg.issue_labels["share_lecture"].text()
    dlg.shares[0].setValue(0.334)
    assert save.isEnabled()


def test_class_dialog_saves_class_and_chosen_courses(qtbot, demo_db) -> None:
    dlg = ClassDialog(None)
    qtbot.addWidget(dlg)
    dlg.name.insert("专题研讨班")
    dlg.start.setDate(QDate(2026, 6, 8))
    dlg.end.setDate(QDate(2026, 6, 12))
    library = svc.list_courses()
    wanted = [library[0].id, library[-1].id]
    for cid in wanted:
        dlg.set_course_checked(cid, True)
    dlg.save()
    assert dlg.saved is not None
    saved = svc.get_class(dlg.saved.id)
    assert (saved.name, saved.start, saved.end) == (
        "专题研讨班",
        dt.date(2026, 6, 8),
        dt.date(2026, 6, 12),
    )
    assert [c.course.id for c in svc.class_courses(saved.id)] == sorted(
        wanted, key=lambda i: [c.id for c in library].index(i)
    )


def test_edit_keeps_settings_and_courses(qtbot, demo_db) -> None:
    cls = svc.get_class(demo_db["筹备"])
    dlg = ClassDialog(cls)
    qtbot.addWidget(dlg)
    assert dlg.name.text() == "科级干部能力提升班"
    assert len(dlg.chosen_course_ids()) == 14
    checked = [dlg.courses.item(k).checkState() for k in range(dlg.courses.count())]
    assert checked.count(Qt.CheckState.Checked) == 14
    dlg.head_teacher.clear()
    dlg.head_teacher.insert("王老师")
    dlg.save()
    again = svc.get_class(cls.id)
    assert again.head_teacher == "王老师"
    assert again.version == cls.version + 1
    assert len(svc.class_courses(cls.id)) == 14


def test_resources_lists(qtbot, qtmodeltester, demo_db) -> None:
    view = ResourcesView()
    qtbot.addWidget(view)
    for part in (view.teachers, view.rooms, view.sites, view.courses):
        qtmodeltester.check(part.model)
    assert view.rooms.model.rowCount() == 4
    assert view.rooms.model.text(0, 0) == "多功能报告厅"
    assert view.rooms.model.text(0, 1) == "150"
    # the demo library and the 选学 courses
    assert view.courses.model.rowCount() == len(LIBRARY) + len(ELECTIVES) == 54
    wang = next(
        r
        for r in range(view.teachers.model.rowCount())
        if view.teachers.model.text(r, 0) == "王志刚"
    )
    # away on the Tuesday and Wednesday of the running class's second week
    assert view.teachers.model.text(wang, 4) == "2026-03-17、2026-03-18"


def test_parse_days_accepts_separators_and_names_a_bad_date() -> None:
    assert parse_days("2026-03-05、2026-03-06\n2026-03-09") == [
        dt.date(2026, 3, 5),
        dt.date(2026, 3, 6),
        dt.date(2026, 3, 9),
    ]
    import pytest

    from models.core.errors import DomainError

    with pytest.raises(DomainError, match="“3月5日”不是日期"):
        parse_days("2026-03-05 3月5日")
