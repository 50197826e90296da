"""结果汇总's 图表 on the demo round: the button shows it in place of the ranking; each unit's
people by grade in one stacked bar; each unit's 优秀 share with those above the ceiling
marked, against the rules' percent and ceiling; the overall share above the charts."""

from __future__ import annotations

import pytest

from tests.ui.assessment import support as assessment_support
from ui.common.charts import WORD_JOINER

pytestmark = pytest.mark.ui

# the shared demo-database fixtures (tests/ui/assessment/support.py)
assessment_template = assessment_support.assessment_template
assessment_db = assessment_support.assessment_db

GRADES = ["优秀", "称职", "基本称职", "不称职", "不定等次"]


@pytest.fixture
def overview(qtbot, assessment_db: int):  # noqa: ANN001, ANN201
    from ui.assessment.assessment_view import AssessmentView

    v = AssessmentView()
    qtbot.addWidget(v)
    v.resize(1280, 760)
    v.show()
    v.tabs.setCurrentWidget(v.overview)
    return v.overview


def plain(text: str) -> str:
    return text.replace(WORD_JOINER, "")


def test_the_button_shows_the_chart_in_place_of_the_ranking(overview) -> None:  # noqa: ANN001
    chart = overview.chart
    ranking = overview.rank_table.parentWidget()
    assert chart.button.text() == "图表"
    assert chart.button.isEnabled()
    assert not chart.isVisible()
    assert ranking.isVisible()
    assert chart.grades.categories() == []  # not drawn while hidden
    chart.button.click()
    assert chart.isVisible()
    assert not ranking.isVisible()
    assert chart.width() > 300  # it took the ranking's room in the splitter
    assert chart.grades.categories()
    chart.button.click()
    assert not chart.isVisible()
    assert ranking.isVisible()


def test_grades_per_unit(overview) -> None:  # noqa: ANN001
    overview.chart.button.click()
    pools = overview.overview.pools
    grades = overview.chart.grades
    names = [p.unit + (f"｜{p.layer}" if p.layer else "") for p in pools]
    assert grades.categories() == grades.axis_labels() == names
    assert "市住房和城乡建设局" in names
    assert grades.series_names() == GRADES  # the demo round is graded throughout
    for g in GRADES:
        assert grades.shown_values(g) == [p.counts[g] for p in pools]
    assert sum(grades.shown_values("优秀")) == sum(p.excellent for p in pools) > 0
    assert "各单位等次分布（人）" in plain(overview.chart.grades_title.text())
    for g in GRADES:
        assert g in plain(overview.chart.grades_title.text())


def test_excellent_share_against_the_percent_and_the_ceiling(overview) -> None:  # noqa: ANN001
    chart = overview.chart
    chart.button.click()
    pools = overview.overview.pools
    shares = chart.shares
    assert shares.categories() == chart.grades.categories()
    expected = [round(100 * p.excellent / p.people, 1) for p in pools]
    assert shares.shown_values("优秀比例") == pytest.approx(expected, abs=0.01)
    # the demo's rules: 20 %, at most 25 % with approval; the small units above it are red
    assert shares.lines() == [("一般比例 20%", 20.0), ("上限 25%", 25.0)]
    over = [k for k, s in enumerate(expected) if s > 25]
    assert over
    assert shares.marked("优秀比例") == over
    title = plain(chart.shares_title.text())
    for text in ("优秀比例", "超过上限", "一般比例 20%", "上限 25%"):
        assert text in title
    people = sum(p.people for p in pools)
    excellent = sum(p.excellent for p in pools)
    summary = chart.summary.text()
    assert (
        f"参加考核 {people} 人，优秀 {excellent} 人，占 {100 * excellent / people:.1f}%" in summary
    )
    # the demo's 28 small units rounded up to 1 place take the round above the ceiling
    assert overview.overview.ceiling_warning
    assert summary.endswith("（一般比例 20%，上限 25%），超过上限")


def test_a_shown_chart_follows_the_results(overview, monkeypatch) -> None:  # noqa: ANN001
    """Grades changed (an override) are drawn at once while the chart is shown."""
    from ui.assessment.overview_parts import OverrideChoice, OverrideDialog

    chart = overview.chart
    chart.button.click()
    k = next(k for k, p in enumerate(overview.overview.pools) if p.excellent == 0)
    overview.select_pool(overview.overview.pools[k].pool_key)
    before = chart.grades.shown_values("优秀")[k]
    monkeypatch.setattr(
        OverrideDialog,
        "ask",
        classmethod(lambda cls, p, n, g: OverrideChoice("优秀", "议定", False)),
    )
    assert overview.override()
    assert chart.grades.shown_values("优秀")[k] == before + 1


def test_no_chart_for_a_round_without_results(overview) -> None:  # noqa: ANN001
    chart = overview.chart
    chart.set_overview(None)
    assert not chart.button.isEnabled()
    chart.draw()
    assert chart.grades.categories() == []
    assert chart.summary.text() == "没有考核结果"
