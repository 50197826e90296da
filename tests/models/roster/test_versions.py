"""Optimistic locking of the roster's shared data: units, code-table items and a cadre's
status. Each edit carries the version the screen read; when someone else (王科长, another
clerk on the same database) changed the record meanwhile, the edit is refused with a message
naming who, when and what it is now, and nothing stored changes. Runs on SQLite and
PostgreSQL (the ``database`` fixture)."""

from __future__ import annotations

import datetime as dt

import pytest

from models.core.audit import history
from models.core.errors import ConflictError, DomainError, NotFoundError
from models.roster import codes
from models.roster import service as roster
from models.roster import units as unit_service
from models.roster.types import RosterFilter

TODAY = dt.date(2026, 11, 22)
ID = "620421197503120014"
OTHER = "王科长"


def unit(unit_id: int):  # noqa: ANN201
    return next(u for u in roster.list_units() if u.id == unit_id)


def item(kind: str, name: str) -> codes.CodeItem:
    return next(i for i in codes.list_items(kind) if i.name == name)


def refused(exc: pytest.ExceptionInfo[ConflictError], *parts: str) -> str:
    text = str(exc.value)
    assert f"已被 {OTHER} 于 " in text, text
    assert text.endswith("，请刷新后重试"), text
    for p in parts:
        assert p in text, text
    return text


# --------------------------------------------------------------------------- units


def test_unit_dto_carries_the_version_and_each_edit_raises_it(units):
    town = unit(units["town"])
    assert town.version == 1
    renamed = unit_service.rename_unit(town.id, "乌兰新镇", expected_version=town.version)
    assert renamed.version == 2
    moved = unit_service.move_unit(town.id, units["city"], expected_version=renamed.version)
    assert moved.version == 3
    unit_service.move_unit_order(town.id, -1, expected_version=moved.version)
    assert unit(town.id).version == 4
    assert roster.unit_paths()[town.id] == "白银市/乌兰新镇"


def test_stale_unit_rename_is_refused_and_the_other_name_kept(units):
    shown = unit(units["town"])
    unit_service.rename_unit(shown.id, "乌兰新镇", user=OTHER, expected_version=shown.version)
    with pytest.raises(ConflictError) as exc:
        unit_service.rename_unit(shown.id, "乌兰镇人民政府", expected_version=shown.version)
    refused(exc, "所选单位", "修改", "（现为“白银市/靖远县/乌兰新镇”）")
    stored = unit(shown.id)
    assert (stored.name, stored.version) == ("乌兰新镇", shown.version + 1)
    assert [h.new_value for h in history("unit", shown.id) if h.field == "name"] == ["乌兰新镇"]


def test_stale_unit_move_reorder_and_delete_are_refused(units):
    shown = unit(units["town"])
    unit_service.move_unit(shown.id, units["party"], user=OTHER, expected_version=shown.version)
    with pytest.raises(ConflictError) as exc:
        unit_service.move_unit(shown.id, units["city"], expected_version=shown.version)
    refused(exc, "（现为“白银市/市委/乌兰镇”）")
    with pytest.raises(ConflictError):
        unit_service.move_unit_order(shown.id, -1, expected_version=shown.version)
    with pytest.raises(ConflictError):
        unit_service.delete_unit(shown.id, expected_version=shown.version)
    stored = unit(shown.id)
    assert (stored.parent_id, stored.version) == (units["party"], shown.version + 1)
    assert [u.id for u in roster.list_units() if u.parent_id == units["party"]] == [
        units["org"],
        shown.id,
    ]


def test_reorder_by_someone_else_makes_an_old_rename_stale(units):
    shown = unit(units["county"])
    unit_service.move_unit_order(shown.id, -1, user=OTHER, expected_version=shown.version)
    with pytest.raises(ConflictError) as exc:
        unit_service.rename_unit(shown.id, "靖远", expected_version=shown.version)
    refused(exc)
    assert unit(shown.id).name == "靖远县"
    change = [h for h in history("unit", shown.id) if h.field == "sort_order"]
    assert [(h.user, h.old_value, h.new_value) for h in change] == [(OTHER, "2", "1")]


def test_edit_of_a_unit_deleted_meanwhile_names_who_deleted_it(units):
    office = unit_service.add_unit("临时机构", units["city"])
    unit_service.delete_unit(office.id, user=OTHER, expected_version=office.version)
    with pytest.raises(ConflictError) as exc:
        unit_service.rename_unit(office.id, "常设机构", expected_version=office.version)
    text = refused(exc, "单位“临时机构”", "删除")
    assert "现为" not in text
    # an old caller without a version still gets "not found"
    with pytest.raises(NotFoundError):
        unit_service.rename_unit(office.id, "常设机构")


def test_unit_edits_without_a_version_still_work_and_check_names(units):
    assert unit_service.rename_unit(units["town"], "乌兰新镇").version == 2
    with pytest.raises(DomainError, match="已有名为“市委”"):
        unit_service.rename_unit(units["county"], "市委")
    assert unit(units["county"]).version == 1  # a refused edit leaves the version


# --------------------------------------------------------------------------- code tables


def test_code_item_edits_carry_and_raise_the_version(database):
    han = item("ethnicity", "汉族")
    changed = codes.set_variants(han.id, [*han.variants, "汉族人"], expected_version=han.version)
    assert (changed.variants[-1], changed.version) == ("汉族人", han.version + 1)
    codes.set_active(han.id, False, expected_version=han.version + 1)
    assert item("ethnicity", "汉族").version == han.version + 2


