"""Validation of a cadre record: what blocks saving (errors) and what needs the user's
consent (warnings), each naming the field in Chinese."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from models.core.dates import age_on, ym
from models.core.errors import FieldIssue
from models.roster import idcard
from models.roster.picklists import match_key, split_variants
from models.roster.tables import STATUSES, Cadre, PicklistItem, Unit
from models.roster.types import (
    DATE_FIELDS,
    FIELD_LABELS,
    PARTY_MEMBER,
    PICKLIST_FIELDS,
    STAFF_CATEGORIES,
    CadreInput,
)


@dataclass
class Checked:
    """The input after normalisation, and what is wrong with it."""

    values: CadreInput
    issues: list[FieldIssue] = field(default_factory=list)

    @property
    def errors(self) -> list[FieldIssue]:
        return [i for i in self.issues if not i.warning]

    @property
    def warnings(self) -> list[FieldIssue]:
        return [i for i in self.issues if i.warning]

    def for_field(self, name: str) -> list[FieldIssue]:
        return [i for i in self.issues if i.field == name]


def unknown_value_message(value: str, label: str) -> str:
    """The message for a value no pick-list item (name or 别名) matches."""
    return f"“{value}”不在“{label}”可选值中"


def _issue(name: str, message: str, *, warning: bool = False) -> FieldIssue:
    return FieldIssue(name, FIELD_LABELS[name], message, warning)


@dataclass
class CheckContext:
    """What validation needs from the database, loaded once for a batch (an import checks
    tens of thousands of rows against it). ``id_cards`` maps 身份证号 → (cadre id, name)."""

    lists: dict[str, set[str]]
    unit_ids: set[int]
    id_cards: dict[str, tuple[int, str]] | None = None  # None: ask the database per row
    # kind → match_key(name or 别名) → the item's name, for values written another way
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)

    def official(self, kind: str, value: str) -> str | None:
        """The pick-list item ``value`` means (its name or one of its 别名, ignoring spaces
        and full-width/half-width differences), or None if no active item matches."""
        if value in self.lists.get(kind, ()):
            return value
        return self.aliases.get(kind, {}).get(match_key(value))

    @classmethod
    def load(cls, *, with_id_cards: bool = False, with_variants: bool = False) -> CheckContext:
        """``with_variants``: also accept an item's 别名 (and spacing/width differences) and
        store its name, as an import does; a form's combo needs no such leniency."""
        lists: dict[str, set[str]] = {}
        aliases: dict[str, dict[str, str]] = {}
        for kind, name, variants in (
            PicklistItem.select(PicklistItem.kind, PicklistItem.name, PicklistItem.variants)
            .where(PicklistItem.active == 1)
            .order_by(PicklistItem.sort_order, PicklistItem.id)
            .tuples()
        ):
            lists.setdefault(kind, set()).add(name)
            if not with_variants:
                continue
            keys = aliases.setdefault(kind, {})
            keys.setdefault(match_key(name), name)
            for variant in split_variants(variants):
                keys.setdefault(match_key(variant), name)
        unit_ids = {uid for (uid,) in Unit.select(Unit.id).tuples()}
        id_cards = None
        if with_id_cards:
            id_cards = {
                number: (cid, name)
                for cid, number, name in Cadre.select(Cadre.id, Cadre.id_card, Cadre.name).tuples()
            }
        return cls(lists, unit_ids, id_cards, aliases)

    def id_card_owner(self, number: str) -> tuple[int, str] | None:
        if self.id_cards is not None:
            return self.id_cards.get(number)
        row = Cadre.select(Cadre.id, Cadre.name).where(Cadre.id_card == number).tuples().first()
        return (row[0], row[1]) if row else None


MISSING_ID_WARNING = "缺身份证号（导入的名册中没有），请尽快补填"
"""A cadre stored without 身份证号 (imported by 姓名+出生年月) can still be edited and saved: the
missing number is a warning the user accepts, not an error; a new cadre needs one."""


def _stored_id_card(cadre_id: int) -> str:
    return Cadre.select(Cadre.id_card).where(Cadre.id == cadre_id).scalar() or ""


