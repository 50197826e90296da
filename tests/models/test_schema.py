import sqlite3
from pathlib import Path

import pytest

from models import schema
from models.core.db import close_database
from models.core.errors import DomainError
from models.schema import open_database

V1_SQL = Path(__file__).parent / "fixtures" / "schema_v1.sql"


def _make_v1(path: Path) -> None:
    con = sqlite3.connect(path)
    con.executescript(V1_SQL.read_text(encoding="utf-8"))
    con.execute(
        "INSERT INTO unit (id, name, code, parent_id, sort_order, kind) "
        "VALUES (1, '市委组织部', '', NULL, 0, '')"
    )
    con.execute(
        "INSERT INTO cadre (id, name, sex, birth_date, ethnicity, native_place, birthplace,"
        " political_status, health, ft_education, ft_degree, ft_school, pt_education, pt_degree,"
        " pt_school, unit_id, post_title, leadership_level, rank, id_card, phone, status, notes,"
        " professional_title, expertise, resume, rewards, annual_results, lrmx_extra, created_at,"
        " updated_at, version) VALUES (1, '曾国藩', '男', '1975-03-01', '汉族', '', '', '中共党员',"
        " '', '', '', '', '', '', '', 1, '部长', '县处级正职', '', '11010519491231002X', '',"
        " '在职', '', '', '', '', '', '', '', '2026-01-05 09:00:00', '2026-01-05 09:00:00', 1)"
    )
    con.commit()
    con.close()


def _columns(path: Path) -> dict[str, list[str]]:
    con = sqlite3.connect(path)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    cols = {t: sorted(r[1] for r in con.execute(f'PRAGMA table_info("{t}")')) for t in tables}
    con.close()
    return cols


