"""考核结果汇总表, 年度考核结果审定表 and 年度考核结果名册 (PDF and xlsx) on the demo round.

The demo (models.assessment.demo) has a graded 2025 round of every 在职 cadre with a 优秀
quota of 20 % per unit (rounded half up, at least 1), a tie at the quota line in the largest
unit, a 政务记过 (不定等次, 处分期) and a probationer (不定等次, 试用期).
"""

from __future__ import annotations

from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from models.assessment import (
    approve_round,
    find_round,
    list_members,
    set_member_flags,
    submit_for_review,
)
from models.assessment.grading import compute_grades
from models.assessment.results import round_overview
from models.core.db import close_database
from models.core.errors import DomainError, NotFoundError
from models.roster.tables import Unit
from reports import assessment as ar
from reports.assessment import summary_xlsx as axl
from reports.common import fonts
from tests.reports.conftest import (
    YEAR,
    assert_clean_pdf,
    open_copy,
    pdf_info,
    pdf_text,
    squeeze,
)

GRADES = ("优秀", "称职", "基本称职", "不称职")
NO_GRADE = ("试用期", "处分期", "其他")


@pytest.fixture
def own_demo(demo_db, bundled_fonts, tmp_path_factory):  # noqa: ANN001, ANN201
    open_copy(demo_db[0], tmp_path_factory)
    yield demo_db[1]
    close_database()


