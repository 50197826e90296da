"""``unit-plan`` and ``unit-grade`` as a 考评办 clerk runs them: the task breakdown imported
(a bad file refused with the cell named, exit 1), the year graded and approved with the
ranking printed; the printed forms (任务分解表, 自查表, 结果汇总表) written by ``print``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import main
from models.core.db import close_database
from models.evaluation import (
    TASK_HEADERS,
    TaskInput,
    list_results,
    list_tasks,
    save_task,
    set_scores,
    set_team,
    submit_check,
)
from models.schema import open_database
from tests.fixtures.sheets import book
from tests.reports.conftest import pdf_text, squeeze


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
    # a new year counts the 领导班子 (20 %): refused until its items and votes are in
    assert main.main(["unit-grade", "--db", db, "--year", "2025"]) == 1
    assert "市委组织部（领导班子评分或民主测评）" in capsys.readouterr().err
    open_database(db)
    try:
        items = dict.fromkeys(("sxzz", "ldsp", "gzsj", "zdrw", "fflz"), Decimal(90))
        set_team(2025, units["org"], items, {"staff": {"好": 10}}, user="考评办")
    finally:
        close_database()
    assert main.main(["unit-grade", "--db", db, "--year", "2025", "--approve"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "2025 年度单位考评：1 个单位"
    # 工作实绩 92×0.4 + 95×0.6 = 93.8; 班子 90×0.7 + 100×0.3 = 93; 93.8×0.8 + 93×0.2 = 93.64
    assert out[2] == "1\t市委组织部\t93.64\t好"
    assert out[-1] == "已审定"
    open_database(db)
    try:
        assert [r.grade for r in list_results(2025)] == ["好"]
    finally:
        close_database()
    assert main.main(["unit-grade", "--db", db, "--year", "2025"]) == 1
    assert "已于" in capsys.readouterr().err


def test_the_printed_forms_from_the_command_line(units, db_path, tmp_path, capsys) -> None:
    """``print eval-tasks``, ``print self-check`` and ``print eval-results`` as the 考评办
    runs them: each writes its PDF and says what it holds; an unknown unit is named in the
    refusal (exit 1), a unit without tasks too, and a file that is not a .pdf is refused."""
    save_task(TaskInput(2025, "乡村振兴示范村建设", units["town"], weight=Decimal(60)),
              user="考评办")  # fmt: skip
    task = save_task(TaskInput(2025, "干部教育培训全覆盖", units["org"], category="共性",
                               weight=Decimal(40)), user="考评办")  # fmt: skip
    submit_check(task.id, 1, "已培训 300 人次", Decimal(90), today=dt.date(2025, 4, 5),
                 user="组织部")  # fmt: skip
    set_scores(2025, units["org"], common=Decimal(92), own=Decimal(95), user="考评办")
    db = str(db_path)
    close_database()

    def run(*args: str) -> int:
        return main.main(["print", *args[:1], "--db", db, "--year", "2025", *args[1:]])

    tasks, check, results = tmp_path / "任务.pdf", tmp_path / "自查.pdf", tmp_path / "结果.pdf"
    assert run("eval-tasks", "-o", str(tasks)) == 0
    assert capsys.readouterr().out.strip() == f"已生成 {tasks}：2 项任务，1 页"
    flat = squeeze(pdf_text(tasks))
    assert "2025年度工作任务分解表" in flat
    assert flat.index("市委组织部牵头任务1项") < flat.index("乌兰镇牵头任务1项")

    assert run("self-check", "--unit", "市委组织部", "--quarter", "1", "-o", str(check)) == 0
    assert capsys.readouterr().out.strip() == f"已生成“市委组织部”的自查表 {check}：1 项任务，1 页"
    flat = squeeze(pdf_text(check))
    assert flat.startswith("2025年第一季度工作任务自查表填报单位：市委组织部")
    assert "已培训300人次" in flat
    assert "按时报送" in flat

    assert run("eval-results", "-o", str(results)) == 0
    assert capsys.readouterr().out.strip() == f"已生成 {results}：2 个单位，1 页"
    assert squeeze(pdf_text(results)).startswith("2025年度单位考评结果汇总表（未审定）")

    assert run("self-check", "--unit", "市不存在局", "-o", str(check)) == 1
    assert capsys.readouterr().err.strip() == "错误：找不到单位“市不存在局”"
    assert run("self-check", "--unit", "靖远县", "-o", str(check)) == 1
    err = capsys.readouterr().err
    assert "“靖远县”在 2025 年度没有牵头的工作任务，无法打印自查表" in err
    assert run("eval-tasks", "-o", str(tmp_path / "任务.txt")) == 1
    assert "输出文件应以 .pdf 结尾" in capsys.readouterr().err
    assert not (tmp_path / "任务.txt").exists()
