"""Managing accounts: the first administrator only on an empty database, only 系统管理员
manages accounts, the last active 系统管理员 stays, edits carry their version, passwords are
changed with the old one or reset by an administrator, and the change log holds every change
but never a password."""

from __future__ import annotations

import pytest

from models.accounts import (
    ADMIN,
    CADRE_OFFICE,
    READ_ONLY,
    SCORE_CLERK,
    AccessDeniedError,
    Account,
    AccountInput,
    LoginError,
    change_password,
    create_account,
    create_first_admin,
    delete_account,
    find_account,
    list_accounts,
    login,
    logout,
    reset_password,
    set_active,
    update_account,
)
from models.core.audit import ChangeLog
from models.core.errors import ConflictError, DomainError, ValidationError
from tests.models.accounts.conftest import PASSWORD

NEW_PASSWORD = "Changed2027"


def test_the_first_administrator_only_while_there_is_no_account(database, monkeypatch):
    monkeypatch.setenv("USER", "组织部长")  # anyone can set it: never the one recorded
    first = create_first_admin("Admin", "管理员", PASSWORD)
    assert first.role == ADMIN
    assert first.active
    made = ChangeLog.select().where(ChangeLog.entity == "account")
    assert {c.user for c in made} == {"admin"}
    with pytest.raises(DomainError, match="已有账号，不能再建立首个系统管理员"):
        create_first_admin("second", "第二人", PASSWORD)
    assert [a.username for a in Account.select()] == ["admin"]


def test_accounts_are_made_by_an_administrator_only(admin, as_role, units):
    made = create_account(AccountInput("Clerk", "录入员", SCORE_CLERK, (units["town"],)), PASSWORD)
    assert (made.username, made.unit_names, made.label) == ("clerk", ("乌兰镇",), "clerk（录入员）")
    assert [a.username for a in list_accounts()] == ["admin", "clerk"]
    as_role(CADRE_OFFICE)
    with pytest.raises(AccessDeniedError, match="（干部科）无权管理账号"):
        create_account(AccountInput("x2", "", READ_ONLY), PASSWORD)
    with pytest.raises(AccessDeniedError, match="无权管理账号"):
        list_accounts()


def test_bad_account_entries_are_named(admin, units):
    with pytest.raises(ValidationError) as bad:
        create_account(AccountInput("a b", "", "组织部长"), PASSWORD)
    text = str(bad.value)
    assert "登录名：应为 2–30 个" in text
    assert "角色：“组织部长”不是可选的角色" in text
    with pytest.raises(ValidationError, match="“admin”已被其他账号使用"):
        create_account(AccountInput("ADMIN", "", READ_ONLY), PASSWORD)
    with pytest.raises(ValidationError, match="考核录入账号须至少指定一个单位"):
        create_account(AccountInput("clerk", "", SCORE_CLERK), PASSWORD)
    with pytest.raises(DomainError, match="同时包含英文字母和数字"):
        create_account(AccountInput("clerk", "", READ_ONLY), "password")
    assert Account.select().count() == 1


def test_the_last_active_administrator_stays(admin):
    me = find_account("admin")
    with pytest.raises(DomainError, match="最后一个启用的系统管理员，不能改为其他角色"):
        update_account(me.id, me.version, display_name="管理员", role=CADRE_OFFICE)
    with pytest.raises(DomainError, match="不能停用自己正在使用的账号"):
        set_active(me.id, me.version, False)
    other = create_account(AccountInput("boss", "部长", ADMIN), PASSWORD)
    logout()
    login("boss", PASSWORD)
    boss = find_account("boss")
    # admin may now be demoted, but then boss is the last one
    update_account(me.id, me.version, display_name="管理员", role=CADRE_OFFICE)
    logout()
    login("admin", PASSWORD)
    with pytest.raises(AccessDeniedError, match="（干部科）无权管理账号"):
        set_active(other.id, boss.version, False)
    logout()
    login("boss", PASSWORD)
    with pytest.raises(DomainError, match="不能删除自己正在使用的账号"):
        delete_account(boss.id, boss.version)
    assert Account.get_by_id(boss.id).role == ADMIN
    assert Account.get_by_id(boss.id).active