def quota_by_hand(n: int) -> tuple[int, str]:
    raw = Decimal(20) * n / 100
    rounded = int(raw.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return max(1, rounded), f"20%×{n}={raw.normalize():f}"


# ============================================================================ 汇总表


def test_summary_pdf_ranks_each_unit_with_quota_line(demo, tmp_path) -> None:
    rnd = find_round(YEAR)
    tie = Unit.get(Unit.name == demo.tie_unit).id
    out = tmp_path / "汇总表.pdf"
    pages = ar.print_report("summary", YEAR, out, unit_id=tie)
    assert pages == int(pdf_info(out)["Pages"]) == 1
    text = squeeze(assert_clean_pdf(out))
    # the people of the unit, ordered here by composite (highest first), name as tie-break
    rows = [r for p in round_overview(rnd.id, tie).pools for r in p.rows]
    ordered = sorted(rows, key=lambda r: (-(r.composite or 0), r.cadre_id))
    n = len(rows)
    quota, calc = quota_by_hand(n)
    assert f"优秀名额：{calc}" in text
    assert f"粗线为优秀名额线：名额{quota}名" in text
    positions = []
    for r in ordered:
        cell = f"{r.name}"
        pos = text.find(cell)
        assert pos >= 0, r.name
        # name, then its composite and its grade further along the same row
        tail = text[pos : pos + 200]
        assert str(r.composite.quantize(Decimal("0.01"))) in tail
        assert r.final_grade in tail
        positions.append(pos)
    assert positions == sorted(positions)  # rank order
    for name in demo.tie_names:
        assert name in text
    assert "名额线并列，待考核委员会确定" in text


def test_summary_data_marks_the_quota_line_after_the_last_place_in_the_quota(demo) -> None:
    d = ar.summary_data(YEAR)
    assert d.people == demo.people
    for u in d.units:
        quota, _ = quota_by_hand(u.people)
        assert u.quota == quota
        inside = [r.name for r in u.rows if r.rank is not None and r.rank <= quota]
        assert u.line_after == len(inside) - 1, u.label
        assert [r.seq for r in u.rows] == list(range(1, u.people + 1))


def test_summary_xlsx_reads_back(demo, tmp_path) -> None:
    out = tmp_path / "汇总表.xlsx"
    rows_written = ar.print_report("summary", YEAR, out)
    assert rows_written == demo.people
    ws = load_workbook(out)["汇总表"]
    values = list(ws.iter_rows(values_only=True))
    assert values[1] == axl.SUMMARY_HEADERS
    body = values[2:]
    assert len(body) == demo.people
    ov = round_overview(find_round(YEAR).id)
    expected = Counter(r.final_grade for p in ov.pools for r in p.rows)
    assert Counter(row[10] for row in body) == expected
    inside = sum(1 for row in body if row[11] == "名额线内")
    assert inside == sum(
        1 for p in ov.pools for r in p.rows if r.rank is not None and r.rank <= p.quota
    )


# ============================================================================ 审定表


def counts_by_hand(round_id: int) -> dict[str, dict[str, int]]:
    """Per layer: members, each final grade, each 不定等次 category, absent, from the DTOs."""
    graded = {r.cadre_id: r for p in round_overview(round_id).pools for r in p.rows}
    out: dict[str, dict[str, int]] = {}
    for m in list_members(round_id):
        c = out.setdefault(m.layer, Counter())
        c["members"] += 1
        if m.not_participating:
            c["absent"] += 1
            continue
        r = graded[m.cadre_id]
        key = r.no_grade_category if r.final_grade == "不定等次" else r.final_grade
        c[key] += 1
    return out


def test_approval_counts_match_the_overview(demo, tmp_path) -> None:
    rnd = find_round(YEAR)
    hand = counts_by_hand(rnd.id)
    out = tmp_path / "审定表.xlsx"
    ar.print_report("approval", YEAR, out)
    ws = load_workbook(out)["审定表"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1] == axl.APPROVAL_HEADERS
    table = {r[0]: r[1:] for r in rows[2 : 2 + len(hand) + 1]}
    assert set(table) == set(hand) | {"合计"}
    total = Counter()
    for layer, c in hand.items():
        participating = c["members"] - c["absent"]
        expected = (c["members"], *(c[g] for g in GRADES), *(c[k] for k in NO_GRADE),
                    participating, c["absent"])  # fmt: skip
        assert table[layer] == expected, layer
        total.update(c)
    assert table["合计"][0] == demo.people
    assert table["合计"][1:5] == tuple(total[g] for g in GRADES)
    assert table["合计"][5:8] == (1, 1, 1)  # probation, 处分期 (政务记过), other (investigation)


def test_approval_pdf_shows_counts_reasons_and_signature_boxes(demo, tmp_path) -> None:
    rnd = find_round(YEAR)
    hand = counts_by_hand(rnd.id)
    out = tmp_path / "审定表.pdf"
    assert ar.print_report("approval", YEAR, out) == 1
    text = assert_clean_pdf(out)
    total = Counter()
    for c in hand.values():
        total.update(c)
    line = next(ln for ln in text.splitlines() if ln.strip().startswith("合计"))
    numbers = [int(x) for x in line.split()[1:]]
    assert numbers == [total["members"], *(total[g] for g in GRADES),
                       *(total[k] for k in NO_GRADE), total["members"], 0]  # fmt: skip
    flat = squeeze(text)
    for name in (demo.demerit, demo.probationer, demo.investigated):
        assert name in flat
    assert "受政务记过" in flat or "政务记过" in flat
    for label in ("考核委员会审定意见", "负责人（签名）", "（盖章）", "填表单位（盖章）"):
        assert label in flat
    assert "年月日" in flat


def test_approval_counts_people_not_taking_part(own_demo, tmp_path) -> None:
    rnd = find_round(YEAR)
    m = next(x for x in list_members(rnd.id) if x.layer == "其他干部")
    set_member_flags(rnd.id, m.cadre_id, not_participating="病休超过半年", reason="测试")
    compute_grades(rnd.id)
    d = ar.approval_data(YEAR)
    row = next(r for r in d.rows if r.layer == "其他干部")
    hand = counts_by_hand(rnd.id)["其他干部"]
    assert row.absent == hand["absent"] == 1
    assert row.members == hand["members"]
    assert row.subtotal == hand["members"] - 1
    assert (m.name, m.unit_name, "病休超过半年") in d.absent
    reg = ar.register_data(YEAR)
    mine = [r for _, rows in reg.units for r in rows if r.name == m.name and r.unit == m.unit_name]
    assert [(r.final, r.note) for r in mine] == [("未参加考核", "病休超过半年")]


# ============================================================================ 名册


def test_register_lists_every_member(demo, tmp_path) -> None:
    rnd = find_round(YEAR)
    members = list_members(rnd.id)
    out = tmp_path / "名册.pdf"
    pages = ar.print_report("register", YEAR, out)
    assert pages == int(pdf_info(out)["Pages"])
    text = squeeze(assert_clean_pdf(out))
    names = Counter(m.name for m in members)
    for name, k in names.items():
        assert text.count(name) >= k, name
    xlsx = tmp_path / "名册.xlsx"
    assert ar.print_report("register", YEAR, xlsx) == len(members)
    rows = list(load_workbook(xlsx)["名册"].iter_rows(values_only=True))[2:]
    assert Counter((r[0], r[2]) for r in rows) == Counter((m.unit_name, m.name) for m in members)
    graded = {r.name: r.final_grade for p in round_overview(rnd.id).pools for r in p.rows}
    assert {r[2]: r[9] for r in rows if names[r[2]] == 1} == {
        n: g for n, g in graded.items() if names[n] == 1
    }


def test_register_for_one_unit_only(demo) -> None:
    tie = Unit.get(Unit.name == demo.tie_unit).id
    d = ar.register_data(YEAR, tie)
    assert d.scope == demo.tie_unit
    assert [u for u, _ in d.units] == [demo.tie_unit]
    assert d.people == len(list_members(find_round(YEAR).id, tie))


# ============================================================================ headers

REPORTS = ("summary", "approval", "register")


def header_line(path: Path) -> str:
    """The line of the first page that names the round, as printed (spaces squeezed)."""
    first = pdf_text(path, layout=True).split("\f")[0]
    return squeeze(next(ln for ln in first.splitlines() if f"（{YEAR}年度考核，" in ln))


def test_headers_say_whether_the_round_is_approved(own_demo, tmp_path) -> None:
    for key in REPORTS:
        out = tmp_path / f"{key}-draft.pdf"
        ar.print_report(key, YEAR, out)
        line = header_line(out)
        assert line.endswith(f"（{YEAR}年度考核，未审定）"), (key, line)
    rnd = find_round(YEAR)
    submit_for_review(rnd.id, user="考核办")
    approve_round(rnd.id, user="部长")
    for key in REPORTS:
        out = tmp_path / f"{key}.pdf"
        ar.print_report(key, YEAR, out)
        line = header_line(out)
        assert line.endswith(f"（{YEAR}年度考核，已审定）"), (key, line)
        assert "未审定" not in line, (key, line)
        assert "，审定" not in line, (key, line)


def test_approval_form_leaves_the_filling_unit_to_be_written_by_hand(demo, tmp_path) -> None:
    everyone = tmp_path / "审定表.pdf"
    ar.print_report("approval", YEAR, everyone)
    text = pdf_text(everyone, layout=True)
    assert "全部单位" not in text
    line = squeeze(next(ln for ln in text.splitlines() if "填表单位（盖章）：" in ln))
    assert line.startswith("填表单位（盖章）：人员总数：")  # a blank, then the counts
    tie = Unit.get(Unit.name == demo.tie_unit).id
    one = tmp_path / "审定表-单位.pdf"
    ar.print_report("approval", YEAR, one, unit_id=tie)
    assert f"填表单位（盖章）：{demo.tie_unit}人员总数：" in squeeze(pdf_text(one, layout=True))


# ============================================================================ bad input


def test_wrong_suffix_year_or_unit_is_refused(own_demo, tmp_path) -> None:
    with pytest.raises(DomainError, match=r"\.pdf 或 \.xlsx"):
        ar.print_report("summary", YEAR, tmp_path / "汇总表.docx")
    assert not (tmp_path / "汇总表.docx").exists()
    with pytest.raises(NotFoundError, match="没有2031年年度考核"):
        ar.print_report("approval", 2031, tmp_path / "a.pdf")
    with pytest.raises(DomainError, match="找不到编号为 99999 的单位"):
        ar.print_report("register", YEAR, tmp_path / "r.pdf", unit_id=99999)
    empty = Unit.create(name="新设单位", parent=None, sort_order=999)
    with pytest.raises(DomainError, match="新设单位没有"):
        ar.print_report("summary", YEAR, tmp_path / "s.pdf", unit_id=empty.id)
    with pytest.raises(DomainError, match="没有名为"):
        ar.report_pdf_bytes("nonsense", YEAR)
    assert list(tmp_path.iterdir()) == []


def test_cancelled_report_writes_nothing(demo, tmp_path) -> None:
    out = tmp_path / "汇总表.pdf"
    with pytest.raises(Exception, match="已取消"):
        ar.print_report("summary", YEAR, out, cancelled=lambda: True)
    assert list(tmp_path.iterdir()) == []


def test_report_bytes_for_the_preview_are_deterministic(demo) -> None:
    a = ar.report_pdf_bytes("approval", YEAR)
    b = ar.report_pdf_bytes("approval", find_round(YEAR))
    assert a == b
    assert a.startswith(b"%PDF")
    assert fonts.current_setup().main.embedded
