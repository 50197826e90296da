"""The 报名 dialog's search box: the roster's own name search (name, pinyin initials such as
"zs", or full pinyin), applied as the user types, together with the unit and level filters."""

from __future__ import annotations

from ui.training.trainees_view import EnrolDialog


def names(dlg: EnrolDialog) -> list[str]:
    return sorted(dlg.model.text(r, 0) for r in range(dlg.model.rowCount()))


def shows(qtbot, dlg: EnrolDialog, text: str, expected: list[str]) -> None:  # noqa: ANN001
    """Type ``text``; the list comes to show ``expected`` without pressing 查找."""
    dlg.text.setText(text)
    qtbot.waitUntil(lambda: names(dlg) == sorted(expected), timeout=5_000)


def test_search_by_initials_full_pinyin_and_name(qtbot, people, units) -> None:
    dlg = EnrolDialog()
    qtbot.addWidget(dlg)
    dlg.search()
    assert len(names(dlg)) == 5  # 在职 only
    shows(qtbot, dlg, "zs", ["张三"])  # 张珊珊 (zss) is retired
    shows(qtbot, dlg, "zhangsan", ["张三"])
    shows(qtbot, dlg, "z", ["张三", "赵敏", "周志强"])
    shows(qtbot, dlg, "王", ["王芳"])
    shows(qtbot, dlg, "qq", [])
    assert dlg.count.text() == "找到 0 名在职干部"
    dlg.unit.setCurrentIndex(dlg.unit.findData(units["town"]))  # with the unit filter too
    shows(qtbot, dlg, "z", ["赵敏"])
    shows(qtbot, dlg, "", ["王芳", "赵敏"])


def test_enrol_all_found_by_a_search_takes_exactly_those(qtbot, people) -> None:
    dlg = EnrolDialog()
    qtbot.addWidget(dlg)
    shows(qtbot, dlg, "z", ["张三", "赵敏", "周志强"])
    dlg.take_all()
    assert sorted(dlg.request.cadre_ids) == sorted(people[n] for n in ("张三", "赵敏", "周志强"))
    assert not dlg.request.by_filter
