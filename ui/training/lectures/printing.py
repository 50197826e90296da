"""打印通知 and 打印签到表 of a 讲坛 lecture: built on the job worker (data gathered there too)
and shown in the training section's preview window (打印 / 保存 / 用系统查看器打开)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QWidget

from models.core.progress import IsCancelled, Progress
from models.training import lectures as lt
from reports.training import lectures as tl
from ui import jobs
from ui.training.print_kit import PdfOutput, PreviewDialog, PreviewHost, render_to_bytes


def _tr(text: str) -> str:
    return QCoreApplication.translate("LecturePrint", text)


def notice_pdf(
    lecture_id: int,
    issue_date: dt.date | None = None,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> PdfOutput:
    """讲坛通知 of a lecture as bytes."""
    return render_to_bytes(
        lambda p: tl.print_lecture_notice(
            lecture_id, p, issue_date=issue_date, progress=progress, cancelled=cancelled
        )
    )


def signin_pdf(
    lecture_id: int, *, progress: Progress | None = None, cancelled: IsCancelled | None = None
) -> PdfOutput:
    """讲坛签到表 of a lecture as bytes."""
    return render_to_bytes(lambda p: tl.print_lecture_signin(lecture_id, p, progress, cancelled))


class LecturePrinter(QObject):
    """Previews of the lecture chosen on the 讲坛 screen, in one reused window."""

    def __init__(self, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self.host = PreviewHost(parent_widget)

    @property
    def dialog(self) -> PreviewDialog | None:
        return self.host.dialog

    def notice(self, lecture: lt.LectureDTO) -> jobs.Job:
        stem = f"{lecture.series_name}第{lecture.seq}讲通知_{lecture.title}"
        return self.host.run(
            notice_pdf, lecture.id, dt.date.today(), what=_tr("讲坛通知"), file_stem=stem
        )

    def signin(self, lecture: lt.LectureDTO) -> jobs.Job:
        stem = f"{lecture.series_name}第{lecture.seq}讲签到表_{lecture.title}"
        return self.host.run(signin_pdf, lecture.id, what=_tr("讲坛签到表"), file_stem=stem)
