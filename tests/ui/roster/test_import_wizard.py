"""The import wizard, driven as a user drives it: choose a file, map columns, preview,
import, cancel, save the error list; and the .lrmx export from the roster."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QComboBox, QProgressDialog, QPushButton

from models.core.audit import ChangeLog
from models.roster import importing as roster_import
from models.roster import service as roster
from models.roster.intake import parse_lrmx
from models.roster.tables import Cadre, Unit
from tests.ui.conftest import id_number
from ui import messages
from ui.roster.importing import ColumnMappingModel, ImportWizard, PreviewModel
from ui.roster.roster_view import RosterView
from ui.settings import Settings, settings

LEFT = Qt.MouseButton.LeftButton
DISPLAY = Qt.ItemDataRole.DisplayRole
HEADER = ["序号", "姓 名", "性别", "出生年月", "公民身份号码", "工作单位", "现任职务", "职级"]
# Worked by hand with GB 11643 (tests/ui/conftest.py id_number): sequence 7 and 8 in 620402.
WU = id_number("620402", dt.date(1985, 4, 16), 7, True)
ZHENG = id_number("620402", dt.date(1991, 12, 3), 8, False)
ZHANG = id_number("620402", dt.date(1975, 3, 12), 1, True)  # 张三 of the people fixture


@pytest.fixture(autouse=True)
def _no_new_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dialogs added for this wizard fail unless a test patches them."""

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"unexpected dialog {args[1:]!r}")

    for name in ("open_file", "open_folder", "choose_item"):
        monkeypatch.setattr(messages, name, fail)


def roster_sheet(path: Path, rows: list[list[object]], extra: list[str] | None = None) -> Path:
    """A 花名册 with a merged title row above the header, as departments send them."""
    header = HEADER + (extra or [])
    wb = Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["白银市直机关干部花名册"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def wizard(qtbot, path: Path | None = None, parent=None) -> ImportWizard:  # noqa: ANN001
    w = ImportWizard(parent)
    qtbot.addWidget(w)
    w.show()
    if path is not None:
        w.path_edit.setText(str(path))
    return w


def next_to(qtbot, w: ImportWizard, page: int) -> None:  # noqa: ANN001
    qtbot.mouseClick(w.next_button, LEFT)
    qtbot.waitUntil(lambda: w.job is None and w.page == page, timeout=20_000)


def through_to_preview(qtbot, w: ImportWizard) -> None:  # noqa: ANN001
    next_to(qtbot, w, ImportWizard.OPTIONS)
    next_to(qtbot, w, ImportWizard.PREVIEW)


def column_texts(model: PreviewModel, header: str) -> list[str]:
    col = model.column_of(header)
    return [model.index(r, col).data(DISPLAY) for r in range(model.rowCount())]


# --------------------------------------------------------------------------- mapping


def test_unmapped_column_is_asked_for_and_the_choice_is_remembered(
    qtbot, qtmodeltester, units, tmp_path, monkeypatch
):
    f = roster_sheet(
        tmp_path / "roster.xlsx",
        [[1, "吴刚", "男", "1985.04", WU, "市委组织部", "科员", "一级科员", "13800001111"]],
        extra=["个人手机"],
    )
    w = wizard(qtbot, f)
    next_to(qtbot, w, ImportWizard.MAPPING)
    model = w.mapping_model
    qtmodeltester.check(model)
    # The 9th column (I) was not recognised: shown as written, to be chosen, marked.
    rows = {model.index(r, 0).data(DISPLAY): r for r in range(model.rowCount())}
    row = rows["I"]
    assert model.index(row, 1).data(DISPLAY) == "个人手机"
    assert model.index(row, 2).data(DISPLAY) == "忽略（不导入）"
    assert model.index(row, 3).data(DISPLAY) == "未识别，请选择"
    assert model.index(row, 2).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(rows["B"], 2).data(DISPLAY) == "姓名"  # 姓 名 recognised
    assert "I列“个人手机”" in w.mapping_intro.text()
    # The 对应到 cell is a combo the user picks from.
    combo = w.mapping_table.indexWidget(model.index(row, 2))
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findText("联系电话"))
    combo.activated.emit(combo.currentIndex())
    assert model.index(row, 2).data(DISPLAY) == "联系电话"

    next_to(qtbot, w, ImportWizard.OPTIONS)
    # Remembered in the settings file, readable by a fresh store (typed, JSON).
    assert Settings(Path(settings().file_name)).import_column_mapping == {"个人手机": "phone"}
    next_to(qtbot, w, ImportWizard.PREVIEW)
    assert w.counts_label.text() == "新增 1，更新 0，跳过 0，错误 0"
    monkeypatch.setattr(messages, "info", lambda *a, **k: None)
    qtbot.mouseClick(w.import_button, LEFT)
    qtbot.waitUntil(lambda: w.import_result is not None, timeout=20_000)
    wu = Cadre.get(Cadre.id_card == WU)
    assert wu.phone == "13800001111"  # the column the user mapped was imported

    # Next run: the same header goes straight past the mapping step.
    again = wizard(qtbot, f)
    next_to(qtbot, again, ImportWizard.OPTIONS)
    assert not again.mapping_shown
    assert "核对列" not in again.steps_label.text()


