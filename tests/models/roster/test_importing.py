"""Importing into the roster: previews, duplicates, all-or-nothing, round trips."""

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from models.core.audit import ChangeLog, history
from models.core.db import close_database
from models.core.progress import Cancelled
from models.demo import build_demo
from models.roster import service as roster
from models.roster.importing import import_rows, lrmx_record, plan_import
from models.roster.intake import read_path, write_lrmx
from models.roster.tables import Cadre, FamilyMember, Unit
from models.schema import open_database
from reports.roster.roster_xlsx import export_roster_xlsx

TODAY = dt.date(2026, 11, 22)
ZHANG = "620421197503120014"
LI = "620402198805200023"
HEADER = ["序号", "姓 名", "性别", "出生年月", "公民身份号码", "工作单位", "现任职务", "职级"]


def sheet(path: Path, rows: list[list[object]], title: str = "白银市直机关干部花名册") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_new_rows_are_previewed_then_imported_with_new_units(tmp_path, database):
    f = sheet(
        tmp_path / "名册.xlsx",
        [
            [1, "张三", "男", "1975.03", ZHANG, "市委组织部", "干部科科长", "一级主任科员"],
            [2, "李丽 ", "女", "1988-05", LI, "市委组织部", "干部科科员", "一级科员"],
        ],
    )
    result = read_path(f)
    plan = plan_import(result, today=TODAY)
    assert plan.ok
    assert [r.action for r in plan.rows] == ["新增", "新增"]
    assert plan.new_units == ["市委组织部"]
    assert plan.rows[1].preview["姓名"] == "李丽"
    assert plan.rows[1].preview["出生年月"] == "1988.05"
    assert Cadre.select().count() == 0  # planning writes nothing
    out = import_rows(result, user="小王", today=TODAY)
    assert out.imported
    assert plan.summary() == "新增 2，更新 0，跳过 0，错误 0"
    zhang = roster.get_cadre(out.cadre_ids[0])
    assert (zhang.name, zhang.unit_name, zhang.rank, zhang.sex) == (
        "张三",
        "市委组织部",
        "一级主任科员",
        "男",
    )
    assert history("cadre", zhang.id)[0].reason == "从“名册.xlsx”工作表“Sheet”第3行导入"
    assert history("cadre", zhang.id)[0].user == "小王"


def test_one_bad_row_means_nothing_is_written(tmp_path, database):
    f = sheet(
        tmp_path / "bad.xlsx",
        [
            [1, "张三", "男", "1975.03", ZHANG, "市委组织部", "干部科科长", "一级主任科员"],
            [2, "李丽", "女", "1988.05", LI[:17] + "9", "市委组织部", "科员", "处长"],
        ],
    )
    out = import_rows(read_path(f), today=TODAY)
    assert not out.imported
    texts = [i.text() for i in out.plan.issues]
    assert "错误：“bad.xlsx”第4行E列（公民身份号码）【身份证号】" in texts[0]
    assert "校验位" in texts[0]
    assert any("第4行H列【职级】“处长”不在“职级”可选值中" in t for t in texts)
    assert out.plan.summary() == "新增 1，更新 0，跳过 0，错误 1"
    assert Cadre.select().count() == 0
    assert Unit.select().count() == 0
    assert ChangeLog.select().count() == 0


def test_the_same_id_twice_in_a_file_is_an_error(tmp_path, database):
    f = sheet(
        tmp_path / "dup.xlsx",
        [
            [1, "张三", "男", "1975.03", ZHANG, "市委组织部", "", ""],
            [2, "张叁", "男", "1975.03", ZHANG, "市委组织部", "", ""],
        ],
    )
    plan = plan_import(read_path(f), today=TODAY)
    assert plan.rows[1].action == "错误"
    assert "与第3行的身份证号重复" in plan.rows[1].issues[0].message


@pytest.mark.parametrize(
    ("mode", "action", "rank_after", "ok"),
    [
        ("update", "更新", "二级调研员", True),
        ("skip", "跳过", "一级主任科员", True),
        ("stop", "错误", "一级主任科员", False),
    ],
)
def test_existing_people_are_updated_skipped_or_stop_the_import(
    tmp_path, units, mode, action, rank_after, ok
):
    c = roster.save_cadre(
        roster.CadreInput(
            name="张三",
            id_card=ZHANG,
            unit_id=units["org"],
            rank="一级主任科员",
            phone="13909430001",
        ),
        today=TODAY,
    )
    f = sheet(
        tmp_path / "upd.xlsx",
        [[1, "张三", "男", "1975.03", ZHANG.lower(), "市委组织部", "副部长", "二级调研员"]],
    )
    out = import_rows(read_path(f), on_duplicate=mode, today=TODAY)
    assert out.plan.rows[0].action == action
    assert out.plan.rows[0].match == "身份证号"
    assert out.imported is ok
    after = roster.get_cadre(c.id)
    assert after.rank == rank_after
    assert after.phone == "13909430001"  # a column the sheet lacks is kept
    if mode == "update":
        changed = {h.field for h in history("cadre", c.id) if h.action == "修改"}
        assert changed == {"rank", "post_title"}
    if mode == "stop":
        assert "已按“遇到已有人员即停止”处理" in out.plan.rows[0].issues[0].message


