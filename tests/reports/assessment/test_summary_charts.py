"""The grade charts of the 考核结果汇总表: in the PDF a bar chart drawn by reportlab whose
labels and counts are text in the CJK font (embedded, no black squares); in the xlsx a sheet
等次分布 of the counts by unit with a bar chart over its 合计 row.

The counts are worked out here from the round overview, not from the report's data."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from openpyxl import load_workbook
from reportlab.graphics.charts.barcharts import VerticalBarChart

from models.assessment import find_round
from models.assessment.results import round_overview
from reports import assessment as ar
from reports.common import charts, styles
from tests.reports.conftest import YEAR, assert_clean_pdf, pdf_text

GRADES = ("优秀", "称职", "基本称职", "不称职", "不定等次")


def counted(unit_id: int | None = None) -> Counter[str]:
    """Each final grade's people in the round (or the unit), counted person by person."""
    pools = round_overview(find_round(YEAR).id, unit_id).pools
    return Counter(r.final_grade for p in pools for r in p.rows if r.final_grade)


def test_summary_pdf_draws_the_grades_chart_with_its_counts(demo, tmp_path) -> None:
    out = tmp_path / "汇总表.pdf"
    ar.print_report("summary", YEAR, out)
    assert_clean_pdf(out)  # every font embedded, the chart's labels included
    page = pdf_text(out, layout=True).split("\f")[0].splitlines()
    counts = counted()
    top = next(k for k, line in enumerate(page) if "等次分布" in line)
    assert f"等次分布（参加考核 {sum(counts.values())} 人）" in page[top]
    # under the bars, the grades in order on one line
    base = next(k for k, line in enumerate(page) if "优秀" in line and k > top)
    assert page[base].split() == list(GRADES)
    # above them each bar's count (right of the axis' ticks), read left to right
    left = page[base].index("优秀") - 2
    labels = sorted(
        (m.start(), int(m.group()))
        for line in page[top + 1 : base]
        for m in re.finditer(r"\d+", line)
        if m.start() >= left
    )
    assert [n for _x, n in labels] == [counts[g] for g in GRADES]
    assert min(counts["优秀"], counts["称职"]) > 0  # not a chart of zeros


def test_pdf_chart_names_the_cjk_font_for_every_label(bundled_fonts) -> None:
    drawing = charts.count_bar_drawing(
        list(GRADES), [3, 10, 1, 0, 2], title="等次分布", width=300, height=150
    )
    bar = next(c for c in drawing.contents if isinstance(c, VerticalBarChart))
    assert bar.categoryAxis.categoryNames == list(GRADES)
    assert bar.data == [[3, 10, 1, 0, 2]]
    fonts = {
        bar.categoryAxis.labels.fontName,
        bar.valueAxis.labels.fontName,
        bar.barLabels.fontName,
        *(s.fontName for s in drawing.contents if hasattr(s, "fontName")),
    }
    assert fonts == {styles.FONT}
    assert bar.valueAxis.valueMax >= 10 * 1.15


def test_summary_xlsx_has_the_counts_and_a_chart_over_them(demo, tmp_path) -> None:
    out = tmp_path / "汇总表.xlsx"
    ar.print_report("summary", YEAR, out)
    wb = load_workbook(out)
    assert wb.sheetnames == ["汇总表", "等次分布"]
    ws = wb["等次分布"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1] == ("单位", *GRADES, "合计")
    d = ar.summary_data(YEAR)
    assert [r[0] for r in rows[2:-1]] == [u.label for u in d.units]
    for r in rows[2:-1]:
        assert sum(r[1:6]) == r[6]  # every unit graded: its grades add up to its people
    total = rows[-1]
    counts = counted()
    assert total == ("合计", *(counts[g] for g in GRADES), sum(counts.values()))

    assert len(ws._charts) == 1
    chart = ws._charts[0]
    assert chart.type == "col"
    (series,) = chart.series
    last = len(rows)  # the 合计 row
    assert series.tx.strRef.f.replace("$", "") == f"'等次分布'!A{last}"  # the name: 合计
    assert series.val.numRef.f == f"'等次分布'!$B${last}:$F${last}"
    assert series.cat.strRef.f == "'等次分布'!$B$2:$F$2"  # the grades


def test_xlsx_counts_people_not_yet_graded(own_demo, tmp_path) -> None:
    """A person whose grade is withdrawn shows under 尚未计算, in the table and the chart."""
    from models.assessment.tables import GradeResult

    rnd = find_round(YEAR)
    GradeResult.update(final_grade="").where(
        GradeResult.id == GradeResult.select(GradeResult.id).where(GradeResult.round == rnd.id)
        .order_by(GradeResult.id).limit(1)
    ).execute()  # fmt: skip
    out = tmp_path / "汇总表.xlsx"
    ar.print_report("summary", YEAR, out)
    ws = load_workbook(out)["等次分布"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1] == ("单位", *GRADES, "尚未计算", "合计")
    assert rows[-1][6] == 1
    assert ws._charts[0].series[0].val.numRef.f.endswith(f"$B${len(rows)}:$G${len(rows)}")


@pytest.fixture
def own_demo(demo_db, bundled_fonts, tmp_path_factory):  # noqa: ANN001, ANN201
    from models.core.db import close_database
    from tests.reports.conftest import open_copy

    open_copy(demo_db[0], tmp_path_factory)
    yield demo_db[1]
    close_database()
