"""Score template export and import (all or nothing, problems by row and column)."""

from __future__ import annotations

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
from models.core.errors import DomainError
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
