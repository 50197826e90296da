"""Opening the files users bring (models.core.workbook): every bad file is a Chinese message
that names it, never an English exception."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from models.core.errors import DomainError
from models.core.workbook import OLE_MAGIC, open_workbook, read_file, sheet_rows


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    """``data`` (a zip) with the named members replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, replace.get(item.filename, src.read(item.filename)))
    return out.getvalue()


def message(call) -> str:  # noqa: ANN001
    with pytest.raises(DomainError) as info:
        call()
    return info.value.message


def test_read_file_names_what_is_wrong(tmp_path: Path) -> None:
    assert (
        message(lambda: read_file(tmp_path / "没有.xlsx")) == f"找不到文件“没有.xlsx”（{tmp_path}）"
    )
    (tmp_path / "夹").mkdir()
    assert message(lambda: read_file(tmp_path / "夹")) == "“夹”是文件夹，不是文件"
    (tmp_path / "有.xlsx").write_bytes(b"PK")
    assert read_file(tmp_path / "有.xlsx") == b"PK"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "“a.xlsx”是空文件（0字节）"),
        (
            OLE_MAGIC + b"\0" * 100,
            "“a.xlsx”是旧版Excel 97-2003（.xls）文件或已加密的工作簿，无法直接读取；"
            "请在Excel或WPS中打开，取消密码后另存为.xlsx再导入",
        ),
        (
            "姓名,身份证号\n张三,1\n".encode(),
            "“a.xlsx”的内容是文本（可能是CSV），不是Excel工作簿（.xlsx）；"
            "请在Excel或WPS中打开后另存为.xlsx",
        ),
        (b"\x7fELF\x02\x01\x00\x00" + b"\0" * 50, "“a.xlsx”不是Excel工作簿（.xlsx），无法读取"),
        (
            b"PK\x03\x04 truncated",
            "“a.xlsx”已损坏或不完整（可能没有下载或复制完整），无法打开；请重新获取原文件",
        ),
    ],
)
def test_not_a_workbook(data: bytes, expected: str) -> None:
    assert message(lambda: open_workbook(data, "a.xlsx")) == expected


def test_the_hint_is_added_to_what_is_wrong() -> None:
    assert (
        message(lambda: open_workbook(b"", "a.xlsx", hint="请用本系统导出的评分表填写"))
        == "“a.xlsx”是空文件（0字节）；请用本系统导出的评分表填写"
    )


def test_a_word_document_is_named_as_one() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    assert message(lambda: open_workbook(buf.getvalue(), "a.xlsx")) == (
        "“a.xlsx”是Word文档，不是Excel工作簿（.xlsx）"
    )


def test_a_workbook_with_a_broken_part_does_not_open() -> None:
    data = rezip(xlsx_bytes([["姓名"]]), {"xl/workbook.xml": b"<not xml"})
    assert message(lambda: open_workbook(data, "a.xlsx")) == (
        "“a.xlsx”已损坏，无法作为Excel工作簿打开；请在Excel或WPS中打开后重新保存"
    )


def test_rows_are_read_and_a_sheet_broken_inside_is_named() -> None:
    good = xlsx_bytes([["姓名", "学时"], ["张三", 4]])
    wb = open_workbook(good, "a.xlsx")
    assert list(sheet_rows(wb.worksheets[0], "a.xlsx")) == [("姓名", "学时"), ("张三", 4)]
    wb.close()
    sheet = zipfile.ZipFile(io.BytesIO(good)).read("xl/worksheets/sheet1.xml")
    broken = rezip(good, {"xl/worksheets/sheet1.xml": sheet[: len(sheet) // 2]})
    wb = open_workbook(broken, "a.xlsx")  # the sheet is only parsed when read
    try:
        assert message(lambda: list(sheet_rows(wb.worksheets[0], "a.xlsx"))) == (
            "“a.xlsx”的工作表“名单”已损坏，无法读完；请在Excel或WPS中打开后重新保存"
        )
    finally:
        wb.close()


def _saved(wb: openpyxl.Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_sheet_without_a_stated_size_is_read_whole_and_once() -> None:
    """A writer that leaves out <dimension> (openpyxl's write-only mode, many generators):
    every row is read as openpyxl reads it, the sheet is simply unsized; a sheet that states
    its size keeps it."""
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("名册")
    rows = [("姓名", "单位", "出生年月")] + [
        (f"人{i}", "市委组织部", 1980 + i % 20) for i in range(300)
    ]
    rows.append(("最后一人", None, None, "多出的一列"))
    for r in rows:
        ws.append(r)
    data = _saved(wb)
    sheet_xml = next(
        zipfile.ZipFile(io.BytesIO(data)).read(n)
        for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
        if n.startswith("xl/worksheets/sheet")
    )
    assert b"<dimension" not in sheet_xml  # the kind of file this is about
    book = open_workbook(data, "无尺寸.xlsx")
    try:
        sheet = book["名册"]
        assert sheet.max_row is None
        assert list(sheet_rows(sheet, "无尺寸.xlsx")) == rows
    finally:
        book.close()

    plain = openpyxl.Workbook()
    for r in rows:
        plain.active.append(r)
    book = open_workbook(_saved(plain), "有尺寸.xlsx")
    try:
        sheet = book.worksheets[0]
        assert (sheet.max_row, sheet.max_column) == (len(rows), 4)
        read = list(sheet_rows(sheet, "有尺寸.xlsx"))
        assert read[0] == ("姓名", "单位", "出生年月", None)  # padded to the stated width
        assert read[-1] == rows[-1]
    finally:
        book.close()
