"""Tables of the 五项考核 (five-item assessment): rounds, members, scores, votes, sanctions,
quarterly grades and the stored grading results.

A round keeps a snapshot of its scheme and rules as JSON (``rules_json``), so editing next
year's scheme never changes a closed round. Scores are stored as decimal text (exact), never
as floats. Sanctions and 平时考核 quarterly grades belong to the cadre, not to a round; whether
a sanction is "in force" is worked out per assessment year.

Every table with a cadre foreign key has a Chinese ``LABEL``: models.roster.service.references()
uses it when it refuses to delete a cadre who has records here.
"""

from __future__ import annotations

from peewee import (
    SQL,
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from models.core.dates import now_seconds
from models.core.db import BaseModel
from models.roster.tables import Cadre

KIND_ANNUAL = "年度考核"
KIND_QUARTERLY = "平时考核"
KINDS = (KIND_ANNUAL, KIND_QUARTERLY)

STATUS_ENTRY = "录入"
STATUS_REVIEW = "审核"
STATUS_APPROVED = "审定"
STATUSES = (STATUS_ENTRY, STATUS_REVIEW, STATUS_APPROVED)


class AssessmentRound(BaseModel):
    """One assessment round: a year, a kind (and a quarter for 平时考核), its rules."""

    LABEL = "考核轮次"

    id = AutoField()
    year = IntegerField(index=True)
    kind = CharField(max_length=10, default=KIND_ANNUAL)
    quarter = IntegerField(null=True)
    name = CharField(max_length=100)
    rules_json = TextField()  # AssessmentRules.to_json(): the scheme and rules snapshot
    approved_pools = TextField(default="[]")  # JSON list of pool keys allowed the raised quota
    pools_json = TextField(default="[]")  # PoolSummary.to_dict() of the last grading, per pool
    graded_at = DateTimeField(null=True)
    status = CharField(max_length=4, default=STATUS_ENTRY)
    locked_at = DateTimeField(null=True)
    locked_by = CharField(max_length=60, default="")
    created_at = DateTimeField(default=now_seconds)
    version = IntegerField(default=1)  # bumped on every change to the round itself


class RoundMember(BaseModel):
    """A cadre taking part in a round, with the unit and status flags as they were then."""

    LABEL = "考核人员记录"

    id = AutoField()
    round = ForeignKeyField(AssessmentRound, backref="members", on_delete="CASCADE")
    cadre = ForeignKeyField(Cadre, backref="assessment_members", on_delete="RESTRICT")
    unit_id = IntegerField(index=True)  # the unit at the time (not a FK: units may be removed)
    unit_name = CharField(max_length=100)  # snapshot text (the pool name)
    layer = CharField(max_length=30, default="")  # rank layer, for pools by layer
    on_probation = BooleanField(default=False)
    under_investigation = BooleanField(default=False)
    leave_days = IntegerField(default=0)
    not_participating = CharField(max_length=200, default="")  # reason; "" = takes part
    sort_order = IntegerField(default=0)

    class Meta:
        indexes = ((("round", "cadre"), True),)


class ItemScore(BaseModel):
    LABEL = "考核得分记录"

    id = AutoField()
    round = ForeignKeyField(AssessmentRound, backref="item_scores", on_delete="CASCADE")
    cadre = ForeignKeyField(Cadre, backref="item_scores", on_delete="RESTRICT")
    item_code = CharField(max_length=40)
    score = CharField(max_length=20)  # exact decimal text

    class Meta:
        indexes = ((("round", "cadre", "item_code"), True),)


class VoteCount(BaseModel):
    LABEL = "民主测评票数记录"

    id = AutoField()
    round = ForeignKeyField(AssessmentRound, backref="votes", on_delete="CASCADE")
    cadre = ForeignKeyField(Cadre, backref="vote_counts", on_delete="RESTRICT")
    group_code = CharField(max_length=40)
    grade_label = CharField(max_length=20)
    count = IntegerField()

    class Meta:
        indexes = ((("round", "cadre", "group_code", "grade_label"), True),)


class GroupAverage(BaseModel):
    LABEL = "民主测评平均分记录"

    id = AutoField()
    round = ForeignKeyField(AssessmentRound, backref="group_averages", on_delete="CASCADE")
    cadre = ForeignKeyField(Cadre, backref="group_averages", on_delete="RESTRICT")
    group_code = CharField(max_length=40)
    average = CharField(max_length=20)  # exact decimal text

    class Meta:
        indexes = ((("round", "cadre", "group_code"), True),)


class ScoreAdjustment(BaseModel):
    LABEL = "加减分记录"

    id = AutoField()
    round = ForeignKeyField(AssessmentRound, backref="adjustments", on_delete="CASCADE")
    cadre = ForeignKeyField(Cadre, backref="score_adjustments", on_delete="RESTRICT")
    points = CharField(max_length=20)  # exact decimal text; > 0 加分, < 0 扣分
    reason = TextField()
    created_at = DateTimeField(default=now_seconds)
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])  # optimistic locking


class Sanction(BaseModel):
    """A 处分 / 组织处理 of a cadre; ``code`` is a sanction code of the rules (诫勉: admonition)."""

    LABEL = "处分记录"

    id = AutoField()
    cadre = ForeignKeyField(Cadre, backref="sanctions", on_delete="RESTRICT")
    code = CharField(max_length=40)
    start_date = DateField()
    end_date = DateField(null=True)  # 影响期 ended early (e.g. revoked); None: by the rules
    note = TextField(default="")
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])  # optimistic locking


