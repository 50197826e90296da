"""``unit-plan`` and ``unit-grade`` as a 考评办 clerk runs them: the task breakdown imported
(a bad file refused with the cell named, exit 1), the year graded and approved with the
ranking printed."""

from __future__ import annotations

from decimal import Decimal

import main
from models.core.db import close_database
from models.evaluation import TASK_HEADERS, list_results, list_tasks, set_scores
from models.schema import open_database
from tests.fixtures.sheets import book


def test_import_grade_and_approve_from_the_command_line(units, db_path, tmp_path, capsys):
    row = ["干部教育培训全覆盖", "共性", "", "", 20, "2025-12-31", "市委组织部", "", "张科长"]
    good = book(tmp_path / "任务分解表.xlsx", list(TASK_HEADERS), [row])
    bad = book(tmp_path / "坏表.xlsx", list(TASK_HEADERS), [[*row[:4], "二十", *row[5:]]])
    db = str(db_path)
    close_database()
    assert main.main(["unit-plan", "--db", db, "--year", "2025", str(bad)]) == 1
    assert "“坏表.xlsx”第2行E列【分值】：“二十”不是数字" in capsys.readouterr().err
    assert main.main(["unit-plan", "--db", db, "--year", "2025", str(good)]) == 0
    assert capsys.readouterr().out.strip() == "已导入 2025 年度工作任务 1 项"
    open_database(db)
    try:
        assert [t.title for t in list_tasks(2025)] == ["干部教育培训全覆盖"]
        set_scores(2025, units["org"], common=Decimal(92), own=Decimal(95), user="考评办")
    finally:
        close_database()
    assert main.main(["unit-grade", "--db", db, "--year", "2025", "--approve"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "2025 年度单位考评：1 个单位"
    assert out[2] == "1\t市委组织部\t93.80\t好"  # 92×0.4 + 95×0.6
    assert out[-1] == "已审定"
    open_database(db)
    try:
        assert [r.grade for r in list_results(2025)] == ["好"]
    finally:
        close_database()
    assert main.main(["unit-grade", "--db", db, "--year", "2025"]) == 1
    assert "已于" in capsys.readouterr().err