def test_rows_without_id_match_on_name_and_birth_month(tmp_path, units):
    c = roster.save_cadre(
        roster.CadreInput(name="张三", id_card=ZHANG, unit_id=units["org"]), today=TODAY
    )
    wb = Workbook()
    wb.active.append(["姓名", "出生年月", "现任职务"])
    wb.active.append(["张三", "1975.3", "副部长"])
    wb.save(tmp_path / "noid.xlsx")
    out = import_rows(read_path(tmp_path / "noid.xlsx"), today=TODAY)
    assert out.imported
    assert out.plan.rows[0].match == "姓名+出生年月"
    assert roster.get_cadre(c.id).post_title == "副部长"


def test_ambiguous_unit_names_ask_for_the_path(tmp_path, units):
    Unit.create(name="办公室", parent=units["party"])
    Unit.create(name="办公室", parent=units["county"])
    f = sheet(tmp_path / "u.xlsx", [[1, "张三", "男", "1975.03", ZHANG, "办公室", "", ""]])
    plan = plan_import(read_path(f), today=TODAY)
    assert "名为“办公室”的单位有 2 个，请写出完整路径" in plan.rows[0].issues[0].message
    f2 = sheet(
        tmp_path / "u2.xlsx", [[1, "张三", "男", "1975.03", ZHANG, "白银市/靖远县/办公室", "", ""]]
    )
    out = import_rows(read_path(f2), today=TODAY)
    assert out.imported
    assert Unit.get_by_id(roster.get_cadre(out.cadre_ids[0]).unit_id).parent_id == units["county"]


def test_dry_run_and_cancel_write_nothing(tmp_path, database):
    rows = [
        [i, f"张{'一二三四五六七八九十'[i]}", "男", "1975.03", _id(i), "市委组织部", "", ""]
        for i in range(10)
    ]
    f = sheet(tmp_path / "a.xlsx", rows)
    out = import_rows(read_path(f), dry_run=True, today=TODAY)
    assert out.plan.ok
    assert not out.imported
    assert Cadre.select().count() == 0
    with pytest.raises(Cancelled, match="已取消导入"):
        import_rows(read_path(f), today=TODAY, cancelled=lambda: True)
    assert Cadre.select().count() == 0
    assert Unit.select().count() == 0


def _id(i: int) -> str:
    from models.roster.idcard import check_char

    first17 = f"62042119750312{i:02d}1"
    return first17 + check_char(first17)


def test_empty_file_is_an_error(tmp_path, database):
    wb = Workbook()
    wb.save(tmp_path / "empty.xlsx")
    plan = plan_import(read_path(tmp_path / "empty.xlsx"), today=TODAY)
    assert not plan.ok
    assert plan.error_count >= 1
    assert Cadre.select().count() == 0


def _export(path: Path) -> list[tuple]:
    ids = roster.query_ids(roster.RosterFilter(status=""))
    export_roster_xlsx(roster.iter_cadres(ids), path, total=len(ids))
    return list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))[1:]


def test_roster_round_trip_through_xlsx(tmp_path):
    build_demo(tmp_path / "demo.db", cadres=120, seed=5, today=TODAY)
    open_database(tmp_path / "demo.db")
    first = _export(tmp_path / "one.xlsx")
    close_database()
    open_database(tmp_path / "empty.db")
    try:
        out = import_rows(read_path(tmp_path / "one.xlsx"))
        assert out.imported, out.plan.lines()[:5]
        assert _export(tmp_path / "two.xlsx") == first
    finally:
        close_database()


