"""The five roles of a 组织部 department and what each may change.

Reading is open to every account; these permissions are about writing. A permission's value
is the Chinese phrase for what it allows, so a refusal can say what was refused
("账号 lisi（只读）无权修改干部名册"). Pure rules: no database here.
"""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    """What an account may change (the value is the Chinese phrase shown in a refusal)."""

    ACCOUNTS = "管理账号"
    BACKUP = "备份与恢复数据库"
    AUDIT = "导出修改记录"
    ROSTER = "修改干部名册（含导入）"
    UNITS = "修改单位"
    CODES = "修改代码表"
    TRAINING = "管理培训班、课程、师资与场地"
    ATTENDANCE = "登记考勤、结业与学时"
    ASSESSMENT_SETUP = "设置年度考核（考核轮次、人员、方案与流程）"
    ASSESSMENT_RECORDS = "登记加减分、处分、一票否决与平时考核"
    SCORES = "录入考核得分与民主测评票数"
    GRADING = "计算和调整考核等次"
    APPROVE = "审定考核结果"
    FEEDBACK = "登记考核结果反馈与指导"


ADMIN = "系统管理员"
CADRE_OFFICE = "干部科"
TRAINING_OFFICE = "教育培训"
SCORE_CLERK = "考核录入"
READ_ONLY = "只读"

ROLES: tuple[str, ...] = (ADMIN, CADRE_OFFICE, TRAINING_OFFICE, SCORE_CLERK, READ_ONLY)

_ALL = frozenset(Permission)

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    # 审定 is the 干部科's decision alone: the administrator runs the system (accounts,
    # backups) and may do any other work, but does not approve results
    ADMIN: _ALL - {Permission.APPROVE},
    CADRE_OFFICE: frozenset(
        {
            Permission.AUDIT,
            Permission.ROSTER,
            Permission.UNITS,
            Permission.CODES,
            Permission.ASSESSMENT_SETUP,
            Permission.ASSESSMENT_RECORDS,
            Permission.SCORES,
            Permission.GRADING,
            Permission.APPROVE,
            Permission.FEEDBACK,
        }
    ),
    TRAINING_OFFICE: frozenset({Permission.TRAINING, Permission.ATTENDANCE}),
    SCORE_CLERK: frozenset({Permission.SCORES}),
    READ_ONLY: frozenset(),
}

ROLE_DESCRIPTIONS: dict[str, str] = {
    ADMIN: "管理账号、备份与恢复，并可进行审定以外的所有操作",
    CADRE_OFFICE: "维护干部名册、单位和代码表，设置和审定年度考核，计算等次",
    TRAINING_OFFICE: "管理培训班、课程、师资、考勤和学时；干部名册只能查看",
    SCORE_CLERK: "只为负责单位（含下级单位）的干部录入考核得分和民主测评票数",
    READ_ONLY: "只能查看和打印，不能修改任何数据",
}

UNIT_SCOPED_ROLES = frozenset({SCORE_CLERK})
"""Roles whose work is limited to their assigned units (and the units below them)."""


def permissions_of(role: str) -> frozenset[Permission]:
    """What ``role`` may change (nothing for an unknown role)."""
    return ROLE_PERMISSIONS.get(role, frozenset())


def allows(role: str, permission: Permission) -> bool:
    return permission in permissions_of(role)


def is_unit_scoped(role: str) -> bool:
    return role in UNIT_SCOPED_ROLES


__all__ = [
    "ADMIN",
    "CADRE_OFFICE",
    "READ_ONLY",
    "ROLES",
    "ROLE_DESCRIPTIONS",
    "ROLE_PERMISSIONS",
    "SCORE_CLERK",
    "TRAINING_OFFICE",
    "UNIT_SCOPED_ROLES",
    "Permission",
    "allows",
    "is_unit_scoped",
    "permissions_of",
]
