"""Tables of training (DOMAIN §3): teachers, rooms, field-study sites, the course library,
classes and their timetables, trainees, electives, attendance and the 学时 ledger.

学时 are stored as DECIMAL with two places (3.75 学时 per half-day occurs, DOMAIN §3.8).
Every table that points at a cadre has a Chinese ``LABEL``: models.roster.service.references()
names it when it refuses to delete a cadre who has such records.
"""

from __future__ import annotations

from decimal import Decimal

from peewee import (
    SQL,
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DecimalField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from models.core.dates import now_seconds
from models.core.db import BaseModel
from models.roster.tables import Cadre, new_gid

TEACHER_KINDS = ("党校教师", "领导干部讲坛", "外请专家", "现场教学点讲解员")
CLASS_LEVELS = ("县处级进修班", "中青年干部培训班", "科级干部班", "专题班")
CLASS_STATUSES = ("筹备", "进行中", "已结业")
TRAINEE_ROLES = ("班长", "副班长", "组长", "学员")
ELECTIVE_RESULTS = ("", "录取", "未录取", "调剂")


def stored_hours(value: float | Decimal | int) -> Decimal:
    """学时 rounded to the two places they are stored with: 3.755 → 3.76, 4 → 4.00."""
    return Decimal(str(round(float(value), 2))).normalize() + Decimal("0.00")


def _hours_field(**kw: object) -> DecimalField:
    return DecimalField(max_digits=8, decimal_places=2, auto_round=True, **kw)  # type: ignore[arg-type]


class Teacher(BaseModel):
    LABEL = "授课教师"

    id = AutoField()
    name = CharField(max_length=40)
    kind = CharField(max_length=20, default="党校教师")
    unit_title = CharField(max_length=120, default="")  # 单位及职务/职称
    phone = CharField(max_length=40, default="")
    cadre = ForeignKeyField(Cadre, null=True, backref="teacher_roles", on_delete="RESTRICT")
    notes = TextField(default="")
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])  # optimistic locking


class TeacherUnavailable(BaseModel):
    id = AutoField()
    teacher = ForeignKeyField(Teacher, backref="unavailable", on_delete="CASCADE")
    day = DateField()

    class Meta:
        indexes = ((("teacher", "day"), True),)


class Room(BaseModel):
    id = AutoField()
    name = CharField(max_length=60, unique=True)
    capacity = IntegerField()
    notes = TextField(default="")
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])  # optimistic locking


class Site(BaseModel):
    """现场教学点."""

    id = AutoField()
    name = CharField(max_length=100, unique=True)
    address = CharField(max_length=200, default="")
    contact = CharField(max_length=40, default="")
    phone = CharField(max_length=40, default="")
    travel_minutes = IntegerField(default=0)
    notes = TextField(default="")
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])  # optimistic locking


class SiteUnavailable(BaseModel):
    """A day a 现场教学点 cannot receive a class (closed, booked by others outside the app)."""

    id = AutoField()
    site = ForeignKeyField(Site, backref="unavailable", on_delete="CASCADE")
    day = DateField()

    class Meta:
        indexes = ((("site", "day"), True),)


class Course(BaseModel):
    """The course library, reused across classes."""

    id = AutoField()
    title = CharField(max_length=120)
    mode = CharField(max_length=10)  # 课堂教学 / 调研考察 / 研讨交流
    half_days = IntegerField(default=1)
    teacher = ForeignKeyField(Teacher, null=True, backref="courses", on_delete="RESTRICT")
    site = ForeignKeyField(Site, null=True, backref="courses", on_delete="RESTRICT")
    elective = BooleanField(default=False)
    block = CharField(max_length=60, default="")  # lecture: its 专题 block
    follows = CharField(max_length=60, default="")  # discussion: the block it discusses
    # v10: how the planner picks from the library for a class of any length
    required = BooleanField(default=False)  # 必修: every class of its levels takes it
    priority = IntegerField(default=0)  # higher first among courses of one mode
    levels = CharField(max_length=200, default="")  # class levels it suits, "、"-joined; "": all
    repeatable = BooleanField(default=False)  # discussion / field study: may be held again
    position = CharField(max_length=10, default="")  # "" / 开班第一课 / 结业前 (结业交流、党性分析)
    notes = TextField(default="")
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])  # optimistic locking


