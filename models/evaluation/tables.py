"""Tables of the 单位考评 (the assessment of units and their 领导班子 through the year): the
year's rules and status, the work plan's tasks (责任分解), the quarterly self-checks
(一季度一自查) and each unit's year-end result (schema v15), the half-year inspections (v16),
and (v17) the 领导班子's five items and 民主测评 on the result, the 考评办's year-end score of
each task and the evidence filed with a self-check."""

from __future__ import annotations

from peewee import (
    SQL,
    AutoField,
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from models.core.dates import now_seconds
from models.core.db import BaseModel
from models.roster.tables import Unit

__all__ = [
    "EVALUATION_TABLES",
    "EVIDENCE_TABLES",
    "INSPECTION_TABLES",
    "CheckFile",
    "EvalYear",
    "Inspection",
    "SelfCheck",
    "UnitResult",
    "WorkTask",
]


def _score(**kw: object) -> DecimalField:
    return DecimalField(max_digits=7, decimal_places=2, auto_round=True, **kw)


class EvalYear(BaseModel):
    """One year of 单位考评: its rules (JSON, models.evaluation.rules) and whether the
    results are approved (审定, locked)."""

    LABEL = "单位考评年度"

    id = AutoField()
    year = IntegerField(unique=True)
    rules = TextField(default="{}")
    status = CharField(max_length=4, default="录入")  # 录入 / 审定
    approved_at = DateTimeField(null=True)
    approved_by = CharField(max_length=60, default="")
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])


class WorkTask(BaseModel):
    """A task of the year's work plan, broken down to a lead unit (责任分解)."""

    LABEL = "工作任务"

    id = AutoField()
    year = IntegerField(index=True)
    title = CharField(max_length=200)
    category = CharField(max_length=4, default="个性")  # 共性 / 个性
    key_topic = BooleanField(default=False)  # 年度重点工作
    target = TextField(default="")  # 目标与措施
    weight = _score(default=0)  # points of the unit's 个性 (or 共性) score
    deadline = DateField(null=True)
    lead_unit = ForeignKeyField(Unit, backref="work_tasks", on_delete="RESTRICT")
    co_units = TextField(default="")  # 配合单位, names separated by 、
    responsible = CharField(max_length=60, default="")  # 责任人
    # the 考评办's year-end score of the task, 0–100 (v17); a unit's 共性/个性 score may be
    # computed from them (models.evaluation.engine.category_score)
    year_score = _score(null=True)
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])


class SelfCheck(BaseModel):
    """A unit's quarterly self-check on a task: progress, self-score and problems; ``late``
    when it came after the quarter's deadline (with approval)."""

    LABEL = "季度自查"

    id = AutoField()
    task = ForeignKeyField(WorkTask, backref="checks", on_delete="CASCADE")
    quarter = IntegerField()
    progress = TextField(default="")
    self_score = _score(null=True)
    problems = TextField(default="")
    late = BooleanField(default=False)
    submitted_at = DateTimeField(default=now_seconds)
    submitted_by = CharField(max_length=60, default="")
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])

    class Meta:
        indexes = ((("task", "quarter"), True),)


class UnitResult(BaseModel):
    """A unit's year-end scores and the grade computed from them."""

    LABEL = "单位考评结果"

    id = AutoField()
    year = IntegerField()
    unit = ForeignKeyField(Unit, backref="evaluation_results", on_delete="RESTRICT")
    common_score = _score(null=True)  # 共性指标 0–100
    own_score = _score(null=True)  # 个性指标 0–100
    bonus = _score(default=0)  # 特色、创新工作加分 asked for
    bonus_reason = TextField(default="")
    bonus_approved = BooleanField(default=False)
    deduction = _score(default=0)  # 督查扣分
    deduction_reason = TextField(default="")
    # 领导班子 (v17): the five items' scores {code: "92.5"} and the 民主测评 votes
    # {group: {"好": 12, ...}} as JSON, and the 班子得分 computed from them when graded
    team_items = TextField(default="{}")
    team_votes = TextField(default="{}")
    team_score = _score(null=True)
    total = _score(null=True)
    rank = IntegerField(null=True)
    grade = CharField(max_length=6, default="")
    explanation = TextField(default="")
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])

    class Meta:
        indexes = ((("year", "unit"), True),)


EVALUATION_TABLES: list[type[BaseModel]] = [EvalYear, WorkTask, SelfCheck, UnitResult]


class Inspection(BaseModel):
    """A finding of the half-year inspection (半年一督查) on a unit: the 督查室/考评办's score,
    the points it costs the unit at the year end, what was found and by whom (schema v16)."""

    LABEL = "督查记录"

    id = AutoField()
    year = IntegerField(index=True)
    half = IntegerField()  # 1: 上半年, 2: 下半年
    unit = ForeignKeyField(Unit, backref="inspections", on_delete="RESTRICT")
    task = ForeignKeyField(WorkTask, null=True, backref="inspections", on_delete="SET NULL")
    score = _score()  # 督查评分 0–100
    deduction = _score(default=0)  # 扣分, counted in the year-end total
    finding = TextField(default="")  # 发现的问题或值得表扬的做法
    inspector = CharField(max_length=60, default="")
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])

    class Meta:
        indexes = ((("year", "half", "unit", "task"), False),)


INSPECTION_TABLES: list[type[BaseModel]] = [Inspection]


class CheckFile(BaseModel):
    """A file of evidence (佐证材料) filed with a self-check, kept in the database so that
    it travels with it (size-limited: models.evaluation.evidence.MAX_BYTES)."""

    LABEL = "佐证材料"

    id = AutoField()
    check = ForeignKeyField(SelfCheck, backref="files", on_delete="CASCADE")
    name = CharField(max_length=200)
    size = IntegerField()
    sha256 = CharField(max_length=64)
    data = BlobField()
    added_at = DateTimeField(default=now_seconds)
    added_by = CharField(max_length=60, default="")


EVIDENCE_TABLES: list[type[BaseModel]] = [CheckFile]
