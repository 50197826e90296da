"""Roles checked in the services themselves: a database without accounts allows everything;
once it has accounts nothing changes without a login; each role may do only its own work,
and a 考核录入 account only for the cadres of its units (sub-units included)."""

from __future__ import annotations

import pytest

from models.accounts import (
    ADMIN,
    CADRE_OFFICE,
    READ_ONLY,
    ROLES,
    SCORE_CLERK,
    TRAINING_OFFICE,
    AccessDeniedError,
    Permission,
    can,
    create_first_admin,
    login,
    logout,
    permissions_of,
    require,
)
from models.assessment import (
    ScoreCell,
    VoteEntry,
    add_unit_members,
    approve_round,
    create_round,
    person_scores,
    set_scores,
    set_votes_block,
)
from models.roster import service as roster
from models.roster.tables import Cadre, Unit
from models.roster.units import add_unit
from models.training.resources import list_rooms, save_room
from tests.models.accounts.conftest import PASSWORD, cadre_input


def test_a_database_without_accounts_allows_everything(database, units):
    for permission in Permission:
        require(permission)
        assert can(permission)
    assert roster.save_cadre(cadre_input(units["org"])).name == "张三"


def test_once_accounts_exist_nothing_changes_without_a_login(database, units):
    create_first_admin("admin", "管理员", PASSWORD)
    with pytest.raises(AccessDeniedError, match="请先登录") as refused:
        roster.save_cadre(cadre_input(units["org"]))
    assert "修改干部名册" in str(refused.value)
    with pytest.raises(AccessDeniedError, match="请先登录"):
        add_unit("新单位")
    assert Cadre.select().count() == 0
    assert not Unit.select().where(Unit.name == "新单位").exists()
    assert not can(Permission.ROSTER)


def test_the_permissions_of_each_role():
    assert permissions_of(ADMIN) == frozenset(Permission) - {Permission.APPROVE}
    assert Permission.APPROVE in permissions_of(CADRE_OFFICE)
    assert Permission.ACCOUNTS not in permissions_of(CADRE_OFFICE)
    assert Permission.BACKUP not in permissions_of(CADRE_OFFICE)
    assert Permission.TRAINING not in permissions_of(CADRE_OFFICE)
    assert permissions_of(TRAINING_OFFICE) == {Permission.TRAINING, Permission.ATTENDANCE}
    assert permissions_of(SCORE_CLERK) == {Permission.SCORES}
    assert permissions_of(READ_ONLY) == frozenset()
    # only 系统管理员 manages accounts; only 干部科 approves (审定 is not the IT's decision)
    assert [r for r in ROLES if Permission.ACCOUNTS in permissions_of(r)] == [ADMIN]
    assert [r for r in ROLES if Permission.APPROVE in permissions_of(r)] == [CADRE_OFFICE]


def test_read_only_changes_nothing_and_is_told_who_and_what(as_role, units):
    me = as_role(READ_ONLY)
    with pytest.raises(AccessDeniedError) as refused:
        roster.save_cadre(cadre_input(units["org"]))
    assert str(refused.value) == f"账号 {me.username}（只读）无权修改干部名册（含导入）"
    with pytest.raises(AccessDeniedError, match="（只读）无权管理培训班"):
        save_room("第一教室", 60)
    assert Cadre.select().count() == 0
    assert list_rooms() == []


def test_training_office_runs_training_but_only_reads_the_roster(as_role, units):
    as_role(TRAINING_OFFICE)
    assert save_room("第一教室", 60).name == "第一教室"
    with pytest.raises(AccessDeniedError, match="（教育培训）无权修改干部名册"):
        roster.save_cadre(cadre_input(units["org"]))
    assert roster.count_cadres() == 0  # reading is open


def _round_with_people(units) -> tuple[int, dict[str, int]]:
    """The 2025 round with 张三 in 市委组织部 and 王芳 in 乌兰镇 (under 靖远县)."""
    ids = {
        "张三": roster.save_cadre(cadre_input(units["org"], "张三", 1)).id,
        "王芳": roster.save_cadre(cadre_input(units["town"], "王芳", 2)).id,
    }
    rnd = create_round(2025)
    add_unit_members(rnd.id, units["org"])
    add_unit_members(rnd.id, units["town"])
    return rnd.id, ids


def test_score_clerk_enters_scores_only_for_its_units(admin, as_role, units):
    round_id, ids = _round_with_people(units)
    clerk = as_role(SCORE_CLERK, (units["county"],))
    # 乌兰镇 is under 靖远县: allowed
    assert set_scores(round_id, [ScoreCell(ids["王芳"], "de", "18")]) == 1
    assert person_scores(round_id, ids["王芳"])["de"] == 18
    # 市委组织部 is not: refused, naming the account, its units, the person and the work
    with pytest.raises(AccessDeniedError) as refused:
        set_scores(
            round_id,
            [ScoreCell(ids["王芳"], "neng", "13"), ScoreCell(ids["张三"], "de", "19")],
        )
    text = str(refused.value)
    assert text.startswith(f"账号 {clerk.username}（考核录入）只负责 靖远县（含下级单位）")
    assert "市委组织部的 张三" in text
    assert "录入考核得分与民主测评票数" in text
    assert person_scores(round_id, ids["张三"]) == {}
    assert "neng" not in person_scores(round_id, ids["王芳"])  # nothing of the block stored
    with pytest.raises(AccessDeniedError, match="张三"):
        set_votes_block(round_id, [VoteEntry(ids["张三"], {"superior": {"优秀": 3}})])
    # and nothing but scores
    with pytest.raises(AccessDeniedError, match="（考核录入）无权审定考核结果"):
        approve_round(round_id, reason="审定")
    with pytest.raises(AccessDeniedError, match="（考核录入）无权修改干部名册"):
        roster.save_cadre(cadre_input(units["town"], "赵敏", 3))


def test_score_clerk_uses_the_unit_the_person_is_assessed_with(admin, as_role, units):
    """A person moved after the round was set up is still scored by the unit of the round."""
    round_id, ids = _round_with_people(units)
    Cadre.update(unit=units["org"]).where(Cadre.id == ids["王芳"]).execute()
    as_role(SCORE_CLERK, (units["town"],))
    assert set_scores(round_id, [ScoreCell(ids["王芳"], "de", "17")]) == 1


def test_cadre_office_may_approve_but_not_manage_training(as_role, units):
    login("admin", PASSWORD)
    round_id, ids = _round_with_people(units)
    with pytest.raises(AccessDeniedError, match="（系统管理员）无权审定考核结果"):
        require(Permission.APPROVE)  # the administrator runs the system, 干部科 decides
    logout()
    as_role(CADRE_OFFICE)
    assert set_scores(round_id, [ScoreCell(ids["张三"], "de", "19")]) == 1
    require(Permission.APPROVE)
    with pytest.raises(AccessDeniedError, match="（干部科）无权管理培训班"):
        save_room("第二教室", 40)


def test_a_deactivated_account_still_logged_in_is_refused(admin, as_role, units):
    from models.accounts import Account

    me = as_role(CADRE_OFFICE)
    Account.update(active=False).where(Account.id == me.id).execute()  # by another client
    with pytest.raises(AccessDeniedError, match=f"账号 {me.username} 已停用"):
        roster.save_cadre(cadre_input(units["org"]))
