"""Who a row without 身份证号 is: the roster's cadres by 姓名 + 出生年月 (+ 单位), the
grouped message when such rows are not allowed, and the 出生年月 that contradicts the
身份证号 (an error the user must confirm). No database: models.roster.import_plan loads the
cadres and asks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from models.core.dates import ym
from models.roster import idcard
from models.roster.intake.records import ParsedRow, RowIssue
from models.roster.types import CadreInput

ALLOW_MISSING_ID = "允许没有身份证号的人员（按姓名+出生年月匹配）"
ACCEPT_BIRTH_MISMATCH = "我已核对，按表中出生年月导入"
# the row issue of a new person without 身份证号 when that is not allowed (grouped in lines())
MISSING_ID = "必填：没有身份证号的人员，须确认按姓名+出生年月匹配后才能导入"
_HOW_TO_ALLOW = f"如确认按姓名+出生年月匹配，请勾选“{ALLOW_MISSING_ID}”或使用 --allow-missing-id"


Known = tuple[int, int, str]  # an existing cadre: (id, unit id, 身份证号 or "")


@dataclass
class People:
    """Who is already in the roster by 姓名 + 出生年月, and how rows without 身份证号 are
    treated: matched by 姓名 + 出生年月 (+ 单位), new ones allowed only when the user says so."""

    by_name_birth: dict[tuple[str, int, int], list[Known]]
    allow_missing_id: bool = False
    accept_birth_mismatch: bool = False
    seen: dict[tuple[str, int, int, str], ParsedRow] = field(default_factory=dict)
    filled: dict[int, ParsedRow] = field(default_factory=dict)  # cadre → row giving its ID

    @classmethod
    def of(
        cls, cadres: Iterable[tuple[int, str, object, int, str | None]], **options: bool
    ) -> People:
        """From (id, 姓名, 出生日期, unit id, 身份证号) of every cadre in the roster."""
        out: dict[tuple[str, int, int], list[Known]] = {}
        for cid, name, birth, unit_id, number in cadres:
            b = birth if isinstance(birth, dt.date) else dt.date.fromisoformat(str(birth)[:10])
            out.setdefault((name, b.year, b.month), []).append((cid, unit_id, number or ""))
        return cls(out, **options)

    def candidates(
        self, name: str, birth: dt.date, unit_ids: set[int] | None, *, without_id: bool
    ) -> list[Known]:
        """The cadres this 姓名 + 出生年月 may mean; when several, those in ``unit_ids``
        (all of them again when none is)."""
        found = self.by_name_birth.get((name, birth.year, birth.month), [])
        if without_id:
            found = [k for k in found if not k[2]]
        if len(found) > 1 and unit_ids is not None:
            found = [k for k in found if k[1] in unit_ids] or found
        return found


def ambiguous_message(found: list[Known], paths: Mapping[int, str], *, has_unit: bool) -> str:
    """Several cadres share the row's 姓名 + 出生年月: name them."""
    names = "；".join(
        f"{paths.get(uid, '')}，" + (f"身份证号 {number}" if number else "缺身份证号")
        for _cid, uid, number in sorted(found)[:5]  # by id: the same order on every database
    )
    ask = "身份证号" if has_unit else "身份证号或单位"
    return f"姓名和出生年月相同的干部有 {len(found)} 名（{names}），无法确定是谁，请在表中填写{ask}"


def row_birth(values: Mapping[str, object]) -> dt.date | None:
    birth = values.get("birth_date")
    if isinstance(birth, dt.date):
        return birth
    number = values.get("id_card")
    if isinstance(number, str) and number:
        try:
            return idcard.parse(number).birth_date
        except idcard.IdCardError:
            return None
    return None


def missing_id_lines(issues: list[RowIssue]) -> list[str]:
    """New people without 身份证号 (not allowed): one line per file, not one per row."""
    by_file: dict[tuple[str, str | None], list[RowIssue]] = {}
    for i in issues:
        if i.message == MISSING_ID:
            by_file.setdefault((i.file, i.sheet), []).append(i)
    out = []
    for (file, sheet), found in by_file.items():
        where = f"“{file}”" + (f"工作表“{sheet}”" if sheet else "")
        first = found[0]
        if not first.column:
            what = f"{where}没有身份证号列：共 {len(found)} 行"
        else:
            rows = "、".join(str(i.row) for i in found[:10]) + ("等" if len(found) > 10 else "")
            what = f"{where}{first.column}列（{first.header}）身份证号为空：共 {len(found)} 行"
            what += f"（第{rows}行）"
        out.append(f"错误：{what}；{_HOW_TO_ALLOW}")
    return out


def birth_mismatch(v: CadreInput) -> tuple[str, str] | None:
    """(出生年月 as given, as the 身份证号 says) when their year and month differ."""
    if v.birth_date is None or not v.id_card:
        return None
    try:
        from_id = idcard.parse(v.id_card).birth_date
    except idcard.IdCardError:
        return None
    if (from_id.year, from_id.month) == (v.birth_date.year, v.birth_date.month):
        return None
    return ym(v.birth_date), ym(from_id)


__all__ = [
    "ACCEPT_BIRTH_MISMATCH",
    "ALLOW_MISSING_ID",
    "MISSING_ID",
    "Known",
    "People",
    "ambiguous_message",
    "birth_mismatch",
    "missing_id_lines",
    "row_birth",
]
