"""Editing a timetable session (update_session) and the 选学 services: elective places,
wishes imported from xlsx (all or nothing, row and column named), settlement kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from models.core.audit import history
from models.core.errors import DomainError
from models.roster import service as roster
from models.training import (
    BY_RANK,
    FIRST_COME,
    CourseInput,
    TeacherInput,
    enrol,
    get_session,
    import_elective_choices,
    last_settlement,
    list_elective_choices,
    outcome_rows,
    save_course,
    save_room,
    save_site,
    save_teacher,
    session_edit_block,
    set_class_courses,
    set_elective_capacity,
    set_elective_choices,
    settle,
    update_session,
    wish_limit,
)
from models.training import planner as tt
from models.training.tables import (
    TRAINING_TABLES,
    Attendance,
    ClassSession,
    ElectiveChoice,
    TrainingClass,
)
from tests.models.training.test_classes import cadre, new_class

D = dt.date
MON = D(2026, 3, 2)


@pytest.fixture
def tdb(database, units):
    database.create_tables(TRAINING_TABLES)
    return units


# ---------------------------------------------------------------------------- sessions


@pytest.fixture
def two_classes(tdb):
    """Class A and class B both hold a lecture on Monday 2026-03-02 上午: A's by 王教授 in
    第一教室, B's by 李老师 in 第二教室. B also has a field visit on Tuesday at 会宁."""
    wang = save_teacher(TeacherInput("王教授", "党校教师")).id
    li = save_teacher(TeacherInput("李老师", "党校教师")).id
    r1, r2 = save_room("第一教室", 60).id, save_room("第二教室", 50).id
    site = save_site("会宁红军会师旧址").id
    a, b = new_class("甲班"), new_class("乙班")

    def session(cls: int, day: dt.date, slot: str, mode: str, title: str, **kw) -> int:
        return ClassSession.create(
            training_class=cls, day=day, slot=slot, mode=mode, title=title, hours=4, **kw
        ).id

    ids = {
        "units": tdb,
        "wang": wang,
        "li": li,
        "r1": r1,
        "r2": r2,
        "site": site,
        "A": a,
        "B": b,
        "a_lec": session(a, MON, tt.MORNING, tt.LECTURE, "党的创新理论", teacher=wang, room=r1),
        "b_lec": session(b, MON, tt.MORNING, tt.LECTURE, "依法行政", teacher=li, room=r2),
        "b_field": session(b, D(2026, 3, 3), tt.MORNING, tt.FIELD_STUDY, "会宁现场教学", site=site),
    }
    return ids


def test_update_session_stores_teacher_and_reports_the_clash(two_classes):
    ids = two_classes
    result = update_session(ids["b_lec"], teacher_id=ids["wang"], title=" 法治政府建设 ")
    s = get_session(ids["b_lec"])
    assert (s.teacher_name, s.title, s.room_name) == ("王教授", "法治政府建设", "第二教室")
    assert result.sessions[0].teacher_id == ids["wang"]
    # 王教授 teaches 甲班 on Monday 上午 too
    teacher = [c for c in result.clashes if c.kind == "教师冲突"]
    assert [(c.day, c.slot) for c in teacher] == [(MON, tt.MORNING)]
    assert "王教授" in teacher[0].message
    assert "法治政府建设" in teacher[0].message
    changed = {h.field: (h.old_value, h.new_value) for h in history("class_session", s.id)}
    assert changed == {"teacher": ("李老师", "王教授"), "title": ("依法行政", "法治政府建设")}
    # the room of 甲班 at the same half-day: a second clash
    result = update_session(ids["b_lec"], room_id=ids["r1"])
    assert {c.kind for c in result.clashes} >= {"教师冲突", "教室冲突"}
    # back to 李老师: no teacher clash left
    result = update_session(ids["b_lec"], teacher_id=ids["li"], room_id=ids["r2"])
    assert [c for c in result.clashes if c.kind in ("教师冲突", "教室冲突")] == []


def test_update_session_refused_once_attendance_exists(two_classes):
    ids = two_classes
    someone = cadre(ids["units"], "学员甲")
    enrol(ids["B"], cadre_ids=[someone])
    Attendance.create(session=ids["b_lec"], cadre=someone, status="出勤")
    assert "已有考勤记录" in session_edit_block(ids["b_lec"])
    with pytest.raises(DomainError, match="已有考勤记录"):
        update_session(ids["b_lec"], teacher_id=ids["wang"])
    assert get_session(ids["b_lec"]).teacher_name == "李老师"
    assert history("class_session", ids["b_lec"]) == []
    # the lock alone may still change
    assert update_session(ids["b_lec"], locked=True).sessions[0].locked


