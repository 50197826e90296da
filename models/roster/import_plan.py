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
    UnimportedColumn,
    unit_and_post,
)
from models.roster.intake.identity import (
    ACCEPT_BIRTH_MISMATCH,
    MISSING_ID,
    People,
    ambiguous_message,
    birth_mismatch,
    missing_id_lines,
    row_birth,
)
from models.roster.intake.unit_choice import UnitChoices, UnsureUnit, chosen_unit
from models.roster.picklists import KINDS, match_key
from models.roster.service import get_cadre, unit_paths
from models.roster.tables import Cadre
from models.roster.types import (
    DATE_FIELDS,
    FIELD_LABELS,
    PICKLIST_FIELDS,
    CadreInput,
    unit_path_key,
    units_matching,
)
from models.roster.validation import MISSING_ID_WARNING, CheckContext, check, unknown_value_message

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
    # 需确认: (出生年月 as the table writes it, as the 身份证号 gives it) when they differ
    birth_mismatch: tuple[str, str] | None = None

    @property
    def has_errors(self) -> bool:
        return any(not i.warning for i in self.issues)


@dataclass(frozen=True)
class UnmappedValue:
    """A value no pick-list item (name or 别名) matches, asked about once however many rows
    hold it: ``field`` is the pick-list kind (education…), ``label`` its Chinese name."""

    field: str
    label: str
    value: str
    rows: tuple[SourceRef, ...]
    attributes: tuple[str, ...] = ()  # the cadre fields that held it (ft_education…)

    @property
    def count(self) -> int:
        return len(self.rows)

    def where(self, limit: int = 10) -> str:
        """第 3、7、9… 行, with file names when the rows come from several files."""
        by_file: dict[str, list[int | None]] = {}
        for src in self.rows:
            by_file.setdefault(src.file, []).append(src.row)
        parts = []
        for file, numbers in by_file.items():
            shown = [str(n) for n in numbers[:limit] if n is not None]
            more = "…" if len(numbers) > limit else ""
            text = f"第 {'、'.join(shown)}{more} 行" if shown else ""
            parts.append(text if len(by_file) == 1 else f"“{file}”{text}")
        return "；".join(parts)

    def text(self) -> str:
        return f"错误：{self.label}“{self.value}”不在代码表中：{self.count} 行（{self.where()}）"


@dataclass(frozen=True)
class ImportPlan:
    rows: list[PlannedRow]
    file_issues: list[FileIssue]
    new_units: list[str]
    on_duplicate: str
    unmapped: list[UnmappedValue] = field(default_factory=list)
    # the per-row issues the ``unmapped`` list stands for (not listed again one by one)
    unmapped_issues: frozenset[RowIssue] = frozenset()
    # source columns with data that are not imported (“未导入的列”), file by file
    not_imported: list[UnimportedColumn] = field(default_factory=list)
    # .lrmx/.lrm people whose 现任职务 names no unit or several (the wizard asks, row by row)
    unsure_units: list[UnsureUnit] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def issues(self) -> list[RowIssue]:
        return [i for r in self.rows for i in r.issues]

    @property
    def to_confirm(self) -> list[PlannedRow]:
        """需确认: the rows whose 出生年月 contradicts the birth date in their 身份证号."""
        return [r for r in self.rows if r.birth_mismatch]

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
        out += [u.text() for u in self.unmapped]
        out += missing_id_lines(self.issues)
        out += [
            i.text()
            for i in self.issues
            if i not in self.unmapped_issues and i.message != MISSING_ID
        ]
        return out


@dataclass(frozen=True)
class ImportResult:
    plan: ImportPlan
    imported: bool
    cadre_ids: list[int]


# --------------------------------------------------------------------------- planning


