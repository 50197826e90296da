"""Schema versions and in-code migrations (the Vorta pattern).

A new database gets every table from the current models and the latest version number.
An older database is first backed up, then brought forward one numbered step at a time,
each step in its own transaction. Add a step by appending to ``STEPS``; never edit an old one.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from peewee import (
    CharField,
    Database,
    DateTimeField,
    IntegerField,
    InterfaceError,
    OperationalError,
    SqliteDatabase,
    TextField,
)

from models.accounts.tables import ACCOUNT_TABLES
from models.assessment import packs as assessment_packs
from models.assessment.tables import ASSESSMENT_TABLES, Feedback, PoolApproval
from models.backup import backup_before_upgrade
from models.calendar import CALENDAR_TABLES, seed_national
from models.core.audit import CORE_TABLES
from models.core.dates import now_seconds
from models.core.db import (
    BaseModel,
    connect_error_text,
    db,
    display_target,
    is_postgres_url,
    make_postgres,
    make_sqlite,
)
from models.core.errors import DomainError
from models.evaluation.tables import EVALUATION_TABLES, EVIDENCE_TABLES, INSPECTION_TABLES
from models.exchange.tables import EXCHANGE_TABLES, GID_TABLES
from models.roster.picklists import join_variants, seed_rows, variants_of
from models.roster.pinyin import name_keys
from models.roster.tables import ROSTER_TABLES, PicklistItem, new_gid
from models.training.tables import (
    TRAINING_TABLES,
    Lecture,
    LectureAttendance,
    LectureSeries,
    SiteUnavailable,
)

log = logging.getLogger(__name__)


class SchemaVersion(BaseModel):
    version = IntegerField(primary_key=True)
    description = CharField(max_length=200)
    applied_at = DateTimeField()


@dataclass(frozen=True)
class Step:
    version: int
    description: str
    run: Callable[[Database], None]


def _step2_pinyin_keys(real: Database) -> None:
    """v2: pinyin keys on cadres, so the roster can be searched by initials."""
    # playhouse.migrate brings the PostgreSQL driver; only an old database needs it
    from playhouse.migrate import SchemaMigrator  # lazy: start-up time
    from playhouse.migrate import migrate as run_ops  # lazy: start-up time

    migrator = SchemaMigrator.from_database(real)
    with migrator.migration_context():
        run_ops(
            migrator.add_column("cadre", "name_pinyin", CharField(max_length=120, default="")),
            migrator.add_column("cadre", "name_initials", CharField(max_length=40, default="")),
            migrator.add_index("cadre", ("name_initials",), False),
        )
    _fill_name_keys(real, with_sort=False)


def _fill_name_keys(real: Database, *, with_sort: bool) -> None:
    """Every cadre's pinyin keys computed again from the name (models.roster.pinyin)."""
    rows = real.execute_sql("SELECT id, name FROM cadre").fetchall()
    mark = "?" if isinstance(real, SqliteDatabase) else "%s"
    if with_sort:
        sql = f"UPDATE cadre SET name_pinyin = {mark}, name_initials = {mark}, name_sort = {mark}"
        values = [(*name_keys(name), cid) for cid, name in rows]
    else:
        sql = f"UPDATE cadre SET name_pinyin = {mark}, name_initials = {mark}"
        values = [(*name_keys(name)[:2], cid) for cid, name in rows]
    if values:
        real.cursor().executemany(f"{sql} WHERE id = {mark}", values)


def _step3_training(real: Database) -> None:
    """v3: 三三制 training: teachers, rooms, sites, courses, classes, sessions, enrolment,
    electives, attendance and the 学时 ledger."""
    real.create_tables(TRAINING_TABLES, safe=True)


def _step4_assessment(real: Database) -> None:
    """v4: 五项考核: rounds with their rule snapshot, members, scores, 民主测评 votes,
    adjustments, sanctions, 平时考核 quarters, vetoes and stored grades."""
    real.create_tables(ASSESSMENT_TABLES, safe=True)


