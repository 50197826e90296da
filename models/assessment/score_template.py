"""Score templates for units that collect 五项考核 scores themselves: export an .xlsx the unit
fills in, import it back all or nothing.

The template has one row per person (序号, 姓名, 身份证号 as text, 单位, 现任职务), one column
per item with its full score in the header ("德（满分100）") and the 民主测评 vote columns per
rater group ("上级领导/优秀票"). Import finds the header the way the roster import does
(models.roster.intake.headers), normalises 姓名/身份证号 with the roster's normalisers, checks every
cell, and reports each problem as a :class:`RowIssue` (file, row, column, value, reason).
Empty cells leave stored values unchanged.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from models.assessment.members import list_members
from models.assessment.rounds import get_round, writable_round
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
from models.core.db import db
from models.core.errors import DomainError
from models.core.workbook import open_workbook, read_file
from models.roster.intake import (
    FileIssue,
    RowIssue,
    ValueProblem,
    clean_name,
    display_raw,
    normalise_id_card,
)
from models.roster.intake.headers import HEADER_SCAN_ROWS, find_header, header_key, map_columns

__all__ = ["ScoreImportResult", "export_score_template", "import_scores"]

_FULL = re.compile(r"[（(]\s*满分\s*([\d.]+)\s*[)）]\s*$")


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


def export_score_template(round_id: int, unit_id: int | None, dest: str | Path) -> int:
    """Write the score template of a round (one unit and its sub-units, or everyone) to
    ``dest`` atomically; returns the number of person rows. Stored scores are pre-filled."""
    # lazy: openpyxl takes over 0.1 s to import; only writing a template needs it
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell  # lazy: as above
    from openpyxl.styles import Alignment, Font  # lazy: as above
    from openpyxl.utils import get_column_letter  # lazy: as above

    rnd = get_round(round_id)
    rules = rnd.rules
    members = [m for m in list_members(round_id, unit_id) if not m.not_participating]
    items = [i for i in rules.items if i.effective_weight != 0 or i.is_veto]
    items = [i for i in items if i.effective_weight != 0]
    groups = list(rules.rater_groups)
    labels = [v.label for v in rules.vote_values]
    headers = ["序号", "姓名", "身份证号", "单位", "现任职务"]
    headers += [_item_header(i.name, i.full_score) for i in items]
    headers += [_vote_header(g.name, lab) for g in groups for lab in labels]
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
    ws = wb.create_sheet("评分表")
    widths = [6, 10, 21, 20, 24] + [11] * len(items) + [12] * (len(groups) * len(labels))
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "C3"
    title = WriteOnlyCell(ws, value=f"{rnd.name}评分表（请勿修改表头和身份证号）")
    title.font = Font(bold=True, size=14)
    ws.append([title])
    head = []
    for h in headers:
        c = WriteOnlyCell(ws, value=h)
        c.font = Font(bold=True)
        c.alignment = Alignment(horizontal="center", wrap_text=True)
        head.append(c)
    ws.append(head)
    for n, m in enumerate(members, start=1):
        idc = WriteOnlyCell(ws, value=m.id_card)
        idc.number_format = "@"
        row: list[object] = [n, m.name, idc, m.unit_name, m.post_title]
        for it in items:
            s = scores.get((m.cadre_id, it.code))
            row.append(None if s is None else float(s) if "." in s else int(s))
        row.extend(votes.get((m.cadre_id, g.code, lab)) for g in groups for lab in labels)
        ws.append(row)
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~", suffix=".xlsx", dir=dest.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(members)


@dataclass(frozen=True)
class _Col:
    index: int
    letter: str
    header: str
    kind: str  # name / id_card / item / vote
    code: str = ""
    label: str = ""


def _columns(texts: Sequence[str], rules: AssessmentRules) -> tuple[list[_Col], list[str]]:
    """Template columns recognised in the header, and the headers not recognised."""
    items = {header_key(i.name): i for i in rules.items}
    groups = {header_key(g.name): g for g in rules.rater_groups}
    out: list[_Col] = []
    unknown: list[str] = []
    for info in map_columns(texts):
        if info.attribute in ("name", "id_card"):
            out.append(_Col(info.index, info.letter, info.header, info.attribute))
            continue
        if info.attribute is not None or info.status == "ignored":
            continue
        key = header_key(_FULL.sub("", info.header))
        if key in items:
            out.append(_Col(info.index, info.letter, info.header, "item", items[key].code))
            continue
        if "/" in key and key.endswith("票"):
            g, lab = key[:-1].split("/", 1)
            if g in groups and lab in {header_key(v.label) for v in rules.vote_values}:
                label = next(v.label for v in rules.vote_values if header_key(v.label) == lab)
                out.append(
                    _Col(info.index, info.letter, info.header, "vote", groups[g].code, label)
                )
                continue
        unknown.append(info.header)
    return out, unknown


def import_scores(
    path: str | Path, round_id: int, *, dry_run: bool = False, user: str | None = None
) -> ScoreImportResult:
    """Import a filled score template into a round, all or nothing: nothing is stored when
    any cell is wrong (or on a dry run). Raises DomainError when the file cannot be read."""
    path = Path(path)
    file = path.name
    wb = open_workbook(read_file(path), file, hint="请用本系统导出的评分表填写")
    rnd = get_round(round_id)
    rules = rnd.rules
    issues: list[RowIssue] = []
    file_issues: list[FileIssue] = []
    members = {m.id_card: m for m in list_members(round_id) if not m.not_participating}
    by_name: dict[str, list] = {}
    for m in members.values():
        by_name.setdefault(m.name, []).append(m)
    cells: list[ScoreCell] = []
    votes: list[VoteEntry] = []
    rows_read = 0
    seen: dict[int, int] = {}
    try:
        ws = wb.worksheets[0]
        ws.reset_dimensions()
        grid = [[c.value for c in r] for r in ws.iter_rows()]
    finally:
        wb.close()
    found = find_header(grid[:HEADER_SCAN_ROWS])
    if found is None:
        raise DomainError(
            f"“{file}”的前{HEADER_SCAN_ROWS}行中没有找到表头（应有“姓名”“身份证号”等列）",
            record=file,
        )
    cols, unknown = _columns(found.texts, rules)
    file_issues += [
        FileIssue(file, f"不认识的列“{h}”已忽略（本轮考核方案中没有该项目）", warning=True)
        for h in unknown
    ]
    if not any(c.kind in ("item", "vote") for c in cols):
        file_issues.append(FileIssue(file, "表中没有任何考核项目或测评票数列"))
    id_col = next((c for c in cols if c.kind == "id_card"), None)
    name_col = next((c for c in cols if c.kind == "name"), None)

    def issue(r: int, col: _Col, raw: object, label: str, message: str) -> None:
        issues.append(RowIssue(file, r, col.letter, label, display_raw(raw), message, col.header))

    for offset, values in enumerate(grid[found.last_row + 1 :]):
        r = found.last_row + 2 + offset
        cell = {c.index: (values[c.index] if c.index < len(values) else None) for c in cols}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cell.values()):
            continue
        if all(
            cell[c.index] is None or (isinstance(cell[c.index], str) and not cell[c.index].strip())
            for c in cols
            if c.kind in ("item", "vote")
        ):
            continue  # a person row left empty: nothing to import
        rows_read += 1
        member = None
        if id_col is not None and cell[id_col.index] not in (None, ""):
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
            file_issues.append(FileIssue(file, "表中没有“身份证号”或“姓名”列，无法确定是谁的得分"))
            break
        if member.cadre_id in seen:
            col = id_col or name_col
            assert col is not None
            issue(r, col, cell[col.index], member.name, f"与第{seen[member.cadre_id]}行是同一人")
            continue
        seen[member.cadre_id] = r
        person_votes: dict[str, dict[str, object]] = {}
        for c in cols:
            raw = cell[c.index]
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            if c.kind == "item":
                item = rules.items_by_code[c.code]
                try:
                    value = parse_score(raw, item.full_score)
                except ValueError as exc:
                    issue(r, c, raw, f"{member.name}的“{item.name}”得分", str(exc))
                    continue
                cells.append(ScoreCell(member.cadre_id, c.code, value))
            elif c.kind == "vote":
                try:
                    n = parse_count(raw)
                except ValueError as exc:
                    group = rules.groups_by_code[c.code].name
                    issue(r, c, raw, f"{member.name}的“{group}”组{c.label}票数", str(exc))
                    continue
                person_votes.setdefault(c.code, {})[c.label] = n
        if person_votes:
            votes.append(VoteEntry(member.cadre_id, person_votes))
    if rows_read == 0 and not file_issues:
        file_issues.append(FileIssue(file, "表中没有填写任何得分"))
    ok = not any(not i.warning for i in issues) and not any(not f.warning for f in file_issues)
    changed = 0
    if ok and not dry_run:
        with db.atomic():
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
