"""Issue #11: 任免审批表 files through the database. The unit is found from 现任职务 (or asked
for), hostile photos are dropped, dates keep their day, and export-lrmx writes 年度考核结果
from the stored grades, 计算年龄时间 and 填表时间. Every file is generated here."""

from __future__ import annotations

import base64
import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import main
from models.assessment.results import annual_results_text, format_annual_results
from models.assessment.tables import (
    KIND_ANNUAL,
    KIND_QUARTERLY,
    STATUS_APPROVED,
    STATUS_ENTRY,
    AssessmentRound,
    GradeResult,
    PoolApproval,
)
from models.roster import service as roster
from models.roster.idcard import check_char
from models.roster.importing import import_rows, lrmx_document, plan_import, write_lrmx_files
from models.roster.intake import read_path, write_lrmx
from models.roster.intake.lrmx import TEMPLATE_ORDER
from models.roster.tables import Cadre, Unit

TODAY = dt.date(2026, 3, 1)
ZHANG = "620421197503120014"
LI = "620402198805200023"
YOUNG = "620421200410240038"  # born 2004-10-24
ASK = "请选择默认单位（命令行用 --unit 指定）"
JPEG = b"\xff\xd8\xff\xe0" + b"\x01" * 64


def lrmx_file(folder: Path, name: str, post: str, number: str, **more: object) -> Path:
    record: dict[str, object] = {
        "name": name,
        "sex": "男",
        "birth_date": dt.date(1975, 3, 1),
        "id_card": number,
        "post_title": post,
        **more,
    }
    path = folder / f"{name}.lrmx"
    path.write_bytes(write_lrmx(record))
    return path


# --- 单位 from 现任职务 ------------------------------------------------------------------------


def test_the_unit_named_by_the_post_is_taken(tmp_path, units):
    f = lrmx_file(tmp_path, "张三", "市委组织部干部科科长", ZHANG)
    out = import_rows(read_path(f), today=TODAY)
    assert out.imported, out.plan.lines()
    cadre = roster.get_cadre(out.cadre_ids[0])
    assert cadre.unit_id == units["org"]
    assert out.plan.rows[0].preview["单位"] == "白银市/市委/市委组织部"
    assert out.plan.lines()[1:] == [
        "提示：“张三.lrmx” XianRenZhiWu（现任职务）【单位】"
        "按现任职务“市委组织部干部科科长”归入“白银市/市委/市委组织部”"
    ]
    assert Unit.select().count() == 5  # no unit created


def test_two_units_that_fit_equally_are_asked_for(tmp_path, units):
    Unit.create(name="办公室", parent=units["party"], sort_order=5)
    Unit.create(name="办公室", parent=units["county"], sort_order=6)
    f = lrmx_file(tmp_path, "张三", "办公室主任", ZHANG)
    out = import_rows(read_path(f), today=TODAY)
    assert not out.imported
    assert out.plan.lines()[1:] == [
        "错误：“张三.lrmx” XianRenZhiWu（现任职务）【单位】必填：现任职务“办公室主任”可对应2个单位"
        f"（白银市/市委/办公室、白银市/靖远县/办公室），无法确定，{ASK}"
    ]
    assert Cadre.select().count() == 0
    assert Unit.select().count() == 7


def test_no_unit_found_is_an_error_naming_the_post(tmp_path, units):
    f = lrmx_file(tmp_path, "张三", "靖远县委组织部部长", ZHANG)
    plan = plan_import(read_path(f), today=TODAY)
    assert not plan.ok
    [issue] = plan.issues
    assert (issue.column, issue.header, issue.label, issue.value) == (
        "XianRenZhiWu",
        "现任职务",
        "单位",
        "靖远县委组织部部长",
    )
    assert issue.message == f"必填：无法从现任职务“靖远县委组织部部长”找到对应的单位，{ASK}"
    assert Cadre.select().count() == 0


def test_the_chosen_unit_overrides_the_post(tmp_path, units):
    folder = tmp_path / "files"
    folder.mkdir()
    lrmx_file(folder, "张三", "市委组织部部长", ZHANG)
    lrmx_file(folder, "李四", "兰州市某局局长", LI, sex="女", birth_date=dt.date(1988, 5, 1))
    out = import_rows(read_path(folder), default_unit="乌兰镇", today=TODAY)
    assert out.imported, out.plan.lines()
    assert out.plan.lines() == ["新增 2，更新 0，跳过 0，错误 0"]
    assert {roster.get_cadre(c).unit_id for c in out.cadre_ids} == {units["town"]}