def test_two_columns_mapped_to_one_field_are_refused(qtbot, units, tmp_path, monkeypatch):
    f = roster_sheet(
        tmp_path / "roster.xlsx",
        [[1, "吴刚", "男", "1985.04", WU, "市委组织部", "科员", "一级科员", "x"]],
        extra=["个人手机"],
    )
    w = wizard(qtbot, f)
    next_to(qtbot, w, ImportWizard.MAPPING)
    w.set_column_choice("I", "name")
    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append(text))
    qtbot.mouseClick(w.next_button, LEFT)
    assert w.page == ImportWizard.MAPPING
    assert shown
    assert "B列和I列都对应到“姓名”" in shown[0]
    assert settings().import_column_mapping == {}  # nothing remembered from a refused step


# --------------------------------------------------------------------------- preview


def test_preview_marks_error_rows_and_keeps_import_disabled(
    qtbot, qtmodeltester, units, tmp_path, monkeypatch
):
    bad_id = WU[:17] + ("0" if WU[17] != "0" else "1")  # wrong check digit
    f = roster_sheet(
        tmp_path / "bad.xlsx",
        [
            [1, "郑爽", "女", "1991.12", ZHENG, "市委组织部", "科员", "一级科员"],
            [2, "吴刚", "男", "1985.04", bad_id, "市委组织部", "科员", "一级科员"],
        ],
    )
    w = wizard(qtbot, f)
    through_to_preview(qtbot, w)
    model = w.preview_model
    qtmodeltester.check(model)
    assert w.counts_label.text() == "新增 1，更新 0，跳过 0，错误 1"
    # Rows as in the sheet: title row 1, header row 2, data from row 3.
    assert column_texts(model, "行号") == ["3", "4"]
    assert column_texts(model, "处理") == ["新增", "错误"]
    problem = model.index(1, model.column_of("问题")).data(DISPLAY)
    assert problem.startswith("【身份证号】")
    assert "校验" in problem
    assert problem.endswith(f"（E列“公民身份号码”：{bad_id}）")
    assert model.index(0, model.column_of("问题")).data(DISPLAY) == ""
    red = model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole)
    assert red.color().red() == 255
    assert red.color().green() < 230
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert "第4行E列" in model.index(1, 3).data(Qt.ItemDataRole.ToolTipRole)
    assert not w.import_button.isEnabled()
    assert "有错误，不能导入" in w.status_label.text()
    w.preview_table.selectRow(1)  # the whole reason, with file and row, under the table
    assert w.detail_label.text().startswith("错误：“bad.xlsx”第4行E列（公民身份号码）【身份证号】")
    w.preview_table.selectRow(0)
    assert w.detail_label.isHidden()

    w.only_problems.setChecked(True)
    assert column_texts(model, "行号") == ["4"]
    w.only_problems.setChecked(False)
    assert model.rowCount() == 2

    # 保存问题清单 writes a sheet the sender can read.
    dest = tmp_path / "问题.xlsx"
    monkeypatch.setattr(messages, "save_file", lambda *a, **k: dest)
    qtbot.mouseClick(w.save_issues_button, LEFT)
    ws = load_workbook(dest).active
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    header_at = next(i for i, r in enumerate(values) if r and r[0] == "文件")
    assert values[header_at][:3] == ["文件", "行", "列"]
    issue = values[header_at + 1]
    assert issue[0] == "bad.xlsx"
    assert issue[1] == 4
    assert issue[2] == "E（公民身份号码）"
    assert issue[4] == bad_id
    assert issue[6] == "错误"
    assert Cadre.select().count() == 0


def test_a_file_that_is_not_a_workbook_is_explained_and_cannot_be_imported(qtbot, units, tmp_path):
    f = tmp_path / "名册.xlsx"
    f.write_bytes(b"PK\x03\x04 this is not really a workbook")
    w = wizard(qtbot, f)
    through_to_preview(qtbot, w)
    assert "名册.xlsx" in w.notes_label.text()
    assert w.notes_label.text().startswith("错误：")
    assert w.preview_model.rowCount() == 0
    assert not w.import_button.isEnabled()