def check(
    inp: CadreInput, *, today: dt.date | None = None, ctx: CheckContext | None = None
) -> Checked:
    """Normalise and validate ``inp``. Errors block saving; warnings need the user's consent.
    Pass a ``ctx`` when checking many inputs in a row."""
    today = today or dt.date.today()
    ctx = ctx or CheckContext.load()
    v = dataclasses.replace(inp)
    for f in dataclasses.fields(v):
        value = getattr(v, f.name)
        if isinstance(value, str):
            setattr(v, f.name, value.strip())
    out = Checked(v)
    add = out.issues.append

    if not v.name:
        add(_issue("name", "必填"))
    elif len(v.name) > 40:
        add(_issue("name", f"不能超过 40 个字，现为 {len(v.name)} 个"))
    elif any(c.isdigit() for c in v.name):
        add(_issue("name", "姓名中不应有数字"))

    info = None
    if not v.id_card:
        if v.id is not None and not _stored_id_card(v.id):
            add(_issue("id_card", MISSING_ID_WARNING, warning=True))
        else:
            add(_issue("id_card", "必填"))
    else:
        try:
            info = idcard.parse(v.id_card, today=today)
        except idcard.IdCardError as e:
            add(_issue("id_card", str(e)))
        else:
            v.id_card = info.number
            owner = ctx.id_card_owner(info.number)
            if owner is not None and owner[0] != v.id:
                add(_issue("id_card", f"与已有干部“{owner[1]}”的身份证号重复"))

    if not v.sex and info:
        v.sex = info.sex
    if v.sex not in ("男", "女"):
        add(_issue("sex", "请选择“男”或“女”"))
    elif info and info.sex != v.sex:
        add(_issue("sex", f"与身份证号不符（身份证号显示为{info.sex}）", warning=True))

    if v.birth_date is None and info:
        v.birth_date = info.birth_date
    if v.birth_date is None:
        add(_issue("birth_date", "必填"))
    else:
        if v.birth_date > today:
            add(_issue("birth_date", "不能晚于今天"))
        elif not 16 <= age_on(v.birth_date, today) <= 100:
            add(_issue("birth_date", f"年龄 {age_on(v.birth_date, today)} 岁不合理", warning=True))
        if info and (info.birth_date.year, info.birth_date.month) != (
            v.birth_date.year,
            v.birth_date.month,
        ):
            add(
                _issue(
                    "birth_date",
                    f"与身份证号不符（身份证号显示为 {ym(info.birth_date)}）",
                    warning=True,
                )
            )

    lists = ctx.lists
    for name, kind in PICKLIST_FIELDS.items():
        value = getattr(v, name)
        if not value or value in lists.get(kind, set()):
            continue
        official = ctx.official(kind, value)
        if official is not None:
            setattr(v, name, official)  # "大学" is stored as 大学本科
        else:
            add(_issue(name, unknown_value_message(value, FIELD_LABELS[name])))

    for name in DATE_FIELDS[1:]:
        value = getattr(v, name)
        if value is None:
            continue
        if value > today:
            add(_issue(name, "不能晚于今天"))
        elif v.birth_date and value <= v.birth_date:
            add(_issue(name, "不能早于出生年月"))
    if v.birth_date and v.party_date and age_on(v.birth_date, v.party_date) < 18:
        add(_issue("party_date", "入党时未满 18 岁，请核对", warning=True))
    if v.birth_date and v.work_start_date and age_on(v.birth_date, v.work_start_date) < 15:
        add(_issue("work_start_date", "参加工作时未满 15 岁，请核对", warning=True))
    if v.political_status in PARTY_MEMBER and v.party_date is None:
        add(_issue("party_date", f"政治面貌为{v.political_status}，请填写入党时间", warning=True))
    if v.party_date and v.political_status and v.political_status not in PARTY_MEMBER:
        add(_issue("political_status", "填了入党时间，但政治面貌不是中共党员", warning=True))

    if v.unit_id is None:
        add(_issue("unit_id", "必填"))
    elif v.unit_id not in ctx.unit_ids:
        add(_issue("unit_id", "所选单位不存在"))

    if v.status not in STATUSES:
        add(_issue("status", "应为“在职”“调离”或“退休”"))
    if v.staff_category and v.staff_category not in STAFF_CATEGORIES:
        add(_issue("staff_category", "应为公务员、参照公务员法管理单位工作人员或事业单位工作人员"))
    if v.phone and (
        not all(c.isdigit() or c in "-+ ()（）" for c in v.phone)
        or not 5 <= sum(c.isdigit() for c in v.phone) <= 20
    ):
        add(_issue("phone", "只能由数字和“-”组成，如 0943-8221234 或 13909430001"))
    return out
