"""The 修改记录 query over a change log written by the real services (a cadre added and
edited, a round with members and scores, a sanction, 学时, a unit renamed, a cadre deleted),
each at a chosen moment: every filter narrows to exactly the rows it should, and the rows
name people, units, rounds and classes, never bare ids."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time

import pytest
from argon2 import PasswordHasher, Type

from models import audit
from models.accounts import (
    CADRE_OFFICE,
    READ_ONLY,
    AccessDeniedError,
    AccountInput,
    create_account,
    create_first_admin,
    login,
    logout,
    passwords,
)
from models.assessment import add_member, add_sanction, create_round, set_score
from models.core import audit as core_audit
from models.core.audit import ChangeLog, set_actor
from models.core.db import bulk_insert
from models.core.errors import DomainError, NotFoundError
from models.roster import (
    CadreDTO,
    CadreInput,
    delete_cadre,
    get_cadre,
    idcard,
    rename_unit,
    save_cadre,
)
from models.training import (
    add_hours_entry,
    correct_attendance,
    delete_room,
    finish_class,
    list_sessions,
    open_class,
    record_attendance,
    save_room,
)
from models.training import hours as hr
from tests.models.training.test_classes import cadre
from tests.models.training.test_trainees import planned_class

T = dt.datetime
F = audit.AuditFilter


def id_number(birth: dt.date, seq: int) -> str:
    first17 = f"620402{birth:%Y%m%d}{seq * 10 + 1:03d}"
    return first17 + idcard.check_char(first17)


def new_cadre(name: str, unit_id: int, seq: int, *, user: str = "干部科") -> CadreDTO:
    birth = dt.date(1975 + seq, 3, 12)
    return save_cadre(
        CadreInput(
            name=name,
            sex="男",
            birth_date=birth,
            ethnicity="汉族",
            political_status="中共党员",
            party_date=dt.date(birth.year + 22, 7, 1),
            work_start_date=dt.date(birth.year + 21, 8, 1),
            unit_id=unit_id,
            post_title="科员",
            rank="一级科员",
            id_card=id_number(birth, seq),
        ),
        accept_warnings=True,
        user=user,
    )


class Clock:
    """The time record_changes stamps on the entries written while it is set."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = T(2026, 1, 10, 9, 0)
        monkeypatch.setattr(core_audit, "now_seconds", lambda: self.now)

    def at(self, *args: int) -> None:
        self.now = T(*args)


@pytest.fixture
def log(database, units, monkeypatch):
    """The story the tests read back; returns the ids of what it made."""
    clock = Clock(monkeypatch)
    clock.at(2025, 12, 31, 23, 59, 59)
    rename_unit(units["town"], "乌兰镇人民政府", user="干部科")
    clock.at(2026, 1, 10, 9, 0)
    zhang = new_cadre("张三", units["org"], 1)
    li = new_cadre("李四", units["town"], 2)
    wang = new_cadre("王五", units["county"], 3)
    clock.at(2026, 2, 1, 10, 30)
    edited = CadreInput.from_dto(get_cadre(zhang.id))
    save_cadre(
        dataclasses.replace(edited, post_title="副部长", unit_id=units["party"]),
        accept_warnings=True,
        user="干部科",
        reason="任职调整",
    )
    clock.at(2026, 3, 1, 8, 0)
    rnd = create_round(2026, user="考核办")
    add_member(rnd.id, zhang.id, user="考核办")
    add_member(rnd.id, li.id, user="考核办")
    set_score(rnd.id, zhang.id, "de", 18, user="录入员", reason="德 18")
    set_score(rnd.id, li.id, "de", 17, user="录入员")
    clock.at(2026, 4, 1, 15, 0)
    set_actor("admin")
    try:
        add_sanction(li.id, "诫勉", dt.date(2026, 3, 15), note="履职不力")
    finally:
        set_actor(None)
    clock.at(2026, 5, 6, 11, 0)
    add_hours_entry(zhang.id, dt.date(2026, 5, 6), "网络学习", 10, "网络学院专题", user="教育科")
    clock.at(2026, 6, 1, 9, 0)
    gone = new_cadre("赵六", units["town"], 4)
    delete_cadre(gone.id, user="干部科", reason="误录")
    return {"zhang": zhang.id, "li": li.id, "wang": wang.id, "gone": gone.id, "round": rnd.id}


