"""三三制 timetable planning (DOMAIN §3.7): pure rules on plain records, no database, no Qt
(this package imports neither peewee nor models.core.db). ``types`` holds the constants
(modes, half-day slots), the input and output records and PlanningError; ``plan`` checks the
input, plans a class (:func:`plan_class`, the search itself is in ``search``) and measures
the shares of each mode; ``check`` lists the clashes of a hand-edited timetable. The
database side (storing timetables, other classes' bookings) is models.training.timetable.
"""

from models.training.planner.check import check_timetable
from models.training.planner.plan import plan_class, shares
from models.training.planner.types import (
    AFTERNOON,
    CLOSING,
    DISCUSSION,
    EVENING,
    FIELD_STUDY,
    LECTURE,
    MODES,
    MORNING,
    OPENING,
    OTHER,
    SLOT_ORDER,
    WEEKDAY_NAMES,
    Bookings,
    Clash,
    ClassSettings,
    Course,
    ModeShare,
    PlanningError,
    Room,
    Session,
    Site,
    Slot,
    Teacher,
    Timetable,
    slot_label,
)

__all__ = [
    "AFTERNOON",
    "CLOSING",
    "DISCUSSION",
    "EVENING",
    "FIELD_STUDY",
    "LECTURE",
    "MODES",
    "MORNING",
    "OPENING",
    "OTHER",
    "SLOT_ORDER",
    "WEEKDAY_NAMES",
    "Bookings",
    "Clash",
    "ClassSettings",
    "Course",
    "ModeShare",
    "PlanningError",
    "Room",
    "Session",
    "Site",
    "Slot",
    "Teacher",
    "Timetable",
    "check_timetable",
    "plan_class",
    "shares",
    "slot_label",
]
