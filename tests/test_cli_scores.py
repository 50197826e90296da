"""`main.py import-scores` on the 打分表 files units really send back (issue #11): every
hostile file exits 1 with a Chinese message naming file, row and column, no traceback,
and the database unchanged."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import main
from tests.models.assessment.fixtures import score_files

YEAR = str(dt.date.today().year - 1)  # the demo's annual round is last year's
ROOT = Path(main.__file__).resolve().parent

EXPECTED = {
    "姓名与身份证号不符": "第3行B列【姓名】姓名“王五”与C列身份证号",
    "删除了项目列": "缺少“绩（满分100）”列（本系统导出的评分表中是I列）",
    "改了表头": "第2行F列（德行）【表头】表头应为“德（满分100）”",
    "改了满分": "第2行F列（德（满分90））【表头】表头应为“德（满分100）”",
    "多了一列": "第2行AA列（备注）【表头】“备注”不是本轮评分表中的列",
    "无表头的列": "第2行AA列【表头】这一列没有表头，却填有内容",
    "表头下移": "的工作表“评分表”前20行中没有找到评分表的表头",
    "两张评分表": "中有多张评分表（工作表“评分表”“评分表 Copy”）",
    "Excel错误值": "第3行F列（德（满分100））",
    "超大数值": "过大，请核对",
    "截断的文件": "已损坏或不完整（可能没有下载或复制完整），无法打开",
    "不是工作簿的压缩包": "是压缩包，不是Excel工作簿（.xlsx）",
    "表格XML损坏": "已损坏",
    "样式表损坏": "已损坏，无法作为Excel工作簿打开；请在Excel或WPS中打开后重新保存",
    "共享字符串越界": "的工作表“评分表”已损坏；请在Excel或WPS中打开后重新保存",
    "数字格里是文字": "的工作表“评分表”已损坏；请在Excel或WPS中打开后重新保存",
}
GOOD = {"工作表改名"}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def fingerprint(db: Path) -> str:
    """Every row of every table of the database file."""
    con = sqlite3.connect(db)
    try:
        return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()
    finally:
        con.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, dict[str, Path]]:
    folder = tmp_path_factory.mktemp("scores")
    db = folder / "demo.db"
    assert main.main(["demo", "--db", str(db), "--cadres", "40"]) == 0
    template = folder / "模板.xlsx"
    assert (
        main.main(["export-score-template", "--db", str(db), "--year", YEAR, "-o", str(template)])
        == 0
    )
    return db, score_files.write_corpus(template, folder / "corpus")


def test_every_kind_of_file_is_covered(corpus):
    assert set(corpus[1]) == set(EXPECTED) | GOOD


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_a_hostile_score_file_exits_1_in_chinese_and_changes_nothing(corpus, capsys, kind):
    db, files = corpus
    before = fingerprint(db)
    code, out, err = run(capsys, "import-scores", str(files[kind]), "--db", str(db), "--year", YEAR)
    assert code == 1
    text = out + err
    assert f"“{kind}.xlsx”" in text
    assert EXPECTED[kind] in text
    assert "Traceback" not in text
    assert fingerprint(db) == before


def test_a_renamed_sheet_behind_a_notes_sheet_imports(corpus, capsys):
    db, files = corpus
    code, out, _ = run(
        capsys, "import-scores", str(files["工作表改名"]), "--db", str(db), "--year", YEAR,
        "--dry-run",
    )  # fmt: skip
    assert code == 0
    assert "错误 0" in out


@pytest.mark.parametrize("kind", ["共享字符串越界", "姓名与身份证号不符", "删除了项目列"])
def test_the_real_command_line_prints_no_traceback_and_no_english(corpus, kind):
    db, files = corpus
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "import-scores", str(files[kind]),
         "--db", str(db), "--year", YEAR],
        capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 1
    text = proc.stdout + proc.stderr
    assert EXPECTED[kind] in text
    assert "Traceback" not in text
    words = set(re.findall(r"[A-Za-z]{4,}", text)) - {"Excel", "xlsx"}
    assert words == set()
