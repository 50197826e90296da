import datetime as dt

import pytest

from models.core.audit import history
from models.core.errors import DomainError
from models.roster import codes
from models.roster import service as roster

TODAY = dt.date(2026, 11, 22)
ID = "620421197503120014"


def item(kind, name):
    return next(i for i in codes.list_items(kind) if i.name == name)


def test_add_rename_updates_cadres_and_is_logged(units):
    new = codes.add_item("degree", "公共管理硕士", "3A")
    assert new.sort_order == max(i.sort_order for i in codes.list_items("degree"))
    c = roster.save_cadre(
        roster.CadreInput(
            name="张三",
            id_card=ID,
            unit_id=units["org"],
            ft_degree="公共管理硕士",
            pt_degree="公共管理硕士",
        ),
        today=TODAY,
    )
    assert item("degree", "公共管理硕士").used == 2
    changed = codes.rename_item(new.id, "公共管理硕士（MPA）", user="小王")
    assert changed == 2
    after = roster.get_cadre(c.id)
    assert (after.ft_degree, after.pt_degree) == ("公共管理硕士（MPA）", "公共管理硕士（MPA）")
    log = [h for h in history("cadre", c.id) if h.action == "修改"]
    assert {(h.field, h.old_value, h.new_value) for h in log} == {
        ("ft_degree", "公共管理硕士", "公共管理硕士（MPA）"),
        ("pt_degree", "公共管理硕士", "公共管理硕士（MPA）"),
    }
    assert "公共管理硕士（MPA）" in roster.picklist("degree")


def test_names_must_be_unique_and_non_empty(database):
    with pytest.raises(DomainError, match="民族中已有“汉族”"):
        codes.add_item("ethnicity", "汉族")
    with pytest.raises(DomainError, match="不能为空"):
        codes.add_item("ethnicity", "  ")
    with pytest.raises(DomainError, match="没有名为"):
        codes.list_items("nonsense")


def test_items_in_use_are_switched_off_not_deleted(units):
    roster.save_cadre(
        roster.CadreInput(name="张三", id_card=ID, unit_id=units["org"], health="一般"),
        today=TODAY,
    )
    used = item("health", "一般")
    with pytest.raises(DomainError, match="已被 1 条记录使用，不能删除"):
        codes.delete_item(used.id)
    codes.set_active(used.id, False)
    assert "一般" not in roster.picklist("health")
    unused = item("health", "较差")
    codes.delete_item(unused.id)
    assert "较差" not in roster.picklist("health", include_inactive=True)


def test_move_changes_the_order(database):
    before = roster.picklist("health")
    codes.move_item(item("health", before[-1]).id, -1)
    after = roster.picklist("health")
    assert after == [*before[:-2], before[-1], before[-2]]
    codes.move_item(item("health", after[0]).id, -1)  # already first: nothing moves
    assert roster.picklist("health") == after