def test_stale_code_item_rename_is_refused_and_cadres_keep_their_value(units):
    c = roster.save_cadre(
        roster.CadreInput(name="张三", id_card=ID, unit_id=units["org"], ft_degree="硕士"),
        today=TODAY,
    )
    shown = item("degree", "硕士")
    codes.set_variants(shown.id, ["硕士研究生"], user=OTHER, expected_version=shown.version)
    with pytest.raises(ConflictError) as exc:
        codes.rename_item(shown.id, "硕士学位", expected_version=shown.version)
    refused(exc, "所选学位", "（现为“硕士”）")
    assert item("degree", "硕士").variants == ("硕士研究生",)
    assert roster.get_cadre(c.id).ft_degree == "硕士"
    assert roster.get_cadre(c.id).version == c.version


def test_stale_switch_off_variants_move_and_delete_are_refused(database):
    shown = item("ethnicity", "满族")
    codes.set_active(shown.id, False, user=OTHER, expected_version=shown.version)
    with pytest.raises(ConflictError) as exc:
        codes.set_variants(shown.id, [*shown.variants, "满族人"], expected_version=shown.version)
    refused(exc, "（现为“满族（已停用）”）")
    order = [i.id for i in codes.list_items("ethnicity")]
    with pytest.raises(ConflictError):
        codes.move_item(shown.id, -1, expected_version=shown.version)
    with pytest.raises(ConflictError):
        codes.delete_item(shown.id, expected_version=shown.version)
    with pytest.raises(ConflictError):
        codes.set_active(shown.id, True, expected_version=shown.version)
    now = item("ethnicity", "满族")
    assert (now.active, now.variants, now.version) == (False, shown.variants, shown.version + 1)
    assert [i.id for i in codes.list_items("ethnicity")] == order


def test_move_of_a_code_item_is_logged_and_makes_an_old_edit_stale(database):
    shown = item("ethnicity", "回族")
    pos = [i.id for i in codes.list_items("ethnicity")].index(shown.id)
    codes.move_item(shown.id, -1, user=OTHER, expected_version=shown.version)
    assert [i.id for i in codes.list_items("ethnicity")].index(shown.id) == pos - 1
    with pytest.raises(ConflictError) as exc:
        codes.set_active(shown.id, False, expected_version=shown.version)
    refused(exc, "（现为“回族”）")
    assert item("ethnicity", "回族").active


def test_edit_of_a_code_item_deleted_meanwhile(database):
    new = codes.add_item("ethnicity", "测试民族")
    codes.delete_item(new.id, user=OTHER, expected_version=new.version)
    with pytest.raises(ConflictError) as exc:
        codes.rename_item(new.id, "另一个名称", expected_version=new.version)
    refused(exc, "代码项“测试民族”", "删除")
    assert "另一个名称" not in [i.name for i in codes.list_items("ethnicity")]


# --------------------------------------------------------------------------- a cadre's status


def new_cadre(units) -> roster.CadreDTO:  # noqa: ANN001
    return roster.save_cadre(
        roster.CadreInput(name="张三", id_card=ID, unit_id=units["org"], post_title="科员"),
        today=TODAY,
    )


def test_edit_dialog_opened_before_a_transfer_is_refused_on_save(units):
    """The dialog's CadreInput was read before 王科长 set 调离: saving it must not quietly set
    the person back to 在职 (the dialog's status field)."""
    dto = new_cadre(units)
    opened = roster.CadreInput.from_dto(dto)  # the edit dialog, open
    moved = roster.set_status(dto.id, "调离", user=OTHER, reason="调往兰州", expected_version=1)
    assert moved.version == dto.version + 1
    opened.post_title = "副科长"
    with pytest.raises(ConflictError):
        roster.save_cadre(opened, today=TODAY)
    stored = roster.get_cadre(dto.id)
    assert (stored.status, stored.post_title, stored.version) == ("调离", "科员", moved.version)


def test_stale_status_change_is_refused_naming_the_other_change(units):
    dto = new_cadre(units)
    row = roster.fetch_rows([dto.id])[dto.id]  # the roster table's line
    assert row.version == dto.version
    edit = roster.CadreInput.from_dto(dto)
    edit.phone = "13909430001"
    roster.save_cadre(edit, user=OTHER, today=TODAY)
    with pytest.raises(ConflictError) as exc:
        roster.set_status(dto.id, "退休", expected_version=row.version)
    refused(exc, "干部“张三”", "（现为“联系电话：13909430001”）")
    stored = roster.get_cadre(dto.id)
    assert (stored.status, stored.phone) == ("在职", "13909430001")
    with pytest.raises(ConflictError):
        roster.delete_cadre(dto.id, expected_version=row.version)
    assert roster.get_cadre(dto.id).name == "张三"


def test_status_change_and_delete_with_the_current_version(units):
    dto = new_cadre(units)
    retired = roster.set_status(dto.id, "退休", expected_version=dto.version)
    assert (retired.status, retired.version) == ("退休", dto.version + 1)
    # asking for the status it has writes nothing
    assert roster.set_status(dto.id, "退休", expected_version=retired.version) == retired
    roster.delete_cadre(dto.id, expected_version=retired.version)
    assert roster.query_ids(RosterFilter(status="")) == []


def test_status_change_of_a_cadre_deleted_meanwhile(units):
    dto = new_cadre(units)
    roster.delete_cadre(dto.id, user=OTHER, expected_version=dto.version)
    with pytest.raises(ConflictError) as exc:
        roster.set_status(dto.id, "调离", expected_version=dto.version)
    refused(exc, "删除")
    with pytest.raises(NotFoundError):  # without a version: as before
        roster.set_status(dto.id, "调离")
    with pytest.raises(DomainError, match="状态应为"):
        roster.set_status(dto.id, "借调", expected_version=dto.version)
