"""Rosters without 身份证号 (matched by 姓名+出生年月, +单位), and a 出生年月 that contradicts
the 身份证号 (an error the user must confirm)."""

import dataclasses
import datetime as dt
import sqlite3

import pytest

from models.core.audit import ChangeLog
from models.core.db import close_database
from models.core.errors import DomainError, ValidationError
from models.roster import service as roster
from models.roster.importing import import_rows, plan_import
from models.roster.intake import read_path
from models.roster.tables import Cadre, FamilyMember
from models.roster.types import CadreInput
from models.schema import open_database
from tests.fixtures.sheets import book

TODAY = dt.date(2026, 11, 22)
ZHANG = "620421197503120014"
LI = "620402198805200023"
ALLOW = (
    "如确认按姓名+出生年月匹配，请勾选“允许没有身份证号的人员（按姓名+出生年月匹配）”"
    "或使用 --allow-missing-id"
)
NO_ID = ["姓名", "性别", "出生年月", "工作单位", "现任职务"]
WITH_ID = ["姓名", "性别", "出生年月", "身份证号", "工作单位", "现任职务"]


def test_roster_without_id_column_is_refused_with_one_grouped_message(tmp_path, database):
    rows = [[f"干部{chr(0x4E00 + i)}", "男", "1975.03", "市委组织部", "科员"] for i in range(300)]
    f = book(tmp_path / "无身份证.xlsx", NO_ID, rows)
    out = import_rows(read_path(f), today=TODAY)
    assert not out.imported
    lines = out.plan.lines()
    assert lines[1:] == [f"错误：“无身份证.xlsx”没有身份证号列：共 300 行；{ALLOW}"]
    assert Cadre.select().count() == 0


def test_empty_id_cells_are_grouped_naming_the_rows(tmp_path, database):
    f = book(
        tmp_path / "部分.xlsx",
        WITH_ID,
        [
            ["张三", "男", "1975.03", ZHANG, "市委组织部", "科长"],
            ["王五", "男", "1980.01", None, "市委组织部", "科员"],
            ["赵六", "女", "1981.02", None, "市委组织部", "科员"],
        ],
    )
    plan = plan_import(read_path(f), today=TODAY)
    assert not plan.ok
    assert plan.lines()[2:] == [
        f"错误：“部分.xlsx”D列（身份证号）身份证号为空：共 2 行（第3、4行）；{ALLOW}"
    ]


def test_allowed_rows_without_id_are_stored_marked_and_found(tmp_path, database):
    f = book(
        tmp_path / "无身份证.xlsx",
        NO_ID,
        [
            ["王五", "男", "1980.01", "市委组织部", "科员"],
            ["赵六", "女", "1981.02", "市委组织部", "科员"],
        ],
    )
    out = import_rows(read_path(f), today=TODAY, allow_missing_id=True)
    assert out.imported, out.plan.lines()
    assert out.plan.summary() == "新增 2，更新 0，跳过 0，错误 0"
    assert [c.id_card for c in Cadre.select().order_by(Cadre.id)] == [None, None]
    assert roster.get_cadre(out.cadre_ids[0]).id_card == ""
    rows = roster.fetch_rows(out.cadre_ids, today=TODAY)
    assert [rows[i].id_card for i in out.cadre_ids] == ["", ""]
    found = roster.query_ids(roster.RosterFilter(text="缺身份证号", status=""))
    assert sorted(found) == sorted(out.cadre_ids)
    # the same file again: matched by 姓名+出生年月, updated, no third person
    again = import_rows(read_path(f), today=TODAY, allow_missing_id=True)
    assert again.plan.summary() == "新增 0，更新 2，跳过 0，错误 0"
    assert Cadre.select().count() == 2


def test_a_later_file_with_the_id_fills_it_in_and_the_change_is_logged(tmp_path, database):
    f = book(tmp_path / "无.xlsx", NO_ID, [["张三", "男", "1975.03", "市委组织部", "科员"]])
    first = import_rows(read_path(f), today=TODAY, allow_missing_id=True)
    cid = first.cadre_ids[0]
    g = book(
        tmp_path / "有.xlsx", WITH_ID, [["张三", "男", "1975.03", ZHANG, "市委组织部", "科长"]]
    )
    out = import_rows(read_path(g), today=TODAY, user="小王")
    assert out.imported, out.plan.lines()
    assert (out.plan.rows[0].action, out.plan.rows[0].match) == ("更新", "姓名+出生年月")
    assert out.cadre_ids == [cid]
    assert Cadre.get_by_id(cid).id_card == ZHANG
    assert roster.get_cadre(cid).birth_date == dt.date(1975, 3, 12)  # the ID's day is kept
    log = ChangeLog.get((ChangeLog.entity_id == cid) & (ChangeLog.field == "id_card"))
    assert (log.old_value, log.new_value, log.user) == ("", ZHANG, "小王")


