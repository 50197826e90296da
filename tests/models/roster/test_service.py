import datetime as dt

import pytest

from models.core.audit import history
from models.core.errors import ConflictError, DomainError, ValidationError
from models.roster import service as roster
from models.roster.tables import Cadre

TODAY = dt.date(2026, 11, 22)
# Valid numbers built from the check rule: 17 digits + MOD 11-2 check character.
ZHANG = "620421197503120014"  # 靖远县, 1975-03-12, 001 odd → 男
LI = "620402198805200023"  # 白银区, 1988-05-20, 002 even → 女


def test_fixture_numbers_are_valid():
    from models.roster.idcard import check_char

    assert check_char(ZHANG[:17]) == ZHANG[17]
    assert check_char(LI[:17]) == LI[17]


def new(units, **kw) -> roster.CadreInput:
    values = {"name": "张三", "id_card": ZHANG, "unit_id": units["org"]}
    values.update(kw)
    return roster.CadreInput(**values)


def test_new_cadre_takes_sex_and_birth_from_id_and_is_audited(units):
    c = roster.save_cadre(
        new(units, political_status="中共党员", party_date=dt.date(1998, 7, 1)),
        user="干部科小王",
        today=TODAY,
    )
    assert (c.sex, c.birth_date, c.unit_name) == ("男", dt.date(1975, 3, 12), "市委组织部")
    stored = Cadre.get_by_id(c.id)
    assert (stored.name_initials, stored.name_pinyin) == ("zs", "zhangsan")
    log = {h.field: h for h in history("cadre", c.id)}
    assert log["name"].new_value == "张三"
    assert log["name"].user == "干部科小王"
    assert log["name"].action == "新增"


def test_lower_case_x_is_stored_upper_case(units):
    c = roster.save_cadre(new(units, id_card="11010519491231002x"), today=TODAY)
    assert c.id_card == "11010519491231002X"
    assert roster.query_ids(roster.RosterFilter(text="002x")) == [c.id]


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"name": ""}, "name", "必填"),
        ({"name": "张3"}, "name", "数字"),
        ({"id_card": ZHANG[:17] + "1"}, "id_card", "校验位"),
        ({"id_card": ""}, "id_card", "必填"),
        ({"unit_id": None}, "unit_id", "必填"),
        ({"rank": "处长"}, "rank", "不在“职级”可选值中"),
        ({"ethnicity": "汉"}, "ethnicity", "不在“民族”可选值中"),
        ({"post_since": dt.date(2027, 1, 1)}, "post_since", "不能晚于今天"),
        ({"work_start_date": dt.date(1970, 1, 1)}, "work_start_date", "不能早于出生年月"),
        ({"status": "死亡"}, "status", "在职"),
        ({"phone": "电话0943"}, "phone", "只能由数字"),
    ],
)
def test_errors_name_the_field_and_nothing_is_saved(units, changes, field, text):
    with pytest.raises(ValidationError) as err:
        roster.save_cadre(new(units, **changes), accept_warnings=True, today=TODAY)
    issues = [i for i in err.value.issues if i.field == field]
    assert issues, err.value.issues
    assert text in issues[0].message
    assert not issues[0].warning
    assert Cadre.select().count() == 0


def test_mismatch_with_id_is_a_warning_the_user_may_accept(units):
    inp = new(units, sex="女", birth_date=dt.date(1976, 3, 1))
    checked = roster.check(inp, today=TODAY)
    assert not checked.errors
    assert {w.field for w in checked.warnings} == {"sex", "birth_date"}
    assert "身份证号显示为男" in checked.for_field("sex")[0].message
    assert "1975.03" in checked.for_field("birth_date")[0].message
    with pytest.raises(ValidationError):
        roster.save_cadre(inp, today=TODAY)
    assert Cadre.select().count() == 0
    c = roster.save_cadre(inp, accept_warnings=True, today=TODAY)
    assert (c.sex, c.birth_date) == ("女", dt.date(1976, 3, 1))


def test_party_member_without_party_date_is_warned(units):
    checked = roster.check(new(units, political_status="中共党员"), today=TODAY)
    assert [w.field for w in checked.warnings] == ["party_date"]


