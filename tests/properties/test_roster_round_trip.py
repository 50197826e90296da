"""Property test of the roster's xlsx exchange: any generated valid 名册 sheet imported and
exported again gives back the values it held (names, sex, birth month, ID number, unit,
post, rank), whatever the names, units and dates."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from models.core.db import close_database
from models.roster import service as roster
from models.roster.importing import import_rows
from models.roster.intake import read_path
from models.schema import open_database
from reports.roster.roster_xlsx import export_roster_xlsx
from tests.fixtures.roster_layouts import person_id
from tests.fixtures.sheets import book

TODAY = dt.date(2026, 12, 7)
HEADER = ["序号", "姓名", "性别", "出生年月", "公民身份号码", "工作单位", "现任职务", "职级"]
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
NAMES = st.text(HAN, min_size=2, max_size=4)
UNITS = st.sampled_from(["市委组织部", "市财政局", "靖远县委", "乌兰镇人民政府"])
POSTS = st.sampled_from(["科员", "干部科科长", "副局长", "办公室主任", ""])
RANKS = st.sampled_from(["一级科员", "四级主任科员", "一级调研员", ""])
BIRTHS = st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2000, 12, 31))


@st.composite
def rows(draw: st.DrawFn) -> list[list[object]]:
    n = draw(st.integers(1, 8))
    out = []
    for k in range(n):
        birth = draw(BIRTHS)
        male = draw(st.booleans())
        order = k * 10 + (1 if male else 2)
        number = person_id(f"620402{birth:%Y%m%d}{order:03d}")
        out.append(
            [
                k + 1,
                draw(NAMES),
                "男" if male else "女",
                f"{birth:%Y.%m}",
                number,
                draw(UNITS),
                draw(POSTS),
                draw(RANKS),
            ]
        )
    return out


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory) -> Path:
    """A migrated empty database each example copies (migrating takes a second)."""
    path = tmp_path_factory.mktemp("template") / "empty.db"
    open_database(path)
    close_database()
    return path


@settings(max_examples=20)
@given(data=rows())
def test_import_then_export_gives_the_same_values(tmp_path_factory, empty_db, data) -> None:
    folder = tmp_path_factory.mktemp("round_trip")
    sheet = book(folder / "名册.xlsx", HEADER, data)
    shutil.copy(empty_db, folder / "cadredesk.db")
    open_database(folder / "cadredesk.db")
    try:
        out = import_rows(read_path(sheet), user="测试", today=TODAY)
        assert out.imported, out.plan.lines()[:5]
        ids = roster.query_ids(roster.RosterFilter(status=""))
        export_roster_xlsx(roster.iter_cadres(ids), folder / "导出.xlsx", total=len(ids))
    finally:
        close_database()
    exported = list(
        load_workbook(folder / "导出.xlsx", read_only=True).active.iter_rows(values_only=True)
    )
    at = next(k for k, r in enumerate(exported) if "姓名" in r)  # below the title rows
    header = list(exported[at])
    col = {name: header.index(name) for name in header if name}
    got = sorted(
        (
            r[col["姓名"]],
            r[col["性别"]],
            r[col["出生年月"]],
            r[col["身份证号"]],
            r[col["单位"]],
            r[col["现任职务"]] or "",
            r[col["职级"]] or "",
        )
        for r in exported[at + 1 :]
    )
    sent = sorted((r[1], r[2], r[3], r[4], r[5], r[6], r[7]) for r in data)
    assert got == sent
