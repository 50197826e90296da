"""Managing accounts: the first 系统管理员, adding, editing, deactivating and deleting
accounts, resetting and changing passwords, unlocking.

Only a 系统管理员 manages accounts (except the first one, made while there is none, and
one's own password). Edits carry the version they were read at and are refused when the
account changed meanwhile. The last active 系统管理员 can be neither demoted, deactivated
nor deleted. Every change goes into the change log, never a password or its hash.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from models.accounts.access import (
    ACCOUNT_ENTITY,
    current_account,
    has_accounts,
    normalise_username,
    require,
)
from models.accounts.passwords import check_password, hash_password, verify_password
from models.accounts.roles import ADMIN, ROLES, Permission, is_unit_scoped
from models.accounts.tables import Account
from models.accounts.types import AccountDTO, account_dto
from models.accounts.units import join_unit_ids, parse_unit_ids, unit_names
from models.core.audit import ChangeLog, current_user, record_changes
from models.core.concurrency import conflict, update_versioned
from models.core.db import db, is_server, write_transaction
from models.core.errors import DomainError, FieldIssue, NotFoundError, ValidationError

_USERNAME = re.compile(r"^[\w.\-]{2,30}$")


@dataclass(frozen=True)
class AccountInput:
    """What the account form holds. ``unit_ids`` matter only for a 考核录入 account."""

    username: str
    display_name: str
    role: str
    unit_ids: tuple[int, ...] = ()


def _audit(username: str, display_name: str, role: str, units: str, active: bool) -> dict:
    ids = parse_unit_ids(units)
    names = unit_names(ids)
    return {
        "登录名": username,
        "姓名": display_name,
        "角色": role,
        "负责单位": "、".join(names.get(u, str(u)) for u in ids),
        "状态": "启用" if active else "停用",
    }


def _row_audit(row: Account) -> dict:
    return _audit(row.username, row.display_name, row.role, row.unit_ids, bool(row.active))


def _get(account_id: int) -> Account:
    row = Account.get_or_none(Account.id == account_id)
    if row is None:
        raise NotFoundError(f"账号（编号 {account_id}）不存在，可能已被删除，请刷新")
    return row


def _checked(inp: AccountInput, *, new: bool) -> tuple[str, str, str, str]:
    """(登录名, 姓名, role, stored units) of ``inp``, or ValidationError naming each field."""
    issues: list[FieldIssue] = []
    username = normalise_username(inp.username)
    if new:
        if not _USERNAME.fullmatch(username):
            issues.append(
                FieldIssue("username", "登录名", "应为 2–30 个字母、数字、汉字或 . _ -，不含空格")
            )
        elif Account.select().where(Account.username == username).exists():
            issues.append(FieldIssue("username", "登录名", f"“{username}”已被其他账号使用"))
    display_name = inp.display_name.strip()
    if len(display_name) > 30:
        issues.append(FieldIssue("display_name", "姓名", "不能超过 30 个字"))
    if inp.role not in ROLES:
        issues.append(FieldIssue("role", "角色", f"“{inp.role}”不是可选的角色"))
    units = ""
    if is_unit_scoped(inp.role):
        known = unit_names(inp.unit_ids)
        missing = sorted(set(inp.unit_ids) - set(known))
        if not inp.unit_ids:
            issues.append(FieldIssue("unit_ids", "负责单位", f"{inp.role}账号须至少指定一个单位"))
        elif missing:
            text = "、".join(str(u) for u in missing)
            issues.append(FieldIssue("unit_ids", "负责单位", f"单位（编号 {text}）不存在"))
        units = join_unit_ids(inp.unit_ids)
    if issues:
        raise ValidationError(issues, record=f"账号 {username}" if username else "账号")
    return username, display_name, inp.role, units


def _insert(
    inp: AccountInput, password: str, *, reason: str = "", by_itself: bool = False
) -> AccountDTO:
    """Insert the account; logged under the logged-in account, or (``by_itself``, the
    first 系统管理员) under the new account's own 登录名."""
    username, display_name, role, units = _checked(inp, new=True)
    check_password(password, username)
    row = Account.create(
        username=username,
        display_name=display_name,
        role=role,
        unit_ids=units,
        password_hash=hash_password(password),
    )
    new = _audit(username, display_name, role, units, True)
    who = username if by_itself else current_user()
    record_changes(ACCOUNT_ENTITY, row.id, "新增", {}, new, user=who, reason=reason)
    return account_dto(row)


