"""The 领导干部讲坛 通知 and 签到表 as PDF: what they say (pdftotext), fonts embedded, the
sign-in sheet unit by unit with its header repeated on every page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from models.core.errors import DomainError
from models.core.progress import Cancelled
from models.training.lectures import (
    EXCUSED,
    LectureInput,
    SeriesInput,
    record_lecture_attendance,
    save_lecture,
    save_series,
)
from models.training.lectures.print_data import DEFAULT_REQUIREMENTS, notice_data
from reports.common import fonts
from reports.training import lectures as tl
from tests.models.training.test_classes import cadre
from tests.reports.conftest import assert_clean_pdf, pdf_info, pdf_text, squeeze

DAY = dt.date(2026, 3, 27)  # a Friday


@pytest.fixture
def lecture(database, units, bundled_fonts: fonts.FontSetup) -> dict[str, int]:
    ids = {
        "chu": cadre(
            units, "处长甲", "org", leadership_level="县处级正职", post_title="市委组织部部长"
        ),
        "fu": cadre(units, "副处乙", "org", leadership_level="县处级副职", post_title="副部长"),
        "town": cadre(units, "镇长丁", "town", leadership_level="县处级副职", post_title="镇长"),
        "ke": cadre(units, "科长丙", "org", leadership_level="乡科级正职"),
    }
    series = save_series(SeriesInput("领导干部讲坛", "中共白银市委组织部", Decimal(3)))
    save_lecture(LectureInput(series.id, "党史专题", "马建华", day=DAY - dt.timedelta(days=28)))
    ids["lecture"] = save_lecture(
        LectureInput(
            series.id,
            "数字政府建设与基层治理创新",
            "陈立华",
            "甘肃省数据局副局长",
            DAY,
            "上午 9:00-11:30",
            "市委党校多功能报告厅",
            [units["city"]],
            ["县处级正职", "县处级副职"],
            "2.5",
            "请提前 15 分钟到场签到。\n会场内请将手机调至静音。",
        )
    ).id
    ids["series"] = series.id
    return ids


def test_notice_says_what_where_when_and_who(lecture, tmp_path: Path) -> None:
    out = tmp_path / "notice.pdf"
    result = tl.print_lecture_notice(lecture["lecture"], out, issue_date=dt.date(2026, 3, 16))
    assert result.pages == 1 == int(pdf_info(out)["Pages"])
    flat = squeeze(assert_clean_pdf(out))
    assert "关于举办领导干部讲坛第二讲的通知" in flat
    assert "讲座题目：《数字政府建设与基层治理创新》" in flat
    assert "主讲人：陈立华（甘肃省数据局副局长）" in flat
    assert "时间：2026年3月27日（星期五）上午9:00-11:30" in flat
    assert "地点：市委党校多功能报告厅" in flat
    assert "参加人员：白银市（含所属单位）的县处级正职、县处级副职干部（共3人）" in flat
    assert "（一）请提前15分钟到场签到。" in flat
    assert "（三）参加讲坛并签到的，每人计2.5学时，登记入本人学时档案。" in flat
    assert flat.endswith("中共白银市委组织部2026年3月16日")


def test_notice_without_requirements_uses_the_usual_ones(lecture) -> None:
    from models.training.lectures import get_lecture, lecture_input, save_lecture

    inp = lecture_input(get_lecture(lecture["lecture"]))
    inp.requirements = ""
    save_lecture(inp)
    data = notice_data(lecture["lecture"])
    assert data.requirements == DEFAULT_REQUIREMENTS
    assert data.issue_date is None


def test_signin_sheet_lists_the_expected_by_unit(lecture, tmp_path: Path) -> None:
    record_lecture_attendance(lecture["lecture"], {lecture["fu"]: EXCUSED})
    out = tmp_path / "signin.pdf"
    result = tl.print_lecture_signin(lecture["lecture"], out)
    assert (result.pages, result.items) == (1, 3)
    flat = squeeze(assert_clean_pdf(out))
    assert "领导干部讲坛第二讲签到表" in flat
    assert "讲座：《数字政府建设与基层治理创新》主讲人：陈立华" in flat
    assert "序号姓名单位职务签到" in flat
    # 市委组织部 first (the unit tree's order), then 乌兰镇; the unit's name is not repeated
    # in the 职务 column; leave already asked for is printed
    assert "市委组织部（2人）1处长甲市委组织部部长2副处乙市委组织部副部长（请假）" in flat
    assert "乌兰镇（1人）3镇长丁乌兰镇镇长" in flat
    assert "科长丙" not in flat
    assert "应到3人（已请假1人）" in flat


def test_long_signin_sheet_repeats_its_header(lecture, units, tmp_path: Path) -> None:
    for k in range(70):
        cadre(units, f"干部{k:02d}", "town", leadership_level="县处级副职")
    out = tmp_path / "long.pdf"
    result = tl.print_lecture_signin(lecture["lecture"], out)
    pages = [p for p in pdf_text(out, layout=True).split("\f") if p.strip()]
    assert result.pages == len(pages) >= 3
    for page in pages:
        flat = squeeze(page)
        assert "讲座：《数字政府建设与基层治理创新》" in flat
        assert "序号姓名单位职务签到" in flat
    assert "干部69" in squeeze(pages[-1])


def test_signin_sheet_of_nobody_is_refused(lecture, tmp_path: Path) -> None:
    from models.training.lectures import get_lecture, lecture_input, save_lecture

    inp = lecture_input(get_lecture(lecture["lecture"]))
    inp.audience_ranks = ["国家级正职"]
    save_lecture(inp)
    out = tmp_path / "none.pdf"
    with pytest.raises(DomainError, match="听课范围内没有在职干部"):
        tl.print_lecture_signin(lecture["lecture"], out)
    assert not out.exists()


def test_cancelled_signin_writes_nothing(lecture, tmp_path: Path) -> None:
    out = tmp_path / "cancelled.pdf"
    with pytest.raises(Cancelled):
        tl.print_lecture_signin(lecture["lecture"], out, cancelled=lambda: True)
    assert not out.exists()
