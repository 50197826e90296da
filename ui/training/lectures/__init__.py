"""The 领导干部讲坛 section: the series, the lectures of a series, the lecture editor with its
audience picker (units × 领导职务层次/职级), 听课登记 with 登记学时 / 撤销学时登记, and the
通知 and 签到表 in the print preview."""

from ui.training.lectures.attendance_panel import LectureAttendancePanel
from ui.training.lectures.lecture_dialog import LectureDialog
from ui.training.lectures.printing import LecturePrinter
from ui.training.lectures.series_dialog import SeriesDialog
from ui.training.lectures.view import LecturesView

__all__ = [
    "LectureAttendancePanel",
    "LectureDialog",
    "LecturePrinter",
    "LecturesView",
    "SeriesDialog",
]
