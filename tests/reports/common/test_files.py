"""Atomic writes and safe file names (reports.common.files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from models.core.errors import DomainError
from reports.common.files import safe_part, write_atomic


def test_safe_part_makes_names_every_file_system_accepts() -> None:
    assert safe_part('局/办:公*室?"<>|') == "局-办-公-室-----"
    assert safe_part("  .. ") == "未命名"
    assert safe_part("CON") == "_CON"
    assert safe_part("科 \t 室.") == "科 室"
    assert len(safe_part("长" * 200)) == 60


def test_write_atomic_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    out = tmp_path / "报表.pdf"
    out.write_bytes(b"old")
    write_atomic(out, b"new", "报表")
    assert out.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["报表.pdf"]


def test_write_atomic_into_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DomainError, match="保存报表失败：文件夹不存在"):
        write_atomic(tmp_path / "没有" / "报表.pdf", b"x", "报表")
