"""The 选学 tab: the menu with editable places, wishes entered by staff or imported from
xlsx, 按规则分配 under both rules with the outcome listed, and its export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from models.roster import service as roster
from models.training import (
    ClassInput,
    CourseInput,
    elective_options,
    enrol,
    list_elective_choices,
    save_class,
    save_course,
    set_class_courses,
    set_elective_choices,
)
from models.training import planner as tt
from tests.ui.job_support import CancelAfterService
from ui import messages
from ui.training.electives_view import ChoicesDialog, ElectivesView


@pytest.fixture
def menu(people):
    """选学班 with 数字政府 (1 place), 公文写作 (2), 应急管理 (1); trainees 张三 (县处级正职),
    李四 (乡科级正职), 王芳 (乡科级副职), 赵敏 (no 领导职务, 一级科员). Wishes handed in:
    赵敏 [数字政府, 公文写作] 08:00, 王芳 [数字政府, 公文写作] 09:00, 李四 [公文写作]
    10:00, 张三 [数字政府] 11:00."""
    e1 = save_course(CourseInput("数字政府", tt.LECTURE, 1, elective=True)).id
    e2 = save_course(CourseInput("公文写作", tt.LECTURE, 1, elective=True)).id
    e3 = save_course(CourseInput("应急管理", tt.LECTURE, 1, elective=True)).id
    cls = save_class(
        ClassInput(name="选学班", start=dt.date(2026, 5, 4), end=dt.date(2026, 5, 8))
    ).id
    set_class_courses(cls, [e1, e2, e3], capacities={e1: 1, e2: 2, e3: 1})
    names = ("张三", "李四", "王芳", "赵敏")
    enrol(cls, cadre_ids=[people[n] for n in names])
    day = dt.datetime(2026, 4, 20)
    set_elective_choices(cls, people["赵敏"], [e1, e2], at=day.replace(hour=8))
    set_elective_choices(cls, people["王芳"], [e1, e2], at=day.replace(hour=9))
    set_elective_choices(cls, people["李四"], [e2], at=day.replace(hour=10))
    set_elective_choices(cls, people["张三"], [e1], at=day.replace(hour=11))
    return {"cls": cls, "e1": e1, "e2": e2, "e3": e3, "people": people}


@pytest.fixture
def view(qtbot, menu):  # noqa: ANN001, ANN201
    v = ElectivesView()
    qtbot.addWidget(v)
    v.resize(1280, 800)
    v.set_class(menu["cls"])
    return v


def outcome(view: ElectivesView) -> list[tuple[str, ...]]:
    m = view.outcome
    return [tuple(m.text(r, c) for c in (0, 3, 4, 5, 6)) for r in range(m.rowCount())]


def choices(view: ElectivesView) -> dict[str, tuple[str, ...]]:
    m = view.choices
    return {m.text(r, 0): tuple(m.text(r, c) for c in (3, 4, 5)) for r in range(m.rowCount())}


def test_menu_and_wishes_are_shown(qtmodeltester, view) -> None:
    qtmodeltester.check(view.options)
    qtmodeltester.check(view.choices)
    o = view.options
    assert [(o.text(r, 0), o.text(r, 1), o.text(r, 2)) for r in range(o.rowCount())] == [
        ("数字政府", "1", "3"),  # first wishes: 赵敏, 王芳, 张三
        ("公文写作", "2", "1"),
        ("应急管理", "1", "0"),
    ]
    assert choices(view) == {
        "张三": ("数字政府", "", ""),
        "李四": ("公文写作", "", ""),
        "王芳": ("数字政府", "公文写作", ""),
        "赵敏": ("数字政府", "公文写作", ""),
    }
    assert view.choices.headers()[3:6] == ["第一志愿", "第二志愿", "第三志愿"]
    assert view.choices_count.text() == "4 名学员，已填志愿 4 人"
    assert "尚未分配" in view.summary.text()


def test_capacity_is_edited_in_the_table(monkeypatch, view, menu) -> None:
    index = view.options.index(2, 1)
    assert view.options.flags(index) & view.options.flags(index).ItemIsEditable
    assert view.options.setData(index, 3)
    assert {o.title: o.capacity for o in elective_options(menu["cls"])}["应急管理"] == 3
    assert view.options.text(2, 1) == "3"
    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append(text))
    assert not view.options.setData(index, -2)
    assert shown == ["《应急管理》的选学名额不能为负数，现为 -2"]
    assert view.options.text(2, 1) == "3"


def test_wishes_entered_through_the_dialog(monkeypatch, view, menu) -> None:
    seen: list[tuple[str, list[int], int]] = []

    def ask(cls, name, options, current, limit, parent=None):  # noqa: ANN001, ANN202
        seen.append((name, list(current), limit))
        return [menu["e3"], menu["e1"]]

    monkeypatch.setattr(ChoicesDialog, "ask", classmethod(ask))
    view.select_trainee(menu["people"]["李四"])
    assert view.edit_choices()
    assert seen == [("李四", [menu["e2"]], 3)]
    assert choices(view)["李四"] == ("应急管理", "数字政府", "")
    stored = {t.name: [w.title for w in t.wishes] for t in list_elective_choices(menu["cls"])}
    assert stored["李四"] == ["应急管理", "数字政府"]


def test_choices_dialog_refuses_a_gap_and_a_repeat(qtbot, menu) -> None:
    dlg = ChoicesDialog("王芳", elective_options(menu["cls"]), [menu["e1"]], 3)
    qtbot.addWidget(dlg)
    first, second, third = dlg.boxes
    assert first.currentData() == menu["e1"]
    third.setCurrentIndex(third.findData(menu["e2"]))
    assert dlg.check() == "第二志愿没有填写，请依次填写志愿"
    second.setCurrentIndex(second.findData(menu["e1"]))
    assert dlg.check() == "第二志愿与前面的志愿重复"
    second.setCurrentIndex(second.findData(menu["e3"]))
    assert dlg.check() == ""
    assert dlg.chosen() == [menu["e1"], menu["e3"], menu["e2"]]


def sheet(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "第一志愿", "第二志愿", "第三志愿"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def stored_wishes(class_id: int) -> dict[str, list[str]]:
    return {t.name: [w.title for w in t.wishes] for t in list_elective_choices(class_id)}


MENU_WISHES = {  # as the menu fixture stored them
    "张三": ["数字政府"],
    "李四": ["公文写作"],
    "王芳": ["数字政府", "公文写作"],
    "赵敏": ["数字政府", "公文写作"],
}


def run_import(qtbot, view: ElectivesView) -> None:  # noqa: ANN001
    job = view.import_choices()
    assert job is not None
    assert not view.import_button.isEnabled()  # no second import while this one runs
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert view.import_button.isEnabled()


def test_import_from_xlsx(qtbot, monkeypatch, tmp_path, view, menu) -> None:
    card = {n: roster.get_cadre(menu["people"][n]).id_card for n in ("张三", "赵敏")}
    bad = sheet(
        tmp_path / "bad.xlsx",
        [
            ["张三", card["张三"], "应急管理", "公文写作", None],  # row 2: fine
            ["赵敏", card["赵敏"], "书法", None, None],  # row 3: 书法 is not on the menu (C)
        ],
    )
    listed: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(messages, "open_file", lambda *a: bad)
    monkeypatch.setattr(
        messages, "issues", lambda _p, _t, text, lines: listed.append((text, lines))
    )
    run_import(qtbot, view)
    assert len(listed) == 1
    text, lines = listed[0]
    assert text == "“bad.xlsx”有 1 处错误，未导入任何志愿。请改正后重新导入："
    assert len(lines) == 1
    assert "第3行C列（第一志愿）" in lines[0]
    assert "“书法”不是本班的选学课程" in lines[0]
    assert choices(view)["张三"] == ("数字政府", "", "")  # nothing stored
    assert stored_wishes(menu["cls"]) == MENU_WISHES

    good = sheet(tmp_path / "good.xlsx", [["张三", card["张三"], "应急管理", "公文写作", None]])
    told: list[str] = []
    changed: list[bool] = []
    view.electivesChanged.connect(lambda: changed.append(True))
    monkeypatch.setattr(messages, "open_file", lambda *a: good)
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    run_import(qtbot, view)
    assert told == ["已导入 1 名学员的选学志愿"]
    assert changed == [True]
    assert choices(view)["张三"] == ("应急管理", "公文写作", "")
    assert stored_wishes(menu["cls"]) == MENU_WISHES | {"张三": ["应急管理", "公文写作"]}


def test_import_of_a_file_that_is_not_a_workbook(qtbot, monkeypatch, tmp_path, view, menu) -> None:
    path = tmp_path / "志愿.xlsx"
    path.write_text("not a workbook")
    errors: list[tuple[str, str | None]] = []
    monkeypatch.setattr(messages, "open_file", lambda *a: path)
    monkeypatch.setattr(
        messages, "error", lambda _p, text, title=None: errors.append((text, title))
    )
    run_import(qtbot, view)
    assert errors == [
        (
            "“志愿.xlsx”的内容是文本（可能是CSV），不是Excel工作簿（.xlsx）；"
            "请在Excel或WPS中打开后另存为.xlsx",
            "不能导入选学志愿",
        )
    ]
    assert stored_wishes(menu["cls"]) == MENU_WISHES


def test_cancel_before_the_import_commits_stores_nothing(
    qtbot, monkeypatch, tmp_path, view, menu
) -> None:
    from models.training import electives as training_electives

    card = roster.get_cadre(menu["people"]["张三"]).id_card
    good = sheet(tmp_path / "good.xlsx", [["张三", card, "应急管理", "公文写作", None]])
    monkeypatch.setattr(messages, "open_file", lambda *a: good)
    cancel = CancelAfterService(monkeypatch, training_electives, "import_elective_choices")
    job = view.import_choices()
    cancel.cancel(job)
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    assert cancel.results[0].imported == 1  # the service had stored 张三's wishes...
    assert stored_wishes(menu["cls"]) == MENU_WISHES  # ...and they were rolled back
    assert choices(view)["张三"] == ("数字政府", "", "")
    assert view.import_button.isEnabled()


def test_settle_under_both_rules_lists_the_outcome(qtmodeltester, monkeypatch, view) -> None:
    # 先报先得: 赵敏 (08:00) 数字政府; 王芳 (09:00) 数字政府 full → 公文写作 (second wish);
    # 李四 (10:00) 公文写作 (now 2 of 2); 张三 (11:00) 数字政府 full → 调剂 to 应急管理
    view.rule.setCurrentIndex(view.rule.findData("first_come"))
    view.settle()
    qtmodeltester.check(view.outcome)
    assert outcome(view) == [
        ("赵敏", "数字政府", "第一志愿", "否", ""),
        ("王芳", "公文写作", "第二志愿", "是", "《数字政府》名额已满"),
        ("李四", "公文写作", "第一志愿", "否", ""),
        ("张三", "应急管理", "调剂", "是", "所填志愿名额均已满，调剂到《应急管理》"),
    ]
    assert "按“先报先得”分配" in view.summary.text()
    assert "第一志愿 2 人次，其他志愿 1，调剂 1，未分配 0" in view.summary.text()
    assert choices(view)  # the wish list shows the result column
    result_col = view.choices.columnCount() - 1
    got = {view.choices.text(r, 0): view.choices.text(r, result_col) for r in range(4)}
    assert got == {"张三": "应急管理", "李四": "公文写作", "王芳": "公文写作", "赵敏": "数字政府"}

    # 按职级: 张三 (县处级正职) 数字政府; 李四 (乡科级正职) 公文写作; 王芳 (乡科级副职)
    # 数字政府 full → 公文写作; 赵敏 (no 领导职务) both wishes full → 调剂 to 应急管理
    asked: list[str] = []
    monkeypatch.setattr(messages, "ask_yes_no", lambda _p, _t, text: asked.append(text) or True)
    view.rule.setCurrentIndex(view.rule.findData("by_rank"))
    view.settle()
    assert "上次的分配结果会被替换" in asked[0]
    assert outcome(view) == [
        ("张三", "数字政府", "第一志愿", "否", ""),
        ("李四", "公文写作", "第一志愿", "否", ""),
        ("王芳", "公文写作", "第二志愿", "是", "《数字政府》名额已满"),
        ("赵敏", "应急管理", "调剂", "是", "所填志愿名额均已满，调剂到《应急管理》"),
    ]
    assert "按“按职级从高到低”分配" in view.summary.text()
    view.moved_only.setChecked(True)
    assert [r[0] for r in outcome(view)] == ["王芳", "赵敏"]
    view.moved_only.setChecked(False)

    # a fresh screen shows the stored outcome (in trainee-list order)
    other = ElectivesView()
    other.set_class(view.class_id)
    assert sorted(outcome(other)) == sorted(outcome(view))
    other.deleteLater()


def test_export_of_the_outcome(qtbot, monkeypatch, tmp_path, view) -> None:
    view.settle()
    dest = tmp_path / "结果.xlsx"
    told: list[str] = []
    monkeypatch.setattr(messages, "save_file", lambda *a: dest)
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    job = view.export()
    with qtbot.waitSignal(job.finished, timeout=10_000):
        pass
    rows = list(load_workbook(dest).active.iter_rows(values_only=True))
    assert rows[0][0].startswith("选学班选学分配结果")
    assert rows[1] == ("姓名", "单位", "职级", "选学课程", "所得志愿", "是否调剂", "说明")
    by_name = {r[0]: r for r in rows[2:]}
    assert set(by_name) == {"张三", "李四", "王芳", "赵敏"}
    assert by_name["王芳"][3:] == ("公文写作", "第二志愿", "是", "《数字政府》名额已满")
    assert by_name["赵敏"][1:3] == ("乌兰镇", "一级科员")
    assert told == [f"已导出 4 行到 {dest}"]


def test_tab_in_the_class_page(qtbot, menu) -> None:
    from ui.training.classes_view import TrainingView

    v = TrainingView()
    qtbot.addWidget(v)
    v.select_class(menu["cls"])
    tabs = [v.tabs.tabText(k) for k in range(v.tabs.count())]
    assert "选学" in tabs
    assert v.electives.class_id == menu["cls"]
    assert v.electives.options.rowCount() == 3
