"""三三制 timetable planning (DOMAIN §3.7): pure rules on plain records, no database, no Qt
(this package imports neither peewee nor models.core.db).

``rules`` names every rule (:data:`RULES`) and holds the fixed numbers and decisions they
use; ``types`` holds the constants (modes, half-day slots), the input and output records and
PlanningError; ``select`` chooses a class's courses from the library for any class length;
``plan`` checks the input and plans a class (:func:`plan_class`; the placement itself is in
``search``, which fills lectures and discussions at an even pace through ``fill`` and finds
whole days for field study through ``days``; its explanations are in ``explain``) and
measures the shares of each mode; ``check``
lists the clashes of a hand-edited timetable; ``verify`` checks every rule on a finished one.
The database side (storing timetables, other classes' bookings) is models.training.timetable.
"""

from models.training.planner.check import check_timetable
from models.training.planner.plan import plan_class, shares
from models.training.planner.rules import (
    BEFORE_CLOSING,
    FLEX,
    FLEX_TITLES,
    OPENING_LECTURE,
    POSITIONS,
    RULES,
    SELF_STUDY,
    TRAVEL_MINUTES,
    library_id,
    rule_name,
    split_levels,
    suits_level,
)
from models.training.planner.select import Selection, select_courses
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
    Violation,
    holds_closing,
    holds_opening,
    is_flex,
    slot_label,
)
from models.training.planner.verify import verify_timetable

__all__ = [
    "AFTERNOON",
    "BEFORE_CLOSING",
    "CLOSING",
    "DISCUSSION",
    "EVENING",
    "FIELD_STUDY",
    "FLEX",
    "FLEX_TITLES",
    "LECTURE",
    "MODES",
    "MORNING",
    "OPENING",
    "OPENING_LECTURE",
    "OTHER",
    "POSITIONS",
    "RULES",
    "SELF_STUDY",
    "SLOT_ORDER",
    "TRAVEL_MINUTES",
    "WEEKDAY_NAMES",
    "Bookings",
    "Clash",
    "ClassSettings",
    "Course",
    "ModeShare",
    "PlanningError",
    "Room",
    "Selection",
    "Session",
    "Site",
    "Slot",
    "Teacher",
    "Timetable",
    "Violation",
    "check_timetable",
    "holds_closing",
    "holds_opening",
    "is_flex",
    "library_id",
    "plan_class",
    "rule_name",
    "select_courses",
    "shares",
    "slot_label",
    "split_levels",
    "suits_level",
    "verify_timetable",
]
