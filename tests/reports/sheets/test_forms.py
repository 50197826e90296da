"""The official 考核登记表 (title per personnel category, nothing pre-printed that the 主管领导
or the committee writes), the 考核评分表 (columns that add up by hand), duplex padding."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from models.assessment.results import GroupLine, ItemLine, PersonSheetDTO
from reports.sheets import (
    SheetData,
    SheetVariant,
    StaffCategory,
    allocate,
    from_dto,
    render_sheets,
    score_block,
    shares,
)
from tests.reports.conftest import pdf_pages_text, pdf_text, squeeze

D = Decimal
GRADE_WORDS = ("优秀", "称职", "基本称职", "不称职", "不定等次", "建议等次优秀")
SCORE_RE = re.compile(r"\d+\.\d\d")  # a score as the forms print it: two decimals

LONG = "\n".join(
    f"第{i}段" + "坚持学习，扎实工作，认真完成组织交办的各项任务。" * 5 for i in range(14)
)


def dto(**changes: object) -> PersonSheetDTO:
    """A person graded with the demo scheme: 德20 能15 勤15 绩30 + 重点工作10 廉20 (= 110)."""
    weights = (("德", 20, 0), ("能", 15, 0), ("勤", 15, 0), ("绩", 30, 10), ("廉", 20, 0))
    scores = (D("79"), D("75.1"), D("78.1"), D("80.7"), D("79.2"))
    items = tuple(
        ItemLine(
            name + ("（含城市转型）" if extra else ""),
            D(base + extra),
            s,
            None,
            D(100),
            base_weight=D(base),
            key_topic="城市转型" if extra else "",
        )
        for (name, base, extra), s in zip(weights, scores, strict=True)
    )
    # the engine: Σ s×w ÷ 110 × 100, rounded
    items_score = (sum(s * w.weight for s, w in zip(scores, items, strict=True)) / 110).quantize(
        D("0.01")
    )
    groups = (
        GroupLine("上级领导", D(30), D("84"), None, 5),
        GroupLine("同级", D(30), D("86.67"), None, 12),
        GroupLine("下级", D(20), D("86"), None, 10),
        GroupLine("服务对象", D(20), D("82.5"), None, 8),
    )
    evaluation = D("84.90")
    composite = (evaluation * 40 / 100 + items_score * 60 / 100).quantize(D("0.01")) + 2
    base = {
        "year": 2025,
        "name": "贾刚",
        "gender": "男",
        "birth": "1984.05",
        "political_status": "中共党员",
        "post_since": "2024.11",
        "unit_and_post": "市委办公室人事科二级主任科员",
        "work_scope": "",
        "items": items,
        "groups": groups,
        "adjustments": (("特色工作加分", D(2)),),
        "evaluation": evaluation,
        "items_score": items_score,
        "composite": composite,
        "rank": 1,
        "pool_size": 6,
        "pool_name": "市委办公室",
        "proposed_grade": "优秀",
        "final_grade": "优秀",
        "explanation": "综合得分高于优秀分数线；拟定等次：优秀。",
        "no_grade_note": "",
        "rewards_sanctions": "",
        "quarter_grades": ("好", "好", "较好", "好"),
        "bonus": D(2),
    }
    base.update(changes)
    return PersonSheetDTO(**base)  # type: ignore[arg-type]


# --- the numbers of the 评分表 ----------------------------------------------------------------


def test_shares_of_the_key_topic_scheme_add_up_to_100() -> None:
    got = shares([D(20), D(15), D(15), D(40), D(20)])
    assert got == [D("18.18"), D("13.64"), D("13.64"), D("36.36"), D("18.18")]
    assert sum(got) == 100
    three = shares([D(1), D(1), D(1)])
    assert sum(three) == 100
    assert sorted(three) == [D("33.33"), D("33.33"), D("33.34")]


@pytest.mark.parametrize(
    ("exact", "total"),
    [
        ([D("14.3636"), D("10.2409"), D("10.6500"), D("29.3454"), D("14.4000")], D("79.00")),
        ([D("0.005"), D("0.005"), D("0.005")], D("0.02")),
        ([D("33.333"), D("33.333"), D("33.334")], D("100.00")),
        ([D("1.004"), D("2.004")], D("3.00")),  # a stored total below Σ floors
        ([D("1.009"), D("2.009")], D("3.04")),  # … and above Σ floors + one cent each
    ],
)
def test_allocate_rounds_to_cents_that_add_up_to_the_total(exact, total) -> None:  # noqa: ANN001
    got = allocate(exact, total)
    assert sum(got) == total
    assert all(g == g.quantize(D("0.01")) for g in got)
    if abs(sum(exact) - total) < D("0.01") * len(exact):
        assert all(abs(g - e) < D("0.01") for g, e in zip(got, exact, strict=True))


def test_score_block_columns_add_up_and_weights_are_100_percent() -> None:
    person = dto()
    b = score_block(person)
    assert sum(i.weight for i in b.items) == 100  # not 110: the key topic is part of 绩's share
    assert sum(i.weighted for i in b.items) == b.items_score == person.items_score
    assert sum(g.weight for g in b.democratic) == 100
    assert sum(g.weighted for g in b.democratic) == b.evaluation
    assert b.evaluation_part + b.items_part + b.bonus - b.penalty == b.composite
    assert "绩30＋城市转型10" in b.items_note
    assert "合计110" in b.items_note


def test_a_group_without_data_is_left_out_of_the_shares() -> None:
    groups = dto().groups
    missing = (groups[0], groups[1], groups[2], GroupLine("服务对象", D(20), None, None, None))
    # the engine scales the others up: (84×30 + 86.67×30 + 86×20) ÷ 80
    ev = ((D(84) * 30 + D("86.67") * 30 + D(86) * 20) / 80).quantize(D("0.01"))
    b = score_block(dto(groups=missing, evaluation=ev))
    present = [g for g in b.democratic if g.score is not None]
    assert sum(g.weight for g in present) == 100
    assert sum(g.weighted for g in present) == ev
    assert "服务对象" in b.evaluation_note


# --- the official form -----------------------------------------------------------------------


@pytest.mark.parametrize("category", list(StaffCategory))
def test_official_form_title_per_category_and_nothing_the_leaders_write(
    tmp_path: Path, bundled_fonts, category: StaffCategory
) -> None:
    sheet = from_dto(dto(), category=category, hours=D(40), rewards="2024年度嘉奖")
    assert sheet.scores is None
    out = tmp_path / "official.pdf"
    result = render_sheets([sheet], out)
    assert result.pages == 2
    pages = [squeeze(p) for p in pdf_pages_text(out)]
    assert pages[0].startswith(f"{category.value}年度考核登记表（2025年度）")
    flat = "".join(pages)
    for word in GRADE_WORDS:
        assert word not in flat, word
    for label in ("排名", "综合得分", "项目得分", "民主测评", "说明：", "平时考核"):
        assert label not in flat, label
    # the only numbers with two decimals would be scores: there are none (dates are 1984.05…)
    assert [n for n in SCORE_RE.findall(flat) if n not in ("1984.05", "2024.11")] == []
    assert "培训学时：40学时" in flat
    assert "奖励：2024年度嘉奖" in flat
    # 个人总结 is the largest box: the whole rest of page 1
    assert "个人总结" in pages[0]
    assert "主管领导" in pages[1]


def test_not_taking_part_is_a_fact_the_official_form_keeps_but_no_grade_reason(
    bundled_fonts,
) -> None:
    away = from_dto(dto(no_grade_note="不参加考核：病假超过半年"))
    assert away.no_grade_note == "不参加考核：病假超过半年"
    graded = from_dto(dto(no_grade_note="不定等次（处分期）：受警告处分"))
    assert graded.no_grade_note == ""


# --- the 评分表 and duplex --------------------------------------------------------------------


def _rows(text: str) -> dict[str, list[Decimal]]:
    """The numbers of each labelled row of a 评分表 page (pdftotext -layout)."""
    rows: dict[str, list[Decimal]] = {}
    for line in text.splitlines():
        m = re.match(r"\s*(\S+?)\s{2,}(.*)$", line)
        if m and re.search(r"\d", m.group(2)):
            rows[m.group(1)] = [D(n) for n in re.findall(r"[+-]?\d+(?:\.\d+)?", m.group(2))]
    return rows


def test_scored_form_can_be_added_up_by_hand(tmp_path: Path, bundled_fonts) -> None:
    out = tmp_path / "scored.pdf"
    result = render_sheets([from_dto(dto(), variant=SheetVariant.SCORED)], out)
    assert result.pages == 1
    rows = _rows(pdf_text(out, layout=True))
    items = [rows[n] for n in ("德", "能", "勤", "绩（含城市转型）", "廉")]
    # each row: score, weight %, weighted points
    assert sum(r[1] for r in items) == 100
    for score, weight, points in items:
        assert abs(score * weight / 100 - points) <= D("0.01")
    assert sum(r[2] for r in items) == rows["项目得分（合计）"][-1]
    groups = [v for k, v in rows.items() if k.startswith(("上级领导", "同级", "下级", "服务对象"))]
    assert len(groups) == 4
    assert sum(g[-2] for g in groups) == 100
    assert sum(g[-1] for g in groups) == rows["民主测评得分（合计）"][-1]
    parts = rows["民主测评得分"][-1] + rows["项目得分"][-1] + rows["计入加分（按上限）"][-1]
    assert parts == rows["综合得分（合计）"][-1] == dto().composite


def test_duplex_pads_every_person_to_an_even_page_count(tmp_path: Path, bundled_fonts) -> None:
    long = from_dto(dto(name="甲一"), summary=LONG)  # 3 pages
    short = from_dto(dto(name="乙二"))  # 2 pages
    scored = from_dto(dto(name="丙三"), variant=SheetVariant.SCORED)  # 1 page
    plain = render_sheets([long, short, scored], tmp_path / "plain.pdf")
    assert plain.pages == 3 + 2 + 1
    out = tmp_path / "duplex.pdf"
    result = render_sheets([long, short, scored], out, duplex=True)
    assert result.pages == 4 + 2 + 2
    pages = [squeeze(p) for p in pdf_pages_text(out)]
    assert len(pages) == 8
    starts = [i for i, p in enumerate(pages) if re.search(r"(登记表|评分表)（2025年度）", p)]
    assert starts == [0, 4, 6]
    assert [pages[i].split("年度考核")[0] for i in starts] == ["公务员", "公务员", ""]
    ends = [*starts[1:], len(pages)]
    assert all((end - start) % 2 == 0 for start, end in zip(starts, ends, strict=True))
    assert pages[3] == "（本页空白）"
    assert pages[7] == "（本页空白）"


def test_optional_header_rows(tmp_path: Path, bundled_fonts) -> None:
    sheet = SheetData(year=2025, name="贾刚", education="大学", training_row="市委党校2025年春季班")
    out = tmp_path / "rows.pdf"
    render_sheets([sheet], out)
    lines = [squeeze(ln) for ln in pdf_text(out, layout=True).splitlines()]
    assert any(ln.startswith("文化程度") and ln.endswith("大学") for ln in lines)
    row = lines.index("参加脱产")  # the two-line label; its value sits between the lines
    assert lines[row + 1 : row + 3] == ["市委党校2025年春季班", "培训情况"]
    render_sheets([SheetData(year=2025, name="贾刚")], out)
    assert "文化程度" not in squeeze(pdf_text(out))
