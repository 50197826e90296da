"""The timetable screen of one class: the week grid coloured by mode, the live 三三制 bar,
drag a session onto another half-day to move it (free half-day) or swap it (taken half-day),
clashes marked as you go, undo / redo, 自动排课 in the background, and a session dialog that
edits a half-day's title, teacher, classroom, site and lock (undoable, clashes shown after
saving).

Every change goes through models.training (move_session, swap_sessions, update_session,
plan_class_timetable); the screen never touches the database itself.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models import training
from models.core.errors import ConflictError, DomainError
from models.training import (
    EditResult,
    RoomDTO,
    SessionDTO,
    SiteDTO,
    TeacherDTO,
    get_class,
    list_rooms,
    list_sites,
    list_teachers,
)
from models.training import planner as tt
from ui import jobs, messages
from ui.common import num, ok_cancel
from ui.training.timetable_grid import (
    Legend,
    SessionDelegate,
    SharesBar,
    SharesChart,
    TimetableModel,
)

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("TimetableView", text)


def _label(day: dt.date, slot: str) -> str:
    return f"{day.month}月{day.day}日{tt.WEEKDAY_NAMES[day.weekday()]}{slot}"


@dataclass(frozen=True)
class SessionEdit:
    """What the session dialog edits; ``teacher_id``/``room_id``/``site_id`` None = none."""

    title: str
    teacher_id: int | None
    room_id: int | None
    site_id: int | None
    locked: bool

    @classmethod
    def of(cls, s: SessionDTO) -> SessionEdit:
        return cls(s.title, s.teacher_id, s.room_id, s.site_id, s.locked)

    def changes(self, before: SessionEdit) -> dict[str, object]:
        """The keyword arguments of update_session for what differs from ``before``."""
        out: dict[str, object] = {}
        if self.title != before.title:
            out["title"] = self.title
        for name in ("teacher_id", "room_id", "site_id"):
            if getattr(self, name) != getattr(before, name):
                out[name] = getattr(self, name)
        if self.locked != before.locked:
            out["locked"] = self.locked
        return out


class SessionDialog(QDialog):
    """What a half-day holds: title, teacher, classroom, field-study site and the lock (kept
    in place when re-planning), with its clashes. A session with attendance, or of a
    finished class, shows its values read-only; only the lock can change."""

    def __init__(
        self,
        session: SessionDTO,
        clashes: Sequence[str],
        parent: QWidget | None = None,
        *,
        blocked: str = "",
        teachers: Sequence[TeacherDTO] = (),
        rooms: Sequence[RoomDTO] = (),
        sites: Sequence[SiteDTO] = (),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("session_dialog")
        self.setWindowTitle(_tr("课表时段"))
        self.session = session
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("字") * 34)
        form = QFormLayout(self)
        form.addRow(_tr("时间："), QLabel(_label(session.day, session.slot)))
        mode = session.mode
        if session.parts > 1:
            mode += _tr("（第 {k} / {n} 个半天）").format(k=session.part, n=session.parts)
        form.addRow(_tr("教学形式："), QLabel(mode))
        form.addRow(_tr("学时："), QLabel(num(session.hours)))
        self.title = QLineEdit(session.title)
        self.title.setObjectName("session_title")
        self.title.setMaxLength(120)
        form.addRow(_tr("内容："), self.title)
        self.teacher = self._combo("session_teacher", _tr("（无）"))
        for t in teachers:
            self.teacher.addItem(f"{t.name}（{t.kind}）", t.id)
        self._pick(self.teacher, session.teacher_id, session.teacher_name)
        form.addRow(_tr("授课教师："), self.teacher)
        self.room = self._combo("session_room", _tr("（无）"))
        for r in rooms:
            self.room.addItem(_tr("{name}（{n} 人）").format(name=r.name, n=r.capacity), r.id)
        self._pick(self.room, session.room_id, session.room_name)
        form.addRow(_tr("教室："), self.room)
        self.site = self._combo("session_site", _tr("（无）"))
        for s in sites:
            self.site.addItem(s.name, s.id)
        self._pick(self.site, session.site_id, session.site_name)
        form.addRow(_tr("现场教学点："), self.site)
        if clashes:
            text = QLabel("\n".join(clashes))
            text.setObjectName("session_clashes")
            text.setWordWrap(True)
            text.setStyleSheet("color:#dc2626;")
            form.addRow(_tr("冲突："), text)
        if blocked:
            note = QLabel(blocked + _tr("；只能设置锁定。"))
            note.setObjectName("session_blocked")
            note.setWordWrap(True)
            note.setStyleSheet("color:#92400e;")
            form.addRow(note)
            for w in (self.title, self.teacher, self.room, self.site):
                w.setEnabled(False)
        else:
            hint = QLabel(_tr("未锁定的时段在“自动排课”时按课程库重新安排；修改后建议锁定。"))
            hint.setWordWrap(True)
            hint.setStyleSheet("color:#6b7280;")
            form.addRow(hint)
        self.locked = QCheckBox(_tr("锁定（重新排课时保留在此时段）"))
        self.locked.setObjectName("session_locked")
        self.locked.setChecked(session.locked)
        form.addRow(self.locked)
        form.addRow(ok_cancel(self))

    @staticmethod
    def _combo(name: str, none_text: str) -> QComboBox:
        box = QComboBox()
        box.setObjectName(name)
        box.addItem(none_text, None)
        return box

    @staticmethod
    def _pick(box: QComboBox, value: int | None, name: str) -> None:
        if value is not None and box.findData(value) < 0:
            box.addItem(name, value)  # a resource no longer listed: keep showing it
        box.setCurrentIndex(max(box.findData(value), 0) if value is not None else 0)

    def value(self) -> SessionEdit:
        return SessionEdit(
            self.title.text().strip(),
            self.teacher.currentData(),
            self.room.currentData(),
            self.site.currentData(),
            self.locked.isChecked(),
        )

    @classmethod
    def ask(
        cls, session: SessionDTO, clashes: Sequence[str], parent: QWidget | None = None
    ) -> SessionEdit | None:
        """The values chosen, or None when cancelled."""
        dlg = cls(
            session,
            clashes,
            parent,
            blocked=training.session_edit_block(session.id),
            teachers=list_teachers(),
            rooms=list_rooms(),
            sites=list_sites(),
        )
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        return dlg.value()


class _MoveCommand(QUndoCommand):
    """A session moved from one free half-day to another (already done when pushed)."""

    def __init__(
        self,
        view: TimetableView,
        session_id: int,
        old: tuple[dt.date, str],
        new: tuple[dt.date, str],
        text: str,
    ) -> None:
        super().__init__(text)
        self._view, self._id, self._old, self._new = view, session_id, old, new
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False  # the first redo() runs on push: the move is already stored
            return
        self._view._apply(lambda: self._view.move(self._id, *self._new))

    def undo(self) -> None:
        self._view._apply(lambda: self._view.move(self._id, *self._old))


class _SwapCommand(QUndoCommand):
    """Two sessions exchanged their half-days; undo exchanges them back."""

    def __init__(self, view: TimetableView, a: int, b: int, text: str) -> None:
        super().__init__(text)
        self._view, self._a, self._b = view, a, b
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._view._apply(lambda: self._view.swap(self._a, self._b))

    def undo(self) -> None:
        self._view._apply(lambda: self._view.swap(self._a, self._b))


class _EditCommand(QUndoCommand):
    """A session's title / teacher / room / site / lock changed; undo puts the old back."""

    def __init__(
        self, view: TimetableView, session_id: int, old: SessionEdit, new: SessionEdit, text: str
    ) -> None:
        super().__init__(text)
        self._view, self._id, self._old, self._new = view, session_id, old, new
        self._done = True

    def _set(self, target: SessionEdit, current: SessionEdit) -> EditResult:
        version = self._view.version_of(self._id)
        return training.update_session(
            self._id,
            **target.changes(current),  # type: ignore[arg-type]
            expected_version=version,
        )

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._view._apply(lambda: self._set(self._new, self._old))

    def undo(self) -> None:
        self._view._apply(lambda: self._set(self._old, self._new))