class TrainingClass(BaseModel):
    id = AutoField()
    name = CharField(max_length=120)
    level = CharField(max_length=20)
    organiser = CharField(max_length=100, default="")
    start = DateField()
    end = DateField()
    weekdays = CharField(max_length=7, default="01234")  # Monday = 0
    holidays = TextField(default="[]")  # JSON list of ISO dates
    evening = BooleanField(default=False)
    hours_per_half_day = _hours_field(default=4)
    share_lecture = FloatField(default=1 / 3)
    share_field_study = FloatField(default=1 / 3)
    share_discussion = FloatField(default=1 / 3)
    share_tolerance = IntegerField(default=1)
    class_size = IntegerField(default=0)  # 班额 cap; 0: no cap
    electives_per_trainee = IntegerField(default=1)
    head_teacher = CharField(max_length=40, default="")  # 班主任
    status = CharField(max_length=4, default="筹备", index=True)
    # v10: planning rules of this class
    use_workdays = BooleanField(default=False)  # plan on 调休 working days (Saturdays etc.)
    max_lectures_in_row = IntegerField(default=4)  # consecutive 课堂教学 half-days at most
    plan_notes = TextField(default="")  # what the last 自动排课 repeated or left 机动, one per line
    # v10: lifecycle (开班 / 结业 / 重新开班) -- who, when and why
    opened_at = DateTimeField(null=True)
    opened_by = CharField(max_length=60, default="")
    closed_at = DateTimeField(null=True)
    closed_by = CharField(max_length=60, default="")
    close_reason = TextField(default="")  # why it closed before its end date
    notes = TextField(default="")
    created_at = DateTimeField(default=now_seconds)
    version = IntegerField(default=1)
    # v14: global id and last change by an exchange package (models.exchange)
    gid = CharField(max_length=36, unique=True, null=True, default=new_gid)
    changed_at = DateTimeField(null=True)
    changed_by_office = CharField(max_length=100, default="", constraints=[SQL("DEFAULT ''")])


class ClassCourse(BaseModel):
    id = AutoField()
    training_class = ForeignKeyField(TrainingClass, backref="class_courses", on_delete="CASCADE")
    course = ForeignKeyField(Course, backref="class_uses", on_delete="RESTRICT")
    sort_order = IntegerField(default=0)
    capacity = IntegerField(default=0)  # electives: places; 0 = no limit

    class Meta:
        indexes = ((("training_class", "course"), True),)


class ClassSession(BaseModel):
    id = AutoField()
    training_class = ForeignKeyField(TrainingClass, backref="sessions", on_delete="CASCADE")
    day = DateField()
    slot = CharField(max_length=2)  # 上午 / 下午 / 晚上
    mode = CharField(max_length=10)  # the three modes or 其他 (开班式, 结业式)
    course = ForeignKeyField(Course, null=True, backref="sessions", on_delete="RESTRICT")
    title = CharField(max_length=120)
    teacher = ForeignKeyField(Teacher, null=True, backref="sessions", on_delete="RESTRICT")
    room = ForeignKeyField(Room, null=True, backref="sessions", on_delete="RESTRICT")
    site = ForeignKeyField(Site, null=True, backref="sessions", on_delete="RESTRICT")
    hours = _hours_field(default=4)
    part = IntegerField(default=1)
    parts = IntegerField(default=1)
    locked = BooleanField(default=False)

    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])  # optimistic locking
    # v14: global id and last change by an exchange package (models.exchange)
    gid = CharField(max_length=36, unique=True, null=True, default=new_gid)
    changed_at = DateTimeField(null=True)
    changed_by_office = CharField(max_length=100, default="", constraints=[SQL("DEFAULT ''")])

    class Meta:
        indexes = ((("training_class", "day", "slot"), True),)


class Enrolment(BaseModel):
    LABEL = "培训报名记录"

    id = AutoField()
    training_class = ForeignKeyField(TrainingClass, backref="enrolments", on_delete="CASCADE")
    cadre = ForeignKeyField(Cadre, backref="enrolments", on_delete="RESTRICT")
    group_no = IntegerField(default=0)  # 0: not yet in a discussion group
    role = CharField(max_length=4, default="学员")
    is_convener = BooleanField(default=False)
    enrolled_at = DateTimeField(default=now_seconds)

    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])  # optimistic locking
    # v14: global id and last change by an exchange package (models.exchange)
    gid = CharField(max_length=36, unique=True, null=True, default=new_gid)
    changed_at = DateTimeField(null=True)
    changed_by_office = CharField(max_length=100, default="", constraints=[SQL("DEFAULT ''")])

    class Meta:
        indexes = ((("training_class", "cadre"), True),)


class ElectiveChoice(BaseModel):
    """A trainee's wish for one elective course of a class (preference 1 = first choice),
    and after settlement its result. Preference 0 marks a place assigned by 调剂."""

    LABEL = "选学志愿记录"

    id = AutoField()
    training_class = ForeignKeyField(TrainingClass, backref="elective_choices", on_delete="CASCADE")
    cadre = ForeignKeyField(Cadre, backref="elective_choices", on_delete="RESTRICT")
    course = ForeignKeyField(Course, backref="elective_choices", on_delete="RESTRICT")
    preference = IntegerField(default=1)
    chosen_at = DateTimeField(default=now_seconds)
    result = CharField(max_length=4, default="")
    note = CharField(max_length=200, default="")

    class Meta:
        indexes = ((("training_class", "cadre", "course"), True),)


