"""The 首页 (home) section: the overview of the open database in charts, each with the table
of its numbers (``home_view``, its cards in ``cards``, the QtCharts bar chart behind
``charts``)."""

from ui.home.home_view import HomeView

__all__ = ["HomeView"]