def _step5_grading_packs(real: Database) -> None:
    """v5: each round member's scores and votes packed into two texts kept by triggers, so
    grading a 50,000-person round reads 50,000 rows instead of 630,000."""
    assessment_packs.install(real)
    # the (round, cadre) index already serves queries by round (see GradeResult.round)
    real.execute_sql("DROP INDEX IF EXISTS grade_result_round_id")


def _step6_picklist_variants(real: Database) -> None:
    """v6: 别名 on pick-list items, so "大学" matches 大学本科 and "汉" matches 汉族 on import;
    existing items get the seeded variants (items users added or renamed get none)."""
    # playhouse.migrate brings the PostgreSQL driver; only an old database needs it
    from playhouse.migrate import SchemaMigrator  # lazy: start-up time
    from playhouse.migrate import migrate as run_ops  # lazy: start-up time

    migrator = SchemaMigrator.from_database(real)
    columns = {c.name for c in real.get_columns("picklist_item")}
    if "variants" not in columns:
        with migrator.migration_context():
            run_ops(migrator.add_column("picklist_item", "variants", TextField(default="")))
    mark = "?" if isinstance(real, SqliteDatabase) else "%s"
    rows = real.execute_sql("SELECT id, kind, name, variants FROM picklist_item").fetchall()
    for item_id, kind, name, current in rows:
        seeded = join_variants(variants_of(kind, name))
        if seeded and not current:
            real.execute_sql(
                f"UPDATE picklist_item SET variants = {mark} WHERE id = {mark}", (seeded, item_id)
            )


def _step7_id_card_optional(real: Database) -> None:
    """v7: 身份证号 may be empty (NULL) for people imported from a 名册 without ID numbers
    (matched by 姓名+出生年月 and shown as 缺身份证号). The unique index stays: SQLite and
    PostgreSQL let any number of rows hold NULL in it."""
    if not isinstance(real, SqliteDatabase):
        real.execute_sql("ALTER TABLE cadre ALTER COLUMN id_card DROP NOT NULL")
        return
    # Dropping NOT NULL changes nothing on disk: SQLite's own procedure for it edits the
    # table's CREATE text (https://www.sqlite.org/lang_altertable.html#otheralter), which,
    # unlike rebuilding the table, never fires the ON DELETE CASCADE of family rows etc.
    row = real.execute_sql("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'cadre'")
    sql = row.fetchone()[0]
    new = re.sub(r'("id_card" VARCHAR\(18\)) NOT NULL', r"\1", sql)
    if new == sql:
        columns = real.execute_sql("PRAGMA table_info(cadre)").fetchall()
        if any(c[1] == "id_card" and c[3] for c in columns):  # still NOT NULL: say so, stop
            raise DomainError("无法升级数据库：干部表的身份证号列定义与预期不同，请联系维护人员")
        return
    version = real.execute_sql("PRAGMA schema_version").fetchone()[0]
    real.execute_sql("PRAGMA writable_schema = ON")
    real.execute_sql(
        "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'cadre'", (new,)
    )
    real.execute_sql(f"PRAGMA schema_version = {int(version) + 1}")
    real.execute_sql("PRAGMA writable_schema = OFF")


def _step8_accounts(real: Database) -> None:
    """v8: 账号与角色: accounts with argon2id password hashes, roles and lock-out counters."""
    real.create_tables(ACCOUNT_TABLES, safe=True)


VERSIONED_TABLES = (
    "unit",
    "picklist_item",
    "teacher",
    "room",
    "site",
    "course",
    "class_session",
    "enrolment",
    "attendance",
    "score_adjustment",
    "sanction",
    "quarter_grade",
    "veto_failure",
    "grade_result",
)
"""Tables that gained a ``version`` column in v9 (cadre, training_class and
assessment_round have had one from the start)."""


def _step9_versions(real: Database) -> None:
    """v9: a version on every shared record people edit (units, code tables, training
    resources, sessions, enrolment, attendance, sanctions, grades…), so that an edit saved
    over someone else's newer one is refused instead of silently overwriting it."""
    # plain ADD COLUMN with a default: SQLite and PostgreSQL both fill it in place, where
    # playhouse's add_column would rebuild SQLite tables (and meet their foreign keys)
    for table in VERSIONED_TABLES:
        if "version" not in {c.name for c in real.get_columns(table)}:
            real.execute_sql(f"ALTER TABLE {table} ADD COLUMN version INTEGER NOT NULL DEFAULT 1")