def test_an_existing_cadre_keeps_its_unit(tmp_path, units):
    roster.save_cadre(
        roster.CadreInput(name="张三", id_card=ZHANG, unit_id=units["town"]), today=TODAY
    )
    f = lrmx_file(tmp_path, "张三", "市委组织部部长", ZHANG)
    out = import_rows(read_path(f), today=TODAY)
    assert out.imported, out.plan.lines()
    assert [r.action for r in out.plan.rows] == ["更新"]
    assert roster.get_cadre(out.cadre_ids[0]).unit_id == units["town"]


def test_unit_tree_is_read_once_for_many_files(tmp_path, units, monkeypatch):
    from models.roster import import_plan

    folder = tmp_path / "files"
    folder.mkdir()
    for n, name in enumerate("甲乙丙丁戊"):
        number = f"62042119750312{n:03d}"
        lrmx_file(folder, f"张{name}", "乌兰镇党委书记", number + check_char(number))
    built = []
    real = import_plan.PostUnitIndex

    def counting(paths):
        built.append(1)
        return real(paths)

    monkeypatch.setattr(import_plan, "PostUnitIndex", counting)
    plan = plan_import(read_path(folder), today=TODAY)
    assert plan.ok, plan.lines()
    assert plan.count("新增") == 5
    assert len(built) == 1


# --- photo and dates through the import ---------------------------------------------------


def test_a_hostile_photo_is_not_stored_but_the_person_is(tmp_path, units):
    f = tmp_path / "张三.lrmx"
    f.write_text(
        "<Person><XingMing>张三</XingMing><XingBie>男</XingBie>"
        f"<ChuShengNianYue>2004.10.24</ChuShengNianYue><ShenFenZheng>{YOUNG}</ShenFenZheng>"
        "<XianRenZhiWu>乌兰镇科员</XianRenZhiWu>"
        f"<ZhaoPian>{base64.b64encode(b'MZ' + bytes(200)).decode()}</ZhaoPian></Person>",
        encoding="utf-8",
    )
    out = import_rows(read_path(f), today=TODAY)
    assert out.imported, out.plan.lines()
    row = Cadre.get_by_id(out.cadre_ids[0])
    assert row.photo is None
    assert row.birth_date == dt.date(2004, 10, 24)
    assert (
        "提示：“张三.lrmx” ZhaoPian【照片】照片不是 JPEG/PNG/BMP 图片，已忽略" in out.plan.lines()
    )


def test_a_good_photo_is_stored(tmp_path, units):
    f = lrmx_file(tmp_path, "张三", "乌兰镇镇长", ZHANG, photo=JPEG, political_status="中共党员")
    out = import_rows(read_path(f), today=TODAY)
    assert out.imported, out.plan.lines()
    row = Cadre.get_by_id(out.cadre_ids[0])
    assert bytes(row.photo) == JPEG
    assert row.political_status == "中共党员"


# --- export ---------------------------------------------------------------------------------


def _round(year: int, status: str, graded: str, kind: str = KIND_ANNUAL) -> AssessmentRound:
    return AssessmentRound.create(
        year=year,
        kind=kind,
        quarter=4 if kind == KIND_QUARTERLY else None,
        name=f"{year}年度考核",
        rules_json="{}",
        status=status,
        graded_at=dt.datetime.fromisoformat(graded),
    )


def _grades(cid: int) -> None:
    rounds = [
        (_round(2022, STATUS_APPROVED, "2022-12-20"), "优秀"),  # older than three years
        (_round(2023, STATUS_APPROVED, "2023-12-20"), "称职"),
        (_round(2024, STATUS_APPROVED, "2024-12-20"), "优秀"),  # approved wins ...
        (_round(2024, STATUS_ENTRY, "2025-01-10"), "称职"),  # ... over a later draft
        (_round(2025, STATUS_ENTRY, "2026-01-05"), "称职"),  # the person's pool approved
        (_round(2025, STATUS_ENTRY, "2026-01-20"), "基本称职"),  # a later draft: no result
        (_round(2025, STATUS_APPROVED, "2025-12-30", KIND_QUARTERLY), "好"),  # not annual
        (_round(2026, STATUS_ENTRY, "2026-02-01"), ""),  # not graded yet
    ]
    for rnd, grade in rounds:
        GradeResult.create(round=rnd, cadre=cid, final_grade=grade, pool_key="市委组织部")
    # 2025: the round is still being entered, but this person's 考核范围 is approved
    PoolApproval.create(round=rounds[4][0], pool_key="市委组织部", label="市委组织部")


