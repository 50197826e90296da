"""What the change log's rows are about, in the words of a 组织部: each kind of record (干部,
考核得分, 处分, 培训班…) as a rule over the log's ``entity`` and ``field``, the Chinese name of
every field the services record, and how a stored value reads.

The services write ``entity`` as a table-like key (``cadre``, ``assessment_person``…) and
``field`` either as an attribute name (``unit_id``) or, in the assessment services, as Chinese
text (``德得分``, ``处分``). Nothing here touches the database: :mod:`models.audit.query`
turns a :class:`Kind` into SQL, :mod:`models.audit.names` resolves ids into names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from models.assessment.feedback import FEEDBACK_LABELS
from models.assessment.rounds import CADRE_ENTITY, FEEDBACK_ENTITY, PERSON_ENTITY, ROUND_ENTITY
from models.roster.picklists import KINDS as PICKLIST_KINDS
from models.roster.types import FIELD_LABELS

__all__ = [
    "ACCOUNT",
    "ATTENDANCE",
    "CADRE",
    "CLASS",
    "COURSE",
    "ENROLMENT",
    "HIDDEN_FIELDS",
    "HOLIDAY",
    "HOURS",
    "KINDS",
    "LECTURE",
    "LECTURE_ATTENDANCE",
    "LECTURE_SERIES",
    "PICKLIST",
    "ROOM",
    "SESSION",
    "SITE",
    "TEACHER",
    "UNIT",
    "Kind",
    "entity_label",
    "field_label",
    "find_kind",
    "kind_of",
    "plain_value",
    "siblings",
]

CADRE = "cadre"
UNIT = "unit"
PICKLIST = "picklist_item"
CLASS = "training_class"
SESSION = "class_session"
ATTENDANCE = "attendance"
HOURS = "hours_entry"
ENROLMENT = "enrolment"
COURSE = "course"
TEACHER = "teacher"
ROOM = "room"
SITE = "site"
ACCOUNT = "account"
HOLIDAY = "holiday"
LECTURE_SERIES = "lecture_series"
LECTURE = "lecture"
LECTURE_ATTENDANCE = "lecture_attendance"


@dataclass(frozen=True)
class Kind:
    """One kind of record as the 修改记录 screen names it: the rows of ``entity`` whose field
    is one of ``fields``, starts with one of ``prefixes`` or ends with one of ``suffixes``;
    with none of them, every row of ``entity`` that no other kind of it claims."""

    label: str
    entity: str
    fields: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()

    @property
    def is_rest(self) -> bool:
        return not (self.fields or self.prefixes or self.suffixes)

    def claims(self, field: str) -> bool:
        """Whether a row of this kind's entity with ``field`` is of this kind (for a kind with
        field rules; a rest kind claims what its siblings leave)."""
        return (
            field in self.fields
            or any(field.startswith(p) for p in self.prefixes)
            or any(field.endswith(s) for s in self.suffixes)
        )


GRADE_FIELDS = ("考核等次", "考核委员会调整等次", "调整理由", "经批准")

KINDS: tuple[Kind, ...] = (
    Kind("干部", CADRE),
    Kind("单位", UNIT),
    Kind("代码表", PICKLIST),
    Kind("考核轮次", ROUND_ENTITY),
    Kind("考核人员", PERSON_ENTITY),
    Kind("考核得分", PERSON_ENTITY, prefixes=("测评/",), suffixes=("得分",)),
    Kind("加减分", PERSON_ENTITY, fields=("加减分",)),
    Kind("一票否决", PERSON_ENTITY, prefixes=("一票否决/",)),
    Kind("考核等次", PERSON_ENTITY, fields=GRADE_FIELDS),
    Kind("处分", CADRE_ENTITY, fields=("处分",)),
    Kind("平时考核", CADRE_ENTITY),
    Kind("考核结果反馈", FEEDBACK_ENTITY),
    Kind("培训班", CLASS),
    Kind("学员", ENROLMENT),
    Kind("课表", SESSION),
    Kind("考勤", ATTENDANCE),
    Kind("学时", HOURS),
    Kind("课程", COURSE),
    Kind("教师", TEACHER),
    Kind("教室", ROOM),
    Kind("现场教学点", SITE),
    Kind("干部讲坛", LECTURE_SERIES),
    Kind("讲坛讲座", LECTURE),
    Kind("讲坛听课", LECTURE_ATTENDANCE),
    Kind("节假日", HOLIDAY),
    Kind("账号", ACCOUNT),
)

# entities other subjects may add later, named until they are given kinds of their own
_OTHER_ENTITIES = {"user_account": "账号", "user": "账号", "role": "角色"}


def entity_label(entity: str) -> str:
    """The Chinese name of an entity as a whole (its rest kind's, else a known name, else the
    key itself)."""
    for k in KINDS:
        if k.entity == entity and k.is_rest:
            return k.label
    return _OTHER_ENTITIES.get(entity, entity)


def kind_of(entity: str, field: str) -> str:
    """The kind label of one change-log row."""
    rest = None
    for k in KINDS:
        if k.entity != entity:
            continue
        if k.is_rest:
            rest = k
        elif k.claims(field):
            return k.label
    return rest.label if rest else entity_label(entity)


def siblings(kind: Kind) -> list[Kind]:
    """The kinds with field rules that share ``kind``'s entity (what a rest kind leaves out)."""
    return [k for k in KINDS if k.entity == kind.entity and not k.is_rest]


