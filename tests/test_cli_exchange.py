"""``exchange`` on the command line: the 党校 names itself and sends a finished class with a
password; the 组织部 previews it (--dry-run), receives it, receives it again (nothing more),
and lists its exchanges. A wrong password or a changed byte is one Chinese line, exit 1.
The 县委组织部 sends its 2025 round (the city's grades then equal its own) and its 学时 of a
half-year (a line the city registered too is kept twice with --prefer both); a scope
written wrong is one Chinese line."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from main import main
from models.demo import build_demo


@pytest.fixture(scope="module")
def offices(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int]:
    folder = tmp_path_factory.mktemp("offices")
    school, office = folder / "school.db", folder / "office.db"
    build_demo(school, cadres=300, today=dt.date(2026, 3, 1), parts=("training",))
    build_demo(office, cadres=300, today=dt.date(2026, 3, 1), parts=())
    con = sqlite3.connect(school)
    (cid,) = con.execute("SELECT id FROM training_class WHERE status = '已结业'").fetchone()
    con.close()
    return school, office, cid


def hours(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT COUNT(*) FROM hours_entry WHERE kind = '班次培训'").fetchone()[0]
    finally:
        con.close()


def test_send_preview_receive_twice_and_list(offices, tmp_path, capsys, monkeypatch):
    school, office, cid = offices
    package = tmp_path / "class.cdx"
    monkeypatch.setenv("CDX_PASSWORD", "党校2026")
    assert main(["exchange", "office", "--db", str(school), "--set", "市委党校"]) == 0
    assert "本单位名称已设为：市委党校" in capsys.readouterr().out
    args = ["--db", str(school), "--scope", f"class:{cid}", "-o", str(package)]
    assert main(["exchange", "export", *args, "--password-env", "CDX_PASSWORD"]) == 0
    out = capsys.readouterr().out
    assert "已发出交换包" in out
    assert "（已加密）" in out
    assert "学时 20 条" in out

    before = hours(office)
    receive = ["exchange", "import", "--db", str(office), str(package)]
    assert main([*receive, "--password-env", "CDX_PASSWORD", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "来自 市委党校" in out
    assert "学时：新增 20" in out
    assert "未写入数据库" in out
    assert hours(office) == before
    assert main([*receive, "--password-env", "CDX_PASSWORD"]) == 0
    assert "已接收：新增 671 条，相同 20 条" in capsys.readouterr().out
    assert hours(office) == before + 20
    assert main([*receive, "--password-env", "CDX_PASSWORD"]) == 0
    assert "已接收：相同 691 条" in capsys.readouterr().out
    assert hours(office) == before + 20

    assert main(["exchange", "history", "--db", str(office)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert all("接收  市委党校  班次《" in line for line in lines)


def test_wrong_password_and_changed_byte_are_one_chinese_line(
    offices, tmp_path, capsys, monkeypatch
):
    school, office, cid = offices
    package = tmp_path / "class.cdx"
    monkeypatch.setenv("CDX_PASSWORD", "right")
    main(["exchange", "office", "--db", str(school), "--set", "市委党校"])
    args = ["--db", str(school), "--scope", f"class:{cid}", "-o", str(package)]
    assert main(["exchange", "export", *args, "--password-env", "CDX_PASSWORD"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("CDX_WRONG", "wrong")
    receive = ["exchange", "import", "--db", str(office), str(package)]
    assert main([*receive, "--password-env", "CDX_WRONG"]) == 1
    err = capsys.readouterr().err
    assert err == "错误：交换包 class.cdx 的密码不对，无法解密\n"
    raw = bytearray(package.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    package.write_bytes(bytes(raw))
    assert main([*receive, "--password-env", "CDX_PASSWORD"]) == 1
    assert capsys.readouterr().err.startswith("错误：交换包已损坏或被改动")


@pytest.fixture(scope="module")
def county_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The 县委组织部 (its graded 2025 round, its 学时 ledger) and the 市委组织部 (roster only)."""
    folder = tmp_path_factory.mktemp("county")
    county, city = folder / "county.db", folder / "city.db"
    build_demo(county, cadres=300, today=dt.date(2026, 3, 1), parts=("training", "assessment"))
    build_demo(city, cadres=300, today=dt.date(2026, 3, 1), parts=())
    return county, city


@pytest.fixture
def county_city(county_template, tmp_path, capsys) -> tuple[str, str]:
    """Copies of both, named, the city holding the county's roster received from it."""
    county, city = (shutil.copy(p, tmp_path / p.name) for p in county_template)
    assert main(["exchange", "office", "--db", str(county), "--set", "县委组织部"]) == 0
    assert main(["exchange", "office", "--db", str(city), "--set", "市委组织部"]) == 0
    roster = tmp_path / "roster.cdx"
    scope = ["--scope", "unit:白银市", "-o", str(roster)]
    assert main(["exchange", "export", "--db", str(county), *scope]) == 0
    assert main(["exchange", "import", "--db", str(city), str(roster)]) == 0
    capsys.readouterr()
    return str(county), str(city)


