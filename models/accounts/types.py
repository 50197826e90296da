"""What the screens and commands get about an account (never its password hash), and the
errors of logging in and of refused work."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from models.accounts.tables import Account
from models.accounts.units import parse_unit_ids, unit_names
from models.core.concurrency import when_text
from models.core.dates import now_seconds
from models.core.errors import DomainError


class AccessDeniedError(DomainError):
    """The logged-in account (or nobody, once the database has accounts) may not do this;
    nothing was changed. The message names the account, its role and what was refused."""


class LoginError(DomainError):
    """Logging in failed: wrong 登录名 or password, a locked or deactivated account.
    ``locked_until`` is set when the account is locked."""

    def __init__(self, message: str, *, locked_until: dt.datetime | None = None) -> None:
        super().__init__(message, field="password")
        self.locked_until = locked_until


@dataclass(frozen=True)
class AccountDTO:
    id: int
    username: str
    display_name: str
    role: str
    unit_ids: tuple[int, ...]
    unit_names: tuple[str, ...]
    active: bool
    failed_logins: int
    locked_until: dt.datetime | None
    last_login: dt.datetime | None
    created_at: dt.datetime
    version: int

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or now_seconds())

    @property
    def label(self) -> str:
        """'zhangsan（张三）', or the 登录名 alone without a 姓名."""
        return f"{self.username}（{self.display_name}）" if self.display_name else self.username

    @property
    def status_text(self) -> str:
        """停用, 锁定至 HH:MM, or 正常."""
        if not self.active:
            return "停用"
        if self.is_locked() and self.locked_until is not None:
            return f"锁定至 {when_text(self.locked_until)}"
        return "正常"


def _as_datetime(value: object) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def account_dto(row: Account, names: dict[int, str] | None = None) -> AccountDTO:
    """The DTO of ``row``; ``names`` (unit id → name) saves a query per row in a list."""
    ids = parse_unit_ids(row.unit_ids)
    names = unit_names(ids) if names is None else names
    created = _as_datetime(row.created_at)
    return AccountDTO(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=row.role,
        unit_ids=ids,
        unit_names=tuple(names.get(u, f"单位{u}（已删除）") for u in ids),
        active=bool(row.active),
        failed_logins=row.failed_logins,
        locked_until=_as_datetime(row.locked_until),
        last_login=_as_datetime(row.last_login),
        created_at=created if created is not None else now_seconds(),
        version=row.version,
    )


__all__ = ["AccessDeniedError", "AccountDTO", "LoginError", "account_dto"]