def test_same_name_and_month_is_told_apart_by_unit_else_the_candidates_are_named(
    tmp_path, database
):
    f = book(
        tmp_path / "两人.xlsx",
        NO_ID,
        [
            ["张三", "男", "1975.03", "市委组织部", "科员"],
            ["张三", "男", "1975.03", "靖远县", "科员"],
        ],
    )
    out = import_rows(read_path(f), today=TODAY, allow_missing_id=True)
    assert out.imported, out.plan.lines()
    org = Cadre.get(Cadre.unit == Cadre.select(Cadre.unit).where(Cadre.id == out.cadre_ids[0]))
    g = book(tmp_path / "更新.xlsx", NO_ID, [["张三", "男", "1975.03", "市委组织部", "科长"]])
    upd = import_rows(read_path(g), today=TODAY, allow_missing_id=True)
    assert upd.plan.summary() == "新增 0，更新 1，跳过 0，错误 0"
    assert upd.cadre_ids == [org.id]
    assert Cadre.get_by_id(org.id).post_title == "科长"
    h = book(tmp_path / "无单位.xlsx", ["姓名", "性别", "出生年月"], [["张三", "男", "1975.03"]])
    bad = import_rows(read_path(h), today=TODAY, allow_missing_id=True)
    assert not bad.imported
    assert bad.plan.lines()[1] == (
        "错误：“无单位.xlsx”第2行A列【姓名】姓名和出生年月相同的干部有 2 名"
        "（市委组织部，缺身份证号；靖远县，缺身份证号），无法确定是谁，请在表中填写身份证号或单位"
    )


def test_two_rows_without_id_for_the_same_person_are_an_error(tmp_path, database):
    f = book(
        tmp_path / "重复.xlsx",
        NO_ID,
        [
            ["王五", "男", "1980.01", "市委组织部", "科员"],
            ["王五", "男", "1980.01", "市委组织部", "科长"],
        ],
    )
    out = import_rows(read_path(f), today=TODAY, allow_missing_id=True)
    assert not out.imported
    assert out.plan.lines()[2] == (
        "错误：“重复.xlsx”第3行A列【姓名】与第2行的姓名、出生年月、单位相同，且都没有身份证号"
    )
    assert Cadre.select().count() == 0


def test_birth_month_contradicting_the_id_must_be_confirmed(tmp_path, database):
    f = book(
        tmp_path / "不符.xlsx",
        WITH_ID,
        [
            ["张三", "男", "1975.04", ZHANG, "市委组织部", "科长"],
            ["李丽", "女", "1988.05", LI, "市委组织部", "科员"],
        ],
    )
    out = import_rows(read_path(f), today=TODAY)
    assert not out.imported
    assert Cadre.select().count() == 0
    assert [(r.source.row, r.birth_mismatch) for r in out.plan.to_confirm] == [
        (2, ("1975.04", "1975.03"))
    ]
    assert out.plan.lines()[2] == (
        "错误：“不符.xlsx”第2行C列【出生年月】与身份证号不符："
        "表中为 1975.04，身份证号中为 1975.03。"
        "请核对；如表中正确，请勾选“我已核对，按表中出生年月导入”或使用 --accept-birth-mismatch"
    )
    ok = import_rows(read_path(f), today=TODAY, accept_birth_mismatch=True)
    assert ok.imported, ok.plan.lines()
    # as the table says
    assert roster.get_cadre(ok.cadre_ids[0]).birth_date == dt.date(1975, 4, 1)
    assert ok.plan.to_confirm[0].issues[-1].warning


