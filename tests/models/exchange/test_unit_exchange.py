"""A unit's roster sent again after both offices edited it: a cadre changed on both sides is
a conflict showing both values; one changed there only is taken, one changed here only is
kept; the user's choice decides a conflict."""

from __future__ import annotations

from models import exchange as ex
from models.core.audit import ChangeLog
from models.roster.tables import Cadre, Unit
from tests.models.exchange.conftest import city, on


def _three() -> list[str]:
    return [
        c.id_card
        for c in Cadre.select().where(Cadre.id_card.is_null(False)).order_by(Cadre.id).limit(3)
    ]


def test_a_cadre_edited_on_both_sides_is_a_conflict_with_both_values(receiver, school, tmp_path):
    both, there, here = _three()
    Cadre.update(phone="0943-1111111").where(Cadre.id_card.in_([both, here])).execute()
    package = tmp_path / "city.cdx"
    with on(school, receiver):
        Cadre.update(phone="0943-2222222").where(Cadre.id_card.in_([both, there])).execute()
        ex.export_unit(city(), package)
    pv = ex.preview(package)
    cadres = next(t for t in pv.tables if t.table == "cadre")
    assert (cadres.count("冲突"), cadres.count("对方修改"), cadres.count("本地修改")) == (1, 1, 1)
    (conflict,) = pv.conflicts
    name = Cadre.get(Cadre.id_card == both).name
    assert conflict.title == f"{name}（身份证号 {both}）"
    assert [(d.field, d.mine, d.theirs) for d in conflict.differences] == [
        ("phone", "0943-1111111", "0943-2222222")
    ]

    result = ex.apply(pv, prefer="mine")
    assert (result.updated, result.kept) == (1, 2)
    phones = {
        c.id_card: c.phone for c in Cadre.select().where(Cadre.id_card.in_([both, there, here]))
    }
    assert phones == {both: "0943-1111111", there: "0943-2222222", here: "0943-1111111"}
    taken = ChangeLog.get(
        (ChangeLog.entity == "cadre") & (ChangeLog.field == "phone") & (ChangeLog.action == "修改")
    )
    assert taken.new_value == "0943-2222222"
    assert taken.reason == "接收交换包 city.cdx（市委党校，单位《白银市》）"

    # the same package again: the conflict kept for this office stays decided
    again = ex.preview(package)
    assert again.conflicts == ()
    # the user takes theirs for this one record after all
    with on(school, receiver):
        Cadre.update(phone="0943-3333333").where(Cadre.id_card == both).execute()
        ex.export_unit(city(), package)
    pv = ex.preview(package)
    (conflict,) = pv.conflicts
    ex.apply(pv, {("cadre", conflict.gid): "theirs"})
    assert Cadre.get(Cadre.id_card == both).phone == "0943-3333333"


def test_a_new_unit_and_cadre_there_arrive_here(receiver, school, tmp_path):
    package = tmp_path / "city.cdx"
    with on(school, receiver):
        parent = Unit.get(Unit.name == "靖远县")
        town = Unit.create(name="新设镇", parent=parent, sort_order=99)
        model = Cadre.select().first()
        values = {f.name: getattr(model, f.name) for f in Cadre._meta.sorted_fields}
        for key in ("id", "gid", "version"):
            values.pop(key)
        values.update(name="新来人", id_card="620402199001011230", unit=town.id)
        Cadre.create(**values)
        ex.export_unit(city(), package)
    pv = ex.preview(package)
    counts = {t.table: t.count("新增") for t in pv.tables}
    assert counts == {"unit": 1, "cadre": 1}
    ex.apply(pv)
    arrived = Cadre.get(Cadre.id_card == "620402199001011230")
    assert (arrived.name, arrived.unit.name, arrived.unit.parent.name) == (
        "新来人",
        "新设镇",
        "靖远县",
    )
    assert arrived.name_initials == "xlr"
    assert arrived.changed_by_office == "市委党校"
