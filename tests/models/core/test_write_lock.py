"""Every import takes the write lock at once (issue #11): while another connection writes,
it waits, then says so in Chinese and leaves every table as it was; when the other writer
finishes during the wait, it goes on and imports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from models.assessment import import_scores
from models.assessment.tables import ItemScore
from models.core import db as dbmod
from models.core.errors import DomainError
from models.roster import service as roster
from models.roster.importing import import_rows
from models.roster.intake import read_path
from models.roster.tables import Cadre
from models.training import HoursImportRow, import_elective_choices, import_hours
from models.training import hours as hr
from models.training.tables import ElectiveChoice, HoursEntry
from tests.models.assessment.fixtures import score_files
from tests.models.assessment.test_score_template import filled  # noqa: F401
from tests.models.assessment.test_service import adb  # noqa: F401
from tests.models.core.test_db import other_writer, snapshot  # noqa: F401
from tests.models.roster.test_importing import LI, ZHANG, sheet
from tests.models.training.test_classes import cadre
from tests.models.training.test_electives import menu, write_sheet  # noqa: F401
from tests.models.training.test_trainees import tdb  # noqa: F401

# SQLite's whole-database write lock; PostgreSQL locks rows
pytestmark = pytest.mark.sqlite_only

BUSY = "另一项导入或保存正在写入数据库，请稍候再试"


def refused_then_done(other, run: Callable[[], object], monkeypatch) -> object:  # noqa: ANN001
    """``run`` while the other connection writes: the Chinese message and every table
    unchanged. Then again, the other writer finishing during the wait: done."""
    before = snapshot()
    with pytest.raises(DomainError) as err:
        run()
    assert err.value.message == BUSY
    assert snapshot() == before
    monkeypatch.setattr(dbmod, "WRITE_WAIT_SECONDS", 5.0)
    timer = other.release_after(0.2)
    try:
        return run()
    finally:
        timer.join()


@pytest.fixture
def roster_file(database, tmp_path: Path):
    rows = [
        [1, "张三", "男", "1975.03", ZHANG, "市委组织部", "干部科科长", "一级主任科员"],
        [2, "李丽", "女", "1988-05", LI, "市委组织部", "干部科科员", "一级科员"],
    ]
    return read_path(sheet(tmp_path / "名册.xlsx", rows))


def test_roster_import(roster_file, other_writer, monkeypatch):  # noqa: F811
    out = refused_then_done(other_writer, lambda: import_rows(roster_file), monkeypatch)
    assert out.imported
    assert sorted(c.name for c in Cadre.select()) == ["张三", "李丽"]


def test_roster_dry_run_does_not_wait_for_the_lock(roster_file, other_writer):  # noqa: F811
    out = import_rows(roster_file, dry_run=True)
    assert not out.imported
    assert out.plan.ok
    assert Cadre.select().count() == 0


def test_score_import(filled, other_writer, monkeypatch):  # noqa: F811
    rid, ids, path = filled
    score_files.fill(path, path)
    res = refused_then_done(other_writer, lambda: import_scores(path, rid), monkeypatch)
    assert res.imported
    assert ItemScore.select().count() == 10
    assert import_scores(path, rid, dry_run=True).ok  # a dry run reads only


@pytest.fixture
def hours_row(tdb) -> HoursImportRow:  # noqa: F811
    card = roster.get_cadre(cadre(tdb, "张一")).id_card
    return HoursImportRow(2, card, "张一", "2026-04-01", hr.ONLINE_STUDY, "12", "网络学院")


def test_hours_import(hours_row, other_writer, monkeypatch):  # noqa: F811
    row = hours_row
    assert refused_then_done(other_writer, lambda: import_hours([row]), monkeypatch) == 1
    assert HoursEntry.select().count() == 1


def test_elective_choices_import(menu, tmp_path, other_writer, monkeypatch):  # noqa: F811
    cls, cards = menu["cls"], menu["cards"]
    path = write_sheet(tmp_path / "志愿.xlsx", [[1, "P", cards["P"], "数字政府", None, None]])
    result = refused_then_done(
        other_writer, lambda: import_elective_choices(cls, path), monkeypatch
    )
    assert (result.ok, result.imported) == (True, 1)
    assert ElectiveChoice.select().count() == 1
