"""read_path: one file or a folder, dispatch by content, file-level problems collected."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.core.errors import DomainError
from models.core.progress import Cancelled
from models.roster.intake.reader import read_path, sniff
from tests.models.roster.intake import corpus
from tests.models.roster.intake.corpus import PHOTO


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "收件"
    root.mkdir()
    corpus.roster_xlsx(root / "名册.xlsx")
    (root / "名册GBK.csv").write_bytes(corpus.csv_bytes("gbk"))
    (root / "张三.lrmx").write_bytes(corpus.LRMX_SAMPLE.encode())
    (root / "李四.lrm").write_bytes(corpus.lrm_bytes())
    (root / "李四.pic").write_bytes(PHOTO)
    (root / "炸弹.lrmx").write_bytes(corpus.BILLION_LAUGHS.encode())
    (root / "半截.xlsx").write_bytes(corpus.truncated((root / "名册.xlsx").read_bytes()))
    (root / "说明.docx").write_bytes(b"PK\x03\x04 not really")
    (root / "~$名册.xlsx").write_bytes(b"lock")
    return root


def test_folder_reads_every_supported_file(folder: Path) -> None:
    result = read_path(folder)
    assert sorted(result.files_read) == ["名册.xlsx", "名册GBK.csv", "张三.lrmx", "李四.lrm"]
    by_file: dict[str, int] = {}
    for row in result.rows:
        by_file[row.source.file] = by_file.get(row.source.file, 0) + 1
    assert by_file == {"名册.xlsx": 5, "名册GBK.csv": 3, "张三.lrmx": 1, "李四.lrm": 1}
    lrm_row = next(r for r in result.rows if r.source.file == "李四.lrm")
    assert lrm_row.values["photo"] == PHOTO


def test_folder_problems_name_each_file(folder: Path) -> None:
    result = read_path(folder)
    errors = {i.file: i.message for i in result.errors}
    assert set(errors) == {"炸弹.lrmx", "半截.xlsx"}
    assert "已拒绝读取" in errors["炸弹.lrmx"]
    assert "损坏或不完整" in errors["半截.xlsx"]
    warnings = {i.file for i in result.issues if i.warning}
    assert warnings == {"说明.docx"}  # lock file skipped silently
    assert not result.ok


def test_xlsx_named_csv_is_read_by_content_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "名册.csv"
    path.write_bytes(corpus.roster_xlsx(tmp_path / "x.xlsx").read_bytes())
    result = read_path(path)
    assert len(result.rows) == 5
    [warning] = result.issues
    assert warning.warning
    assert "“名册.csv”" in warning.message
    assert "Excel工作簿" in warning.message


def test_text_named_xlsx_is_read_as_csv_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "名册.xlsx"
    path.write_bytes(corpus.csv_bytes("gbk"))
    result = read_path(path)
    assert [r.values["name"] for r in result.rows] == ["张三", "李四", "王五"]
    [warning] = result.issues
    assert "“名册.xlsx”" in warning.message
    assert "CSV" in warning.message


def test_single_broken_file_is_an_error_not_an_exception(tmp_path: Path) -> None:
    path = tmp_path / "空.xlsx"
    path.write_bytes(corpus.xlsx_bytes([]))
    result = read_path(path)
    assert result.rows == []
    [error] = result.errors
    assert "“空.xlsx”" in error.message
    assert "空的" in error.message


def test_xxe_in_folder(tmp_path: Path) -> None:
    (tmp_path / "xxe.lrmx").write_bytes(corpus.XXE.encode())
    [error] = read_path(tmp_path).errors
    assert error.file == "xxe.lrmx"
    assert "已拒绝读取" in error.message


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(DomainError, match="找不到"):
        read_path(tmp_path / "nope")
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    [error] = read_path(empty).errors
    assert "没有可导入的文件" in error.message


def test_sniff() -> None:
    assert sniff(corpus.xlsx_bytes([["姓名"]])) == "xlsx"
    assert sniff(corpus.LRMX_SAMPLE.encode()) == "lrmx"
    assert sniff(corpus.lrm_bytes()) == "quoted"
    assert sniff(corpus.csv_bytes("utf-8-sig")) == "text"
    assert sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest") == "xls"
    assert sniff(b"PK\x03\x04broken") == "zip"
    assert sniff(b"\x00\x01\x02") == "binary"
    assert sniff(b"") == "empty"


def test_folder_progress_and_cancel(folder: Path) -> None:
    seen: list[tuple[int, int]] = []
    read_path(folder, progress=lambda done, total, _text: seen.append((done, total)))
    assert seen == [(n, 6) for n in range(1, 7)]  # six candidate files
    with pytest.raises(Cancelled, match="已取消导入"):
        read_path(folder, cancelled=lambda: True)


def test_recursive(tmp_path: Path) -> None:
    sub = tmp_path / "科室"
    sub.mkdir()
    (sub / "张三.lrmx").write_bytes(corpus.LRMX_SAMPLE.encode())
    assert read_path(tmp_path, recursive=True).files_read == ["科室/张三.lrmx"]
    assert read_path(tmp_path).files_read == []
