"""The 督查通报 PDF on the demo database: the title and the half, every inspected unit in
rank order, the praised and criticised units with what was found; the command prints it."""

from __future__ import annotations

import re

import main
from models.evaluation import bulletin
from reports.evaluation import print_bulletin
from tests.reports.conftest import assert_clean_pdf, squeeze


def test_the_bulletin_lists_the_ranking_praise_and_criticism(demo_eval, tmp_path) -> None:
    b = bulletin(2025, 2)
    out = tmp_path / "通报.pdf"
    assert print_bulletin(2025, 2, str(out)) == len(b.rows)
    text = assert_clean_pdf(out)
    flat = squeeze(text)
    assert "2025年下半年工作督查情况通报" in flat
    at = [flat.index(squeeze(r.unit)) for r in b.rows]
    assert at == sorted(at)  # the units in rank order
    section = flat[flat.index("二、表扬") :]
    for r in b.praised:
        assert squeeze(r.unit) in section[: section.index("三、通报批评")]
    for r in b.criticised:
        assert squeeze(r.unit) in section[section.index("三、通报批评") :]


def test_the_command_prints_the_bulletin(demo_eval_path, tmp_path, capsys) -> None:
    out = tmp_path / "b.pdf"
    db = str(demo_eval_path)
    assert main.main(["print", "bulletin", "--db", db, "--year", "2025", "--half", "1",
                      "-o", str(out)]) == 0  # fmt: skip
    assert re.match(r"已生成 .*b\.pdf：\d+ 个单位", capsys.readouterr().out)
    assert main.main(["print", "bulletin", "--db", db, "--year", "2024", "--half", "1",
                      "-o", str(out)]) == 1  # fmt: skip
    assert "还没有督查记录" in capsys.readouterr().err
