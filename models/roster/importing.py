"""Importing cadres read by models.roster.intake into the roster, all or nothing.

``plan_import`` turns the parsed rows into a preview: what each row will become (新增 / 更新 /
跳过 / 错误), with every problem named by file, row, column, value and reason, checked with
the roster's own rules. ``import_rows`` plans again inside one transaction and writes only
when no row is in error; a cancel or any failure rolls everything back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import json
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from models.accounts import Permission, require
from models.backup import BEFORE_IMPORT, backup_before
from models.core.audit import ChangeLog, current_user, record_changes
from models.core.db import bulk_insert, db, write_transaction
from models.core.errors import DomainError
from models.core.progress import Cancelled, IsCancelled, Progress
from models.roster import codes, idcard
from models.roster.import_plan import (
    EXTRA_TEXT,
    ImportResult,
    PlannedRow,
    plan_import,
)
from models.roster.intake import IMPORT_CANCELLED, FamilyRow, IntakeResult, write_lrmx
from models.roster.intake.unit_choice import UnitChoices
from models.roster.pinyin import name_keys
from models.roster.service import get_cadre
from models.roster.tables import Cadre, FamilyMember, Unit
from models.roster.types import FIELD_LABELS, CadreDTO, CadreInput

MAP_HINT = (
    "提示：未识别的代码值可用 --map 对照表.xlsx 指定（两列：原值、对应代码表项；写“新增”即新增到"
    "代码表），或在“代码表”中给对应项加别名"
)


@dataclasses.dataclass(frozen=True)
class MappedImport:
    """An import with a 对照表: the import, and what the 对照表 said of each unknown value."""

    outcome: ImportResult
    choices: tuple[codes.ValueChoice, ...]
    labels: Mapping[str, str]  # pick-list kind -> its field's label (学历 …)


#: The options of :func:`import_rows` that the plan takes too (the rest only matter to writing).
_PLAN_OPTIONS = frozenset(inspect.signature(plan_import).parameters) - {"result"}


def import_with_value_map(
    result: IntakeResult, value_map: str | Path, **options: object
) -> MappedImport:
    """``import-roster --map``: the 对照表's choices stored as 别名 (or new code-table items),
    then :func:`import_rows` with ``options``, in one write transaction: when the import is
    not written (an error, a dry run) the choices are not kept either."""
    require(Permission.ROSTER)
    entries = codes.read_value_map(value_map)
    with write_transaction() as txn:
        planning = {k: v for k, v in options.items() if k in _PLAN_OPTIONS}
        first = plan_import(result, **planning)  # type: ignore[arg-type]
        choices = codes.choose(first.unmapped, entries)
        codes.map_values(choices)
        outcome = import_rows(result, **options)  # type: ignore[arg-type]
        if not outcome.imported:
            txn.rollback()
    labels = {u.field: u.label for u in first.unmapped}
    return MappedImport(outcome, tuple(choices), labels)


def report_lines(outcome: ImportResult, mapped: MappedImport | None = None) -> list[str]:
    """The text report of an import for the command line: the plan's summary and problems,
    what a 对照表 decided, the columns not imported (also on success), and a hint when
    unknown code values are left."""
    lines = outcome.plan.lines()
    if mapped is not None:
        kept = "" if outcome.imported else "（未导入，对照未保存）"
        for c in reversed(mapped.choices):
            label = mapped.labels[c.kind]
            what = (
                f"新增到{label}代码表" if c.target == codes.NEW_ITEM else f"记为“{c.target}”的别名"
            )
            lines.insert(1, f"按对照表：{label}“{c.value}”{what}{kept}")
    columns = outcome.plan.not_imported
    if columns:
        lines += [f"未导入的列（{len(columns)} 列）："] + [f"  {c.text()}" for c in columns]
    if outcome.plan.unmapped:
        lines.append(MAP_HINT)
    return lines


# --------------------------------------------------------------------------- writing


def _extra_columns(extras: Mapping[str, object]) -> dict[str, object]:
    out: dict[str, object] = {k: extras[k] or "" for k in EXTRA_TEXT if k in extras}
    if "photo" in extras:
        out["photo"] = extras["photo"]
    if "extra" in extras:
        out["lrmx_extra"] = json.dumps(extras["extra"] or {}, ensure_ascii=False, sort_keys=True)
    return out


def _write_family(cadre_id: int, family: object) -> None:
    FamilyMember.delete().where(FamilyMember.cadre == cadre_id).execute()
    rows = [
        {
            "cadre": cadre_id,
            "sort_order": i,
            "relation": m.relation or "",
            "name": m.name or "",
            "birth_date": m.birth_date,
            "political_status": m.political_status or "",
            "work": m.work or "",
        }
        for i, m in enumerate(family or [], start=1)  # type: ignore[attr-defined]
        if isinstance(m, FamilyRow)
    ]
    if rows:
        FamilyMember.insert_many(rows).execute()


def import_rows(
    result: IntakeResult,
    *,
    on_duplicate: str = "update",
    default_unit: str | None = None,
    dry_run: bool = False,
    user: str | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
    allow_missing_id: bool = False,
    accept_birth_mismatch: bool = False,
    unit_choices: UnitChoices | None = None,
) -> ImportResult:
    """Plan and, when every row is fine and this is not a dry run, write all of it in one
    transaction. Nothing is written when any row is in error or the user cancels."""
    require(Permission.ROSTER)
    backup_before(BEFORE_IMPORT, dry_run=dry_run)  # a checked 导入前 backup (models.backup)
    user = user or current_user()
    now = dt.datetime.now().replace(microsecond=0)
    # the write lock first, so that nobody writes between planning and writing (a dry run
    # only reads and never waits for it)
    with db.atomic() if dry_run else write_transaction() as txn:
        plan = plan_import(
            result,
            on_duplicate=on_duplicate,
            default_unit=default_unit,
            today=today,
            progress=progress,
            cancelled=cancelled,
            allow_missing_id=allow_missing_id,
            accept_birth_mismatch=accept_birth_mismatch,
            unit_choices=unit_choices,
        )
        if dry_run or not plan.ok:
            txn.rollback()
            return ImportResult(plan, False, [])
        new_unit_ids: dict[int, int] = {}
        next_order = (
            Unit.select(Unit.sort_order).order_by(Unit.sort_order.desc()).scalar() or 0
        ) + 1
        for i, name in enumerate(plan.new_units):
            uid = Unit.insert(name=name, sort_order=next_order + i).execute()
            new_unit_ids[-(i + 1)] = uid
            record_changes("unit", uid, "新增", {}, {"name": name}, user=user, reason="导入时新建")
        ids: dict[int, int] = {}  # index in todo → cadre id
        pending: list[tuple[int, PlannedRow, dict[str, object]]] = []  # new rows, in batches
        todo = [r for r in plan.rows if r.action in ("新增", "更新")]
        for n, r in enumerate(todo):
            if cancelled and n % 200 == 0 and cancelled():
                raise Cancelled(IMPORT_CANCELLED)
            v = r.values
            assert v is not None
            if v.unit_id is not None and v.unit_id < 0:
                v = dataclasses.replace(v, unit_id=new_unit_ids[v.unit_id])
            row = {name: getattr(v, name) for name in FIELD_LABELS if name != "unit_id"}
            row["unit"] = v.unit_id
            row["name_pinyin"], row["name_initials"], row["name_sort"] = name_keys(v.name)
            row.update(_extra_columns(r.extras))
            row["id_card"] = row["id_card"] or None  # 缺身份证号 (allowed by the user)
            if r.action == "新增" and row["id_card"] is None:
                ids[n] = _insert_one(r, {**row, "created_at": now, "updated_at": now}, user, now)
            elif r.action == "新增":
                pending.append((n, r, {**row, "created_at": now, "updated_at": now}))
                if len(pending) == _BATCH:
                    ids.update(_insert_new(pending, user, now))
                    pending.clear()
            else:
                cid = r.existing_id
                assert cid is not None
                before = {**_audit(get_cadre(cid)), **_extras_now(cid, r.extras)}
                Cadre.update(**row, updated_at=now, version=Cadre.version + 1).where(
                    Cadre.id == cid
                ).execute()
                record_changes(
                    "cadre",
                    cid,
                    "修改",
                    before,
                    {**_audit_input(v), **_extras_audit(r.extras)},
                    user=user,
                    reason=f"从{r.source}导入",
                )
                if "family" in r.extras:
                    _write_family(cid, r.extras["family"])
                ids[n] = cid
            if progress and (n + 1) % 500 == 0:
                progress(n + 1, len(todo), "正在写入")
        ids.update(_insert_new(pending, user, now))
    return ImportResult(plan, True, [ids[n] for n in sorted(ids)])


def _insert_one(r: PlannedRow, row: dict[str, object], user: str, now: dt.datetime) -> int:
    """A new cadre without 身份证号 (so not found again by it): inserted on its own."""
    cid = Cadre.insert(**row).execute()
    record_changes(
        "cadre", cid, "新增", {}, {"导入": row["name"]}, user=user, reason=f"从{r.source}导入"
    )
    if "family" in r.extras:
        _write_family(cid, r.extras["family"])
    return cid


_BATCH = 200  # rows per INSERT: 200 × ~40 columns stays under SQLite's variable limit


def _insert_new(
    pending: list[tuple[int, PlannedRow, dict[str, object]]], user: str, now: dt.datetime
) -> dict[int, int]:
    """Insert a batch of new cadres in one statement; their ids are read back by 身份证号
    (unique), then the change log and family rows are written."""
    if not pending:
        return {}
    bulk_insert(Cadre, [row for _, _, row in pending])
    numbers = [row["id_card"] for _, _, row in pending]
    by_number = dict(
        Cadre.select(Cadre.id_card, Cadre.id).where(Cadre.id_card.in_(numbers)).tuples()
    )
    out: dict[int, int] = {}
    logs = []
    for n, r, row in pending:
        cid = by_number[row["id_card"]]
        out[n] = cid
        logs.append(
            {
                "at": now,
                "user": user,
                "entity": "cadre",
                "entity_id": cid,
                "action": "新增",
                "field": "导入",
                "old_value": "",
                "new_value": row["name"],
                "reason": f"从{r.source}导入",
            }
        )
        if "family" in r.extras:
            _write_family(cid, r.extras["family"])
    bulk_insert(ChangeLog, logs)
    return out


def _extras_audit(extras: Mapping[str, object]) -> dict[str, object]:
    """The .lrmx fields an import brings (奖惩情况, 简历, photo, family…), as the change log
    shows them: texts as they are, the photo by size, family rows as names."""
    out: dict[str, object] = {k: extras[k] or "" for k in EXTRA_TEXT if k in extras}
    if "photo" in extras:
        out["photo"] = extras["photo"] or ""
    if "family" in extras:
        out["family"] = "、".join(
            f"{m.relation or ''}{m.name or ''}"
            for m in extras["family"] or []  # type: ignore[attr-defined]
        )
    return out


def _extras_now(cadre_id: int, extras: Mapping[str, object]) -> dict[str, object]:
    """The same fields as stored now, for the keys the import brings."""
    row = Cadre.get_by_id(cadre_id)
    now: dict[str, object] = {k: getattr(row, k) or "" for k in EXTRA_TEXT if k in extras}
    if "photo" in extras:
        now["photo"] = bytes(row.photo) if row.photo else ""
    if "family" in extras:
        now["family"] = "、".join(
            f"{m.relation}{m.name}"
            for m in FamilyMember.select()
            .where(FamilyMember.cadre == cadre_id)
            .order_by(FamilyMember.sort_order)
        )
    return now


def _audit(c: CadreDTO) -> dict[str, object]:
    return {name: getattr(c, name) for name in FIELD_LABELS}


def _audit_input(v: CadreInput) -> dict[str, object]:
    return {name: getattr(v, name) for name in FIELD_LABELS}


# --------------------------------------------------------------------------- export


def lrmx_record(cadre_id: int) -> dict[str, object]:
    """The cadre in the intake record shape (for models.roster.intake.write_lrmx)."""
    c = get_cadre(cadre_id)
    row = Cadre.get_by_id(cadre_id)
    record: dict[str, object] = {a: getattr(c, a) for a in FIELD_LABELS if a != "unit_id"}
    record["unit"] = c.unit_name
    for attr in EXTRA_TEXT:
        record[attr] = getattr(row, attr) or None
    record["photo"] = bytes(row.photo) if row.photo else None
    record["extra"] = json.loads(row.lrmx_extra) if row.lrmx_extra else {}
    record["family"] = [
        FamilyRow(
            m.relation or None,
            m.name or None,
            m.birth_date,
            m.political_status or None,
            m.work or None,
        )
        for m in FamilyMember.select()
        .where(FamilyMember.cadre == cadre_id)
        .order_by(FamilyMember.sort_order)
    ]
    return {k: (None if v == "" else v) for k, v in record.items()}


AnnualResults = Callable[[Sequence[int]], Mapping[int, str]]
"""cadre ids -> their 年度考核结果 text, from the stored grades. models.assessment fills it
(``annual_results_text``): the roster sits below assessment and never imports it."""


def _with_annual_results(record: dict[str, object], text: str | None) -> dict[str, object]:
    """The stored grades' text wins; without grades the text kept from the file stays."""
    return {**record, "annual_results": text} if text else record


