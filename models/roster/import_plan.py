"""Planning a roster import: what each row read by models.roster.intake will become
(新增 / 更新 / 跳过 / 错误), checked with the roster's own rules. Reads the database and writes
nothing; :func:`models.roster.importing.import_rows` does the writing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from models.core.dates import ym
from models.core.errors import DomainError
from models.core.progress import Cancelled, IsCancelled, Progress
from models.roster import idcard
from models.roster.intake import (
    ATTRIBUTE_LABELS,
    IMPORT_CANCELLED,
    FileIssue,
    IntakeResult,
    ParsedRow,
    PostUnitIndex,
    RowIssue,
    SourceRef,
)
from models.roster.service import get_cadre, unit_paths
from models.roster.tables import Cadre
from models.roster.types import DATE_FIELDS, FIELD_LABELS, CadreInput
from models.roster.validation import CheckContext, check

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
        self._posts: PostUnitIndex | None = None

    def from_post(self, post_title: object) -> tuple[int | None, str, str]:
        """(id, path, problem): the unit a 任免审批表's 现任职务 names (the tree is indexed
        once, on the first file that needs it)."""
        if self._posts is None:
            self._posts = PostUnitIndex(self.paths)
        guess = self._posts.match(post_title if isinstance(post_title, str) else None)
        return guess.unit_id, guess.path, guess.problem

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


def _post_issue(row: ParsedRow, message: str, *, warning: bool = False) -> RowIssue:
    """An issue about the 单位 of a 任免审批表, found (or not) from its 现任职务."""
    return RowIssue(
        file=row.source.file,
        row=row.source.row,
        column="XianRenZhiWu",
        header="现任职务",
        label="单位",
        value=row.raw.get("post_title", ""),
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
    cancelled: IsCancelled | None = None,
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
            raise Cancelled(IMPORT_CANCELLED)
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
    unit_problem = ""
    if not unit_text and existing_id is None and "extra" in values and "unit" not in values:
        # a 任免审批表 (no 单位 field) and no default unit: the unit its 现任职务 names
        uid, path, unit_problem = units.from_post(values.get("post_title"))
        if uid is not None:
            inp.unit_id, unit_name = uid, path
            post = values.get("post_title")
            issues.append(_post_issue(row, f"按现任职务“{post}”归入“{path}”", warning=True))
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
        _post_issue(row, unit_problem)
        if unit_problem and fi.field == "unit_id"
        else _issue(row, columns, fi.field, fi.message, warning=fi.warning)
        for fi in checked.issues
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
