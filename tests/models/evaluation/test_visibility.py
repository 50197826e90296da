"""A unit's clerk (考核录入 account) in the 单位考评: sees and reports only the tasks its
units lead, files evidence only for them, and may not touch the 考评办's year-end scores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from argon2 import PasswordHasher, Type

from models.accounts import (
    AccessDeniedError,
    AccountInput,
    create_account,
    create_first_admin,
    login,
    logout,
    passwords,
)
from models.accounts.roles import SCORE_CLERK
from models.core.audit import ChangeLog
from models.evaluation import file_evidence, list_tasks, set_team, submit_check

D = Decimal
Y = 2025
PASSWORD = "Secret2026"
ON_TIME = dt.date(Y, 7, 5)


@pytest.fixture
def clerk(plan, units, monkeypatch):  # noqa: ANN001, ANN201
    """乌兰镇's clerk, logged in (cheap argon2 costs: the real ones are tested elsewhere)."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1, type=Type.ID)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    create_first_admin("admin", "管理员", PASSWORD)
    login("admin", PASSWORD)
    create_account(AccountInput("clerk", "乌兰镇录入员", SCORE_CLERK, (units["town"],)), PASSWORD)
    logout()
    login("clerk", PASSWORD)
    yield plan
    logout()


def test_a_clerk_sees_and_reports_only_its_units_tasks(clerk, units) -> None:
    org_task, town_task = clerk
    assert [t.title for t in list_tasks(Y)] == ["乡村振兴示范村建设"]
    check = submit_check(town_task, 2, "完成一期", D(88), today=ON_TIME)
    assert check.submitted_by == "clerk"
    file_evidence(check.id, "台账.txt", b"ledger", today=ON_TIME)
    with pytest.raises(AccessDeniedError, match="只负责 乌兰镇（含下级单位），无权为 市委组织部"):
        submit_check(org_task, 2, "推进", D(90), today=ON_TIME)
    # the 考评办's work is not a unit clerk's
    items = dict.fromkeys(("sxzz", "ldsp", "gzsj", "zdrw", "fflz"), D(99))
    with pytest.raises(AccessDeniedError):
        set_team(Y, units["town"], items, {"staff": {"好": 9}})
    logout()
    login("admin", PASSWORD)
    assert len(list_tasks(Y)) == 2
    theirs = submit_check(org_task, 2, "推进", D(90), today=ON_TIME)
    logout()
    login("clerk", PASSWORD)
    with pytest.raises(AccessDeniedError, match="无权为 市委组织部"):
        file_evidence(theirs.id, "台账.txt", b"not mine", today=ON_TIME)


def test_a_clerk_cannot_approve_a_late_one_itself(clerk) -> None:
    _org_task, town_task = clerk
    late = dt.date(Y, 7, 20)  # the second quarter was due 07-10
    with pytest.raises(AccessDeniedError, match="无权计算和调整考核等次"):
        submit_check(town_task, 2, "补报", D(80), today=late, late_approved=True)
    check = submit_check(town_task, 3, "推进", D(88), today=dt.date(Y, 10, 5))
    with pytest.raises(AccessDeniedError):
        file_evidence(check.id, "台账.txt", b"late", today=dt.date(Y, 10, 20), late_approved=True)
    logout()
    login("admin", PASSWORD)  # the 考评办 approves it
    filed = submit_check(town_task, 2, "补报", D(80), today=late, late_approved=True)
    assert filed.late
    log = ChangeLog.select().where(ChangeLog.entity == "self_check").order_by(ChangeLog.id.desc())
    assert log.first().reason == "经考评办同意逾期补报（admin）"