def test_update_session_checks_place_title_and_status(two_classes):
    ids = two_classes
    with pytest.raises(DomainError, match="调研考察须选择现场教学点") as err:
        update_session(ids["b_field"], site_id=None)
    assert err.value.field == "site_id"
    with pytest.raises(DomainError, match="课堂教学须选择教室") as err:
        update_session(ids["b_lec"], room_id=None)
    assert err.value.field == "room_id"
    with pytest.raises(DomainError, match="内容不能为空"):
        update_session(ids["b_lec"], title="  ")
    with pytest.raises(DomainError, match="找不到编号为 999 的授课教师"):
        update_session(ids["b_lec"], teacher_id=999)
    assert get_session(ids["b_lec"]).room_name == "第二教室"
    # nothing changed: nothing logged
    update_session(ids["b_lec"], title="依法行政", teacher_id=ids["li"])
    assert history("class_session", ids["b_lec"]) == []
    TrainingClass.update(status="已结业").where(TrainingClass.id == ids["B"]).execute()
    with pytest.raises(DomainError, match="已结业"):
        update_session(ids["b_lec"], title="新题目")


# ---------------------------------------------------------------------------- electives


@pytest.fixture
def menu(tdb):
    """选学班 with electives 数字政府 (1 place) and 公文写作 (2 places), a compulsory
    lecture, and trainees P (一级科员), Q (县处级正职), R (一级主任科员), S (二级科员)."""
    e1 = save_course(CourseInput("数字政府", tt.LECTURE, 1, elective=True)).id
    e2 = save_course(CourseInput("公文写作", tt.LECTURE, 1, elective=True)).id
    e3 = save_course(CourseInput("应急管理", tt.LECTURE, 1, elective=True)).id
    core = save_course(CourseInput("党的创新理论", tt.LECTURE, 2)).id
    cls = new_class("选学班")
    set_class_courses(cls, [core, e1, e2, e3], capacities={e1: 1, e2: 2, e3: 0})
    people = {
        "P": cadre(tdb, "P", rank="一级科员"),
        "Q": cadre(tdb, "Q", leadership_level="县处级正职", rank="一级调研员"),
        "R": cadre(tdb, "R", rank="一级主任科员"),
        "S": cadre(tdb, "S", rank="二级科员"),
    }
    enrol(cls, cadre_ids=list(people.values()))
    cards = {k: roster.get_cadre(v).id_card for k, v in people.items()}
    return {"cls": cls, "e1": e1, "e2": e2, "e3": e3, "people": people, "cards": cards}


