"""Nothing wrong is stored from a roster cell: Excel error values, invisible and control
characters, overlong cells, in .xlsx and .csv (issue #11). The hostile files come from
tests/fixtures/hostile_roster.py."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import main
from models.roster.importing import import_rows, plan_import
from models.roster.intake import read_path
from models.roster.tables import Cadre, FamilyMember, Unit
from tests.fixtures.hostile_roster import CLEAN_ID, EXPECTED, HOSTILE_ID, write_corpus

ROOT = Path(__file__).resolve().parents[4]
HEADER = ["序号", "姓名", "性别", "出生年月", "身份证号", "单位", "职务", "备注"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {p.name: p for p in write_corpus(tmp_path_factory.mktemp("hostile"))}


def test_the_corpus_is_every_expected_file(corpus: dict[str, Path]) -> None:
    assert sorted(corpus) == sorted(EXPECTED)
    assert {name.rsplit(".", 1)[1] for name in corpus} == {"xlsx", "csv"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hostile_file_names_the_cell_and_keeps_the_value_out(
    corpus: dict[str, Path], name: str
) -> None:
    expected = EXPECTED[name]
    result = read_path(corpus[name])
    assert result.errors == []
    clean, hostile = result.rows
    assert clean.issues == []
    assert (clean.values["name"], clean.values["id_card"]) == ("张三", CLEAN_ID)
    [issue] = hostile.issues
    assert not issue.warning
    assert (issue.file, issue.row, issue.column, issue.label, issue.message) == (
        name,
        expected.row,
        expected.column,
        expected.label,
        expected.message,
    )
    assert issue.sheet == ("干部名册" if name.endswith(".xlsx") else None)
    assert len(issue.value) < 300  # a 10 MB cell is not copied into messages
    text = issue.text()
    assert f"“{name}”" in text
    assert f"第3行{expected.column}列" in text
    attribute = {"单位": "unit", "姓名": "name", "现任职务": "post_title", "备注": "notes"}
    stored = hostile.values.get(attribute.get(expected.label, ""), None)
    assert stored is None  # the wrong value is never kept


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hostile_file_imports_nothing(corpus: dict[str, Path], name: str, database) -> None:
    Unit.create(name="市委组织部", sort_order=0)
    result = read_path(corpus[name])
    plan = plan_import(result)
    assert not plan.ok
    assert plan.summary() == "新增 1，更新 0，跳过 0，错误 1"
    outcome = import_rows(result)
    assert not outcome.imported
    assert EXPECTED[name].message in "\n".join(outcome.plan.lines())
    assert Cadre.select().count() == 0  # all or nothing: the clean row is not written either
    assert [u.name for u in Unit.select()] == ["市委组织部"]  # no unit named "#REF!"
    assert FamilyMember.select().count() == 0


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_command_line_exits_1_with_the_message(
    corpus: dict[str, Path], name: str, tmp_path: Path, capsys
) -> None:
    db = tmp_path / "roster.db"
    code = main.main(["import-roster", str(corpus[name]), "--db", str(db)])
    out = capsys.readouterr()
    assert code == 1
    assert EXPECTED[name].message in out.err
    assert "有错误，未导入任何数据" in out.err
    assert "Traceback" not in out.err + out.out


def test_command_line_over_the_whole_corpus_in_a_new_process(
    corpus: dict[str, Path], tmp_path: Path
) -> None:
    db = tmp_path / "roster.db"
    folder = next(iter(corpus.values())).parent
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "import-roster", str(folder), "--db", str(db)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    for expected in EXPECTED.values():
        assert expected.message in done.stderr
    # the clean row of every file after the first repeats the first file's 身份证号
    assert f"新增 1，更新 0，跳过 0，错误 {2 * len(EXPECTED) - 1}" in done.stdout
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT COUNT(*) FROM cadre").fetchone() == (0,)
        assert con.execute("SELECT COUNT(*) FROM unit").fetchone() == (0,)
    finally:
        con.close()


# --- invisible characters: stripped, told, and no look-alike unit or person -----------------

_ROWS = [
    [
        1,
        "张\u200e三",
        "男",
        "1975.03",
        CLEAN_ID,
        "市委\u200b组织部\ufeff",
        "科长",
        "第一行\n第二行",
    ],
    [2, "\u202e王五\u202c", "男", "1949.12", HOSTILE_ID, "市委组织部", "科\u00ad员", ""],
]


def _xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "干部名册"
    ws.append(["序号", "姓\u200b名", *HEADER[2:]])  # an invisible character in a header too
    for row in _ROWS:
        ws.append(row)
    wb.save(path)
    return path


def _csv(path: Path) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["序号", "姓\u200b名", *HEADER[2:]])
    writer.writerows(_ROWS)
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


@pytest.mark.parametrize("make", [_xlsx, _csv], ids=["xlsx", "csv"])
def test_invisible_characters_are_removed_and_named(make, tmp_path: Path, database) -> None:
    existing = Unit.create(name="市委组织部", sort_order=0)
    path = make(tmp_path / f"名册.{make.__name__[1:]}")
    result = read_path(path)
    assert result.ok
    zhang, wang = result.rows
    assert (zhang.values["name"], zhang.values["unit"]) == ("张三", "市委组织部")
    assert (wang.values["name"], wang.values["post_title"]) == ("王五", "科员")
    assert zhang.values["notes"] == "第一行\n第二行"  # line breaks in a multi-line field kept
    assert [(i.column, i.label, i.message, i.warning) for i in zhang.issues] == [
        ("B", "姓名", "“张三”含有不可见字符 U+200E，已去除", True),
        ("F", "单位", "“市委组织部”含有不可见字符 U+200B、U+FEFF，已去除", True),
    ]
    assert [(i.column, i.message) for i in wang.issues] == [
        ("B", "“王五”含有不可见字符 U+202E、U+202C，已去除"),
        # 职务 is name-like too: the soft hyphen is named
        ("G", "“科员”含有不可见字符 U+00AD，已去除"),
    ]
    plan = plan_import(result)
    assert plan.ok
    assert plan.new_units == []  # not a second 市委组织部 that looks the same
    outcome = import_rows(result)
    assert outcome.imported
    stored = sorted((c.name, c.unit_id, c.post_title) for c in Cadre.select())
    assert stored == [("张三", existing.id, "科长"), ("王五", existing.id, "科员")]
    assert Unit.select().count() == 1


def test_typed_and_text_error_values_in_a_date_column(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append([1, "张三", "男", "#DIV/0!", CLEAN_ID, "市委组织部", "科长", "#NULL!"])
    assert ws["D2"].data_type == "e"  # openpyxl writes these as error cells
    path = tmp_path / "名册.xlsx"
    wb.save(path)
    [row] = read_path(path).rows
    assert [(i.column, i.message) for i in row.issues] == [
        ("D", "单元格是 Excel 错误值 #DIV/0!（公式除以零），请在原表中改正"),
        ("H", "单元格是 Excel 错误值 #NULL!（公式引用的区域没有交集），请在原表中改正"),
    ]
    assert row.values["birth_date"] is None
    assert row.values["notes"] is None


def test_excel_line_breaks_written_as_escapes_are_line_breaks(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append([1, "张三", "男", "1975.03", CLEAN_ID, "市委组织部", "科长", "一_x000D_\n二"])
    path = tmp_path / "名册.xlsx"
    wb.save(path)
    [row] = read_path(path).rows
    assert row.issues == []
    assert row.values["notes"] == "一\n二"


def test_a_long_note_within_the_limit_is_kept(tmp_path: Path) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerow([1, "张三", "男", "1975.03", CLEAN_ID, "市委组织部", "科长", "备" * 20_000])
    writer.writerow([2, "王五", "男", "1949.12", HOSTILE_ID, "市委组织部", "科员", "备" * 20_001])
    path = tmp_path / "名册.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    kept, refused = read_path(path).rows
    assert kept.issues == []
    assert kept.values["notes"] == "备" * 20_000
    assert [i.message for i in refused.issues] == [
        "备注有20001个字，超过20000个字的上限；请在原表中删减后重新导入"
    ]


def test_a_row_of_only_invisible_characters_is_blank(tmp_path: Path) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerow([1, "张三", "男", "1975.03", CLEAN_ID, "市委组织部", "科长", ""])
    writer.writerow(["", "\ufeff", "\u200b ", "", "", "", "", ""])
    path = tmp_path / "名册.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    result = read_path(path)
    assert result.ok
    assert [r.values["name"] for r in result.rows] == ["张三"]
