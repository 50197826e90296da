"""Passwords and logging in: argon2id hashes that never hold the password, the password
rules, lock-out after five wrong passwords, deactivated accounts, rehashing, and the change
log naming the logged-in account whatever $USER says."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher

from models.accounts import (
    Account,
    LoginError,
    create_first_admin,
    current_account,
    login,
    logout,
    passwords,
    set_active,
    unlock,
)
from models.accounts.passwords import password_problem, verify_password
from models.core.audit import ChangeLog, current_actor
from models.core.errors import DomainError
from models.roster import service as roster
from tests.models.accounts.conftest import PASSWORD, cadre_input

NOON = dt.datetime(2026, 3, 2, 12, 0, 0)


def test_the_stored_hash_is_argon2id_and_never_the_password(database, monkeypatch):
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher())  # the real costs
    create_first_admin("admin", "管理员", PASSWORD)
    stored = Account.get(Account.username == "admin").password_hash
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert PASSWORD not in stored
    assert verify_password(stored, PASSWORD)
    assert not verify_password(stored, PASSWORD.lower())
    # the change log of the new account says who and what, never the password or its hash
    logged = " ".join(f"{r.old_value} {r.new_value} {r.reason}" for r in ChangeLog.select())
    assert "admin" in logged
    assert "系统管理员" in logged
    assert PASSWORD not in logged
    assert "argon2" not in logged


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("abc123", "至少 8 位，现在只有 6 位"),
        ("abcdefgh", "同时包含英文字母和数字"),
        ("12345678", "同时包含英文字母和数字"),
        ("Admin2026", "不能与登录名相同"),
        (" Secret2026", "首尾不能是空格"),
    ],
)
def test_password_rules(password, problem):
    assert problem in (password_problem(password, "admin2026") or "")


def test_a_weak_first_password_is_refused_and_nothing_stored(database):
    with pytest.raises(DomainError, match="至少 8 位"):
        create_first_admin("admin", "管理员", "short1")
    assert Account.select().count() == 0


def test_login_sets_the_actor_and_logout_clears_it(database):
    create_first_admin("Admin", "管理员", PASSWORD)
    me = login(" ADMIN ", PASSWORD)  # 登录名 without case or surrounding spaces
    assert me.username == "admin"
    assert me.role == "系统管理员"
    assert current_actor() == "admin"
    assert current_account().id == me.id
    assert Account.get_by_id(me.id).last_login is not None
    logout()
    assert current_actor() is None
    assert current_account() is None


def test_wrong_password_and_unknown_name_give_the_same_message(database):
    create_first_admin("admin", "管理员", PASSWORD)
    with pytest.raises(LoginError) as wrong:
        login("admin", "Wrong2026")
    with pytest.raises(LoginError) as unknown:
        login("nobody", PASSWORD)
    assert str(wrong.value) == str(unknown.value) == "登录名或密码不对"
    assert current_actor() is None
    with pytest.raises(LoginError, match="请输入登录名和密码"):
        login("admin", "")


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(database):
    create_first_admin("admin", "管理员", PASSWORD)
    for _ in range(4):
        with pytest.raises(LoginError, match="登录名或密码不对"):
            login("admin", "Wrong2026", now=NOON)
    with pytest.raises(LoginError) as locked:
        login("admin", "Wrong2026", now=NOON)
    assert "连续 5 次密码错误" in str(locked.value)
    assert "锁定至" in str(locked.value)
    assert "12:15" in str(locked.value)
    assert locked.value.locked_until == NOON + dt.timedelta(minutes=15)
    # while locked even the right password is refused, saying until when
    with pytest.raises(LoginError, match="12:15"):
        login("admin", PASSWORD, now=NOON + dt.timedelta(minutes=14))
    assert current_actor() is None
    # the lock is in the change log
    entry = ChangeLog.get((ChangeLog.entity == "account") & (ChangeLog.field == "锁定至"))
    assert entry.new_value.endswith("12:15")
    assert "5 次密码错误" in entry.reason
    assert entry.user == "admin"  # the locked 登录名, never the computer's $USER
    # after 15 minutes the right password works and the counter starts again
    login("admin", PASSWORD, now=NOON + dt.timedelta(minutes=15, seconds=1))
    row = Account.get(Account.username == "admin")
    assert row.failed_logins == 0
    assert row.locked_until is None


def test_a_locked_account_is_unlocked_by_an_administrator(admin, as_role):
    clerk = as_role("只读")
    logout()
    for _ in range(5):
        with pytest.raises(LoginError):
            login(clerk.username, "Wrong2026")
    with pytest.raises(LoginError, match="锁定至"):
        login(clerk.username, PASSWORD)
    login("admin", PASSWORD)
    assert unlock(clerk.id).status_text == "正常"
    logout()
    assert login(clerk.username, PASSWORD).username == clerk.username


def test_a_deactivated_account_cannot_log_in(admin, as_role):
    clerk = as_role("只读")
    login("admin", PASSWORD)
    set_active(clerk.id, clerk.version, False)
    logout()
    with pytest.raises(LoginError, match=f"账号 {clerk.username} 已停用"):
        login(clerk.username, PASSWORD)


def test_an_old_hash_is_replaced_at_login(database, monkeypatch):
    monkeypatch.setattr(passwords, "_hasher", PasswordHasher())  # the real costs
    create_first_admin("admin", "管理员", PASSWORD)
    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    Account.update(password_hash=weak).execute()
    login("admin", PASSWORD)
    stored = Account.get(Account.username == "admin").password_hash
    assert stored != weak
    assert stored.startswith("$argon2id$")
    assert "m=65536" in stored
    assert verify_password(stored, PASSWORD)


def test_the_change_log_names_the_account_not_the_computer_user(database, units, monkeypatch):
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(variable, "组织部长")
    # without accounts, the computer's user (which anyone can set) is all there is
    first = roster.save_cadre(cadre_input(units["org"]))
    assert {r.user for r in ChangeLog.select().where(ChangeLog.entity_id == first.id)} == {
        "组织部长"
    }
    create_first_admin("admin", "管理员", PASSWORD)
    login("admin", PASSWORD)
    second = roster.save_cadre(cadre_input(units["org"], "李四", 2), user="组织部长")
    users = {
        r.user
        for r in ChangeLog.select().where(
            (ChangeLog.entity == "cadre") & (ChangeLog.entity_id == second.id)
        )
    }
    assert users == {"admin"}


def test_a_session_ends_when_another_database_is_opened(database, tmp_path):
    from models.core.db import close_database
    from models.schema import open_database

    create_first_admin("admin", "管理员", PASSWORD)
    login("admin", PASSWORD)
    close_database()
    open_database(tmp_path / "other.db")
    assert current_account() is None
    assert current_actor() is None
