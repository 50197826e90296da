"""The 修改记录 xlsx, read back with openpyxl: the title says the period and filters, the
header and one row per change in time order, names not ids, every cell text, widths, the
frozen header, and a file others can read."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import stat

import openpyxl
import pytest

from models import audit
from models.assessment import add_member, add_sanction, create_round, set_score
from models.core import audit as core_audit
from models.core.errors import DomainError
from models.core.progress import Cancelled
from models.roster import CadreInput, get_cadre, save_cadre
from reports.audit import export_audit_xlsx
from reports.audit.audit_xlsx import WIDTHS
from tests.models.audit.test_query import Clock, new_cadre

F = audit.AuditFilter
YEAR_2026 = {"date_from": dt.date(2026, 1, 1), "date_to": dt.date(2026, 12, 31)}


@pytest.fixture
def story(database, units, monkeypatch):
    clock = Clock(monkeypatch)
    clock.at(2026, 1, 10, 9, 0)
    zhang = new_cadre("张三", units["org"], 1)
    li = new_cadre("李四", units["town"], 2)
    clock.at(2026, 2, 1, 10, 30)
    save_cadre(
        dataclasses.replace(CadreInput.from_dto(get_cadre(zhang.id)), post_title="副部长"),
        accept_warnings=True,
        user="干部科",
        reason="任职调整",
    )
    clock.at(2026, 3, 1, 8, 0)
    rnd = create_round(2026, user="考核办")
    add_member(rnd.id, li.id, user="考核办")
    set_score(rnd.id, li.id, "de", "17.5", user="录入员", reason="考核组评分")
    clock.at(2026, 4, 1, 15, 0)
    add_sanction(li.id, "诫勉", dt.date(2026, 3, 15), note="履职不力", user="干部科")
    clock.at(2027, 1, 2, 9, 0)
    set_score(rnd.id, li.id, "de", "18", user="录入员", reason="复核更正")
    return {"zhang": zhang, "li": li}


def sheet(path):
    wb = openpyxl.load_workbook(path)
    return wb["修改记录"]


def values(ws) -> list[tuple]:
    return [tuple("" if v is None else v for v in row) for row in ws.iter_rows(values_only=True)]


def test_one_person_over_a_year(story, tmp_path):
    dest = tmp_path / "修改记录.xlsx"
    n = export_audit_xlsx(F(**YEAR_2026, person="李四"), dest, today=dt.date(2027, 1, 5))
    ws = sheet(dest)
    table = values(ws)
    title = table[0][0]
    assert title.startswith("修改记录（2026-01-01 至 2026-12-31；人员：李四（乌兰镇，620402")
    assert "2027年1月5日" in title
    assert f"共 {n} 条" in title
    assert table[1] == audit.HEADERS
    body = table[2:]
    assert len(body) == n
    assert [r[0] for r in body] == sorted(r[0] for r in body)  # oldest first
    assert {r[4] for r in body} == {"李四（乌兰镇）", "李四（乌兰镇）《2026年度考核》"}
    score = next(r for r in body if r[3] == "考核得分")
    assert score == (
        "2026-03-01 08:00:00",
        "录入员",
        "修改",
        "考核得分",
        "李四（乌兰镇）《2026年度考核》",
        "德得分",
        "",
        "17.5",
        "考核组评分",
    )
    sanction = next(r for r in body if r[3] == "处分")
    assert sanction[1:4] == ("干部科", "新增", "处分")
    assert "诫勉" in sanction[7]
    assert sanction[8] == "履职不力"
    assert not any(r[0].startswith("2027") for r in body)  # the 2027 correction is outside
    assert not any(r[4].startswith("张三") for r in body)
    assert ws.freeze_panes == "B3"
    assert [ws.column_dimensions[c].width for c in "ABCDEFGHI"] == list(WIDTHS)
    if os.name == "posix":
        mode = stat.S_IMODE(dest.stat().st_mode)
        assert mode & stat.S_IRGRP
        assert mode & stat.S_IROTH


def test_kind_and_account_filters_shape_the_rows(story, tmp_path):
    dest = tmp_path / "得分.xlsx"
    assert export_audit_xlsx(F(kind="考核得分", account="录入员"), dest) == 2
    table = values(sheet(dest))
    assert "全部时间；类别：考核得分；账号：录入员" in table[0][0]
    assert [(r[6], r[7], r[8]) for r in table[2:]] == [
        ("", "17.5", "考核组评分"),
        ("17.5", "18", "复核更正"),
    ]


def test_no_matching_change_gives_the_header_alone(story, tmp_path):
    dest = tmp_path / "空.xlsx"
    assert export_audit_xlsx(F(date_from=dt.date(2030, 1, 1)), dest) == 0
    table = values(sheet(dest))
    assert len(table) == 2
    assert "共 0 条" in table[0][0]


def test_a_filter_naming_nobody_writes_nothing(story, tmp_path):
    dest = tmp_path / "x.xlsx"
    with pytest.raises(DomainError, match="没有名为“钱七”的干部"):
        export_audit_xlsx(F(person="钱七"), dest)
    assert not dest.exists()


def test_cancel_leaves_no_file(story, tmp_path):
    out = tmp_path / "导出"
    out.mkdir()
    with pytest.raises(Cancelled):
        export_audit_xlsx(F(), out / "x.xlsx", cancelled=lambda: True)
    assert list(out.iterdir()) == []


def test_the_title_names_the_account_that_exported(story, tmp_path):
    core_audit.set_actor("inspector_admin")
    try:
        export_audit_xlsx(F(), tmp_path / "x.xlsx")
    finally:
        core_audit.set_actor(None)
    assert "由 inspector_admin 导出" in values(sheet(tmp_path / "x.xlsx"))[0][0]
