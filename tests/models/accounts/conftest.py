"""Accounts test fixtures: nobody stays logged in after a test, a first 系统管理员, and a
helper that makes and logs in an account of a given role."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

PASSWORD = "Secret2026"


@pytest.fixture(autouse=True)
def _cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with tiny costs: the real ones take about 0.3 s a hash, dozens per test.
    (test_login checks the real parameters.)"""
    from argon2 import PasswordHasher, Type

    from models.accounts import passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)
    monkeypatch.setattr(passwords, "_hasher", cheap)


@pytest.fixture(autouse=True)
def _nobody_logged_in() -> Iterator[None]:
    from models.accounts import logout

    logout()
    yield
    logout()


@pytest.fixture
def admin(database):
    """The first 系统管理员 ``admin`` (password :data:`PASSWORD`), logged in."""
    from models.accounts import create_first_admin, login

    create_first_admin("admin", "管理员", PASSWORD)
    return login("admin", PASSWORD)


@pytest.fixture
def as_role(admin) -> Callable[..., object]:
    """``as_role(role, units=())``: a new account of ``role`` made by the admin, logged in."""
    from models.accounts import AccountInput, create_account, login, logout

    made = iter(range(1, 100))

    def make(role: str, units: tuple[int, ...] = ()) -> object:
        name = f"user{next(made)}"
        login("admin", PASSWORD)
        create_account(AccountInput(name, f"{role}人员", role, units), PASSWORD)
        logout()
        return login(name, PASSWORD)

    return make


def cadre_input(unit_id: int, name: str = "张三", seq: int = 1):
    """A valid new cadre (with a valid 身份证号) in ``unit_id``."""
    import datetime as dt

    from models.roster import idcard
    from models.roster.service import CadreInput

    first17 = f"62040219800101{seq:02d}1"
    return CadreInput(
        name=name,
        sex="男",
        birth_date=dt.date(1980, 1, 1),
        unit_id=unit_id,
        id_card=first17 + idcard.check_char(first17),
    )
