"""What the change log's rows are about, in the words of a 组织部: each kind of record (干部,
考核得分, 处分, 培训班…) as a rule over the log's ``entity`` and ``field``, the Chinese name of
every field the services record, and how a stored value reads.

The services write ``entity`` as a table-like key (``cadre``, ``assessment_person``…) and
``field`` either as an attribute name (``unit_id``) or, in the assessment services, as Chinese
text (``德得分``, ``处分``). Nothing here touches the database: :mod:`models.audit.query`
turns a :class:`Kind` into SQL, :mod:`models.audit.names` resolves ids into names.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from models.assessment.feedback import FEEDBACK_LABELS
from models.assessment.rounds import CADRE_ENTITY, FEEDBACK_ENTITY, PERSON_ENTITY, ROUND_ENTITY
from models.evaluation.rules import TEAM_ITEMS, TEAM_VOTE_GROUPS
from models.roster.picklists import KINDS as PICKLIST_KINDS
from models.roster.types import FIELD_LABELS

__all__ = [
    "ACCOUNT",
    "ATTENDANCE",
    "CHECK_FILE",
    "EVAL_YEAR",
    "INSPECTION",
    "SELF_CHECK",
    "UNIT_RESULT",
    "WORK_TASK",
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
    "team_text",
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
EVAL_YEAR = "eval_year"
WORK_TASK = "work_task"
SELF_CHECK = "self_check"
CHECK_FILE = "check_file"
INSPECTION = "inspection"
UNIT_RESULT = "unit_result"


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
    Kind("单位考评年度", EVAL_YEAR),
    Kind("工作任务", WORK_TASK),
    Kind("季度自查", SELF_CHECK),
    Kind("佐证材料", CHECK_FILE),
    Kind("督查记录", INSPECTION),
    Kind("领导班子评分", UNIT_RESULT, fields=("team_items", "team_votes")),
    Kind("单位考评结果", UNIT_RESULT),
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
    EVAL_YEAR: {"year": "年度", "rules": "考评规则", "status": "状态"},
    WORK_TASK: {
        "year": "年度",
        "title": "任务",
        "category": "类别",
        "key_topic": "重点工作",
        "target": "目标与措施",
        "weight": "分值",
        "deadline": "完成时限",
        "lead_unit_id": "牵头单位",
        "lead_unit": "牵头单位",
        "co_units": "配合单位",
        "responsible": "责任人",
        "year_score": "年终评分",
    },
    SELF_CHECK: {
        "progress": "工作进展",
        "self_score": "自评分",
        "problems": "存在问题",
        "late": "逾期补报",
        "submitted_by": "填报人",
    },
    CHECK_FILE: {"check": "自查", "name": "文件名", "size": "大小（字节）", "sha256": "内容校验码"},
    INSPECTION: {
        "year": "年度",
        "half": "半年",
        "unit": "单位",
        "task": "任务",
        "score": "督查评分",
        "deduction": "扣分",
        "finding": "发现的问题或做法",
        "inspector": "督查人",
    },
    UNIT_RESULT: {
        "year": "年度",
        "common_score": "共性指标得分",
        "own_score": "个性指标得分",
        "bonus": "特色创新加分",
        "bonus_reason": "加分理由",
        "bonus_approved": "加分已批准",
        "deduction": "扣分",
        "deduction_reason": "扣分理由",
        "team_items": "领导班子五项得分",
        "team_votes": "领导班子民主测评票数",
        "team_score": "领导班子得分",
        "total": "总分",
        "rank": "排名",
        "grade": "等次",
        "explanation": "得分说明",
    },
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
    if entity == UNIT_RESULT and field in ("team_items", "team_votes"):
        return team_text(field, value)
    return value


def team_text(field: str, value: str) -> str:
    """The 班子's items ('思想政治建设 90；…') or votes ('上级领导：好 5、较好 2；…') by name, as
    the rules a new year starts with name them (a value that is not such JSON: as it is)."""
    names = {code: name for code, name, _w in (*TEAM_ITEMS, *TEAM_VOTE_GROUPS)}
    try:
        raw = json.loads(value)
    except ValueError:
        return value
    if not isinstance(raw, dict):
        return value
    if not raw:
        return "（空）"
    if field == "team_items":
        return "；".join(f"{names.get(k, k)} {v}" for k, v in raw.items())
    return "；".join(
        f"{names.get(g, g)}：" + "、".join(f"{k} {n}" for k, n in counts.items())
        for g, counts in raw.items()
        if isinstance(counts, dict)
    )
