"""Saved documents are readable as any file the user creates (0644 under umask 022), so a
colleague or a shared folder can open them; only the database's backups stay owner-only."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from models.assessment import export_score_template, find_round, list_members
from models.core.db import close_database
from models.schema import open_database
from reports.assessment import summary as ar
from reports.common.files import write_atomic
from reports.sheets import batch
from tests.reports.conftest import YEAR


@pytest.fixture
def umask_022(demo_db, bundled_fonts) -> Iterator[None]:  # noqa: ANN001
    before = os.umask(0o022)
    open_database(demo_db[0])
    try:
        yield
    finally:
        close_database()
        os.umask(before)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_saved_documents_are_readable_by_group_and_others(umask_022, tmp_path) -> None:  # noqa: ANN001
    rnd = find_round(YEAR)
    saved = []
    write_atomic(tmp_path / "a.pdf", b"%PDF-1.4\n", "测试文件")
    saved.append(tmp_path / "a.pdf")
    ar.print_report("summary", YEAR, tmp_path / "汇总表.pdf")
    ar.print_report("summary", YEAR, tmp_path / "汇总表.xlsx")
    saved += [tmp_path / "汇总表.pdf", tmp_path / "汇总表.xlsx"]
    export_score_template(rnd.id, None, tmp_path / "打分表.xlsx")
    saved.append(tmp_path / "打分表.xlsx")
    ids = [m.cadre_id for m in list_members(rnd.id)[:3]]
    r = batch.print_sheets(rnd.id, None, tmp_path / "登记表.pdf", cadre_ids=ids)
    saved += list(r.files)
    r = batch.print_sheets(rnd.id, None, tmp_path / "每人", split=True, cadre_ids=ids)
    saved += list(r.files)
    assert len(saved) == 8
    for path in saved:
        assert mode(path) == 0o644, (path.name, oct(mode(path)))
