import datetime as dt

import pytest

from models.core.errors import DomainError
from models.roster import service as roster
from models.roster import units as unit_service


def test_add_rename_and_move_units(units):
    office = unit_service.add_unit("办公室", units["county"])
    assert roster.unit_paths()[office.id] == "白银市/靖远县/办公室"
    renamed = unit_service.rename_unit(office.id, " 县委  办公室 ")
    assert renamed.name == "县委 办公室"
    moved = unit_service.move_unit(office.id, units["party"])
    assert moved.parent_id == units["party"]
    assert office.id in roster.subtree_ids(units["city"])


def test_bad_names_and_moves_are_refused(units):
    with pytest.raises(DomainError, match="不能为空"):
        unit_service.add_unit("  ", units["city"])
    with pytest.raises(DomainError, match="“白银市”下已有名为“市委”的单位"):
        unit_service.add_unit("市委", units["city"])
    with pytest.raises(DomainError, match="不能有“/”"):
        unit_service.add_unit("市委/办公室", units["city"])
    with pytest.raises(DomainError, match="它自己或它的下级单位"):
        unit_service.move_unit(units["county"], units["town"])


def test_units_with_people_or_children_cannot_be_deleted(units):
    roster.save_cadre(
        roster.CadreInput(name="张三", id_card="620421197503120014", unit_id=units["town"]),
        today=dt.date(2026, 11, 22),
    )
    with pytest.raises(DomainError, match="下还有 1 个下级单位"):
        unit_service.delete_unit(units["county"])
    with pytest.raises(DomainError, match="还有 1 名干部"):
        unit_service.delete_unit(units["town"])
    empty = unit_service.add_unit("临时机构", units["city"])
    unit_service.delete_unit(empty.id)
    assert empty.id not in roster.unit_paths()


def test_reorder_siblings(units):
    a = unit_service.add_unit("甲", units["city"])
    names = lambda: [u.name for u in roster.list_units() if u.parent_id == units["city"]]  # noqa: E731
    assert names() == ["市委", "靖远县", "甲"]
    unit_service.move_unit_order(a.id, -1)
    assert names() == ["市委", "甲", "靖远县"]
