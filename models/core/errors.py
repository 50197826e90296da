"""Errors a user can fix. Every message is Chinese and names the record and field."""

from __future__ import annotations

import errno
from dataclasses import dataclass


class DomainError(Exception):
    """A problem the user can fix; ``message`` is shown as it is."""

    def __init__(self, message: str, *, field: str | None = None, record: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.record = record

    def __str__(self) -> str:
        return self.message


class ConflictError(DomainError):
    """Someone else changed the record since it was read (optimistic locking); nothing was
    saved. The message says who, when and what the record holds now, when that is known
    (see :func:`models.core.concurrency.conflict`)."""

    def __init__(
        self,
        record: str | None = None,
        *,
        who: str = "",
        when: str = "",
        now: str | None = None,
        deleted: bool = False,
        action: str = "修改",
        text: str | None = None,
    ):
        if text is not None:  # said another way by the caller, e.g. a record in use
            super().__init__(text, record=record)
            self.who, self.when, self.now = who, when, now
            return
        what = f"{record}" if record else "该记录"
        by = f" {who} " if who else "他人"
        at = f"于 {when} " if when else ""
        verb = "删除" if deleted else action
        after = f"（现为“{now}”）" if now is not None and not deleted else ""
        super().__init__(f"{what}已被{by}{at}{verb}{after}，请刷新后重试", record=record)
        self.who = who
        self.when = when
        self.now = now


class NotFoundError(DomainError):
    pass


@dataclass(frozen=True)
class FieldIssue:
    """One problem with one field: ``field`` is the attribute name, ``label`` its Chinese name."""

    field: str
    label: str
    message: str
    warning: bool = False  # a warning the user may accept; an error blocks saving


class ValidationError(DomainError):
    """One or more fields are invalid; nothing was saved."""

    def __init__(self, issues: list[FieldIssue], record: str | None = None):
        self.issues = issues
        text = "；".join(f"{i.label}：{i.message}" for i in issues)
        where = f"{record}：" if record else ""
        super().__init__(f"{where}{text}", field=issues[0].field if issues else None, record=record)


_OS_ERRORS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有读写权限，或文件正被其他程序占用",
    errno.EPERM: "没有读写权限",
    errno.EISDIR: "这是文件夹，不是文件",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "磁盘或U盘是只读的",
    errno.EEXIST: "文件已存在",
}


def os_error_text(exc: OSError) -> str:
    """What went wrong with a file, in Chinese (never the system's English text)."""
    reason = _OS_ERRORS.get(exc.errno or 0, "读写出错（磁盘、U盘或网络位置不可用）")
    return f"“{exc.filename}”：{reason}" if exc.filename else reason
