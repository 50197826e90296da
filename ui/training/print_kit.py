"""The printed kit of the 培训班 and 学时 sections: 课程表, 签到表, 学员名册, 结业证书 and
学时证明 built in the background and shown in a preview window (打印 / 保存 / 用系统查看器打开);
课程表, 签到表 and 学员名册 also exported as Excel.

The report functions write to a path (atomically); the preview wants bytes, so each PDF is
written into a private temporary folder, read back and the folder removed
(:func:`render_to_bytes`). All generation runs on the single job worker (reportlab is not
thread-safe, SQLite has one writer): data are gathered there too, never in a slot.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QMenu,
    QPushButton,
    QWidget,
)

from models.core.errors import DomainError
from models.core.progress import IsCancelled, Progress
from models.training import ClassDTO, SessionDTO
from models.training import print_data as tp
from reports.common.files import safe_part
from reports.training import KitResult
from reports.training import certificates as tc
from reports.training import kit as tk
from reports.training import kit_xlsx as tx
from ui import jobs, messages, settings
from ui.common import export_file
from ui.common.preview_window import PdfOutput, PreviewDialog, PreviewHost

log = logging.getLogger(__name__)

FINISHED = "已结业"


def _tr(text: str) -> str:
    return QCoreApplication.translate("TrainingPrint", text)


# ============================================================================ worker side


def render_to_bytes(write: Callable[[Path], KitResult], name: str = "kit.pdf") -> PdfOutput:
    """Call ``write(path)`` on a path in a fresh temporary folder, return the bytes written;
    the folder and the file are removed whatever happens."""
    with tempfile.TemporaryDirectory(prefix="cadredesk-print-") as folder:
        path = Path(folder) / name
        result = write(path)
        return PdfOutput(path.read_bytes(), result)


def timetable_pdf(
    class_id: int, *, progress: Progress | None = None, cancelled: IsCancelled | None = None
) -> PdfOutput:
    """课程表 of a class as bytes."""
    return render_to_bytes(lambda p: tk.print_timetable(class_id, p, progress, cancelled))


def signin_pdf(
    class_id: int,
    session_id: int | None = None,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> PdfOutput:
    """签到表 of every session of a class, or of ``session_id`` only, as bytes."""
    return render_to_bytes(lambda p: tk.print_signin(class_id, p, session_id, progress, cancelled))


def roster_pdf(
    class_id: int, *, progress: Progress | None = None, cancelled: IsCancelled | None = None
) -> PdfOutput:
    """学员名册 of a class as bytes."""
    return render_to_bytes(lambda p: tk.print_roster(class_id, p, progress, cancelled))


def certificates_pdf(
    class_id: int,
    first_serial: int,
    prefix: str,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> PdfOutput:
    """结业证书 of a finished class as bytes (the service refuses other classes)."""
    return render_to_bytes(
        lambda p: tc.print_certificates(
            class_id, p, first_serial, prefix=prefix, progress=progress, cancelled=cancelled
        )
    )


def class_file_output(
    class_id: int, *, progress: Progress | None = None, cancelled: IsCancelled | None = None
) -> PdfOutput:
    """一班一档 of a class as bytes: plan, 课程表, 名册, 签到表, 考勤与学时, 证书名单."""
    from reports.dossiers import class_file_pdf  # lazy: loaded with the first 一班一档

    data, pages = class_file_pdf(class_id, progress=progress, cancelled=cancelled)
    return PdfOutput(data, KitResult(pages, 1, ()))


def hours_certificate_pdf(
    cadre_id: int,
    year: int,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> PdfOutput:
    """学时证明 of one cadre for one year as bytes (one short document: no progress)."""
    del progress, cancelled  # print_hours_certificate takes neither
    return render_to_bytes(lambda p: tc.print_hours_certificate(cadre_id, year, p))


#: kind → (label, gather data for a class id, write the sheet)
XLSX_KINDS: dict[str, tuple[str, Callable[[int], Any], Callable[..., int]]] = {
    "timetable": ("课程表", tp.timetable_print_data, tx.timetable_xlsx),
    "signin": ("签到表", tp.signin_data, tx.signin_xlsx),
    "roster": ("学员名册", tp.roster_print_data, tx.roster_xlsx),
}


def export_xlsx(
    kind: str,
    class_id: int,
    dest: Path,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> int:
    """Write the class's 课程表 / 签到表 / 学员名册 (``kind``) to ``dest``; returns the rows."""
    _label, gather, write = XLSX_KINDS[kind]
    return write(gather(class_id), dest, progress, cancelled)


