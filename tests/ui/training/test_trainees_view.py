"""The 学员 tab: enrolment with refusal reasons, the candidate search, groups, officers."""

from __future__ import annotations

import datetime as dt

import pytest

from models.training import ClassInput, list_trainees, save_class
from ui import messages
from ui.training.trainees_view import EnrolDialog, TraineesView


@pytest.fixture
def class_id(people) -> int:  # noqa: ANN001
    return save_class(
        ClassInput(name="测试班", start=dt.date(2026, 5, 4), end=dt.date(2026, 5, 15))
    ).id


@pytest.fixture
def view(qtbot, class_id):  # noqa: ANN001, ANN201
    v = TraineesView()
    qtbot.addWidget(v)
    v.set_class(class_id)
    return v


def test_enrol_lists_refusals_with_reasons(qtmodeltester, view, people) -> None:
    view.enrol(cadre_ids=[people["张三"], people["李四"]])
    # nobody refused: the title does not end in a colon before an empty list
    assert view.refusal_title.text() == "已报名 2 人，全部报名成功。"
    assert view.refusals.isHidden()
    result = view.enrol(cadre_ids=[people["张三"], people["张珊珊"], people["王芳"]])
    assert [t.name for t in result.added] == ["王芳"]
    items = [view.refusals.item(k).text() for k in range(view.refusals.count())]
    assert items == [
        "张三：已在班次《测试班》中",
        "张珊珊：状态为“退休”，不是在职干部",
    ]
    assert not view.refusals.isHidden()
    assert view.refusal_title.text() == "已报名 1 人；未能报名 2 人及原因："
    qtmodeltester.check(view.model)
    assert sorted(view.model.text(r, 2) for r in range(view.model.rowCount())) == sorted(
        ["张三", "李四", "王芳"]
    )


def test_enrol_by_filter_unit_and_age(view, people, units) -> None:
    # 乌兰镇: 王芳 (born 1986-11-20, 39 on 2026-05-04) and 赵敏 (1990-01-05, 36)
    view.enrol(unit_id=units["town"], min_age=38)
    assert [t.name for t in list_trainees(view.class_id)] == ["王芳"]


def test_candidate_search_filters_the_roster(qtbot, qtmodeltester, people, units) -> None:
    dlg = EnrolDialog()
    qtbot.addWidget(dlg)
    dlg.search()
    # 在职 only: five of the six (张珊珊 is retired)
    assert dlg.model.rowCount() == 5
    dlg.level.setCurrentIndex(dlg.level.findData("乡科级正职"))
    dlg.search()
    assert [dlg.model.text(r, 0) for r in range(dlg.model.rowCount())] == ["李四"]
    qtmodeltester.check(dlg.model)
    dlg.level.setCurrentIndex(0)
    dlg.unit.setCurrentIndex(dlg.unit.findData(units["town"]))
    dlg.search()
    dlg.table.selectAll()
    dlg.take_selected()
    assert sorted(dlg.request.cadre_ids) == sorted([people["王芳"], people["赵敏"]])


def test_enrol_dialog_without_selection_says_so(qtbot, monkeypatch, people) -> None:
    dlg = EnrolDialog()
    qtbot.addWidget(dlg)
    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append(text))
    dlg.take_selected()
    assert dlg.request is None
    assert "请先在列表中选择" in shown[0]


def test_split_groups_and_officers(view, people) -> None:
    view.enrol(cadre_ids=[people[n] for n in ("张三", "李四", "王芳", "赵敏", "周志强")])
    groups = view.split(2)
    assert sorted(len(g.members) for g in groups) == [2, 3]
    conveners = {g.convener.name for g in groups}
    text = view.summary.text()
    for g in groups:
        assert f"第{g.group_no}组 {len(g.members)} 人，召集人 {g.convener.name}" in text
    shown = {view.model.text(r, 2) for r in range(view.model.rowCount()) if view.model.text(r, 1)}
    assert shown == conveners
    view.select_ids([people["李四"]])
    view.set_role_selected("班长")
    assert "班长 李四" in view.summary.text()
    roles = {t.name: t.role for t in list_trainees(view.class_id)}
    assert roles["李四"] == "班长"


def test_split_into_too_many_groups_is_refused(monkeypatch, view, people) -> None:
    view.enrol(cadre_ids=[people["张三"], people["李四"]])
    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append(text))
    assert view.split(3) is None
    assert shown == ["班次《测试班》只有 2 名学员，不能分成 3 个组"]


def test_candidates_by_last_years_approved_grade_for_targeted_training(qtbot, people) -> None:  # noqa: ANN001
    """上年度考核: the approved grade shows per candidate; 基本称职和不称职 lists exactly those
    (a draft grade does not count), and 按条件全部报名 takes exactly them."""
    from models.assessment.tables import AssessmentRound, GradeResult

    year = dt.date.today().year - 1
    approved = AssessmentRound.create(year=year, name="年度考核", rules_json="{}", status="审定")
    draft = AssessmentRound.create(year=year, name="年度考核二", rules_json="{}", status="录入")
    for name, grade in (("张三", "优秀"), ("李四", "基本称职"), ("赵敏", "不称职")):
        GradeResult.create(round=approved, cadre=people[name], final_grade=grade)
    GradeResult.create(round=draft, cadre=people["王芳"], final_grade="基本称职")
    dlg = EnrolDialog()
    qtbot.addWidget(dlg)
    dlg.search()
    col = dlg.model.headers().index(f"{year}年度考核")
    grades = {dlg.model.text(r, 0): dlg.model.text(r, col) for r in range(dlg.model.rowCount())}
    assert grades == {
        "张三": "优秀",
        "李四": "基本称职",
        "周志强": "",
        "王芳": "",  # a draft grade is not a result
        "赵敏": "不称职",
    }
    dlg.grade.setCurrentIndex(1)  # 基本称职和不称职（针对性培训）
    names = [dlg.model.text(r, 0) for r in range(dlg.model.rowCount())]
    assert names == ["李四", "赵敏"]
    assert dlg.count.text() == "找到 2 名在职干部"
    dlg.take_all()
    assert sorted(dlg.request.cadre_ids) == sorted([people["李四"], people["赵敏"]])