def find_kind(text: str, entities: Iterable[str] = ()) -> Kind | None:
    """The kind named ``text`` (its label, or an entity key); ``entities``, the keys the log
    holds, lets an entity without a kind of its own be chosen too. None when nothing fits."""
    text = text.strip()
    for k in KINDS:
        if text == k.label:
            return k
    for k in KINDS:
        if text == k.entity and k.is_rest:
            return k
    for entity in entities:
        if text in (entity, _OTHER_ENTITIES.get(entity)):
            return Kind(entity_label(entity), entity)
    return None


# --------------------------------------------------------------------------- fields

_CADRE_FIELDS = {
    **FIELD_LABELS,
    "professional_title": "专业技术职务",
    "expertise": "熟悉专业有何专长",
    "resume": "简历",
    "rewards": "奖惩情况",
    "annual_results": "年度考核结果",
    "photo": "照片",
    "family": "家庭成员",
    "lrmx_extra": "任免审批表其他项",
}

_FIELDS: dict[str, dict[str, str]] = {
    CADRE: _CADRE_FIELDS,
    UNIT: {"name": "名称", "parent_id": "上级单位", "code": "单位代码", "kind": "单位类别"},
    PICKLIST: {
        "kind": "代码类别",
        "name": "名称",
        "code": "代码",
        "active": "启用",
        "variants": "别名",
    },
    ROUND_ENTITY: {
        "name": "名称",
        "status": "状态",
        "rules": "考核方案",
        "members_added": "添加考核人员",
        "members_removed": "移出考核人员",
        "grading": "计算等次",
        "approved_pools": "经批准提高优秀比例的范围",
        "pool_approved": "考核范围审定",
        "demo": "演示数据",
    },
    PERSON_ENTITY: {"member": "考核人员"},
    FEEDBACK_ENTITY: {"member": "考核人员", **FEEDBACK_LABELS},
    SESSION: {
        "title": "课程",
        "teacher": "授课教师",
        "room": "教室",
        "site": "现场教学点",
        "locked": "锁定",
    },
    ATTENDANCE: {"status": "考勤", "note": "备注", "session_id": "时段", "cadre_id": "学员"},
    HOLIDAY: {"day": "日期", "kind": "类型", "name": "名称", "source": "来源"},
    LECTURE_ATTENDANCE: {"lecture_id": "讲座", "cadre_id": "听课干部", "status": "听课情况"},
    HOURS: {
        "cadre_id": "干部",
        "year": "年度",
        "day": "日期",
        "kind": "类别",
        "hours": "学时",
        "title": "内容",
    },
}

# Fields that only say which cadre or session a row belongs to: the 对象 column names them, so
# they are not listed as changes of their own.
HIDDEN_FIELDS: dict[str, tuple[str, ...]] = {
    ATTENDANCE: ("cadre_id", "session_id"),
    HOURS: ("cadre_id",),
    LECTURE_ATTENDANCE: ("lecture_id", "cadre_id"),
}

_GENERIC_FIELDS = {"name": "名称", "status": "状态", "note": "备注", "notes": "备注"}

# the parts of a 考核方案 setting's key ('rules.quota.percent'), as the scheme editor names them
_RULE_WORDS = {
    "rules": "考核方案",
    "items": "考核项目",
    "items_weight": "项目总权重",
    "weight": "权重",
    "key_topic": "重点工作",
    "key_topic_weight": "重点工作权重",
    "is_veto": "一票否决",
    "veto_below": "否决分数线",
    "veto_max_grade": "否决后最高等次",
    "full_score": "满分",
    "rater_groups": "测评主体",
    "vote_values": "票值",
    "value": "分值",
    "label": "名称",
    "name": "名称",
    "code": "代码",
    "composite": "综合评分",
    "evaluation_weight": "测评权重",
    "bonus_cap": "加分上限",
    "penalty_cap": "扣分上限",
    "thresholds": "等次分数线",
    "excellent_min": "优秀最低分",
    "good_min": "良好最低分",
    "competent_min": "称职最低分",
    "basic_min": "基本称职最低分",
    "fairly_good_min": "较好最低分",
    "ordinary_min": "一般最低分",
    "quota": "优秀比例",
    "percent": "比例",
    "max_percent": "经批准最高比例",
    "base": "基数",
    "rounding": "取整方式",
    "at_least_one": "至少一名",
    "pool_by": "名额范围",
    "tie_break": "同分排序",
    "min_good_for_excellent": "优秀所需最少好评",
    "status": "人员状态",
    "probation_no_grade": "试用期不定等次",
    "investigation_no_grade": "立案审查不定等次",
    "long_leave_days": "长期病事假天数",
    "quarterly": "平时考核",
    "good_cap_percent": "好等次比例上限",
    "good_cap_at_least_one": "好等次至少一名",
    "bar_excellent_grades": "不得评优的季度等次",
    "sanctions": "处分影响",
    "effect": "影响",
    "effects": "影响",
    "served": "影响期",
}


def _rule_label(field: str) -> str:
    return "/".join(_RULE_WORDS.get(part, part) for part in field.split("."))


def field_label(entity: str, field: str) -> str:
    """The Chinese name of ``field`` as recorded for ``entity`` (a field recorded in Chinese
    already stays as it is)."""
    if entity == ROUND_ENTITY and field.startswith("rules."):
        return _rule_label(field)
    label = _FIELDS.get(entity, {}).get(field) or _GENERIC_FIELDS.get(field)
    return label or field


def plain_value(entity: str, field: str, value: str) -> str:
    """A stored value as a reader understands it, where that needs no database: yes/no
    flags, a 代码表's kind. Ids (units, cadres) are named by :mod:`models.audit.names`."""
    if value in ("True", "False"):
        if entity == PICKLIST and field == "active":
            return "启用" if value == "True" else "停用"
        return "是" if value == "True" else "否"
    if entity == PICKLIST and field == "kind":
        return PICKLIST_KINDS.get(value, value)
    return value
