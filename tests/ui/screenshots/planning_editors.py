"""Screenshots of the editors of what the planner reads, on a 300-cadre demo:
course_editor.png (a course's 必修 / 优先级 / 适用班次层次 / 可重复 / 位置), course_library.png
(the 课程库 list showing them), site_editor.png (a site's 不可接待日期), class_dialog_holiday.png
(a class ending on 元旦 2027-01-01: the warning under its dates), enrol_search.png (the 报名
dialog searching by pinyin initials) and electives_demo.png (the demo's 选学 as built).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate

from models import training
from tests.ui.screenshots import harness
from ui.training.class_dialog import ClassDialog
from ui.training.resources_view import course_form, site_form
from ui.training.trainees_view import EnrolDialog

# title → what the 教务处 set for the planner
PLANNING = {
    "习近平新时代中国特色社会主义思想专题": {"required": True, "priority": 10,
                                             "position": "开班第一课"},
    "乡村振兴战略与实践": {"priority": 6, "levels": ["科级干部班", "专题班"]},
    "理论学习专题研讨": {"repeatable": True, "priority": 5},
    "会宁红军会师旧址现场教学": {"required": True, "repeatable": True,
                                 "levels": ["县处级进修班", "中青年干部培训班"]},
    "结业交流与党性分析": {"required": True, "priority": 9, "position": "结业前"},
}  # fmt: skip


def _set_planning() -> None:
    for c in training.list_courses():
        changes = PLANNING.get(c.title)
        if changes is None:
            continue
        values = {f.name: getattr(c, f.name) for f in dataclasses.fields(training.CourseInput)}
        values.update(changes)
        training.save_course(training.CourseInput(**values))


def make(out: Path) -> list[Path]:
    with harness.session(out, cadres=300, seed=1) as shots:
        _set_planning()
        window = shots.main_window()
        resources = window.resources_view
        harness.show_section(window, resources)
        resources.setCurrentWidget(resources.courses)
        resources.reload()
        shots.settle()
        shots.save(window, "course_library.png")

        course = next(c for c in training.list_courses() if c.title == "结业交流与党性分析")
        dlg = course_form(course, window)
        dlg.show()
        shots.settle()
        shots.save(dlg, "course_editor.png")
        dlg.close()

        site = training.list_sites()[0]
        start = dt.date.today().replace(day=1) + dt.timedelta(days=40)
        days = (start, start + dt.timedelta(days=1), start + dt.timedelta(days=9))
        dlg = site_form(dataclasses.replace(site, unavailable=days), window)
        dlg.show()
        shots.settle()
        shots.save(dlg, "site_editor.png")
        dlg.close()

        cls = ClassDialog(None, window)
        cls.name.setText("科级干部能力提升班（第二期）")
        cls.level.setCurrentText("科级干部班")
        cls.start.setDate(QDate(2026, 12, 14))
        cls.end.setDate(QDate(2027, 1, 1))
        cls.show()
        shots.settle()
        shots.save(cls, "class_dialog_holiday.png")
        cls.close()

        enrol = EnrolDialog(window)
        enrol.text.setText("zj")
        enrol.search()
        enrol.show()
        shots.settle()
        shots.save(enrol, "enrol_search.png")
        enrol.close()

        view = window.training_view
        harness.show_section(window, view)
        running = next(c for c in training.list_classes() if c.status == "进行中")
        view.select_class(running.id)
        view.tabs.setCurrentWidget(view.electives)
        shots.settle()
        shots.save(window, "electives_demo.png")
        return shots.saved


if __name__ == "__main__":
    raise SystemExit(harness.main(make))