class _Units:
    """Unit names (or paths) → ids; unknown names become new units on import."""

    def __init__(self, choices: UnitChoices | None = None) -> None:
        self.choices, self.unsure = choices, list[UnsureUnit]()
        paths = unit_paths()
        self.by_path = {p: uid for uid, p in paths.items()}
        self._matches: dict[str, list[int]] = {}
        self.paths = paths
        self.new: dict[str, int] = {}  # name → placeholder id (negative)
        self._posts: PostUnitIndex | None = None

    def known(self, text: str) -> set[int]:
        return set(self._matching(text))  # the existing units meant; creates nothing

    def _matching(self, text: str) -> list[int]:
        """:func:`units_matching`, once per distinct text (rows repeat their unit)."""
        key = unit_path_key(text)
        if key not in self._matches:
            exact = self.by_path.get(key)
            self._matches[key] = [exact] if exact is not None else units_matching(self.paths, key)
        return self._matches[key]

    def from_post(self, row: ParsedRow) -> tuple[int | None, str, str]:
        """(id, path, problem): the unit a 任免审批表's 现任职务 names, else the one chosen
        for the row (else it is listed as unsure). The tree is indexed once, when needed."""
        if self._posts is None:
            self._posts = PostUnitIndex(self.paths)
        post = row.values.get("post_title")
        guess = self._posts.match(post if isinstance(post, str) else None)
        if guess.unit_id is not None:
            return guess.unit_id, guess.path, ""
        picked = chosen_unit(self.choices, row.source, self.by_path)
        uid, path, problem = picked or (None, "", guess.problem)
        if uid is None:
            self.unsure.append(UnsureUnit.of(row, guess.candidates))
        return uid, path, (f"按所选单位归入“{path}”" if uid is not None else problem)

    def resolve(self, text: str) -> tuple[int | None, str]:
        """(id, problem) for a name, path or end of a path; new names get a negative id."""
        text = unit_path_key(text)
        ids = self._matching(text)
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
        out[(layout.file, layout.sheet)] = layout.field_columns
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


def _post_issue(
    row: ParsedRow, message: str, *, warning: bool = False, columns: Columns | None = None
) -> RowIssue:
    """An issue about the 单位 of a 任免审批表 (or of a sheet row whose “工作单位及职务”
    column is its 现任职务), found (or not) from its 现任职务."""
    letter, header = (columns or {}).get("post_title", ("XianRenZhiWu", "现任职务"))
    return RowIssue(
        file=row.source.file,
        row=row.source.row,
        column=letter,
        header=header,
        label="单位",
        value=row.raw.get("post_title", ""),
        message=message,
        warning=warning,
    )


def _match_by_name_birth(
    row: ParsedRow, columns: Columns, people: People, units: _Units, *, without_id: bool
) -> tuple[int | None, RowIssue | None]:
    """The existing cadre with this row's 姓名 + 出生年月 (+ 单位 when two share them), or
    an issue naming the candidates. ``without_id``: only cadres still without 身份证号."""
    name, birth, unit = row.values.get("name"), row_birth(row.values), row.values.get("unit")
    if not isinstance(name, str) or not name or birth is None:
        return None, None
    in_unit = units.known(unit) if isinstance(unit, str) and unit else None
    found = people.candidates(name, birth, in_unit, without_id=without_id)
    if len(found) <= 1:
        return (found[0][0] if found else None), None
    message = ambiguous_message(found, units.paths, has_unit=in_unit is not None)
    return None, _issue(row, columns, "name", message)


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
    allow_missing_id: bool = False,
    accept_birth_mismatch: bool = False,
    unit_choices: UnitChoices | None = None,
) -> ImportPlan:
    """What importing ``result`` would do. Reads the database, writes nothing.
    ``default_unit`` is the unit (name or path) of new cadres whose row names none, such as
    任免审批表 files, which carry no unit. ``allow_missing_id``: new people without 身份证号
    are imported (matched by 姓名 + 出生年月 + 单位); ``accept_birth_mismatch``: rows whose
    出生年月 contradicts their 身份证号 are imported as the table writes them (else errors).
    ``unit_choices``: (file, row) → unit path for the rows listed in ``unsure_units``."""
    if on_duplicate not in ON_DUPLICATE:
        raise DomainError(f"已存在人员的处理方式应为 update、skip 或 stop，不能是“{on_duplicate}”")
    ctx = CheckContext.load(with_id_cards=True, with_variants=True)
    q = Cadre.select(Cadre.id, Cadre.name, Cadre.birth_date, Cadre.unit, Cadre.id_card)
    people = People.of(
        q.tuples(), allow_missing_id=allow_missing_id, accept_birth_mismatch=accept_birth_mismatch
    )
    units = _Units(unit_choices)
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
                people,
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
    unmapped, unmapped_issues = _unmapped(planned, ctx)
    return ImportPlan(
        planned,
        file_issues,
        list(units.new),
        on_duplicate,
        unmapped,
        unmapped_issues,
        not_imported=result.not_imported,
        unsure_units=units.unsure,
    )


