"""What the planner reads from the library and the class (schema v10), as the editors store
it: a course's 必修 / 优先级 / 适用班次层次 / 可重复 / 位置, a site's 不可接待日期, a class's
调休上班日排课 and 连续讲课不超过; bad values refused with a Chinese message naming the field."""

from __future__ import annotations

import datetime as dt

import pytest

from models.core.audit import ChangeLog
from models.core.errors import DomainError, ValidationError
from models.training import (
    ClassInput,
    CourseInput,
    delete_site,
    get_class,
    get_course,
    list_courses,
    list_sites,
    save_class,
    save_course,
    save_site,
)
from models.training import planner as tt
from models.training.tables import TRAINING_TABLES, SiteUnavailable

D = dt.date


@pytest.fixture
def tdb(database, units):
    database.create_tables(TRAINING_TABLES)
    return units


def logged(entity: str, entity_id: int, field: str) -> list[tuple[str, str, str]]:
    q = ChangeLog.select().where(
        (ChangeLog.entity == entity)
        & (ChangeLog.entity_id == entity_id)
        & (ChangeLog.field == field)
    )
    return [(x.action, x.old_value, x.new_value) for x in q.order_by(ChangeLog.id)]


# ---------------------------------------------------------------------------- courses


def test_course_planning_fields_are_stored(tdb):
    c = save_course(
        CourseInput(
            "结业交流与党性分析",
            tt.DISCUSSION,
            2,
            required=True,
            priority=8,
            levels=["专题班", "县处级进修班", "专题班"],  # any order, a repeat folded
            repeatable=True,
            position="结业前",
        )
    )
    again = get_course(c.id)
    assert again == c
    assert (c.required, c.priority, c.repeatable, c.position) == (True, 8, True, "结业前")
    assert c.levels == ("县处级进修班", "专题班")  # CLASS_LEVELS order
    assert [x.title for x in list_courses()] == ["结业交流与党性分析"]
    assert logged("course", c.id, "适用班次层次") == [("新增", "", "县处级进修班、专题班")]

    plain = save_course(CourseInput("党史学习教育专题", tt.LECTURE, 1))
    assert (plain.required, plain.priority, plain.levels, plain.repeatable, plain.position) == (
        False,
        0,
        (),
        False,
        "",
    )
    first = save_course(
        CourseInput(
            "党史学习教育专题",
            tt.LECTURE,
            1,
            position="开班第一课",
            id=plain.id,
            version=plain.version,
        )
    )
    assert first.position == "开班第一课"
    assert logged("course", plain.id, "位置") == [
        ("新增", "", "不限"),
        ("修改", "不限", "开班第一课"),
    ]
    cleared = save_course(
        CourseInput("结业交流与党性分析", tt.DISCUSSION, 2, id=c.id, version=c.version)
    )
    assert cleared.levels == ()  # none chosen: every level
    assert logged("course", c.id, "适用班次层次")[-1] == ("修改", "县处级进修班、专题班", "全部")


@pytest.mark.parametrize(
    ("inp", "field", "text"),
    [
        (
            CourseInput("讲座", tt.LECTURE, 1, priority=-1),
            "priority",
            "优先级：应在 0 到 99 之间，现为 -1",
        ),
        (CourseInput("讲座", tt.LECTURE, 1, priority=100), "priority", "现为 100"),
        (
            CourseInput("讲座", tt.LECTURE, 1, levels=["研究生班"]),
            "levels",
            "“研究生班”不是班次类别",
        ),
        (
            CourseInput("讲座", tt.LECTURE, 1, repeatable=True),
            "repeatable",
            "只有研讨交流、调研考察课程可以重复安排，本课程为课堂教学",
        ),
        (CourseInput("讲座", tt.LECTURE, 1, position="开班"), "position", "现为“开班”"),
        (
            CourseInput("研讨", tt.DISCUSSION, 1, position="开班第一课"),
            "position",
            "开班第一课应为课堂教学",
        ),
        (
            CourseInput("考察", tt.FIELD_STUDY, 2, position="结业前"),
            "position",
            "不能是调研考察",
        ),
        (
            CourseInput("选学课", tt.LECTURE, 1, elective=True, required=True),
            "required",
            "选学课程不能同时设为必修",
        ),
    ],
)
def test_bad_planning_fields_are_refused(tdb, inp, field, text):
    with pytest.raises(ValidationError) as err:
        save_course(inp)
    assert [i.field for i in err.value.issues] == [field]
    assert text in str(err.value)
    assert f"课程《{inp.title}》" in str(err.value)
    assert list_courses() == []  # nothing stored


def test_repeatable_field_study_and_discussion(tdb):
    site = save_site("会宁红军会师旧址").id
    fs = save_course(CourseInput("现场教学", tt.FIELD_STUDY, 2, site_id=site, repeatable=True))
    ds = save_course(CourseInput("专题研讨", tt.DISCUSSION, 1, repeatable=True))
    assert fs.repeatable
    assert ds.repeatable