def test_lrmx_round_trip_keeps_family_photo_and_unknown_tags(tmp_path, units):
    from models.roster.intake import FamilyRow, parse_lrmx

    record = {
        "name": "张三",
        "sex": "男",
        "birth_date": dt.date(1975, 3, 1),
        "id_card": ZHANG,
        "ethnicity": "汉族",
        "native_place": "甘肃靖远",
        "political_status": "中共党员",
        "party_date": dt.date(1998, 7, 1),
        "work_start_date": dt.date(1997, 7, 1),
        "post_title": "靖远县委组织部部长",
        "resume": "1993.09--1997.07 兰州大学法学专业学习\n1997.07--2026.11 靖远县工作",
        "rewards": "2020年度考核优秀",
        "photo": b"\x89PNG\r\n\x1a\n fake",  # PNG magic: a photo the import keeps
        "family": [
            FamilyRow("妻子", "王芳", dt.date(1977, 5, 1), "中共党员", "靖远县第一中学教师")
        ],
        "extra": {"DaoLingNianYue": "203503"},
    }
    (tmp_path / "张三.lrmx").write_bytes(write_lrmx(record))
    no_unit = import_rows(read_path(tmp_path / "张三.lrmx"), today=TODAY)
    assert not no_unit.imported
    assert "【单位】必填" in no_unit.plan.lines()[1]
    out = import_rows(read_path(tmp_path / "张三.lrmx"), default_unit="市委组织部", today=TODAY)
    assert out.imported, out.plan.lines()
    cid = out.cadre_ids[0]
    assert FamilyMember.get(FamilyMember.cadre == cid).name == "王芳"
    again = parse_lrmx(write_lrmx(lrmx_record(cid)), "again.lrmx")
    first = parse_lrmx((tmp_path / "张三.lrmx").read_bytes(), "张三.lrmx")
    assert again.values == first.values


def test_error_list_is_saved_as_a_sheet(tmp_path, database):
    from reports.roster.import_errors_xlsx import export_import_errors

    f = sheet(
        tmp_path / "bad.xlsx",
        [
            [1, "张三", "男", "1975.03", ZHANG[:17] + "9", "市委组织部", "", "处长"],
        ],
    )
    plan = plan_import(read_path(f), today=TODAY)
    n = export_import_errors(plan, tmp_path / "errors.xlsx")
    rows = list(load_workbook(tmp_path / "errors.xlsx").active.iter_rows(values_only=True))
    assert rows[1] == ("文件", "行", "列", "字段", "原值", "问题", "类别")
    assert n == len(rows) - 2 == 2
    assert rows[2][:5] == ("bad.xlsx", 3, "E（公民身份号码）", "身份证号", ZHANG[:17] + "9")
    assert "校验位" in rows[2][5]
    assert rows[3][3:5] == ("职级", "处长")


def test_lrmx_files_for_a_selection_never_overwrite_and_roll_back(tmp_path, units):
    from models.roster.importing import write_lrmx_files

    a = roster.save_cadre(
        roster.CadreInput(name="张三", id_card=ZHANG, unit_id=units["org"]), today=TODAY
    )
    b = roster.save_cadre(
        roster.CadreInput(name="张三", id_card=LI, unit_id=units["town"], sex="女"),
        accept_warnings=True,
        today=TODAY,
    )
    (tmp_path / "张三.lrmx").write_text("someone else's file", encoding="utf-8")
    paths = write_lrmx_files([a.id, b.id], tmp_path)
    assert [p.name for p in paths] == ["张三（2）.lrmx", "张三（3）.lrmx"]
    assert (tmp_path / "张三.lrmx").read_text(encoding="utf-8") == "someone else's file"
    calls = iter([False, True])
    with pytest.raises(Cancelled, match="已取消导入"):
        write_lrmx_files([a.id, b.id], tmp_path, cancelled=lambda: next(calls))
    assert sorted(p.name for p in tmp_path.glob("*.lrmx")) == [
        "张三.lrmx",
        "张三（2）.lrmx",
        "张三（3）.lrmx",
    ]


def test_lrmx_update_logs_rewards_family_and_new_units(tmp_path, database):
    from models.roster.intake import FamilyRow

    record = {
        "name": "张三",
        "sex": "男",
        "birth_date": dt.date(1975, 3, 1),
        "id_card": ZHANG,
        "rewards": "2020年度考核优秀",
        "family": [FamilyRow("妻子", "王芳", dt.date(1977, 5, 1), "中共党员", "教师")],
    }
    (tmp_path / "a.lrmx").write_bytes(write_lrmx(record))
    first = import_rows(
        read_path(tmp_path / "a.lrmx"), default_unit="靖远县委组织部", user="小王", today=TODAY
    )
    assert first.imported
    unit_log = history("unit", Unit.get(Unit.name == "靖远县委组织部").id)
    assert [(h.action, h.new_value, h.user) for h in unit_log] == [
        ("新增", "靖远县委组织部", "小王")
    ]
    record["rewards"] = "2020年度考核优秀；2024年嘉奖"
    record["family"] = [*record["family"], FamilyRow("儿子", "张小明", dt.date(2005, 1, 1))]
    (tmp_path / "a.lrmx").write_bytes(write_lrmx(record))
    assert import_rows(read_path(tmp_path / "a.lrmx"), user="小李", today=TODAY).imported
    log = {h.field: h for h in history("cadre", first.cadre_ids[0]) if h.action == "修改"}
    assert (log["rewards"].old_value, log["rewards"].new_value) == (
        "2020年度考核优秀",
        "2020年度考核优秀；2024年嘉奖",
    )
    assert log["family"].new_value == "妻子王芳、儿子张小明"
    assert log["rewards"].user == "小李"