def test_id_card_is_unique(units):
    roster.save_cadre(new(units), today=TODAY)
    with pytest.raises(ValidationError, match="与已有干部“张三”的身份证号重复"):
        roster.save_cadre(new(units, name="张叁"), today=TODAY)
    assert Cadre.select().count() == 1


def test_edit_records_old_and_new_values_and_checks_version(units):
    c = roster.save_cadre(new(units, rank="二级调研员"), today=TODAY)
    inp = roster.CadreInput.from_dto(c)
    inp.rank = "一级调研员"
    c2 = roster.save_cadre(inp, user="审核人", reason="晋升职级", today=TODAY)
    assert c2.rank == "一级调研员"
    assert c2.version == c.version + 1
    change = [h for h in history("cadre", c.id) if h.action == "修改"]
    assert [(h.field, h.old_value, h.new_value, h.reason) for h in change] == [
        ("rank", "二级调研员", "一级调研员", "晋升职级")
    ]
    stale = roster.CadreInput.from_dto(c)  # still version 1
    stale.phone = "13909430001"
    with pytest.raises(
        ConflictError, match=r"^张三的干部信息已被 审核人 于 \d\d:\d\d 修改，请刷新后重试$"
    ):
        roster.save_cadre(stale, today=TODAY)
    assert roster.get_cadre(c.id).phone == ""


def _seed(units):
    roster.save_cadre(new(units, leadership_level="县处级正职", rank="一级调研员"), today=TODAY)
    roster.save_cadre(
        roster.CadreInput(name="李丽", id_card=LI, unit_id=units["town"], rank="一级科员"),
        today=TODAY,
    )
    first17 = "62042219900101003"
    roster.save_cadre(
        roster.CadreInput(
            name="曾志强",
            id_card=first17 + check(first17),
            unit_id=units["town"],
            leadership_level="乡科级正职",
            rank="二级主任科员",
        ),
        today=TODAY,
    )


def check(first17: str) -> str:
    from models.roster.idcard import check_char

    return check_char(first17)


def names(f: roster.RosterFilter) -> list[str]:
    ids = roster.query_ids(f)
    rows = roster.fetch_rows(ids, today=TODAY)
    return [rows[i].name for i in ids]


def test_search_by_name_initials_pinyin_and_id(units):
    _seed(units)
    assert names(roster.RosterFilter(text="zs")) == ["张三"]
    assert names(roster.RosterFilter(text="ZS")) == ["张三"]
    assert names(roster.RosterFilter(text="ll")) == ["李丽"]
    assert names(roster.RosterFilter(text="zzq")) == ["曾志强"]  # surname read zēng
    assert names(roster.RosterFilter(text="zengzhiqiang")) == ["曾志强"]
    # as a surname 曾 is only zēng: its everyday céng does not find him
    assert names(roster.RosterFilter(text="czq")) == []
    assert names(roster.RosterFilter(text="zhang")) == ["张三"]
    assert names(roster.RosterFilter(text="李")) == ["李丽"]
    assert names(roster.RosterFilter(text="19880520")) == ["李丽"]
    assert names(roster.RosterFilter(text="120014")) == ["张三"]
    assert names(roster.RosterFilter(text="wxyz")) == []


def test_unit_level_and_status_filters(units):
    _seed(units)
    assert sorted(names(roster.RosterFilter(unit_id=units["county"]))) == ["曾志强", "李丽"]
    assert names(roster.RosterFilter(unit_id=units["county"], include_subunits=False)) == []
    assert names(roster.RosterFilter(unit_id=units["party"])) == ["张三"]
    assert names(roster.RosterFilter(level="一级科员")) == ["李丽"]
    assert names(roster.RosterFilter(level="县处级正职")) == ["张三"]
    zhang = roster.query_ids(roster.RosterFilter(text="zs"))[0]
    roster.set_status(zhang, "退休", user="小王", reason="到龄退休")
    assert "张三" not in names(roster.RosterFilter())
    assert names(roster.RosterFilter(status="退休")) == ["张三"]
    assert len(names(roster.RosterFilter(status=""))) == 3
    assert history("cadre", zhang)[0].reason == "到龄退休"