def rows(f: F | None = None) -> list[audit.ChangeRow]:
    page = audit.list_changes(f or F(), limit=1000)
    assert page.total == len(page.rows)
    return list(page.rows)


def subjects(found: list[audit.ChangeRow]) -> set[str]:
    return {r.subject for r in found}


def test_rows_name_people_units_and_rounds_never_ids(log):
    found = rows()
    assert found == sorted(found, key=lambda r: (r.at, r.id), reverse=True)  # newest first
    for r in found:
        assert not re.fullmatch(r"\d+", r.subject), r
        assert not re.search(r"编号", r.subject), r
    moved = next(r for r in found if r.field == "单位" and r.action == "修改")
    assert (moved.old, moved.new) == ("白银市/市委/市委组织部", "白银市/市委")
    assert moved.subject == "张三（市委）"
    assert moved.account == "干部科"
    assert moved.reason == "任职调整"
    assert moved.kind == "干部"
    assert moved.at_text == "2026-02-01 10:30:00"
    post = next(r for r in found if r.field == "现任职务" and r.action == "修改")
    assert (post.old, post.new) == ("科员", "副部长")
    score = next(r for r in found if r.kind == "考核得分" and r.subject.startswith("张三"))
    assert score.subject == "张三（市委）《2026年度考核》"
    assert (score.field, score.old, score.new) == ("德得分", "", "18")
    assert score.account == "录入员"
    sanction = next(r for r in found if r.kind == "处分")
    assert sanction.subject == "李四（乌兰镇人民政府）"
    assert sanction.account == "admin"
    assert "诫勉" in sanction.new
    assert sanction.reason == "履职不力"
    hours = [r for r in found if r.kind == "学时"]
    assert {r.subject for r in hours} == {"张三（市委）"}
    assert {r.field: r.new for r in hours} == {
        "日期": "2026-05-06",
        "类别": "网络学习",
        "学时": "10.00",
        "内容": "网络学院专题",
    }  # the cadre_id entry is the row's 对象, not a change of its own
    assert any(r.subject == "考核《2026年度考核》" and r.field == "添加考核人员" for r in found)
    assert {r.subject for r in found if r.kind == "单位"} == {"白银市/靖远县/乌兰镇人民政府"}
    deleted = [r for r in found if r.action == "删除"]
    assert deleted
    assert {r.subject for r in deleted} == {"赵六（已删除）"}


def test_days_are_inclusive_at_both_ends(log):
    one_day = rows(F(date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 2, 1)))
    assert {r.field for r in one_day} == {"单位", "现任职务"}
    assert {r.at.date() for r in rows(F(date_to=dt.date(2026, 3, 1)))} == {
        dt.date(2025, 12, 31),
        dt.date(2026, 1, 10),
        dt.date(2026, 2, 1),
        dt.date(2026, 3, 1),
    }
    this_year = rows(F(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31)))
    assert "单位" not in {r.kind for r in this_year}  # renamed at 23:59:59 the day before
    assert len(this_year) == len(rows()) - 1
    assert rows(F(date_from=dt.date(2027, 1, 1))) == []


def test_person_by_name_id_card_or_id_brings_their_records_only(log):
    li = rows(F(person="李四"))
    assert subjects(li) == {"李四（乌兰镇人民政府）", "李四（乌兰镇人民政府）《2026年度考核》"}
    assert {r.kind for r in li} == {"干部", "考核人员", "考核得分", "处分"}
    assert rows(F(person=get_cadre(log["li"]).id_card)) == li
    assert rows(F(person=log["li"])) == li
    zhang = rows(F(person="张三"))
    assert {r.kind for r in zhang} == {"干部", "考核人员", "考核得分", "学时"}
    assert all(r.subject.startswith("张三") for r in zhang)
    # a cadre deleted since is still found, by the name the deletion recorded
    gone = rows(F(person="赵六"))
    assert {r.action for r in gone} == {"新增", "删除"}
    assert subjects(gone) == {"赵六（已删除）"}


