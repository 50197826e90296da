"""Score template export and import (all or nothing, problems by row and column)."""

from __future__ import annotations

import logging
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from models.assessment import (
    add_unit_members,
    create_round,
    export_score_template,
    import_scores,
)
from models.assessment.tables import ItemScore, VoteCount
from models.core.audit import ChangeLog
from models.core.errors import DomainError
from models.roster.tables import Cadre
from tests.models.assessment.fixtures import score_files
from tests.models.assessment.test_service import adb, make_cadre  # noqa: F401


@pytest.fixture
def filled(adb, units, tmp_path: Path):  # noqa: F811
    ids = [make_cadre(n, units["org"], i) for i, n in enumerate(("张三", "李四"), 1)]
    rid = create_round(2025).id
    add_unit_members(rid, units["org"])
    path = tmp_path / "评分表.xlsx"
    assert export_score_template(rid, units["org"], path) == 2
    return rid, ids, path


def test_template_layout(filled):
    _rid, _ids, path = filled
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[2]]
    assert header[:5] == ["序号", "姓名", "身份证号", "单位", "现任职务"]
    assert header[5:10] == [
        "德（满分100）",
        "能（满分100）",
        "勤（满分100）",
        "绩（满分100）",
        "廉（满分100）",
    ]
    assert header[10] == "上级领导/优秀票"
    assert len(header) == 10 + 4 * 4
    assert ws["C3"].value == "620402198001010001"
    assert ws["C3"].number_format == "@"


def test_round_trip(filled):
    rid, ids, path = filled
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for col, v in zip("FGHIJ", (90, 85.5, 88, 92, 95), strict=True):
        ws[f"{col}3"] = v
    ws["K3"] = 8  # 上级领导/优秀票
    ws["L3"] = 2  # 上级领导/称职票
    for col in "FGHIJ":
        ws[f"{col}4"] = "80"
    wb.save(path)
    dry = import_scores(path, rid, dry_run=True)
    assert dry.ok
    assert dry.summary() == "更新 2，错误 0"
    assert ItemScore.select().count() == 0
    res = import_scores(path, rid)
    assert res.summary() == "更新 2，错误 0"
    stored = {(s.cadre_id, s.item_code): Decimal(s.score) for s in ItemScore.select()}
    assert stored[(ids[0], "neng")] == Decimal("85.5")
    assert stored[(ids[1], "lian")] == Decimal(80)
    assert len(stored) == 10
    votes = {(v.group_code, v.grade_label): v.count for v in VoteCount.select()}
    assert votes == {("superior", "优秀"): 8, ("superior", "称职"): 2}
    # the export now carries the stored scores
    export_score_template(rid, None, path)
    assert openpyxl.load_workbook(path).active["G3"].value == 85.5


def test_bad_rows_rejected_with_row_and_column(filled):
    rid, _ids, path = filled
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for col in "FGHIJ":
        ws[f"{col}3"] = 90
    ws["I3"] = 130  # 绩 above its full score
    ws["K4"] = "三"  # not a vote count
    ws["F4"] = 70
    ws.append([3, "王五", "620402198001019999", "市委组织部", "", 80])
    wb.save(path)
    res = import_scores(path, rid)
    assert not res.imported
    assert res.summary() == "更新 0，错误 3"
    texts = [i.text() for i in res.issues]
    assert "第3行I列（绩（满分100））【张三的“绩”得分】130 超出 0–100" in texts[0]
    assert "第4行K列" in texts[1]
    assert "“三”不是不小于 0 的整数" in texts[1]
    assert "第5行C列" in texts[2]
    assert "不在“2025年度考核”考核人员中" in texts[2]
    assert ItemScore.select().count() == 0  # all or nothing


def test_not_a_workbook(adb, tmp_path: Path):  # noqa: F811
    rid = create_round(2025).id
    bad = tmp_path / "x.xlsx"
    bad.write_text("姓名,身份证号\n", encoding="utf-8")
    with pytest.raises(
        DomainError, match="“x.xlsx”的内容是文本.*不是Excel工作簿.*请用本系统导出的评分表填写"
    ):
        import_scores(bad, rid)


# ------------------------------------------------ files units really send back (issue #11)


def hostile(filled, kind: str) -> Path:
    _rid, _ids, path = filled
    dest = path.with_name(f"{kind}.xlsx")
    score_files.BUILDERS[kind](path, dest)
    return dest


@pytest.fixture
def before(filled) -> tuple[int, int, int]:
    """What is stored before the import: no scores, no votes, the round's change log."""
    return stored()


def stored() -> tuple[int, int, int]:
    return ItemScore.select().count(), VoteCount.select().count(), ChangeLog.select().count()


def texts(res) -> list[str]:  # noqa: ANN001
    return [f.text() for f in res.file_issues] + [i.text() for i in res.issues]


