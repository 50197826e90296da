"""The calendar: national holidays and 调休 working days, which the training planner skips
and the class editor warns about.

``tables``: the 节假日 table. ``days``: what it says about a range of dates
(:func:`class_days`) and the warnings for a class's dates (:func:`date_warnings`), both
read-only inside the caller's transaction. ``national``: the days the State Council
published for 2025-2027, with their sources. ``service``: the 节假日 screen's use cases
(list, save, delete, restore a year's national days) and the seeding of a database.
"""

from models.calendar.days import (
    MON_TO_FRI,
    WEEKDAY_NAMES,
    CalendarDays,
    class_days,
    date_warnings,
    day_name,
)
from models.calendar.national import (
    NATIONAL_YEARS,
    NationalDay,
    national_days,
    national_note,
)
from models.calendar.service import (
    RESTORE_REASON,
    HolidayDTO,
    HolidayInput,
    delete_holiday,
    get_holiday,
    holiday_years,
    list_holidays,
    restore_national,
    save_holiday,
    seed_national,
)
from models.calendar.tables import CALENDAR_TABLES, DAY_OFF, HOLIDAY_KINDS, WORKDAY, Holiday

__all__ = [
    "CALENDAR_TABLES",
    "DAY_OFF",
    "HOLIDAY_KINDS",
    "MON_TO_FRI",
    "NATIONAL_YEARS",
    "RESTORE_REASON",
    "WEEKDAY_NAMES",
    "WORKDAY",
    "CalendarDays",
    "Holiday",
    "HolidayDTO",
    "HolidayInput",
    "NationalDay",
    "class_days",
    "date_warnings",
    "day_name",
    "delete_holiday",
    "get_holiday",
    "holiday_years",
    "list_holidays",
    "national_days",
    "national_note",
    "restore_national",
    "save_holiday",
    "seed_national",
]