def _lock_accounts() -> None:
    """On PostgreSQL, hold the account table for the rest of the transaction (two clients
    creating the first 系统管理员 at once); a SQLite write transaction already excludes."""
    if is_server():
        db.execute_sql("LOCK TABLE account IN SHARE ROW EXCLUSIVE MODE")


def create_first_admin(username: str, display_name: str, password: str) -> AccountDTO:
    """The first account, a 系统管理员, made while the database has none (the first-run
    wizard, ``account-add`` on a database without accounts). It does not log in."""
    with write_transaction():
        _lock_accounts()
        if has_accounts():
            raise DomainError(
                "此数据库已有账号，不能再建立首个系统管理员；请以系统管理员登录后在“账号管理”中添加账号"
            )
        # under the administrator's own 登录名: whoever sets the database up becomes it
        # (never the computer's $USER, which anyone may set)
        return _insert(
            AccountInput(username, display_name, ADMIN),
            password,
            reason="首个系统管理员",
            by_itself=True,
        )


def create_account(inp: AccountInput, password: str) -> AccountDTO:
    """A new account (系统管理员 only)."""
    require(Permission.ACCOUNTS)
    with write_transaction():
        if not has_accounts():
            raise DomainError("此数据库还没有账号：请先建立系统管理员账号")
        return _insert(inp, password)


def list_accounts() -> list[AccountDTO]:
    """Every account by 登录名 (系统管理员 only)."""
    require(Permission.ACCOUNTS)
    rows = list(Account.select().order_by(Account.username))
    names = unit_names(u for r in rows for u in parse_unit_ids(r.unit_ids))
    return [account_dto(r, names) for r in rows]


def get_account(account_id: int) -> AccountDTO:
    require(Permission.ACCOUNTS)
    return account_dto(_get(account_id))


def _keep_an_admin(row: Account, *, role: str, active: bool, what: str) -> None:
    """Refuse to leave the database without an active 系统管理员."""
    if row.role != ADMIN or not row.active or (role == ADMIN and active):
        return
    q = (
        Account.select(Account.id)
        .where((Account.role == ADMIN) & (Account.active == True))  # noqa: E712 - SQL
        .order_by(Account.id)
    )
    if is_server():
        q = q.for_update()  # two administrators demoting each other at once: one waits
    if not [a.id for a in q if a.id != row.id]:
        raise DomainError(
            f"账号 {row.username} 是最后一个启用的系统管理员，不能{what}；"
            "请先把另一个账号设为系统管理员",
            record=f"账号“{row.username}”",
        )


def _not_self(row: Account, what: str) -> None:
    me = current_account()
    if me is not None and me.id == row.id:
        raise DomainError(
            f"不能{what}自己正在使用的账号 {row.username}", record=f"账号“{row.username}”"
        )


def update_account(
    account_id: int,
    expected_version: int,
    *,
    display_name: str,
    role: str,
    unit_ids: Iterable[int] = (),
    reason: str = "",
) -> AccountDTO:
    """Change an account's 姓名, role and units (系统管理员 only); ConflictError when it
    changed since ``expected_version`` was read."""
    require(Permission.ACCOUNTS)
    with write_transaction():
        row = _get(account_id)
        inp = AccountInput(row.username, display_name, role, tuple(unit_ids))
        _username, name, role, units = _checked(inp, new=False)
        _keep_an_admin(row, role=role, active=bool(row.active), what="改为其他角色")
        old = _row_audit(row)
        values = {"display_name": name, "role": role, "unit_ids": units}
        update_versioned(Account, row.id, expected_version, values, record=f"账号“{row.username}”")
        new = _audit(row.username, name, role, units, bool(row.active))
        record_changes(ACCOUNT_ENTITY, row.id, "修改", old, new, user=current_user(), reason=reason)
        return account_dto(_get(account_id))


def set_active(
    account_id: int, expected_version: int, active: bool, *, reason: str = ""
) -> AccountDTO:
    """停用 or 启用 an account (系统管理员 only). A deactivated account cannot log in; its
    changes stay in the change log under its name."""
    require(Permission.ACCOUNTS)
    with write_transaction():
        row = _get(account_id)
        if not active:
            _not_self(row, "停用")
            _keep_an_admin(row, role=row.role, active=False, what="停用")
        old = _row_audit(row)
        update_versioned(
            Account, row.id, expected_version, {"active": active}, record=f"账号“{row.username}”"
        )
        new = {**old, "状态": "启用" if active else "停用"}
        record_changes(ACCOUNT_ENTITY, row.id, "修改", old, new, user=current_user(), reason=reason)
        return account_dto(_get(account_id))