def lrmx_document(
    cadre_id: int, *, annual_results: AnnualResults | None = None, today: dt.date | None = None
) -> tuple[str, bytes]:
    """(姓名, the .lrmx bytes) of one cadre as the 任免审批表 is filled today: 年度考核结果
    from ``annual_results`` (else the text kept from the imported file), 计算年龄时间 and
    填表时间 = ``today``."""
    today = today or dt.date.today()
    texts = annual_results([cadre_id]) if annual_results else {}
    record = _with_annual_results(lrmx_record(cadre_id), texts.get(cadre_id))
    data = write_lrmx(record, computed_at=today, filled_at=today)
    return str(record.get("name") or cadre_id), data


def find_by_id_card(number: str) -> CadreDTO:
    try:
        info = idcard.parse(number)
    except idcard.IdCardError as e:
        raise DomainError(f"身份证号“{number}”有误：{e}") from None
    row = Cadre.get_or_none(Cadre.id_card == info.number)
    if row is None:
        raise DomainError(f"名册中没有身份证号为 {info.number} 的干部")
    return get_cadre(row.id)


def write_lrmx_files(
    cadre_ids: list[int],
    folder: Path,
    *,
    annual_results: AnnualResults | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
    cancelled: IsCancelled | None = None,
) -> list[Path]:
    """Write each cadre as ``姓名.lrmx`` into ``folder`` (``姓名（2）.lrmx`` for a second
    person of the same name; existing files are never overwritten), filled as
    :func:`lrmx_document` fills one. All or nothing: on a cancel or an error the files
    written so far are removed again."""
    if not folder.is_dir():
        raise DomainError(f"文件夹“{folder}”不存在")
    today = today or dt.date.today()
    texts = annual_results(cadre_ids) if annual_results else {}
    written: list[Path] = []
    try:
        for n, cid in enumerate(cadre_ids, start=1):
            if cancelled and cancelled():
                raise Cancelled(IMPORT_CANCELLED)
            record = _with_annual_results(lrmx_record(cid), texts.get(cid))
            stem = "".join(c for c in str(record.get("name") or cid) if c not in '\\/:*?"<>|')
            dest, k = folder / f"{stem}.lrmx", 1
            while dest.exists():
                k += 1
                dest = folder / f"{stem}（{k}）.lrmx"
            dest.write_bytes(write_lrmx(record, computed_at=today, filled_at=today))
            written.append(dest)
            if progress:
                progress(n, len(cadre_ids), "正在导出任免审批表")
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written
