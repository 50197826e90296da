"""Command-line options that had no test (issue #18): ``export-roster --status``,
``grade --unit``, a successful ``import-scores`` and its ``--dry-run``, ``print approval`` —
each checked on what a user gets: the rows of the sheet, the grades stored, the PDF's text."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from models.demo import build_demo
from tests.test_cli import run


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "demo.db"
    build_demo(path, cadres=120, today=dt.date(2026, 12, 7), parts=("assessment",))
    return path


def _copy(demo: Path, tmp_path: Path) -> Path:
    out = tmp_path / "own.db"
    src, dst = sqlite3.connect(demo), sqlite3.connect(out)
    src.backup(dst)
    src.close()
    dst.close()
    return out


def _statuses(path: Path) -> list[str]:
    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    at = next(k for k, r in enumerate(rows) if r and "状态" in r)
    col = rows[at].index("状态")
    return [r[col] for r in rows[at + 1 :] if r and r[col]]


def test_export_roster_by_status(demo, tmp_path, capsys) -> None:
    con = sqlite3.connect(demo)
    counts = dict(con.execute("SELECT status, COUNT(*) FROM cadre GROUP BY status").fetchall())
    con.close()
    for status, expected in (("在职", counts["在职"]), ("退休", counts.get("退休", 0))):
        out = tmp_path / f"{status}.xlsx"
        code, text, _ = run(capsys, "export-roster", "--db", str(demo), "-o", str(out),
                            "--status", status)  # fmt: skip
        assert code == 0
        assert _statuses(out) == [status] * expected
    out = tmp_path / "全部.xlsx"
    assert (
        run(capsys, "export-roster", "--db", str(demo), "-o", str(out), "--status", "全部")[0] == 0
    )
    assert len(_statuses(out)) == sum(counts.values())


def test_grade_one_unit_stores_only_its_pools(demo, tmp_path, capsys) -> None:
    db = _copy(demo, tmp_path)
    con = sqlite3.connect(db)
    con.execute("DELETE FROM grade_result")
    unit = con.execute(
        "SELECT unit_name FROM round_member GROUP BY unit_name ORDER BY COUNT(*) DESC LIMIT 1"
    ).fetchone()[0]
    con.commit()
    con.close()
    code, out, _ = run(capsys, "grade", "--db", str(db), "--year", "2025", "--unit", unit)
    assert code == 0
    assert unit in out
    con = sqlite3.connect(db)
    stored = con.execute(
        "SELECT DISTINCT m.unit_name FROM grade_result g JOIN round_member m"
        " ON m.cadre_id = g.cadre_id AND m.round_id = g.round_id"
    ).fetchall()
    con.close()
    assert stored == [(unit,)]


def test_import_scores_dry_run_then_for_real(demo, tmp_path, capsys) -> None:
    db = _copy(demo, tmp_path)
    tpl = tmp_path / "模板.xlsx"
    assert run(capsys, "export-score-template", "--db", str(db), "--year", "2025",
               "-o", str(tpl))[0] == 0  # fmt: skip
    wb = load_workbook(tpl)
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r and "身份证号" in r)
    col = next(i for i, h in enumerate(rows[head]) if h and str(h).startswith("德"))
    first = head + 2  # the first person's row (1-based)
    number = rows[head + 1][rows[head].index("身份证号")]
    ws.cell(row=first, column=col + 1, value=77)
    wb.save(tpl)

    def stored() -> str | None:
        con = sqlite3.connect(db)
        try:
            row = con.execute(
                "SELECT s.score FROM item_score s JOIN cadre c ON c.id = s.cadre_id"
                " WHERE c.id_card = ? AND s.item_code = 'de'", (number,),
            ).fetchone()  # fmt: skip
            return None if row is None else str(row[0])
        finally:
            con.close()

    before = stored()
    code, out, _ = run(capsys, "import-scores", str(tpl), "--db", str(db), "--year", "2025",
                       "--dry-run")  # fmt: skip
    assert code == 0
    assert "试运行，未写入" in out
    assert stored() == before
    code, out, _ = run(capsys, "import-scores", str(tpl), "--db", str(db), "--year", "2025")
    assert code == 0
    assert "试运行" not in out
    assert stored() in ("77", "77.0", "77.00")


def test_print_approval(demo, tmp_path, capsys) -> None:
    out = tmp_path / "审定表.pdf"
    code, text, _ = run(capsys, "print", "approval", "--db", str(demo), "--year", "2025",
                        "-o", str(out))  # fmt: skip
    assert code == 0
    assert text.startswith(f"已生成 {out}")
    pdf = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True,
                         text=True, check=True).stdout  # fmt: skip
    assert "年度考核结果审定表" in pdf
    assert "合计" in pdf
