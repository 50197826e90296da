"""一班一档: a training class's whole file as one bookmarked PDF, on the demo database: the
plan with its 三三制 shares, the 课程表 on landscape pages, the roster, one 签到表 per
half-day, the 考勤汇总 whose 合计 is the sum of each trainee's 学时 credited, and the
certificates with their numbers (or, before 结业, why there are none); the command line
prints the same."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import main
from models.training import class_credits, list_classes, list_trainees
from models.training import print_data as tp
from reports.dossiers import class_file_pdf
from tests.reports.conftest import assert_clean_pdf, pdf_pages_text, pdf_text, squeeze

TODAY = dt.date(2026, 12, 7)


def _outline(path: Path) -> list[tuple[str, int]]:
    exe = shutil.which("pdftohtml")
    if exe is None:
        pytest.skip("pdftohtml (poppler-utils) is not installed")
    xml = subprocess.run(
        [exe, "-xml", "-i", "-stdout", "-q", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return [(t, int(p)) for p, t in re.findall(r'<item page="(\d+)">([^<]+)</item>', xml)]


def _page_size(path: Path, page: int) -> str:
    out = subprocess.run(
        ["pdfinfo", "-f", str(page), "-l", str(page), str(path)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    w, h = re.search(rf"Page\s+{page} size:\s+([\d.]+) x ([\d.]+)", out).groups()
    return "landscape" if float(w) > float(h) else "portrait"


def _class(status: str) -> int:
    return next(c.id for c in list_classes() if c.status == status)


def test_a_finished_class_file_holds_every_part(demo, tmp_path) -> None:
    cid = _class("已结业")
    data, pages = class_file_pdf(cid, today=TODAY)
    path = tmp_path / "一班一档.pdf"
    path.write_bytes(data)
    assert_clean_pdf(path)
    texts = pdf_pages_text(path)
    assert len(texts) == pages
    flat = squeeze("".join(texts))
    outline = dict(_outline(path))
    assert list(outline)[:3] == ["一、班次概况", "三三制比例", "排课说明"]
    for title in (
        "二、课程表",
        "三、学员名册",
        "四、签到表",
        "五、考勤汇总与学时",
        "六、结业证书名单",
    ):
        assert title in outline
    # the 课程表 on landscape A4, the rest portrait
    assert _page_size(path, outline["二、课程表"]) == "landscape"
    assert _page_size(path, outline["三、学员名册"]) == "portrait"
    # every trainee in the roster, one 签到表 per half-day
    for t in list_trainees(cid):
        assert t.name in flat
    sheets = tp.signin_data(cid).sheets
    signin_pages = outline["五、考勤汇总与学时"] - outline["四、签到表"]
    assert signin_pages >= len(sheets)
    # the 合计 row of the 考勤汇总 is the sum of the trainees' 学时
    credits = class_credits(cid)
    total = sum(c.credited_hours for c in credits)
    line = next(
        x for x in pdf_text(path, layout=True).splitlines() if f"合计   {len(credits)} 人" in x
    )
    assert line.split()[-1] == f"{float(total):g}"  # the 计入学时 column
    # the certificates: every number the certificate printout gives
    for cert in tp.certificate_data(cid).certificates:
        assert squeeze(cert.serial) in flat


def test_a_class_not_finished_says_why_there_are_no_certificates(demo, tmp_path) -> None:
    cid = _class("筹备")
    path = tmp_path / "筹备.pdf"
    path.write_bytes(class_file_pdf(cid, today=TODAY)[0])
    assert "班次状态为“筹备”，结业后发结业证书。" in squeeze("".join(pdf_pages_text(path)))


def test_the_command_prints_the_class_file(demo_db, tmp_path, capsys) -> None:
    out = tmp_path / "一班一档.pdf"
    db = str(demo_db[0])
    assert main.main(["print", "class-file", "--db", db, "--class", "1", "-o", str(out)]) == 0
    assert re.match(r"已生成 .*一班一档\.pdf：\d+ 页", capsys.readouterr().out)
    assert out.read_bytes().startswith(b"%PDF")
    bad = tmp_path / "一班一档.docx"
    assert main.main(["print", "class-file", "--db", db, "--class", "1", "-o", str(bad)]) == 1
    assert "应以 .pdf 结尾" in capsys.readouterr().err
    assert not bad.exists()
