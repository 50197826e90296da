"""The calendar: national holidays and 调休 working days (``tables``), which the training
planner skips and the class editor warns about."""

from models.calendar.tables import CALENDAR_TABLES, DAY_OFF, HOLIDAY_KINDS, WORKDAY, Holiday

__all__ = ["CALENDAR_TABLES", "DAY_OFF", "HOLIDAY_KINDS", "WORKDAY", "Holiday"]