def test_a_missing_path_is_refused_on_the_first_step(qtbot, tmp_path, monkeypatch):
    w = wizard(qtbot, tmp_path / "nowhere.xlsx")
    shown: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, title=None: shown.append(text))
    qtbot.mouseClick(w.next_button, LEFT)
    assert w.page == ImportWizard.SOURCE
    assert shown == [f"找不到文件或文件夹“{tmp_path / 'nowhere.xlsx'}”"]


def test_choose_file_fills_the_path(qtbot, tmp_path, monkeypatch):
    target = tmp_path / "a.xlsx"
    monkeypatch.setattr(messages, "open_file", lambda *a, **k: target)
    w = wizard(qtbot)
    assert not w.next_button.isEnabled()
    qtbot.mouseClick(w.findChild(type(w.next_button), "choose_file_button"), LEFT)
    assert w.path_edit.text() == str(target)
    assert w.next_button.isEnabled()


# --------------------------------------------------------------------------- import


def test_clean_file_imported_from_the_roster_shows_the_new_people(
    qtbot, people, tmp_path, monkeypatch
):
    view = RosterView()
    qtbot.addWidget(view)
    view.show()
    f = roster_sheet(
        tmp_path / "clean.xlsx",
        [
            [1, "吴刚", "男", "1985.04", WU, "市委组织部", "干部科科员", "一级科员"],
            [2, "郑爽", "女", "1991.12", ZHENG, "市委组织部", "干部科科员", "二级科员"],
            [3, "张三", "男", "1975.03", ZHANG, "市委组织部", "改过的职务", "一级调研员"],
        ],
    )
    before = Cadre.select().count()
    qtbot.mouseClick(view.import_button, LEFT)
    w = view.findChild(ImportWizard)
    assert w is not None
    assert w.isVisible()
    w.path_edit.setText(str(f))
    next_to(qtbot, w, ImportWizard.OPTIONS)
    w.duplicate_buttons["skip"].setChecked(True)
    next_to(qtbot, w, ImportWizard.PREVIEW)
    assert w.counts_label.text() == "新增 2，更新 0，跳过 1，错误 0"
    assert w.import_button.isEnabled()
    done: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, title, text: done.append(text))
    qtbot.mouseClick(w.import_button, LEFT)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    assert done == ["导入完成：新增 2，更新 0，跳过 1，错误 0"]
    assert Cadre.select().count() == before + 2
    names = [view.model.row_data(r).name for r in range(view.model.rowCount())]
    assert "吴刚" in names
    assert "郑爽" in names
    zhang = roster.get_cadre(people["张三"])
    assert zhang.post_title == "张三的职务"  # skipped: unchanged


def test_cancel_during_import_leaves_the_database_unchanged(qtbot, units, tmp_path, monkeypatch):
    births = [dt.date(1980, 1, 1) + dt.timedelta(days=n) for n in range(1, 701)]
    names = ["赵钱孙李周吴郑王"[n % 8] + "建国志强海涛"[n % 6] + "明华"[n % 2] for n in range(700)]
    rows = [
        [n, name, "男", f"{b:%Y.%m}", id_number("620402", b, 1, True), "新成立的局", "科员",
         "一级科员"]
        for n, (name, b) in enumerate(zip(names, births, strict=True), start=1)
    ]  # fmt: skip
    f = roster_sheet(tmp_path / "big.xlsx", rows)
    counts = (Cadre.select().count(), Unit.select().count(), ChangeLog.select().count())

    # Hold the worker once writing has started, so 取消 is pressed mid-import.
    writing, release = threading.Event(), threading.Event()
    real = roster_import.import_rows

    def gated(result, **kwargs):  # noqa: ANN001, ANN003, ANN202
        outer = kwargs["progress"]

        def progress(done: int, total: int, text: str = "") -> None:
            outer(done, total, text)
            if text == "正在写入":
                writing.set()
                release.wait(20)

        kwargs["progress"] = progress
        return real(result, **kwargs)

    monkeypatch.setattr(roster_import, "import_rows", gated)
    w = wizard(qtbot, f)
    through_to_preview(qtbot, w)
    assert w.counts_label.text() == "新增 700，更新 0，跳过 0，错误 0"
    qtbot.mouseClick(w.import_button, LEFT)
    qtbot.waitUntil(writing.is_set, timeout=20_000)
    dialog: list[QProgressDialog] = []
    qtbot.waitUntil(
        lambda: bool(dialog.extend(w.findChildren(QProgressDialog, "job_progress")) or dialog),
        timeout=5_000,
    )
    cancel = dialog[0].findChild(QPushButton)
    assert cancel.text() == "取消"
    qtbot.mouseClick(cancel, LEFT)
    release.set()
    qtbot.waitUntil(lambda: w.job is None, timeout=20_000)
    assert w.status_label.text() == "已取消导入，名册没有任何改动。"
    assert (Cadre.select().count(), Unit.select().count(), ChangeLog.select().count()) == counts
    assert w.import_result is None
    assert w.import_button.isEnabled()  # the user may try again


