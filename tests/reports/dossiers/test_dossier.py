"""一人一档: a cadre's whole record as one bookmarked PDF, on the demo database with one
考核范围 approved, a feedback record, a sanction, a photo and 学时 of several kinds: every
part shows what the database holds (pdftotext), the bookmarks and table of contents name the
parts with their pages (pdftohtml's outline), the approved year's 考核登记表 is appended,
and a unit's batch writes one file per cadre and leaves none when cancelled. The command
line prints the same."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

import main
from models.assessment import add_sanction, find_round, save_feedback
from models.core.dates import age_on
from models.core.db import close_database
from models.core.errors import DomainError
from models.core.progress import Cancelled
from models.roster import get_cadre
from models.roster.tables import Cadre
from models.training import add_hours_entry, cadre_classes
from models.training.tables import Enrolment
from reports.dossiers import dossier_data, dossier_pdf, write_dossiers
from tests.reports.assessment.test_feedback import TALK
from tests.reports.conftest import (
    YEAR,
    approve_first_pool,
    assert_clean_pdf,
    open_copy,
    pdf_pages_text,
    squeeze,
)

TODAY = dt.date(2026, 12, 7)


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (90, 120), (200, 60, 60)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def person(demo_db, bundled_fonts, tmp_path_factory):  # noqa: ANN001, ANN201
    """A cadre of the first 考核范围 that can be approved, approved; with a feedback record,
    a 诫勉 in 2026, a photo and a line of 外出培训: the cadre's id."""
    open_copy(demo_db[0], tmp_path_factory)
    try:
        rid = find_round(YEAR).id
        cid = approve_first_pool(rid).rows[1].cadre_id
        save_feedback(rid, cid, TALK, user="记录员")
        add_sanction(cid, "诫勉", dt.date(2026, 3, 1), note="工作失误", user="干部科")
        add_hours_entry(cid, dt.date(2026, 5, 20), "外出培训", Decimal(24), "省委党校专题班")
        Cadre.update(photo=_jpeg()).where(Cadre.id == cid).execute()
        yield cid
    finally:
        close_database()