def query(db: str, sql: str, *args: object) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


GRADES = (
    "SELECT c.id_card, g.final_grade, g.composite FROM grade_result g "
    "JOIN cadre c ON c.id = g.cadre_id ORDER BY c.id_card"
)


def test_a_round_sent_and_received_twice(county_city, tmp_path, capsys):
    county, city = county_city
    package = tmp_path / "round.cdx"
    args = ["exchange", "export", "--db", county, "--scope", "round:2025", "-o", str(package)]
    assert main(args) == 0
    out = capsys.readouterr().out
    people = len(query(county, GRADES))
    assert "2025年度考核的得分与等次" in out
    assert f"考核等次 {people} 条" in out
    assert query(city, GRADES) == []
    receive = ["exchange", "import", "--db", city, str(package)]
    assert main([*receive, "--dry-run"]) == 0
    assert f"考核等次：新增 {people}" in capsys.readouterr().out
    assert main(receive) == 0
    assert capsys.readouterr().out.startswith("交换包：2025年度考核的得分与等次，来自 县委组织部")
    assert query(city, GRADES) == query(county, GRADES)
    assert len({g for _, g, _ in query(city, GRADES)}) >= 2
    assert main(receive) == 0
    out = capsys.readouterr().out
    assert "新增" not in out.split("已接收：")[1]
    assert query(city, GRADES) == query(county, GRADES)


@pytest.mark.parametrize(
    ("scope", "message"),
    [
        ("round:二〇二五", "考核年度应为四位数字"),
        ("round:2030", "没有2030年度考核轮次"),
        ("hours:2026-13-01..2026-06-30", "学时期间中的日期“2026-13-01”不对"),
        ("hours:2026-07-01..2026-06-30", "起始日期 2026-07-01 晚于结束日期 2026-06-30"),
        ("hours:2026-01-01", "应写作 起始日期..结束日期"),
        ("year:2025", "无法识别"),
    ],
)
def test_a_scope_written_wrong_is_one_chinese_line(
    county_template, tmp_path, capsys, scope, message
):
    county = shutil.copy(county_template[0], tmp_path / "county.db")
    main(["exchange", "office", "--db", str(county), "--set", "县委组织部"])
    capsys.readouterr()
    args = [
        "exchange",
        "export",
        "--db",
        str(county),
        "--scope",
        scope,
        "-o",
        str(tmp_path / "x.cdx"),
    ]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.startswith("错误：")
    assert message in err
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "x.cdx").exists()


LINES = (
    "SELECT c.id_card, h.day, h.kind, h.hours, h.title FROM hours_entry h "
    "JOIN cadre c ON c.id = h.cadre_id WHERE h.day BETWEEN ? AND ? ORDER BY 1, 2, 3, 4, 5"
)


def lines(db: str, start: str, end: str) -> list[tuple]:
    """The ledger's lines dated ``start`` to ``end``: (身份证号, day, kind, 学时, title)."""
    return sorted((c, d, k, Decimal(str(h)), t) for c, d, k, h, t in query(db, LINES, start, end))


def test_hours_of_a_period_and_a_line_kept_twice(county_city, tmp_path, capsys):
    county, city = county_city
    period = ("2026-01-01", "2026-06-30")
    sent = lines(county, *period)
    assert len(sent) > 50
    assert len(lines(county, "2025-01-01", "2026-12-31")) > len(sent)
    # the city registered one of these trainings itself, with other 学时
    card, day, kind, hours, title = sent[0]
    ((cadre,),) = query(city, "SELECT id FROM cadre WHERE id_card = ?", card)
    con = sqlite3.connect(city)
    con.execute(
        "INSERT INTO hours_entry (cadre_id, year, day, kind, hours, title, created_at, gid,"
        " changed_by_office) VALUES (?, 2026, ?, ?, ?, ?, '2026-03-01 09:00:00', ?, '')",
        (cadre, day, kind, str(hours + 1), title, "f" * 36),
    )
    con.commit()
    con.close()

    package = tmp_path / "hours.cdx"
    scope = ["--scope", f"hours:{period[0]}..{period[1]}", "-o", str(package)]
    assert main(["exchange", "export", "--db", county, *scope]) == 0
    assert f"学时 {len(sent)} 条" in capsys.readouterr().out
    receive = ["exchange", "import", "--db", city, str(package)]
    assert main([*receive, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "冲突：学时" in out
    assert "本单位已有此人同一天、同类别、同名称的学时记录" in out
    assert "（可两条都保留：--prefer both）" in out
    assert main([*receive, "--prefer", "both"]) == 0
    assert "两条都保留 1 条" in capsys.readouterr().out
    got = lines(city, *period)
    assert got == sorted([*sent, (card, day, kind, hours + 1, title)])  # each once, and its own
    assert main(receive) == 0
    assert lines(city, *period) == got