def write_sheet(path: Path, rows: list[list[object]], title: str | None = "选学志愿") -> Path:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(["序号", "姓名", "身份证号", "第一志愿", "第二志愿", "第三志愿"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def wishes(cls: int) -> dict[str, list[str]]:
    return {t.name: [w.title for w in t.wishes] for t in list_elective_choices(cls)}


def test_capacity_and_wish_limit(menu):
    cls = menu["cls"]
    assert wish_limit(cls) == 3  # three electives, up to three wishes
    o = set_elective_capacity(cls, menu["e3"], 5)
    assert (o.title, o.capacity) == ("应急管理", 5)
    with pytest.raises(DomainError, match="《应急管理》的选学名额不能为负数"):
        set_elective_capacity(cls, menu["e3"], -1)
    with pytest.raises(DomainError, match="不是班次《选学班》的选学课程"):
        set_elective_capacity(cls, 999, 3)
    places = [h for h in history("training_class", cls) if h.field.startswith("选学名额")]
    assert [(h.field, h.new_value) for h in places] == [("选学名额《应急管理》", "5")]


def test_import_round_trip(menu, tmp_path):
    cls, cards = menu["cls"], menu["cards"]
    path = write_sheet(
        tmp_path / "志愿.xlsx",
        [
            [1, "P", cards["P"], "数字政府", "公文写作", None],
            [2, "Q", None, "《数字政府》", "应急管理", "公文写作"],  # by name only
            [3, None, cards["R"], "公文写作", None, None],  # by ID only
        ],
    )
    at = dt.datetime(2026, 2, 20, 9, 0)
    result = import_elective_choices(cls, path, at=at)
    assert (result.ok, result.rows, result.imported) == (True, 3, 3)
    assert wishes(cls) == {
        "P": ["数字政府", "公文写作"],
        "Q": ["数字政府", "应急管理", "公文写作"],
        "R": ["公文写作"],
        "S": [],
    }
    handed = {t.name: t.handed_at for t in list_elective_choices(cls)}
    # the sheet's order is the order of handing in, one second apart
    assert handed["P"] == at
    assert handed["Q"] == at + dt.timedelta(seconds=1)
    assert handed["R"] == at + dt.timedelta(seconds=2)
    assert handed["S"] is None


def test_import_with_a_bad_row_stores_nothing(menu, tmp_path):
    cls, cards = menu["cls"], menu["cards"]
    set_elective_choices(cls, menu["people"]["S"], [menu["e3"]])
    path = write_sheet(
        tmp_path / "志愿.xlsx",
        [
            [1, "P", cards["P"], "数字政府", None, None],  # row 3: fine
            [2, "Q", None, "书法欣赏", None, None],  # row 4: not on the menu (D)
            [3, "R", cards["R"], "公文写作", "公文写作", None],  # row 5: twice (E)
            [4, "张三", None, "数字政府", None, None],  # row 6: not a trainee (B)
            [5, "S", cards["R"], "数字政府", None, None],  # row 7: name does not match (B)
            [6, "S", None, None, "应急管理", None],  # row 8: first wish empty (E)
            [7, "P", None, "公文写作", None, None],  # row 9: P again (B)
        ],
    )
    result = import_elective_choices(cls, path)
    assert result.ok is False
    assert result.imported == 0
    where = [(i.row, i.column) for i in result.issues]
    assert where == [(4, "D"), (5, "E"), (6, "B"), (7, "B"), (8, "E"), (9, "B")]
    text = "\n".join(result.lines())
    assert "第4行D列（第一志愿）" in text
    assert "“书法欣赏”不是本班的选学课程" in text
    assert "《公文写作》重复填报" in text
    assert "“张三”不是本班学员" in text
    assert "“S”与该身份证号的学员“R”不符" in text
    assert "“第一志愿”是空的" in text
    assert "“P”与第3行是同一人" in text
    # nothing stored, S keeps the wish entered before
    assert wishes(cls) == {"P": [], "Q": [], "R": [], "S": ["应急管理"]}


def test_import_refuses_a_sheet_without_wish_columns(menu, tmp_path):
    wb = Workbook()
    wb.active.append(["姓名", "身份证号", "课程"])
    wb.save(tmp_path / "x.xlsx")
    with pytest.raises(DomainError, match="没有找到表头"):
        import_elective_choices(menu["cls"], tmp_path / "x.xlsx")
    (tmp_path / "y.xlsx").write_text("not a workbook")
    with pytest.raises(DomainError) as refused:
        import_elective_choices(menu["cls"], tmp_path / "y.xlsx")
    assert refused.value.message == (
        "“y.xlsx”的内容是文本（可能是CSV），不是Excel工作簿（.xlsx）；"
        "请在Excel或WPS中打开后另存为.xlsx"
    )


def test_settle_is_kept_and_listed(menu):
    cls, p = menu["cls"], menu["people"]
    day = dt.datetime(2026, 2, 20)
    set_elective_choices(cls, p["P"], [menu["e1"], menu["e2"]], at=day.replace(hour=9))
    set_elective_choices(cls, p["Q"], [menu["e1"], menu["e2"]], at=day.replace(hour=10))
    set_elective_choices(cls, p["R"], [menu["e2"]], at=day.replace(hour=8))
    assert last_settlement(cls).rule_name == ""
    # by rank: Q (县处级正职) 数字政府; R 公文写作; P 数字政府 full → 公文写作 (its second
    # wish); S no wishes → 调剂 to 应急管理 (no limit: the most free places)
    result = settle(cls, BY_RANK)
    got = {o.name: (o.course_title, o.preference, o.moved) for o in result.outcomes}
    assert got == {
        "Q": ("数字政府", 1, False),
        "R": ("公文写作", 1, False),
        "P": ("公文写作", 2, True),
        "S": ("应急管理", 0, True),
    }
    stored = last_settlement(cls)
    assert stored.rule_name == "按职级从高到低"
    kept = {o.name: (o.course_title, o.preference, o.moved, o.reason) for o in stored.outcomes}
    assert kept == {
        "P": ("公文写作", 2, True, "《数字政府》名额已满"),
        "Q": ("数字政府", 1, False, ""),
        "R": ("公文写作", 1, False, ""),
        "S": ("应急管理", 0, True, "未填报选学志愿，调剂到《应急管理》"),
    }
    trainees = {t.cadre_id: t for t in list_elective_choices(cls)}
    rows = {r[0]: r for r in outcome_rows(stored.outcomes, trainees)}
    assert rows["P"][3:] == ("公文写作", "第二志愿", "是", "《数字政府》名额已满")
    assert rows["S"][3:6] == ("应急管理", "调剂", "是")
    # first come afterwards: R (08:00) 公文写作, P (09:00) 数字政府, Q (10:00) → 公文写作
    settle(cls, FIRST_COME)
    again = {o.name: o.course_title for o in last_settlement(cls).outcomes}
    assert again == {"P": "数字政府", "Q": "公文写作", "R": "公文写作", "S": "应急管理"}
    assert last_settlement(cls).rule_name == "先报先得"
    assert ElectiveChoice.select().where(ElectiveChoice.result == "调剂").count() == 1
