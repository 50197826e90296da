"""Errors a user can fix. Every message is Chinese and names the record and field."""

from __future__ import annotations

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
    """Someone else changed the record since it was read (optimistic locking)."""

    def __init__(self, record: str | None = None):
        super().__init__("该记录已被他人修改，请刷新后重试", record=record)


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