def test_the_filled_template_imports(filled):
    rid, ids, _path = filled
    f = score_files.fill(filled[2], filled[2])
    assert f is not None
    res = import_scores(filled[2], rid)
    assert texts(res) == []
    assert res.summary() == "更新 2，错误 0"
    assert ItemScore.get(cadre=ids[1], item_code="neng").score == "85.5"


def test_name_and_id_card_must_name_the_same_person(filled):
    rid = filled[0]
    before = stored()
    res = import_scores(hostile(filled, "姓名与身份证号不符"), rid)
    assert not res.imported
    assert res.summary() == "更新 0，错误 1"
    assert texts(res) == [
        "错误：“姓名与身份证号不符.xlsx”第3行B列【姓名】姓名“王五”与C列身份证号 "
        "620402198001010001 不符（该身份证号是“张三”的）；请核对"
    ]
    assert stored() == before


def test_an_empty_name_beside_an_id_card_is_an_error_and_spaces_in_names_are_not(filled, before):
    rid, _ids, path = filled
    score_files.fill(path, path)
    wb = openpyxl.load_workbook(path)
    wb.active["B3"] = None
    wb.active["B4"] = "李　四"  # lined up with a full-width space
    wb.save(path)
    res = import_scores(path, rid)
    assert texts(res) == [
        "错误：“评分表.xlsx”第3行B列【姓名】姓名为空；C列身份证号 620402198001010001 "
        "是“张三”的，请填写姓名"
    ]
    assert stored() == before


def test_a_deleted_item_column_is_named_with_its_letter(filled, before):
    res = import_scores(hostile(filled, "删除了项目列"), filled[0])
    assert not res.imported
    assert texts(res) == [
        "错误：“删除了项目列.xlsx”缺少“绩（满分100）”列（本系统导出的评分表中是I列）；"
        "评分表的表头不能修改，列不能增删；请重新导出评分表，填好得分后再导入"
    ]
    assert stored() == before


def test_an_edited_header_is_named_with_the_header_expected(filled, before):
    res = import_scores(hostile(filled, "改了表头"), filled[0])
    assert texts(res) == [
        "错误：“改了表头.xlsx”第2行F列（德行）【表头】表头应为“德（满分100）”；"
        "评分表的表头不能修改，列不能增删；请重新导出评分表，填好得分后再导入"
    ]
    res = import_scores(hostile(filled, "改了满分"), filled[0])
    assert texts(res) == [
        "错误：“改了满分.xlsx”第2行F列（德（满分90））【表头】表头应为“德（满分100）”"
        "（满分以本轮考核方案为准）；评分表的表头不能修改，列不能增删；"
        "请重新导出评分表，填好得分后再导入"
    ]
    assert stored() == before


def test_an_added_column_is_an_error_with_or_without_a_header(filled, before):
    res = import_scores(hostile(filled, "多了一列"), filled[0])
    assert texts(res) == [
        "错误：“多了一列.xlsx”第2行AA列（备注）【表头】“备注”不是本轮评分表中的列；"
        "评分表的表头不能修改，列不能增删；请重新导出评分表，填好得分后再导入"
    ]
    res = import_scores(hostile(filled, "无表头的列"), filled[0])
    assert texts(res) == [
        "错误：“无表头的列.xlsx”第2行AA列【表头】这一列没有表头，却填有内容（如第4行）；"
        "评分表的表头不能修改，列不能增删；请重新导出评分表，填好得分后再导入"
    ]
    assert stored() == before


def test_a_column_twice_is_an_error(filled):
    rid, _ids, path = filled
    wb = score_files.fill(path, path)
    wb.active["AA2"] = "德（满分100）"
    wb.save(path)
    res = import_scores(path, rid)
    assert texts(res) == ["错误：“评分表.xlsx”第2行AA列（德（满分100））【表头】与F列重复"]


def test_header_found_below_a_longer_title_and_on_a_renamed_sheet(filled):
    rid, _ids, path = filled
    res = import_scores(hostile(filled, "工作表改名"), rid)  # behind a 填表说明 sheet
    assert texts(res) == []
    assert res.imported
    assert stored()[0] == 10
    wb = score_files.fill(path, path)
    wb.active.insert_rows(1, 3)  # the header moved to row 5: rows are named as in the file
    wb.active["F7"] = 130
    wb.save(path)
    res = import_scores(path, rid)
    assert [i.text() for i in res.issues] == [
        "错误：“评分表.xlsx”第7行F列（德（满分100））【李四的“德”得分】130 超出 0–100"
    ]


def test_a_header_moved_out_of_reach_or_two_score_sheets_are_refused(filled, before):
    rid = filled[0]
    with pytest.raises(DomainError) as err:
        import_scores(hostile(filled, "表头下移"), rid)
    assert err.value.message == (
        "“表头下移.xlsx”的工作表“评分表”前20行中没有找到评分表的表头"
        "（应有“姓名”“身份证号”和各考核项目列，如“德（满分100）”）；请用本系统导出的评分表填写"
    )
    with pytest.raises(DomainError) as err:
        import_scores(hostile(filled, "两张评分表"), rid)
    assert err.value.message == (
        "“两张评分表.xlsx”中有多张评分表（工作表“评分表”“评分表 Copy”）；"
        "请把得分填在一张表中，删去其余工作表后再导入"
    )
    assert stored() == before


