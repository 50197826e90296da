"""The 首页: what its charts and tables show on a small roster, 暂无数据 on an empty database,
the count running in the background, and the section in the main window."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from models.assessment import add_unit_members, create_round
from models.assessment.tables import GradeResult
from models.roster import service as roster
from models.training import add_hours_entry
from models.training import hours as hr
from ui import jobs
from ui.home import HomeView
from ui.home import home_view as home_module
from ui.main_window import MainWindow

TODAY = dt.date(2026, 6, 30)


def loaded(qtbot, view: HomeView) -> HomeView:  # noqa: ANN001
    """``view`` shown, once its background count has been shown."""
    qtbot.addWidget(view)
    view.show()  # showing the section starts the count
    qtbot.waitUntil(lambda: view.overview is not None and view.load_job is None, timeout=10_000)
    return view


@pytest.fixture
def graded(people: dict[str, int]) -> dict[str, int]:
    """The five 在职 people of tests/ui/conftest.py ``people``, with 学时 for 李四 and 赵敏
    (90 a year: met) and a 2025 年度考核 where four of the five have a grade."""
    add_hours_entry(people["李四"], dt.date(2026, 5, 1), hr.OUTSIDE_TRAINING, 90, "省委党校专题班")
    add_hours_entry(people["赵敏"], dt.date(2026, 4, 1), hr.ONLINE_STUDY, 96, "网络学院")
    rnd = create_round(2025)
    add_unit_members(rnd.id, None)
    for name, grade in (("张三", "优秀"), ("李四", "称职"), ("王芳", "称职"), ("赵敏", "基本称职")):
        GradeResult.create(round=rnd.id, cadre=people[name], final_grade=grade, pool_key="甲")
    return people


def test_the_charts_and_tables_show_the_counts(qtbot, graded) -> None:  # noqa: ANN001
    view = loaded(qtbot, HomeView(TODAY))
    assert view.status.text() == "统计日期：2026年6月30日　在职干部 5 人"

    level = view.level_card
    assert level.has_data
    assert level.chart.labels() == [
        "县处级正职",
        "县处级副职",
        "乡科级正职",
        "乡科级副职",
        "一级科员",
    ]
    assert level.chart.shown_values() == [1, 1, 1, 1, 1]
    assert level.table_text()[0] == ["领导职务层次/职级", "人数", "占比"]
    assert level.table_text()[-1] == ["合计", "5", "100.0%"]

    age = view.age_card
    assert age.chart.labels()[0] == "30岁及以下"
    # 张三 51, 李四 45 (birthday on 7月2日), 王芳 39, 赵敏 36, 周志强 58
    assert age.chart.shown_values() == [0, 0, 2, 1, 0, 1, 1]
    assert age.table_text()[3] == ["36—40岁", "2", "40.0%"]
    assert age.table_text()[-1] == ["合计", "5", "100.0%"]
    assert "2026年6月30日" in age.note.text()

    hours = view.hours_card
    assert hours.title() == "2026年学时完成情况（各单位在职干部）"
    # 市委: 张三 (五年 550, short), 李四 (met); 靖远县: 王芳, 赵敏 (met), 周志强
    assert hours.chart.labels() == ["市委", "靖远县"]
    assert hours.chart.shown_values() == [50.0, 33.3]
    assert hours.table_text() == [
        ["单位", "在职", "达标", "未达标", "达标率"],
        ["市委", "2", "1", "1", "50.0%"],
        ["靖远县", "3", "1", "2", "33.3%"],
        ["合计", "5", "2", "3", "40.0%"],
    ]

    grades = view.grades_card
    assert grades.title() == "2025年度考核等次分布"
    assert grades.chart.labels() == ["优秀", "称职", "基本称职", "不称职", "不定等次"]
    assert grades.chart.shown_values() == [1, 2, 1, 0, 0]
    assert grades.table_text()[-1] == ["合计", "4", "100.0%"]
    assert grades.note.text() == "考核状态：录入；尚未评定 1 人"  # 周志强


def test_an_empty_database_says_so_on_every_card(qtbot, database) -> None:  # noqa: ANN001
    view = loaded(qtbot, HomeView(TODAY))
    assert view.status.text() == "统计日期：2026年6月30日　在职干部 0 人"
    for card in view.cards:
        assert not card.has_data
        assert card.empty.text().startswith("暂无数据")
        assert card.model.rowCount() == 0
        assert card.chart.shown_values() == []
    assert view.grades_card.empty.text() == "暂无数据\n还没有建立年度考核"


def test_a_round_nobody_is_graded_in_yet_is_no_data(qtbot, people) -> None:  # noqa: ANN001
    add_unit_members(create_round(2026).id, None)
    grades = loaded(qtbot, HomeView(TODAY)).grades_card
    assert not grades.has_data
    assert grades.empty.text() == "暂无数据\n本轮考核尚未评定等次"
    assert grades.note.text() == "考核状态：录入；尚未评定 5 人"


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """The count waits on the worker (never the GUI thread) until the event is set, then
    runs for real."""
    go_on = threading.Event()
    real = home_module.home_overview

    def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        assert threading.current_thread() is not threading.main_thread()
        go_on.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(home_module, "home_overview", slow)
    return go_on


def test_the_count_runs_in_the_background(qtbot, people, held) -> None:  # noqa: ANN001
    """The screen is shown (and says it is counting) while the count runs on the worker, with
    no progress dialog; 刷新 counts again and shows the new figures."""
    view = HomeView(TODAY)
    qtbot.addWidget(view)
    view.show()
    job = view.load_job
    assert job is not None
    assert job.quiet  # no progress dialog
    assert view.status.text() == "正在统计…"
    assert not view.refresh_button.isEnabled()
    assert view.refresh() is job  # not started twice
    assert view.level_card.empty.text() == "正在统计…"
    with qtbot.waitSignal(job.finished, timeout=10_000):
        held.set()
    assert view.overview is not None
    assert view.overview.active == 5
    assert view.refresh_button.isEnabled()

    roster.set_status(people["赵敏"], "调离")
    with qtbot.waitSignal(view.refresh().finished, timeout=10_000):
        pass
    assert view.status.text().endswith("在职干部 4 人")
    assert view.level_card.table_text()[-1] == ["合计", "4", "100.0%"]


def test_the_home_section_is_in_the_main_window(qtbot, people, db_path) -> None:  # noqa: ANN001
    window = MainWindow(db_path)
    qtbot.addWidget(window)
    window.show()
    names = [window.nav.item(k).text() for k in range(window.nav.count())]
    assert "首页" in names
    assert window.stack.currentWidget() is window.roster_view  # the start section is unchanged
    window.nav.setCurrentRow(names.index("首页"))  # built and counted when first opened
    view = window.stack.currentWidget()
    assert isinstance(view, HomeView)
    assert window.home_view is view
    qtbot.waitUntil(lambda: view.overview is not None, timeout=10_000)
    jobs.runner().wait(10_000)
    assert view.level_card.table_text()[-1] == ["合计", "5", "100.0%"]


def test_leaving_the_section_stops_the_count(qtbot, people, held) -> None:  # noqa: ANN001
    """One worker serves every screen: a count the user walked away from stops at its next
    step, and the screen counts again when shown."""
    view = HomeView(TODAY)
    qtbot.addWidget(view)
    view.show()
    job = view.load_job
    assert job is not None
    view.hide()
    assert job.cancelled()
    with qtbot.waitSignal(job.finished, timeout=10_000):
        held.set()
    assert view.overview is None
    assert view.status.text() == "统计未完成，请点“刷新”重试"
    assert view.refresh_button.isEnabled()
    view.show()
    qtbot.waitUntil(lambda: view.overview is not None and view.load_job is None, timeout=10_000)
    assert view.status.text().endswith("在职干部 5 人")


def test_coming_back_before_a_stopped_count_ends_counts_anew(qtbot, people, held) -> None:  # noqa: ANN001
    view = HomeView(TODAY)
    qtbot.addWidget(view)
    view.show()
    stopped = view.load_job
    view.hide()
    view.show()
    again = view.load_job
    assert again is not None
    assert again is not stopped
    with qtbot.waitSignal(again.finished, timeout=10_000):
        held.set()
    assert view.load_job is None
    assert view.status.text().endswith("在职干部 5 人")
    assert view.level_card.table_text()[-1] == ["合计", "5", "100.0%"]