def test_a_conflicting_edit_is_refused_with_who_and_when(admin):
    clerk = create_account(AccountInput("clerk", "录入员", READ_ONLY), PASSWORD)
    update_account(clerk.id, clerk.version, display_name="王录入", role=READ_ONLY)
    with pytest.raises(ConflictError) as stale:  # a second screen still holds the old version
        update_account(clerk.id, clerk.version, display_name="李录入", role=CADRE_OFFICE)
    text = str(stale.value)
    assert text.startswith("账号“clerk”已被 admin 于 ")
    assert text.endswith("修改，请刷新后重试")
    row = Account.get_by_id(clerk.id)
    assert (row.display_name, row.role, row.version) == ("王录入", READ_ONLY, 2)


def test_changes_are_in_the_change_log_without_passwords(admin, units):
    clerk = create_account(AccountInput("clerk", "录入员", SCORE_CLERK, (units["org"],)), PASSWORD)
    clerk = update_account(
        clerk.id, clerk.version, display_name="录入员", role=SCORE_CLERK, unit_ids=[units["town"]]
    )
    reset_password(clerk.id, NEW_PASSWORD)
    entries = list(
        ChangeLog.select()
        .where((ChangeLog.entity == "account") & (ChangeLog.entity_id == clerk.id))
        .order_by(ChangeLog.id)
    )
    assert {e.user for e in entries} == {"admin"}
    changed = {(e.action, e.field, e.old_value, e.new_value) for e in entries}
    assert ("修改", "负责单位", "市委组织部", "乌兰镇") in changed
    assert ("修改", "密码", "", "已由系统管理员重置") in changed
    everything = " ".join(f"{e.old_value} {e.new_value}" for e in ChangeLog.select())
    assert PASSWORD not in everything
    assert NEW_PASSWORD not in everything
    assert "$argon2" not in everything


def test_own_password_needs_the_old_one(admin, as_role):
    me = as_role(READ_ONLY)
    with pytest.raises(DomainError, match="原密码不对"):
        change_password("Wrong2026", NEW_PASSWORD)
    with pytest.raises(DomainError, match="至少 8 位"):
        change_password(PASSWORD, "abc1")
    with pytest.raises(DomainError, match="不能与原密码相同"):
        change_password(PASSWORD, PASSWORD)
    change_password(PASSWORD, NEW_PASSWORD)
    logout()
    with pytest.raises(LoginError):
        login(me.username, PASSWORD)
    assert login(me.username, NEW_PASSWORD).id == me.id
    logout()
    with pytest.raises(DomainError, match="请先登录"):
        change_password(NEW_PASSWORD, "Another2028")


def test_administrator_reset_gives_a_new_password(admin, as_role):
    me = as_role(READ_ONLY)
    logout()
    login("admin", PASSWORD)
    reset_password(me.id, NEW_PASSWORD)
    logout()
    assert login(me.username, NEW_PASSWORD).id == me.id


def test_only_an_unused_account_can_be_deleted(admin, as_role):
    fresh = create_account(AccountInput("fresh", "", READ_ONLY), PASSWORD)
    used = as_role(READ_ONLY)
    logout()
    login("admin", PASSWORD)
    used = find_account(used.username)
    with pytest.raises(DomainError, match="已登录使用过，不能删除"):
        delete_account(used.id, used.version)
    with pytest.raises(ConflictError):
        delete_account(fresh.id, fresh.version + 1)
    delete_account(fresh.id, fresh.version)
    assert not Account.select().where(Account.username == "fresh").exists()
    assert (
        ChangeLog.select()
        .where((ChangeLog.entity == "account") & (ChangeLog.action == "删除"))
        .exists()
    )