def _add_columns(real: Database, table: str, columns: dict[str, str]) -> None:
    """ALTER TABLE … ADD COLUMN for each column the table lacks (``columns``: name → its SQL
    type and default, written so that SQLite and PostgreSQL both accept it)."""
    have = {c.name for c in real.get_columns(table)}
    for name, definition in columns.items():
        if name not in have:
            real.execute_sql(f"ALTER TABLE {table} ADD COLUMN {name} {definition}")


def _step10_calendar(real: Database) -> None:
    real.create_tables(CALENDAR_TABLES, safe=True)
    seed_national(real)  # the 2025-2027 national days it lacks


def _step10_planning(real: Database) -> None:
    _add_columns(
        real,
        "course",
        {
            "required": "BOOLEAN NOT NULL DEFAULT FALSE",
            "priority": "INTEGER NOT NULL DEFAULT 0",
            "levels": "VARCHAR(200) NOT NULL DEFAULT ''",
            "repeatable": "BOOLEAN NOT NULL DEFAULT FALSE",
            "position": "VARCHAR(10) NOT NULL DEFAULT ''",
        },
    )
    _add_columns(
        real,
        "training_class",
        {
            "use_workdays": "BOOLEAN NOT NULL DEFAULT FALSE",
            "max_lectures_in_row": "INTEGER NOT NULL DEFAULT 4",
            "plan_notes": "TEXT NOT NULL DEFAULT ''",
        },
    )
    real.create_tables([SiteUnavailable], safe=True)


def _step10_lifecycle(real: Database) -> None:
    _add_columns(
        real,
        "training_class",
        {
            "opened_at": "TIMESTAMP NULL",
            "opened_by": "VARCHAR(60) NOT NULL DEFAULT ''",
            "closed_at": "TIMESTAMP NULL",
            "closed_by": "VARCHAR(60) NOT NULL DEFAULT ''",
            "close_reason": "TEXT NOT NULL DEFAULT ''",
        },
    )


def _step10_lectures(real: Database) -> None:
    real.create_tables([LectureSeries, Lecture, LectureAttendance], safe=True)
    _add_columns(real, "lecture", {"requirements": "TEXT NOT NULL DEFAULT ''"})
    _add_columns(real, "hours_entry", {"source_lecture_id": "INTEGER NULL REFERENCES lecture (id)"})


def _step10_training_calendar(real: Database) -> None:
    """v10: 节假日 and 调休; how the planner picks courses for a class of any length (必修,
    优先级, 适用层次, 可重复), sites' unavailable days; who opened and closed a class, when
    and why; 领导干部讲坛 series, lectures and attendance, credited in the 学时 ledger."""
    _step10_calendar(real)
    _step10_planning(real)
    _step10_lifecycle(real)
    _step10_lectures(real)


def _step11_pools_and_feedback(real: Database) -> None:
    """v11: 考核范围 approved one at a time while others are still entered; the 一项指导
    反馈与指导 record of each cadre after the assessment."""
    real.create_tables([PoolApproval, Feedback], safe=True)


def _step12_staff_category(real: Database) -> None:
    """v12: a cadre's 人员类别 (公务员 / 参公 / 事业单位), which titles the 年度考核登记表; ''
    keeps judging it from the unit's type, as before."""
    _add_columns(real, "cadre", {"staff_category": "VARCHAR(30) NOT NULL DEFAULT ''"})


def _step13_name_sort(real: Database) -> None:
    """v13: names searched by the common reading of the surname only (丁 is dīng, never
    zhēng; 曾 zēng) and sorted by pinyin syllables, so that one surname stays together (陈
    before 程): the keys of every cadre computed again."""
    _add_columns(real, "cadre", {"name_sort": "VARCHAR(200) NOT NULL DEFAULT ''"})
    real.execute_sql("CREATE INDEX IF NOT EXISTS cadre_name_sort ON cadre (name_sort)")
    _fill_name_keys(real, with_sort=True)


