"""``holidays --year``: the year's table printed to the terminal, on SQLite and PG."""

from __future__ import annotations

import datetime as dt

import main
from models import calendar
from models.calendar import DAY_OFF, HolidayInput


def test_holidays_prints_the_year(request, database, capsys) -> None:
    calendar.save_holiday(HolidayInput(dt.date(2027, 7, 1), DAY_OFF, "建党节"))
    db_args = request.getfixturevalue("cli_db_args")  # after the data: then accounts exist
    assert main.main(["holidays", *db_args, "--year", "2027"]) == main.EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "2027 年节假日：放假 14 天，调休上班 0 天"
    assert "国务院办公厅的 2027 年放假调休通知发布后" in out[1]
    assert out[3].split("\t") == [
        "2027-01-01",
        "星期五",
        "放假　　",
        "元旦",
        "国务院令第795号（法定假日）",
    ]
    assert "2027-07-01\t星期四\t放假　　\t建党节\t手工录入" in out
    assert out[-1].startswith("2027-10-03\t星期日")
    assert main.main(["holidays", *db_args, "--year", "2026"]) == main.EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert "2026-02-14\t星期六\t调休上班\t春节\t国办发明电〔2025〕7号" in lines


def test_a_year_without_days_and_a_bad_year(request, database, capsys) -> None:
    db_args = request.getfixturevalue("cli_db_args")
    assert main.main(["holidays", *db_args, "--year", "2031"]) == main.EXIT_OK
    out = capsys.readouterr().out
    assert "（本年没有节假日记录）" in out
    assert "未内置 2031 年" in out
    assert main.main(["holidays", *db_args, "--year", "31"]) == main.EXIT_DATA
    assert "年份 31 不对" in capsys.readouterr().err
