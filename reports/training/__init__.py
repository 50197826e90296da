"""The printed kit of a training class and its certificates: 课程表, 签到表 and 学员名册 as PDF
(:mod:`reports.training.kit`) and as xlsx (:mod:`reports.training.kit_xlsx`), 结业证书 and
学时证明 (:mod:`reports.training.certificates`). The ``print_*`` functions gather the data
for a class or a cadre, the ``render_*`` functions lay out data already gathered; each PDF
function returns a :class:`KitResult`.
"""

from reports.training.certificates import (
    print_certificates,
    print_hours_certificate,
    render_certificates,
    render_hours_certificates,
)
from reports.training.kit import (
    KitResult,
    print_roster,
    print_signin,
    print_timetable,
    render_roster,
    render_signin,
    render_timetable,
)
from reports.training.kit_xlsx import roster_xlsx, signin_xlsx, timetable_xlsx

__all__ = [
    "KitResult",
    "print_certificates",
    "print_hours_certificate",
    "print_roster",
    "print_signin",
    "print_timetable",
    "render_certificates",
    "render_hours_certificates",
    "render_roster",
    "render_signin",
    "render_timetable",
    "roster_xlsx",
    "signin_xlsx",
    "timetable_xlsx",
]
