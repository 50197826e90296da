"""三三制 training (DOMAIN §3), the database side: teachers, rooms, field-study sites and the
course library (``resources``); classes and the courses they use (``classes``); a class's
timetable planned against every other class's bookings (``timetable``) and changed session
by session (``session_edit``); trainees and discussion groups (``trainees``); 菜单化选学,
the package ``electives`` (rules, menu, spreadsheet import); attendance and credited 学时
(``attendance``); 开班, 结业, 更正 after 结业 and 重新开班 (``lifecycle``); the 学时 ledger
and the 学时不足名单 (``ledger``). Their services, DTOs and constants are the API below.
Every edit of shared rows carries the version (or value) it was read at and is refused
with who, when and what it holds now when it moved on (ConflictError; the helpers are in
``classes``). Used as modules instead: the tables
(``tables``), the pure 学时 rules (``hours``), the data of the printed kit
(``print_data``), and the pure timetable planner, the package ``models.training.planner``
with its own API.

The names below load on first use rather than with the package: models.schema imports
models.training.tables at start-up, which runs this file, and the services (about 0.1 s of
imports) are needed only once a training screen opens or a training command runs.
"""

from __future__ import annotations

from models.core.lazy import lazy_api

_API: dict[str, tuple[str, ...]] = {
    "resources": (
        "CourseDTO",
        "CourseInput",
        "RoomDTO",
        "SiteDTO",
        "TeacherDTO",
        "TeacherInput",
        "delete_course",
        "delete_room",
        "delete_site",
        "delete_teacher",
        "get_course",
        "get_teacher",
        "list_courses",
        "list_rooms",
        "list_sites",
        "list_teachers",
        "save_course",
        "save_room",
        "save_site",
        "save_teacher",
    ),
    "classes": (
        "ClassCourseDTO",
        "ClassDTO",
        "ClassInput",
        "check_class",
        "class_courses",
        "get_class",
        "list_classes",
        "save_class",
        "save_class_with_courses",
        "set_class_courses",
        "set_class_status",
    ),
    "timetable": (
        "PlanResult",
        "SessionDTO",
        "class_clashes",
        "class_settings",
        "class_shares",
        "format_plan_summary",
        "get_session",
        "list_sessions",
        "plan_class_timetable",
        "plan_new_class",
        "plan_notes",
    ),
    "session_edit": (
        "CLASSROOM_MODES",
        "KEEP",
        "EditResult",
        "move_session",
        "session_edit_block",
        "set_session_locked",
        "swap_sessions",
        "update_session",
    ),
    "trainees": (
        "CadreClassDTO",
        "EnrolResult",
        "GroupDTO",
        "Refusal",
        "TraineeDTO",
        "cadre_classes",
        "enrol",
        "list_trainees",
        "set_role",
        "split_groups",
        "withdraw",
    ),
    "electives": (
        "BY_RANK",
        "FIRST_COME",
        "MAX_WISHES",
        "OUTCOME_HEADERS",
        "RULE_NAMES",
        "ChoiceImportResult",
        "ElectiveOption",
        "ElectiveOutcome",
        "ElectiveSettlement",
        "SettlementView",
        "TraineeChoices",
        "WishDTO",
        "elective_options",
        "import_elective_choices",
        "last_settlement",
        "list_elective_choices",
        "outcome_rows",
        "rule_choices",
        "set_elective_capacity",
        "set_elective_choices",
        "settle",
        "settle_electives",
        "wish_limit",
        "wish_name",
    ),
    "attendance": (
        "AttendanceRow",
        "CreditDTO",
        "class_credits",
        "mark_all_present",
        "record_attendance",
        "session_attendance",
    ),
    "lifecycle": (
        "ClassLifecycle",
        "CorrectionResult",
        "FinishResult",
        "IncompleteAttendance",
        "ReopenResult",
        "class_lifecycle",
        "correct_attendance",
        "finish_class",
        "open_class",
        "reopen_class",
    ),
    "ledger": (
        "IMPORT_HEADERS",
        "MANUAL_KINDS",
        "HoursEntryDTO",
        "HoursImportRow",
        "ShortfallDTO",
        "add_hours_entry",
        "delete_hours_entry",
        "format_shortfall",
        "hours_report",
        "import_hours",
        "list_hours",
        "hours_by_cadre",
        "read_hours_xlsx",
    ),
}
__all__, __getattr__, __dir__ = lazy_api(__name__, _API)
