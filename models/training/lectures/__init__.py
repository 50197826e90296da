"""领导干部讲坛 (DOMAIN §3.5): lecture series outside any class, each lecture with its
speaker, date, place and audience (units with their sub-units × 领导职务层次/职级), the
听课登记 of the cadres it expects (出勤 / 请假 / 缺席), and the 学时 it credits.

* ``series`` and ``lecture``: the series and their lectures, edited with versions;
* ``audience``: who a lecture expects, and the audience in words;
* ``attendance``: 听课登记, a correction after 登记学时 with its reason;
* ``credit``: 登记学时 (one ledger line of kind 领导干部讲坛 per cadre 出勤, never twice),
  and 撤销学时登记; the ledger always follows the lecture's attendance, 学时, date and title;
* ``print_data``: the data of the 通知 and the 签到表 (laid out by reports.training.lectures).

The 学时 rule (models.training.hours): its own ledger kind, counted toward the yearly 90 and
the five-year 550 like 班次培训, optionally capped per year (Requirements.lecture_cap).
One use case = one function = one transaction; results are frozen dataclasses.
"""

from models.training.lectures.attendance import (
    LectureAttendanceRow,
    lecture_attendance,
    mark_all_attended,
    record_lecture_attendance,
)
from models.training.lectures.audience import (
    Audience,
    AudiencePerson,
    audience_people,
    audience_text,
    count_audience,
)
from models.training.lectures.common import (
    ABSENT,
    ATTENDANCE_STATUSES,
    ATTENDED,
    EXCUSED,
    HELD,
    LECTURE_STATUSES,
    LEDGER_KIND,
    PLANNED,
    UNRECORDED,
)
from models.training.lectures.credit import (
    IncompleteLectureAttendance,
    LectureCreditResult,
    LedgerSync,
    credit_lecture,
    uncredit_lecture,
)
from models.training.lectures.lecture import (
    LectureDTO,
    LectureInput,
    check_lecture,
    delete_lecture,
    get_lecture,
    lecture_input,
    list_lectures,
    save_lecture,
)
from models.training.lectures.print_data import (
    LectureSigninPrint,
    NoticePrint,
    lecture_signin_data,
    notice_data,
)
from models.training.lectures.series import (
    SeriesDTO,
    SeriesInput,
    check_series,
    delete_series,
    get_series,
    list_series,
    save_series,
)

__all__ = [
    "ABSENT",
    "ATTENDANCE_STATUSES",
    "ATTENDED",
    "EXCUSED",
    "HELD",
    "LECTURE_STATUSES",
    "LEDGER_KIND",
    "PLANNED",
    "UNRECORDED",
    "Audience",
    "AudiencePerson",
    "IncompleteLectureAttendance",
    "LectureAttendanceRow",
    "LectureCreditResult",
    "LectureDTO",
    "LectureInput",
    "LectureSigninPrint",
    "LedgerSync",
    "NoticePrint",
    "SeriesDTO",
    "SeriesInput",
    "audience_people",
    "audience_text",
    "check_lecture",
    "check_series",
    "count_audience",
    "credit_lecture",
    "delete_lecture",
    "delete_series",
    "get_lecture",
    "get_series",
    "lecture_attendance",
    "lecture_input",
    "lecture_signin_data",
    "list_lectures",
    "list_series",
    "mark_all_attended",
    "notice_data",
    "record_lecture_attendance",
    "save_lecture",
    "save_series",
    "uncredit_lecture",
]
