"""Writing a sheet: a cancelled export leaves nothing behind, neither the file nor
openpyxl's temporary stream."""

from __future__ import annotations

import tempfile
import warnings

import pytest
from openpyxl import load_workbook

from models.core.progress import Cancelled
from reports.common.xlsx import write_table


def test_a_cancelled_export_leaves_no_file_and_no_temporary_stream(tmp_path, monkeypatch):
    scratch = tmp_path / "temp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where openpyxl streams rows
    dest = tmp_path / "out" / "名册.xlsx"
    dest.parent.mkdir()
    asked = iter([False, False, True])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(Cancelled, match="已取消导出，没有写入文件"):
            write_table(
                dest,
                title="名册",
                headers=["序号", "姓名"],
                widths=[6, 10],
                rows=([n, f"人员{n}"] for n in range(1000)),
                total=1000,
                cancelled=lambda: next(asked),
            )
    assert not dest.exists()
    assert list(scratch.iterdir()) == []
    assert [p.name for p in dest.parent.iterdir()] == []


def test_a_finished_export_has_its_rows(tmp_path):
    dest = tmp_path / "名册.xlsx"
    n = write_table(
        dest,
        title="名册",
        headers=["序号", "身份证号"],
        widths=[6, 20],
        rows=[[1, "620421197503120014"], [2, None]],
        total=2,
        text_columns=[1],
    )
    assert n == 2
    rows = list(load_workbook(dest, read_only=True).active.iter_rows(values_only=True))
    assert rows[:3] == [("名册",), ("序号", "身份证号"), (1, "620421197503120014")]
    assert rows[3][0] == 2
    assert not rows[3][1]  # an empty text cell, never the word None