def test_default_order_is_unit_then_level_and_sorts_by_column(units):
    _seed(units)
    # 市委组织部 (sort 2) before 乌兰镇 (sort 4); inside 乌兰镇 乡科级正职 before a 科员
    assert names(roster.RosterFilter()) == ["张三", "曾志强", "李丽"]
    assert names(roster.RosterFilter(sort="birth")) == ["张三", "李丽", "曾志强"]
    assert names(roster.RosterFilter(sort="age")) == ["曾志强", "李丽", "张三"]
    assert names(roster.RosterFilter(sort="rank")) == ["张三", "曾志强", "李丽"]
    assert names(roster.RosterFilter(sort="rank", descending=True)) == ["李丽", "曾志强", "张三"]


def test_roster_row_shows_form_dates(units):
    _seed(units)
    rows = roster.fetch_rows(roster.query_ids(roster.RosterFilter(text="zs")), today=TODAY)
    row = next(iter(rows.values()))
    assert (row.birth, row.age, row.unit_name) == ("1975.03", 51, "市委组织部")


def test_delete_is_refused_when_other_records_point_at_the_cadre(units, database):
    from peewee import AutoField, ForeignKeyField

    from models.core.db import BaseModel
    from models.roster.tables import Cadre as CadreModel

    class Enrolment(BaseModel):
        LABEL = "测试报名记录"
        id = AutoField()
        cadre = ForeignKeyField(CadreModel, backref="test_enrolments")

        class Meta:
            table_name = "test_only_enrolment"

    database.create_tables([Enrolment])
    try:
        c = roster.save_cadre(new(units), today=TODAY)
        Enrolment.create(cadre=c.id)
        with pytest.raises(DomainError, match="已有测试报名记录 1 条，不能删除"):
            roster.delete_cadre(c.id)
        assert roster.get_cadre(c.id).name == "张三"
    finally:
        del CadreModel._meta.backrefs[Enrolment.cadre]
        delattr(CadreModel, "test_enrolments")


def test_delete_of_a_mistaken_entry_is_logged(units):
    from models.roster.tables import FamilyMember

    c = roster.save_cadre(new(units), today=TODAY)
    FamilyMember.create(cadre=c.id, relation="妻子", name="王芳")
    roster.delete_cadre(c.id, user="小王", reason="重复录入")
    assert Cadre.select().count() == 0
    assert FamilyMember.select().count() == 0
    assert any(h.action == "删除" and h.reason == "重复录入" for h in history("cadre", c.id))


def _add(units, name: str, first17: str) -> int:
    return roster.save_cadre(
        roster.CadreInput(name=name, id_card=first17 + check(first17), unit_id=units["town"]),
        today=TODAY,
    ).id


def test_surnames_are_searched_by_their_reading_as_a_surname(units):
    """丁 is dīng (its rare zhēng would make "zs" find 丁爽), 单 shàn, 仇 qiú, 解 xiè; a
    surname families read two ways (乐 yuè/lè) is found by both."""
    for k, name in enumerate(["丁爽", "单田芳", "仇小红", "解放", "乐平", "张三"]):
        _add(units, name, f"6204221990010{k + 1}00{k % 2}")
    assert names(roster.RosterFilter(text="zs")) == ["张三"]
    assert names(roster.RosterFilter(text="ds")) == ["丁爽"]
    assert names(roster.RosterFilter(text="stf")) == ["单田芳"]
    assert names(roster.RosterFilter(text="dtf")) == []
    assert names(roster.RosterFilter(text="qxh")) == ["仇小红"]
    assert names(roster.RosterFilter(text="chouxiaohong")) == []
    assert names(roster.RosterFilter(text="xiefang")) == ["解放"]
    assert names(roster.RosterFilter(text="yp")) == ["乐平"]
    assert names(roster.RosterFilter(text="lp")) == ["乐平"]


def test_name_sort_keeps_one_surname_together(units):
    """Sorted by 姓名: every 陈 (chen) before every 程 (cheng), whatever the given names
    (by the whole pinyin, 陈立 chenli would come after 程刚 chenggang)."""
    for k, name in enumerate(["程刚", "陈立", "陈芳", "程爱国", "曾志强", "陈洁"]):
        _add(units, name, f"6204221991010{k + 1}00{k % 2}")
    order = names(roster.RosterFilter(sort="name"))
    assert order == ["陈芳", "陈洁", "陈立", "程爱国", "程刚", "曾志强"]
    backwards = names(roster.RosterFilter(sort="name", descending=True))
    assert backwards == order[::-1]
