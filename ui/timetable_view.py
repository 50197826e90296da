"""The timetable screen of one class: the week grid coloured by mode, the live 三三制 bar,
drag a session onto another half-day to move it (free half-day) or swap it (taken half-day),
clashes marked as you go, undo / redo, 自动排课 in the background, and a session dialog.

Every change goes through models.training_timetable (move_session, swap_sessions,
set_session_locked, plan_class_timetable); the screen never touches the database itself.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from models import timetable as tt
from models import training_timetable as svc
from models.errors import DomainError
from models.training_service import get_class
from models.training_timetable import EditResult, SessionDTO
from ui import jobs, messages
from ui.timetable_grid import Legend, SessionDelegate, SharesBar, TimetableModel
from ui.training_models import num

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("TimetableView", text)


def _label(day: dt.date, slot: str) -> str:
    return f"{day.month}月{day.day}日{tt.WEEKDAY_NAMES[day.weekday()]}{slot}"


class SessionDialog(QDialog):
    """What a half-day holds, its clashes, and the lock (kept in place when re-planning)."""

    def __init__(
        self, session: SessionDTO, clashes: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("session_dialog")
        self.setWindowTitle(_tr("课表时段"))
        form = QFormLayout(self)
        form.addRow(_tr("时间："), QLabel(_label(session.day, session.slot)))
        form.addRow(_tr("教学形式："), QLabel(session.mode))
        title = QLabel(session.title)
        title.setWordWrap(True)
        form.addRow(_tr("内容："), title)
        if session.parts > 1:
            form.addRow(_tr("课次："), QLabel(f"第 {session.part} / {session.parts} 个半天"))
        form.addRow(_tr("授课教师："), QLabel(session.teacher_name or "—"))
        form.addRow(_tr("教室："), QLabel(session.room_name or "—"))
        form.addRow(_tr("现场教学点："), QLabel(session.site_name or "—"))
        form.addRow(_tr("学时："), QLabel(num(session.hours)))
        if clashes:
            text = QLabel("\n".join(clashes))
            text.setWordWrap(True)
            text.setStyleSheet("color:#dc2626;")
            form.addRow(_tr("冲突："), text)
        self.locked = QCheckBox(_tr("锁定（重新排课时保留在此时段）"))
        self.locked.setObjectName("session_locked")
        self.locked.setChecked(session.locked)
        form.addRow(self.locked)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    @classmethod
    def ask(
        cls, session: SessionDTO, clashes: Sequence[str], parent: QWidget | None = None
    ) -> bool | None:
        """The lock state chosen, or None when cancelled."""
        dlg = cls(session, clashes, parent)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return None
        return dlg.locked.isChecked()


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
        self._view._apply(lambda: svc.move_session(self._id, *self._new))

    def undo(self) -> None:
        self._view._apply(lambda: svc.move_session(self._id, *self._old))


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
        self._view._apply(lambda: svc.swap_sessions(self._a, self._b))

    def undo(self) -> None:
        self._view._apply(lambda: svc.swap_sessions(self._a, self._b))


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
        self.edit_button = QPushButton(_tr("时段详情/锁定…"))
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(top)
        layout.addWidget(Legend())
        layout.addWidget(self.table, 1)
        layout.addWidget(self.shares)

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
            self.clash_label.setText("")
            self.setEnabled(False)
            return
        self.setEnabled(True)
        cls = get_class(self.class_id)
        self.model.set_timetable(cls, svc.list_sessions(self.class_id))
        found = svc.class_clashes(self.class_id) if clashes is None else clashes
        self.model.set_clashes(found)
        self.shares.set_shares(svc.class_shares(self.class_id))
        if found:
            self.clash_label.setText(_tr("有 {n} 处冲突，已用红框标出").format(n=len(found)))
            self.clash_label.setStyleSheet("color:#dc2626; font-weight:bold;")
        else:
            self.clash_label.setText(_tr("没有冲突"))
            self.clash_label.setStyleSheet("color:#15803d;")
        editable = cls.status != "已结业"
        self.plan_button.setEnabled(editable)
        self.table.setDragEnabled(editable)

    # -- moving ---------------------------------------------------------------------------

    @Slot(int, object, str)
    def _on_drop(self, session_id: int, day: dt.date, slot: str) -> None:
        # after the view has finished its drop handling: the move resets the model
        QTimer.singleShot(0, lambda: self.move_session_to(session_id, day, slot))

    def move_session_to(self, session_id: int, day: dt.date, slot: str) -> bool:
        """What a drop does: move to a free half-day, or swap with the session there.
        Stored at once; undoable; the clashes it causes are marked. False if refused."""
        session = self.model.session_by_id(session_id)
        if session is None or (session.day, session.slot) == (day, slot):
            return False
        other = self.model.session_at(day, slot)
        try:
            if other is None:
                result = svc.move_session(session_id, day, slot)
                command: QUndoCommand = _MoveCommand(
                    self,
                    session_id,
                    (session.day, session.slot),
                    (day, slot),
                    _tr("移动《{t}》到{to}").format(t=session.title, to=_label(day, slot)),
                )
            else:
                result = svc.swap_sessions(session_id, other.id)
                command = _SwapCommand(
                    self,
                    session_id,
                    other.id,
                    _tr("交换《{a}》与《{b}》").format(a=session.title, b=other.title),
                )
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
    def edit_current(self) -> None:
        s = self.current_session()
        if s is None:
            return
        locked = SessionDialog.ask(s, self.model.clashes_at(s.day, s.slot), self)
        if locked is None or locked == s.locked:
            return
        try:
            svc.set_session_locked(s.id, locked)
        except DomainError as e:
            messages.error(self, str(e))
            return
        self.reload()
        self.select(s.day, s.slot)
        self.timetableChanged.emit()

    # -- planning -------------------------------------------------------------------------

    @Slot()
    def plan(self) -> jobs.Job | None:
        """自动排课 in the background; a PlanningError is shown with the rule that blocks."""
        if self.class_id is None:
            return None
        question = _tr("重新排课将替换未锁定且没有考勤的时段，可能改变已安排的课程。继续吗？")
        if svc.list_sessions(self.class_id) and not messages.ask_yes_no(
            self, _tr("自动排课"), question
        ):
            return None
        class_id = self.class_id
        self.plan_button.setEnabled(False)

        def run(progress: object, cancelled: object) -> svc.PlanResult:
            return svc.plan_class_timetable(class_id)

        def done(result: svc.PlanResult) -> None:
            self.undo_stack.clear()  # the sessions were replaced: old moves no longer apply
            self.reload()
            self.timetableChanged.emit()

        job = jobs.runner().run(run, title=_tr("自动排课"), parent_widget=self, on_success=done)
        job.finished.connect(lambda: self.plan_button.setEnabled(self.class_id is not None))
        return job

    def index_for(self, day: dt.date, slot: str) -> QModelIndex:
        return self.model.index_of(day, slot)