def test_fresh_database_gets_latest_schema_and_seeded_picklists(db_path):
    open_database(db_path)
    try:
        from models.roster.service import picklist

        assert schema.current_version(schema.SchemaVersion._meta.database) == schema.LATEST
        assert picklist("leadership_level")[0] == "国家级正职"
        assert picklist("leadership_level")[-1] == "乡科级副职"
        assert len(picklist("leadership_level")) == 10
        assert len(picklist("rank")) == 12
        assert picklist("ethnicity")[0] == "汉族"
        assert len(picklist("ethnicity")) == 60  # 56 民族 + 4 others of GB 3304
        assert "中共党员" in picklist("political_status")
    finally:
        close_database()
    con = sqlite3.connect(db_path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()
    assert not (db_path.parent / "backups").exists()  # nothing to back up in a new database


def test_v1_database_is_backed_up_then_migrated(tmp_path):
    path = tmp_path / "old.db"
    _make_v1(path)
    open_database(path)
    try:
        from models.roster import service as roster

        assert schema.current_version(schema.SchemaVersion._meta.database) == schema.LATEST
        # the step backfilled the pinyin keys, so the old cadre is found by initials
        assert roster.query_ids(roster.RosterFilter(text="zgf")) == [1]
        assert roster.get_cadre(1).name == "曾国藩"
    finally:
        close_database()
    backups = list((tmp_path / "backups" / "old").glob("old-*-升级前.db"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == 1
    assert con.execute("SELECT name FROM cadre").fetchall() == [("曾国藩",)]
    con.close()
    # the migrated schema has the same columns as a new database
    fresh = tmp_path / "fresh.db"
    open_database(fresh)
    close_database()
    assert _columns(path) == _columns(fresh)


def test_failed_step_leaves_database_at_old_version(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    _make_v1(path)

    def broken(real):
        real.execute_sql("ALTER TABLE cadre ADD COLUMN half_done TEXT")
        raise RuntimeError("step failed")

    monkeypatch.setattr(schema, "STEPS", [schema.Step(2, "坏步骤", broken)])
    with pytest.raises(RuntimeError):
        open_database(path)
    close_database()
    con = sqlite3.connect(path)
    assert con.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == 1
    cols = [r[1] for r in con.execute("PRAGMA table_info(cadre)")]
    con.close()
    assert "half_done" not in cols  # the step's transaction was rolled back


def test_newer_database_is_refused(tmp_path):
    path = tmp_path / "new.db"
    open_database(path)
    schema.SchemaVersion.create(
        version=schema.LATEST + 1, description="未来", applied_at="2030-01-01"
    )
    close_database()
    with pytest.raises(DomainError, match="高于本程序支持"):
        open_database(path)
    close_database()


def test_foreign_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE cadre (x)")
    con.close()
    with pytest.raises(DomainError, match="不是 CadreDesk 数据库"):
        open_database(path)
    close_database()


def test_v5_database_gets_picklist_variants(tmp_path, monkeypatch):
    path = tmp_path / "v5.db"
    _make_v1(path)
    con = sqlite3.connect(path)
    con.executemany(
        "INSERT INTO picklist_item (kind, code, name, sort_order, equivalent, active)"
        " VALUES (?, ?, ?, ?, '', 1)",
        [
            ("education", "20", "大学本科", 1),
            ("education", "30", "大学专科", 2),
            ("education", "99", "本单位自加学历", 3),
            ("ethnicity", "01", "汉族", 1),
            ("political_status", "01", "中共党员", 1),
        ],
    )
    con.commit()
    con.close()
    with monkeypatch.context() as m:  # bring it to v5 only: a database as v5 left it
        m.setattr(schema, "STEPS", [s for s in schema.STEPS if s.version <= 5])
        m.setattr(schema, "LATEST", 5)
        open_database(path)
        close_database()
    assert "variants" not in _columns(path)["picklist_item"]

    open_database(path, backup_dir=tmp_path / "bk")
    try:
        assert schema.current_version(schema.SchemaVersion._meta.database) == schema.LATEST
    finally:
        close_database()
    assert "variants" in _columns(path)["picklist_item"]
    con = sqlite3.connect(path)
    got = dict(con.execute("SELECT name, variants FROM picklist_item").fetchall())
    con.close()
    assert got["大学本科"].split("|")[:2] == ["大学", "本科"]
    assert "大专" in got["大学专科"].split("|")
    assert got["汉族"] == "汉"
    assert "党员" in got["中共党员"].split("|")
    assert got["本单位自加学历"] == ""  # an item the office added gets no variants
    assert len(list((tmp_path / "bk").glob("v5-*-升级前.db"))) == 1  # backed up first


def test_v12_database_gets_name_keys_by_the_surname_reading_and_a_sort_key(tmp_path):
    """v13 computes every cadre's pinyin keys again: 丁爽 was found by "zs" (丁 read zhēng)
    before; after the upgrade only "ds" finds him, and 陈/程 sort apart."""
    path = tmp_path / "v12.db"
    open_database(path)
    close_database()
    con = sqlite3.connect(path)
    con.execute("DROP INDEX cadre_name_sort")
    con.execute("ALTER TABLE cadre DROP COLUMN name_sort")
    con.execute("UPDATE schema_version SET version = 12")
    con.execute("INSERT INTO unit (id, name, code, sort_order, kind) VALUES (1, '部', '', 0, '')")
    columns = [c[1] for c in con.execute("PRAGMA table_info(cadre)") if c[3]]  # NOT NULL ones
    for cid, name, full, initials in (
        (1, "丁爽", "dingshuang zhengshuang", "ds zs"),
        (2, "程刚", "chenggang", "cg"),
        (3, "陈立", "chenli", "cl"),
    ):
        values = dict.fromkeys(columns, "")
        values.update(
            id=cid, name=name, name_pinyin=full, name_initials=initials, sex="男",
            birth_date="1980-01-01", unit_id=1, status="在职", created_at="2026-01-05",
            updated_at="2026-01-05", version=1,
        )  # fmt: skip
        con.execute(
            f"INSERT INTO cadre ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
            list(values.values()),
        )
    con.commit()
    con.close()
    open_database(path)
    try:
        from models.roster import service as roster

        assert schema.current_version(schema.SchemaVersion._meta.database) == schema.LATEST
        assert roster.query_ids(roster.RosterFilter(text="zs")) == []
        assert roster.query_ids(roster.RosterFilter(text="ds")) == [1]
        assert roster.query_ids(roster.RosterFilter(sort="name")) == [3, 2, 1]  # chen cheng ding
    finally:
        close_database()
    assert len(list((tmp_path / "backups").rglob("v12-*-升级前.db"))) == 1


def test_v16_database_gets_the_team_scores_task_scores_and_evidence(tmp_path):
    """v17 adds the 领导班子's items and votes to each unit's result, the tasks' year-end
    score and the evidence table; a result entered before keeps its scores, with an empty
    班子 (its year's rules, stored before, do not count the 班子: its total is unchanged)."""
    path = tmp_path / "v16.db"
    open_database(path)
    close_database()
    con = sqlite3.connect(path)
    for column in ("team_items", "team_votes", "team_score"):
        con.execute(f"ALTER TABLE unit_result DROP COLUMN {column}")
    con.execute("ALTER TABLE work_task DROP COLUMN year_score")
    con.execute("DROP TABLE check_file")
    con.execute("UPDATE schema_version SET version = 16")
    con.execute("INSERT INTO unit (id, name, code, sort_order, kind) VALUES (1, '局', '', 0, '')")
    con.execute(
        "INSERT INTO eval_year (id, year, rules, status, approved_by, version) "
        "VALUES (1, 2025, '{\"common_weight\": 40, \"own_weight\": 60}', '录入', '', 1)"
    )
    con.execute(
        "INSERT INTO unit_result (id, year, unit_id, common_score, own_score, bonus, "
        "bonus_reason, bonus_approved, deduction, deduction_reason, grade, explanation, "
        "version) VALUES (1, 2025, 1, 90, 80, 0, '', 0, 0, '', '', '', 1)"
    )
    con.commit()
    con.close()
    open_database(path)
    try:
        from decimal import Decimal

        from models.evaluation import grade_year, list_evidence, read_team

        assert schema.current_version(schema.SchemaVersion._meta.database) == schema.LATEST
        team = read_team(2025, 1)
        assert (team.items, team.votes, team.version) == ({}, {}, 1)
        assert list_evidence(1) == []
        # 90×40% + 80×60% = 84: the year's stored rules leave the 班子 out, as before
        assert [r.total for r in grade_year(2025, user="测试")] == [Decimal("84.00")]
    finally:
        close_database()
    assert len(list((tmp_path / "backups").rglob("v16-*-升级前.db"))) == 1
