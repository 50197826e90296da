"""年度考核登记表 PDF: content, pages, fonts, line breaking, determinism, cancel."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pytest
from reportlab.lib.styles import ParagraphStyle

from models.core.errors import DomainError, ValidationError
from models.core.progress import Cancelled
from reports.common import fonts, styles
from reports.common.cjk import NO_LINE_END, NO_LINE_START, CJKParagraph, choose_break, line_texts
from reports.sheets import (
    Adjustment,
    PageSize,
    RaterGroupScore,
    ScoreBlock,
    ScoreItem,
    SheetData,
    SheetVariant,
    render_sheets,
)
from reports.sheets.text import BODY, PROSE, wrap
from tests.reports.conftest import pdf_fonts, pdf_info, pdf_pages_text, pdf_text

RARE = "\U00020bb7"  # 𠮷

# consistent numbers: 18.40+13.20+13.50+25.95+19.00 = 90.05; 27.96+61.60 = 89.56;
# 35.82+54.03+2.00-0.50 = 91.35
BLOCK = ScoreBlock(
    items=(
        ScoreItem("德", 20, 92, 18.4),
        ScoreItem("能", 15, 88, 13.2),
        ScoreItem("勤", 15, 90, 13.5),
        ScoreItem("绩", 30, 86.5, 25.95),
        ScoreItem("廉", 20, 95, 19),
    ),
    items_score=90.05,
    democratic=(
        RaterGroupScore("班子成员", 30, 93.2, 27.96, raters=7),
        RaterGroupScore("一般干部", 70, 88, 61.6, raters=32),
    ),
    evaluation=89.56,
    evaluation_part=35.82,
    items_part=54.03,
    adjustments=(Adjustment("获市级表彰", 2), Adjustment("信息迟报", -0.5)),
    bonus=2,
    penalty=0.5,
    composite=91.35,
    rank=3,
    pool_size=25,
    proposed_grade="优秀",
    explanation="五项考核占六成，民主测评占四成。",
)

SHORT = "本人认真履行岗位职责，完成年度工作任务。"


def make_sheet(**changes: object) -> SheetData:
    base = SheetData(
        year=2024,
        name="李卫东",
        gender="男",
        birth="1975.03",
        political_status="中共党员",
        post_since="2019.06",
        unit_and_post="白银市委组织部干部教育科科长",
        work_scope="干部教育培训",
        summary=SHORT,
        training_hours=56,
        rewards_sanctions="获市级优秀共产党员表彰",
        scores=BLOCK,
    )
    return dataclasses.replace(base, **changes)


def long_summary(paragraphs: int) -> str:
    # each paragraph: "第N段" + 120 characters; the last one ends with a marker
    body = "坚持学习，扎实工作，认真完成组织交办的各项任务。" * 5
    return "\n".join(f"第{i}段{body}" for i in range(1, paragraphs + 1)) + "全文完"


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- line breaking ----------------------------------------------------------------------------


def _lines(text: str, width: float) -> list[str]:
    style = ParagraphStyle("t", fontName=fonts.MAIN_FONT, fontSize=10, leading=14, wordWrap="CJK")
    para = CJKParagraph(fonts.markup(text), style)
    para.wrap(width, 10_000)
    return line_texts(para)


def test_comma_never_starts_a_line(bundled_fonts: fonts.FontSetup) -> None:
    # 10 pt CJK glyphs in a 100.5 pt line: 10 characters fit; the 11th is "，".
    # reportlab's own wrapper starts line 2 with "，"; ours pushes "十" down with it.
    lines = _lines("一二三四五六七八九十，一二三四五六七八九十。", 100.5)
    assert lines == ["一二三四五六七八九", "十，一二三四五六七八", "九十。"]


def test_opening_bracket_never_ends_a_line(bundled_fonts: fonts.FontSetup) -> None:
    lines = _lines("一二三四五六七八九（十）一二三", 100.5)
    assert lines[0] == "一二三四五六七八九"
    assert lines[1].startswith("（十）")


def test_numbers_are_not_cut(bundled_fonts: fonts.FontSetup) -> None:
    lines = _lines("一二三四五六七八九得分98.5分", 100.5)
    assert "98.5" in "".join(lines)
    assert any("98.5" in line for line in lines)


@pytest.mark.parametrize("width", [60.5, 100.5, 151.0, 233.3])
def test_kinsoku_rules_hold_for_real_text(bundled_fonts: fonts.FontSetup, width: float) -> None:
    text = (
        "一年来，本人认真学习（包括中央八项规定精神），扎实做好本职工作；"
        "全年完成调研报告12篇、《干部教育》文章3篇，组织开展“三三制”培训班！"
        "是否达标？是的：全部达标。" * 3
    )
    lines = _lines(text, width)
    assert "".join(lines) == text  # nothing lost or added
    for i, line in enumerate(lines):
        assert line, lines
        if i:
            assert line[0] not in NO_LINE_START, (i, lines)
        if i < len(lines) - 1:
            assert line[-1] not in NO_LINE_END, (i, lines)


def test_choose_break_cuts_when_no_rule_allows_a_break() -> None:
    chars = list("1234567890123")
    assert choose_break(chars, 0, 10) == 10  # one long number: cut where it overflows
    assert choose_break(list("一二三，四"), 0, 3) == 2  # "，" moves down with "三"


# --- content ----------------------------------------------------------------------------------


def test_official_sheet_prints_the_header_and_the_boxes(
    tmp_path: Path, bundled_fonts: fonts.FontSetup
) -> None:
    out = tmp_path / "official.pdf"
    result = render_sheets([make_sheet()], out)
    flat = squeeze(pdf_text(out))
    assert "公务员年度考核登记表（2024年度）" in flat
    for expected in ("李卫东", "1975.03", "中共党员", "2019.06", "白银市委组织部干部教育科科长"):
        assert expected in flat
    assert "培训学时：56学时" in flat
    assert "个人总结" in flat
    assert SHORT in flat
    assert "签名：" in flat
    assert result.sheets == 1
    assert result.warnings == ()


def test_scored_sheet_prints_header_scores_and_grade(
    tmp_path: Path, bundled_fonts: fonts.FontSetup
) -> None:
    out = tmp_path / "full.pdf"
    result = render_sheets([make_sheet(variant=SheetVariant.SCORED)], out)
    text = pdf_text(out)
    flat = squeeze(text)
    assert "年度考核评分表（2024年度）" in flat
    for expected in ("李卫东", "白银市委组织部干部教育科科长"):
        assert expected in flat
    # scores formatted by hand: weight as percent, two decimals, signed adjustments
    for expected in (
        "德",
        "20%",
        "92.00",
        "18.40",
        "25.95",
        "27.96",
        "61.60",
        "+2.00",
        "-0.50",
        "91.35",
        "第3名",
        "共25人",
        "优秀",
        "班子成员（7人）",
    ):
        assert expected in flat, expected
    assert result.pages == 1
    assert result.sheets == 1
    assert result.warnings == ()


def test_official_variant_has_no_scoring_block(tmp_path: Path, bundled_fonts) -> None:
    out = tmp_path / "official.pdf"
    render_sheets([make_sheet(variant=SheetVariant.OFFICIAL)], out)
    flat = squeeze(pdf_text(out))
    assert "李卫东" in flat
    assert "综合得分" not in flat
    assert "92.00" not in flat
    # (优秀 itself is in the rewards text: 获市级优秀共产党员表彰)
    for scoring in ("91.35", "第3名", "排名", "拟定等次", "五项考核占六成", "考核评分"):
        assert scoring not in flat, scoring
    for label in ("主管领导", "机关负责人", "被考核人意见", "未确定等次", "备注", "（盖章）"):
        assert label in flat


def test_table_cells_extract_as_chinese_not_black_squares(tmp_path: Path, bundled_fonts) -> None:
    out = tmp_path / "cells.pdf"
    render_sheets([make_sheet()], out)
    text = pdf_text(out)
    assert "■" not in text
    assert "政治面貌" in text
    assert "中共党员" in text


def test_fonts_are_embedded(tmp_path: Path, bundled_fonts) -> None:
    out = tmp_path / "fonts.pdf"
    render_sheets([make_sheet(name=f"张{RARE}")], out)
    rows = pdf_fonts(out)
    assert rows
    for row in rows:
        assert row[-5:-2] == ["yes", "yes", "yes"], row  # emb, sub, uni
    assert not any(r[0] in ("Helvetica", "STSong-Light") for r in rows)


def test_rare_character_name_prints(tmp_path: Path, bundled_fonts: fonts.FontSetup) -> None:
    out = tmp_path / "rare.pdf"
    result = render_sheets([make_sheet(name=f"张{RARE}")], out)
    if bundled_fonts.fallbacks:
        assert f"张{RARE}" in pdf_text(out)
        fallback_file = Path(bundled_fonts.fallbacks[0].path or "").stem
        assert any(fallback_file in r[0] for r in pdf_fonts(out))
        assert result.warnings == ()
    else:  # no fallback font: the user is told which character will be blank
        assert any(RARE in w and "姓名" in w for w in result.warnings)


def test_unprintable_character_is_reported(tmp_path: Path, bundled_fonts) -> None:
    result = render_sheets([make_sheet(name="张\U000f0001")], tmp_path / "x.pdf")
    assert len(result.warnings) == 1
    assert "第1份考核登记表" in result.warnings[0]
    assert "姓名" in result.warnings[0]


def test_user_markup_is_printed_literally(tmp_path: Path, bundled_fonts) -> None:
    out = tmp_path / "m.pdf"
    render_sheets([make_sheet(work_scope="A&B <b>党建</b>")], out)
    assert "A&B<b>党建</b>" in squeeze(pdf_text(out))


# --- pages ------------------------------------------------------------------------------------


def test_short_summary_gives_two_pages(tmp_path: Path, bundled_fonts) -> None:
    out = tmp_path / "short.pdf"
    result = render_sheets([make_sheet(variant=SheetVariant.OFFICIAL)], out)
    assert result.pages == 2
    assert pdf_info(out)["Pages"] == "2"
    pages = pdf_pages_text(out)
    assert "个人总结" in pages[0]
    assert "主管领导" in pages[1]  # the opinion boxes start on the back page


def test_long_summary_flows_onto_next_page_unclipped(tmp_path: Path, bundled_fonts) -> None:
    out = tmp_path / "long.pdf"
    summary = long_summary(14)
    result = render_sheets([make_sheet(variant=SheetVariant.OFFICIAL, summary=summary)], out)
    assert result.pages == 3
    pages = [squeeze(p) for p in pdf_pages_text(out)]
    assert len(pages) == 3
    assert "（续）" in pages[1]
    assert "全文完" in pages[1]
    # every character of every paragraph is printed, in order (the box labels sit in between
    # in pdftotext's reading order)
    printed = "".join(pages).replace("个人总结（续）", "").replace("个人总结", "")
    assert squeeze(summary) in printed


def test_sixteen_kai_page_size(tmp_path: Path, bundled_fonts) -> None:
    out = tmp_path / "k16.pdf"
    render_sheets([make_sheet()], out, page_size=PageSize.K16)
    # 185 x 260 mm = 524.41 x 737.01 pt (DOMAIN.md §2.1: 16开 is 18.5 cm × 26 cm)
    size = pdf_info(out)["Page size"]
    width, height = (float(v) for v in re.findall(r"[\d.]+", size)[:2])
    assert width == pytest.approx(185 / 25.4 * 72, abs=0.05)
    assert height == pytest.approx(260 / 25.4 * 72, abs=0.05)


def test_several_sheets_each_start_on_a_new_page(tmp_path: Path, bundled_fonts) -> None:
    out = tmp_path / "three.pdf"
    sheets = [make_sheet(name=n, variant=SheetVariant.OFFICIAL) for n in ("甲一", "乙二", "丙三")]
    done: list[tuple[int, int]] = []
    result = render_sheets(sheets, out, progress=lambda d, t, _text: done.append((d, t)))
    assert result.pages == 6
    pages = pdf_pages_text(out)
    assert ["甲一" in pages[0], "乙二" in pages[2], "丙三" in pages[4]] == [True, True, True]
    assert done == [(1, 3), (2, 3), (3, 3)]


# --- output -----------------------------------------------------------------------------------


def test_same_data_same_bytes(tmp_path: Path, bundled_fonts) -> None:
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    render_sheets([make_sheet()], a)
    render_sheets([make_sheet()], b)
    assert a.read_bytes() == b.read_bytes()


def test_writes_to_a_binary_file_object(tmp_path: Path, bundled_fonts) -> None:
    buf = io.BytesIO()
    render_sheets([make_sheet()], buf)
    path = tmp_path / "p.pdf"
    render_sheets([make_sheet()], path)
    assert buf.getvalue() == path.read_bytes()
    assert buf.getvalue().startswith(b"%PDF-")


def test_cancelled_render_leaves_no_file(tmp_path: Path, bundled_fonts) -> None:
    out = tmp_path / "cancel.pdf"
    calls = iter([False, False, True])  # cancel while laying out the second sheet
    sheets = [make_sheet(), make_sheet(name="王五"), make_sheet(name="赵六")]
    with pytest.raises(Cancelled):
        render_sheets(sheets, out, cancelled=lambda: next(calls))
    assert list(tmp_path.iterdir()) == []


def test_cancel_keeps_the_previous_file_intact(tmp_path: Path, bundled_fonts) -> None:
    out = tmp_path / "old.pdf"
    out.write_bytes(b"previous version")
    with pytest.raises(Cancelled):
        render_sheets([make_sheet()], out, cancelled=lambda: True)
    assert out.read_bytes() == b"previous version"
    assert [p.name for p in tmp_path.iterdir()] == ["old.pdf"]
    buf = io.BytesIO()
    with pytest.raises(Cancelled):
        render_sheets([make_sheet()], buf, cancelled=lambda: True)
    assert buf.getvalue() == b""


# --- bad input --------------------------------------------------------------------------------


def test_bad_birth_date_names_record_and_field(tmp_path: Path, bundled_fonts) -> None:
    with pytest.raises(ValidationError) as err:
        render_sheets([make_sheet(), make_sheet(birth="1975-3")], tmp_path / "x.pdf")
    assert "第2份考核登记表" in err.value.message
    assert "出生年月" in err.value.message
    assert err.value.issues[0].field == "birth"
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(
    ("changes", "field_label"),
    [
        ({"name": "  "}, "姓名"),
        ({"post_since": "2019.13"}, "任现职时间"),
        ({"year": 1800}, "考核年度"),
        ({"training_hours": -4}, "学时"),
        ({"scores": dataclasses.replace(BLOCK, items=(ScoreItem("德", 150, 90, 1),))}, "权重"),
        ({"scores": dataclasses.replace(BLOCK, rank=30)}, "排名"),
    ],
)
def test_invalid_fields_are_rejected(
    tmp_path: Path, bundled_fonts, changes: dict[str, object], field_label: str
) -> None:
    with pytest.raises(ValidationError) as err:
        render_sheets([make_sheet(**changes)], tmp_path / "x.pdf")
    assert field_label in err.value.message


def test_no_sheets_is_an_error(tmp_path: Path, bundled_fonts) -> None:
    with pytest.raises(DomainError, match="没有要打印"):
        render_sheets([], tmp_path / "x.pdf")


def test_missing_folder_is_a_domain_error(tmp_path: Path, bundled_fonts) -> None:
    with pytest.raises(DomainError, match="文件夹不存在"):
        render_sheets([make_sheet()], tmp_path / "nope" / "x.pdf")


def test_table_styles_set_the_cjk_font() -> None:
    cmds = styles.form_table_style(("SPAN", (0, 0), (1, 0))).getCommands()
    assert ("FONTNAME", (0, 0), (-1, -1), fonts.MAIN_FONT) in cmds
    for st in (styles.BODY, styles.PROSE, styles.LABEL, styles.TITLE, styles.NUMBER):
        assert st.wordWrap == "CJK"
        assert st.fontName == fonts.MAIN_FONT


# --- canvas layout (reports.sheets.layout / reports.sheets.draw) --------------------------------


@pytest.mark.parametrize("width", [60.5, 100.5, 233.3, 400.0])
def test_sheet_wrapping_breaks_lines_like_cjk_paragraph(bundled_fonts, width: float) -> None:
    text = (
        "一年来，本人认真学习（包括中央八项规定精神），扎实做好本职工作；"
        "全年完成调研报告12篇、《干部教育》文章3篇，组织开展“三三制”培训班！" * 3
    )
    para = wrap(text, width, PROSE)
    ours = ["".join(chunk for _font, chunk in runs) for _dx, runs in para.lines]
    reference = CJKParagraph(fonts.markup(text), styles.PROSE)
    reference.wrap(width, 10_000)
    assert ours == line_texts(reference)
    assert para.lines[0][0] == 21.0  # first line indented by two 10.5 pt characters
    assert all(dx == 0.0 for dx, _ in para.lines[1:])


def test_sheet_wrapping_collapses_whitespace_and_drops_control_characters(bundled_fonts) -> None:
    para = wrap("  甲\t\t乙\x07  丙  ", 400.0, BODY)
    assert ["".join(c for _f, c in runs) for _dx, runs in para.lines] == ["甲 乙 丙"]


def test_rare_character_uses_the_fallback_font_inside_a_line(bundled_fonts) -> None:
    if not bundled_fonts.fallbacks:
        pytest.skip("no font with CJK Extension B installed")
    para = wrap(f"张{RARE}同志", 400.0, BODY)
    fallback = bundled_fonts.fallbacks[0].name
    assert para.lines[0][1] == (
        (fonts.MAIN_FONT, "张"),
        (fallback, RARE),
        (fonts.MAIN_FONT, "同志"),
    )


def test_very_long_summary_continues_over_several_pages(tmp_path: Path, bundled_fonts) -> None:
    out = tmp_path / "very_long.pdf"
    summary = long_summary(60)  # about 240 lines: page 1 and at least three more pages
    result = render_sheets([make_sheet(summary=summary)], out)
    pages = [squeeze(p) for p in pdf_pages_text(out)]
    assert result.pages == len(pages) >= 5
    assert "个人总结" in pages[0]
    assert "（续）" not in pages[0]
    summary_pages = [i for i, p in enumerate(pages) if "全文完" in p]
    assert len(summary_pages) == 1
    for page in pages[1 : summary_pages[0] + 1]:
        assert "（续）" in page  # every continuation box says so
    printed = "".join(pages).replace("个人总结（续）", "").replace("个人总结", "")
    assert squeeze(summary) in printed  # nothing clipped, nothing out of order
    assert "主管领导" not in "".join(pages[: summary_pages[0]])  # opinion boxes come after


def test_form_frame_is_stored_once_per_pdf_not_per_page(tmp_path: Path, bundled_fonts) -> None:
    out = tmp_path / "batch.pdf"
    # five people, same layout: the front frame (title, header rules and labels, summary box)
    # and the back frame (five boxes) are two form XObjects, each used five times
    sheets = [make_sheet(name=n, variant=SheetVariant.OFFICIAL) for n in "甲乙丙丁戊"]
    result = render_sheets(sheets, out)
    assert result.pages == 10
    assert out.read_bytes().count(b"/Subtype /Form") == 2
    pages = pdf_pages_text(out)
    for i, name in enumerate("甲乙丙丁戊"):
        assert name in pages[2 * i]
        assert "姓名" in pages[2 * i]
        assert "被考核人意见" in pages[2 * i + 1]


def test_same_batch_same_bytes(tmp_path: Path, bundled_fonts) -> None:
    sheets = [make_sheet(name=n, summary=long_summary(k)) for n, k in (("甲", 1), ("乙", 20))]
    a, b = io.BytesIO(), io.BytesIO()
    render_sheets(sheets, a)
    render_sheets(sheets, b)
    assert a.getvalue() == b.getvalue()


def test_header_too_long_for_a_page_is_a_domain_error(tmp_path: Path, bundled_fonts) -> None:
    with pytest.raises(DomainError, match="一页放不下"):
        render_sheets([make_sheet(unit_and_post="很长的单位名称" * 900)], tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
