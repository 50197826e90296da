"""Score templates for units that collect 五项考核 scores themselves: export an .xlsx the unit
fills in, import it back all or nothing.

The template has one row per person (序号, 姓名, 身份证号 as text, 单位, 现任职务), one column
per item with its full score in the header ("德（满分100）") and the 民主测评 vote columns per
rater group ("上级领导/优秀票"). Import finds the template's header (on any sheet, within
the first rows) and compares it with the template this module exports: a missing, extra or
edited column is an error naming its letter and the header expected. 姓名 and 身份证号 must
name the same person on every row; they are normalised with the roster's normalisers, every
cell is checked, and each problem is a :class:`RowIssue` (file, row, column, value,
reason). Empty cells leave stored values unchanged. A workbook that fails while it is read
is a Chinese "已损坏" message.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from models.accounts import Permission, require
from models.assessment.members import list_members
from models.assessment.rounds import MemberDTO, get_round, writable_round
from models.assessment.rules import AssessmentRules, fmt_number
from models.assessment.scores import (
    ScoreCell,
    VoteEntry,
    parse_count,
    parse_score,
    set_scores,
    set_votes_block,
)
from models.assessment.tables import ItemScore, VoteCount
from models.backup import BEFORE_IMPORT, backup_before
from models.core.db import write_transaction
from models.core.errors import DomainError
from models.core.files import as_new_file
from models.core.workbook import open_workbook, read_file
from models.roster.intake import (
    FileIssue,
    RowIssue,
    ValueProblem,
    clean_name,
    display_raw,
    normalise_id_card,
)
from models.roster.intake.headers import HEADER_SCAN_ROWS, header_key

__all__ = ["ScoreImportResult", "export_score_template", "import_scores"]

_FULL = re.compile(r"[（(]\s*满分\s*([\d.]+)\s*[)）]\s*$")

log = logging.getLogger(__name__)

SHEET_NAME = "评分表"
_FIXED = ("序号", "姓名", "身份证号", "单位", "现任职务")
_FIXED_KIND = {"姓名": "name", "身份证号": "id_card"}
_HINT = "请用本系统导出的评分表填写"
_REDO = "评分表的表头不能修改，列不能增删；请重新导出评分表，填好得分后再导入"
_MAX_VOTES = 1_000_000  # no group casts more votes; bigger numbers are typing slips


@dataclass(frozen=True)
class ScoreImportResult:
    rows: int  # person rows read
    updated: int  # person rows whose values were stored (0 on a dry run or with errors)
    cells_changed: int
    issues: tuple[RowIssue, ...]
    file_issues: tuple[FileIssue, ...]
    imported: bool

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if not i.warning) + sum(
            1 for f in self.file_issues if not f.warning
        )

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def summary(self) -> str:
        n = self.updated if self.imported else (self.rows if self.ok else 0)
        return f"更新 {n}，错误 {self.errors}"

    def lines(self) -> list[str]:
        return [
            self.summary(),
            *(f.text() for f in self.file_issues),
            *(i.text() for i in self.issues),
        ]


def _item_header(name: str, full: Decimal) -> str:
    return f"{name}（满分{fmt_number(full)}）"


def _vote_header(group: str, label: str) -> str:
    return f"{group}/{label}票"


@dataclass(frozen=True)
class _Col:
    index: int  # 0-based
    letter: str
    header: str
    kind: str  # fixed / name / id_card / item / vote
    code: str = ""
    label: str = ""


def _letter(index: int) -> str:
    """The Excel column letter of a 0-based column index (A, …, Z, AA, …)."""
    out = ""
    n = index + 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(ord("A") + r) + out
    return out


def _template_columns(rules: AssessmentRules) -> list[_Col]:
    """The columns of the score template for ``rules``, as :func:`export_score_template`
    writes them and :func:`import_scores` expects them back."""
    headers: list[tuple[str, str, str, str]] = [
        (h, _FIXED_KIND.get(h, "fixed"), "", "") for h in _FIXED
    ]
    headers += [
        (_item_header(i.name, i.full_score), "item", i.code, "")
        for i in rules.items
        if i.effective_weight != 0
    ]
    headers += [
        (_vote_header(g.name, v.label), "vote", g.code, v.label)
        for g in rules.rater_groups
        for v in rules.vote_values
    ]
    return [
        _Col(n, _letter(n), h, kind, code, label)
        for n, (h, kind, code, label) in enumerate(headers)
    ]


def export_score_template(round_id: int, unit_id: int | None, dest: str | Path) -> int:
    """Write the score template of a round (one unit and its sub-units, or everyone) to
    ``dest`` atomically; returns the number of person rows. Stored scores are pre-filled."""
    # lazy: openpyxl takes over 0.1 s to import; only writing a template needs it
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell  # lazy: as above
    from openpyxl.styles import Alignment, Font  # lazy: as above

    rnd = get_round(round_id)
    rules = rnd.rules
    members = [m for m in list_members(round_id, unit_id) if not m.not_participating]
    columns = _template_columns(rules)
    scored = [c for c in columns if c.kind in ("item", "vote")]
    scores: dict[tuple[int, str], str] = {
        (c, code): s
        for c, code, s in ItemScore.select(ItemScore.cadre, ItemScore.item_code, ItemScore.score)
        .where(ItemScore.round == round_id)
        .tuples()
    }
    votes: dict[tuple[int, str, str], int] = {
        (c, g, lab): n
        for c, g, lab, n in VoteCount.select(
            VoteCount.cadre, VoteCount.group_code, VoteCount.grade_label, VoteCount.count
        )
        .where(VoteCount.round == round_id)
        .tuples()
    }
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEET_NAME)
    widths = [6, 10, 21, 20, 24]
    widths += [11 if c.kind == "item" else 12 for c in scored]
    for c, w in zip(columns, widths, strict=True):
        ws.column_dimensions[c.letter].width = w
    ws.freeze_panes = "C3"
    title = WriteOnlyCell(ws, value=f"{rnd.name}评分表（请勿修改表头和身份证号）")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    head = []
    for col in columns:
        c = WriteOnlyCell(ws, value=col.header)
        c.font = Font(bold=True)
        c.alignment = Alignment(horizontal="center", wrap_text=True)
        head.append(c)
    ws.append(head)
    for n, m in enumerate(members, start=1):
        idc = WriteOnlyCell(ws, value=m.id_card)
        idc.number_format = "@"
        row: list[object] = [n, m.name, idc, m.unit_name, m.post_title]
        for c in scored:
            if c.kind == "item":
                s = scores.get((m.cadre_id, c.code))
                row.append(None if s is None else float(s) if "." in s else int(s))
            else:
                row.append(votes.get((m.cadre_id, c.code, c.label)))
        ws.append(row)
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~", suffix=".xlsx", dir=dest.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        as_new_file(tmp)  # readable as any file the user saves, not owner-only
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(members)


# --------------------------------------------------------------------------- reading


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    return "" if value is None else " ".join(str(value).split())


def _shown(value: object) -> str:
    """A cell value for a message: as written, cut short when it is long."""
    text = display_raw(value)
    return text if len(text) <= 40 else f"{text[:40]}…（共{len(text)}字）"


def _header_row(rows: Sequence[Sequence[object]], keys: set[str], scored: set[str]) -> int | None:
    """The index of the row (among the first ones) naming the most template columns: at
    least two, one of them a score column (``scored``: an item, also with its full score
    edited, or a vote column), so that a list of names on another sheet is not taken for
    the template. None if there is none."""
    best: tuple[int, int] | None = None
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = [header_key(_text(v)) for v in row]
        hits = sum(1 for k in found if k in keys or k in scored)
        if hits >= 2 and any(k in scored for k in found) and (best is None or hits > best[1]):
            best = (index, hits)
    return None if best is None else best[0]


@dataclass(frozen=True)
class _Sheet:
    title: str
    grid: list[list[object]]
    header: int  # 0-based row index of the header
    several: bool  # the workbook has more than one sheet


def _read_sheet(data: bytes, file: str, expected: list[_Col]) -> _Sheet:
    """The sheet holding the template (the one named 评分表 first, then the others in
    order) with all its rows. DomainError when no sheet has the template's header, when
    several have, or when the workbook fails while it is read (damaged parts)."""
    wb = open_workbook(data, file, hint=_HINT)
    keys = {header_key(c.header) for c in expected}
    scored = {header_key(c.header) for c in expected if c.kind in ("item", "vote")}
    scored |= {header_key(_FULL.sub("", c.header)) for c in expected if c.kind == "item"}
    example = next((c.header for c in expected if c.kind == "item"), expected[-1].header)
    title = ""
    done = 0
    try:
        sheets = sorted(wb.worksheets, key=lambda ws: ws.title != SHEET_NAME)
        found = []
        for ws in sheets:
            title = ws.title
            ws.reset_dimensions()  # some writers store a wrong dimension; read every cell
            head = [list(r) for r in ws.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True)]
            at = _header_row(head, keys, scored)
            if at is not None:
                found.append((ws, at))
        if len(found) > 1:
            names = "”“".join(ws.title for ws, _ in found)
            raise DomainError(
                f"“{file}”中有多张评分表（工作表“{names}”）；请把得分填在一张表中，"
                "删去其余工作表后再导入",
                record=file,
            )
        if not found:
            names = "”“".join(ws.title for ws in sheets)
            where = f"工作表“{names}”" if len(sheets) == 1 else f"各工作表（“{names}”）"
            raise DomainError(
                f"“{file}”的{where}前{HEADER_SCAN_ROWS}行中没有找到评分表的表头"
                f"（应有“姓名”“身份证号”和各考核项目列，如“{example}”）；" + _HINT,
                record=file,
            )
        ws, at = found[0]
        title = ws.title
        grid: list[list[object]] = []
        for r in ws.iter_rows(values_only=True):
            grid.append(list(r))
            done += 1
        return _Sheet(title, grid, at, len(sheets) > 1)
    except DomainError:
        raise
    except Exception as exc:  # openpyxl and the XML parser raise many types for damaged parts
        # the traceback goes to the log file only (not to the command line, which shows
        # warnings): the user's file is damaged, nothing in the program failed
        log.info("damaged score workbook %s, sheet %s, row %d", file, title, done, exc_info=True)
        where = f"的工作表“{title}”" if title else ""
        near = f"，读到第{done}行附近出错" if done else ""
        raise DomainError(
            f"“{file}”{where}已损坏{near}；请在Excel或WPS中打开后重新保存",
            record=file,
        ) from exc
    finally:
        wb.close()


def _match_columns(
    file: str, sheet: _Sheet, rules: AssessmentRules, expected: list[_Col]
) -> tuple[list[_Col], list[RowIssue], list[FileIssue]]:
    """The template columns found in the sheet's header (at their place in the file), and
    every difference from the template: a column missing, added, edited or twice."""
    row_no = sheet.header + 1
    texts = [_text(v) for v in sheet.grid[sheet.header]]
    body = sheet.grid[sheet.header + 1 :]
    width = max([len(texts), *(len(r) for r in body)])
    by_key = {header_key(c.header): c for c in expected}
    items = {header_key(i.name): i for i in rules.items}
    exported_items = {c.code: c for c in expected if c.kind == "item"}
    in_sheet = sheet.title if sheet.several else None
    found: list[_Col] = []
    taken: dict[str, str] = {}  # expected header -> letter in the file
    issues: list[RowIssue] = []
    unknown: list[tuple[str, str]] = []  # letter, header

    def issue(letter: str, header: str, message: str) -> None:
        issues.append(
            RowIssue(file, row_no, letter, "表头", _shown(header), message, header, sheet=in_sheet)
        )

    for index in range(width):
        letter = _letter(index)
        text = texts[index] if index < len(texts) else ""
        if not text:
            filled = next(
                (n for n, r in enumerate(body) if index < len(r) and not _is_blank(r[index])),
                None,
            )
            if filled is not None:
                issue(
                    letter,
                    "",
                    f"这一列没有表头，却填有内容（如第{row_no + 1 + filled}行）；{_REDO}",
                )
            continue
        col = by_key.get(header_key(text))
        if col is not None:
            if col.header in taken:
                issue(letter, text, f"与{taken[col.header]}列重复")
                continue
            taken[col.header] = letter
            found.append(replace(col, index=index, letter=letter, header=text))
            continue
        item = items.get(header_key(_FULL.sub("", text)))
        if item is not None and item.code in exported_items:
            want = exported_items[item.code]
            if want.header not in taken:
                taken[want.header] = letter
                issue(letter, text, f"表头应为“{want.header}”（满分以本轮考核方案为准）；{_REDO}")
                continue
        unknown.append((letter, text))
    missing = {c.letter: c for c in expected if c.header not in taken}
    for letter, text in unknown:
        want = missing.pop(letter, None)
        if want is not None:
            issue(letter, text, f"表头应为“{want.header}”；{_REDO}")
        else:
            issue(letter, text, f"“{_shown(text)}”不是本轮评分表中的列；{_REDO}")
    file_issues = [
        FileIssue(
            file,
            f"“{file}”缺少“{c.header}”列（本系统导出的评分表中是{c.letter}列）；{_REDO}",
        )
        for c in missing.values()
    ]
    return found, issues, file_issues


def import_scores(
    path: str | Path, round_id: int, *, dry_run: bool = False, user: str | None = None
) -> ScoreImportResult:
    """Import a filled score template into a round, all or nothing: nothing is stored when
    any cell or header is wrong (or on a dry run). Raises DomainError when the file cannot
    be read, or another import holds the database for longer than the wait."""
    path = Path(path)
    file = path.name
    data = read_file(path)
    if not dry_run:
        require(Permission.SCORES)  # before the backup; the units are checked when storing
    backup_before(BEFORE_IMPORT, dry_run=dry_run)  # a checked 导入前 backup (models.backup)
    rnd = get_round(round_id)
    rules = rnd.rules
    expected = _template_columns(rules)
    sheet = _read_sheet(data, file, expected)
    cols, issues, file_issues = _match_columns(file, sheet, rules, expected)
    in_sheet = sheet.title if sheet.several else None
    taking_part = [m for m in list_members(round_id) if not m.not_participating]
    members = {m.id_card: m for m in taking_part if m.id_card}  # 缺身份证号: found by name
    by_name: dict[str, list] = {}
    for m in taking_part:
        by_name.setdefault(m.name, []).append(m)
    cells: list[ScoreCell] = []
    votes: list[VoteEntry] = []
    rows_read = 0
    seen: dict[int, int] = {}
    id_col = next((c for c in cols if c.kind == "id_card"), None)
    name_col = next((c for c in cols if c.kind == "name"), None)
    data_cols = [c for c in cols if c.kind in ("item", "vote")]

    def issue(r: int, col: _Col, raw: object, label: str, message: str) -> None:
        issues.append(
            RowIssue(file, r, col.letter, label, _shown(raw), message, col.header, sheet=in_sheet)
        )

    for offset, values in enumerate(sheet.grid[sheet.header + 1 :]):
        r = sheet.header + 2 + offset
        cell = {c.index: (values[c.index] if c.index < len(values) else None) for c in cols}
        if all(_is_blank(cell[c.index]) for c in data_cols):
            continue  # a person row left empty, or a blank row: nothing to import
        rows_read += 1
        member = None
        if id_col is not None and not _is_blank(cell[id_col.index]):
            raw = cell[id_col.index]
            try:
                number = normalise_id_card(raw, [])
            except ValueProblem as p:
                issue(r, id_col, raw, "身份证号", p.message)
                continue
            member = members.get(number or "")
            if member is None:
                issue(
                    r,
                    id_col,
                    raw,
                    "身份证号",
                    f"身份证号为 {number} 的人员不在“{rnd.name}”考核人员中",
                )
                continue
            if name_col is not None and not _agrees(issue, r, name_col, id_col, cell, member):
                continue
        elif name_col is not None:
            raw = cell[name_col.index]
            try:
                name = clean_name(raw) or ""
            except ValueProblem as p:
                issue(r, name_col, raw, "姓名", p.message)
                continue
            found_m = by_name.get(name, [])
            if len(found_m) != 1:
                why = (
                    "不在本轮考核人员中"
                    if not found_m
                    else f"有 {len(found_m)} 名同名人员，请填写身份证号"
                )
                issue(r, name_col, raw, "姓名", f"“{name}”{why}")
                continue
            member = found_m[0]
        else:
            break  # neither column: named among the header problems
        if member.cadre_id in seen:
            col = id_col or name_col
            assert col is not None
            issue(r, col, cell[col.index], member.name, f"与第{seen[member.cadre_id]}行是同一人")
            continue
        seen[member.cadre_id] = r
        person_votes: dict[str, dict[str, object]] = {}
        for c in data_cols:
            raw = cell[c.index]
            if _is_blank(raw):
                continue
            if c.kind == "item":
                item = rules.items_by_code[c.code]
                try:
                    value = parse_score(raw, item.full_score)
                except ValueError as exc:
                    issue(r, c, raw, f"{member.name}的“{item.name}”得分", _reason(exc, raw, "数字"))
                    continue
                cells.append(ScoreCell(member.cadre_id, c.code, value))
            else:
                group = rules.groups_by_code[c.code].name
                label = f"{member.name}的“{group}”组{c.label}票数"
                try:
                    n = parse_count(raw)
                except ValueError as exc:
                    issue(r, c, raw, label, _reason(exc, raw, "不小于 0 的整数"))
                    continue
                if n is not None and n > _MAX_VOTES:
                    issue(r, c, raw, label, f"票数 {n} 过大，请核对")
                    continue
                person_votes.setdefault(c.code, {})[c.label] = n
        if person_votes:
            votes.append(VoteEntry(member.cadre_id, person_votes))
    if rows_read == 0 and not file_issues and not issues:
        file_issues.append(FileIssue(file, "表中没有填写任何得分"))
    ok = not any(not i.warning for i in issues) and not any(not f.warning for f in file_issues)
    changed = 0
    if ok and not dry_run:
        with write_transaction():
            writable_round(round_id)
            reason = f"从“{file}”导入"
            changed = set_scores(round_id, cells, reason=reason, user=user)
            changed += set_votes_block(round_id, votes, reason=reason, user=user)
    elif ok:
        writable_round(round_id)  # a dry run on a locked round says so too
    return ScoreImportResult(
        rows=rows_read,
        updated=rows_read if ok and not dry_run else 0,
        cells_changed=changed,
        issues=tuple(issues),
        file_issues=tuple(file_issues),
        imported=ok and not dry_run,
    )


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _reason(exc: ValueError, raw: object, what: str) -> str:
    """The parser's Chinese reason; a Python message (huge numbers, odd digits) becomes
    one."""
    text = str(exc)
    return text if _CJK.search(text) else f"“{_shown(raw)}”不是{what}"


def _agrees(
    issue: Callable[[int, _Col, object, str, str], None],
    r: int,
    name_col: _Col,
    id_col: _Col,
    cell: dict[int, object],
    member: MemberDTO,
) -> bool:
    """Whether the row's 姓名 is the name of the person its 身份证号 belongs to; otherwise
    the problem is added (naming both columns and both values) and False returned."""
    raw = cell[name_col.index]
    number = _shown(cell[id_col.index])
    try:
        name = clean_name(raw)
    except ValueProblem as p:
        issue(r, name_col, raw, "姓名", p.message)
        return False
    if not name:
        issue(
            r,
            name_col,
            raw,
            "姓名",
            f"姓名为空；{id_col.letter}列身份证号 {number} 是“{member.name}”的，请填写姓名",
        )
        return False
    if name != (clean_name(member.name) or member.name):
        issue(
            r,
            name_col,
            raw,
            "姓名",
            f"姓名“{name}”与{id_col.letter}列身份证号 {number} 不符"
            f"（该身份证号是“{member.name}”的）；请核对",
        )
        return False
    return True
