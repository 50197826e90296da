"""单位考评 on paper: the half-year 督查通报 (:func:`bulletin_pdf`, :func:`print_bulletin`), the
年度工作任务分解表 (:func:`tasks_report`, :func:`print_tasks`), a unit's 季度自查表
(:func:`self_check_report`, :func:`print_self_check`) and the 单位考评结果汇总表 with its chart
of totals (:func:`results_report`, :func:`print_results`), and a unit's 领导班子年度考核登记表
(:func:`team_form_report`, :func:`print_team_form`). Each ``*_report`` returns a
:class:`Printed` (bytes, pages, rows, the font's notes) for a preview; each ``print_*`` writes
the file."""

from reports.evaluation.bulletin import bulletin_pdf, print_bulletin
from reports.evaluation.layout import Printed
from reports.evaluation.results import print_results, results_pdf, results_report
from reports.evaluation.self_check import print_self_check, self_check_pdf, self_check_report
from reports.evaluation.tasks import print_tasks, tasks_pdf, tasks_report
from reports.evaluation.team_form import print_team_form, team_form_pdf, team_form_report

__all__ = [
    "Printed",
    "bulletin_pdf",
    "print_bulletin",
    "print_results",
    "print_self_check",
    "print_tasks",
    "print_team_form",
    "results_pdf",
    "results_report",
    "self_check_pdf",
    "self_check_report",
    "tasks_pdf",
    "tasks_report",
    "team_form_pdf",
    "team_form_report",
]
