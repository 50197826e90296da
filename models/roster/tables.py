"""Tables of the roster: units (a tree), cadres, their family rows, the pick-lists and the
change log every edit writes to."""

from __future__ import annotations

import uuid

from peewee import (
    SQL,
    AutoField,
    BlobField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from models.core.dates import now_seconds
from models.core.db import BaseModel

STATUSES = ("在职", "调离", "退休")


def new_gid() -> str:
    """A record's global id (schema v14): the same record in every office's database, so an
    exchange package (models.exchange) names it without local ids."""
    return str(uuid.uuid4())


class Unit(BaseModel):
    id = AutoField()
    name = CharField(max_length=100)
    code = CharField(max_length=32, default="")
    parent = ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")
    sort_order = IntegerField(default=0)
    kind = CharField(max_length=20, default="")  # 党委/政府部门/县区/乡镇/事业单位...

    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])  # optimistic locking
    # v14: the same record in every office (models.exchange): its global id, and when and
    # from which office an exchange package last changed it
    gid = CharField(max_length=36, unique=True, null=True, default=new_gid)
    changed_at = DateTimeField(null=True)
    changed_by_office = CharField(max_length=100, default="", constraints=[SQL("DEFAULT ''")])

    class Meta:
        indexes = ((("parent", "name"), True),)


class PicklistItem(BaseModel):
    id = AutoField()
    kind = CharField(max_length=32, index=True)
    code = CharField(max_length=16, default="")
    name = CharField(max_length=60)
    sort_order = IntegerField(default=0)
    equivalent = CharField(max_length=30, default="")  # rank → the leadership level it ranks with
    active = IntegerField(default=1)
    # 别名 (schema v6): other spellings that mean this item, "|"-separated (picklists.VARIANT_SEP)
    variants = TextField(default="")

    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])  # optimistic locking

    class Meta:
        indexes = ((("kind", "name"), True),)


class Cadre(BaseModel):
    id = AutoField()
    name = CharField(max_length=40, index=True)
    name_pinyin = CharField(max_length=120, default="")  # 'zhangsan', for search (schema v2)
    name_initials = CharField(max_length=40, default="", index=True)  # 'zs' (schema v2)
    # 'zhang san': syllables apart, so that one surname sorts together (schema v13)
    name_sort = CharField(max_length=200, default="", index=True)
    sex = CharField(max_length=2)
    birth_date = DateField()
    ethnicity = CharField(max_length=20, default="")
    native_place = CharField(max_length=60, default="")
    birthplace = CharField(max_length=60, default="")
    political_status = CharField(max_length=20, default="")
    party_date = DateField(null=True)
    work_start_date = DateField(null=True)
    health = CharField(max_length=20, default="")
    ft_education = CharField(max_length=20, default="")
    ft_degree = CharField(max_length=20, default="")
    ft_school = CharField(max_length=100, default="")
    pt_education = CharField(max_length=20, default="")
    pt_degree = CharField(max_length=20, default="")
    pt_school = CharField(max_length=100, default="")
    unit = ForeignKeyField(Unit, backref="cadres", on_delete="RESTRICT", index=True)
    post_title = CharField(max_length=100, default="")
    leadership_level = CharField(max_length=20, default="", index=True)
    rank = CharField(max_length=20, default="", index=True)
    post_since = DateField(null=True)
    id_card = CharField(max_length=18, unique=True, null=True)  # NULL: 缺身份证号 (schema v7)
    phone = CharField(max_length=40, default="")
    status = CharField(max_length=4, default="在职", index=True)
    notes = TextField(default="")
    professional_title = CharField(max_length=60, default="")
    expertise = CharField(max_length=200, default="")
    resume = TextField(default="")
    rewards = TextField(default="")
    annual_results = TextField(default="")
    # 人员类别 (schema v12): 公务员 / 参照公务员法管理单位工作人员 / 事业单位工作人员; '' = judged
    # from the unit's type (the form's title: models.assessment.results.staff_category)
    staff_category = CharField(max_length=30, default="", constraints=[SQL("DEFAULT ''")])
    photo = BlobField(null=True)
    lrmx_extra = TextField(default="")  # JSON of LRMX tags we do not model, kept for re-export
    created_at = DateTimeField(default=now_seconds)
    updated_at = DateTimeField(default=now_seconds)
    version = IntegerField(default=1)  # optimistic locking
    # v14: the same record in every office (models.exchange): its global id, and when and
    # from which office an exchange package last changed it
    gid = CharField(max_length=36, unique=True, null=True, default=new_gid)
    changed_at = DateTimeField(null=True)
    changed_by_office = CharField(max_length=100, default="", constraints=[SQL("DEFAULT ''")])


class FamilyMember(BaseModel):
    id = AutoField()
    cadre = ForeignKeyField(Cadre, backref="family", on_delete="CASCADE")
    sort_order = IntegerField(default=0)
    relation = CharField(max_length=20, default="")
    name = CharField(max_length=40, default="")
    birth_date = DateField(null=True)
    political_status = CharField(max_length=20, default="")
    work = CharField(max_length=200, default="")


ROSTER_TABLES = [Unit, PicklistItem, Cadre, FamilyMember]
