"""Schema v10 (节假日, planning fields, class lifecycle, 领导干部讲坛) on a database the previous
release made: a frozen v9 SQLite schema, and a PostgreSQL database taken back to v9."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from models import schema
from models.core.db import close_database, is_server
from models.schema import open_database

V9_SQL = Path(__file__).parent / "fixtures" / "schema_v9.sql"

NEW_COLUMNS = {
    "course": {"required", "priority", "levels", "repeatable", "position"},
    "training_class": {
        "use_workdays",
        "max_lectures_in_row",
        "plan_notes",
        "opened_at",
        "opened_by",
        "closed_at",
        "closed_by",
        "close_reason",
    },
    "hours_entry": {"source_lecture_id"},
}
NEW_TABLES = {"holiday", "site_unavailable", "lecture_series", "lecture", "lecture_attendance"}


def _make_v9(path: Path) -> None:
    con = sqlite3.connect(path)
    con.executescript(V9_SQL.read_text(encoding="utf-8"))
    con.executescript(
        """
        INSERT INTO unit (id, name, code, parent_id, sort_order, kind, version)
            VALUES (1, '市委组织部', '', NULL, 0, '', 1);
        INSERT INTO teacher (id, name, kind, unit_title, phone, cadre_id, notes, version)
            VALUES (1, '王老师', '党校教师', '', '', NULL, '', 1);
        INSERT INTO course (id, title, mode, half_days, teacher_id, site_id, elective, block,
                            follows, notes, version)
            VALUES (1, '新时代党的建设总要求', '课堂教学', 1, 1, NULL, 0, '', '', '', 3);
        INSERT INTO training_class (id, name, level, organiser, start, "end", weekdays,
            holidays, evening, hours_per_half_day, share_lecture, share_field_study,
            share_discussion, share_tolerance, class_size, electives_per_trainee, head_teacher,
            status, notes, created_at, version)
            VALUES (1, '科级干部能力提升班', '科级干部班', '', '2026-11-02', '2026-11-13',
            '01234', '[]', 0, 4, 0.3333, 0.3333, 0.3334, 1, 40, 1, '', '已结业', '',
            '2026-10-01 09:00:00', 5);
        """
    )
    con.commit()
    con.close()


def _columns(con: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in con.execute(f"PRAGMA table_info({table})")}


@pytest.mark.sqlite_only
def test_a_v9_file_gains_the_v10_columns_and_tables_and_keeps_its_rows(tmp_path, database):
    close_database()  # this test opens its own file
    path = tmp_path / "v9.db"
    _make_v9(path)
    open_database(path, backup_dir=tmp_path / "bk")
    try:
        real = schema.SchemaVersion._meta.database
        assert schema.current_version(real) == schema.LATEST >= 10
        from models.training.tables import Course, Lecture, LectureSeries, TrainingClass

        course = Course.get_by_id(1)
        assert (course.required, course.priority, course.levels, course.repeatable) == (
            False,
            0,
            "",
            False,
        )
        assert course.position == ""
        assert course.version == 3
        cls = TrainingClass.get_by_id(1)
        assert cls.max_lectures_in_row == 4
        assert cls.use_workdays is False
        assert cls.opened_at is None
        assert cls.close_reason == ""
        assert cls.status == "已结业"
        # the new link from the ledger to a lecture works on the migrated table
        series = LectureSeries.create(name="领导干部讲坛")
        lecture = Lecture.create(
            series=series, title="专题讲座", speaker="李教授", day="2026-12-01"
        )
        from models.training.tables import HoursEntry

        entry = HoursEntry.create(
            cadre=_a_cadre(),
            year=2026,
            day="2026-12-01",
            kind="领导干部讲坛",
            hours=3,
            source_lecture=lecture,
        )
        assert HoursEntry.get_by_id(entry.id).source_lecture_id == lecture.id
        # v11: pools approved on their own and the 一项指导 feedback, empty and usable
        from models.assessment.tables import Feedback, PoolApproval

        assert (PoolApproval.select().count(), Feedback.select().count()) == (0, 0)
        assert real.table_exists("pool_approval")
        assert real.table_exists("feedback")
        # v12: 人员类别, empty on the cadres already there (judged from the unit's type)
        from models.roster.tables import Cadre

        assert {c.staff_category for c in Cadre.select()} <= {""}
        assert "staff_category" in {c.name for c in real.get_columns("cadre")}
    finally:
        close_database()
    con = sqlite3.connect(path)
    try:
        for table, cols in NEW_COLUMNS.items():
            assert cols <= _columns(con, table), table
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert tables >= NEW_TABLES
    finally:
        con.close()
    assert len(list((tmp_path / "bk").glob("v9-*-升级前.db"))) == 1  # backed up first


def _a_cadre() -> int:
    from models.roster.tables import Cadre

    return Cadre.insert(
        name="曾国藩",
        sex="男",
        birth_date="1975-03-01",
        ethnicity="汉族",
        native_place="",
        birthplace="",
        political_status="中共党员",
        health="",
        ft_education="",
        ft_degree="",
        ft_school="",
        pt_education="",
        pt_degree="",
        pt_school="",
        unit=1,
        post_title="科长",
        leadership_level="",
        rank="",
        phone="",
        status="在职",
        notes="",
    ).execute()


def test_a_server_database_taken_back_to_v9_is_brought_forward(database, tmp_path):
    """PostgreSQL: drop what v10 added, mark the database v9, migrate again."""
    if not is_server(database):
        pytest.skip("the SQLite half is the frozen v9 file above")
    for table in sorted(NEW_TABLES, key=lambda t: t != "lecture_attendance"):
        database.execute_sql(f"DROP TABLE IF EXISTS {table} CASCADE")
    for table, cols in NEW_COLUMNS.items():
        for col in cols:
            database.execute_sql(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {col}")
    database.execute_sql("DELETE FROM schema_version WHERE version >= 10")
    database.execute_sql(
        "INSERT INTO schema_version VALUES (9, 'v9', now()) ON CONFLICT DO NOTHING"
    )
    database.execute_sql(
        'INSERT INTO training_class (name, level, organiser, start, "end", weekdays, holidays,'
        " evening, hours_per_half_day, share_lecture, share_field_study, share_discussion,"
        " share_tolerance, class_size, electives_per_trainee, head_teacher, status, notes,"
        " created_at, version) VALUES ('旧班次', '专题班', '', '2026-11-02', '2026-11-06',"
        " '01234', '[]', false, 4, 0.34, 0.33, 0.33, 1, 0, 1, '', '筹备', '', now(), 1)"
    )
    assert schema.current_version(database) == 9
    schema.migrate(database, backup_dir=tmp_path)
    # the shared database was backed up before the migration, into the folder given
    assert [p.name.endswith("-升级前.dump") for p in tmp_path.rglob("*.dump")] == [True]
    assert schema.current_version(database) == schema.LATEST
    for table, cols in NEW_COLUMNS.items():
        assert cols <= {c.name for c in database.get_columns(table)}, table
    for table in NEW_TABLES:
        assert database.table_exists(table), table
    from models.training.tables import TrainingClass

    old = TrainingClass.get(TrainingClass.name == "旧班次")
    assert old.max_lectures_in_row == 4
    assert old.plan_notes == ""
    assert old.use_workdays is False