# ---------------------------------------------------------------------------- sites


def test_site_unavailable_days_are_stored_like_a_teachers(tdb):
    s = save_site("会宁红军会师旧址", unavailable=[D(2027, 4, 5), D(2027, 4, 4), D(2027, 4, 5)])
    assert s.unavailable == (D(2027, 4, 4), D(2027, 4, 5))  # in order, each once
    assert list_sites()[0].unavailable == s.unavailable
    assert logged("site", s.id, "不可接待日期") == [("新增", "", "2027-04-04、2027-04-05")]

    kept = save_site("会宁红军会师旧址", travel_minutes=150, site_id=s.id, expected_version=1)
    assert kept.unavailable == s.unavailable  # None: the days stay as they were
    moved = save_site("会宁红军会师旧址", unavailable=[D(2027, 5, 1)], site_id=s.id)
    assert moved.unavailable == (D(2027, 5, 1),)
    assert logged("site", s.id, "不可接待日期")[-1] == (
        "修改",
        "2027-04-04、2027-04-05",
        "2027-05-01",
    )
    assert save_site("会宁红军会师旧址", unavailable=[], site_id=s.id).unavailable == ()

    other = save_site("景泰黄河石林", unavailable=[D(2027, 5, 1)])
    assert other.unavailable == (D(2027, 5, 1),)  # the same day at another site is fine
    delete_site(other.id, expected_version=other.version)
    assert SiteUnavailable.select().where(SiteUnavailable.site == other.id).count() == 0


def test_bad_site_is_refused_and_keeps_its_days(tdb):
    s = save_site("会宁红军会师旧址", unavailable=[D(2027, 4, 4)])
    with pytest.raises(ValidationError, match="路程时间"):
        save_site("会宁红军会师旧址", travel_minutes=-5, unavailable=[], site_id=s.id)
    assert list_sites()[0].unavailable == (D(2027, 4, 4),)


def test_deleting_a_used_site_is_refused_by_name(tdb):
    site = save_site("会宁红军会师旧址").id
    save_course(CourseInput("现场教学", tt.FIELD_STUDY, 2, site_id=site))
    with pytest.raises(
        DomainError, match="现场教学点“会宁红军会师旧址”已被课程或课表使用，不能删除"
    ):
        delete_site(site)


# ---------------------------------------------------------------------------- classes


def test_class_planning_settings_are_stored(tdb):
    c = save_class(
        ClassInput(
            name="春节前后专题班",
            start=D(2027, 2, 1),
            end=D(2027, 2, 26),
            use_workdays=True,
            max_lectures_in_row=6,
            share_lecture=0.4,
            share_field_study=0.3,
            share_discussion=0.3,
        )
    )
    again = get_class(c.id)
    assert (again.use_workdays, again.max_lectures_in_row) == (True, 6)
    assert (again.share_lecture, again.share_field_study, again.share_discussion) == (0.4, 0.3, 0.3)
    assert logged("training_class", c.id, "连续讲课不超过（半天）") == [("新增", "", "6")]
    plain = save_class(ClassInput(name="普通班", start=D(2027, 3, 1), end=D(2027, 3, 5)))
    assert (plain.use_workdays, plain.max_lectures_in_row) == (False, 4)
    edited = save_class(
        ClassInput(
            name="普通班",
            start=D(2027, 3, 1),
            end=D(2027, 3, 5),
            use_workdays=True,
            id=plain.id,
            version=plain.version,
        )
    )
    assert edited.use_workdays
    assert logged("training_class", plain.id, "调休上班日排课")[-1] == ("修改", "否", "是")


@pytest.mark.parametrize("n", [0, 13, -2])
def test_lectures_in_row_outside_1_to_12_is_refused(tdb, n):
    with pytest.raises(ValidationError) as err:
        save_class(
            ClassInput(name="测试班", start=D(2027, 3, 1), end=D(2027, 3, 5), max_lectures_in_row=n)
        )
    assert [i.field for i in err.value.issues] == ["max_lectures_in_row"]
    assert f"连续讲课不超过（半天）：应在 1 到 12 之间，现为 {n}" in str(err.value)


@pytest.mark.parametrize("n", [0, -1])
def test_a_share_tolerance_below_one_half_day_is_refused(tdb, n):
    """A third of 28 half-days is 9.3: no plan could ever be within 0 of it."""
    with pytest.raises(ValidationError) as err:
        save_class(
            ClassInput(name="测试班", start=D(2027, 3, 1), end=D(2027, 3, 5), share_tolerance=n)
        )
    assert [i.field for i in err.value.issues] == ["share_tolerance"]
    assert f"比例允许偏差：至少为 1 个半天（各方式的目标一般不是整数个半天），现为 {n}" in str(
        err.value
    )
