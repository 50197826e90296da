"""Packages of other program versions: one written at schema 14 (before later fields) is
read in today's shape — a field it lacks takes the column's default on a new row and leaves
an existing row's value alone; a known change of shape is undone for older packages only;
one older than exchange packages, or from a newer program, is refused in Chinese."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from models import exchange as ex
from models.core.errors import DomainError
from models.exchange import upgrade
from models.exchange.package import read_package, write_package
from models.roster.tables import Cadre, Unit
from models.schema import LATEST
from tests.models.exchange.conftest import city, on

NEW_CARD = "620402199001011230"


def _roster_package(school: Path, back: str, out: Path) -> None:
    """The 党校 adds 新来人 and sends the city's roster."""
    with on(school, back):
        model = Cadre.select().first()
        values = {f.name: getattr(model, f.name) for f in Cadre._meta.sorted_fields}
        for key in ("id", "gid", "version"):
            values.pop(key)
        values.update(name="新来人", id_card=NEW_CARD, staff_category="公务员")
        values["unit"] = Unit.get(Unit.name == "靖远县").id
        Cadre.create(**values)
        ex.export_unit(city(), out)


def _rewrite(path: Path, out: Path, schema: int, change: Any) -> None:
    """The package at ``path`` written again as a program of ``schema`` would, its cadre
    records passed through ``change``."""
    p = read_package(path, schema=LATEST)
    for record in p.tables["cadre"]:
        change(record["f"])
    m = p.manifest
    head = {
        "schema": schema,
        "office": m.office,
        "created": m.created,
        "scope": m.scope,
        "title": m.title,
    }
    write_package(out, head, p.tables)


def test_a_schema_14_package_without_a_later_field_is_read_with_its_default(
    receiver, school, tmp_path
):
    current, old = tmp_path / "now.cdx", tmp_path / "v14.cdx"
    _roster_package(school, receiver, current)
    _rewrite(current, old, 14, lambda f: f.pop("staff_category"))
    assert all(
        "staff_category" not in r["f"] for r in read_package(old, schema=LATEST).tables["cadre"]
    )
    someone = Cadre.select().where(Cadre.id_card.is_null(False)).first()
    Cadre.update(staff_category="参公").where(Cadre.id == someone.id).execute()

    pv = ex.preview(old)
    assert pv.manifest.schema == 14
    cadres = next(t for t in pv.tables if t.table == "cadre")
    assert cadres.counts == {"新增": 1, "相同": cadres.count("相同")}  # no conflict over it
    ex.apply(pv)
    assert Cadre.get(Cadre.id_card == NEW_CARD).staff_category == ""  # the default
    assert Cadre.get_by_id(someone.id).staff_category == "参公"  # left as it was

    # the sender's program is upgraded: its package now carries the field, which counts —
    # taken where only the sender's value differs from the default, kept where changed here
    pv = ex.preview(current)
    cadres = next(t for t in pv.tables if t.table == "cadre")
    assert (cadres.count("对方修改"), cadres.count("本地修改"), cadres.count("冲突")) == (1, 1, 0)
    ex.apply(pv)
    assert Cadre.get(Cadre.id_card == NEW_CARD).staff_category == "公务员"
    assert Cadre.get_by_id(someone.id).staff_category == "参公"


def test_a_known_change_of_shape_is_undone_for_older_packages_only(
    receiver, school, tmp_path, monkeypatch
):
    current, old = tmp_path / "now.cdx", tmp_path / "old.cdx"
    _roster_package(school, receiver, current)

    def rename(f: dict[str, Any]) -> None:
        f["mobile"] = f.pop("phone")

    _rewrite(current, old, 14, rename)
    with pytest.raises(DomainError, match="含有不应有的字段mobile"):
        ex.preview(old)  # no step knows "mobile" yet

    def back(tables: dict[str, list[dict[str, Any]]]) -> None:
        for r in tables.get("cadre", []):
            r["f"]["phone"] = r["f"].pop("mobile")

    step = upgrade.ShapeStep(LATEST, "电话字段曾名 mobile", back)
    monkeypatch.setattr(upgrade, "STEPS", [step])
    ex.apply(ex.preview(old))
    with on(school, receiver):
        phone = Cadre.get(Cadre.id_card == NEW_CARD).phone
    assert Cadre.get(Cadre.id_card == NEW_CARD).phone == phone != ""
    _rewrite(current, old, LATEST, rename)  # written at today's schema: not undone
    with pytest.raises(DomainError, match="含有不应有的字段mobile"):
        ex.preview(old)


def test_packages_older_than_exchange_or_from_a_newer_program_are_refused(
    receiver, school, tmp_path
):
    current, other = tmp_path / "now.cdx", tmp_path / "other.cdx"
    _roster_package(school, receiver, current)
    _rewrite(current, other, 13, lambda f: None)
    with pytest.raises(DomainError, match="数据库版本为 13，早于交换功能"):
        ex.preview(other)
    _rewrite(current, other, LATEST + 1, lambda f: None)
    with pytest.raises(
        DomainError, match=f"较新版本的程序生成.*只能接收数据库版本 {LATEST} 及以前"
    ):
        ex.preview(other)
    assert not Cadre.select().where(Cadre.id_card == NEW_CARD).exists()