def _outline(path: Path) -> list[tuple[str, str]]:
    """(title, page) of every bookmark, in order (poppler's pdftohtml -xml)."""
    exe = shutil.which("pdftohtml")
    if exe is None:
        pytest.skip("pdftohtml (poppler-utils) is not installed")
    xml = subprocess.run(
        [exe, "-xml", "-i", "-stdout", "-q", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return [(t, p) for p, t in re.findall(r'<item page="(\d+)">([^<]+)</item>', xml)]


def test_the_dossier_holds_every_part_with_bookmarks(person, tmp_path) -> None:
    d = dossier_data(person, today=TODAY)
    data, pages = dossier_pdf(d)
    path = tmp_path / "一人一档.pdf"
    path.write_bytes(data)
    assert_clean_pdf(path)
    texts = pdf_pages_text(path)
    assert len(texts) == pages
    c = get_cadre(person)
    flat = squeeze("".join(texts))
    # cover and 基本信息 as the 任免审批表 has them
    assert squeeze(f"姓名：{c.name}") in squeeze(texts[0])
    assert c.id_card in flat
    assert squeeze(f"{c.birth_date:%Y.%m}（{age_on(c.birth_date, TODAY)}岁）") in flat
    assert "（无照片）" not in flat
    # 学习培训: the line added, this year's total against the requirement
    assert "省委党校专题班" in flat
    year = next(y for y in d.years if y.year == 2026)
    assert year.by_kind["外出培训"] >= Decimal(24)
    # 年度考核: the approved 2025 result
    r2025 = next(r for r in d.rounds if r.year == YEAR)
    assert r2025.approved
    assert r2025.grade in flat
    assert "未审定" not in r2025.result_text
    # 反馈与指导 and 处分
    assert "调查研究不够深入。" in flat
    assert "王建国" in flat
    assert "诫勉" in flat
    assert "工作失误" in flat
    # the 考核登记表 of 2025 appended: its title on a page of its own, no score on it
    sheet_pages = [t for t in texts if "年度考核登记表" in squeeze(t) and "个人总结" in t]
    assert sheet_pages
    assert "综合得分" not in squeeze(sheet_pages[0])
    # bookmarks name the parts, in order, on the pages the table of contents gives
    outline = _outline(path)
    titles = [t for t, _p in outline]
    assert titles[:5] == ["一、基本信息", "二、学习培训", "参加培训班", "各年度学时", "学时明细"]
    assert "五、处分" in titles
    assert "附：年度考核登记表" in titles
    assert f"{YEAR}年度考核登记表" in titles
    toc = squeeze(texts[1])
    for title, page in outline[:2]:
        assert re.search(re.escape(title) + r"[.．]*" + page, toc), (title, page, toc)
    basic_page = int(dict(outline)["一、基本信息"])
    assert "一、基本信息" in texts[basic_page - 1]


def test_the_units_grade_in_the_unit_evaluation_is_shown(tmp_path) -> None:
    """A cadre of a unit graded 好 in the approved 单位考评 of 2025: the dossier says so."""
    import datetime as dt

    from models.core.db import close_database
    from models.demo import build_demo
    from models.evaluation import list_results
    from models.roster import RosterFilter, query_ids
    from models.schema import open_database

    path = tmp_path / "demo.db"
    build_demo(path, cadres=120, today=TODAY, parts=("evaluation",))
    open_database(path)
    try:
        best = list_results(2025)[0]
        cid = query_ids(RosterFilter(unit_id=best.unit_id, include_subunits=False))[0]
        d = dossier_data(cid, today=TODAY)
        assert d.unit_grades == [(2025, best.grade)]
        out = tmp_path / "d.pdf"
        out.write_bytes(dossier_pdf(d)[0])
        text = squeeze("".join(pdf_pages_text(out)))
        assert squeeze(f"所在单位（领导班子）年度考评：2025年度{best.grade}") in text
    finally:
        close_database()
    assert dt.date(2026, 12, 7) == TODAY


def test_classes_of_a_cadre_with_the_hours_credited(demo, tmp_path) -> None:
    """A trainee of the demo's finished class: the class with its dates and the 学时 the
    ledger holds for it; the dossier lists it."""
    closed = [
        e.cadre_id
        for e in Enrolment.select(Enrolment.cadre).join(Enrolment.training_class.rel_model)
        .where(Enrolment.training_class.rel_model.status == "已结业")
    ]  # fmt: skip
    assert closed
    classes = cadre_classes(closed[0])
    done = [c for c in classes if c.status == "已结业"]
    assert done
    assert done[0].credited_hours is not None
    assert done[0].credited_hours > 0
    d = dossier_data(closed[0], today=TODAY)
    path = tmp_path / "d.pdf"
    path.write_bytes(dossier_pdf(d)[0])
    flat = squeeze("".join(pdf_pages_text(path)))
    assert squeeze(done[0].name) in flat


def test_a_unit_batch_writes_a_file_each_and_cancel_leaves_none(demo, tmp_path) -> None:
    from models.roster import RosterFilter, find_unit, query_ids

    unit = find_unit("市委组织部")
    ids = query_ids(RosterFilter(unit_id=unit.id, status="在职"))
    assert len(ids) >= 2
    seen: list[tuple[int, int]] = []
    files = write_dossiers(
        ids, tmp_path, today=TODAY, progress=lambda d, t, _w: seen.append((d, t))
    )
    assert len(files) == len(ids)
    assert all(f.name.startswith("市委组织部_") and f.name.endswith("_一人一档.pdf") for f in files)
    assert seen[-1] == (len(ids), len(ids))
    out = tmp_path / "cancel"
    out.mkdir()
    calls = iter(range(100))
    with pytest.raises(Cancelled):
        write_dossiers(ids, out, today=TODAY, cancelled=lambda: next(calls) >= 1)
    assert list(out.iterdir()) == []
    with pytest.raises(DomainError, match="没有要打印一人一档的干部"):
        write_dossiers([], out)


def test_the_command_prints_one_cadre_and_refuses_bad_arguments(person, tmp_path, capsys) -> None:
    db = str(close_and_path())
    c_id = person
    out = tmp_path / "档案.pdf"
    number = _id_card(db, c_id)
    assert main.main(["print", "dossier", "--db", db, "--id-card", number, "-o", str(out)]) == 0
    assert "的一人一档" in capsys.readouterr().out
    assert out.stat().st_size > 0
    assert main.main(["print", "dossier", "--db", db, "-o", str(out)]) == 1
    assert "二者选一" in capsys.readouterr().err
    bad = tmp_path / "档案.txt"
    assert main.main(["print", "dossier", "--db", db, "--id-card", number, "-o", str(bad)]) == 1
    assert "应以 .pdf 结尾" in capsys.readouterr().err


def close_and_path() -> Path:
    """The open database's file, closed so that the command opens it itself."""
    from models.core.db import db

    path = Path(db.database)
    close_database()
    return path


def _id_card(db: str, cadre_id: int) -> str:
    from models.schema import open_database

    open_database(db)
    try:
        return get_cadre(cadre_id).id_card
    finally:
        close_database()


def test_a_unit_name_no_file_system_accepts_is_made_safe_in_the_file_name() -> None:
    """Another system's unit name with / and : still gives a file name Windows accepts."""
    from types import SimpleNamespace

    from reports.dossiers import dossier_file_name

    d = SimpleNamespace(cadre=SimpleNamespace(unit_name="市委/办公室:一科", name="张三"))
    assert dossier_file_name(d) == "市委-办公室-一科_张三_一人一档.pdf"