def test_unit_takes_its_sub_units_and_the_units_themselves(log):
    town = rows(F(unit="乌兰镇人民政府"))
    assert subjects(town) == {  # 赵六 was deleted: no unit holds him any more
        "李四（乌兰镇人民政府）",
        "李四（乌兰镇人民政府）《2026年度考核》",
        "白银市/靖远县/乌兰镇人民政府",
    }
    county = rows(F(unit="靖远县"))
    assert {r.subject.split("（")[0] for r in county} >= {
        "李四",
        "王五",
        "白银市/靖远县/乌兰镇人民政府",
    }
    assert not any(r.subject.startswith("张三") for r in county)
    party = rows(F(unit="白银市/市委"))
    assert party
    assert all(r.subject.startswith("张三") for r in party)
    city = rows(F(unit="白银市"))
    left_out = {r.id for r in rows() if r.kind == "考核轮次" or r.subject.startswith("赵六")}
    assert {r.id for r in city} == {r.id for r in rows()} - left_out


def test_kind_narrows_to_that_kind_of_record(log):
    assert {r.field for r in rows(F(kind="处分"))} == {"处分"}
    scores = rows(F(kind="考核得分"))
    assert [(r.subject.split("（")[0], r.new) for r in scores] == [("李四", "17"), ("张三", "18")]
    members = rows(F(kind="考核人员"))
    assert {r.field for r in members} == {"考核人员"}
    assert len(members) == 2
    assert {r.kind for r in rows(F(kind="干部"))} == {"干部"}
    assert {r.field for r in rows(F(kind="学时"))} == {"日期", "类别", "学时", "内容"}
    assert rows(F(kind="考勤")) == []
    both = rows(F(kind="考核得分", person="张三"))
    assert [r.new for r in both] == ["18"]


def test_account_is_who_made_the_change(log):
    admin = rows(F(account="admin"))
    assert {r.kind for r in admin} == {"处分"}
    assert {r.account for r in rows(F(account="录入员"))} == {"录入员"}
    assert set(audit.account_choices()) == {"admin", "干部科", "考核办", "录入员", "教育科"}


def test_paging_splits_the_same_rows(log):
    everything = rows()
    first = audit.list_changes(F(), offset=0, limit=10)
    second = audit.list_changes(F(), offset=10, limit=10)
    assert first.total == second.total == len(everything)
    assert list(first.rows) + list(second.rows) == everything[:20]
    assert audit.count_changes(F(person="李四")) == len(rows(F(person="李四")))
    total, export = audit.iter_changes(F())
    assert total == len(everything)
    assert list(export) == sorted(everything, key=lambda r: (r.at, r.id))  # oldest first


def test_filters_in_words_for_a_title(log):
    text = audit.describe(
        F(dt.date(2026, 1, 1), dt.date(2026, 12, 31), person="李四", unit="靖远县", kind="处分")
    )
    assert text.startswith("2026-01-01 至 2026-12-31；人员：李四（乌兰镇人民政府，620402")
    assert "单位：白银市/靖远县（含下级单位）；类别：处分" in text
    assert audit.describe(F()) == "全部时间"


def test_bad_filters_say_what_is_wrong_in_chinese(log):
    with pytest.raises(NotFoundError, match="没有名为“钱七”的干部"):
        audit.list_changes(F(person="钱七"))
    with pytest.raises(NotFoundError, match="没有身份证号为“620402199001011234”的干部"):
        audit.list_changes(F(person="620402199001011234"))
    with pytest.raises(NotFoundError, match="找不到编号为 99999 的干部"):
        audit.list_changes(F(person=99999))
    with pytest.raises(DomainError, match="找不到单位“无此单位”"):
        audit.list_changes(F(unit="无此单位"))
    with pytest.raises(DomainError, match="没有名为“工资”的类别（可选：干部、单位"):
        audit.list_changes(F(kind="工资"))
    with pytest.raises(DomainError, match="开始日期 2026-12-31 晚于结束日期 2026-01-01"):
        audit.list_changes(F(dt.date(2026, 12, 31), dt.date(2026, 1, 1)))


