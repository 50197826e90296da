"""The demo round: every rule visible, nobody 优秀 beyond the quota or while barred."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from models.assessment.results import (
    format_grade_report,
    grade_command,
    person_sheet,
    round_overview,
)
from models.assessment.tables import GradeResult
from models.core.db import close_database
from models.demo import add_demo_assessment, build_demo
from models.roster.tables import Cadre
from models.schema import open_database
from reports.assessment.overview_xlsx import write_overview_xlsx


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, cadres=300, today=dt.date(2026, 3, 1), parts=("training",))
    open_database(path)
    info = add_demo_assessment(2025)
    yield info
    close_database()


def _result(round_id: int, name: str) -> GradeResult:
    cid = Cadre.get(Cadre.name == name).id
    return GradeResult.get((GradeResult.round == round_id) & (GradeResult.cadre == cid))


def test_no_excellent_beyond_quota_or_while_barred(demo):
    ov = round_overview(demo.round_id)
    assert sum(p.people for p in ov.pools) == demo.people
    for pool in ov.pools:
        # the quota per pool, checked by hand: round-half-up of 20 % with at least one
        n = pool.people
        expected = max(1, int(n * 0.2 + 0.5))
        assert pool.quota == expected, pool.unit
        assert pool.excellent <= pool.quota, pool.unit
    for r in GradeResult.select().where(GradeResult.round == demo.round_id):
        if "barred_from_excellent" in r.flags.split(","):
            assert r.final_grade != "优秀"


def test_sanction_probation_investigation_and_quarter_effects(demo):
    rid = demo.round_id
    adm = _result(rid, demo.admonished)
    assert adm.final_grade != "优秀"
    assert "受诫勉，本年度不得评为优秀" in adm.explanation
    dem = _result(rid, demo.demerit)
    assert (dem.final_grade, dem.no_grade_category) == ("不定等次", "处分期")
    prob = _result(rid, demo.probationer)
    assert (prob.final_grade, prob.no_grade_category) == ("不定等次", "试用期")
    assert "试用期内，只写评语不定等次" in prob.explanation
    inv = _result(rid, demo.investigated)
    assert inv.final_grade == "不定等次"
    assert "立案审查尚未结案" in inv.explanation
    poor = _result(rid, demo.poor_quarter)
    assert poor.final_grade != "优秀"
    assert "第 3 季度平时考核为较差" in poor.explanation
    sheet = person_sheet(rid, Cadre.get(Cadre.name == demo.probationer).id)
    assert sheet.no_grade_note.startswith("不定等次（试用期）")


def test_tie_at_the_quota_line_is_flagged(demo):
    rid = demo.round_id
    a, b = (_result(rid, n) for n in demo.tie_names)
    assert a.composite == b.composite
    for r in (a, b):
        assert "tie_at_quota_line" in r.flags
        assert "tie_unresolved" in r.flags
        assert r.final_grade == "称职"  # the place stays open for the committee
    pool = next(p for p in round_overview(rid).pools if p.unit == demo.tie_unit)
    assert any("名额线完全并列" in w for w in pool.warnings)
    assert pool.excellent == pool.quota - 1


def test_grade_command_and_overview_xlsx(demo, tmp_path: Path):
    text = grade_command(2025)
    # first what was graded (everybody: nobody waits for scores), then the report read back
    # from the database (per unit: people, quota, counts, warnings, people with warnings,
    # 不参加考核)
    head, text = text.split("\n", 1)
    pools = len(round_overview(demo.round_id).pools)
    assert head == f"已计算 276 人的等次（{pools} 个考核范围）。"
    assert text == format_grade_report(2025)
    assert text.count("【") == len(round_overview(demo.round_id).pools)
    assert f"【{demo.tie_unit}】" in text
    assert "名额线完全并列" in text
    assert "四舍五入为" in text
    ov = round_overview(demo.round_id)
    dest = tmp_path / "overview.xlsx"
    assert write_overview_xlsx(ov, dest) == demo.people
    ws = openpyxl.load_workbook(dest).active
    assert ws["A2"].value == "单位"
    assert ws["Q2"].value == "说明"
    assert ws["E3"].data_type == "s"  # ID numbers stay text
