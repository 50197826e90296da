"""The 节假日 screen: national holidays and 调休 working days, by year (``holidays_view``), with
its edit form (``holiday_dialog``) and the twelve-month grid it shows beside the list
(``year_grid``)."""

from ui.calendar.holiday_dialog import HolidayDialog
from ui.calendar.holidays_view import HolidaysView
from ui.calendar.year_grid import YearGrid

__all__ = ["HolidayDialog", "HolidaysView", "YearGrid"]
