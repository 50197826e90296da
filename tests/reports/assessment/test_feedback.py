"""The 考核结果反馈表 (一项指导) as PDF and the feedback list as xlsx, on the demo round with
one 考核范围 approved on its own: a page per approved person, the record printed where there
is one and empty boxes to fill by hand elsewhere, nobody else; the xlsx lists everybody with
their status; and the command line prints the same."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

import main
from models.assessment import (
    FeedbackInput,
    find_round,
    get_feedback,
    save_feedback,
)
from models.assessment.results import round_overview
from models.core.db import close_database
from models.core.errors import DomainError
from models.roster.tables import Unit
from reports.assessment import print_report
from tests.reports.conftest import (
    YEAR,
    approve_first_pool,
    assert_clean_pdf,
    open_copy,
    pdf_pages_text,
    squeeze,
)

TALK = FeedbackInput(
    talk_date=dt.date(2026, 2, 10),
    talker="王建国（市委组织部副部长）",
    place="市委组织部三楼会议室",
    strengths="政治立场坚定，工作作风扎实。",
    shortcomings="调查研究不够深入。",
    improvements="一是加强理论学习；\n二是每季度深入基层调研一次。",
    response="完全同意组织的评价。",
)


@pytest.fixture
def approved(demo_db, bundled_fonts, tmp_path_factory):  # noqa: ANN001, ANN201
    """The demo round with the first 考核范围 that can be approved approved on its own and
    one feedback record: (round id, the pool, the person with a record)."""
    open_copy(demo_db[0], tmp_path_factory)
    try:
        rid = find_round(YEAR).id
        pool = approve_first_pool(rid)
        person = pool.rows[1]
        save_feedback(rid, person.cadre_id, TALK, user="记录员")
        yield rid, pool, person
    finally:
        close_database()


def test_a_page_per_approved_person_with_the_record_or_empty_boxes(approved, tmp_path):  # noqa: ANN001
    rid, pool, person = approved
    out = tmp_path / "fb.pdf"
    pages = print_report("feedback", YEAR, out)  # all units: only the approved pool prints
    assert pages == pool.people
    text = assert_clean_pdf(out)
    assert "2025年度考核结果反馈表" in text
    per_page = [squeeze(p) for p in text.split("\f") if p.strip()]
    assert len(per_page) == pool.people
    names = [r.name for r in pool.rows]
    assert all(any(f"姓名{n}" in p for p in per_page) for n in names)
    filled = [p for p in per_page if f"姓名{person.name}" in p]
    (page,) = filled
    for expected in (
        "谈话时间2026年2月10日",
        "反馈形式当面谈话",
        "王建国（市委组织部副部长）",
        "政治立场坚定，工作作风扎实。",
        "调查研究不够深入。",
        "一是加强理论学习；二是每季度深入基层调研一次。",
        "完全同意组织的评价。",
        "记录人：记录员",
    ):
        assert expected in page, expected
    assert f"考核等次{person.final_grade}" in page
    # the others: the same form with its boxes empty, signature lines to fill by hand
    blank = next(p for p in per_page if p not in filled)
    assert "主要优点存在不足改进方向和指导意见" in blank
    assert "本人签名：年月日" in blank
    assert "王建国" not in blank


def test_the_list_names_everybody_with_their_status(approved, tmp_path):  # noqa: ANN001
    rid, pool, person = approved
    out = tmp_path / "fb.xlsx"
    n = print_report("feedback", YEAR, out)
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(rows) == n
    status = {r[2]: r[5] for r in rows}
    assert status[person.name] == "已反馈"
    others = {r.name for r in pool.rows} - {person.name}
    assert {status[name] for name in others} == {"未反馈"}
    assert set(status.values()) == {"已反馈", "未反馈", "结果未审定"}
    (row,) = [r for r in rows if r[2] == person.name]
    assert row[6:9] == ("2026-02-10", "王建国（市委组织部副部长）", "当面谈话")


def test_nothing_approved_in_the_unit_is_said(approved, tmp_path):  # noqa: ANN001
    rid, pool, _person = approved
    name = next(p.unit for p in round_overview(rid).pools if not p.approved)
    other = Unit.get(Unit.name == name)
    with pytest.raises(DomainError, match="还没有审定的考核结果"):
        print_report("feedback", YEAR, tmp_path / "x.pdf", unit_id=other.id)
    assert not (tmp_path / "x.pdf").exists()


def test_the_command_line_prints_the_forms(approved, tmp_path, capsys):  # noqa: ANN001
    _rid, pool, _person = approved
    from models.core.db import db

    path = db.database
    close_database()
    out = tmp_path / "cli.pdf"
    code = main.main(["print", "feedback", "--db", str(path), "--year", str(YEAR), "-o", str(out)])
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert printed.out.strip() == f"已生成 {out}：{pool.people} 页"
    assert len(pdf_pages_text(out)) == pool.people
    from models.schema import open_database

    open_database(Path(path))  # for the fixture's close


def test_the_longest_record_prints_whole_over_several_pages(approved, tmp_path):  # noqa: ANN001
    """Every box as full as the form allows: the record goes on over the pages, nothing
    clipped, the signature lines still there."""
    from models.assessment.feedback import BOX_LINE_CHARS, BOX_LINES

    rid, pool, person = approved
    last = "末" * BOX_LINE_CHARS
    full = "\n".join(["工" * BOX_LINE_CHARS] * (BOX_LINES - 1) + [last])
    version = get_feedback(rid, person.cadre_id).version
    save_feedback(
        rid,
        person.cadre_id,
        FeedbackInput(
            dt.date(2026, 2, 10), "王建国", strengths=full, shortcomings=full,
            improvements=full, response=full,
        ),
        user="记录员",
        expected_version=version,
    )  # fmt: skip
    out = tmp_path / "long.pdf"
    pages = print_report("feedback", YEAR, out)
    assert pages > pool.people  # the long record takes more than one page
    text = squeeze(assert_clean_pdf(out))
    assert text.count(last) == 4  # the last line of every box printed
    assert "本人签名：年月日" in text
