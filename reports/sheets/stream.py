"""Streamed batches of 考核登记表 / 考核评分表: a whole unit or round in flat memory, over
several processes.

A batch is cut into parts of at most :data:`PART_SHEETS` people in roster order, a unit kept
whole in one part when it fits (:func:`plan_parts`). Each part is read from the database in a
few bulk queries (:func:`reports.sheets.data.sheets_for`: the round and its rules once) and
written to its own PDF (or, split, to one file per person) as soon as it is laid out, so that
memory depends on the part, not on the batch. The parts are made by this process
(``jobs=0``) or shared out over ``jobs`` worker processes, each opening the database itself
(models.core.db.worker_target) and printing with the fonts this process chose; the workers
report every few sheets, so that one progress covers the whole batch, and a cancel
terminates them at once.

Everything is written into a hidden staging folder beside the target and moved into place
only when every part is done: a cancelled or failed batch leaves no file.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import queue
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from models.core.db import (
    PeeweeException,
    bind_worker,
    database_error_text,
    db,
    worker_target,
)
from models.core.errors import DomainError, os_error_text
from models.core.progress import IsCancelled, Progress, raise_if_cancelled
from reports.common import fonts
from reports.sheets.data import sheets_for
from reports.sheets.draw import SheetCanvas
from reports.sheets.layout import geometry
from reports.sheets.model import CANCELLED_MESSAGE, SheetVariant
from reports.sheets.pdf import check_sheets, pages_of

log = logging.getLogger(__name__)

#: people per part: one PDF of a large combined batch (about 2,000 A4 pages), and the unit
#: of work of a worker process
PART_SHEETS = 1000
#: a worker reports its progress every this many sheets
TICK = 20
#: people read from the database at a time within a part
READ_SHEETS = 100
#: below this many sheets the batch is made in this process (starting workers costs more)
MIN_SHEETS_FOR_WORKERS = 300


@dataclass(frozen=True, slots=True)
class Member:
    """One person of a batch: what names their file and groups them into parts."""

    cadre_id: int
    name: str
    unit: str


@dataclass(frozen=True)
class Part:
    """One part of a batch: its people, and the file(s) it is written to in the staging
    folder: one PDF (``files`` of one name) or, split, one file per person."""

    index: int
    cadre_ids: tuple[int, ...]
    files: tuple[str, ...]
    first: int  # position of its first person in the batch (numbering of warnings)


@dataclass(frozen=True)
class Job:
    """What every part of a batch shares (picklable: sent to the workers)."""

    round_id: int
    variant: SheetVariant
    page_size: Any  # PageSize
    duplex: bool
    category: Any  # StaffCategory | None
    header_rows: tuple[str, ...] | None
    staging: str
    split: bool  # one file per person (else one PDF per part)


@dataclass(frozen=True)
class PartDone:
    index: int
    sheets: int
    pages: int
    warnings: tuple[str, ...]


def plan_parts(members: Sequence[Member], size: int | None = None) -> list[list[Member]]:
    """``members`` (in roster order) in parts of at most ``size`` (default PART_SHEETS)
    people: a unit's people stay together in one part when they fit, a unit larger than a
    part fills parts of its own."""
    size = size or PART_SHEETS
    parts: list[list[Member]] = []
    current: list[Member] = []
    for unit in _runs(members):
        if current and len(current) + len(unit) > size:
            parts.append(current)
            current = []
        while len(unit) > size:
            parts.append(unit[:size])
            unit = unit[size:]
        current.extend(unit)
    if current:
        parts.append(current)
    return parts


def _runs(members: Sequence[Member]) -> Iterator[list[Member]]:
    """Consecutive people of the same unit."""
    run: list[Member] = []
    for m in members:
        if run and run[-1].unit != m.unit:
            yield run
            run = []
        run.append(m)
    if run:
        yield run


def default_jobs(sheets: int) -> int:
    """Worker processes for a batch of ``sheets`` by default: one per processor for a batch
    worth starting them for, none (this process) for a small one."""
    if sheets < MIN_SHEETS_FOR_WORKERS:
        return 0
    return os.cpu_count() or 1


# --------------------------------------------------------------------------- one part


def make_part(
    job: Job,
    part: Part,
    tick: Callable[[int], None],
    check: Callable[[], None],
    every: int = 1,
) -> PartDone:
    """Read and write one part, its people read a slice of READ_SHEETS at a time (memory,
    and a first sheet soon); ``tick(n)`` after every ``every`` sheets (n sheets since the
    last tick), ``check()`` before each sheet (raises to stop)."""
    check()
    staging = Path(job.staging)
    geo = geometry(job.page_size)
    title = f"年度{job.variant.label}"
    setup_warning = fonts.current_setup().warning
    warnings: list[str] = [setup_warning] if setup_warning else []
    pages = 0
    since = 0
    done = 0
    with contextlib.ExitStack() as stack:
        pdf = None
        if not job.split:
            f = stack.enter_context(open(staging / part.files[0], "wb"))
            pdf = SheetCanvas(f, geo.page, title=title)
        ids = part.cadre_ids
        for at in range(0, len(ids), READ_SHEETS):
            check()
            sheets = sheets_for(
                job.round_id,
                ids[at : at + READ_SHEETS],
                variant=job.variant,
                category=job.category,
                header_rows=job.header_rows,
            )
            warnings += check_sheets(sheets, first=part.first + at)
            for k, s in enumerate(sheets, start=at):
                check()
                if pdf is not None:
                    for plan in pages_of(s, job.page_size, duplex=job.duplex):
                        pdf.draw_page(plan)
                else:  # split: one file per person
                    with open(staging / part.files[k], "wb") as one:
                        own = SheetCanvas(one, geo.page, title=title)
                        for plan in pages_of(s, job.page_size, duplex=job.duplex):
                            own.draw_page(plan)
                        own.finish()
                        pages += own.pages
                done += 1
                since += 1
                if since >= every:
                    tick(since)
                    since = 0
        if pdf is not None:
            pdf.finish()
            pages = pdf.pages
    if since:
        tick(since)
    return PartDone(part.index, done, pages, tuple(dict.fromkeys(warnings)))


# --------------------------------------------------------------------------- workers

_ticks: Any = None  # the queue of this worker process's progress reports
_startup: str | None = None  # why this worker could not start, told by its first part

#: a batch whose workers report nothing for this long is stopped (a worker that died)
STALL_SECONDS = 120.0
STALLED_MESSAGE = (
    "生成考核登记表的进程长时间没有响应（可能已异常退出），已停止，没有留下文件；"
    "请重试，或只用本进程生成（命令行加 --jobs 0）"
)


def _init_worker(
    target: tuple[str, str, dict[str, Any]], chosen: tuple[Any, Any], ticks: Any
) -> None:
    global _ticks, _startup
    _ticks = ticks
    try:
        bind_worker(target)
        fonts.setup_fonts(*chosen)
    except Exception:  # told through its parts: a worker that died would be started again
        log.exception("a printing worker could not start")
        _startup = (
            "生成考核登记表的进程无法打开数据库或字体，没有留下文件；"
            "请重试，或只用本进程生成（命令行加 --jobs 0）"
        )


def _work(job: Job, part: Part) -> PartDone | str:
    """Entry point of a worker: one part, in one read transaction. Returns the Chinese message
    of what went wrong instead of raising it (an exception may not survive pickling whole,
    and a driver's English text must not reach the user)."""
    if _startup is not None:
        return _startup
    try:
        with db.atomic():
            return make_part(job, part, _ticks.put, lambda: None, TICK)
    except DomainError as exc:
        return str(exc)
    except PeeweeException as exc:
        return database_error_text(exc)
    except OSError as exc:
        return f"保存考核登记表失败：无法写入{os_error_text(exc)}"
    except Exception:
        log.exception("printing part %s failed", part.index)
        return "生成考核登记表时出错（详情已记入日志），没有留下文件；请重试，或只用本进程生成"
    finally:
        db.close()


def run_parts(
    job: Job,
    parts: Sequence[Part],
    total: int,
    jobs: int,
    progress: Progress | None,
    cancelled: IsCancelled | None,
) -> list[PartDone]:
    """Make every part, in this process (``jobs`` 0, or a database other processes cannot
    open) or over ``jobs`` worker processes. Raises Cancelled (workers terminated) or the
    DomainError of the first part that failed."""
    done_sheets = 0

    def report(n: int) -> None:
        nonlocal done_sheets
        done_sheets += n
        if progress is not None:
            progress(done_sheets, total, f"正在生成（{done_sheets}/{total}）")

    def check() -> None:
        raise_if_cancelled(cancelled, CANCELLED_MESSAGE)

    target = worker_target()
    if jobs <= 0 or target is None or len(parts) == 0:
        return [make_part(job, p, report, check) for p in parts]
    ctx = multiprocessing.get_context("spawn")
    ticks = ctx.Queue()
    n = min(jobs, len(parts))
    pool = ctx.Pool(n, initializer=_init_worker, initargs=(target, fonts.chosen_fonts(), ticks))
    try:
        pending = [pool.apply_async(_work, (job, p)) for p in parts]
        results: list[PartDone] = []
        heard = time.monotonic()
        while pending:
            check()
            with contextlib.suppress(queue.Empty):
                report(ticks.get(timeout=0.1))
                heard = time.monotonic()
            still = []
            for r in pending:
                if not r.ready():
                    still.append(r)
                    continue
                got = r.get()
                if isinstance(got, str):
                    raise DomainError(got)
                results.append(got)
                heard = time.monotonic()
            pending = still
            if time.monotonic() - heard > STALL_SECONDS:
                raise DomainError(STALLED_MESSAGE)
        while True:  # the last ticks
            try:
                report(ticks.get_nowait())
            except queue.Empty:
                break
        pool.close()
        return sorted(results, key=lambda d: d.index)
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
        ticks.close()


def staging_folder(folder: Path) -> Path:
    """A hidden folder for the files of a batch, inside ``folder`` (same file system: moved
    into place by rename)."""
    try:
        return Path(tempfile.mkdtemp(prefix=".考核登记表-", suffix=".part", dir=folder))
    except OSError as exc:
        raise DomainError(f"无法写入文件夹“{folder}”（{os_error_text(exc)}）", field="out") from exc


def remove_staging(staging: Path) -> None:
    try:
        shutil.rmtree(staging)
    except OSError:
        log.warning("could not remove the temporary batch folder %s", staging, exc_info=True)


__all__ = [
    "MIN_SHEETS_FOR_WORKERS",
    "PART_SHEETS",
    "Job",
    "Member",
    "Part",
    "PartDone",
    "default_jobs",
    "make_part",
    "plan_parts",
    "remove_staging",
    "run_parts",
    "staging_folder",
]
