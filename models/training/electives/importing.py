"""菜单化选学: trainees' wishes imported from a spreadsheet (第一志愿, 第二志愿, … beside 姓名
or 身份证号), all or nothing, each problem named by row and column.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from models.accounts import Permission, require
from models.core.db import write_transaction
from models.core.errors import DomainError
from models.core.workbook import open_workbook, read_file, sheet_rows
from models.roster.intake import (
    HEADER_SCAN_ROWS,
    FileIssue,
    RowIssue,
    ValueProblem,
    attribute_for,
    clean_name,
    display_raw,
    header_key,
    normalise_id_card,
)
from models.training.classes import class_row
from models.training.electives.menu import TraineeChoices, list_elective_choices, wish_name
from models.training.electives.rules import (
    ElectiveOption,
    elective_options,
    set_elective_choices,
)

__all__ = ["ChoiceImportResult", "import_elective_choices"]

_NUMERALS = "一二三四五六七八九十"
_WISH = re.compile(r"^第?([一二三四五六七八九十]|\d{1,2})志愿$")


@dataclass(frozen=True)
class ChoiceImportResult:
    rows: int  # person rows read
    imported: int  # trainees whose wishes were stored (0 when anything is wrong)
    issues: tuple[RowIssue, ...]
    file_issues: tuple[FileIssue, ...]

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if not i.warning) + sum(
            1 for f in self.file_issues if not f.warning
        )

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def lines(self) -> list[str]:
        return [*(f.text() for f in self.file_issues), *(i.text() for i in self.issues)]


@dataclass(frozen=True)
class _Col:
    index: int
    letter: str
    header: str
    kind: str  # name / id_card / wish
    preference: int = 0


def _wish_number(text: str) -> int | None:
    m = _WISH.match(header_key(text))
    if m is None:
        return None
    n = m.group(1)
    return int(n) if n.isdigit() else _NUMERALS.index(n) + 1


def _find_columns(grid: Sequence[Sequence[object]]) -> tuple[int, list[_Col]] | None:
    """The header row (0-based) and its columns: the first row naming at least one wish
    column and 姓名 or 身份证号."""
    from openpyxl.utils import get_column_letter  # lazy: openpyxl costs 0.2 s at start-up

    for r, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        cols: list[_Col] = []
        for k, value in enumerate(row):
            text = " ".join(str(value).split()) if value is not None else ""
            if not text:
                continue
            letter = get_column_letter(k + 1)
            n = _wish_number(text)
            attribute = attribute_for(text)
            if n is not None:
                cols.append(_Col(k, letter, text, "wish", n))
            elif attribute in ("name", "id_card") and not any(c.kind == attribute for c in cols):
                cols.append(_Col(k, letter, text, attribute))
        if any(c.kind == "wish" for c in cols) and any(c.kind in ("name", "id_card") for c in cols):
            return r, cols
    return None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _title_key(value: object) -> str:
    return "".join(str(value).split()).strip('《》<>"“”')


def import_elective_choices(
    class_id: int,
    path: str | Path,
    *,
    at: dt.datetime | None = None,
    dry_run: bool = False,
) -> ChoiceImportResult:
    """Import trainees' wishes from the first sheet of an xlsx: a header row with 姓名
    and/or 身份证号 and the columns 第一志愿, 第二志愿, 第三志愿 (more are allowed) holding
    elective course titles of the class. All or nothing: when any row is wrong nothing is
    stored, and every problem is listed with its row and column.

    A trainee is found by 身份证号 (a 姓名 beside it must match) or else by a unique 姓名.
    The imported wishes replace the trainee's earlier ones; trainees not in the sheet keep
    theirs. The sheet's row order is the order of handing in (先报先得): the first row at
    ``at`` (default now), each next row one second later. Raises DomainError when the file
    cannot be read, is not an Excel workbook or has no such header."""
    require(Permission.TRAINING)
    path = Path(path)
    file = path.name
    c = class_row(class_id)
    if c.status == "已结业":
        raise DomainError(f"班次《{c.name}》已结业，不能再导入选学志愿")
    wb = open_workbook(read_file(path), file)
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()
        grid = [list(row) for row in sheet_rows(ws, file)]
    finally:
        wb.close()
    found = _find_columns(grid)
    if found is None:
        raise DomainError(
            f"“{file}”的前{HEADER_SCAN_ROWS}行中没有找到表头：应有“姓名”或“身份证号”列，"
            "以及“第一志愿”“第二志愿”“第三志愿”列",
            record=file,
        )
    header_row, cols = found
    issues: list[RowIssue] = []
    file_issues: list[FileIssue] = []
    wish_cols = sorted((x for x in cols if x.kind == "wish"), key=lambda x: x.preference)
    numbers = [x.preference for x in wish_cols]
    if numbers != list(range(1, len(numbers) + 1)):
        file_issues.append(
            FileIssue(
                file,
                "志愿列应从“第一志愿”起依次排列，现有："
                + "、".join(f"“{x.header}”" for x in wish_cols),
            )
        )
    offered = elective_options(class_id)
    if not offered:
        raise DomainError(f"班次《{c.name}》没有选学课程，请先在课程列表中加入选学课程")
    by_title: dict[str, list[ElectiveOption]] = {}
    for o in offered:
        by_title.setdefault(_title_key(o.title), []).append(o)
    menu = "、".join(f"《{o.title}》" for o in offered)
    trainees = list_elective_choices(class_id)
    by_card = {t.id_card: t for t in trainees}
    by_name: dict[str, list[TraineeChoices]] = {}
    for t in trainees:
        by_name.setdefault(t.name, []).append(t)
    id_col = next((x for x in cols if x.kind == "id_card"), None)
    name_col = next((x for x in cols if x.kind == "name"), None)

    def issue(r: int, col: _Col, raw: object, label: str, message: str) -> None:
        issues.append(RowIssue(file, r, col.letter, label, display_raw(raw), message, col.header))

    ready: list[tuple[int, list[int]]] = []
    seen: dict[int, int] = {}
    rows_read = 0
    for offset, values in enumerate(grid[header_row + 1 :]):
        r = header_row + 2 + offset
        cell = {x.index: (values[x.index] if x.index < len(values) else None) for x in cols}
        if all(_blank(v) for v in cell.values()):
            continue
        rows_read += 1
        person: TraineeChoices | None = None
        if id_col is not None and not _blank(cell[id_col.index]):
            used = id_col
            raw = cell[id_col.index]
            try:
                number = normalise_id_card(raw, [])
            except ValueProblem as p:
                issue(r, id_col, raw, "身份证号", p.message)
                continue
            person = by_card.get(number or "")
            if person is None:
                issue(r, id_col, raw, "身份证号", f"身份证号为 {number} 的干部不是本班学员")
                continue
            if name_col is not None and not _blank(cell[name_col.index]):
                try:
                    name = clean_name(cell[name_col.index]) or ""
                except ValueProblem as p:
                    issue(r, name_col, cell[name_col.index], "姓名", p.message)
                    continue
                if name != person.name:
                    issue(
                        r,
                        name_col,
                        cell[name_col.index],
                        "姓名",
                        f"“{name}”与该身份证号的学员“{person.name}”不符",
                    )
                    continue
        elif name_col is not None and not _blank(cell[name_col.index]):
            used = name_col
            raw = cell[name_col.index]
            try:
                name = clean_name(raw) or ""
            except ValueProblem as p:
                issue(r, name_col, raw, "姓名", p.message)
                continue
            same = by_name.get(name, [])
            if len(same) != 1:
                why = (
                    "不是本班学员" if not same else f"本班有 {len(same)} 名同名学员，请填写身份证号"
                )
                issue(r, name_col, raw, "姓名", f"“{name}”{why}")
                continue
            person = same[0]
        else:
            col = id_col or name_col
            assert col is not None
            issue(r, col, None, col.header, "姓名和身份证号都是空的，无法确定是哪位学员")
            continue
        if person.cadre_id in seen:
            col = used
            issue(
                r,
                col,
                cell[col.index],
                "姓名",
                f"“{person.name}”与第{seen[person.cadre_id]}行是同一人",
            )
            continue
        seen[person.cadre_id] = r
        chosen: list[int] = []
        gap: _Col | None = None
        bad = False
        for x in wish_cols:
            raw = cell[x.index]
            if _blank(raw):
                gap = gap or x
                continue
            label = f"{person.name}的{wish_name(x.preference)}"
            if gap is not None:
                issue(r, x, raw, label, f"“{gap.header}”是空的，请依次填写志愿")
                bad = True
                break
            matches = by_title.get(_title_key(raw), [])
            if not matches:
                issue(r, x, raw, label, f"“{display_raw(raw)}”不是本班的选学课程；可选：{menu}")
                bad = True
                continue
            if len(matches) > 1:
                issue(r, x, raw, label, f"本班有 {len(matches)} 门选学课程都叫“{display_raw(raw)}”")
                bad = True
                continue
            if matches[0].course_id in chosen:
                issue(r, x, raw, label, f"《{matches[0].title}》重复填报")
                bad = True
                continue
            chosen.append(matches[0].course_id)
        if bad:
            continue
        if not chosen:
            issues.append(
                RowIssue(
                    file,
                    r,
                    wish_cols[0].letter,
                    person.name,
                    "",
                    "没有填写任何志愿，该学员原有志愿不变",
                    wish_cols[0].header,
                    warning=True,
                )
            )
            continue
        ready.append((person.cadre_id, chosen))
    if rows_read == 0 and not file_issues:
        file_issues.append(FileIssue(file, "表中没有任何学员的志愿"))
    result_issues = tuple(issues)
    if any(not i.warning for i in issues) or any(not f.warning for f in file_issues) or dry_run:
        return ChoiceImportResult(rows_read, 0, result_issues, tuple(file_issues))
    start = at or dt.datetime.now().replace(microsecond=0)
    with write_transaction():
        for k, (cadre_id, course_ids) in enumerate(ready):
            set_elective_choices(class_id, cadre_id, course_ids, at=start + dt.timedelta(seconds=k))
    return ChoiceImportResult(rows_read, len(ready), result_issues, tuple(file_issues))
