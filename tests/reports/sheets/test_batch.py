"""考核登记表 from the database (reports.sheets.data) and batches (reports.sheets.batch):
one combined PDF, or one file per person named 单位_姓名_2025年度考核登记表.pdf; a cancelled
batch leaves no file."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from models.assessment import find_round, list_members
from models.core.db import close_database
from models.core.errors import DomainError
from models.core.progress import Cancelled
from models.roster.tables import Cadre, Unit
from reports.sheets import SheetVariant, sheet_for
from reports.sheets import batch as ab
from tests.reports.conftest import (
    YEAR,
    assert_clean_pdf,
    open_copy,
    pdf_info,
    pdf_pages_text,
    squeeze,
)


@pytest.fixture
def own_demo(demo_db, bundled_fonts, tmp_path_factory):  # noqa: ANN001, ANN201
    open_copy(demo_db[0], tmp_path_factory)
    yield demo_db[1]
    close_database()


def hours_by_sql(db_file: Path, cadre_id: int, year: int) -> Decimal:
    con = sqlite3.connect(db_file)
    try:
        rows = con.execute(
            "SELECT hours FROM hours_entry WHERE cadre_id = ? AND year = ?", (cadre_id, year)
        ).fetchall()
    finally:
        con.close()
    return sum((Decimal(str(h)) for (h,) in rows), Decimal(0))


def member(name: str):  # noqa: ANN201
    return next(m for m in list_members(find_round(YEAR).id) if m.name == name)


# ============================================================================ sheet_for


def test_sheet_for_maps_scores_hours_rewards_and_sanctions(own_demo, demo_db) -> None:
    rnd = find_round(YEAR)
    m = member(own_demo.demerit)  # 政务记过 in force: 不定等次
    Cadre.update(rewards="2023年度嘉奖\n2024年度记三等功").where(Cadre.id == m.cadre_id).execute()
    s = sheet_for(rnd.id, m.cadre_id, variant=SheetVariant.SCORED)
    assert (s.year, s.name) == (YEAR, m.name)
    assert s.unit_and_post.startswith(m.unit_name)
    assert s.rewards_sanctions.startswith("奖励：2023年度嘉奖 2024年度记三等功；处分：")
    assert "政务记过" in s.rewards_sanctions
    assert s.no_grade_note.startswith("不定等次（处分期）")
    assert s.scores is not None
    assert s.scores.proposed_grade == "不定等次"
    assert [i.name[0] for i in s.scores.items] == ["德", "能", "勤", "绩", "廉"]
    assert "平时考核：第一季度" in s.scores.quarters
    expected = hours_by_sql(demo_db[0], m.cadre_id, YEAR)
    assert s.training_hours == (expected if expected else None)
    official = sheet_for(rnd.id, m.cadre_id)  # the default: the form filed in the 人事档案
    assert official.scores is None
    assert official.variant is SheetVariant.OFFICIAL
    assert official.no_grade_note == ""  # the committee's 不定等次 is not pre-printed
    assert official.remarks == ""  # nor the 平时考核 grades


def test_hours_total_is_the_ledger_sum_of_the_round_year(demo, demo_db) -> None:
    rnd = find_round(YEAR)
    checked = 0
    for m in list_members(rnd.id)[:40]:
        expected = hours_by_sql(demo_db[0], m.cadre_id, YEAR)
        got = sheet_for(rnd.id, m.cadre_id).training_hours
        assert got == (expected if expected else None), m.name
        checked += bool(expected)
    assert checked > 0  # the demo ledger has 2025 hours for some of them


def test_full_sheet_pdf_of_a_demo_person_prints_their_data(demo, tmp_path) -> None:
    rnd = find_round(YEAR)
    tie_unit = Unit.get(Unit.name == demo.tie_unit).id
    first = list_members(rnd.id, tie_unit)[0]
    out = tmp_path / "one.pdf"
    scored = ab.PrintOptions(variant=SheetVariant.SCORED)
    r = ab.print_sheets(rnd.id, None, out, cadre_ids=[first.cadre_id], options=scored)
    assert (r.files, r.sheets) == ((out,), 1)
    assert r.pages == int(pdf_info(out)["Pages"])
    text = squeeze(assert_clean_pdf(out))
    s = sheet_for(rnd.id, first.cadre_id, variant=SheetVariant.SCORED)
    assert f"年度考核评分表（{YEAR}年度）" in text
    for needle in (s.name, "德", "廉", "民主测评", s.scores.proposed_grade):
        assert needle in text, needle
    # the 出生年月 is on the 考核登记表 (the 评分表 has name, category and post only)
    ab.print_sheets(rnd.id, None, tmp_path / "official.pdf", cadre_ids=[first.cadre_id])
    assert s.birth in squeeze(assert_clean_pdf(tmp_path / "official.pdf"))
    assert str(s.scores.composite) in text


# ============================================================================ batches


def test_combined_batch_of_a_unit_and_its_subunits(demo, tmp_path) -> None:
    rnd = find_round(YEAR)
    county = Unit.get(Unit.name == "靖远县").id
    people = list_members(rnd.id, county)
    assert len({p.unit_name for p in people}) > 3
    seen: list[tuple[int, int, str]] = []
    out = tmp_path / "靖远县.pdf"
    r = ab.print_sheets(rnd.id, county, out, progress=lambda d, t, s: seen.append((d, t, s)))
    assert r.sheets == len(people)
    pages = pdf_pages_text(out)
    assert r.pages == len(pages)
    starts = [squeeze(p) for p in pages if f"年度考核登记表（{YEAR}年度）" in squeeze(p)]
    assert len(starts) == len(people)
    for page, p in zip(starts, people, strict=True):
        assert p.name in page
    # one progress over the batch, from 0 (preparing) to every sheet written
    assert seen[0][0] == 0
    assert seen[-1][0] == seen[-1][1] == len(people)
    assert [d for d, _t, _s in seen] == sorted(d for d, _t, _s in seen)
    assert [d for d, _, _ in seen] == sorted(d for d, _, _ in seen)


def test_split_batch_writes_one_file_per_person_with_the_name_pattern(demo, tmp_path) -> None:
    rnd = find_round(YEAR)
    unit = Unit.get(Unit.name == demo.tie_unit).id
    people = list_members(rnd.id, unit)
    folder = tmp_path / "登记表"
    progress: list[int] = []
    r = ab.print_sheets(
        rnd.id, unit, folder, split=True, progress=lambda d, t, s: progress.append(d)
    )
    expected = sorted(f"{p.unit_name}_{p.name}_{YEAR}年度考核登记表.pdf" for p in people)
    assert sorted(p.name for p in folder.iterdir()) == expected  # nothing else, no temp folder
    assert sorted(f.name for f in r.files) == expected
    assert progress == list(range(len(people) + 1))  # 0 (preparing), then each file
    for f in r.files:
        assert int(pdf_info(f)["Pages"]) >= 1
    assert r.pages == sum(int(pdf_info(f)["Pages"]) for f in r.files)
    assert_clean_pdf(r.files[0])


def test_cancelled_split_batch_leaves_no_files(demo, tmp_path) -> None:
    rnd = find_round(YEAR)
    unit = Unit.get(Unit.name == demo.tie_unit).id
    calls = {"n": 0}

    def cancel_after_three() -> bool:
        calls["n"] += 1
        return calls["n"] > 3

    existing = tmp_path / "已有"
    existing.mkdir()
    (existing / "别的文件.txt").write_text("keep")
    with pytest.raises(Cancelled):
        ab.print_sheets(rnd.id, unit, existing, split=True, cancelled=cancel_after_three)
    assert [p.name for p in existing.iterdir()] == ["别的文件.txt"]
    new = tmp_path / "新建"
    calls["n"] = 0
    with pytest.raises(Cancelled):
        ab.print_sheets(rnd.id, unit, new, split=True, cancelled=cancel_after_three)
    assert not new.exists()


def test_cancelled_combined_batch_leaves_no_file(demo, tmp_path) -> None:
    rnd = find_round(YEAR)
    calls = {"n": 0}

    def cancel_late() -> bool:  # cancel halfway, after many sheets were written
        calls["n"] += 1
        return calls["n"] > len(list_members(rnd.id)) // 2

    with pytest.raises(Cancelled):
        ab.print_sheets(rnd.id, None, tmp_path / "all.pdf", cancelled=cancel_late)
    assert list(tmp_path.iterdir()) == []


def test_file_names_are_safe_and_unique(own_demo, tmp_path) -> None:
    assert (
        ab.sheet_file_name("市委组织部", "张三", 2025) == "市委组织部_张三_2025年度考核登记表.pdf"
    )
    # two people with the same name in the same unit
    rnd = find_round(YEAR)
    unit = Unit.get(Unit.name == own_demo.tie_unit).id
    a, b = list_members(rnd.id, unit)[:2]
    Cadre.update(name=a.name).where(Cadre.id == b.cadre_id).execute()
    r = ab.print_sheets(
        rnd.id, unit, tmp_path / "x", split=True, cadre_ids=[a.cadre_id, b.cadre_id]
    )
    base = f"{a.unit_name}_{a.name}_{YEAR}年度考核登记表"
    assert sorted(f.name for f in r.files) == sorted([f"{base}.pdf", f"{base}(2).pdf"])


def test_bad_selections_are_refused(own_demo, tmp_path) -> None:
    rnd = find_round(YEAR)
    empty = Unit.create(name="空单位", parent=None, sort_order=999)
    with pytest.raises(DomainError, match="所选范围内没有考核人员"):
        ab.print_sheets(rnd.id, empty.id, tmp_path / "a.pdf")
    with pytest.raises(DomainError, match="不在本轮考核"):
        ab.print_sheets(rnd.id, None, tmp_path / "b.pdf", cadre_ids=[999_999])
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(DomainError, match="是一个文件"):
        ab.print_sheets(rnd.id, None, a_file, split=True)
    with pytest.raises(DomainError, match="文件夹不存在"):
        ab.print_sheets(rnd.id, None, tmp_path / "no" / "such" / "dir", split=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


# ============================================================================ official / scored


def test_official_forms_of_everyone_show_no_scores_and_duplex_is_even(demo, tmp_path) -> None:
    rnd = find_round(YEAR)
    people = list_members(rnd.id)
    out = tmp_path / "all.pdf"
    r = ab.print_sheets(rnd.id, None, out, options=ab.PrintOptions(duplex=True))
    pages = [squeeze(p) for p in pdf_pages_text(out)]
    assert r.pages == len(pages)
    starts = [i for i, p in enumerate(pages) if f"年度考核登记表（{YEAR}年度）" in p]
    assert len(starts) == len(people)
    ends = [*starts[1:], len(pages)]
    assert all((end - start) % 2 == 0 for start, end in zip(starts, ends, strict=True))
    for i in starts:
        assert pages[i].startswith(("公务员", "参照公务员法管理单位工作人员", "事业单位工作人员"))
    flat = "".join(pages)
    for word in ("拟定等次", "综合得分", "排名", "民主测评", "称职", "不定等次", "平时考核"):
        assert word not in flat, word


def test_scored_forms_add_up_on_one_page_each(demo, tmp_path) -> None:
    rnd = find_round(YEAR)
    unit = Unit.get(Unit.name == demo.tie_unit).id
    people = list_members(rnd.id, unit)
    out = tmp_path / "scored.pdf"
    options = ab.PrintOptions(variant=SheetVariant.SCORED, duplex=True)
    r = ab.print_sheets(rnd.id, unit, out, options=options)
    assert r.pages == 2 * len(people)  # one page each, and a blank back for duplex
    for m in people:
        b = sheet_for(rnd.id, m.cadre_id, variant=SheetVariant.SCORED).scores
        assert b is not None
        if b.items_score is None:
            continue
        assert sum(i.weight for i in b.items) == 100
        assert sum(i.weighted for i in b.items) == b.items_score
        present = [g for g in b.democratic if g.weighted is not None]
        assert sum(g.weighted for g in present) == b.evaluation
        assert b.evaluation_part + b.items_part + b.bonus - b.penalty == b.composite


def test_header_rows_from_the_template_or_chosen(demo, demo_db, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """文化程度 and 参加脱产培训情况: left out by the shipped templates; printed when the office's
    template of the category lists them, or when chosen for the print; the training row
    lists the year's 班次培训/外出培训 of the ledger, the 网络学习 not."""
    from models.training import list_hours
    from reports.sheets import data as sheet_data
    from reports.sheets import model as sheet_model

    rid = find_round(YEAR).id
    con = sqlite3.connect(demo_db[0])
    try:
        (cid,) = con.execute(
            "SELECT cadre_id FROM hours_entry WHERE year = ? AND kind = '外出培训' "
            "AND cadre_id IN (SELECT cadre_id FROM round_member WHERE round_id = ?) LIMIT 1",
            (YEAR, rid),
        ).fetchone()
    finally:
        con.close()
    plain = sheet_for(rid, cid)
    assert (plain.education, plain.training_row) == (None, None)  # shipped templates: none
    chosen = sheet_for(rid, cid, header_rows=("文化程度", "参加脱产培训情况"))
    cadre = Cadre.get_by_id(cid)
    assert chosen.education == (cadre.ft_education or cadre.pt_education)
    full_time = [e for e in list_hours(cid, YEAR) if e.kind in ("班次培训", "外出培训")]
    assert full_time
    first = min(full_time, key=lambda e: e.day)
    assert chosen.training_row.startswith(f"{first.day:%Y.%m} {first.title}（")
    assert "网络学习" not in chosen.training_row
    # an office's template that lists 文化程度 for the category
    templates = tmp_path / "sheet_templates.json"
    templates.write_text(
        '{"公务员": {"rows": ["文化程度"]}, "事业单位工作人员": {"rows": ["文化程度"]},'
        ' "参照公务员法管理单位工作人员": {"rows": ["文化程度", "不存在的行"]}}',
        encoding="utf-8",
    )
    monkeypatch.setattr(sheet_model, "TEMPLATES_PATH", templates)
    sheet_model.load_templates.cache_clear()  # the file is read once per run
    try:
        by_template = sheet_data.sheet_for(rid, cid)
        assert by_template.education == chosen.education
        assert by_template.training_row is None
        assert sheet_model.template_rows(sheet_model.StaffCategory.REFERENCED) == ("文化程度",)
    finally:
        sheet_model.load_templates.cache_clear()
    out = tmp_path / "rows.pdf"
    ab.print_sheets(
        rid,
        None,
        out,
        options=ab.PrintOptions(header_rows=("参加脱产培训情况",)),
    )
    text = squeeze("".join(pdf_pages_text(out)))
    assert f"{first.day:%Y.%m}{first.title}（" in text
    assert "文化程度" not in text


def test_the_cadres_own_category_titles_the_form(own_demo, tmp_path) -> None:  # noqa: ANN001
    """人员类别 on the roster wins over the unit's type: a 事业单位工作人员 in a 党委 office
    gets the 事业单位工作人员年度考核登记表."""
    from reports.sheets import StaffCategory

    rid = find_round(YEAR).id
    m = list_members(rid)[0]
    assert sheet_for(rid, m.cadre_id).category is StaffCategory.CIVIL
    Cadre.update(staff_category="事业单位工作人员").where(Cadre.id == m.cadre_id).execute()
    sheet = sheet_for(rid, m.cadre_id)
    assert sheet.category is StaffCategory.INSTITUTION
    out = tmp_path / "one.pdf"
    ab.print_sheets(rid, None, out, cadre_ids=[m.cadre_id])
    assert squeeze(pdf_pages_text(out)[0]).startswith("事业单位工作人员年度考核登记表")