def _unmapped(
    planned: list[PlannedRow], ctx: CheckContext
) -> tuple[list[UnmappedValue], frozenset[RowIssue]]:
    """Every value no pick-list item matches, once per (kind, value), with its rows."""
    found: dict[tuple[str, str], tuple[str, list[SourceRef], list[str]]] = {}
    issues: set[RowIssue] = set()
    for row in planned:
        if row.values is None:
            continue
        for attr, kind in PICKLIST_FIELDS.items():
            value = getattr(row.values, attr)
            if not value or ctx.official(kind, value) is not None:
                continue
            first, sources, attrs = found.setdefault((kind, match_key(value)), (value, [], []))
            if row.source not in sources:
                sources.append(row.source)
            if attr not in attrs:
                attrs.append(attr)
            message = unknown_value_message(value, FIELD_LABELS[attr])
            issues.update(i for i in row.issues if i.message == message)
    out = [
        UnmappedValue(kind, KINDS[kind], first, tuple(sources), tuple(attrs))
        for (kind, _key), (first, sources, attrs) in found.items()
    ]
    return out, frozenset(issues)


def _plan_row(
    row: ParsedRow,
    columns: Columns,
    ctx: CheckContext,
    people: People,
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
        else:  # someone imported without 身份证号: this row fills it in
            existing_id, problem = _match_by_name_birth(
                row, columns, people, units, without_id=True
            )
            if problem:
                return fail([problem])
            if existing_id is not None:
                match = "姓名+出生年月"
                if existing_id in people.filled:
                    first = people.filled[existing_id].source
                    where = f"第{first.row}行" if first.file == row.source.file else str(first)
                    message = f"与{where}按姓名+出生年月对应同一名干部，身份证号却不同"
                    return fail([_issue(row, columns, "id_card", message)])
                people.filled[existing_id] = row
    else:
        birth = row_birth(values)
        if values.get("name") and birth is not None:
            unit = values.get("unit") if isinstance(values.get("unit"), str) else ""
            key = (str(values["name"]), birth.year, birth.month, unit or "")
            if key in people.seen:
                first = people.seen[key].source
                where = f"第{first.row}行" if first.file == row.source.file else str(first)
                message = (
                    f"与{where}的姓名、出生年月{'、单位' if unit else ''}相同，且都没有身份证号"
                )
                return fail([_issue(row, columns, "name", message)])
            people.seen[key] = row
        existing_id, problem = _match_by_name_birth(row, columns, people, units, without_id=False)
        if problem:
            return fail([problem])
        if existing_id is not None:
            match = "姓名+出生年月"
        elif not people.allow_missing_id:
            return fail([_issue(row, columns, "id_card", MISSING_ID)])

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
    from_post = "extra" in values or unit_and_post(columns.get("post_title", ("", ""))[1])
    if not unit_text and existing_id is None and from_post and "unit" not in values:
        # a 任免审批表 (no 单位 field), or a sheet whose only unit is in “工作单位及职务”,
        # and no default unit: the unit its 现任职务 names
        uid, path, unit_problem = units.from_post(row)
        if uid is not None:
            inp.unit_id, unit_name = uid, path
            post = values.get("post_title")
            found = unit_problem or f"按现任职务“{post}”归入“{path}”"
            issues.append(_post_issue(row, found, warning=True, columns=columns))
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
    no_id = not checked.values.id_card  # allowed (or matched someone stored without one)
    mismatch = (
        birth_mismatch(checked.values) if isinstance(values.get("birth_date"), dt.date) else None
    )
    found = [
        fi
        for fi in checked.issues
        if not (no_id and fi.field == "id_card" and fi.message in ("必填", MISSING_ID_WARNING))
        and not (mismatch and fi.field == "birth_date" and "身份证号" in fi.message)
    ]
    issues.extend(
        _post_issue(row, unit_problem, columns=columns)
        if unit_problem and fi.field == "unit_id"
        else _issue(row, columns, fi.field, fi.message, warning=fi.warning)
        for fi in found
    )
    if mismatch:
        table, from_id = mismatch
        message = (
            f"与身份证号不符（身份证号中为 {from_id}），已按表中的 {table} 导入"
            if people.accept_birth_mismatch
            else f"与身份证号不符：表中为 {table}，身份证号中为 {from_id}。请核对；如表中正确，"
            f"请勾选“{ACCEPT_BIRTH_MISMATCH}”或使用 --accept-birth-mismatch"
        )
        issues.append(
            _issue(row, columns, "birth_date", message, warning=people.accept_birth_mismatch)
        )
    if any(not fi.warning for fi in found) or (mismatch and not people.accept_birth_mismatch):
        return PlannedRow(
            row.source,
            "错误",
            existing_id,
            match,
            _display(checked.values, unit_name),
            issues,
            checked.values,
            unit_name,
            birth_mismatch=mismatch,
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
        mismatch,
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