# ============================================================================ 培训班 menu


class ClassPrinter(QObject):
    """The 打印 button of the 培训班 section and what its menu does for the current class.

    ``current_class`` and ``current_session`` read the screen's selection (the class in the
    list, the session chosen in the 考勤 tab) when an action is taken."""

    def __init__(
        self,
        parent_widget: QWidget,
        current_class: Callable[[], ClassDTO | None],
        current_session: Callable[[], SessionDTO | None],
    ) -> None:
        super().__init__(parent_widget)
        self.parent_widget = parent_widget
        self.current_class = current_class
        self.current_session = current_session
        self.host = PreviewHost(parent_widget)
        self.job: jobs.Job | None = None

        menu = QMenu(parent_widget)
        menu.setObjectName("class_print_menu")
        menu.setToolTipsVisible(True)

        def action(name: str, text: str, slot: Callable[[], object], to: QMenu = menu) -> QAction:
            a = to.addAction(text)
            a.setObjectName(name)
            a.triggered.connect(lambda _checked=False: slot())
            return a

        self.timetable_action = action("print_timetable", _tr("课程表…"), self.preview_timetable)
        self.signin_all_action = action(
            "print_signin_all", _tr("签到表（全部时段）…"), lambda: self.preview_signin(False)
        )
        self.signin_one_action = action(
            "print_signin_one", _tr("签到表（考勤中选定的时段）…"),
            lambda: self.preview_signin(True),
        )  # fmt: skip
        self.roster_action = action("print_roster", _tr("学员名册…"), self.preview_roster)
        self.certificates_action = action(
            "print_certificates", _tr("结业证书…"), self.preview_certificates
        )
        self.class_file_action = action(
            "print_class_file", _tr("一班一档（全套合成一个 PDF）…"), self.preview_class_file
        )
        self.class_file_action.setToolTip(
            _tr("班次概况、课程表、学员名册、签到表、考勤汇总与学时、结业证书名单，带书签")
        )
        menu.addSeparator()
        xlsx_menu = menu.addMenu(_tr("导出 Excel"))
        xlsx_menu.setObjectName("class_xlsx_menu")
        self.xlsx_actions = {
            kind: action(f"xlsx_{kind}", _tr(label) + "…", lambda k=kind: self.export(k), xlsx_menu)
            for kind, (label, _g, _w) in XLSX_KINDS.items()
        }
        menu.aboutToShow.connect(self.update_actions)
        self.menu = menu

        self.button = QPushButton(_tr("打印"), parent_widget)
        self.button.setObjectName("class_print_button")
        self.button.setToolTip(
            _tr("课程表、签到表、学员名册、结业证书、一班一档：预览后打印或保存")
        )
        self.button.setMenu(menu)  # a click opens the menu
        self.update_actions()

    @property
    def dialog(self) -> PreviewDialog | None:
        return self.host.dialog

    @Slot()
    def update_actions(self) -> None:
        c = self.current_class()
        has = c is not None
        self.button.setEnabled(has)
        for a in (self.timetable_action, self.signin_all_action, self.roster_action,
                  self.class_file_action, *self.xlsx_actions.values()):  # fmt: skip
            a.setEnabled(has)
        s = self.current_session() if has else None
        self.signin_one_action.setEnabled(s is not None)
        if s is not None:
            self.signin_one_action.setText(
                _tr("签到表（{day} {slot}《{title}》）…").format(
                    day=s.day.isoformat(), slot=s.slot, title=s.title
                )
            )
        else:
            self.signin_one_action.setText(_tr("签到表（考勤中选定的时段）…"))
        finished = c is not None and c.status == FINISHED
        self.certificates_action.setEnabled(finished)
        self.certificates_action.setToolTip("" if finished else _tr("班次结业后才能打印结业证书"))

    # -- previews ---------------------------------------------------------------------------

    def _run(self, fn: Callable[..., PdfOutput], *args: Any, what: str, stem: str) -> jobs.Job:
        self.job = self.host.run(fn, *args, what=what, file_stem=stem)
        return self.job

    @Slot()
    def preview_timetable(self) -> jobs.Job | None:
        c = self.current_class()
        if c is None:
            return None
        return self._run(timetable_pdf, c.id, what=_tr("课程表"), stem=f"{c.name}课程表")

    def preview_signin(self, session_only: bool = False) -> jobs.Job | None:
        """签到表 of all sessions, or of the session chosen in the 考勤 tab."""
        c = self.current_class()
        if c is None:
            return None
        if not session_only:
            return self._run(signin_pdf, c.id, what=_tr("签到表"), stem=f"{c.name}签到表")
        s = self.current_session()
        if s is None:
            messages.error(
                self.parent_widget,
                _tr("班次《{name}》还没有选定时段：请先在“考勤与结业”中选择时段").format(
                    name=c.name
                ),
                _tr("打印签到表"),
            )
            return None
        stem = f"{c.name}签到表_{s.day.isoformat()}{s.slot}"
        return self._run(signin_pdf, c.id, s.id, what=_tr("签到表"), stem=stem)

    @Slot()
    def preview_roster(self) -> jobs.Job | None:
        c = self.current_class()
        if c is None:
            return None
        return self._run(roster_pdf, c.id, what=_tr("学员名册"), stem=f"{c.name}学员名册")

    @Slot()
    def preview_class_file(self) -> jobs.Job | None:
        c = self.current_class()
        if c is None:
            return None
        return self._run(class_file_output, c.id, what=_tr("一班一档"), stem=f"{c.name}_一班一档")

    @Slot()
    def preview_certificates(self) -> jobs.Job | None:
        """Ask for the serial prefix and first number, then build the 结业证书. A class that
        cannot have certificates (not 已结业, no trainees) is refused with the service's
        message before anything is asked."""
        c = self.current_class()
        if c is None:
            return None
        what = _tr("结业证书")
        try:
            tp.certificate_data(c.id)  # the service's own checks, before asking anything
        except DomainError as e:
            messages.error(self.parent_widget, str(e), _tr("打印结业证书"))
            return None
        store = settings.settings()
        prefix = store.certificate_prefix or tp.default_serial_prefix(c)
        answer = messages.ask_serial(
            self.parent_widget,
            _tr("结业证书编号"),
            _tr("班次《{name}》的结业证书编号：前缀 + 序号（如 {example}）").format(
                name=c.name, example=f"{prefix}001"
            ),
            prefix,
            1,
        )
        if answer is None:
            return None
        prefix, first = answer
        store.certificate_prefix = prefix
        return self._run(certificates_pdf, c.id, first, prefix, what=what, stem=f"{c.name}结业证书")

    # -- Excel ------------------------------------------------------------------------------

    def export(self, kind: str) -> jobs.Job | None:
        """导出 Excel: 课程表 (one row per session), 签到表 (one row per trainee and session)
        or 学员名册 (one row per trainee)."""
        c = self.current_class()
        if c is None:
            return None
        label = XLSX_KINDS[kind][0]
        job = export_file(
            self.parent_widget,
            title=_tr("导出{label}").format(label=label),
            suggested=Path(f"{safe_part(c.name + label)}.xlsx"),
            filters=_tr("Excel 工作簿 (*.xlsx)"),
            write=partial(export_xlsx, kind, c.id),
            done=lambda dest, rows: _tr("已把{label}（{n} 行）导出到 {path}").format(
                label=label, n=rows, path=dest
            ),
        )
        if job is not None:
            self.job = job
        return job


# ============================================================================ 学时证明


def preview_hours_certificate(
    host: PreviewHost, cadre_id: int, cadre_name: str, year: int
) -> jobs.Job:
    """学时证明 of one cadre for ``year`` in ``host``'s preview window."""
    return host.run(
        hours_certificate_pdf, cadre_id, year, what=_tr("学时证明"),
        file_stem=f"{cadre_name}{year}年度学时证明",
    )  # fmt: skip