class QuarterGrade(BaseModel):
    """平时考核 grade of one quarter: 好 / 较好 / 一般 / 较差."""

    LABEL = "平时考核记录"

    id = AutoField()
    cadre = ForeignKeyField(Cadre, backref="quarter_grades", on_delete="RESTRICT")
    year = IntegerField()
    quarter = IntegerField()
    grade = CharField(max_length=4)

    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])  # optimistic locking

    class Meta:
        indexes = ((("cadre", "year", "quarter"), True),)


class VetoFailure(BaseModel):
    """A failed 一票否决 item of a person in a round."""

    LABEL = "一票否决记录"

    id = AutoField()
    round = ForeignKeyField(AssessmentRound, backref="veto_failures", on_delete="CASCADE")
    cadre = ForeignKeyField(Cadre, backref="veto_failures", on_delete="RESTRICT")
    item_code = CharField(max_length=40)
    reason = TextField(default="")

    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])  # optimistic locking

    class Meta:
        indexes = ((("round", "cadre", "item_code"), True),)


class GradeResult(BaseModel):
    """The stored outcome of grading one person, and the committee's override.

    ``proposed_grade`` is what the rules give; ``final_grade`` is the grade after the
    committee's override (the same when there is none). ``override_grade`` is the committee's
    decision itself, kept across recomputations."""

    LABEL = "考核等次记录"

    id = AutoField()
    # no index of its own: the (round, cadre) index below serves every query by round, and
    # one index fewer makes writing the 50,000 results of a first grading a third faster
    round = ForeignKeyField(AssessmentRound, backref="results", on_delete="CASCADE", index=False)
    cadre = ForeignKeyField(Cadre, backref="grade_results", on_delete="RESTRICT")
    pool_key = CharField(max_length=140, default="")
    evaluation = CharField(max_length=20, null=True)
    items = CharField(max_length=20, null=True)
    bonus = CharField(max_length=20, default="0")
    penalty = CharField(max_length=20, default="0")
    composite = CharField(max_length=20, null=True)
    rank = IntegerField(null=True)
    proposed_grade = CharField(max_length=6, default="")
    final_grade = CharField(max_length=6, default="")
    no_grade_category = CharField(max_length=6, default="")
    override_grade = CharField(max_length=6, null=True)
    override_reason = TextField(default="")
    override_approved = BooleanField(default=False)
    flags = TextField(default="")  # comma-separated engine flags
    warnings = TextField(default="")  # newline-separated
    explanation = TextField(default="")
    computed_at = DateTimeField(null=True)

    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])  # optimistic locking

    class Meta:
        indexes = ((("round", "cadre"), True),)


class PoolApproval(BaseModel):
    """One 考核范围 (a quota pool: a unit, a unit｜layer, or small units pooled with their
    主管部门) approved on its own while other pools are still being entered: its people's
    scores, records and grades are locked until the pool is unlocked (with a reason)."""

    LABEL = "分范围审定记录"

    id = AutoField()
    round = ForeignKeyField(AssessmentRound, backref="pool_approvals", on_delete="CASCADE")
    pool_key = CharField(max_length=140)
    label = CharField(max_length=200, default="")  # the pool's name as messages give it
    people = IntegerField(default=0)  # head count when approved
    approved_at = DateTimeField(default=now_seconds)
    approved_by = CharField(max_length=60, default="")

    class Meta:
        indexes = ((("round", "pool_key"), True),)


class Feedback(BaseModel):
    """一项指导: after 审定, the organisation's 反馈与指导 talk with one cadre about their
    result — who talked, when, the strengths, shortcomings and points to improve, and the
    cadre's own response. One record per cadre and round."""

    LABEL = "考核结果反馈记录"

    id = AutoField()
    round = ForeignKeyField(AssessmentRound, backref="feedback", on_delete="CASCADE")
    cadre = ForeignKeyField(Cadre, backref="assessment_feedback", on_delete="RESTRICT")
    talk_date = DateField()
    talker = CharField(max_length=100)  # 谈话人 (name and post)
    place = CharField(max_length=100, default="")
    form = CharField(max_length=20, default="当面谈话")  # 当面谈话 / 书面反馈 / 集体反馈
    strengths = TextField(default="")  # 主要优点
    shortcomings = TextField(default="")  # 存在不足
    improvements = TextField(default="")  # 改进方向（指导意见）
    response = TextField(default="")  # 本人意见
    recorder = CharField(max_length=60, default="")  # 记录人 (the account that entered it)
    created_at = DateTimeField(default=now_seconds)
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])  # optimistic locking

    class Meta:
        indexes = ((("round", "cadre"), True),)


ASSESSMENT_TABLES: list[type[BaseModel]] = [
    AssessmentRound,
    RoundMember,
    ItemScore,
    VoteCount,
    GroupAverage,
    ScoreAdjustment,
    Sanction,
    QuarterGrade,
    VetoFailure,
    GradeResult,
    PoolApproval,
    Feedback,
]

__all__ = [
    "ASSESSMENT_TABLES",
    "KINDS",
    "KIND_ANNUAL",
    "KIND_QUARTERLY",
    "STATUSES",
    "STATUS_APPROVED",
    "STATUS_ENTRY",
    "STATUS_REVIEW",
    "AssessmentRound",
    "Feedback",
    "GradeResult",
    "GroupAverage",
    "ItemScore",
    "PoolApproval",
    "QuarterGrade",
    "RoundMember",
    "Sanction",
    "ScoreAdjustment",
    "VetoFailure",
    "VoteCount",
]
