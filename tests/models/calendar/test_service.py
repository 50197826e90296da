"""The 节假日 screen's use cases: add, change, delete, restore a year, on SQLite and PG, with
the change log, refusals in Chinese and edits overtaken by another clerk."""

from __future__ import annotations

import datetime as dt

import pytest

from models import calendar
from models.calendar import DAY_OFF, WORKDAY, HolidayInput
from models.core.audit import ChangeLog
from models.core.errors import ConflictError, ValidationError

D = dt.date


def _one(day: dt.date) -> calendar.HolidayDTO:
    return next(h for h in calendar.list_holidays(day.year) if h.day == day)


def test_add_change_and_delete_a_local_day(database) -> None:
    made = calendar.save_holiday(HolidayInput(D(2026, 7, 1), DAY_OFF, " 建党节 ", "市委通知"))
    assert (made.day, made.kind, made.name, made.source, made.weekday) == (
        D(2026, 7, 1), DAY_OFF, "建党节", "市委通知", "星期三"
    )  # fmt: skip
    assert D(2026, 7, 1) in calendar.class_days(D(2026, 6, 29), D(2026, 7, 3)).days_off
    changed = calendar.save_holiday(
        HolidayInput(D(2026, 7, 1), DAY_OFF, "建党纪念日", "", id=made.id, version=made.version)
    )
    assert changed.name == "建党纪念日"
    assert changed.version == made.version + 1
    calendar.delete_holiday(changed.id, expected_version=changed.version)
    assert D(2026, 7, 1) not in {h.day for h in calendar.list_holidays(2026)}
    log = list(
        ChangeLog.select()
        .where((ChangeLog.entity == "holiday") & (ChangeLog.entity_id == made.id))
        .order_by(ChangeLog.id)
    )
    assert [r.action for r in log if r.field == "name"] == ["新增", "修改", "删除"]
    assert [(r.old_value, r.new_value) for r in log if r.field == "name"][1] == (
        "建党节",
        "建党纪念日",
    )


def test_bad_input_is_refused_field_by_field(database) -> None:
    with pytest.raises(ValidationError) as e:
        calendar.save_holiday(HolidayInput(None, "休息", ""))
    text = str(e.value)
    assert "日期：必填" in text
    assert "类型：应为 放假、调休上班 之一" in text
    assert "名称：必填" in text
    with pytest.raises(ValidationError, match="2026-03-11 是星期三，本来就上班"):
        calendar.save_holiday(HolidayInput(D(2026, 3, 11), WORKDAY, "春节"))
    with pytest.raises(ValidationError, match="名称：最多 20 个字"):
        calendar.save_holiday(HolidayInput(D(2026, 3, 11), DAY_OFF, "节" * 21))
    with pytest.raises(ValidationError, match=r"2026-01-01 已有一条（放假，元旦），请修改那一条"):
        calendar.save_holiday(HolidayInput(D(2026, 1, 1), DAY_OFF, "新年"))
    assert len(calendar.list_holidays(2026)) == 39  # nothing stored


def test_moving_a_day_onto_another_is_refused(database) -> None:
    new_year = _one(D(2026, 1, 2))
    with pytest.raises(ValidationError, match="2026-01-03 已有一条"):
        calendar.save_holiday(
            HolidayInput(D(2026, 1, 3), DAY_OFF, "元旦", id=new_year.id, version=new_year.version)
        )


def test_an_edit_overtaken_by_another_clerk_is_refused(database) -> None:
    seen = _one(D(2026, 5, 9))
    calendar.save_holiday(
        HolidayInput(
            D(2026, 5, 9), WORKDAY, "劳动节补班", seen.source, id=seen.id, version=seen.version
        )
    )
    with pytest.raises(ConflictError, match="节假日“2026-05-09 劳动节补班”已被.*修改"):
        calendar.save_holiday(
            HolidayInput(D(2026, 5, 9), DAY_OFF, "劳动节", id=seen.id, version=seen.version)
        )
    with pytest.raises(ConflictError):
        calendar.delete_holiday(seen.id, expected_version=seen.version)
    assert _one(D(2026, 5, 9)).name == "劳动节补班"
    now = _one(D(2026, 5, 9))
    calendar.delete_holiday(now.id, expected_version=now.version)
    with pytest.raises(ConflictError, match="删除"):
        calendar.delete_holiday(now.id, expected_version=now.version)


def test_restore_puts_back_the_notice_and_keeps_local_days(database) -> None:
    local = calendar.save_holiday(HolidayInput(D(2026, 7, 1), DAY_OFF, "建党节"))
    spring = _one(D(2026, 2, 16))
    calendar.delete_holiday(spring.id)
    moved = _one(D(2026, 2, 28))
    calendar.save_holiday(HolidayInput(D(2026, 2, 28), WORKDAY, "春节补班", id=moved.id))
    assert calendar.restore_national(2026) == 2
    days = {h.day: h for h in calendar.list_holidays(2026)}
    assert days[D(2026, 2, 16)].name == "春节"
    assert days[D(2026, 2, 28)].name == "春节"
    assert days[D(2026, 2, 28)].source == "国办发明电〔2025〕7号"
    assert days[D(2026, 7, 1)] == local  # kept as it was
    assert calendar.restore_national(2026) == 0  # nothing left to do
    assert calendar.restore_national(2030) == 0  # no national days for that year
    reasons = {
        r.reason for r in ChangeLog.select().where(ChangeLog.entity == "holiday") if r.reason
    }
    assert reasons == {calendar.RESTORE_REASON}


def test_years_listed(database) -> None:
    assert {2025, 2026, 2027, dt.date.today().year} <= set(calendar.holiday_years())


@pytest.fixture
def log_in(database, monkeypatch):
    """``log_in(role)``: an account ``clerk`` of ``role``, made by the first admin, logged in."""
    from argon2 import PasswordHasher, Type

    from models.accounts import (
        AccountInput,
        create_account,
        create_first_admin,
        login,
        logout,
        passwords,
    )

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    create_first_admin("admin", "管理员", "Secret2026")

    def as_role(role: str) -> None:
        login("admin", "Secret2026")
        create_account(AccountInput("clerk", f"{role}人员", role), "Secret2026")
        login("clerk", "Secret2026")

    yield as_role
    logout()


@pytest.fixture
def read_only(log_in) -> None:
    from models.accounts import READ_ONLY

    log_in(READ_ONLY)


def test_a_training_clerk_edits_and_the_log_names_the_account(log_in) -> None:
    from models.accounts import TRAINING_OFFICE

    log_in(TRAINING_OFFICE)
    made = calendar.save_holiday(HolidayInput(D(2026, 7, 1), DAY_OFF, "建党节"))
    users = {
        r.user
        for r in ChangeLog.select().where(
            (ChangeLog.entity == "holiday") & (ChangeLog.entity_id == made.id)
        )
    }
    assert users == {"clerk"}


def test_a_read_only_account_may_look_but_not_change(read_only) -> None:
    from models.accounts import AccessDeniedError

    assert len(calendar.list_holidays(2026)) == 39
    with pytest.raises(AccessDeniedError, match="管理培训班"):
        calendar.save_holiday(HolidayInput(D(2026, 7, 1), DAY_OFF, "建党节"))
    with pytest.raises(AccessDeniedError):
        calendar.restore_national(2026)
    with pytest.raises(AccessDeniedError):
        calendar.delete_holiday(calendar.list_holidays(2026)[0].id)