def _step15_unit_evaluation(real: Database) -> None:
    """v15: 单位考评: the year's rules and status, the work plan's tasks, the quarterly
    self-checks and each unit's year-end result."""
    real.create_tables(EVALUATION_TABLES, safe=True)


def _step14_exchange(real: Database) -> None:
    """v14: exchange packages between offices with no network (models.exchange): a global id
    on every record a package carries (existing rows get one here), when and from which
    office a package last changed it; the office's name, the packages sent and received,
    and what was last received for each record."""
    mark = "?" if isinstance(real, SqliteDatabase) else "%s"
    for table in GID_TABLES:
        _add_columns(
            real,
            table,
            {
                "gid": "VARCHAR(36) NULL",
                "changed_at": "TIMESTAMP NULL",
                "changed_by_office": "VARCHAR(100) NOT NULL DEFAULT ''",
            },
        )
        ids = [r[0] for r in real.execute_sql(f"SELECT id FROM {table} WHERE gid IS NULL")]
        if ids:
            real.cursor().executemany(
                f"UPDATE {table} SET gid = {mark} WHERE id = {mark}", [(new_gid(), i) for i in ids]
            )
        # NULL stays allowed (a row written by plain SQL); an export gives it one first
        real.execute_sql(f"CREATE UNIQUE INDEX IF NOT EXISTS {table}_gid ON {table} (gid)")
    real.create_tables(EXCHANGE_TABLES, safe=True)


def _step16_inspections(real: Database) -> None:
    """v16: 单位考评's half-year inspections (督查), ranked in a bulletin (通报)."""
    real.create_tables(INSPECTION_TABLES, safe=True)


def _step17_team_and_evidence(real: Database) -> None:
    """v17: 单位考评's 领导班子 assessment (five items and 民主测评, kept with the unit's
    result), the 考评办's year-end score of each task, and the evidence files of self-checks."""
    _add_columns(
        real,
        "unit_result",
        {
            "team_items": "TEXT NOT NULL DEFAULT '{}'",
            "team_votes": "TEXT NOT NULL DEFAULT '{}'",
            "team_score": "DECIMAL(7, 2) NULL",
        },
    )
    _add_columns(real, "work_task", {"year_score": "DECIMAL(7, 2) NULL"})
    real.create_tables(EVIDENCE_TABLES, safe=True)


# Version 1 is the first schema (units, pick-lists, cadres, family, change log).
# A step that creates new tables builds them from the current models; a later step that
# alters those tables must therefore check what is already there (safe=True, column checks).
STEPS: list[Step] = [
    Step(2, "干部姓名拼音检索键", _step2_pinyin_keys),
    Step(3, "三三制培训班、考勤与学时", _step3_training),
    Step(4, "五项考核", _step4_assessment),
    Step(5, "考核计分数据打包（加快计算等次）", _step5_grading_packs),
    Step(6, "代码表别名（如“大学”即“大学本科”）", _step6_picklist_variants),
    Step(7, "身份证号可以为空（没有身份证号的名册）", _step7_id_card_optional),
    Step(8, "账号与角色", _step8_accounts),
    Step(9, "多人同时修改时的版本号", _step9_versions),
    Step(10, "节假日、按班次长度排课、开班结业记录与领导干部讲坛", _step10_training_calendar),
    Step(11, "考核分范围审定、考核结果反馈与指导（一项指导）", _step11_pools_and_feedback),
    Step(12, "干部人员类别（登记表按此印标题）", _step12_staff_category),
    Step(13, "姓名拼音按姓氏常用读音重算，按拼音排序时同姓相连", _step13_name_sort),
    Step(14, "交换包：记录的全局编号与来源", _step14_exchange),
    Step(15, "单位考评：工作任务、季度自查与年终考评结果", _step15_unit_evaluation),
    Step(16, "单位考评：半年督查与通报", _step16_inspections),
    Step(
        17,
        "单位考评：领导班子考核与民主测评、任务年终评分、自查佐证材料",
        _step17_team_and_evidence,
    ),
]
LATEST = max([1] + [s.version for s in STEPS])


