"""The printed kit of a training class: 课程表, 签到表, 学员名册, 结业证书, 学时证明 (PDF and xlsx).

Built on the demo database (models.demo.build_demo, 120 cadres, today 2026-11-18):
class 1 is the 县处级进修班 that ran 2026-08-24 to 09-11 (finished, 12 trainees, one flagged
for 退学 review), class 2 the 中青年干部培训班 of 2026-11-09 to 11-27 (in progress,
18 trainees in 2 groups), class 3 the 科级干部班 being planned. Each class has 15 teaching
days, so 30 half-day sessions: 开班式, 9 lecture, 10 field-study and 9 discussion half-days,
结业式, 4 学时 each.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from models.core.db import close_database
from models.core.errors import DomainError, NotFoundError
from models.core.progress import Cancelled
from models.demo import build_demo
from models.roster.service import get_cadre
from models.schema import open_database
from models.training import (
    ClassInput,
    add_hours_entry,
    class_credits,
    list_hours,
    list_sessions,
    list_trainees,
    save_class,
    session_attendance,
)
from models.training import print_data as tp
from models.training.tables import HoursEntry
from reports.common import fonts
from reports.training import certificates as tc
from reports.training import kit
from reports.training import kit_xlsx as kx
from tests.reports.conftest import (
    assert_clean_pdf,
    pdf_info,
    pdf_pages_text,
    pdf_text,
    squeeze,
)

TODAY = dt.date(2026, 11, 18)
FINISHED, RUNNING, PLANNED = 1, 2, 3
RARE = "\U00020bb7"  # 𠮷


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kit") / "demo.db"
    build_demo(path, cadres=120, today=TODAY)
    return path


@pytest.fixture
def demo(demo_file: Path, bundled_fonts: fonts.FontSetup):
    open_database(demo_file)
    yield demo_file
    close_database()


@pytest.fixture
def fresh_demo(tmp_path: Path, bundled_fonts: fonts.FontSetup):
    """A demo database of its own, for tests that change the ledger."""
    path = tmp_path / "own.db"
    build_demo(path, cadres=120, today=TODAY)
    open_database(path)
    yield path
    close_database()


# ============================================================================ helpers


def test_text_helpers() -> None:
    assert tp.cn_number(1) == "一"
    assert tp.cn_number(10) == "十"
    assert tp.cn_number(12) == "十二"
    assert tp.cn_number(20) == "二十"
    assert tp.cn_number(31) == "三十一"
    assert tp.cn_date(dt.date(2026, 9, 11)) == "二〇二六年九月十一日"
    assert tp.cn_date(dt.date(2030, 10, 20)) == "二〇三〇年十月二十日"
    assert tp.period_cn(dt.date(2026, 8, 24), dt.date(2026, 9, 11)) == "2026年8月24日至9月11日"
    assert (
        tp.period_cn(dt.date(2026, 12, 28), dt.date(2027, 1, 8)) == "2026年12月28日至2027年1月8日"
    )
    assert tp.fmt_num(Decimal("36.00")) == "36"
    assert tp.fmt_num(28 / 3) == "9.3"
    assert tp.fmt_num(Decimal("3.75")) == "3.75"
    assert tp.unit_and_post("市教育局", "市教育局局长") == "市教育局局长"
    assert tp.unit_and_post("白银区领导班子", "白银区委副书记") == "白银区委副书记"
    assert tp.unit_and_post("宝积镇", "党委书记") == "宝积镇党委书记"
    assert tp.unit_and_post("宝积镇", "") == "宝积镇"


# ============================================================================ 课程表


def test_timetable_pdf(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "timetable.pdf"
    result = kit.print_timetable(FINISHED, out)
    assert result.pages == 1 == int(pdf_info(out)["Pages"])
    assert "x" in pdf_info(out)["Page size"]
    assert float(pdf_info(out)["Page size"].split()[0]) > float(
        pdf_info(out)["Page size"].split()[2]
    )
    text = assert_clean_pdf(out)
    flat = squeeze(text)
    assert "2026年县处级领导干部进修班课程表" in flat
    assert "培训时间：2026年8月24日至9月11日" in flat
    assert "班主任：马建华" in flat
    for title in {s.title for s in list_sessions(FINISHED)}:
        assert title in flat, title
    # first and last rows: Monday 8月24日 starts with 开班式, Friday 9月11日 ends with 结业式
    lines = [squeeze(x) for x in text.splitlines()]
    first = next(x for x in lines if x.startswith("8月24日"))
    assert first.index("开班式") < first.index("习近平新时代中国特色社会主义思想专题（1/2）")
    last = next(x for x in lines if x.startswith("9月11日"))
    assert last.index("结业交流与党性分析（2/2）") < last.index("结业式")
    # 15 teaching days × 2 half-days; a third is 28/3 = 9.3 half-days = 37.3 学时
    assert "课堂教学：9个半天，36学时" in flat
    assert "调研考察：10个半天，40学时" in flat
    assert "研讨交流：9个半天，36学时" in flat
    assert flat.count("目标9.3个半天，37.3学时") == 3
    assert "2个半天，8学时" in flat  # 开班式 + 结业式
    assert "合计" in flat
    assert "30个半天，120学时" in flat
    # every lecture cell names its mode, so the sheet reads in black and white
    assert flat.count("课堂教学｜") == 9


def test_timetable_without_sessions_is_refused(demo: Path) -> None:
    c = save_class(ClassInput(name="空班", start=dt.date(2027, 3, 1), end=dt.date(2027, 3, 5)))
    with pytest.raises(DomainError, match="空班.*还没有课表"):
        tp.timetable_print_data(c.id)
    with pytest.raises(NotFoundError):
        tp.timetable_print_data(999)


def test_long_title_wraps_in_its_cell(demo: Path, tmp_path: Path) -> None:
    data = tp.timetable_print_data(FINISHED)
    long_title = (
        "关于推进资源枯竭型城市转型发展与黄河流域生态保护和高质量发展的若干重大问题研究专题讲座"
    )
    first = data.days[1]
    cell = dataclasses.replace(first.cells[0], title=long_title)
    days = (
        data.days[0],
        dataclasses.replace(first, cells=(cell, *first.cells[1:])),
        *data.days[2:],
    )
    out = tmp_path / "long.pdf"
    kit.render_timetable(dataclasses.replace(data, days=days), out)
    flat = squeeze(pdf_text(out))
    assert long_title[:20] in flat
    assert long_title[-20:] in flat
    assert int(pdf_info(out)["Pages"]) == 1


def test_timetable_xlsx(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "timetable.xlsx"
    assert kx.timetable_xlsx(tp.timetable_print_data(FINISHED), out) == 30
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][:5] == ("日期", "星期", "时段", "教学形式", "课程")
    assert rows[2][:5] == ("2026-08-24", "周一", "上午", "其他", "开班式")
    assert rows[-1][:5] == ("2026-09-11", "周五", "下午", "其他", "结业式")
    assert len(rows) == 2 + 30
    assert sum(r[7] for r in rows[2:]) == 120


# ============================================================================ 签到表


def test_signin_one_page_per_session(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "signin.pdf"
    calls: list[tuple[int, int]] = []
    result = kit.print_signin(RUNNING, out, progress=lambda d, t, _what: calls.append((d, t)))
    sessions = list_sessions(RUNNING)
    names = [t.name for t in list_trainees(RUNNING)]
    assert len(sessions) == 30
    assert len(names) == 18
    assert result.pages == 30 == result.items
    assert calls[-1] == (30, 30)
    assert_clean_pdf(out)
    pages = pdf_pages_text(out)
    assert len(pages) == 30
    for page, s in zip(pages, sessions, strict=True):
        flat = squeeze(page)
        assert "第十二期中青年干部培训班签到表" in flat
        assert s.title in flat
        assert f"{s.day.month}月{s.day.day}日" in flat
        assert s.slot in flat
        for name in names:
            assert name in flat, (s.title, name)
        assert "签名" in flat
        assert "应到18人" in flat


def test_signin_marks_recorded_leave(demo: Path, tmp_path: Path) -> None:
    session = next(
        s
        for s in list_sessions(RUNNING)
        if any(r.status == "请假" for r in session_attendance(s.id))
    )
    on_leave = [r.name for r in session_attendance(session.id) if r.status == "请假"]
    out = tmp_path / "one.pdf"
    result = kit.print_signin(RUNNING, out, session_id=session.id)
    assert result.pages == 1
    text = pdf_text(out, layout=True)
    for name in on_leave:
        line = next(x for x in text.splitlines() if name in x)
        assert "请假" in line
    assert f"已登记{len(on_leave)}人" in squeeze(text)


def test_signin_long_class_repeats_headers(demo: Path, tmp_path: Path) -> None:
    data = tp.signin_data(RUNNING)
    sheet = data.sheets[1]
    rows = tuple(
        tp.SigninRow(k, f"学员{k:02d}", "白银市某某局", "科员", "", "") for k in range(1, 41)
    )
    one = dataclasses.replace(data, sheets=(dataclasses.replace(sheet, rows=rows),))
    out = tmp_path / "long.pdf"
    result = kit.render_signin(one, out)
    assert result.pages == 2  # 9 mm rows: 40 trainees need a second page
    pages = pdf_pages_text(out)
    for page in pages:
        flat = squeeze(page)
        assert "签名" in flat
        assert "序号" in flat
        assert sheet.title in flat
    assert "学员01" in squeeze(pages[0])
    assert "学员40" in squeeze(pages[1])


def test_signin_bad_session_and_empty_class(demo: Path) -> None:
    with pytest.raises(NotFoundError, match="没有编号为 99999 的课表时段"):
        tp.signin_data(RUNNING, 99999)
    c = save_class(ClassInput(name="无课班", start=dt.date(2027, 3, 1), end=dt.date(2027, 3, 5)))
    with pytest.raises(DomainError, match="无课班.*还没有课表"):
        tp.signin_data(c.id)


def test_signin_xlsx(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "signin.xlsx"
    assert kx.signin_xlsx(tp.signin_data(RUNNING), out) == 30 * 18
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[1] == (
        "日期",
        "时段",
        "课程",
        "序号",
        "姓名",
        "单位",
        "职务",
        "组别",
        "签名",
        "备注",
    )
    assert rows[2][:4] == ("2026-11-09", "上午", "开班式", 1)
    assert len(rows) == 2 + 540


# ============================================================================ 学员名册


def test_roster_groups_and_marks(demo: Path, tmp_path: Path) -> None:
    trainees = list_trainees(RUNNING)
    out = tmp_path / "roster.pdf"
    result = kit.print_roster(RUNNING, out)
    assert result.pages == 1
    assert result.items == 18
    text = assert_clean_pdf(out)
    flat = squeeze(text)
    assert "第十二期中青年干部培训班学员名册" in flat
    assert "第一组（9人）" in flat
    assert "第二组（9人）" in flat
    assert flat.index("第一组") < flat.index("第二组")
    for t in trainees:
        c = get_cadre(t.cadre_id)
        assert t.name in flat
        line = next(x for x in text.splitlines() if c.phone in x)  # the row of this trainee
        assert f"{c.birth_date.year}.{c.birth_date.month:02d}" in line  # 出生年月 1975.03
        assert c.rank in line
        assert c.sex in line
        if t.is_convener:
            assert f"召集人：{t.name}" in flat
    monitor = next(t for t in trainees if t.role == "班长")
    assert monitor.is_convener
    assert "（班长、召集人）" in flat


def test_roster_xlsx(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "roster.xlsx"
    assert kx.roster_xlsx(tp.roster_print_data(RUNNING), out) == 18
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[1][:3] == ("组别", "序号", "姓名")
    body = rows[2:]
    assert [r[1] for r in body] == list(range(1, 19))
    assert {r[0] for r in body} == {"第一组", "第二组"}
    assert sum(1 for r in body if "班长" in (r[8] or "")) == 1
    assert all(re.fullmatch(r"\d{4}\.\d{2}", r[4]) for r in body)


def test_rare_character_name_on_roster(demo: Path, tmp_path: Path) -> None:
    data = tp.roster_print_data(RUNNING)
    g = data.groups[0]
    person = dataclasses.replace(g.people[0], name=f"张{RARE}")
    data = dataclasses.replace(
        data, groups=(dataclasses.replace(g, people=(person, *g.people[1:])), *data.groups[1:])
    )
    out = tmp_path / "rare.pdf"
    result = kit.render_roster(data, out)
    setup = fonts.current_setup()
    if setup.fallbacks:
        assert f"张{RARE}" in pdf_text(out)
    else:
        assert any(RARE in w for w in result.warnings)


# ============================================================================ 结业证书


def test_certificates(demo: Path, tmp_path: Path) -> None:
    credits = {c.name: c for c in class_credits(FINISHED)}
    flagged = [n for n, c in credits.items() if c.review]
    assert len(credits) == 12
    assert len(flagged) == 1
    out = tmp_path / "certs.pdf"
    prefix = "白银党校〔2026〕第12期-"
    result = kit_certs(out, prefix=prefix)
    assert result.pages == 11 == result.items
    assert any(flagged[0] in w and "未发结业证书" in w for w in result.warnings)
    assert_clean_pdf(out)
    pages = pdf_pages_text(out)
    assert len(pages) == 11
    seen = set()
    for k, page in enumerate(pages, start=1):
        flat = squeeze(page)
        assert f"编号：{prefix}{k:03d}" in flat
        assert "结业证书" in squeeze(flat.replace(" ", ""))
        assert "2026年县处级领导干部进修班" in flat
        assert "2026年8月24日至9月11日" in flat
        assert "二〇二六年九月十一日" in flat
        assert "中共白银市委组织部" in flat
        name = next(n for n in credits if f"{n}同志" in flat)
        seen.add(name)
        # 30 half-days of 4 学时; 请假 earns nothing, 出勤/迟到/早退 keep the hours
        expected = 4 * (30 - credits[name].counts["请假"])
        assert f"累计{expected}学时" in flat
    assert flagged[0] not in seen
    assert len(seen) == 11


def kit_certs(out: Path, **kw: object) -> kit.KitResult:
    return tc.print_certificates(FINISHED, out, **kw)  # type: ignore[arg-type]


def test_certificate_serials_are_configurable_and_deterministic(demo: Path, tmp_path: Path) -> None:
    data = tp.certificate_data(FINISHED)
    assert [c.serial for c in data.certificates][:2] == ["〔2026〕第1班-001", "〔2026〕第1班-002"]
    again = tp.certificate_data(FINISHED)
    assert [c.serial for c in again.certificates] == [c.serial for c in data.certificates]
    assert [c.name for c in again.certificates] == [c.name for c in data.certificates]
    later = tp.certificate_data(FINISHED, 40, prefix="BY-", digits=4)
    assert later.certificates[0].serial == "BY-0040"
    assert later.certificates[-1].serial == "BY-0050"
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    tc.render_certificates(data, a)
    tc.render_certificates(again, b)
    assert a.read_bytes() == b.read_bytes()


def test_certificates_refused_for_unfinished_class_and_bad_serial(demo: Path) -> None:
    with pytest.raises(DomainError, match="进行中.*结业后才能打印结业证书"):
        tp.certificate_data(RUNNING)
    with pytest.raises(DomainError, match="起始编号应至少为 1"):
        tp.certificate_data(FINISHED, 0)
    with pytest.raises(DomainError, match="位数"):
        tp.certificate_data(FINISHED, digits=0)


# ============================================================================ 学时证明


def test_hours_certificate_worked_values(fresh_demo: Path, tmp_path: Path) -> None:
    # a 乡科级正职 of the class being planned: no class hours yet; 90 学时 a year
    person = list_trainees(PLANNED)[0]
    assert person.leadership_level == "乡科级正职"
    HoursEntry.delete().where(HoursEntry.cadre == person.cadre_id).execute()
    add_hours_entry(person.cadre_id, dt.date(2026, 4, 10), "外出培训", 32, "省委党校专题培训班")
    add_hours_entry(person.cadre_id, dt.date(2026, 6, 15), "网络学习", 50, "甘肃干部网络学院")
    add_hours_entry(person.cadre_id, dt.date(2025, 6, 15), "网络学习", 60, "上一年的学习")
    data = tp.hours_certificate_data(
        person.cadre_id, 2026, issuer="中共白银市委组织部", issue_date=TODAY
    )
    assert len(data.lines) == 2
    assert data.year_total == Decimal(82)
    assert data.short == Decimal(8)
    assert not data.met
    out = tmp_path / "hours.pdf"
    result = tc.render_hours_certificates([data], out)
    assert result.pages == 1
    flat = squeeze(assert_clean_pdf(out))
    assert "干部教育培训学时证明" in flat
    assert f"兹证明{person.name}同志" in flat
    assert "省委党校专题培训班" in flat
    assert "甘肃干部网络学院" in flat
    assert "上一年的学习" not in flat
    assert "外出培训小计32" in flat
    assert "网络学习小计50" in flat
    assert "班次培训小计0" in flat
    assert "2026年度合计82" in flat
    assert "每年90学时" in flat
    assert "应完成90学时，已完成82学时，尚差8学时" in flat
    assert "二〇二六年十一月十八日" in flat
    assert "出具单位（盖章）：中共白银市委组织部" in flat

    add_hours_entry(person.cadre_id, dt.date(2026, 7, 1), "外出培训", 10, "专题讲座")
    out2 = tmp_path / "hours2.pdf"
    tc.print_hours_certificate(person.cadre_id, 2026, out2)
    flat = squeeze(pdf_text(out2))
    assert "已完成92学时，已达到规定要求" in flat
    assert "年月日" in flat  # no issue date: left blank for handwriting


def test_hours_certificate_five_year_rule(demo: Path) -> None:
    # a 县处级 trainee of the finished class: 550 学时 over 2022-2026
    credit = next(c for c in class_credits(FINISHED) if not c.review)
    data = tp.hours_certificate_data(credit.cadre_id, 2026)
    assert data.requirement == "五年 550 学时"
    assert (data.first_year, data.last_year) == (2022, 2026)
    assert data.required == Decimal(550)
    in_window = sum(e.hours for e in list_hours(credit.cadre_id) if 2022 <= e.year <= 2026)
    assert data.earned == in_window
    assert ("班次培训", credit.credited_hours) in data.by_kind


def test_hours_certificate_bad_input(demo: Path, tmp_path: Path) -> None:
    with pytest.raises(DomainError, match="年度应在"):
        tp.hours_certificate_data(1, 1800)
    with pytest.raises(NotFoundError):
        tp.hours_certificate_data(999999, 2026)
    with pytest.raises(DomainError, match="没有要打印的学时证明"):
        tc.render_hours_certificates([], tmp_path / "x.pdf")


# ============================================================================ jobs


def test_cancel_writes_nothing(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "signin.pdf"
    out.write_bytes(b"old")
    asked = []

    def cancel() -> bool:
        asked.append(1)
        return len(asked) > 3  # cancel while laying out the third sheet

    with pytest.raises(Cancelled, match="已取消生成签到表"):
        kit.print_signin(RUNNING, out, cancelled=cancel)
    assert out.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["signin.pdf"]  # no temp file left
    with pytest.raises(Cancelled):
        tc.print_certificates(FINISHED, tmp_path / "c.pdf", cancelled=lambda: True)
    assert not (tmp_path / "c.pdf").exists()


def test_missing_folder_is_reported(demo: Path, tmp_path: Path) -> None:
    with pytest.raises(DomainError, match="保存学员名册失败：文件夹不存在"):
        kit.print_roster(RUNNING, tmp_path / "nope" / "roster.pdf")


def test_same_data_same_bytes(demo: Path, tmp_path: Path) -> None:
    for name, fn in (
        ("t", lambda p: kit.print_timetable(FINISHED, p)),
        ("r", lambda p: kit.print_roster(RUNNING, p)),
    ):
        a, b = tmp_path / f"{name}1.pdf", tmp_path / f"{name}2.pdf"
        fn(a)
        fn(b)
        assert a.read_bytes() == b.read_bytes(), name


def test_evening_column(demo: Path, tmp_path: Path) -> None:
    data = tp.timetable_print_data(FINISHED)
    evening = tp.TimetableCell(
        "晚上", "研讨交流", "夜间读书交流会", "马建华", "第一教室", Decimal(2), False
    )
    days = tuple(
        dataclasses.replace(d, cells=(*d.cells, evening if k == 0 else None))
        for k, d in enumerate(data.days)
    )
    out = tmp_path / "evening.pdf"
    kit.render_timetable(dataclasses.replace(data, slots=("上午", "下午", "晚上"), days=days), out)
    text = pdf_text(out, layout=True)
    header = next(x for x in text.splitlines() if "上午" in x and "下午" in x)
    assert "晚上" in header
    first = next(squeeze(x) for x in text.splitlines() if squeeze(x).startswith("8月24日"))
    assert first.endswith("夜间读书交流会")
