"""Demo training data on top of the 白银市 demo roster (:func:`models.demo.build_demo`).

Teachers, rooms, field-study sites and a course library, and three 三三制 classes of three
weeks each, all planned with the real planner (so nothing is double-booked):

* a 县处级进修班 that finished about ten weeks ago, with full attendance and its 学时 written
  to the ledger by finish_class;
* a 中青年干部培训班 in progress, with attendance up to yesterday;
* a 科级干部班 being planned (筹备), starting after today and overlapping the class in
  progress for a week, so the planner has to share teachers, rooms and sites.

Plus 网络学习 and 外出培训 lines for part of the roster, so the 学时不足名单 has both kinds.
The same (today, seed) always gives the same data. Call on an open database whose schema
has the training tables.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from models.calendar import class_days
from models.core.db import db
from models.demo.electives import add_demo_electives
from models.roster.tables import Cadre
from models.training import hours as hr
from models.training import planner as tt
from models.training.attendance import record_attendance
from models.training.classes import ClassInput, save_class, set_class_courses
from models.training.lifecycle import finish_class, open_class
from models.training.resources import (
    CourseInput,
    TeacherInput,
    save_course,
    save_room,
    save_site,
    save_teacher,
)
from models.training.tables import ClassSession, Enrolment, HoursEntry
from models.training.timetable import plan_class_timetable
from models.training.trainees import enrol, set_role, split_groups

TEACHERS = [
    ("马建华", "党校教师", "市委党校马克思主义理论教研室主任、教授"),
    ("李文静", "党校教师", "市委党校党史党建教研室副教授"),
    ("王志刚", "党校教师", "市委党校经济学教研室副教授"),
    ("赵丽萍", "党校教师", "市委党校法学教研室讲师"),
    ("陈海涛", "党校教师", "市委党校公共管理教研室副教授"),
    ("刘国庆", "外请专家", "兰州大学经济学院教授"),
    ("孙晓燕", "外请专家", "甘肃省委党校乡村振兴研究中心研究员"),
    ("周红梅", "现场教学点讲解员", "会宁红军会师旧址纪念馆讲解员"),
    ("杨彦军", "现场教学点讲解员", "景泰县黄河石林景区讲解员"),
    ("张明远", "党校教师", "市委党校科学社会主义教研室教授"),
    ("何亚琴", "党校教师", "市委党校文史教研室讲师"),
    ("郭晓东", "外请专家", "西北师范大学马克思主义学院教授"),
    ("冯建军", "党校教师", "市委党校统一战线教研室副教授"),
    ("韩雪", "党校教师", "市委党校领导科学教研室讲师"),
]
ROOMS = [("多功能报告厅", 150), ("第一教室", 60), ("第二教室", 50), ("第三教室", 40)]
SITES = [
    ("会宁红军会师旧址", "会宁县会师镇会师南路", "周红梅", "0943-3222123", 150),
    ("景泰黄河石林", "景泰县中泉镇龙湾村", "杨彦军", "0943-5911001", 110),
    ("白银有色集团", "白银区友好路", "王建国", "0943-8811234", 20),
    ("靖远县北湾镇乡村振兴示范村", "靖远县北湾镇", "李春梅", "0943-6123456", 70),
]


@dataclass(frozen=True)
class _C:
    title: str
    mode: str
    half_days: int
    teacher: int | None = None  # index into TEACHERS, or -1 for the 讲坛 speaker
    site: int | None = None
    block: str = ""
    follows: str = ""
    required: bool = False
    priority: int = 0
    position: str = ""


L, F, D = tt.LECTURE, tt.FIELD_STUDY, tt.DISCUSSION
# A 党校's library: the first 14 courses (9 lecture, 10 field-study and 9 discussion half-days,
# a third each of a three-week class) are the demo classes' own; the lectures after them let
# the planner fill classes of up to three months (47 lecture half-days in all) without
# repeating a lecture.
LIBRARY = [
    _C(
        "习近平新时代中国特色社会主义思想专题",
        L,
        2,
        0,
        block="理论",
        required=True,
        position=tt.OPENING_LECTURE,
    ),
    _C("党史学习教育专题", L, 1, 1, block="理论", priority=8),
    _C("新发展理念与高质量发展", L, 2, 5, block="发展", priority=6),
    _C("领导干部讲坛：白银资源型城市转型发展", L, 1, -1, block="发展", priority=5),
    _C("乡村振兴战略与实践", L, 2, 6, block="乡村振兴", priority=5),
    _C("依法行政与法治政府建设", L, 1, 3, block="法治", priority=5),
    _C("会宁红军会师旧址现场教学", F, 4, 7, site=0, priority=8),
    _C("黄河石林生态保护调研", F, 2, 8, site=1, priority=5),
    _C("白银有色集团转型发展调研", F, 2, None, site=2, priority=5),
    _C("北湾镇示范村蹲点调研", F, 2, None, site=3, priority=4),
    _C("理论学习专题研讨", D, 3, 0, follows="理论", priority=8),
    _C("高质量发展专题研讨", D, 2, 4, follows="发展", priority=6),
    _C("乡村振兴专题研讨", D, 2, 2, follows="乡村振兴", priority=5),
    _C("结业交流与党性分析", D, 2, 4, position=tt.BEFORE_CLOSING),
    # the rest of the library
    _C("学习贯彻党的二十届四中全会精神", L, 2, 9, block="理论", priority=9),
    _C("马克思主义基本原理与方法论", L, 1, 9, block="理论", priority=4),
    _C("中国式现代化的理论与实践", L, 1, 11, block="理论", priority=6),
    _C("党章党规党纪学习", L, 1, 1, block="党性", priority=7),
    _C("全面从严治党与作风建设", L, 1, 1, block="党性", priority=6),
    _C("党风廉政建设警示教育", L, 1, 3, block="党性", priority=6),
    _C("红色文化与党性修养", L, 1, 10, block="党性", priority=4),
    _C("中华优秀传统文化与领导干部修养", L, 1, 10, priority=3),
    _C("宏观经济形势与政策", L, 1, 2, block="发展", priority=5),
    _C("新质生产力与产业转型", L, 1, 5, block="发展", priority=4),
    _C("县域经济发展与招商引资", L, 1, 2, block="发展", priority=3),
    _C("财政金融与政府债务风险防范", L, 1, 2, block="发展", priority=3),
    _C("数字经济发展趋势", L, 1, 4, block="发展", priority=3),
    _C("巩固拓展脱贫攻坚成果", L, 1, 6, block="乡村振兴", priority=4),
    _C("基层治理现代化", L, 1, 4, block="乡村振兴", priority=4),
    _C("农村集体经济与土地制度改革", L, 1, 6, block="乡村振兴", priority=3),
    _C("宪法与领导干部法治思维", L, 1, 3, block="法治", priority=4),
    _C("行政复议、行政诉讼与依法决策", L, 1, 3, block="法治", priority=3),
    _C("生态文明建设与环保督察", L, 1, 11, priority=4),
    _C("安全生产与应急管理", L, 2, 4, priority=4),
    _C("意识形态工作与网络舆情应对", L, 1, 12, priority=4),
    _C("统一战线与民族宗教工作", L, 1, 12, priority=3),
    _C("群众工作方法与信访工作", L, 1, 13, priority=3),
    _C("调查研究的方法与实践", L, 1, 13, priority=4),
    _C("领导科学与领导艺术", L, 1, 13, priority=3),
    _C("机关工作规范与讲话稿起草", L, 1, 10, priority=2),
    _C("领导干部健康管理", L, 1, 13, priority=2),
    _C("总体国家安全观与保密工作", L, 1, 12, priority=4),
    _C("国际形势与我国外交政策", L, 2, 11, priority=3),
    _C("科技创新与人才工作", L, 1, 5, block="发展", priority=3),
    _C("文化建设与文旅融合发展", L, 1, 10, priority=3),
    _C("城市更新与城乡规划", L, 1, 4, priority=3),
    _C("社会保障与民生实事", L, 1, 2, priority=3),
    _C("教育与卫生健康事业发展", L, 1, 4, priority=2),
    _C("优化营商环境", L, 1, 2, block="发展", priority=3),
]
OWN = 14  # the demo classes take the first 14 courses (one third each)
WEIGHTS = [(hr.PRESENT, 930), (hr.LATE, 30), (hr.LEFT_EARLY, 10), (hr.LEAVE, 30)]


def _last_working_day(start: dt.date, end: dt.date) -> dt.date:
    """``end``, or the working day before it when it is a weekend or a holiday (a demo class
    never holds its 结业式 on 元旦)."""
    cal = class_days(start, end)
    while end > start and (cal.is_off(end) or end.weekday() >= 5) and not cal.is_workday(end):
        end -= dt.timedelta(days=1)
    return end


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _pick(rng: random.Random) -> str:
    names, weights = zip(*WEIGHTS, strict=True)
    return rng.choices(names, weights)[0]


def _attend(rng: random.Random, class_id: int, before: dt.date, leaver: int | None) -> None:
    """Attendance for every session before ``before``; ``leaver`` takes five half-days of
    leave (over 1/7 of the 学时, so flagged for 退学 review)."""
    trainees = [
        cid
        for (cid,) in Enrolment.select(Enrolment.cadre)
        .where(Enrolment.training_class == class_id)
        .order_by(Enrolment.id)
        .tuples()
    ]
    sessions = list(
        ClassSession.select()
        .where((ClassSession.training_class == class_id) & (ClassSession.day < before))
        .order_by(ClassSession.day, ClassSession.id)
    )
    for k, s in enumerate(sessions):
        marks = {cid: _pick(rng) for cid in trainees}
        if leaver is not None and 3 <= k < 8:
            marks[leaver] = hr.LEAVE
        record_attendance(s.id, marks, user="演示数据")


def add_demo_training(today: dt.date, rng_seed: int = 1) -> dict[str, int]:
    """Create the demo training data; returns the three class ids by status."""
    rng = random.Random(rng_seed)
    with db.atomic():
        speaker = (
            Cadre.select()
            .where((Cadre.status == "在职") & (Cadre.leadership_level == "县处级正职"))
            .order_by(Cadre.id)
            .first()
        )
        finished_start = _monday(today - dt.timedelta(days=84))
        running_start = _monday(today - dt.timedelta(days=7))
        planned_start = running_start + dt.timedelta(days=14)
        teacher_ids: list[int] = []
        for k, (name, kind, title) in enumerate(TEACHERS):
            # 王志刚 is away on the Tuesday and Wednesday of the running class's second week
            away = (
                [running_start + dt.timedelta(days=8), running_start + dt.timedelta(days=9)]
                if k == 2
                else []
            )
            t = save_teacher(
                TeacherInput(
                    name,
                    kind,
                    title,
                    phone=f"0943-82{k:02d}{rng.randint(100, 999)}",
                    unavailable=away,
                )
            )
            teacher_ids.append(t.id)
        if speaker is not None:
            speaker_id = save_teacher(
                TeacherInput(speaker.name, "领导干部讲坛", speaker.post_title, cadre_id=speaker.id)
            ).id
        else:  # a roster without 县处级正职
            speaker_id = save_teacher(TeacherInput("张振兴", "领导干部讲坛", "市政府副市长")).id
        for name, cap in ROOMS:
            save_room(name, cap)
        site_ids = [
            save_site(n, address=a, contact=c, phone=p, travel_minutes=m).id
            for n, a, c, p, m in SITES
        ]
        course_ids = []
        for c in LIBRARY:
            teacher = None
            if c.teacher is not None:
                teacher = speaker_id if c.teacher == -1 else teacher_ids[c.teacher]
            course_ids.append(
                save_course(
                    CourseInput(
                        c.title,
                        c.mode,
                        c.half_days,
                        teacher_id=teacher,
                        site_id=site_ids[c.site] if c.site is not None else None,
                        block=c.block,
                        follows=c.follows,
                        required=c.required,
                        priority=c.priority,
                        position=c.position,
                    )
                ).id
            )

        specs = [
            (
                "已结业",
                f"{finished_start.year}年县处级领导干部进修班",
                "县处级进修班",
                finished_start,
                "马建华",
            ),
            ("进行中", "第十二期中青年干部培训班", "中青年干部培训班", running_start, "李文静"),
            ("筹备", "科级干部能力提升班", "科级干部班", planned_start, "陈海涛"),
        ]
        ids: dict[str, int] = {}
        for status, name, level, start, head in specs:
            cls = save_class(
                ClassInput(
                    name=name,
                    level=level,
                    organiser="中共白银市委组织部",
                    start=start,
                    end=_last_working_day(start, start + dt.timedelta(days=18)),
                    class_size=30,
                    head_teacher=head,
                )
            )
            ids[status] = cls.id
            set_class_courses(cls.id, course_ids[:OWN])
            if level == "县处级进修班":
                enrol(cls.id, level="县处级副职")
                enrol(cls.id, level="县处级正职")
            elif level == "中青年干部培训班":
                enrol(cls.id, level="乡科级副职", max_age=40)
                enrol(cls.id, level="乡科级正职", max_age=40)
            else:
                enrol(cls.id, level="乡科级正职", min_age=41)
            if not Enrolment.select().where(Enrolment.training_class == cls.id).exists():
                # a tiny roster may have nobody of the class's level: take anyone in post
                anyone = Cadre.select(Cadre.id).where(Cadre.status == "在职").limit(30)
                enrol(cls.id, cadre_ids=[cid for (cid,) in anyone.tuples()])
            plan_class_timetable(cls.id)
            count = Enrolment.select().where(Enrolment.training_class == cls.id).count()
            if count >= 2:
                groups = split_groups(cls.id, max(1, min(4, count // 7)))
                set_role(cls.id, groups[0].convener.cadre_id, "班长")

        first = Enrolment.select().where(Enrolment.training_class == ids["已结业"]).first()
        _attend(
            rng, ids["已结业"], finished_start + dt.timedelta(days=30), first and first.cadre_id
        )
        if first is not None:  # a roster with nobody in post leaves the classes empty
            # opened and closed on the class's own first and last days
            open_class(ids["已结业"], user="演示数据", today=finished_start)
            finish_class(
                ids["已结业"], user="演示数据", today=finished_start + dt.timedelta(days=18)
            )
        open_class(ids["进行中"], user="演示数据", today=running_start)
        _attend(rng, ids["进行中"], today, None)
        add_demo_electives(ids["进行中"])  # 选学: a menu, wishes and a settlement to show

        # the ledger beyond classes: online study for most, outside training for some
        rows = []
        for (cid,) in Cadre.select(Cadre.id).where(Cadre.status == "在职").tuples():
            for year in (today.year - 1, today.year):
                if rng.random() < 0.7:
                    day = min(today, dt.date(year, rng.randint(1, 12), 15))
                    rows.append(
                        {
                            "cadre": cid,
                            "year": year,
                            "day": day,
                            "kind": hr.ONLINE_STUDY,
                            "hours": rng.choice([20, 30, 40, 50, 60]),
                            "title": "甘肃干部网络学院在线学习",
                        }
                    )
                if rng.random() < 0.25:
                    day = min(today, dt.date(year, rng.randint(1, 12), 10))
                    rows.append(
                        {
                            "cadre": cid,
                            "year": year,
                            "day": day,
                            "kind": hr.OUTSIDE_TRAINING,
                            "hours": rng.choice([24, 32, 40, 48]),
                            "title": rng.choice(
                                [
                                    "省委党校专题培训班",
                                    "浙江大学干部能力提升班",
                                    "延安干部学院党性教育",
                                ]
                            ),
                        }
                    )
        for start in range(0, len(rows), 500):
            HoursEntry.insert_many(rows[start : start + 500]).execute()
    return ids