def all_tables() -> list[type[BaseModel]]:
    return [
        SchemaVersion,
        *CORE_TABLES,
        *ROSTER_TABLES,
        *TRAINING_TABLES,
        *ASSESSMENT_TABLES,
        *ACCOUNT_TABLES,
        *CALENDAR_TABLES,
        *EVALUATION_TABLES,
        *INSPECTION_TABLES,
        *EVIDENCE_TABLES,
        *EXCHANGE_TABLES,
    ]


def current_version(real: Database) -> int:
    if not real.table_exists("schema_version"):
        return 0
    row = real.execute_sql("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def _record(version: int, description: str) -> None:
    SchemaVersion.insert(
        version=version,
        description=description,
        applied_at=now_seconds(),
    ).execute()


def create_fresh(real: Database) -> None:
    with real.atomic():
        real.create_tables(all_tables())
        assessment_packs.install(real)
        PicklistItem.insert_many(seed_rows()).execute()
        seed_national(real)
        _record(LATEST, "新建数据库")


def backup_before_migration(real: Database, version: int, backup_dir: Path | None) -> Path | None:
    """A checked 升级前 backup (SQLite: online backup into backups/<文件名>/; PostgreSQL:
    pg_dump into the user data folder's backups/<库名>/, skipped with a warning in the log
    when pg_dump is missing) into ``backup_dir`` when given; see models.backup."""
    return backup_before_upgrade(real, version, backup_dir)


SCHEMA_LOCK_KEY = 0x43414452  # "CADR": the advisory lock clients take while migrating


@contextlib.contextmanager
def schema_lock(real: Database) -> Iterator[None]:
    """On PostgreSQL, a session advisory lock held while the schema is checked and brought up
    to date: a second client starting at the same moment waits, then finds the schema done.
    (A SQLite file is migrated inside its own write transactions, which already exclude
    each other.)"""
    if isinstance(real, SqliteDatabase):
        yield
        return
    real.execute_sql("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK_KEY,))
    try:
        yield
    finally:
        real.execute_sql("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK_KEY,))


def migrate(real: Database, backup_dir: Path | None = None) -> int:
    """Bring ``real`` to LATEST; returns the version it had before."""
    with schema_lock(real):
        return _migrate(real, backup_dir)


def _migrate(real: Database, backup_dir: Path | None) -> int:
    version = current_version(real)
    if version == 0:
        if real.table_exists("cadre"):
            raise DomainError("数据库中有数据表但没有版本记录，不是 CadreDesk 数据库，已停止")
        create_fresh(real)
        return 0
    if version > LATEST:
        raise DomainError(f"数据库版本为 {version}，高于本程序支持的 {LATEST}，请使用新版程序打开")
    if version < LATEST:
        backup_before_migration(real, version, backup_dir)
        for step in STEPS:
            if step.version <= version:
                continue
            log.info("migrating to schema %s: %s", step.version, step.description)
            with real.atomic():
                step.run(real)
                _record(step.version, step.description)
    return version


def open_database(target: str | Path, *, backup_dir: Path | None = None) -> Database:
    """Open a SQLite file (or a PostgreSQL URL), bind the proxy and bring the schema up to date.

    A backup is taken before any migration of an existing database (see :func:`migrate`).
    """
    target = str(target)
    if not is_postgres_url(target):
        real: Database = make_sqlite(target)
        db.initialize(real)
        real.connect(reuse_if_open=True)
        migrate(real, backup_dir=backup_dir)
        return real
    real = make_postgres(target)
    db.initialize(real)
    try:
        real.connect(reuse_if_open=True)
    except (OperationalError, InterfaceError) as exc:
        log.warning("cannot connect to %s: %s", display_target(target), type(exc).__name__)
        raise DomainError(connect_error_text(exc, target)) from None
    log.info("connected to %s", display_target(target))
    migrate(real, backup_dir=backup_dir)
    return real


__all__ = [
    "LATEST",
    "STEPS",
    "SchemaVersion",
    "current_version",
    "migrate",
    "open_database",
]
