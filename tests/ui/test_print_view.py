"""The PDF preview (from memory, print to a PDF-file printer, save, open externally) and the
报表打印 section on the demo database."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from models.assessment import find_round, list_members
from models.core.db import close_database
from models.roster.tables import Unit
from models.schema import open_database
from reports.assessment import summary as ar
from reports.sheets.batch import build_sheets_pdf
from ui import messages
from ui.common import pdf_preview
from ui.common.pdf_preview import PdfPreview
from ui.print_view import PrintView

YEAR = 2025


def pdf_pages(path: Path) -> int:
    exe = shutil.which("pdfinfo")
    if exe is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    out = subprocess.run([exe, str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(ln for ln in out.splitlines() if ln.startswith("Pages:")).split()[1])


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from models.demo import build_demo

    path = tmp_path_factory.mktemp("print") / "demo.db"
    build_demo(path, cadres=120, today=dt.date(2026, 11, 18))
    return path


@pytest.fixture
def demo(demo_file: Path):  # noqa: ANN201
    open_database(demo_file)
    yield demo_file
    close_database()


@pytest.fixture
def approval_pdf(demo) -> bytes:  # noqa: ANN001
    return ar.report_pdf_bytes("approval", YEAR)


@pytest.fixture
def sheets_pdf(demo) -> tuple[bytes, int]:  # noqa: ANN001
    rnd = find_round(YEAR)
    ids = [m.cadre_id for m in list_members(rnd.id)[:3]]
    data, result = build_sheets_pdf(rnd.id, cadre_ids=ids)
    return data, result.pages


def loaded(qtbot, data: bytes, name: str = "测试.pdf") -> PdfPreview:  # noqa: ANN001
    view = PdfPreview()
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=10_000):
        view.set_pdf(data, name)
    return view


# ============================================================================ preview


def test_preview_loads_a_pdf_from_memory(qtbot, sheets_pdf) -> None:
    data, pages = sheets_pdf
    view = loaded(qtbot, data, "三人.pdf")
    assert view.document.status() == QPdfDocument.Status.Ready
    assert view.page_count() == pages == 6  # three people, two pages each
    assert view.info.text() == "三人.pdf，共 6 页"
    assert view.print_button.isEnabled()
    text = view.document.getAllText(0).text()
    # QtPdf reads the form's frame (title) before the typed data (the year line)
    assert "年度考核登记表" in text
    assert f"（{YEAR}年度）" in text
    # a second PDF replaces the first
    other = ar.report_pdf_bytes("approval", YEAR)
    with qtbot.waitSignal(view.loaded, timeout=10_000) as blocker:
        view.set_pdf(other, "审定表.pdf")
    assert blocker.args == [1]
    assert view.page_count() == 1


def test_zoom_buttons_change_the_zoom(qtbot, approval_pdf) -> None:
    view = loaded(qtbot, approval_pdf)
    view.resize(800, 600)
    before = view.view.zoomFactor()
    view.zoom_in_button.click()
    assert view.view.zoomFactor() == pytest.approx(before * 1.25)
    view.zoom_out_button.click()
    view.zoom_out_button.click()
    assert view.view.zoomFactor() == pytest.approx(before / 1.25)
    view.fit_button.click()
    assert view.view.zoomMode() == view.view.ZoomMode.FitToWidth


def test_print_renders_every_page_into_a_pdf_printer(qtbot, monkeypatch, tmp_path, sheets_pdf):
    data, pages = sheets_pdf
    view = loaded(qtbot, data)
    out = tmp_path / "printed.pdf"
    asked: list[QPrinter] = []

    def fake_dialog(_parent: object, printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setResolution(100)
        asked.append(printer)
        return True

    monkeypatch.setattr(messages, "choose_printer", fake_dialog)
    assert view.print_pdf() == pages
    assert len(asked) == 1
    assert pdf_pages(out) == pages


def test_print_cancelled_in_the_dialog_prints_nothing(qtbot, monkeypatch, approval_pdf) -> None:
    view = loaded(qtbot, approval_pdf)
    monkeypatch.setattr(messages, "choose_printer", lambda *_a: False)
    assert view.print_pdf() == 0


def test_print_without_a_document_says_so(qtbot, monkeypatch) -> None:
    view = PdfPreview()
    qtbot.addWidget(view)
    told: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, *_a: told.append(text))
    assert view.print_pdf() == 0
    assert told == ["没有可打印的内容：请先预览"]


def test_save_and_open_in_the_system_viewer(qtbot, monkeypatch, tmp_path, approval_pdf) -> None:
    view = loaded(qtbot, approval_pdf, "2025年度考核结果审定表.pdf")
    dest = tmp_path / "存档"
    monkeypatch.setattr(messages, "save_file", lambda *_a: dest)
    assert view.save_pdf() == dest.with_suffix(".pdf")
    assert dest.with_suffix(".pdf").read_bytes() == approval_pdf
    opened: list[str] = []
    monkeypatch.setattr(
        pdf_preview, "open_url", lambda url: opened.append(url.toLocalFile()) or True
    )
    monkeypatch.setenv("TMPDIR", str(tmp_path / "temp"))  # the system's temp folder
    path = view.open_external()
    assert path is not None
    assert path.parent == tmp_path / "temp" / "CadreDesk"  # a copy in the temp folder
    assert opened == [str(path)]
    assert path.name == "2025年度考核结果审定表.pdf"
    assert path.read_bytes() == approval_pdf


# ============================================================================ 报表打印 section


@pytest.fixture
def print_view(qtbot, demo):  # noqa: ANN001, ANN201
    v = PrintView()
    qtbot.addWidget(v)
    return v


def test_section_lists_reports_rounds_units_and_people(print_view) -> None:
    v = print_view
    assert [v.report.itemText(i) for i in range(v.report.count())] == [
        "考核登记表（归档用，不印分数和等次）",
        "考核评分表（每人一页，含评分和拟定等次）",
        "考核结果汇总表",
        "年度考核结果审定表",
        "年度考核结果名册",
        "考核结果反馈表（一项指导谈话记录）",
    ]
    rnd = find_round(YEAR)
    assert v.round.currentText() == f"{rnd.name}（{rnd.status}）"
    assert v.unit.itemText(0) == "全部单位"
    assert v.people.count() == len(list_members(rnd.id))
    county = Unit.get(Unit.name == "靖远县").id
    v.unit.setCurrentIndex(v.unit.findData(county))
    assert v.people.count() == len(list_members(rnd.id, county))
    assert v.people_hint.text() == f"将打印全部 {v.people.count()} 人"
    v.people.item(0).setSelected(True)
    assert v.people_hint.text() == f"已选 1 人（共 {v.people.count()} 人）"
    v.report.setCurrentIndex(2)
    assert not v.people.isEnabled()
    assert not v.split.isEnabled()
    assert not v.duplex.isEnabled()


def test_a_big_rounds_people_are_listed_in_the_background(qtbot, demo, monkeypatch) -> None:
    """Above BACKGROUND_ROWS members the list of people is read on the worker thread: the
    section is there at once, saying so; then everybody is listed and can be chosen."""
    from ui import jobs

    rnd = find_round(YEAR)
    monkeypatch.setattr(jobs, "BACKGROUND_ROWS", 10)
    v = PrintView()
    qtbot.addWidget(v)
    members = list_members(rnd.id)
    assert v.people_hint.text() == f"正在读取 {len(members)} 人的名单…"
    qtbot.waitUntil(lambda: v.people.count() == len(members), timeout=20_000)
    assert v.people_hint.text() == f"将打印全部 {len(members)} 人"
    v.people.item(2).setSelected(True)
    assert v.selected_ids() == [members[2].cadre_id]
    assert v.people.item(2).text().startswith(f"{members[2].name}（{members[2].unit_name}）")


def test_preview_a_summary_report(qtbot, print_view) -> None:
    v = print_view
    v.report.setCurrentIndex(v.report.findData("approval"))
    job = v.start_preview()
    with qtbot.waitSignal(v.preview.loaded, timeout=30_000):
        pass
    assert job is not None
    assert v.preview.page_count() == 1
    text = v.preview.document.getAllText(0).text().replace("\n", "")
    assert f"{YEAR}年度考核结果审定表" in text


def test_preview_sheets_of_chosen_people(qtbot, print_view) -> None:
    v = print_view
    v.report.setCurrentIndex(v.report.findData("sheet_official"))
    v.people.item(1).setSelected(True)
    v.people.item(2).setSelected(True)
    names = [v.people.item(i).text().split("（")[0] for i in (1, 2)]
    with qtbot.waitSignal(v.preview.loaded, timeout=30_000) as blocker:
        v.start_preview()
    pages = blocker.args[0]
    text = "".join(v.preview.document.getAllText(i).text() for i in range(pages))
    text = text.replace("\n", "")
    for name in names:
        assert name in text
    assert "考核评分" not in text  # the official variant has no scoring block


def test_batch_split_files_from_the_section(qtbot, monkeypatch, tmp_path, print_view) -> None:
    v = print_view
    unit = Unit.get(Unit.name == "市委组织部").id
    v.unit.setCurrentIndex(v.unit.findData(unit))
    v.split.setChecked(True)
    monkeypatch.setattr(messages, "open_folder", lambda *_a: tmp_path)
    told: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    job = v.start_batch()
    with qtbot.waitSignal(job.finished, timeout=60_000):
        pass
    people = list_members(find_round(YEAR).id, unit)
    expected = sorted(f"{p.unit_name}_{p.name}_{YEAR}年度考核登记表.pdf" for p in people)
    assert sorted(p.name for p in tmp_path.iterdir()) == expected
    assert len(told) == 1
    assert told[0].startswith(f"已生成 {len(people)} 份考核登记表")


def test_a_large_batch_from_the_section_is_made_by_workers_in_parts(
    qtbot, monkeypatch, tmp_path, print_view
) -> None:
    """As a whole city's batch is, on a small scale: parts of 50 people, written by worker
    processes started from the app, told in one message."""
    from reports.sheets import stream
    from ui import print_view as pv

    monkeypatch.setattr(stream, "PART_SHEETS", 50)
    monkeypatch.setattr(stream, "MIN_SHEETS_FOR_WORKERS", 10)
    v = print_view
    monkeypatch.setattr(pv, "ask_save_path", lambda *_a, **_k: tmp_path / "全市.pdf")
    told: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, _t, text: told.append(text))
    job = v.start_batch()
    with qtbot.waitSignal(job.finished, timeout=120_000):
        pass
    n = len(list_members(find_round(YEAR).id))
    parts = sorted(p.name for p in tmp_path.iterdir())
    k = len(parts)
    assert k >= 3
    assert parts == [f"全市_第{i}部分（共{k}部分）.pdf" for i in range(1, k + 1)]
    assert sum(pdf_pages(tmp_path / p) for p in parts) >= 2 * n
    assert len(told) == 1
    assert told[0].startswith(f"已生成 {n} 份考核登记表")
    assert f"分为 {k} 个部分文件" in told[0]


def test_batch_report_as_xlsx(qtbot, monkeypatch, tmp_path, print_view) -> None:
    v = print_view
    v.report.setCurrentIndex(v.report.findData("register"))
    dest = tmp_path / "名册.xlsx"
    monkeypatch.setattr(messages, "save_file", lambda *_a: dest)
    monkeypatch.setattr(messages, "info", lambda *_a: None)
    job = v.start_batch()
    with qtbot.waitSignal(job.finished, timeout=60_000):
        pass
    from openpyxl import load_workbook

    rows = list(load_workbook(dest)["名册"].iter_rows(values_only=True))[2:]
    assert len(rows) == len(list_members(find_round(YEAR).id))


def test_the_print_font_is_chosen_remembered_and_used(qtbot, tmp_path, monkeypatch):
    from reports.common import fonts
    from resources import resource_path
    from ui.print_view import PrintView
    from ui.settings import apply_print_font, settings

    uming = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
    if not uming.exists():
        pytest.skip("fonts-arphic-uming is not installed")
    view = PrintView()
    qtbot.addWidget(view)
    try:
        monkeypatch.setattr(messages, "open_file", lambda *_a: uming)
        view.font_button.click()
        assert settings().print_font == str(uming)
        assert view.font_label.text() == "所选字体：uming.ttc"
        assert view.font_reset.isEnabled()
        from reports.sheets import SheetData, build_pdf_bytes

        data, _ = build_pdf_bytes([SheetData(year=2025, name="张三")])
        pdf = tmp_path / "s.pdf"
        pdf.write_bytes(data)
        listed = subprocess.run(
            ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
        ).stdout
        assert "UMing" in listed
        # a file that is no font: refused with a message, the automatic choice is used
        bad = tmp_path / "not-a-font.ttf"
        bad.write_text("hello", encoding="utf-8")
        shown: list[str] = []
        monkeypatch.setattr(messages, "error", lambda _p, text, *_a: shown.append(text))
        view.set_font(str(bad))
        assert "无法使用" in shown[0]
        assert not view.font_label.text().startswith("所选字体")
        view.font_reset.click()
        assert settings().print_font == ""
        assert fonts.current_setup().main.source in ("system", "bundled")
        assert resource_path("fonts").is_dir()
    finally:
        settings().print_font = ""
        apply_print_font()


def test_preview_the_score_sheets_duplex(qtbot, print_view) -> None:
    v = print_view
    v.report.setCurrentIndex(v.report.findData("sheet_scored"))
    assert v.duplex.isEnabled()
    v.duplex.setChecked(True)
    v.people.item(0).setSelected(True)
    v.people.item(1).setSelected(True)
    with qtbot.waitSignal(v.preview.loaded, timeout=30_000) as blocker:
        v.start_preview()
    assert blocker.args[0] == 4  # one page each, each padded with a blank back page
    first = v.preview.document.getAllText(0).text().replace("\n", "")
    assert "年度考核评分表" in first
    assert f"（{YEAR}年度）" in first
    assert "（本页空白）" in v.preview.document.getAllText(1).text()


def test_header_rows_are_chosen_for_the_official_form(print_view) -> None:  # noqa: ANN001
    v = print_view
    combo = v.header_rows
    assert combo.currentText() == "按人员类别的模板"
    assert v.print_options().header_rows is None
    combo.setCurrentIndex(combo.findText("文化程度、参加脱产培训情况"))
    assert v.print_options().header_rows == ("文化程度", "参加脱产培训情况")
    combo.setCurrentIndex(combo.findText("不加印"))
    assert v.print_options().header_rows == ()
    v.report.setCurrentIndex(v.report.findData("sheet_scored"))
    assert not combo.isEnabled()  # the 评分表 has its own header


def test_the_people_list_is_searched_and_a_preview_is_named_for_whom(qtbot, print_view) -> None:  # noqa: ANN001
    v = print_view
    members = list_members(find_round(YEAR).id)
    one = members[5]
    v.people_search.setText(one.name)
    shown = [
        v.people.item(i).text() for i in range(v.people.count()) if not v.people.item(i).isHidden()
    ]
    assert shown
    assert all(one.name in t for t in shown)
    v.people_search.setText(one.unit_name)
    shown = [v.people.item(i) for i in range(v.people.count()) if not v.people.item(i).isHidden()]
    assert len(shown) == sum(1 for m in members if m.unit_name == one.unit_name)
    v.people_search.clear()
    assert all(not v.people.item(i).isHidden() for i in range(v.people.count()))
    # the preview of one person is named for that person, not for 全部单位
    v.people.item(5).setSelected(True)
    v.start_preview()
    with qtbot.waitSignal(v.preview.loaded, timeout=30_000):
        pass
    assert (
        v.preview.info.text() == f"{YEAR}年度考核登记表_{one.name}（{one.unit_name}）.pdf，共 2 页"
    )
    v.people.item(6).setSelected(True)
    v.start_preview()
    with qtbot.waitSignal(v.preview.loaded, timeout=30_000):
        pass
    assert v.preview.info.text().startswith(f"{YEAR}年度考核登记表_全部单位所选2人.pdf，共 ")