def test_a_name_shared_by_two_cadres_asks_for_the_id_card(log, units):
    new_cadre("张三", units["town"], 5)
    matches = audit.find_people("张三")
    assert [m.label.split("，")[0] for m in matches] == ["张三（市委", "张三（乌兰镇人民政府"]
    with pytest.raises(DomainError, match="名为“张三”的干部不止一人.*请改用身份证号"):
        audit.list_changes(F(person="张三"))
    assert rows(F(person=matches[0].id)) == rows(F(person=get_cadre(log["zhang"]).id_card))


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-03-02", dt.date(2026, 3, 2)),
        ("2026.3.2", dt.date(2026, 3, 2)),
        ("2026/03/02", dt.date(2026, 3, 2)),
        ("20260302", dt.date(2026, 3, 2)),
        ("2026年3月2日", dt.date(2026, 3, 2)),
    ],
)
def test_days_in_the_usual_spellings(text, day):
    assert audit.parse_day(text, "开始日期") == day


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("明天", "开始日期“明天”不是日期，应写作 2026-01-01"),
        ("2026-02-30", "开始日期“2026-02-30”不是有效的日期"),
        ("", "开始日期“”不是日期"),
    ],
)
def test_bad_days_are_refused_in_chinese(text, message):
    with pytest.raises(DomainError, match=message):
        audit.parse_day(text, "开始日期")


def test_attendance_and_class_hours_name_the_trainee_and_the_half_day(database, units):
    a, b = cadre(units, "学员甲"), cadre(units, "学员乙", unit="town")
    cls, _first = planned_class(units, [a, b])
    for s in list_sessions(cls):
        record_attendance(s.id, {a: hr.PRESENT, b: hr.PRESENT}, user="班主任")
    first = list_sessions(cls)[0]
    open_class(cls, today=dt.date(2026, 3, 2))
    finish_class(cls, user="班主任", today=dt.date(2026, 3, 4))
    correct_attendance(first.id, b, hr.LEAVE, "补假条", user="班主任")
    marks = rows(F(kind="考勤"))
    assert {r.field for r in marks} == {"考勤"}  # 学员 and 时段 are in 对象, not rows of their own
    changed = next(r for r in marks if r.action == "更正")
    assert changed.subject == "学员乙（乌兰镇）·班次《短训班》2026-03-02 上午"
    assert (changed.old, changed.new, changed.reason) == ("出勤", "请假", "补假条")
    # the correction after 结业 rewrote 学员乙's ledger line: deleted and added again
    ledger = rows(F(kind="学时", person=b))
    assert {r.action for r in ledger} == {"新增", "删除"}
    assert subjects(ledger) == {"学员乙（乌兰镇）"}
    assert not any(r.subject.startswith("学员甲") for r in rows(F(person=b)))
    town = rows(F(unit="乌兰镇"))
    assert town
    assert all(r.subject.startswith("学员乙（乌兰镇）") for r in town)
    enrolled = rows(F(kind="学员", person=b))
    assert subjects(enrolled) == {"学员乙（乌兰镇）·班次《短训班》"}
    assert "学员" in {r.kind for r in town}
    assert "课程《讲座》" in subjects(rows(F(kind="课程")))
    spare = save_room("备用教室", 30)
    delete_room(spare.id)
    assert subjects(rows(F(kind="教室"))) == {"教室“第一教室”", "教室“备用教室”（已删除）"}


def test_an_entity_of_a_newer_subject_is_named_from_its_own_entries(database):
    core_audit.record_changes(
        "account", 7, "新增", {}, {"登录名": "wanghong", "role": "考核录入"}, user="admin"
    )
    assert "账号" in audit.kind_choices()
    found = rows(F(kind="账号"))
    assert {r.subject for r in found} == {"账号“wanghong”"}
    assert {r.kind for r in found} == {"账号"}