def test_format_of_the_annual_results() -> None:
    assert format_annual_results({2025: "称职", 2023: "称职", 2024: "优秀"}) == (
        "2023年度考核称职；2024年度考核优秀；2025年度考核称职。"
    )
    assert format_annual_results({2024: "不定等次"}) == "2024年度考核不定等次。"
    assert format_annual_results({}) == ""


def test_annual_results_from_stored_grades(units):
    a = roster.save_cadre(
        roster.CadreInput(name="张三", id_card=ZHANG, unit_id=units["org"]), today=TODAY
    )
    b = roster.save_cadre(
        roster.CadreInput(name="李四", id_card=LI, unit_id=units["org"], sex="女"), today=TODAY
    )
    _grades(a.id)
    texts = annual_results_text([a.id, b.id], today=TODAY)
    assert texts == {a.id: "2023年度考核称职；2024年度考核优秀；2025年度考核称职。"}


def test_export_lrmx_fills_the_form(tmp_path, units):
    f = lrmx_file(
        tmp_path,
        "张三",
        "市委组织部部长",
        ZHANG,
        annual_results="2021年度考核优秀",
        extra={"TianBiaoShiJian": "20200105", "JiSuanNianLingShiJian": "20200101"},
    )
    cid = import_rows(read_path(f), today=TODAY).cadre_ids[0]
    _grades(cid)
    name, data = lrmx_document(cid, annual_results=annual_results_text, today=TODAY)
    assert name == "张三"
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(data)
    assert [e.tag for e in root] == list(TEMPLATE_ORDER)
    assert root.findtext("NianDuKaoHeJieGuo") == (
        "2023年度考核称职；2024年度考核优秀；2025年度考核称职。"
    )
    assert root.findtext("JiSuanNianLingShiJian") == "20260301"
    assert root.findtext("TianBiaoShiJian") == "20260301"
    # without stored grades the text kept from the file stays
    _name, plain = lrmx_document(cid, today=TODAY)
    assert ET.fromstring(plain).findtext("NianDuKaoHeJieGuo") == "2021年度考核优秀"


def test_export_of_a_folder_uses_the_grades(tmp_path, units):
    a = roster.save_cadre(
        roster.CadreInput(name="张三", id_card=ZHANG, unit_id=units["org"]), today=TODAY
    )
    _grades(a.id)
    calls: list[list[int]] = []

    def texts(ids):
        calls.append(list(ids))
        return annual_results_text(ids, today=TODAY)

    [path] = write_lrmx_files([a.id], tmp_path, annual_results=texts, today=TODAY)
    root = ET.fromstring(path.read_bytes())
    assert root.findtext("NianDuKaoHeJieGuo").startswith("2023年度考核称职")
    assert root.findtext("TianBiaoShiJian") == "20260301"
    assert calls == [[a.id]]  # one query for the whole selection


def test_cli_export_lrmx_writes_grades_and_dates(tmp_path, units, request, capsys):
    a = roster.save_cadre(
        roster.CadreInput(name="张三", id_card=ZHANG, unit_id=units["org"]), today=TODAY
    )
    GradeResult.create(
        round=_round(dt.date.today().year - 1, STATUS_APPROVED, "2025-12-20"),
        cadre=a.id,
        final_grade="优秀",
    )
    out = tmp_path / "张三.lrmx"
    db_args = request.getfixturevalue("cli_db_args")  # after the data: then accounts exist
    code = main.main(["export-lrmx", *db_args, "--id-card", ZHANG, "-o", str(out)])
    assert code == 0, capsys.readouterr()
    root = ET.fromstring(out.read_bytes())
    year = dt.date.today().year - 1
    assert root.findtext("NianDuKaoHeJieGuo") == f"{year}年度考核优秀。"
    assert root.findtext("TianBiaoShiJian") == dt.date.today().strftime("%Y%m%d")
    assert root.findtext("JiSuanNianLingShiJian") == dt.date.today().strftime("%Y%m%d")


def test_a_draft_grade_is_not_a_result_until_approved(units):
    from models.assessment.results import short_results

    a = roster.save_cadre(
        roster.CadreInput(name="张三", id_card=ZHANG, unit_id=units["org"]), today=TODAY
    )
    rnd = _round(2025, STATUS_ENTRY, "2026-01-05")
    GradeResult.create(round=rnd, cadre=a.id, final_grade="基本称职", pool_key="市委组织部")
    assert annual_results_text([a.id], today=TODAY) == {}
    assert short_results([a.id], today=TODAY) == {}
    PoolApproval.create(round=rnd, pool_key="市委组织部", label="市委组织部")
    assert annual_results_text([a.id], today=TODAY) == {a.id: "2025年度考核基本称职。"}
    assert short_results([a.id], today=TODAY) == {a.id: "2025 基本称职"}
