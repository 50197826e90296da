"""The editors of what the planner reads: the course form (必修, 优先级, 适用班次层次, 可重复,
位置) and the course list showing them, the site form's 不可接待日期, and the class dialog's
调休上班日排课 / 连续讲课不超过 with the holiday warnings under its dates."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox

from models import training
from models.training import planner as tt
from ui.training.class_dialog import ClassDialog
from ui.training.resources_view import ResourcesView, course_form, site_form

D = dt.date


@pytest.fixture
def library(units):  # noqa: ANN001, ANN201
    """One teacher and one site, nothing else."""
    t = training.save_teacher(training.TeacherInput("马建华", "党校教师")).id
    s = training.save_site("会宁红军会师旧址", unavailable=[D(2027, 4, 5)]).id
    return {"teacher": t, "site": s}


def headers(model) -> list[str]:  # noqa: ANN001
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def test_course_form_saves_the_planning_fields(qtbot, library) -> None:
    dlg = course_form(None, None)
    qtbot.addWidget(dlg)
    w = dlg.widgets
    w["课程名称"].setText("结业交流与党性分析")
    mode = w["教学形式"]
    assert not dlg.findChild(QCheckBox, "course_repeatable").isEnabled()  # a lecture: never
    mode.setCurrentText(tt.DISCUSSION)
    repeatable = dlg.findChild(QCheckBox, "course_repeatable")
    assert repeatable.isEnabled()
    repeatable.setChecked(True)
    dlg.findChild(QCheckBox, "course_required").setChecked(True)
    w["优先级"].setValue(9)
    levels = w["适用班次层次"]
    levels.boxes["县处级进修班"].setChecked(True)
    levels.boxes["中青年干部培训班"].setChecked(True)
    w["位置"].setCurrentIndex(w["位置"].findData("结业前"))
    dlg._save()
    assert dlg.result() == QDialog.DialogCode.Accepted
    c = training.get_course(dlg.result_value.id)
    assert (c.title, c.mode, c.required, c.priority, c.repeatable, c.position) == (
        "结业交流与党性分析",
        tt.DISCUSSION,
        True,
        9,
        True,
        "结业前",
    )
    assert c.levels == ("县处级进修班", "中青年干部培训班")

    again = course_form(c, None)  # the stored values come back into the form
    qtbot.addWidget(again)
    w = again.widgets
    assert w["优先级"].value() == 9
    assert w["适用班次层次"].levels() == ["县处级进修班", "中青年干部培训班"]
    assert w["位置"].currentData() == "结业前"
    assert again.findChild(QCheckBox, "course_repeatable").isChecked()
    w["教学形式"].setCurrentText(tt.LECTURE)  # a lecture cannot repeat: unticked
    assert not again.findChild(QCheckBox, "course_repeatable").isChecked()


def test_course_form_shows_why_it_cannot_save(qtbot, library) -> None:
    dlg = course_form(None, None)
    qtbot.addWidget(dlg)
    w = dlg.widgets
    w["课程名称"].setText("党史学习教育专题")
    w["教学形式"].setCurrentText(tt.FIELD_STUDY)
    w["半天数"].setValue(2)
    w["位置"].setCurrentIndex(w["位置"].findData("开班第一课"))
    dlg._save()
    assert dlg.result() != QDialog.DialogCode.Accepted
    assert not dlg.error.isHidden()
    assert "位置：开班第一课应为课堂教学，本课程为调研考察" in dlg.error.text()
    assert training.list_courses() == []


def test_course_list_shows_the_planning_fields(qtbot, library) -> None:
    training.save_course(
        training.CourseInput(
            "习近平新时代中国特色社会主义思想专题",
            tt.LECTURE,
            2,
            required=True,
            priority=10,
            position="开班第一课",
        )
    )
    training.save_course(
        training.CourseInput("专题研讨", tt.DISCUSSION, 2, repeatable=True, levels=["专题班"])
    )
    view = ResourcesView()
    qtbot.addWidget(view)
    m = view.courses.model
    cols = headers(m)
    for name in ("必修", "优先级", "适用班次层次", "可重复", "位置"):
        assert name in cols
    by_title = {m.text(r, 0): r for r in range(m.rowCount())}

    def cell(title: str, header: str) -> str:
        return m.text(by_title[title], cols.index(header))

    lecture = "习近平新时代中国特色社会主义思想专题"
    assert [cell(lecture, h) for h in ("必修", "优先级", "适用班次层次", "可重复", "位置")] == [
        "是",
        "10",
        "全部",
        "",
        "开班第一课",
    ]
    assert [cell("专题研讨", h) for h in ("必修", "适用班次层次", "可重复")] == ["", "专题班", "是"]


def test_site_form_saves_unavailable_days(qtbot, library) -> None:
    site = training.list_sites()[0]
    dlg = site_form(site, None)
    qtbot.addWidget(dlg)
    days = dlg.widgets["不可接待日期"]
    assert days.toPlainText() == "2027-04-05"
    days.setPlainText("2027-04-06\n2027-04-05、2027-04-06")
    dlg._save()
    assert dlg.result() == QDialog.DialogCode.Accepted
    assert training.list_sites()[0].unavailable == (D(2027, 4, 5), D(2027, 4, 6))

    view = ResourcesView()
    qtbot.addWidget(view)
    m = view.sites.model
    assert m.text(0, headers(m).index("不可接待日期")) == "2027-04-05、2027-04-06"

    bad = site_form(training.list_sites()[0], None)
    qtbot.addWidget(bad)
    bad.widgets["不可接待日期"].setPlainText("2027-04-31")
    bad._save()
    assert "不可接待日期“2027-04-31”不是日期，应写作 2026-03-05" in bad.error.text()
    assert training.list_sites()[0].unavailable == (D(2027, 4, 5), D(2027, 4, 6))


def test_class_dialog_warns_of_a_holiday_and_still_saves(qtbot, units) -> None:
    dlg = ClassDialog(None)
    qtbot.addWidget(dlg)
    dlg.name.insert("科级干部能力提升班")
    dlg.start.setDate(QDate(2026, 12, 14))
    dlg.end.setDate(QDate(2027, 1, 1))  # 元旦
    assert not dlg.date_warnings.isHidden()
    text = dlg.date_warnings.text()
    assert "结业日期 2027-01-01 是元旦假期" in text
    assert "班次期间有" in text
    assert "自动排课时跳过" in text
    save = dlg.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert save.isEnabled()  # a warning, not an error
    dlg.end.setDate(QDate(2026, 12, 31))
    assert dlg.date_warnings.isHidden()

    dlg.use_workdays.setChecked(True)
    dlg.max_lectures.setValue(6)
    dlg.save()
    saved = training.get_class(dlg.saved.id)
    assert (saved.use_workdays, saved.max_lectures_in_row) == (True, 6)
    edit = ClassDialog(saved)
    qtbot.addWidget(edit)
    assert edit.use_workdays.isChecked()
    assert edit.max_lectures.value() == 6
    assert edit.max_lectures.minimum() == 1
    assert edit.max_lectures.maximum() == 12
