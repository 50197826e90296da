"""The national days every database starts with, checked day by day against the State
Council notices (国办发明电〔2024〕12号 for 2025, 〔2025〕7号 for 2026) and, for 2027, the
statutory days of 《全国年节及纪念日放假办法》 (国务院令第795号) only."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from models import calendar, schema
from models.calendar import DAY_OFF, WORKDAY, Holiday
from models.core.db import close_database, is_server
from models.schema import open_database

D = dt.date
V9_SQL = Path(__file__).parents[1] / "fixtures" / "schema_v9.sql"


def _span(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=k) for k in range((last - first).days + 1)]


def _stored(year: int) -> dict[dt.date, tuple[str, str, str]]:
    return {h.day: (h.kind, h.name, h.source) for h in calendar.list_holidays(year)}


def test_2026_is_the_notice_of_4_november_2025(database) -> None:
    got = _stored(2026)
    off = [d for d, (kind, _n, _s) in got.items() if kind == DAY_OFF]
    work = sorted(d for d, (kind, _n, _s) in got.items() if kind == WORKDAY)
    assert len(off) == 33
    assert len(work) == 6
    # 春节: 2月15日（腊月二十八）至23日（正月初七）放假调休，共9天；2月14日、2月28日上班
    assert all(got[d][:2] == (DAY_OFF, "春节") for d in _span(D(2026, 2, 15), D(2026, 2, 23)))
    assert got[D(2026, 2, 14)][:2] == (WORKDAY, "春节")
    assert got[D(2026, 2, 28)][:2] == (WORKDAY, "春节")
    assert D(2026, 2, 24) not in got  # 正月初八 is an ordinary Tuesday
    assert work == [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9),
                    D(2026, 9, 20), D(2026, 10, 10)]  # fmt: skip
    assert all(d.weekday() >= 5 for d in work)
    assert [d for d in _span(D(2026, 10, 1), D(2026, 10, 8)) if d in got] == _span(
        D(2026, 10, 1), D(2026, 10, 7)
    )
    assert {s for _k, _n, s in got.values()} == {"国办发明电〔2025〕7号"}


def test_2025_is_the_first_year_of_the_longer_spring_festival(database) -> None:
    got = _stored(2025)
    off = sorted(d for d, (kind, _n, _s) in got.items() if kind == DAY_OFF)
    work = sorted(d for d, (kind, _n, _s) in got.items() if kind == WORKDAY)
    assert len(off) == 28
    assert work == [D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)]
    assert got[D(2025, 1, 1)][:2] == (DAY_OFF, "元旦")
    assert D(2025, 1, 2) not in got
    # 春节 from 农历除夕 (1月28日) to 正月初七 (2月4日): 8 days
    assert [d for d in off if got[d][1] == "春节"] == _span(D(2025, 1, 28), D(2025, 2, 4))
    assert [d for d in off if got[d][1] == "劳动节"] == _span(D(2025, 5, 1), D(2025, 5, 5))
    # 国庆节 and 中秋节 together: 10月1日至8日
    assert [d for d in off if got[d][1] == "国庆节、中秋节"] == _span(
        D(2025, 10, 1), D(2025, 10, 8)
    )
    assert {s for _k, _n, s in got.values()} == {"国办发明电〔2024〕12号"}


def test_2027_holds_only_the_statutory_days_until_its_notice_is_entered(database) -> None:
    got = _stored(2027)
    assert sorted(got) == [
        D(2027, 1, 1),  # 元旦
        *_span(D(2027, 2, 5), D(2027, 2, 8)),  # 农历除夕、正月初一至初三
        D(2027, 4, 5),  # 清明
        D(2027, 5, 1), D(2027, 5, 2),  # 劳动节
        D(2027, 6, 9),  # 端午
        D(2027, 9, 15),  # 中秋
        *_span(D(2027, 10, 1), D(2027, 10, 3)),  # 国庆节
    ]  # fmt: skip
    assert {k for k, _n, _s in got.values()} == {DAY_OFF}
    assert {s for _k, _n, s in got.values()} == {"国务院令第795号（法定假日）"}
    assert "尚未" not in calendar.national_note(2026)
    assert "通知发布后" in calendar.national_note(2027)
    assert "未内置 2028 年" in calendar.national_note(2028)


def test_seeding_again_adds_only_what_is_missing(database) -> None:
    total = Holiday.select().count()
    assert total == 28 + 5 + 33 + 6 + 13
    Holiday.delete().where(Holiday.day == D(2026, 1, 1)).execute()
    Holiday.update(name="元旦（本单位）").where(Holiday.day == D(2026, 1, 2)).execute()
    assert calendar.seed_national(database) == 1
    assert Holiday.select().count() == total
    assert _stored(2026)[D(2026, 1, 2)][1] == "元旦（本单位）"  # an edited day is left alone


def _make_v9(path: Path) -> None:
    con = sqlite3.connect(path)
    con.executescript(V9_SQL.read_text(encoding="utf-8"))
    con.commit()
    con.close()


@pytest.mark.sqlite_only
def test_a_v9_file_gets_the_table_seeded(tmp_path, database) -> None:
    close_database()  # this test opens its own file
    path = tmp_path / "v9.db"
    _make_v9(path)
    con = sqlite3.connect(path)
    assert "holiday" not in {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    con.close()
    open_database(path, backup_dir=tmp_path / "bk")
    try:
        assert schema.current_version(schema.SchemaVersion._meta.database) == schema.LATEST
        assert len(calendar.list_holidays(2026)) == 39
        assert calendar.class_days(D(2026, 12, 28), D(2027, 1, 8)).days_off == {D(2027, 1, 1)}
    finally:
        close_database()


def test_a_server_database_taken_back_to_v9_gets_the_table_seeded(database, tmp_path) -> None:
    if not is_server(database):
        pytest.skip("the SQLite half is the frozen v9 file above")
    database.execute_sql("DROP TABLE holiday")
    database.execute_sql("DELETE FROM schema_version WHERE version >= 10")
    database.execute_sql(
        "INSERT INTO schema_version VALUES (9, 'v9', now()) ON CONFLICT DO NOTHING"
    )
    schema.migrate(database, backup_dir=tmp_path)
    # the shared database was backed up before the migration, into the folder given
    assert [p.name.endswith("-升级前.dump") for p in tmp_path.rglob("*.dump")] == [True]
    assert schema.current_version(database) == schema.LATEST
    assert len(calendar.list_holidays(2025)) == 33
    assert len(calendar.list_holidays(2027)) == 13
