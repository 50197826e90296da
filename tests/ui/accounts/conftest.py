"""Account screen fixtures: cheap password hashes, nobody logged in between tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

PASSWORD = "Secret2026"


@pytest.fixture(autouse=True)
def _cheap_hashes_and_no_session(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from argon2 import PasswordHasher, Type

    from models.accounts import logout, passwords

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    logout()
    yield
    logout()


@pytest.fixture
def admin(database):
    """The first 系统管理员 ``admin`` (password PASSWORD), not logged in."""
    from models.accounts import create_first_admin

    return create_first_admin("admin", "管理员", PASSWORD)
