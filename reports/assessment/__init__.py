"""The 考核 reports of a round: 考核结果汇总表, 年度考核结果审定表 and 年度考核结果名册, each as
PDF or xlsx (:func:`print_report` with ``summary``, ``approval`` or ``register``; the PDF
in memory for the preview with :func:`report_pdf_bytes`), their data gathered from the
assessment services (:func:`summary_data`, :func:`approval_data`, :func:`register_data`),
and the round overview as a sheet (:func:`write_overview_xlsx`). The PDF layout is in
:mod:`reports.assessment.summary_pdf`, the sheets in :mod:`reports.assessment.summary_xlsx`.
The 考核登记表 of each person are :mod:`reports.sheets`.
"""

from reports.assessment.data import (
    DETERMINED,
    NO_GRADE_KINDS,
    ApprovalData,
    ApprovalRow,
    RegisterData,
    RegisterRow,
    SummaryData,
    SummaryRow,
    SummaryUnit,
    approval_data,
    no_grade_reason,
    register_data,
    resolve_round,
    summary_data,
)
from reports.assessment.overview_xlsx import write_overview_xlsx
from reports.assessment.summary import (
    REPORTS,
    Report,
    print_report,
    report_pdf_bytes,
)

__all__ = [
    "DETERMINED",
    "NO_GRADE_KINDS",
    "REPORTS",
    "ApprovalData",
    "ApprovalRow",
    "RegisterData",
    "RegisterRow",
    "Report",
    "SummaryData",
    "SummaryRow",
    "SummaryUnit",
    "approval_data",
    "no_grade_reason",
    "print_report",
    "register_data",
    "report_pdf_bytes",
    "resolve_round",
    "summary_data",
    "write_overview_xlsx",
]
