"""The rotation keeps exactly 7 daily, 4 weekly and 12 monthly backups, the "before" and
manual backups of the last 7 days, and the newest; shown on made-up dates, first on the
rule alone, then on a folder of backup files named with those dates."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

from models.backup import Source, list_backups, rotate
from models.backup.naming import make_name, parse_name, safe_part
from models.backup.rotation import Stamp, kept

NOW = dt.datetime(2026, 12, 7, 10, 0)  # a Monday (ISO week 50)


def at(day: str, time: str = "09:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day} {time}")


def every_day(first: dt.date, last: dt.date, time: str = "09:00") -> list[dt.datetime]:
    days = (last - first).days + 1
    return [at((first + dt.timedelta(d)).isoformat(), time) for d in range(days)]


def keys(stamps: list[Stamp]) -> set[object]:
    return kept(stamps, NOW)


def test_one_backup_a_day_for_18_months_keeps_7_days_4_weeks_12_months() -> None:
    whens = every_day(dt.date(2025, 6, 1), dt.date(2026, 12, 7))
    stamps = [Stamp(w, w) for w in whens]
    days = {at(f"2026-12-0{d}") for d in range(1, 8)}
    # ISO weeks 50 (12-07), 49 (11-30..12-06 → 12-06), 48 (→ 11-29), 47 (→ 11-22)
    weeks = {at("2026-11-29"), at("2026-11-22")}
    # the last day of each month from Jan 2026 (Dec 2026 → 12-07, already a day)
    months = {
        at(d)
        for d in (
            "2026-11-30", "2026-10-31", "2026-09-30", "2026-08-31", "2026-07-31", "2026-06-30",
            "2026-05-31", "2026-04-30", "2026-03-31", "2026-02-28", "2026-01-31",
        )
    }  # fmt: skip
    assert keys(stamps) == days | weeks | months
    assert len(keys(stamps)) == 20
    assert at("2025-12-31") not in keys(stamps)  # the 13th month back goes


def test_the_newest_of_a_day_is_kept_and_the_others_of_that_day_go() -> None:
    stamps = [
        Stamp("早", at("2026-12-07", "08:00")),
        Stamp("午", at("2026-12-07", "12:00")),
        Stamp("晚", at("2026-12-07", "18:00")),
        Stamp("昨早", at("2026-12-06", "08:00")),
        Stamp("昨晚", at("2026-12-06", "20:00")),
    ]
    assert kept(stamps, at("2026-12-07", "19:00")) == {"晚", "昨晚"}


def test_days_with_backups_count_not_calendar_days() -> None:
    """After a long holiday the last 7 working days are still there."""
    whens = [at("2026-09-01") + dt.timedelta(days=10 * k) for k in range(8)]  # 09-01 … 11-10
    stamps = [Stamp(w, w) for w in whens]
    # the 7 most recent days with backups span 60 days; 09-01 is none of them, nor the
    # newest of its week or of September (09-21)
    assert kept(stamps, NOW) == set(whens[1:])


def test_before_and_manual_backups_of_the_last_7_days_are_kept() -> None:
    stamps = [
        Stamp("今日每日", at("2026-12-07", "09:00")),
        Stamp("今日导入前", at("2026-12-07", "08:30"), before=True),
        Stamp("今日手动", at("2026-12-07", "08:00"), before=True),
        Stamp("六天前审定前", at("2026-12-01", "10:00"), before=True),
        Stamp("六天前每日", at("2026-12-01", "11:00")),
        Stamp("八天前导入前", at("2026-11-29", "08:00"), before=True),
        Stamp("八天前每日", at("2026-11-29", "09:00")),
    ]
    got = kept(stamps, NOW)
    assert got == {"今日每日", "今日导入前", "今日手动", "六天前审定前", "六天前每日", "八天前每日"}


def test_the_newest_backup_is_always_kept_and_nothing_is_kept_of_nothing() -> None:
    only = [Stamp("旧", at("2020-01-01"))]
    assert kept(only, NOW) == {"旧"}
    assert kept([], NOW) == set()


def test_names_say_database_time_and_reason_and_are_safe_on_windows() -> None:
    name = make_name("cadre:desk?", at("2026-12-07", "09:12:05"), "导入前", server=False)
    assert name.file_name() == "cadre_desk_-20261207-091205-导入前.db"
    assert name.file_name(2) == "cadre_desk_-20261207-091205-导入前-2.db"
    back = parse_name("cadredesk-20261207-091205-导入前.db")
    assert back is not None
    assert (back.stem, back.when, back.reason, back.server) == (
        "cadredesk",
        at("2026-12-07", "09:12:05"),
        "导入前",
        False,
    )
    assert parse_name("my-db-20261207-091205-每日.dump").stem == "my-db"  # type: ignore[union-attr]
    for not_a_backup in (
        ".cadredesk-20261207-091205-导入前.db.123.tmp",
        "cadredesk-20261307-091205-导入前.db",  # no 13th month
        "cadredesk.db",
        "cadredesk-20261207-091205-导入前.db-wal",
    ):
        assert parse_name(not_a_backup) is None
    assert safe_part(" <a|b> . ") == "_a_b_"


def test_rotation_on_a_folder_removes_exactly_the_backups_not_kept(tmp_path: Path) -> None:
    """A year and a half of daily backups plus operations, as files named by their dates."""
    folder = tmp_path / "backups" / "cadredesk"
    folder.mkdir(parents=True)
    source = Source(path=tmp_path / "cadredesk.db")
    whens = every_day(dt.date(2025, 6, 1), dt.date(2026, 12, 7))
    names: dict[dt.datetime, str] = {}
    for w in whens:
        names[w] = make_name("cadredesk", w, "每日", server=False).file_name()
    befores = {
        at("2026-12-07", "08:00"): "手动",  # earlier today: kept (manual, 7 days)
        at("2026-12-06", "15:00"): "导入前",  # kept, and now the newest of 12-06
        at("2026-11-30", "10:30"): "审定前",  # 6 days 23.5 hours ago: kept
        at("2025-11-29", "10:30"): "计算等次前",  # a year ago: goes
    }
    for w, reason in befores.items():
        names[w] = make_name("cadredesk", w, reason, server=False).file_name()
    for name in names.values():
        (folder / name).write_bytes(b"x")
    (folder / "notes.txt").write_text("not a backup")  # left alone
    other = make_name("other", at("2024-01-01"), "每日", server=False).file_name()
    (folder / other).write_bytes(b"x")  # another database's: left alone

    gone = rotate(source, folder, now=NOW)

    left = {b.when for b in list_backups(source, folder)}
    days = {at(f"2026-12-0{d}") for d in (1, 2, 3, 4, 5, 7)} | {at("2026-12-06", "15:00")}
    weeks = {at("2026-11-29"), at("2026-11-22")}  # week 49's newest is 12-06 15:00
    months = {at("2026-11-30", "10:30")} | {  # November's newest is the 审定前 one
        at(d)
        for d in (
            "2026-10-31", "2026-09-30", "2026-08-31", "2026-07-31", "2026-06-30", "2026-05-31",
            "2026-04-30", "2026-03-31", "2026-02-28", "2026-01-31",
        )
    }  # fmt: skip
    manual = {at("2026-12-07", "08:00")}
    expected = days | weeks | months | manual
    assert left == expected
    assert len(gone) == len(names) - len(expected)
    assert (folder / "notes.txt").exists()
    assert (folder / other).exists()


def test_rotation_never_removes_a_protected_backup(tmp_path: Path) -> None:
    folder = tmp_path / "bk"
    folder.mkdir()
    source = Source(path=tmp_path / "cadredesk.db")
    old = (
        folder / make_name("cadredesk", at("2026-12-07", "08:00"), "每日", server=False).file_name()
    )
    new = (
        folder / make_name("cadredesk", at("2026-12-07", "09:00"), "每日", server=False).file_name()
    )
    old.write_bytes(b"x")
    new.write_bytes(b"x")
    assert rotate(source, folder, now=NOW, protect=frozenset({old})) == []
    assert rotate(source, folder, now=NOW) == [old]
    assert new.exists()


def test_temporary_files_a_killed_backup_left_go_after_a_day(tmp_path: Path) -> None:
    folder = tmp_path / "bk"
    folder.mkdir()
    source = Source(path=tmp_path / "cadredesk.db")
    old = folder / ".cadredesk-20261201-090000-每日.db.4242.tmp"
    old_wal = folder / ".cadredesk-20261201-090000-每日.db.4242.tmp-wal"
    fresh = folder / ".cadredesk-20261207-095900-每日.db.4343.tmp"  # another process's, now
    for p in (old, old_wal, fresh):
        p.write_bytes(b"x")
    two_days_ago = time.time() - 2 * 24 * 3600
    for p in (old, old_wal):
        os.utime(p, (two_days_ago, two_days_ago))
    rotate(source, folder, now=NOW)
    assert sorted(p.name for p in folder.iterdir()) == [fresh.name]
