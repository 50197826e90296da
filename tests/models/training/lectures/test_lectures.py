"""领导干部讲坛: series and lectures, the audience they expect, 听课登记, and the 学时 they
credit in the ledger (once, kept in step with later corrections). SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from models.core.audit import ChangeLog, history
from models.core.errors import ConflictError, DomainError, NotFoundError, ValidationError
from models.training import delete_hours_entry, hours_report, list_hours
from models.training import hours as hr
from models.training.lectures import (
    ABSENT,
    ATTENDED,
    EXCUSED,
    HELD,
    PLANNED,
    UNRECORDED,
    Audience,
    IncompleteLectureAttendance,
    LectureInput,
    SeriesInput,
    audience_people,
    audience_text,
    credit_lecture,
    delete_lecture,
    delete_series,
    get_lecture,
    lecture_attendance,
    lecture_input,
    list_lectures,
    list_series,
    mark_all_attended,
    record_lecture_attendance,
    save_lecture,
    save_series,
    uncredit_lecture,
)
from models.training.tables import HoursEntry
from tests.models.training.test_classes import cadre

D = dt.date
DAY = D(2026, 3, 6)
TODAY = D(2026, 3, 20)


@pytest.fixture
def people(units):
    """处级 and 科级 cadres in 市委组织部 (under 市委) and 乌兰镇 (under 靖远县), one retired."""
    return {
        "chu": cadre(units, "处长甲", "org", leadership_level="县处级正职", rank="一级调研员"),
        "fu": cadre(units, "副处乙", "org", leadership_level="县处级副职"),
        "ke": cadre(units, "科长丙", "org", leadership_level="乡科级正职"),
        "town": cadre(units, "镇长丁", "town", leadership_level="乡科级正职"),
        "diao": cadre(units, "调研员戊", "town", rank="四级调研员"),
        "gone": cadre(units, "退休己", "org", leadership_level="县处级正职", status="退休"),
        "units": units,
    }


@pytest.fixture
def series(database):
    return save_series(SeriesInput("领导干部讲坛", "中共白银市委组织部", Decimal(3)))


def lecture(series, units=(), ranks=(), **kw) -> int:
    values = {
        "series_id": series.id,
        "title": "数字经济与产业转型",
        "speaker": "刘国庆",
        "speaker_title": "兰州大学经济学院教授",
        "day": DAY,
        "time_text": "上午 9:00-11:30",
        "place": "市委党校多功能报告厅",
        "audience_units": units,
        "audience_ranks": ranks,
    }
    values.update(kw)
    return save_lecture(LectureInput(**values)).id


def ledger(lecture_id: int) -> dict[int, Decimal]:
    return {
        e.cadre_id: Decimal(e.hours)
        for e in HoursEntry.select().where(HoursEntry.source_lecture == lecture_id)
    }


# ---------------------------------------------------------------------------- audience


def test_audience_is_units_with_sub_units_times_ranks(people):
    u = people["units"]
    names = lambda a: [p.name for p in audience_people(a)]  # noqa: E731
    assert names(Audience()) == ["处长甲", "副处乙", "科长丙", "镇长丁", "调研员戊"]
    # 市委 covers 市委组织部 below it; the retired cadre is never expected
    assert names(Audience((u["party"],))) == ["处长甲", "副处乙", "科长丙"]
    # a rank matches the 领导职务层次 or the 职级
    assert names(Audience((), ("县处级正职", "四级调研员"))) == ["处长甲", "调研员戊"]
    assert names(Audience((u["county"], u["org"]), ("乡科级正职",))) == ["科长丙", "镇长丁"]
    text = audience_text(Audience((u["county"],), ("乡科级正职", "四级调研员")))
    assert text == "靖远县（含所属单位）的乡科级正职、四级调研员干部"
    assert audience_text(Audience()) == "全体在职干部"


def test_lecture_lists_its_expected_cadres_and_series_counts(people, series):
    u = people["units"]
    lid = lecture(series, units=[u["city"]], ranks=["县处级正职", "县处级副职"])
    lec = get_lecture(lid)
    assert (lec.seq, lec.expected, lec.status) == (1, 2, PLANNED)
    assert lec.credit_hours == Decimal(3)
    assert lec.hours is None
    assert lec.audience_text == "白银市（含所属单位）的县处级正职、县处级副职干部"
    rows = lecture_attendance(lid)
    assert [(r.name, r.status) for r in rows] == [("处长甲", UNRECORDED), ("副处乙", UNRECORDED)]
    earlier = lecture(series, title="党史专题", day=DAY - dt.timedelta(days=30))
    assert [(x.seq, x.title) for x in list_lectures(series.id)] == [
        (1, "党史专题"),
        (2, "数字经济与产业转型"),
    ]
    assert get_lecture(earlier).expected == 5
    assert list_series()[0].lectures == 2


# ---------------------------------------------------------------------------- crediting


def test_crediting_writes_one_line_per_attendee_and_never_doubles(people, series):
    lid = lecture(series, ranks=["县处级正职", "县处级副职", "乡科级正职"])
    record_lecture_attendance(
        lid, {people["chu"]: ATTENDED, people["fu"]: EXCUSED, people["ke"]: ABSENT}
    )
    mark_all_attended(lid)  # 镇长丁, the one left
    result = credit_lecture(lid, today=TODAY)
    assert (result.entries, result.added, result.removed) == (2, 2, 0)
    assert result.total_hours == Decimal(6)
    assert ledger(lid) == {people["chu"]: Decimal(3), people["town"]: Decimal(3)}
    assert get_lecture(lid).status == HELD
    again = credit_lecture(lid, today=TODAY)
    assert (again.entries, again.added, again.removed) == (2, 0, 0)
    assert HoursEntry.select().where(HoursEntry.source_lecture == lid).count() == 2

    # the person's 学时档案 lists the line with its kind, and the shortfall list counts it
    line = list_hours(people["chu"], 2026)[0]
    assert (line.kind, line.title, line.hours, line.day) == (
        "领导干部讲坛",
        "领导干部讲坛：数字经济与产业转型",
        Decimal(3),
        DAY,
    )
    assert line.lecture_id == lid
    assert line.class_id is None
    short = {r.cadre_id: r for r in hours_report(2026)}
    assert short[people["town"]].earned == Decimal(3)
    with pytest.raises(DomainError, match="来自领导干部讲坛"):
        delete_hours_entry(line.id)


def test_lecture_hours_count_toward_the_requirement_with_an_optional_cap():
    entries = [
        hr.HoursEntry("c1", D(2026, 3, 6), 3, hr.LECTURE_SERIES, "讲坛一"),
        hr.HoursEntry("c1", D(2026, 4, 6), 3, hr.LECTURE_SERIES, "讲坛二"),
        hr.HoursEntry("c1", D(2026, 5, 6), 80, hr.CLASS_TRAINING, "科级班"),
    ]
    total = hr.yearly_totals(entries)["c1"][2026]
    assert (total.lecture_hours, total.total) == (6, 86)
    cadres = [hr.CadreRank("c1", "甲")]
    assert hr.shortfalls(cadres, entries, 2026)[0].earned == 86
    capped = hr.shortfalls(cadres, entries, 2026, hr.Requirements(lecture_cap=4))
    assert capped[0].earned == 84


def test_own_hours_override_the_series_and_later_changes_follow(people, series):
    lid = lecture(series, ranks=["县处级正职"], hours="2.5")
    record_lecture_attendance(lid, {people["chu"]: ATTENDED})
    credit_lecture(lid, today=TODAY)
    assert ledger(lid) == {people["chu"]: Decimal("2.5")}
    moved = dataclasses.replace(
        lecture_input(get_lecture(lid)), hours=None, day=DAY + dt.timedelta(days=1)
    )
    # the attendees' 学时档案 would change: not without a reason, and nothing is saved
    with pytest.raises(ValidationError, match="更正 1 名听课干部的学时档案.*须写明原因"):
        save_lecture(moved, today=TODAY)
    assert ledger(lid) == {people["chu"]: Decimal("2.5")}
    assert get_lecture(lid).day == DAY
    save_lecture(dataclasses.replace(moved, reason="讲座改期一天"), today=TODAY)
    entry = HoursEntry.get(HoursEntry.source_lecture == lid)
    assert (Decimal(entry.hours), entry.day) == (Decimal(3), DAY + dt.timedelta(days=1))
    assert any(
        "讲座改期一天" in c.reason
        for c in ChangeLog.select().where(ChangeLog.entity == "hours_entry")
    )
    # the series' default changes: lectures using it follow, with the reason
    four = SeriesInput("领导干部讲坛", "中共白银市委组织部", "4", id=series.id)
    with pytest.raises(ValidationError, match="1 条学时记录将按新的每讲学时更正，须写明原因"):
        save_series(four)
    assert ledger(lid) == {people["chu"]: Decimal(3)}
    save_series(dataclasses.replace(four, reason="市委组织部通知调整"))
    assert ledger(lid) == {people["chu"]: Decimal(4)}
    assert HoursEntry.select().where(HoursEntry.source_lecture == lid).count() == 1


def test_attendance_change_after_crediting_needs_a_reason_and_updates_the_ledger(people, series):
    lid = lecture(series, ranks=["县处级正职", "县处级副职"])
    rows = record_lecture_attendance(lid, {people["chu"]: ATTENDED, people["fu"]: ATTENDED})
    credit_lecture(lid, today=TODAY)
    shown = {r.cadre_id: r.version for r in rows}
    with pytest.raises(DomainError, match="须说明更正原因"):
        record_lecture_attendance(lid, {people["fu"]: EXCUSED}, expected_versions=shown)
    assert ledger(lid) == {people["chu"]: Decimal(3), people["fu"]: Decimal(3)}
    record_lecture_attendance(
        lid, {people["fu"]: EXCUSED}, reason="当天请假，补交假条", expected_versions=shown
    )
    assert ledger(lid) == {people["chu"]: Decimal(3)}
    removed = ChangeLog.select().where(
        (ChangeLog.entity == "hours_entry") & (ChangeLog.action == "删除")
    )
    assert all("当天请假，补交假条" in c.reason for c in removed)
    assert removed.count()
    # marking them back restores one line, not two
    record_lecture_attendance(lid, {people["fu"]: ATTENDED}, reason="假条有误")
    assert ledger(lid) == {people["chu"]: Decimal(3), people["fu"]: Decimal(3)}


def test_uncrediting_takes_the_lines_out(people, series):
    lid = lecture(series, ranks=["县处级正职"])
    record_lecture_attendance(lid, {people["chu"]: ATTENDED})
    credit_lecture(lid, today=TODAY)
    with pytest.raises(DomainError, match="已登记学时，不能删除"):
        delete_lecture(lid)
    with pytest.raises(DomainError, match="有 1 讲登记了学时"):
        delete_series(series.id)
    with pytest.raises(DomainError, match="须说明原因"):
        uncredit_lecture(lid, reason=" ")
    done = uncredit_lecture(lid, reason="误登到本讲")
    assert (done.removed, done.lines) == (1, 0)
    assert ledger(lid) == {}
    assert get_lecture(lid).status == PLANNED
    assert any(c.reason == "误登到本讲" for c in history("lecture", lid))
    delete_lecture(lid)
    with pytest.raises(NotFoundError):
        get_lecture(lid)


# ---------------------------------------------------------------------------- refusals


def test_crediting_is_refused_early_incomplete_or_empty(people, series):
    lid = lecture(series, ranks=["县处级正职", "县处级副职"])
    with pytest.raises(DomainError, match="尚未举办，不能登记学时"):
        credit_lecture(lid, today=DAY - dt.timedelta(days=1))
    record_lecture_attendance(lid, {people["chu"]: ABSENT})
    with pytest.raises(IncompleteLectureAttendance, match="还有 1 人未登记听课情况（副处乙）"):
        credit_lecture(lid, today=TODAY)
    with pytest.raises(DomainError, match="没有登记出勤的干部"):
        credit_lecture(lid, today=TODAY, allow_incomplete=True)
    record_lecture_attendance(lid, {people["chu"]: ATTENDED})
    result = credit_lecture(lid, today=TODAY, allow_incomplete=True)
    assert (result.entries, result.unrecorded) == (1, 1)
    assert ledger(lid) == {people["chu"]: Decimal(3)}


def test_bad_marks_are_refused_and_nothing_is_stored(people, series):
    lid = lecture(series, ranks=["县处级正职"])
    with pytest.raises(DomainError, match="“科长丙”不在听课范围"):
        record_lecture_attendance(lid, {people["chu"]: ATTENDED, people["ke"]: ATTENDED})
    with pytest.raises(DomainError, match="听课情况“迟到”无效"):
        record_lecture_attendance(lid, {people["chu"]: "迟到"})
    with pytest.raises(DomainError, match="编号为 9999 的干部"):
        record_lecture_attendance(lid, {9999: ATTENDED})
    assert [r.status for r in lecture_attendance(lid)] == [UNRECORDED]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "title"),
        ({"speaker": ""}, "speaker"),
        ({"title": "讲" * 121}, "title"),
        ({"day": None}, "day"),
        ({"day": D(1999, 1, 1)}, "day"),
        ({"hours": "三"}, "hours"),
        ({"hours": "0"}, "hours"),
        ({"hours": 30}, "hours"),
        ({"audience_units": [9999]}, "audience_units"),
        ({"audience_ranks": ["大官"]}, "audience_ranks"),
    ],
)
def test_bad_lecture_is_refused(people, series, changes, field):
    with pytest.raises(ValidationError) as err:
        lecture(series, **changes)
    assert err.value.issues[0].field == field
    assert list_lectures(series.id) == []


def test_bad_series_is_refused(database, series):
    for inp, field in [
        (SeriesInput(""), "name"),
        (SeriesInput("领导干部讲坛"), "name"),  # the name is taken
        (SeriesInput("周末讲堂", hours_per_lecture="x"), "hours_per_lecture"),
        (SeriesInput("周末讲堂", hours_per_lecture=0), "hours_per_lecture"),
    ]:
        with pytest.raises(ValidationError) as err:
            save_series(inp)
        assert err.value.issues[0].field == field
    assert [s.name for s in list_series()] == ["领导干部讲坛"]


def test_held_lecture_cannot_move_into_the_future(people, series):
    lid = lecture(series, ranks=["县处级正职"])
    record_lecture_attendance(lid, {people["chu"]: ATTENDED})
    credit_lecture(lid, today=TODAY)
    lec = get_lecture(lid)
    inp = LectureInput(series.id, lec.title, lec.speaker, day=TODAY + dt.timedelta(days=3), id=lid)
    with pytest.raises(ValidationError, match="日期不能改到今天"):
        save_lecture(inp, today=TODAY)


# ---------------------------------------------------------------------------- conflicts


def test_stale_versions_are_refused_with_who_and_what(people, series):
    lid = lecture(series, ranks=["县处级正职", "县处级副职"])
    shown = {r.cadre_id: r.version for r in lecture_attendance(lid)}  # both 未登记
    record_lecture_attendance(lid, {people["chu"]: EXCUSED}, user="王科员")
    with pytest.raises(ConflictError, match="现为“请假”"):
        record_lecture_attendance(lid, {people["chu"]: ATTENDED}, expected_versions=shown)
    with pytest.raises(ConflictError):
        mark_all_attended(lid, expected_versions=shown)
    assert {r.name: r.status for r in lecture_attendance(lid)} == {
        "处长甲": EXCUSED,
        "副处乙": UNRECORDED,
    }
    old = get_lecture(lid)
    save_lecture(
        LectureInput(series.id, "新题目", old.speaker, day=DAY, id=lid, version=old.version)
    )
    with pytest.raises(ConflictError):
        save_lecture(
            LectureInput(series.id, "旧题目", old.speaker, day=DAY, id=lid, version=old.version)
        )
    with pytest.raises(ConflictError):
        credit_lecture(lid, today=TODAY, allow_incomplete=True, expected_version=old.version)
    with pytest.raises(ConflictError):
        delete_lecture(lid, expected_version=old.version)
    with pytest.raises(ConflictError):
        save_series(SeriesInput("改名讲坛", id=series.id, version=series.version + 5))
    assert get_lecture(lid).title == "新题目"