def test_v6_database_lets_id_card_be_empty_and_keeps_family_rows(tmp_path):
    path = tmp_path / "old.db"
    open_database(path)
    close_database()
    con = sqlite3.connect(path)
    sql = con.execute("SELECT sql FROM sqlite_master WHERE name = 'cadre'").fetchone()[0]
    old = sql.replace('"id_card" VARCHAR(18)', '"id_card" VARCHAR(18) NOT NULL')
    con.execute("PRAGMA writable_schema = ON")
    con.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'cadre'", (old,))
    con.execute("PRAGMA writable_schema = OFF")
    con.execute("UPDATE schema_version SET version = 6")
    con.execute("INSERT INTO unit (id, name, code, sort_order, kind) VALUES (1, '部', '', 0, '')")
    con.commit()
    con.close()
    con = sqlite3.connect(path)
    con.execute(
        "INSERT INTO cadre (id, name, name_pinyin, name_initials, name_sort, sex, birth_date,"
        " ethnicity, native_place, birthplace, political_status, health, ft_education,"
        " ft_degree, ft_school,"
        " pt_education, pt_degree, pt_school, unit_id, post_title, leadership_level, rank,"
        " id_card, phone, status, notes, professional_title, expertise, resume, rewards,"
        " annual_results, lrmx_extra, created_at, updated_at, version)"
        " VALUES (1, '张三', '', '', '', '男', '1975-03-12', '', '', '', '', '', '', '', '',"
        " '', '', '', 1, '', '', '', ?, '',"
        " '在职', '', '', '', '', '', '', '', '2026-01-05', '2026-01-05', 1)",
        (ZHANG,),
    )
    con.execute(
        "INSERT INTO family_member (cadre_id, sort_order, relation, name, political_status, work)"
        " VALUES (1, 1, '妻子', '李丽', '', '')"
    )
    con.commit()
    try:
        con.execute("UPDATE cadre SET id_card = NULL")
        raise AssertionError("the old schema should refuse NULL")
    except sqlite3.IntegrityError:
        con.rollback()
    con.close()
    open_database(path)
    try:
        Cadre.update(id_card=None).where(Cadre.id == 1).execute()
        assert Cadre.get_by_id(1).id_card is None
        assert FamilyMember.select().count() == 1
    finally:
        close_database()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


def test_a_cadre_stored_without_id_can_be_edited_but_a_new_one_needs_an_id(tmp_path, database):
    f = book(
        tmp_path / "无身份证.xlsx",
        NO_ID,
        [
            ["王五", "男", "1980.01", "市委组织部", "科员"],
            ["赵六", "女", "1981.02", "市委组织部", "科员"],
        ],
    )
    wang, zhao = import_rows(read_path(f), today=TODAY, allow_missing_id=True).cadre_ids
    edit = CadreInput.from_dto(roster.get_cadre(wang))
    edit.post_title = "副科长"
    checked = roster.check(edit, today=TODAY)
    assert [(i.field, i.message, i.warning) for i in checked.issues if i.field == "id_card"] == [
        ("id_card", "缺身份证号（导入的名册中没有），请尽快补填", True)
    ]
    with pytest.raises(ValidationError, match="缺身份证号"):
        roster.save_cadre(edit, today=TODAY)  # a warning needs the user's consent
    saved = roster.save_cadre(edit, accept_warnings=True, today=TODAY)
    assert saved.post_title == "副科长"
    other = CadreInput.from_dto(roster.get_cadre(zhao))
    other.post_title = "科长"
    roster.save_cadre(other, accept_warnings=True, today=TODAY)  # two people without an ID
    assert [c.id_card for c in Cadre.select().order_by(Cadre.id)] == [None, None]
    new = dataclasses.replace(edit, id=None, version=None, name="孙七")
    with pytest.raises(ValidationError, match="身份证号：必填"):
        roster.save_cadre(new, accept_warnings=True, today=TODAY)


def test_v6_database_with_an_unexpected_id_card_column_is_refused_in_chinese(tmp_path):
    """Step 7 edits the table's definition; when the column is not written as expected it
    stops with a Chinese message and the database stays at v6 (never a silent half-upgrade
    that fails later with SQLite's English NOT NULL error)."""
    path = tmp_path / "old.db"
    open_database(path)
    close_database()
    con = sqlite3.connect(path)
    sql = con.execute("SELECT sql FROM sqlite_master WHERE name = 'cadre'").fetchone()[0]
    odd = sql.replace('"id_card" VARCHAR(18)', '"id_card" VARCHAR(18)  not  null')
    con.execute("PRAGMA writable_schema = ON")
    con.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'cadre'", (odd,))
    con.execute("PRAGMA writable_schema = OFF")
    con.execute("UPDATE schema_version SET version = 6")
    con.commit()
    con.close()
    with pytest.raises(DomainError, match="无法升级数据库：干部表的身份证号列定义与预期不同"):
        open_database(path)
    close_database()
    con = sqlite3.connect(path)
    assert con.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == 6
    con.close()
