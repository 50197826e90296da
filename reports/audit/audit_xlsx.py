"""The 修改记录 as an xlsx an inspector can be handed: a title row that says the period and
the filters, a header, then one row per changed field (时间, 账号, 操作, 类别, 对象, 字段, 原值,
新值, 原因), oldest first. Every value is written as the text the log holds (a string cell),
so 0.50 or a 身份证号 reads exactly as it was recorded.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from models.audit import HEADERS, AuditFilter, describe, iter_changes
from models.core.audit import current_user
from models.core.dates import ymd_cn
from models.core.progress import IsCancelled, Progress
from reports.common.xlsx import write_table

__all__ = ["WIDTHS", "export_audit_xlsx", "readable_by_others", "title_of"]

# 时间, 账号, 操作, 类别, 对象, 字段, 原值, 新值, 原因
WIDTHS = (20, 12, 8, 10, 40, 22, 28, 28, 30)


def title_of(f: AuditFilter, *, total: int, today: dt.date | None = None) -> str:
    """修改记录（2026-01-01 至 2026-12-31；人员：…）, then when, by whom and how many."""
    today = today or dt.date.today()
    return f"修改记录（{describe(f)}）　共 {total} 条，{ymd_cn(today)}由 {current_user()} 导出"


def _umask() -> int:
    """The process's umask, read without changing it (os.umask would, for a moment, for every
    thread); Linux shows it in /proc, elsewhere the usual 022 is assumed."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def readable_by_others(path: Path) -> None:
    """Give a written file the permissions of any file the user creates (rw-r--r-- under the
    usual umask): the temporary file it was written through is private to its owner, and an
    export is meant to be handed on."""
    if os.name == "posix":
        os.chmod(path, 0o666 & ~_umask())


def export_audit_xlsx(
    f: AuditFilter,
    dest: Path,
    *,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    today: dt.date | None = None,
) -> int:
    """Write the changes ``f`` selects to ``dest``; returns how many rows were written.
    DomainError (Chinese) for a filter that names nothing; nothing is left at ``dest`` when
    cancelled (Cancelled) or failing."""
    if progress:
        progress(0, 0, "正在查找修改记录")
    total, rows = iter_changes(f)
    written = write_table(
        Path(dest),
        title=title_of(f, total=total, today=today),
        headers=HEADERS,
        widths=WIDTHS,
        rows=(r.values() for r in rows),
        total=total,
        progress=progress,
        cancelled=cancelled,
        sheet_name="修改记录",
    )
    readable_by_others(Path(dest))
    return written
