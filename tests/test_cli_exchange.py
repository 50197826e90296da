"""``exchange`` on the command line: the 党校 names itself and sends a finished class with a
password; the 组织部 previews it (--dry-run), receives it, receives it again (nothing more),
and lists its exchanges. A wrong password or a changed byte is one Chinese line, exit 1."""

from __future__ import annotations

import datetime as dt
import sqlite3
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