class Attendance(BaseModel):
    LABEL = "考勤记录"

    id = AutoField()
    session = ForeignKeyField(ClassSession, backref="attendance", on_delete="CASCADE")
    cadre = ForeignKeyField(Cadre, backref="attendance", on_delete="RESTRICT")
    status = CharField(max_length=4)
    note = CharField(max_length=200, default="")

    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])  # optimistic locking
    # v14: global id and last change by an exchange package (models.exchange)
    gid = CharField(max_length=36, unique=True, null=True, default=new_gid)
    changed_at = DateTimeField(null=True)
    changed_by_office = CharField(max_length=100, default="", constraints=[SQL("DEFAULT ''")])

    class Meta:
        indexes = ((("session", "cadre"), True),)


class LectureSeries(BaseModel):
    """领导干部讲坛 and similar lecture series (DOMAIN §3.5): a named series of lectures open
    to cadres of chosen units and ranks, outside any class."""

    id = AutoField()
    name = CharField(max_length=120, unique=True)
    organiser = CharField(max_length=100, default="")  # 主办单位
    hours_per_lecture = _hours_field(default=3)  # 学时 one attended lecture credits
    notes = TextField(default="")
    created_at = DateTimeField(default=now_seconds)
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])  # optimistic locking


class Lecture(BaseModel):
    """One lecture of a series: who speaks, when, where, to whom."""

    id = AutoField()
    series = ForeignKeyField(LectureSeries, backref="lectures", on_delete="CASCADE")
    title = CharField(max_length=200)
    speaker = CharField(max_length=60)
    speaker_title = CharField(max_length=120, default="")  # 单位及职务/职称
    day = DateField(index=True)
    time_text = CharField(max_length=40, default="")  # e.g. 上午 9:00-11:30
    place = CharField(max_length=120, default="")
    audience_units = TextField(default="[]")  # JSON list of unit ids; []: every unit
    audience_ranks = TextField(default="[]")  # JSON list of rank names; []: every rank
    hours = _hours_field(null=True)  # NULL: the series' hours_per_lecture
    status = CharField(max_length=4, default="筹备")  # 筹备 / 已举办 (学时 credited)
    requirements = TextField(default="")  # the notice's 有关要求, one per line
    notes = TextField(default="")
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])  # optimistic locking


class LectureAttendance(BaseModel):
    LABEL = "讲坛听课记录"

    id = AutoField()
    lecture = ForeignKeyField(Lecture, backref="attendance", on_delete="CASCADE")
    cadre = ForeignKeyField(Cadre, backref="lecture_attendance", on_delete="RESTRICT")
    status = CharField(max_length=4, default="出勤")  # 出勤 / 请假 / 缺席
    note = CharField(max_length=200, default="")
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")])  # optimistic locking

    class Meta:
        indexes = ((("lecture", "cadre"), True),)


class HoursEntry(BaseModel):
    """One line of a cadre's 学时 ledger (培训档案)."""

    LABEL = "学时登记记录"

    id = AutoField()
    cadre = ForeignKeyField(Cadre, backref="hours_entries", on_delete="RESTRICT")
    year = IntegerField()
    day = DateField()
    kind = CharField(max_length=6)  # 班次培训 / 外出培训 / 网络学习
    hours = _hours_field()
    title = CharField(max_length=200, default="")
    source_class = ForeignKeyField(
        TrainingClass, null=True, backref="hours_entries", on_delete="RESTRICT"
    )
    source_lecture = ForeignKeyField(  # v10: a 领导干部讲坛 lecture attended
        Lecture, null=True, backref="hours_entries", on_delete="RESTRICT"
    )
    created_at = DateTimeField(default=now_seconds)
    # v14: global id and last change by an exchange package (models.exchange)
    gid = CharField(max_length=36, unique=True, null=True, default=new_gid)
    changed_at = DateTimeField(null=True)
    changed_by_office = CharField(max_length=100, default="", constraints=[SQL("DEFAULT ''")])

    class Meta:
        indexes = ((("cadre", "year"), False),)


TRAINING_TABLES: list[type[BaseModel]] = [
    Teacher,
    TeacherUnavailable,
    Room,
    Site,
    SiteUnavailable,
    Course,
    TrainingClass,
    ClassCourse,
    ClassSession,
    Enrolment,
    ElectiveChoice,
    Attendance,
    LectureSeries,
    Lecture,
    LectureAttendance,
    HoursEntry,
]
