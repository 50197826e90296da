"""The 培训资源 section's editing (issue #18: it had no test): a teacher added through the
form is listed and stored; a room edited keeps its id and shows the new capacity; an empty
name is refused in the form, which stays open with the reason; a room still used by a class
is refused on delete with the service's reason, and one no class uses is deleted."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from models import training

# the shared demo-database fixtures (tests/ui/training/support.py)
from tests.ui.training import support as training_support
from ui import messages
from ui.training import resources_view as rv

demo_template = training_support.demo_template
demo_db = training_support.demo_db


@pytest.fixture
def view(qtbot, demo_db):  # noqa: ANN001, ANN201
    v = rv.ResourcesView()
    qtbot.addWidget(v)
    return v


def _fill_and_save(monkeypatch, fill) -> list[Any]:  # noqa: ANN001
    """The next form is filled by ``fill(widgets)`` and saved (its 保存 pressed)."""
    seen: list[Any] = []

    def exec_(dlg: rv.FormDialog) -> int:
        fill(dlg.widgets)
        box = dlg.findChild(QDialogButtonBox)
        box.button(QDialogButtonBox.StandardButton.Save).click()
        seen.append(dlg)
        return dlg.result()

    monkeypatch.setattr(rv.FormDialog, "exec", exec_)
    return seen


def _names(lst: rv.ResourceList, col: int = 0) -> list[str]:
    return [lst.model.text(r, col) for r in range(lst.model.rowCount())]


def test_teacher_added_room_edited_and_an_empty_name_refused(view, monkeypatch) -> None:
    before = len(training.list_teachers())

    def teacher(w) -> None:  # noqa: ANN001
        w["姓名"].setText("孙立新")
        w["单位及职务"].setText("市委党校教授")
        w["电话"].setText("0943-8220001")

    _fill_and_save(monkeypatch, teacher)
    view.teachers.add()
    assert "孙立新" in _names(view.teachers)
    stored = next(t for t in training.list_teachers() if t.name == "孙立新")
    assert (stored.unit_title, stored.phone) == ("市委党校教授", "0943-8220001")
    assert len(training.list_teachers()) == before + 1

    view.rooms.table.selectRow(0)
    room = view.rooms.current()

    def bigger(w) -> None:  # noqa: ANN001
        w["容纳人数"].setValue(room.capacity + 10)

    _fill_and_save(monkeypatch, bigger)
    view.rooms.edit()
    again = next(r for r in training.list_rooms() if r.id == room.id)
    assert again.capacity == room.capacity + 10
    assert str(room.capacity + 10) in _names(view.rooms, 1)

    seen = _fill_and_save(monkeypatch, lambda w: w["名称"].setText("  "))
    view.rooms.add()
    assert seen[0].result() != QDialog.DialogCode.Accepted
    assert seen[0].error.isVisibleTo(seen[0])
    assert "名称" in seen[0].error.text()
    assert len(training.list_rooms()) == view.rooms.model.rowCount()


def test_delete_refused_while_used_and_done_when_not(view, monkeypatch) -> None:
    monkeypatch.setattr(messages, "ask_yes_no", lambda *_a: True)
    errors: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _p, text, _t=None: errors.append(text))
    used = {s.room_id for c in training.list_classes() for s in training.list_sessions(c.id)}
    rooms = training.list_rooms()
    busy = next(r for r in rooms if r.id in used)
    view.rooms.table.selectRow([r.id for r in view.rooms.model.rows].index(busy.id))
    view.rooms.delete()
    assert errors
    assert busy.name in errors[0]
    assert any(r.id == busy.id for r in training.list_rooms())
    free = training.save_room("临时会议室", 20)
    view.rooms.reload()
    view.rooms.table.selectRow([r.id for r in view.rooms.model.rows].index(free.id))
    view.rooms.delete()
    assert all(r.id != free.id for r in training.list_rooms())
    assert "临时会议室" not in _names(view.rooms)