def delete_account(account_id: int, expected_version: int) -> None:
    """Delete an account that has never been used (系统管理员 only); one that has logged in
    or made changes can only be deactivated, so its 登录名 is never given to someone else."""
    require(Permission.ACCOUNTS)
    with write_transaction():
        row = _get(account_id)
        _not_self(row, "删除")
        _keep_an_admin(row, role="", active=False, what="删除")
        used = row.last_login is not None or (
            ChangeLog.select().where(ChangeLog.user == row.username).exists()
        )
        if used:
            raise DomainError(
                f"账号 {row.username} 已登录使用过，不能删除（修改记录要能找到人），可以停用",
                record=f"账号“{row.username}”",
            )
        old = _row_audit(row)
        done = (
            Account.delete()
            .where((Account.id == row.id) & (Account.version == expected_version))
            .execute()
        )
        if done != 1:
            gone = not Account.select().where(Account.id == row.id).exists()
            raise conflict(f"账号“{row.username}”", ACCOUNT_ENTITY, row.id, deleted=gone)
        record_changes(ACCOUNT_ENTITY, row.id, "删除", old, {}, user=current_user())


def reset_password(
    account_id: int, new_password: str, *, expected_version: int | None = None
) -> AccountDTO:
    """A 系统管理员 gives an account a new password (it also unlocks it)."""
    require(Permission.ACCOUNTS)
    with write_transaction():
        row = _get(account_id)
        check_password(new_password, row.username)
        values = {"password_hash": hash_password(new_password), "failed_logins": 0}
        values["locked_until"] = None
        version = row.version if expected_version is None else expected_version
        update_versioned(Account, row.id, version, values, record=f"账号“{row.username}”")
        record_changes(
            ACCOUNT_ENTITY,
            row.id,
            "修改",
            {"密码": ""},
            {"密码": "已由系统管理员重置"},
            user=current_user(),
        )
        return account_dto(_get(account_id))


def change_password(old_password: str, new_password: str) -> AccountDTO:
    """The logged-in account changes its own password; the current one must be given."""
    me = current_account()
    if me is None:
        raise DomainError("请先登录，再修改密码")
    with write_transaction():
        row = _get(me.id)
        if not verify_password(row.password_hash, old_password):
            raise DomainError("原密码不对，密码未修改", field="old_password")
        if new_password == old_password:
            raise DomainError("新密码不能与原密码相同", field="password")
        check_password(new_password, row.username)
        values = {"password_hash": hash_password(new_password)}
        update_versioned(Account, row.id, row.version, values, record=f"账号“{row.username}”")
        record_changes(
            ACCOUNT_ENTITY, row.id, "修改", {"密码": ""}, {"密码": "已修改"}, user=current_user()
        )
        return account_dto(_get(me.id))


def unlock(account_id: int) -> AccountDTO:
    """Unlock an account locked after wrong passwords (系统管理员 only)."""
    require(Permission.ACCOUNTS)
    with write_transaction():
        row = _get(account_id)
        was = row.locked_until
        Account.update(failed_logins=0, locked_until=None).where(Account.id == row.id).execute()
        if was is not None:
            record_changes(
                ACCOUNT_ENTITY,
                row.id,
                "修改",
                {"锁定至": was.strftime("%Y-%m-%d %H:%M")},
                {"锁定至": ""},
                user=current_user(),
                reason="系统管理员解锁",
            )
        return account_dto(_get(account_id))


def find_account(username: str) -> AccountDTO:
    """The account with this 登录名 (系统管理员 only); NotFoundError naming it."""
    require(Permission.ACCOUNTS)
    name = normalise_username(username)
    row = Account.get_or_none(Account.username == name)
    if row is None:
        raise NotFoundError(f"没有登录名为“{name}”的账号")
    return account_dto(row)


__all__ = [
    "AccountInput",
    "change_password",
    "create_account",
    "create_first_admin",
    "delete_account",
    "find_account",
    "get_account",
    "list_accounts",
    "reset_password",
    "set_active",
    "unlock",
    "update_account",
]