# --------------------------------------------------------------------------- lrmx export


def test_export_lrmx_writes_name_dot_lrmx_that_reads_back(qtbot, people, tmp_path, monkeypatch):
    view = RosterView()
    qtbot.addWidget(view)
    view.show()
    assert view.select_id(people["王芳"])
    asked: list[Path] = []

    def save(_parent, _title, suggested, _filters):  # noqa: ANN001, ANN202
        asked.append(suggested)
        return tmp_path / suggested.name

    monkeypatch.setattr(messages, "save_file", save)
    qtbot.mouseClick(view.lrmx_button, LEFT)
    assert asked[0].name == "王芳.lrmx"
    row = parse_lrmx((tmp_path / "王芳.lrmx").read_bytes(), "王芳.lrmx")
    wang = roster.get_cadre(people["王芳"])
    assert not row.has_errors
    assert row.values["name"] == "王芳"
    assert row.values["id_card"] == wang.id_card
    assert row.values["birth_date"].replace(day=1) == dt.date(1986, 11, 1)


def test_export_lrmx_needs_a_selected_cadre(qtbot, people):
    view = RosterView()
    qtbot.addWidget(view)
    view.search.setText("qqq")
    view.apply_filter()
    assert not view.lrmx_button.isEnabled()
    assert view.export_lrmx() is None


def test_mapping_model_with_no_layout_is_empty(qtmodeltester):
    model = ColumnMappingModel()
    model.set_layout(None, {})
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_export_lrmx_of_a_selection_writes_one_file_each(qtbot, people, tmp_path, monkeypatch):
    view = RosterView()
    qtbot.addWidget(view)
    view.show()
    chosen = ["王芳", "张三"]
    selection = view.table.selectionModel()
    for name in chosen:
        row = view.model.row_of(people[name])
        selection.select(
            view.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    assert sorted(view.selected_ids()) == sorted(people[n] for n in chosen)
    monkeypatch.setattr(messages, "open_folder", lambda *_a: tmp_path)
    shown: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, _title, text: shown.append(text))
    job = view.export_lrmx()
    with qtbot.waitSignal(job.finished, timeout=10000):
        pass
    files = sorted(p.name for p in tmp_path.glob("*.lrmx"))
    assert files == sorted(f"{n}.lrmx" for n in chosen)
    assert "已导出 2 份任免审批表" in shown[0]
    for name in chosen:
        row = parse_lrmx((tmp_path / f"{name}.lrmx").read_bytes(), f"{name}.lrmx")
        assert row.values["id_card"] == roster.get_cadre(people[name]).id_card


def test_preview_lists_the_columns_not_imported(qtbot, units, tmp_path):
    from tests.fixtures.roster_layouts import write_two_row_combined  # lazy: one test uses it

    w = wizard(qtbot, write_two_row_combined(tmp_path))
    next_to(qtbot, w, ImportWizard.MAPPING)  # 任现职级时间 and 家庭住址 are asked about
    next_to(qtbot, w, ImportWizard.OPTIONS)  # ... and left at 忽略（不导入）
    next_to(qtbot, w, ImportWizard.PREVIEW)
    assert w.counts_label.text() == "新增 2，更新 0，跳过 0，错误 0"
    assert w.not_imported_label.isVisible()
    assert w.not_imported_label.text().splitlines() == [
        "未导入的列（4 列，其中的内容不会存入名册）：",
        "“序号”（A列，2 个非空单元格，序号、年龄、照片等列不需导入）",
        "“任现职级时间”（L列，2 个非空单元格，已选择不导入）",
        "“家庭住址”（M列，2 个非空单元格，已选择不导入）",
        "O列（无列名，1 个非空单元格）",
    ]


def test_preview_hides_the_list_when_every_column_is_imported(qtbot, units, tmp_path):
    f = roster_sheet(
        tmp_path / "roster.xlsx",
        [[None, "吴刚", "男", "1985.04", WU, "市委组织部", "科员", "一级科员"]],
    )  # the 序号 column is empty: not listed
    w = wizard(qtbot, f)
    through_to_preview(qtbot, w)
    assert w.counts_label.text() == "新增 1，更新 0，跳过 0，错误 0"
    assert not w.not_imported_label.isVisible(), w.not_imported_label.text()
