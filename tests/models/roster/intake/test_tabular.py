"""Spreadsheets and CSVs: header finding, synonyms, mapping, skipped rows, broken files."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest

from models.core.errors import DomainError
from models.core.progress import Cancelled
from models.roster.intake.records import ParsedRow
from models.roster.intake.tabular import decode_text, read_csv, read_xlsx
from tests.models.roster.intake import corpus
from tests.models.roster.intake.corpus import ID_LI, ID_WANG, ID_ZHANG


def _by_name(rows: list[ParsedRow]) -> dict[str, ParsedRow]:
    return {str(r.values.get("name") or r.raw.get("name")): r for r in rows}


@pytest.fixture
def roster(tmp_path: Path):
    path = corpus.roster_xlsx(tmp_path / "roster.xlsx")
    return read_xlsx(path.read_bytes(), "roster.xlsx")


def test_title_rows_skipped_and_header_found(roster) -> None:
    layout = roster.layouts[0]
    assert layout.sheet == "干部名册"
    assert layout.header_row == 3
    mapped = {c.header: c.attribute for c in layout.mapped}
    assert mapped == {
        "姓 名": "name",
        "性别": "sex",
        "出生日期": "birth_date",
        "公民身份号码": "id_card",
        "工作单位": "unit",
        "职务": "post_title",
        "职级(职务层次)": "rank",
        "入党时间": "party_date",
        "参加工作时间": "work_start_date",
        "备注": "notes",
    }
    assert [c.header for c in layout.unmapped] == ["爱好"]
    assert [c.letter for c in layout.unmapped] == ["K"]
    statuses = {c.header: c.status for c in layout.columns}
    assert statuses["序号"] == "ignored"  # recognised, never asked about


def test_blank_subtotal_and_signature_rows_skipped(roster) -> None:
    # rows 6 (blank), 9 (合计：3人) and 11 (填表人：孙八) are not cadres
    assert [r.source.row for r in roster.rows] == [4, 5, 7, 8, 10]
    assert [r.values["name"] for r in roster.rows] == ["张三", "李四", "王五", "赵六", "钱七"]


def test_values_are_normalised(roster) -> None:
    rows = _by_name(roster.rows)
    zhang = rows["张三"]
    assert zhang.values["birth_date"] == dt.date(1975, 3, 1)
    assert zhang.values["id_card"] == ID_ZHANG
    assert zhang.values["unit"] == "市委办公室"  # trailing space gone
    assert zhang.values["party_date"] == dt.date(1998, 7, 1)
    assert zhang.values["work_start_date"] == dt.date(1997, 8, 1)
    assert zhang.values["notes"] is None
    assert zhang.raw["name"] == "张  三"
    assert zhang.issues == []

    li = rows["李四"]
    assert li.values["sex"] == "女"  # code 2
    assert li.values["birth_date"] == dt.date(1980, 6, 15)  # a real date cell
    assert li.values["id_card"] == ID_LI  # spaces removed
    assert li.values["party_date"] == dt.date(2001, 7, 1)
    assert li.values["work_start_date"] == dt.date(2002, 8, 1)
    assert li.values["notes"] == "借调"

    wang = rows["王五"]
    assert wang.values["birth_date"] == dt.date(1949, 12, 1)
    assert wang.values["id_card"] == ID_WANG  # 15 digits upgraded
    assert wang.values["party_date"] == dt.date(1975, 8, 1)  # the number 197508
    assert wang.values["rank"] is None
    assert not wang.has_errors
    assert [i.warning for i in wang.issues] == [True]

    qian = rows["钱七"]
    assert qian.values["work_start_date"] == dt.date(1975, 3, 1)  # Excel serial 27454


def test_bad_values_are_reported_with_row_column_and_reason(roster) -> None:
    rows = _by_name(roster.rows)
    zhao = rows["赵六"]
    assert zhao.values["id_card"] is None
    assert zhao.values["birth_date"] == dt.date(1980, 6, 15)  # the number 19800615
    [issue] = zhao.errors
    assert (issue.file, issue.row, issue.column, issue.header, issue.label) == (
        "roster.xlsx",
        8,
        "E",
        "公民身份号码",
        "身份证号",
    )
    assert "丢失" in issue.message
    assert issue.sheet == "干部名册"
    assert "“roster.xlsx”工作表“干部名册”第8行E列" in issue.text()

    qian = rows["钱七"]
    problems = {(i.column, i.label): i for i in qian.errors}
    assert set(problems) == {("C", "性别"), ("D", "出生年月")}
    assert problems[("D", "出生年月")].value == "1975.13"
    assert "月份13" in problems[("D", "出生年月")].message
    assert qian.values["birth_date"] is None


def test_user_mapping_applies(tmp_path: Path) -> None:
    data = corpus.roster_xlsx(tmp_path / "r.xlsx").read_bytes()
    result = read_xlsx(data, "r.xlsx", mapping={"爱好": "expertise", "职务": None})
    layout = result.layouts[0]
    assert layout.unmapped == []
    assert result.rows[0].values["expertise"] == "读书"
    assert "post_title" not in result.rows[0].values
    assert {c.header: c.status for c in layout.columns}["爱好"] == "user"


def test_user_mapping_rejects_unknown_attribute(tmp_path: Path) -> None:
    data = corpus.roster_xlsx(tmp_path / "r.xlsx").read_bytes()
    with pytest.raises(ValueError, match="hobby"):
        read_xlsx(data, "r.xlsx", mapping={"爱好": "hobby"})


def test_two_level_header(tmp_path: Path) -> None:
    data = corpus.two_level_xlsx(tmp_path / "t.xlsx").read_bytes()
    result = read_xlsx(data, "t.xlsx")
    [row] = result.rows
    assert row.source.row == 3
    assert row.values["ft_education"] == "大学"
    assert row.values["ft_degree"] == "学士"
    assert row.values["pt_education"] == "研究生"
    assert row.values["pt_degree"] == "硕士"
    assert row.values["birth_date"] == dt.date(1970, 10, 1)
    assert result.layouts[0].header_row == 2


def test_number_cell_with_two_decimals_is_october(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "出生年月"])
    ws.append(["甲", 1975.1])
    ws["B2"].number_format = "0.00"  # the sheet shows 1975.10
    ws.append(["乙", 1975.1])  # General: shows 1975.1, ambiguous
    out = io.BytesIO()
    wb.save(out)
    rows = _by_name(read_xlsx(out.getvalue(), "d.xlsx").rows)
    assert rows["甲"].values["birth_date"] == dt.date(1975, 10, 1)
    assert rows["乙"].values["birth_date"] is None
    assert "1月还是10月" in rows["乙"].errors[0].message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_encoding(encoding: str) -> None:
    result = read_csv(corpus.csv_bytes(encoding), "roster.csv")
    assert [r.source.row for r in result.rows] == [3, 4, 6]
    rows = _by_name(result.rows)
    assert rows["张三"].values["birth_date"] == dt.date(1975, 3, 1)
    assert rows["张三"].values["post_title"] == "主任"
    assert rows["李四"].values["id_card"] == ID_LI  # lower case nothing to fix, still equal
    assert rows["李四"].values["birth_date"] == dt.date(1980, 6, 1)
    assert rows["王五"].values["birth_date"] == dt.date(1975, 1, 1)  # text 1975.1 = January
    [issue] = rows["王五"].errors
    assert (issue.row, issue.column, issue.header) == (6, "D", "身份证号码")
    assert "丢失" in issue.message


def test_decode_text_reports_the_encoding() -> None:
    assert decode_text("姓名".encode("gbk"), "a.csv") == ("姓名", "GBK/GB18030")
    assert decode_text("姓名".encode("utf-8-sig"), "a.csv") == ("姓名", "UTF-8（带BOM）")
    assert decode_text("姓名".encode(), "a.csv") == ("姓名", "UTF-8")


def test_tab_separated_utf16_as_excel_unicode_text() -> None:
    text = f"姓名\t身份证号\n张三\t{ID_ZHANG}\n"
    result = read_csv(text.encode("utf-16"), "unicode.txt")
    assert result.rows[0].values == {"name": "张三", "id_card": ID_ZHANG}


# --- broken inputs -----------------------------------------------------------------------


def _error(call, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as info:
        call(*args, **kwargs)
    return info.value.message


def test_empty_sheet() -> None:
    message = _error(read_xlsx, corpus.xlsx_bytes([], title="名单"), "empty.xlsx")
    assert "“empty.xlsx”" in message
    assert "“名单”" in message
    assert "空的" in message


def test_sheet_with_only_a_header() -> None:
    data = corpus.xlsx_bytes([["XX单位花名册"], ["姓名", "性别", "出生年月"]])
    message = _error(read_xlsx, data, "header.xlsx")
    assert "“header.xlsx”" in message
    assert "只有表头（第2行）" in message


def test_sheet_without_a_header() -> None:
    data = corpus.xlsx_bytes([["会议纪要"], ["今天开会"]])
    message = _error(read_xlsx, data, "notes.xlsx")
    assert "“notes.xlsx”" in message
    assert "没有找到表头" in message


def test_truncated_xlsx(tmp_path: Path) -> None:
    data = corpus.roster_xlsx(tmp_path / "r.xlsx").read_bytes()
    message = _error(read_xlsx, corpus.truncated(data), "cut.xlsx")
    assert "“cut.xlsx”" in message
    assert "损坏或不完整" in message


def test_text_file_named_xlsx() -> None:
    message = _error(read_xlsx, corpus.csv_bytes("utf-8"), "fake.xlsx")
    assert "“fake.xlsx”" in message
    assert "内容是文本" in message


def test_xlsx_bytes_named_csv(tmp_path: Path) -> None:
    data = corpus.roster_xlsx(tmp_path / "r.xlsx").read_bytes()
    message = _error(read_csv, data, "roster.csv")
    assert "“roster.csv”" in message
    assert "Excel工作簿" in message


def test_old_xls_and_empty_files() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    assert "97-2003" in _error(read_xlsx, ole, "old.xlsx")
    assert "旧版Excel" in _error(read_csv, ole, "old.csv")
    assert "0字节" in _error(read_xlsx, b"", "zero.xlsx")
    assert "0字节" in _error(read_csv, b"", "zero.csv")


def test_undecodable_csv() -> None:
    # 0x81 0x20 is neither UTF-8 nor a GB18030 sequence
    message = _error(read_csv, "姓名,性别\n".encode("gbk") + b"\x81\x20\n", "bad.csv")
    assert "“bad.csv”" in message
    assert "编码无法识别" in message


def test_word_document_named_xlsx() -> None:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert "Word文档" in _error(read_xlsx, out.getvalue(), "doc.xlsx")


def test_empty_extra_sheet_is_a_notice_not_an_error(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名册"
    ws.append(["姓名", "身份证号"])
    ws.append(["张三", ID_ZHANG])
    wb.create_sheet("Sheet2")
    out = io.BytesIO()
    wb.save(out)
    result = read_xlsx(out.getvalue(), "two.xlsx")
    assert [r.values["name"] for r in result.rows] == ["张三"]
    [notice] = result.notices
    assert notice.warning
    assert "“Sheet2”" in notice.message


def test_progress_and_cancel() -> None:
    rows: list[list[object]] = [["姓名", "身份证号"]]
    rows += [[f"干部{i}", ID_ZHANG] for i in range(1200)]
    data = corpus.xlsx_bytes(rows)
    seen: list[tuple[int, int]] = []
    result = read_xlsx(
        data, "big.xlsx", progress=lambda done, total, _text: seen.append((done, total))
    )
    assert len(result.rows) == 1200
    assert seen[-1] == (1201, 1201)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert len(seen) >= 3  # 500, 1000, then the end

    with pytest.raises(Cancelled, match="已取消导入"):
        read_xlsx(data, "big.xlsx", cancelled=lambda: True)
    with pytest.raises(Cancelled, match="已取消导入"):
        read_csv("姓名\n张三\n".encode(), "a.csv", cancelled=lambda: True)