def test_a_log_of_50000_entries_is_filtered_in_the_database(log):
    cadres = [log["zhang"], log["li"], log["wang"]]
    start = T(2024, 1, 1)
    wang_before = audit.count_changes(F(person="王五"))
    bulk_insert(
        ChangeLog,
        [
            {
                "at": start + dt.timedelta(minutes=17 * n),
                "user": ("干部科", "录入员", "教育科")[n % 3],
                "entity": "cadre",
                "entity_id": cadres[n % 3],
                "action": "修改",
                "field": "phone",
                "old_value": str(n),
                "new_value": str(n + 1),
                "reason": "",
            }
            for n in range(50_000)
        ],
    )
    for f, expected in (
        (F(person="王五"), wang_before + 16_666),  # n % 3 == 2: 2, 5, … 49,997
        (F(unit="靖远县", kind="干部"), None),
        (F(dt.date(2024, 6, 1), dt.date(2024, 6, 30), account="教育科"), None),
        (F(kind="处分"), 1),
    ):
        began = time.perf_counter()
        page = audit.list_changes(f)
        took = time.perf_counter() - began
        assert len(page.rows) == min(page.total, audit.PAGE_SIZE)
        if expected is not None:
            assert page.total == expected
        assert took < 3, f"{f}: {took:.2f} s"
    june = audit.list_changes(F(dt.date(2024, 6, 1), dt.date(2024, 6, 30), account="教育科"))
    assert {r.account for r in june.rows} == {"教育科"}
    assert all(dt.date(2024, 6, 1) <= r.at.date() <= dt.date(2024, 6, 30) for r in june.rows)
    assert {r.field for r in june.rows} == {"联系电话"}


@pytest.fixture
def accounts(database, monkeypatch):
    """A 系统管理员 who made a 干部科 and a 只读 account (cheap hashes); nobody logged in after."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    create_first_admin("admin", "管理员", "Secret2026")
    login("admin", "Secret2026")
    create_account(AccountInput("zhangmin", "张敏", CADRE_OFFICE), "Secret2026")
    create_account(AccountInput("chakan", "查看员", READ_ONLY), "Secret2026")
    logout()
    yield
    logout()


def test_exporting_the_log_needs_its_permission_and_accounts_are_named(accounts):
    login("chakan", "Secret2026")
    assert audit.list_changes(F()).total > 0  # reading the log is open to every role
    with pytest.raises(AccessDeniedError, match="导出修改记录"):
        audit.iter_changes(F())
    login("zhangmin", "Secret2026")
    total, found = audit.iter_changes(F(kind="账号"))
    found = list(found)
    assert total == len(found) > 0
    assert {r.subject for r in found} >= {"账号“zhangmin”", "账号“chakan”"}
    assert {r.account for r in found if r.subject == "账号“zhangmin”"} == {"admin"}
    roles = {r.new for r in found if r.subject == "账号“chakan”" and r.field == "角色"}
    assert roles == {"只读"}
    assert "Secret2026" not in "".join(r.old + r.new for r in found)


def test_holidays_and_lectures_are_kinds_of_their_own_named_in_words(database, units, request):
    from decimal import Decimal

    from models.calendar import HolidayInput, save_holiday
    from models.training.lectures import (
        ATTENDED,
        LectureInput,
        SeriesInput,
        record_lecture_attendance,
        save_lecture,
        save_series,
    )

    set_actor("节假日管理员")
    request.addfinalizer(lambda: set_actor(None))  # later tests act as their own users
    save_holiday(HolidayInput(dt.date(2030, 10, 8), "放假", "国庆节"))
    found = rows(F(kind="节假日"))
    assert {(r.subject, r.field, r.new) for r in found} >= {
        ("节假日 2030-10-08", "名称", "国庆节"),
        ("节假日 2030-10-08", "类型", "放假"),
    }
    series = save_series(SeriesInput("领导干部讲坛", "中共白银市委组织部", Decimal(3)))
    lid = save_lecture(
        LectureInput(series.id, "数字经济与产业转型", "刘国庆", day=dt.date(2026, 3, 6))
    ).id
    who = cadre(units, "听课甲", "org", leadership_level="县处级正职")
    record_lecture_attendance(lid, {who: ATTENDED})
    assert {r.subject for r in rows(F(kind="干部讲坛"))} == {"讲坛《领导干部讲坛》"}
    assert {r.subject for r in rows(F(kind="讲坛讲座"))} == {"讲座《数字经济与产业转型》"}
    heard = rows(F(kind="讲坛听课"))
    assert {(r.field, r.new) for r in heard} == {("听课情况", "出勤")}  # not the ids
    assert {r.subject for r in heard} == {"听课甲（市委组织部）·讲座《数字经济与产业转型》"}
    assert {"节假日", "干部讲坛", "讲坛讲座", "讲坛听课"} <= set(audit.kind_choices())
