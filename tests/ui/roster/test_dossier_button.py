"""一人一档 from the roster: the selected cadre's dossier opens in the preview window with
its pages; the cadres of the list (a unit chosen in the tree) are written one PDF each into
the chosen folder, the message naming how many; a cancelled batch leaves no file."""

from __future__ import annotations

from models.roster import service as roster
from ui import messages


def test_the_selected_cadre_opens_in_the_preview(qtbot, view) -> None:
    view.select_id(view.model.ids[0])  # 张三
    assert view.dossier.button.isEnabled()
    assert view.dossier.selected_action.isEnabled()
    job = view.dossier.print_selected()
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    dialog = view.dossier.host.dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.windowTitle() == "一人一档预览 — 市委组织部_张三_一人一档.pdf"
    assert dialog.preview.document.pageCount() >= 4  # cover, contents, 基本信息, 培训…


def test_the_list_is_written_one_file_each_into_a_folder(qtbot, view, tmp_path, monkeypatch):
    out = tmp_path / "档案"
    out.mkdir()
    unit = next(u for u in view.unit_tree.units if u.name == "乌兰镇")
    view.select_unit(unit.id)
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)  # 王芳, 赵敏
    monkeypatch.setattr(messages, "open_folder", lambda *_a: out)
    shown: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, _title, text: shown.append(text))
    job = view.dossier.print_listed()
    assert job is not None
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    names = sorted(p.name for p in out.iterdir())
    assert names == ["乌兰镇_王芳_一人一档.pdf", "乌兰镇_赵敏_一人一档.pdf"]
    assert shown == [f"已生成 2 名干部的一人一档，保存在 {out}"]


def test_a_cancelled_batch_leaves_no_file(qtbot, view, tmp_path, monkeypatch) -> None:
    out = tmp_path / "档案"
    out.mkdir()
    monkeypatch.setattr(messages, "open_folder", lambda *_a: out)
    job = view.dossier.write_folder(list(view.model.ids))
    assert job is not None
    job.cancel()
    with qtbot.waitSignal(job.finished, timeout=20_000):
        pass
    assert list(out.iterdir()) == []
    assert roster.get_cadre(view.model.ids[0]).name == "张三"
