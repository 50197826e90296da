"""The training sections (三三制): 培训班 (the class list and, per class, its timetable,
trainees, attendance with 结业 and electives, and the printed kit), 培训资源 (teachers, rooms,
sites, courses) and 学时 (the shortfall list and one cadre's ledger).
"""

from ui.training.attendance_view import AttendanceView
from ui.training.class_dialog import ClassDialog
from ui.training.classes_view import TrainingView
from ui.training.electives_models import ChoicesDialog
from ui.training.electives_view import ElectivesView
from ui.training.hours_view import HoursEntryDialog, HoursView
from ui.training.print_kit import ClassPrinter
from ui.training.resources_view import ResourcesView
from ui.training.timetable_view import SessionDialog, TimetableView
from ui.training.trainees_view import EnrolDialog, TraineesView

__all__ = [
    "AttendanceView",
    "ChoicesDialog",
    "ClassDialog",
    "ClassPrinter",
    "ElectivesView",
    "EnrolDialog",
    "HoursEntryDialog",
    "HoursView",
    "ResourcesView",
    "SessionDialog",
    "TimetableView",
    "TraineesView",
    "TrainingView",
]
