"""The evidence (佐证材料) filed with a quarterly self-check: files kept in the database so that
they travel with it and are backed up with it, each at most ``MAX_BYTES``, at most
``MAX_FILES`` per self-check. Filed, like the self-check itself, until the quarter's deadline
(later only with the 考评办's approval of a late one) and never once the year is approved."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from models.accounts import Permission, require
from models.core.audit import current_user, record_changes
from models.core.dates import ymd_cn
from models.core.db import write_transaction
from models.core.errors import DomainError, os_error_text
from models.evaluation.checks import check_deadline
from models.evaluation.plan import refuse_if_approved, year_rules
from models.evaluation.tables import CheckFile, SelfCheck

__all__ = ["MAX_BYTES", "MAX_FILES", "EvidenceDTO", "add_evidence", "evidence_data",
           "clean_name", "file_evidence", "list_evidence", "remove_evidence"]  # fmt: skip

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 20
NAME_MAX = 200
ENTITY = "check_file"


@dataclass(frozen=True)
class EvidenceDTO:
    id: int
    check_id: int
    name: str
    size: int
    sha256: str
    added_at: dt.datetime
    added_by: str


def clean_name(raw: str) -> str:
    """A file name as filed: its last part only (a path from Windows or Linux), without
    control or invisible format characters (a NUL, a newline, a right-to-left override), no
    leading or trailing dots and spaces, at most 200 characters with its extension kept."""
    name = PureWindowsPath(raw.replace("/", "\\")).name
    name = "".join(
        " " if unicodedata.category(ch) == "Cc" else ch
        for ch in name
        if unicodedata.category(ch) != "Cf"
    )
    name = " ".join(name.split()).strip(" .") or "佐证材料"
    if len(name) > NAME_MAX:
        stem, dot, suffix = name.rpartition(".")
        keep = f".{suffix}" if dot and stem and len(suffix) <= 10 else ""
        name = name[: NAME_MAX - len(keep)].rstrip(" .") + keep
    return name


def _size_text(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def _where(check: SelfCheck) -> str:
    task = check.task
    return f"“{task.lead_unit.name}”的任务“{task.title}”第 {check.quarter} 季度自查"


def _open_check(check_id: int, today: dt.date, late_approved: bool) -> SelfCheck:
    check = SelfCheck.get_or_none(SelfCheck.id == check_id)
    if check is None:
        raise DomainError("该自查记录已被删除", field="check")
    require(Permission.SCORES, unit_ids=[check.task.lead_unit_id])  # a clerk: its own units'
    year = check.task.year
    refuse_if_approved(year)
    due = check_deadline(year, check.quarter, year_rules(year).check_days)
    if today > due and not late_approved:
        raise DomainError(
            f"{_where(check)}已过截止日期（{ymd_cn(due)}），须经考评办同意后才能补充佐证材料",
            field="late",
        )
    if today > due:  # the 考评办's approval: not a unit clerk's to give
        require(Permission.GRADING)
    return check


def list_evidence(check_id: int) -> list[EvidenceDTO]:
    q = (
        CheckFile.select(CheckFile.id, CheckFile.check, CheckFile.name, CheckFile.size,
                         CheckFile.sha256, CheckFile.added_at, CheckFile.added_by)
        .where(CheckFile.check == check_id)
        .order_by(CheckFile.id)
        .tuples()
    )  # fmt: skip
    return [EvidenceDTO(*row) for row in q]


def add_evidence(
    check_id: int,
    path: Path,
    *,
    today: dt.date | None = None,
    late_approved: bool = False,
    user: str | None = None,
) -> EvidenceDTO:
    """File ``path`` with the self-check. Refused, saying why, when the file cannot be read,
    is empty or too large, or the self-check already has ``MAX_FILES`` files or the same
    file."""
    name = clean_name(str(path))
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise DomainError(
                f"佐证材料“{name}”有 {_size_text(size)}，超过每个文件 "
                f"{_size_text(MAX_BYTES)} 的限制，请压缩或拆分后再添加",
                field="file",
            )
        data = path.read_bytes()
    except OSError as e:
        e.filename = None  # the name is said once, as filed
        raise DomainError(f"无法读取佐证材料“{name}”：{os_error_text(e)}", field="file") from None
    return file_evidence(check_id, name, data, today=today, late_approved=late_approved,
                         user=user)  # fmt: skip


def file_evidence(
    check_id: int,
    name: str,
    data: bytes,
    *,
    today: dt.date | None = None,
    late_approved: bool = False,
    user: str | None = None,
) -> EvidenceDTO:
    """File ``data`` under ``name`` with the self-check (see :func:`add_evidence`)."""
    name = clean_name(name)
    if not data:
        raise DomainError(f"佐证材料“{name}”是空文件", field="file")
    if len(data) > MAX_BYTES:
        raise DomainError(f"佐证材料“{name}”超过 {_size_text(MAX_BYTES)} 的限制", field="file")
    digest = hashlib.sha256(data).hexdigest()
    who = user or current_user()
    with write_transaction():
        check = _open_check(check_id, today or dt.date.today(), late_approved)
        have = list_evidence(check_id)
        if len(have) >= MAX_FILES:
            raise DomainError(
                f"{_where(check)}已有 {MAX_FILES} 个佐证材料，不能再添加", field="file"
            )
        same = next((f for f in have if f.sha256 == digest), None)
        if same is not None:
            raise DomainError(f"{_where(check)}已有相同内容的佐证材料“{same.name}”", field="file")
        row = CheckFile.create(check=check_id, name=name, size=len(data), sha256=digest,
                               data=data, added_by=who)  # fmt: skip
        record_changes(ENTITY, row.id, "新增", {},
                       {"check": check_id, "name": row.name, "size": len(data), "sha256": digest},
                       user=who, reason=f"{_where(check)}的佐证材料")  # fmt: skip
    return next(f for f in list_evidence(check_id) if f.id == row.id)


def evidence_data(file_id: int) -> tuple[str, bytes]:
    """The file's name and contents (checked against the hash it was filed with)."""
    row = CheckFile.get_or_none(CheckFile.id == file_id)
    if row is None:
        raise DomainError("该佐证材料已被删除", field="file")
    data = bytes(row.data)
    if hashlib.sha256(data).hexdigest() != row.sha256:
        raise DomainError(f"佐证材料“{row.name}”的内容与登记时不一致，可能已损坏", field="file")
    return row.name, data


def remove_evidence(
    file_id: int, *, today: dt.date | None = None, late_approved: bool = False,
    user: str | None = None,
) -> None:  # fmt: skip
    who = user or current_user()
    with write_transaction():
        row = CheckFile.get_or_none(CheckFile.id == file_id)
        if row is None:
            raise DomainError("该佐证材料已被删除", field="file")
        check = _open_check(row.check_id, today or dt.date.today(), late_approved)
        CheckFile.delete().where(CheckFile.id == file_id).execute()
        record_changes(ENTITY, file_id, "删除", {"name": row.name, "sha256": row.sha256}, {},
                       user=who, reason=f"{_where(check)}的佐证材料")  # fmt: skip