class TimetableView(QWidget):
    """The timetable of the class given to :meth:`set_class`."""

    timetableChanged = Signal()  # after a move, swap, plan or lock

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timetable_view")
        self.class_id: int | None = None
        self.undo_stack = QUndoStack(self)
        self.model = TimetableModel(self)
        self.model.dropRequested.connect(self._on_drop)

        self.plan_button = QPushButton(_tr("自动排课"))
        self.plan_button.setObjectName("plan_button")
        self.plan_button.setToolTip(
            _tr("按三三制比例重新排课：锁定或已有考勤的时段保留，其余时段重新安排")
        )
        self.plan_button.clicked.connect(self.plan)
        self.edit_button = QPushButton(_tr("编辑时段…"))
        self.edit_button.setObjectName("edit_session_button")
        self.edit_button.clicked.connect(self.edit_current)
        self.undo_action = self.undo_stack.createUndoAction(self, _tr("撤销"))
        self.undo_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        self.redo_action = self.undo_stack.createRedoAction(self, _tr("重做"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        undo_button, redo_button = QToolButton(), QToolButton()
        undo_button.setDefaultAction(self.undo_action)
        redo_button.setDefaultAction(self.redo_action)
        self.clash_label = QLabel()
        self.clash_label.setObjectName("clash_label")

        top = QHBoxLayout()
        top.addWidget(self.plan_button)
        top.addWidget(self.edit_button)
        top.addWidget(undo_button)
        top.addWidget(redo_button)
        top.addSpacing(12)
        top.addWidget(self.clash_label, 1)
        top.addWidget(QLabel(_tr("拖动一节课到空白时段即移动，拖到另一节课上即交换")))

        self.table = QTableView()
        self.table.setObjectName("timetable_table")
        self.table.setModel(self.model)
        self.table.setItemDelegate(SessionDelegate(self.table))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setDragEnabled(True)
        self.table.setAcceptDrops(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.table.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.table.setDropIndicatorShown(True)
        self.table.setDragDropOverwriteMode(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        rows = self.table.verticalHeader()
        rows.setMinimumSectionSize(self.fontMetrics().lineSpacing() * 4 + 14)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _index: self.edit_current())

        self.shares = SharesBar()
        self.shares_chart = SharesChart()  # beside the grid while its button is pressed
        top.addWidget(self.shares_chart.button)
        # what the last 自动排课 decided: repeats, 自学/机动 half-days, courses left out
        self.notes_label = QLabel()
        self.notes_label.setObjectName("plan_notes")
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notes_label.setStyleSheet(
            "background:#fffbeb; border:1px solid #f59e0b; padding:4px; color:#78350f;"
        )
        self.notes_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(Legend())
        grid = QHBoxLayout()
        grid.addWidget(self.table, 1)
        grid.addWidget(self.shares_chart)
        layout.addLayout(grid, 1)
        layout.addWidget(self.shares)
        layout.addWidget(self.notes_label)

    # -- loading --------------------------------------------------------------------------

    def set_class(self, class_id: int | None) -> None:
        """Show ``class_id``'s timetable; the undo history belongs to one class."""
        if class_id != self.class_id:
            self.undo_stack.clear()
        self.class_id = class_id
        self.reload()

    def reload(self, clashes: Sequence[tt.Clash] | None = None) -> None:
        if self.class_id is None:
            self.model.set_timetable(None, [])
            self.model.set_clashes([])
            self.shares.set_shares([])
            self.shares_chart.set_shares([])
            self._show_notes(())
            self.clash_label.setText("")
            self.setEnabled(False)
            return
        self.setEnabled(True)
        cls = get_class(self.class_id)
        self.model.set_timetable(
            cls, training.list_sessions(self.class_id), training.class_settings(self.class_id)
        )
        found = training.class_clashes(self.class_id) if clashes is None else clashes
        self.model.set_clashes(found)
        shares = training.class_shares(self.class_id)
        self.shares.set_shares(shares)
        self.shares_chart.set_shares(shares)
        self._show_notes(training.plan_notes(self.class_id))
        if found:
            self.clash_label.setText(_tr("有 {n} 处冲突，已用红框标出").format(n=len(found)))
            self.clash_label.setStyleSheet("color:#dc2626; font-weight:bold;")
        else:
            self.clash_label.setText(_tr("没有冲突"))
            self.clash_label.setStyleSheet("color:#15803d;")
        editable = cls.status != "已结业"
        self.plan_button.setEnabled(editable)
        self.table.setDragEnabled(editable)

    def _show_notes(self, notes: Sequence[str]) -> None:
        self.notes_label.setText(
            _tr("排课说明：") + "\n" + "\n".join(f"· {n}" for n in notes) if notes else ""
        )
        self.notes_label.setVisible(bool(notes))

    # -- moving ---------------------------------------------------------------------------

    @Slot(int, object, str)
    def _on_drop(self, session_id: int, day: dt.date, slot: str) -> None:
        # after the view has finished its drop handling: the move resets the model
        QTimer.singleShot(0, lambda: self.move_session_to(session_id, day, slot))

    def version_of(self, session_id: int) -> int | None:
        """The version of the session as this screen shows it (what an edit carries)."""
        s = self.model.session_by_id(session_id)
        return s.version if s is not None else None

    def move(self, session_id: int, day: dt.date, slot: str) -> EditResult:
        """move_session, carrying the version shown."""
        version = self.version_of(session_id)
        return training.move_session(session_id, day, slot, expected_version=version)

    def swap(self, a: int, b: int) -> EditResult:
        """swap_sessions, carrying the versions shown."""
        versions = (self.version_of(a), self.version_of(b))
        return training.swap_sessions(a, b, expected_versions=versions)

    def _conflict(self, error: ConflictError) -> None:
        """Someone else changed the timetable meanwhile: say who and when, show what is
        stored now, and drop the undo history (its steps were made on what was shown)."""
        messages.conflict(self, str(error))
        self.undo_stack.clear()
        self.reload()
        self.timetableChanged.emit()

    def move_session_to(self, session_id: int, day: dt.date, slot: str) -> bool:
        """What a drop does: move to a free half-day, or swap with the session there.
        Stored at once; undoable; the clashes it causes are marked. False if refused."""
        session = self.model.session_by_id(session_id)
        if session is None or (session.day, session.slot) == (day, slot):
            return False
        other = self.model.session_at(day, slot)
        try:
            if other is None:
                result = self.move(session_id, day, slot)
                command: QUndoCommand = _MoveCommand(
                    self,
                    session_id,
                    (session.day, session.slot),
                    (day, slot),
                    _tr("移动《{t}》到{to}").format(t=session.title, to=_label(day, slot)),
                )
            else:
                result = self.swap(session_id, other.id)
                command = _SwapCommand(
                    self,
                    session_id,
                    other.id,
                    _tr("交换《{a}》与《{b}》").format(a=session.title, b=other.title),
                )
        except ConflictError as e:
            self._conflict(e)
            return False
        except DomainError as e:
            messages.error(self, str(e), _tr("不能调整课表"))
            return False
        self.undo_stack.push(command)
        self._after(result)
        return True

    def _apply(self, change: Callable[[], EditResult]) -> None:
        """Run an undo/redo step; when it is refused, say why and show what is stored."""
        try:
            result = change()
        except ConflictError as e:
            # after the undo stack's own bookkeeping, which clearing it now would confuse
            error = e
            QTimer.singleShot(0, self, lambda: self._conflict(error))
            return
        except DomainError as e:
            messages.error(self, str(e), _tr("不能撤销或重做"))
            self.reload()
            return
        self._after(result)

    def _after(self, result: EditResult) -> None:
        self.reload(result.clashes)
        moved = result.sessions[0] if result.sessions else None
        if moved is not None:
            index = self.model.index_of(moved.day, moved.slot)
            if index.isValid():
                self.table.setCurrentIndex(index)
        self.timetableChanged.emit()

    # -- session dialog -------------------------------------------------------------------

    def current_session(self) -> SessionDTO | None:
        index = self.table.currentIndex()
        key = self.model.key_at(index.row(), index.column()) if index.isValid() else None
        return self.model.session_at(*key) if key else None

    def select(self, day: dt.date, slot: str) -> None:
        self.table.setCurrentIndex(self.model.index_of(day, slot))

    @Slot()
    def edit_current(self) -> bool:
        """The session dialog for the current half-day; the change is stored at once,
        undoable, and the clashes of that half-day are shown. False if nothing changed."""
        s = self.current_session()
        if s is None:
            return False
        before = SessionEdit.of(s)
        after = SessionDialog.ask(s, self.model.clashes_at(s.day, s.slot), self)
        if after is None or after == before:
            return False
        try:
            result = training.update_session(
                s.id,
                **after.changes(before),  # type: ignore[arg-type]
                expected_version=s.version,
            )
        except ConflictError as e:
            self._conflict(e)
            return False
        except DomainError as e:
            messages.error(self, str(e), _tr("不能修改课表时段"))
            return False
        self.undo_stack.push(
            _EditCommand(self, s.id, before, after, _tr("修改《{t}》").format(t=s.title))
        )
        self._after(result)
        here = [c for c in result.clashes if (c.day, c.slot) == (s.day, s.slot)]
        if here:
            messages.error(
                self,
                _tr("已保存，但{when}有 {n} 处冲突（已用红框标出）：\n{lines}").format(
                    when=_label(s.day, s.slot),
                    n=len(here),
                    lines="\n".join(f"· {c.kind}：{c.message}" for c in here),
                ),
                _tr("课表冲突"),
            )
        return True

    # -- planning -------------------------------------------------------------------------

    @Slot()
    def plan(self) -> jobs.Job | None:
        """自动排课 in the background; a PlanningError is shown with the rule that blocks."""
        if self.class_id is None:
            return None
        question = _tr("重新排课将替换未锁定且没有考勤的时段，可能改变已安排的课程。继续吗？")
        if training.list_sessions(self.class_id) and not messages.ask_yes_no(
            self, _tr("自动排课"), question
        ):
            return None
        class_id = self.class_id
        self.plan_button.setEnabled(False)

        def run(progress: object, cancelled: object) -> training.PlanResult | ConflictError:
            try:
                return training.plan_class_timetable(class_id)
            except ConflictError as e:  # shown on the GUI thread, with the data re-read
                return e

        def done(result: training.PlanResult | ConflictError) -> None:
            if isinstance(result, ConflictError):
                self._conflict(result)
                return
            self.undo_stack.clear()  # the sessions were replaced: old moves no longer apply
            self.reload()
            self.timetableChanged.emit()

        job = jobs.runner().run(run, title=_tr("自动排课"), parent_widget=self, on_success=done)
        job.finished.connect(lambda: self.plan_button.setEnabled(self.class_id is not None))
        return job

    def index_for(self, day: dt.date, slot: str) -> QModelIndex:
        return self.model.index_of(day, slot)
