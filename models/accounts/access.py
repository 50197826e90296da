"""Who is logged in, logging in and out, and the permission checks the services make.

A database without accounts (a single-user SQLite file, the embedded default) lets everyone
do everything, and changes are recorded under the computer's user. Once it has accounts,
every change needs a logged-in account whose role allows it, and the change log names that
account (:func:`models.core.audit.set_actor`), whatever ``$USER`` says.

The session belongs to this process and to the database it was opened on: opening another
database ends it.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from models.accounts.passwords import (
    hash_password,
    needs_rehash,
    verify_password,
)
from models.accounts.roles import Permission, is_unit_scoped, permissions_of
from models.accounts.tables import Account
from models.accounts.types import AccessDeniedError, AccountDTO, LoginError, account_dto
from models.accounts.units import cadre_names, cadre_units, parse_unit_ids, subtree, unit_names
from models.core.audit import ChangeLog, set_actor
from models.core.concurrency import when_text
from models.core.dates import now_seconds
from models.core.db import current_target, is_server, write_transaction

log = logging.getLogger(__name__)

LOCK_AFTER = 5
"""Wrong passwords in a row after which an account is locked."""
LOCK_MINUTES = 15
"""How long a locked account stays locked (a 系统管理员 may unlock it sooner)."""

ACCOUNT_ENTITY = "account"
_WRONG = "登录名或密码不对"
_NAMES_SHOWN = 5


@functools.cache
def _dummy_hash() -> str:
    """A valid hash of a password nobody has: checked for an unknown 登录名 too, so that the
    time a refusal takes does not tell whether the 登录名 exists (made on first use, not at
    start-up)."""
    return hash_password("cadredesk-no-such-account-1")


@dataclass(frozen=True)
class _Session:
    account_id: int
    username: str
    target: str


_session: _Session | None = None


def normalise_username(text: str) -> str:
    """A 登录名 as stored: without surrounding spaces, Latin letters in lower case."""
    return text.strip().lower()


def has_accounts() -> bool:
    """Whether the open database has any account (then work needs a login)."""
    return Account.select(Account.id).exists()


def _locked_text(username: str, until: dt.datetime) -> str:
    return (
        f"账号 {username} 连续 {LOCK_AFTER} 次密码错误，已锁定至 {when_text(until)}，"
        "请到时再试，或请系统管理员解锁"
    )


def _locked_row(name: str) -> Account | None:
    q = Account.select().where(Account.username == name)
    if is_server():
        q = q.for_update()  # two wrong passwords at once both count
    return q.first()


def login(username: str, password: str, *, now: dt.datetime | None = None) -> AccountDTO:
    """Log in: afterwards every change is recorded under this account and checked against
    its role. Raises LoginError: wrong 登录名 or password (the same message for both), a
    locked account (until when), a deactivated one. After :data:`LOCK_AFTER` wrong passwords
    in a row the account is locked for :data:`LOCK_MINUTES` minutes."""
    name = normalise_username(username)
    if not name or not password:
        raise LoginError("请输入登录名和密码")
    now = now or now_seconds()
    failure: LoginError | None = None
    with write_transaction():
        row = _locked_row(name)
        if row is None:
            verify_password(_dummy_hash(), password)
            failure = LoginError(_WRONG)
        else:
            locked = row.locked_until
            if locked is not None and locked > now:
                failure = LoginError(_locked_text(row.username, locked), locked_until=locked)
            elif not verify_password(row.password_hash, password):
                failure = _count_failure(row, now)
            elif not row.active:
                failure = LoginError(f"账号 {row.username} 已停用，请联系系统管理员")
            else:
                values: dict[str, object] = {
                    "failed_logins": 0,
                    "locked_until": None,
                    "last_login": now,
                }
                if needs_rehash(row.password_hash):
                    values["password_hash"] = hash_password(password)
                Account.update(values).where(Account.id == row.id).execute()
    if failure is not None:
        log.info("login refused for %r", name)
        raise failure
    assert row is not None
    _start(row.id, row.username)
    log.info("logged in: %s", row.username)
    return account_dto(Account.get_by_id(row.id))


def _count_failure(row: Account, now: dt.datetime) -> LoginError:
    """One more wrong password for ``row``; locks it at the LOCK_AFTER-th."""
    expired = row.locked_until is not None and row.locked_until <= now
    failed = (0 if expired else row.failed_logins) + 1
    if failed < LOCK_AFTER:
        Account.update(failed_logins=failed, locked_until=None).where(
            Account.id == row.id
        ).execute()
        return LoginError(_WRONG)
    until = now + dt.timedelta(minutes=LOCK_MINUTES)
    Account.update(failed_logins=failed, locked_until=until).where(Account.id == row.id).execute()
    # under the account being locked: whoever else may be logged in (切换账号) or the
    # computer's user did not do this; the wrong passwords for this 登录名 did
    ChangeLog.insert(
        at=now_seconds(),
        user=row.username,
        entity=ACCOUNT_ENTITY,
        entity_id=row.id,
        action="修改",
        field="锁定至",
        old_value="",
        new_value=until.strftime("%Y-%m-%d %H:%M"),
        reason=f"连续 {LOCK_AFTER} 次密码错误",
    ).execute()
    return LoginError(_locked_text(row.username, until), locked_until=until)


def _start(account_id: int, username: str) -> None:
    global _session
    _session = _Session(account_id, username, current_target())
    set_actor(username)


def logout() -> None:
    """End the session: later changes are refused (or, on a database without accounts,
    recorded under the computer's user)."""
    global _session
    if _session is not None:
        log.info("logged out: %s", _session.username)
    _session = None
    set_actor(None)


def _session_row() -> Account | None:
    """The logged-in account's row as it is now, or None (nobody, another database, or the
    account was deleted meanwhile: then the session ends)."""
    if _session is None:
        return None
    if _session.target != current_target():
        logout()
        return None
    row = Account.get_or_none(Account.id == _session.account_id)
    if row is None:
        logout()
    return row


def current_account() -> AccountDTO | None:
    """The logged-in account, or None."""
    row = _session_row()
    return None if row is None else account_dto(row)


def can(permission: Permission) -> bool:
    """Whether the logged-in account (or anyone, on a database without accounts) may do
    ``permission`` at all, for greying out buttons; the services check for themselves."""
    row = _session_row()
    if row is None:
        return not has_accounts()
    return bool(row.active) and permission in permissions_of(row.role)


def require(permission: Permission, *, unit_ids: Iterable[int] | None = None) -> None:
    """Raise AccessDeniedError unless the logged-in account may do ``permission`` (for a
    考核录入 account: only for ``unit_ids`` inside its units and their sub-units). On a
    database without accounts everything is allowed."""
    _require(permission, None if unit_ids is None else (lambda: _by_unit(unit_ids)))


def require_for_cadres(
    permission: Permission, cadre_ids: Sequence[int], *, round_id: int | None = None
) -> None:
    """:func:`require` for work on these cadres: a 考核录入 account only for cadres of its
    units (in a 考核 round, the unit they are assessed with). The cadres' units are read
    only for such an account."""
    _require(permission, lambda: _by_cadre(cadre_ids, round_id))


def _by_unit(unit_ids: Iterable[int]) -> dict[int, list[int]]:
    return {u: [] for u in unit_ids}


def _by_cadre(cadre_ids: Sequence[int], round_id: int | None) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for cid, uid in cadre_units(cadre_ids, round_id).items():
        out.setdefault(uid, []).append(cid)
    return out


def _require(permission: Permission, scope: Callable[[], dict[int, list[int]]] | None) -> None:
    row = _session_row()
    if row is None:
        if not has_accounts():
            return
        raise AccessDeniedError(f"请先登录：此数据库已建立账号，{permission}需要登录有权限的账号")
    who = f"账号 {row.username}（{row.role}）"
    if not row.active:
        raise AccessDeniedError(f"账号 {row.username} 已停用，不能{permission}")
    if permission not in permissions_of(row.role):
        raise AccessDeniedError(f"{who}无权{permission}")
    if not is_unit_scoped(row.role):
        return
    assigned = parse_unit_ids(row.unit_ids)
    if not assigned:
        raise AccessDeniedError(f"{who}还没有分配负责单位，不能{permission}；请系统管理员分配")
    if scope is None:
        raise AccessDeniedError(f"{who}只能为负责单位的干部{permission}，不能做不限单位的操作")
    wanted = scope()
    outside = sorted(set(wanted) - subtree(assigned))
    if not outside:
        return
    names = unit_names([*assigned, *outside])
    mine = "、".join(names.get(u, str(u)) for u in assigned)
    theirs = "、".join(names.get(u, f"单位{u}") for u in outside[:_NAMES_SHOWN])
    people = [c for u in outside for c in wanted[u]]
    whom = theirs
    if people:
        shown = cadre_names(people[:_NAMES_SHOWN])
        listed = "、".join(shown.get(c, str(c)) for c in people[:_NAMES_SHOWN])
        more = f"等 {len(people)} 人" if len(people) > _NAMES_SHOWN else ""
        whom = f"{theirs}的 {listed}{more}"
    raise AccessDeniedError(f"{who}只负责 {mine}（含下级单位），无权为 {whom} {permission}")


__all__ = [
    "ACCOUNT_ENTITY",
    "LOCK_AFTER",
    "LOCK_MINUTES",
    "can",
    "current_account",
    "has_accounts",
    "login",
    "logout",
    "normalise_username",
    "require",
    "require_for_cadres",
]
