"""Importing cadres read by models.intake into the roster, all or nothing.

``plan_import`` turns the parsed rows into a preview: what each row will become (新增 / 更新 /
跳过 / 错误), with every problem named by file, row, column, value and reason, checked with
the roster's own rules. ``import_rows`` plans again inside one transaction and writes only
when no row is in error; a cancel or any failure rolls everything back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from models import idcard
from models.audit import current_user, record_changes
from models.cadre_check import CheckContext, check
from models.dates import ym
from models.db import bulk_insert, db
from models.errors import DomainError
from models.intake.reader import IntakeResult
from models.intake.records import (
    ATTRIBUTE_LABELS,
    FamilyRow,
    FileIssue,
    IntakeCancelled,
    ParsedRow,
    RowIssue,
    SourceRef,
)
from models.people import Cadre, ChangeLog, FamilyMember, Unit
from models.pinyin import name_keys
from models.roster import get_cadre, unit_paths
from models.roster_types import DATE_FIELDS, FIELD_LABELS, CadreDTO, CadreInput

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

ON_DUPLICATE = {"update": "更新", "skip": "跳过", "stop": "停止"}
# Attributes kept from .lrmx/.lrm files beyond the roster form.
EXTRA_TEXT = ("professional_title", "expertise", "resume", "rewards", "annual_results")
PREVIEW_FIELDS = (
    "name",
    "sex",
    "birth_date",
    "ethnicity",
    "political_status",
    "unit",
    "post_title",
    "leadership_level",
    "rank",
    "post_since",
    "id_card",
)


@dataclass(frozen=True)
class PlannedRow:
    source: SourceRef
    action: str  # 新增 / 更新 / 跳过 / 错误
    existing_id: int | None
    match: str  # how the existing cadre was found: 身份证号 / 姓名+出生年月 / ''
    preview: dict[str, str]  # Chinese label → text as it will be stored
    issues: list[RowIssue]
    values: CadreInput | None = None
    unit_name: str = ""
    extras: dict[str, object] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return any(not i.warning for i in self.issues)


@dataclass(frozen=True)
class ImportPlan:
    rows: list[PlannedRow]
    file_issues: list[FileIssue]
    new_units: list[str]
    on_duplicate: str

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def issues(self) -> list[RowIssue]:
        return [i for r in self.rows for i in r.issues]

    @property
    def ok(self) -> bool:
        return not any(not f.warning for f in self.file_issues) and not any(
            r.has_errors for r in self.rows
        )

    def summary(self) -> str:
        return (
            f"新增 {self.count('新增')}，更新 {self.count('更新')}，"
            f"跳过 {self.count('跳过')}，错误 {self.error_count}"
        )

    @property
    def error_count(self) -> int:
        rows = sum(1 for r in self.rows if r.has_errors)
        return rows + sum(1 for f in self.file_issues if not f.warning)

    def lines(self) -> list[str]:
        """The summary, then one line per problem (files first, then rows in order)."""
        out = [self.summary()]
        if self.new_units:
            out.append("将新建单位：" + "、".join(self.new_units))
        out += [f.text() for f in self.file_issues]
        out += [i.text() for i in self.issues]
        return out


@dataclass(frozen=True)
class ImportResult:
    plan: ImportPlan
    imported: bool
    cadre_ids: list[int]


# --------------------------------------------------------------------------- planning


class _Units:
    """Unit names (or paths) → ids; unknown names become new units on import."""

    def __init__(self) -> None:
        paths = unit_paths()
        self.by_path = {p: uid for uid, p in paths.items()}
        self.by_name: dict[str, list[int]] = {}
        for uid, p in paths.items():
            self.by_name.setdefault(p.rsplit("/", 1)[-1], []).append(uid)
        self.paths = paths
        self.new: dict[str, int] = {}  # name → placeholder id (negative)

    def resolve(self, text: str) -> tuple[int | None, str]:
        """(id, problem). New names get a negative placeholder id."""
        text = "/".join(part.strip() for part in text.replace("／", "/").split("/") if part.strip())
        if text in self.by_path:
            return self.by_path[text], ""
        ids = self.by_name.get(text, [])
        if len(ids) == 1:
            return ids[0], ""
        if len(ids) > 1:
            examples = "；".join(self.paths[i] for i in ids[:3])
            return None, f"名为“{text}”的单位有 {len(ids)} 个，请写出完整路径，如 {examples}"
        if text not in self.new:
            self.new[text] = -(len(self.new) + 1)
        return self.new[text], ""


Columns = Mapping[str, tuple[str, str]]  # attribute → (column letter, header as written)


def _columns(result: IntakeResult) -> dict[tuple[str, str | None], Columns]:
    """(file, sheet) → attribute → (letter, header), to say where a problem is."""
    out: dict[tuple[str, str | None], Columns] = {}
    for layout in result.layouts:
        out[(layout.file, layout.sheet)] = {
            c.attribute: (c.letter, c.header) for c in layout.columns if c.attribute is not None
        }
    return out


def _issue(
    row: ParsedRow,
    columns: Columns,
    attribute: str,
    message: str,
    *,
    warning: bool = False,
    label: str = "",
) -> RowIssue:
    attr = "unit" if attribute == "unit_id" else attribute
    letter, header = columns.get(attr, ("", ""))
    return RowIssue(
        file=row.source.file,
        row=row.source.row,
        column=letter,
        header=header,
        label=label or ATTRIBUTE_LABELS.get(attr, FIELD_LABELS.get(attribute, attribute)),
        value=row.raw.get(attr, ""),
        message=message,
        warning=warning,
    )


def _existing(ctx: CheckContext) -> dict[tuple[str, int, int], list[int]]:
    """(name, birth year, birth month) → cadre ids, for rows without a 身份证号."""
    out: dict[tuple[str, int, int], list[int]] = {}
    for cid, name, birth in Cadre.select(Cadre.id, Cadre.name, Cadre.birth_date).tuples():
        b = birth if isinstance(birth, dt.date) else dt.date.fromisoformat(str(birth)[:10])
        out.setdefault((name, b.year, b.month), []).append(cid)
    return out


def _display(v: CadreInput, unit_name: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for attr in PREVIEW_FIELDS:
        if attr == "unit":
            out["单位"] = unit_name
            continue
        value = getattr(v, attr)
        out[FIELD_LABELS[attr]] = ym(value) if isinstance(value, dt.date) else (value or "")
    return out


def plan_import(
    result: IntakeResult,
    *,
    on_duplicate: str = "update",
    default_unit: str | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportPlan:
    """What importing ``result`` would do. Reads the database, writes nothing.
    ``default_unit`` is the unit (name or path) of new cadres whose row names none, such as
    任免审批表 files, which carry no unit."""
    if on_duplicate not in ON_DUPLICATE:
        raise DomainError(f"已存在人员的处理方式应为 update、skip 或 stop，不能是“{on_duplicate}”")
    ctx = CheckContext.load(with_id_cards=True)
    by_name_birth = _existing(ctx)
    units = _Units()
    columns = _columns(result)
    seen: dict[str, ParsedRow] = {}
    planned: list[PlannedRow] = []
    total = len(result.rows)
    for n, row in enumerate(result.rows, start=1):
        if cancelled and n % 200 == 1 and cancelled():
            raise IntakeCancelled
        planned.append(
            _plan_row(
                row,
                columns.get((row.source.file, row.source.sheet), {}),
                ctx,
                by_name_birth,
                units,
                seen,
                on_duplicate,
                today,
                default_unit,
            )
        )
        if progress and n % 500 == 0:
            progress(n, total, "正在检查")
    if not result.rows and not result.errors:
        file_issues = [*result.issues, FileIssue("", "没有读到任何干部数据")]
    else:
        file_issues = list(result.issues)
    return ImportPlan(planned, file_issues, list(units.new), on_duplicate)


def _plan_row(
    row: ParsedRow,
    columns: Columns,
    ctx: CheckContext,
    by_name_birth: dict[tuple[str, int, int], list[int]],
    units: _Units,
    seen: dict[str, ParsedRow],
    on_duplicate: str,
    today: dt.date | None,
    default_unit: str | None = None,
) -> PlannedRow:
    issues = list(row.issues)
    values = row.values
    empty = {"preview": {}, "values": None}

    def fail(extra: list[RowIssue], existing: int | None = None, how: str = "") -> PlannedRow:
        return PlannedRow(row.source, "错误", existing, how, issues=issues + extra, **empty)

    if row.has_errors:
        return PlannedRow(row.source, "错误", None, "", issues=issues, **empty)

    # Which cadre is this?
    number = values.get("id_card")
    existing_id, match = None, ""
    if isinstance(number, str) and number:
        if number in seen:
            first = seen[number].source
            where = f"第{first.row}行" if first.file == row.source.file else str(first)
            return fail([_issue(row, columns, "id_card", f"与{where}的身份证号重复")])
        seen[number] = row
        owner = ctx.id_card_owner(number)
        if owner:
            existing_id, match = owner[0], "身份证号"
    elif values.get("name") and isinstance(values.get("birth_date"), dt.date):
        b = values["birth_date"]
        ids = by_name_birth.get((values["name"], b.year, b.month), [])  # type: ignore[union-attr]
        if len(ids) > 1:
            return fail(
                [
                    _issue(
                        row,
                        columns,
                        "name",
                        f"姓名和出生年月相同的干部有 {len(ids)} 名，"
                        "无法确定是谁，请在表中填写身份证号",
                    )
                ]
            )
        if ids:
            existing_id, match = ids[0], "姓名+出生年月"

    if existing_id is not None and on_duplicate == "stop":
        return fail(
            [
                _issue(
                    row,
                    columns,
                    "id_card" if match == "身份证号" else "name",
                    f"该干部已在名册中（按{match}匹配），已按“遇到已有人员即停止”处理",
                )
            ],
            existing_id,
            match,
        )
    base = CadreInput.from_dto(get_cadre(existing_id)) if existing_id else CadreInput()
    unit_name = ""
    if existing_id is not None and on_duplicate == "skip":
        preview = _display(base, units.paths.get(base.unit_id or 0, ""))
        return PlannedRow(row.source, "跳过", existing_id, match, preview, issues)

    inp = dataclasses.replace(base)
    for attr, value in values.items():
        if value is None or attr == "unit" or not hasattr(inp, attr) or attr in ("id", "version"):
            continue
        setattr(inp, attr, value)
    unit_text = values.get("unit") or (default_unit if existing_id is None else None)
    if isinstance(unit_text, str) and unit_text:
        uid, problem = units.resolve(unit_text)
        if problem:
            return fail([_issue(row, columns, "unit", problem)])
        inp.unit_id = uid
        unit_name = unit_text
        if uid is not None and uid < 0:
            ctx.unit_ids.add(uid)
    elif base.unit_id:
        unit_name = units.paths.get(base.unit_id, "")
    if existing_id is None and not isinstance(number, str):
        inp.id_card = ""
    _keep_precise_dates(inp, base, number if isinstance(number, str) else "")
    checked = check(inp, today=today, ctx=ctx)
    issues.extend(
        _issue(row, columns, fi.field, fi.message, warning=fi.warning) for fi in checked.issues
    )
    if checked.errors:
        return PlannedRow(
            row.source,
            "错误",
            existing_id,
            match,
            _display(checked.values, unit_name),
            issues,
            checked.values,
            unit_name,
        )
    extras = {k: values[k] for k in (*EXTRA_TEXT, "family", "photo", "extra") if k in values}
    action = "更新" if existing_id else "新增"
    return PlannedRow(
        row.source,
        action,
        existing_id,
        match,
        _display(checked.values, unit_name),
        issues,
        checked.values,
        unit_name,
        extras,
    )


def _keep_precise_dates(inp: CadreInput, base: CadreInput, number: str) -> None:
    """A sheet that says 1975.03 must not turn a known 1975-03-12 into 1975-03-01: keep the
    stored day (or the day in the 身份证号) when the year and month agree."""
    for attr in DATE_FIELDS:
        new, old = getattr(inp, attr), getattr(base, attr)
        if new is None or new.day != 1:
            continue
        known = old
        if attr == "birth_date" and number:
            try:
                known = idcard.parse(number).birth_date
            except idcard.IdCardError:
                known = old
        if known is not None and (known.year, known.month) == (new.year, new.month):
            setattr(inp, attr, known)


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
    cancelled: Cancelled | None = None,
) -> ImportResult:
    """Plan and, when every row is fine and this is not a dry run, write all of it in one
    transaction. Nothing is written when any row is in error or the user cancels."""
    user = user or current_user()
    now = dt.datetime.now().replace(microsecond=0)
    with db.atomic() as txn:
        plan = plan_import(
            result,
            on_duplicate=on_duplicate,
            default_unit=default_unit,
            today=today,
            progress=progress,
            cancelled=cancelled,
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
                raise IntakeCancelled
            v = r.values
            assert v is not None
            if v.unit_id is not None and v.unit_id < 0:
                v = dataclasses.replace(v, unit_id=new_unit_ids[v.unit_id])
            row = {name: getattr(v, name) for name in FIELD_LABELS if name != "unit_id"}
            row["unit"] = v.unit_id
            row["name_pinyin"], row["name_initials"] = name_keys(v.name)
            row.update(_extra_columns(r.extras))
            if r.action == "新增":
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
    """The cadre in the intake record shape (for models.intake.write_lrmx)."""
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


def find_by_id_card(number: str) -> CadreDTO:
    from models import idcard

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
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> list[Path]:
    """Write each cadre as ``姓名.lrmx`` into ``folder`` (``姓名（2）.lrmx`` for a second
    person of the same name; existing files are never overwritten). All or nothing: on a
    cancel or an error the files written so far are removed again."""
    from models.intake.lrmx import write_lrmx

    if not folder.is_dir():
        raise DomainError(f"文件夹“{folder}”不存在")
    written: list[Path] = []
    try:
        for n, cid in enumerate(cadre_ids, start=1):
            if cancelled and cancelled():
                raise IntakeCancelled
            record = lrmx_record(cid)
            stem = "".join(c for c in str(record.get("name") or cid) if c not in '\\/:*?"<>|')
            dest, k = folder / f"{stem}.lrmx", 1
            while dest.exists():
                k += 1
                dest = folder / f"{stem}（{k}）.lrmx"
            dest.write_bytes(write_lrmx(record))
            written.append(dest)
            if progress:
                progress(n, len(cadre_ids), "正在导出任免审批表")
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written