def test_a_sheet_listing_names_is_not_taken_for_a_second_template(filled):
    rid, _ids, path = filled
    wb = score_files.fill(path, path)
    names = wb.create_sheet("名单")
    names.append(["姓名", "身份证号"])
    names.append(["张三", "620402198001010001"])
    wb.save(path)
    assert import_scores(path, rid).imported


def test_excel_errors_and_absurd_values_are_cell_errors_in_chinese(filled, before):
    res = import_scores(hostile(filled, "Excel错误值"), filled[0])
    assert texts(res) == [
        "错误：“Excel错误值.xlsx”第3行F列（德（满分100））【张三的“德”得分】“#REF!”不是数字",
        "错误：“Excel错误值.xlsx”第4行B列【姓名】姓名“#N/A”与C列身份证号 "
        "620402198001010002 不符（该身份证号是“李四”的）；请核对",
    ]
    res = import_scores(hostile(filled, "超大数值"), filled[0])
    assert texts(res) == [
        "错误：“超大数值.xlsx”第3行F列（德（满分100））【张三的“德”得分】“"
        + "9" * 40
        + "…（共5000字）”不是数字",
        "错误：“超大数值.xlsx”第3行K列（上级领导/优秀票）【张三的“上级领导”组优秀票数】"
        "票数 1000000000000000019884624838656 过大，请核对",
        "错误：“超大数值.xlsx”第4行L列（上级领导/称职票）【李四的“上级领导”组称职票数】"
        "“²”不是不小于 0 的整数",
    ]
    assert stored() == before


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (
            "截断的文件",
            "“截断的文件.xlsx”已损坏或不完整（可能没有下载或复制完整），无法打开；请重新获取原文件",
        ),
        (
            "不是工作簿的压缩包",
            "“不是工作簿的压缩包.xlsx”是压缩包，不是Excel工作簿（.xlsx）",
        ),
        (
            "表格XML损坏",
            "“表格XML损坏.xlsx”的工作表“评分表”已损坏；请在Excel或WPS中打开后重新保存",
        ),
        (
            "共享字符串越界",
            "“共享字符串越界.xlsx”的工作表“评分表”已损坏；请在Excel或WPS中打开后重新保存",
        ),
        (
            "数字格里是文字",
            "“数字格里是文字.xlsx”的工作表“评分表”已损坏；请在Excel或WPS中打开后重新保存",
        ),
    ],
)
def test_a_damaged_workbook_is_a_chinese_message_and_the_log_keeps_the_traceback(
    filled, before, kind, message, caplog
):
    rid = filled[0]
    with caplog.at_level(logging.INFO), pytest.raises(DomainError) as err:
        import_scores(hostile(filled, kind), rid)
    assert err.value.message == message
    assert "Traceback" not in err.value.message
    if "已损坏；" in message:  # failed while the rows were read: logged with the traceback
        assert any(r.exc_info for r in caplog.records)
    assert stored() == before


def test_the_sheet_fails_after_the_first_rows(filled, caplog):
    rid, _ids, path = filled
    wb = score_files.fill(path, path)
    for _ in range(30):
        wb.active.append([None] * 5)  # empty rows: the break is past the header scan
    wb.active["B30"] = "x"
    wb.save(path)
    score_files._sheet_cell(path, "B30", '<c r="B30" t="s"><v>99999</v></c>')
    with pytest.raises(DomainError) as err:
        import_scores(path, rid)
    assert err.value.message == (
        "“评分表.xlsx”的工作表“评分表”已损坏，读到第29行附近出错；请在Excel或WPS中打开后重新保存"
    )


def test_people_without_id_card_are_found_by_name(adb, units, tmp_path: Path):  # noqa: F811
    """Cadres stored without 身份证号 (缺身份证号) are told apart by 姓名 in a returned template;
    they are not all folded onto one empty number."""
    ids = [make_cadre(n, units["org"], i) for i, n in enumerate(("王五", "赵六"), 1)]
    Cadre.update(id_card=None).execute()
    rid = create_round(2025).id
    add_unit_members(rid, units["org"])
    path = tmp_path / "评分表.xlsx"
    assert export_score_template(rid, units["org"], path) == 2
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert [ws["B3"].value, ws["C3"].value, ws["B4"].value, ws["C4"].value] == [
        "王五",
        None,
        "赵六",
        None,
    ]
    for col in "FGHIJ":
        ws[f"{col}3"] = 90
        ws[f"{col}4"] = 80
    wb.save(path)
    res = import_scores(path, rid)
    assert res.summary() == "更新 2，错误 0", texts(res)
    stored = {(s.cadre_id, s.item_code): Decimal(s.score) for s in ItemScore.select()}
    assert stored[(ids[0], "de")] == Decimal(90)
    assert stored[(ids[1], "de")] == Decimal(80)
