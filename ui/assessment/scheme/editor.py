"""The 考核方案 editor of a round: items (共性 and 个性, 一票否决, key topic with its extra
weight) and 民主测评 rater groups and vote values in tables; composite weights and caps, grade
thresholds, the 优秀 quota and the tie-break order in :class:`GradingBox`; the 平时考核
settings of the round (the quarter score lines 好/较好/一般, the 好 line may be left empty:
好 by rank and cap only; the cap on 好 per quarter and its "不足 1 名按 1 名计" switch) in
:class:`QuarterBox`.

Every edit re-checks the whole scheme with models.assessment.rules.validate_rules; the
problems are listed beside the tables in Chinese ("权重合计为 95，应为 100（少 5）") and 保存
stays disabled while any remains. Saving goes through models.assessment.save_rules, which
may still refuse (e.g. an item that already has scores cannot be deleted); its problems are
listed the same way.

Optimistic locking: the editor keeps the RoundDTO (and so the version) its scheme was read
with and saves with ``expected_version``. When someone else changed the round meanwhile the
save is refused (RoundChangedError); the editor then reads the round again, shows the
service's message above the problems list and emits ``outdated`` so the section refreshes.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from PySide6.QtCore import (
    QCoreApplication,
    Signal,
)
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.assessment import RoundChangedError, RoundDTO, get_round, save_rules
from models.assessment.rules import (
    AssessmentRules,
    CompositeRule,
    GradeThresholds,
    QuarterlyRule,
    QuotaRule,
    RaterGroup,
    SanctionCount,
    SchemeItem,
    VoteValue,
    fmt_number,
    validate_rules,
)
from models.core.errors import DomainError, FieldIssue
from models.roster import service as roster
from ui.assessment.scheme.grading_box import GradingBox
from ui.assessment.scheme.models import (
    GROUP_FIELDS,
    ITEM_FIELDS,
    VOTE_FIELDS,
    FieldsModel,
    Parse,
    num_text,
)
from ui.assessment.scheme.pools_box import PoolsBox
from ui.assessment.scheme.quarter_box import QuarterBox
from ui.common import button, table_view


def _tr(text: str) -> str:
    return QCoreApplication.translate("SchemeEditor", text)


def _table(model: FieldsModel, name: str) -> QTableView:
    """An editable table of the scheme, its columns as wide as their headers (names wider);
    the internal codes (de, superior…) stay in the rows but are not shown."""
    t = table_view(model, name, row_padding=10, stretch=(1,))
    fm = t.fontMetrics()
    for c, f in enumerate(model.fields):
        chars = max(len(f.header), 8 if f.key in ("name", "label") else 4)
        t.setColumnWidth(c, fm.horizontalAdvance("中") * chars + 16)
        t.setColumnHidden(c, not f.shown)
    return t


def _row(*widgets: QWidget) -> QWidget:
    """``widgets`` side by side, pushed to the left."""
    w = QWidget()
    lay = QHBoxLayout(w)
    lay.setContentsMargins(0, 0, 0, 0)
    for x in widgets:
        lay.addWidget(x)
    lay.addStretch(1)
    return w


class SchemeEditor(QWidget):
    """The scheme of one round, edited in place; ``saved`` after a successful save,
    ``outdated`` when a save found the round changed by someone else (the editor has read
    it again)."""

    saved = Signal()
    outdated = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scheme_editor")
        self.round: RoundDTO | None = None
        self.base: AssessmentRules | None = None
        self.issues: list[FieldIssue] = []
        self._loading = False

        self.name = QLineEdit()
        self.name.setObjectName("scheme_name")
        self.items_model = FieldsModel(ITEM_FIELDS, self)
        self.groups_model = FieldsModel(GROUP_FIELDS, self)
        self.votes_model = FieldsModel(VOTE_FIELDS, self)
        self.items_table = _table(self.items_model, "scheme_items")
        self.groups_table = _table(self.groups_model, "scheme_groups")
        self.votes_table = _table(self.votes_model, "scheme_votes")
        self.add_item_button = button(_tr("添加个性项目"), "scheme_add_item", self.add_item)
        self.del_item_button = button(_tr("删除项目"), "scheme_del_item", self.delete_item)
        self.add_group_button = button(_tr("添加评价组"), "scheme_add_group", self.add_group)
        self.del_group_button = button(_tr("删除评价组"), "scheme_del_group", self.delete_group)

        def line(name: str, width_chars: int = 6) -> QLineEdit:
            e = QLineEdit()
            e.setObjectName(name)
            e.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * width_chars + 24)
            e.textEdited.connect(self.revalidate)
            return e

        self.grading = GradingBox(line, _row)
        self.grading.edited.connect(self.revalidate)
        self.quarter_box = QuarterBox(line, _row, self.revalidate)
        self.pools_box = PoolsBox(
            lambda: list(dict.fromkeys(u.name for u in roster.list_units())), self.revalidate
        )
        # the box's fields, by the names the editor's callers and tests use
        self.quarter_good_min = self.quarter_box.good_min
        self.quarter_fairly_good_min = self.quarter_box.fairly_good_min
        self.quarter_ordinary_min = self.quarter_box.ordinary_min
        self.quarter_good_cap = self.quarter_box.good_cap
        self.quarter_at_least_one = self.quarter_box.at_least_one

        self.weight_sum = QLabel()
        self.weight_sum.setObjectName("scheme_weight_sum")
        self.issue_list = QListWidget()
        self.issue_list.setObjectName("scheme_issues")
        self.issue_list.setWordWrap(True)
        # the list gives way to the rule boxes above it (three lines at least)
        self.issue_list.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.issue_list.setMinimumHeight(self.fontMetrics().height() * 3 + 12)
        self.status = QLabel()
        self.status.setObjectName("scheme_status")
        self.status.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("scheme_reason")
        self.reason.setPlaceholderText(_tr("修改说明（记入变更记录）"))
        self.save_button = button(_tr("保存方案"), "scheme_save", self.save)
        self.revert_button = button(_tr("放弃修改"), "scheme_revert", self.reload)
        self.name.textEdited.connect(self.revalidate)
        for m in (self.items_model, self.groups_model, self.votes_model):
            m.edited.connect(self.revalidate)
        self.items_model.edited.connect(self._items_edited)
        self._layout()

    def _layout(self) -> None:
        items_box = QGroupBox(_tr("考核项目（共性 + 个性）"))
        ib = QVBoxLayout(items_box)
        ib.addWidget(self.items_table)
        row = QHBoxLayout()
        row.addWidget(self.add_item_button)
        row.addWidget(self.del_item_button)
        row.addStretch(1)
        row.addWidget(self.weight_sum)
        ib.addLayout(row)

        eval_box = QGroupBox(_tr("民主测评"))
        eb = QGridLayout(eval_box)
        eb.addWidget(self.groups_table, 0, 0)
        eb.addWidget(self.votes_table, 0, 1)
        row = QHBoxLayout()
        row.addWidget(self.add_group_button)
        row.addWidget(self.del_group_button)
        row.addStretch(1)
        eb.addLayout(row, 1, 0, 1, 2)
        eb.setColumnStretch(0, 3)
        eb.setColumnStretch(1, 2)

        issues_box = QGroupBox(_tr("方案检查"))
        xb = QVBoxLayout(issues_box)
        xb.addWidget(self.status)
        xb.addWidget(self.issue_list, 1)
        xb.addWidget(self.reason)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.revert_button)
        row.addWidget(self.save_button)
        xb.addLayout(row)

        left = QVBoxLayout()
        name_row = QHBoxLayout()
        name_row.addWidget(QLabel(_tr("方案名称")))
        name_row.addWidget(self.name, 1)
        left.addLayout(name_row)
        left.addWidget(items_box, 3)
        left.addWidget(eval_box, 2)
        left.addWidget(self.pools_box)
        right = QVBoxLayout()
        # the rule boxes keep their height (the tie-break list its rows); 方案检查 gives way
        for box in (self.grading, self.quarter_box):
            box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        right.addWidget(self.grading)
        right.addWidget(self.quarter_box)
        right.addWidget(issues_box, 1)
        # the whole scheme scrolls on a small screen instead of making the window taller
        body = QWidget()
        columns = QHBoxLayout(body)
        columns.setContentsMargins(0, 4, 0, 0)
        columns.addLayout(left, 5)
        columns.addLayout(right, 4)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    # -- loading --------------------------------------------------------------------------

    def set_round(self, rnd: RoundDTO | None) -> None:
        self.round = rnd
        self.reload()

    def reload(self) -> None:
        """Read the round again: the scheme shown and the version saved against come from
        the same read."""
        if self.round is not None:
            self.round = get_round(self.round.id)
        rules = self.round.rules if self.round else None
        self.base = rules
        self.load_rules(rules)

    def is_dirty(self) -> bool:
        """True when the scheme on screen differs from the one read (unsaved edits)."""
        if self.base is None:
            return False
        rules, issues = self.current_rules()
        return bool(issues) or rules is None or rules.to_dict() != self.base.to_dict()

    def round_changed(self, rnd: RoundDTO | None) -> None:
        """A newer read of the round by the section (after a status change, a grid store…).
        Without unsaved edits the editor shows it; with edits it only takes the newer
        version when the scheme and the lock are what the edits started from (the round
        changed elsewhere, e.g. members added), so a save still cannot overwrite someone
        else's scheme."""
        if rnd is None or self.round is None or rnd.id != self.round.id:
            self.set_round(rnd)
        elif rnd.version == self.round.version:
            self.round = rnd
        elif not self.is_dirty():
            self.set_round(rnd)
        elif (
            self.base is not None
            and rnd.rules.to_dict() == self.base.to_dict()
            and rnd.locked == self.round.locked
        ):
            self.round = rnd

    def load_rules(self, rules: AssessmentRules | None) -> None:
        self._loading = True
        try:
            r = rules
            self.name.setText(r.name if r else "")
            self.items_model.set_rows(
                [
                    {
                        "code": i.code,
                        "name": i.name,
                        "weight": num_text(i.weight),
                        "full_score": num_text(i.full_score),
                        "is_veto": i.is_veto,
                        "veto_below": num_text(i.veto_below),
                        "key_topic": i.key_topic,
                        "key_topic_weight": num_text(i.key_topic_weight)
                        if i.key_topic_weight
                        else "",
                        "_max": i.veto_max_grade,
                    }
                    for i in (r.items if r else ())
                ]
            )
            self.groups_model.set_rows(
                [
                    {"code": g.code, "name": g.name, "weight": num_text(g.weight)}
                    for g in (r.rater_groups if r else ())
                ]
            )
            self.votes_model.set_rows(
                [
                    {"label": v.label, "value": num_text(v.value)}
                    for v in (r.vote_values if r else ())
                ]
            )
            self.grading.load(
                r.composite if r else CompositeRule(),
                r.thresholds if r else GradeThresholds(),
                r.quota if r else QuotaRule(),
                r.tie_break if r else (),
                self._item_ties(),
                r.sanction_count if r else SanctionCount.CALENDAR,
            )
            self.quarter_box.load(r.quarterly if r else QuarterlyRule())
            self.pools_box.load(r.quota.named_pools if r else ())
            locked = r is None or bool(self.round and self.round.locked)
            self._set_read_only(locked)
        finally:
            self._loading = False
        self.revalidate()

    def _item_ties(self) -> list[tuple[str, str]]:
        """Tie-break keys for the items in the table: an item's score may decide a tie."""
        keys = []
        for n, row in enumerate(self.items_model.rows, start=1):
            code = str(row.get("code") or "").strip()
            name = str(row.get("name") or "").strip() or _tr("第 {n} 个考核项目").format(n=n)
            if code:
                keys.append((f"item:{code}", _tr("“{n}”得分").format(n=name)))
        return keys

    def _items_edited(self) -> None:
        """Items added, renamed or deleted: the tie-break list follows (a deleted item's
        score can no longer decide a tie)."""
        if not self._loading:
            self.grading.set_item_ties(self._item_ties())

    def _set_read_only(self, locked: bool) -> None:
        for m in (self.items_model, self.groups_model, self.votes_model):
            m.read_only = locked
        self.name.setReadOnly(locked)
        self.grading.set_read_only(locked)
        self.quarter_box.set_read_only(locked)
        self.pools_box.set_read_only(locked)
        for w in (
            self.add_item_button,
            self.del_item_button,
            self.add_group_button,
            self.del_group_button,
            self.reason,
            self.revert_button,
        ):
            w.setEnabled(not locked)

    # -- editing --------------------------------------------------------------------------

    def add_item(self) -> int:
        n = len(self.items_model.rows) + 1
        codes = {r.get("code") for r in self.items_model.rows}
        code = next(f"extra{k}" for k in range(n, n + 100) if f"extra{k}" not in codes)
        r = self.items_model.append(
            {
                "code": code,
                "name": _tr("个性项目"),
                "weight": "0",
                "full_score": "100",
                "is_veto": False,
                "veto_below": "",
                "key_topic": "",
                "key_topic_weight": "",
            }
        )
        self.items_table.setCurrentIndex(self.items_model.index(r, 1))
        return r

    def delete_item(self) -> None:
        self.items_model.remove(self.items_table.currentIndex().row())

    def add_group(self) -> int:
        n = len(self.groups_model.rows) + 1
        codes = {r.get("code") for r in self.groups_model.rows}
        code = next(f"group{k}" for k in range(n, n + 100) if f"group{k}" not in codes)
        return self.groups_model.append({"code": code, "name": _tr("评价组"), "weight": "0"})

    def delete_group(self) -> None:
        self.groups_model.remove(self.groups_table.currentIndex().row())

    def current_rules(self) -> tuple[AssessmentRules | None, list[FieldIssue]]:
        """The scheme as edited, and the entries that are not numbers."""
        if self.base is None:
            return None, []
        p = Parse()
        items = []
        for n, row in enumerate(self.items_model.rows, start=1):
            where = (
                _tr("考核项目“{name}”").format(name=row["name"])
                if str(row.get("name") or "").strip()
                else _tr("第 {n} 个考核项目").format(n=n)
            )
            items.append(
                SchemeItem(
                    code=str(row.get("code") or ""),
                    name=str(row.get("name") or ""),
                    weight=p.dec(row.get("weight"), "items.weight", where, _tr("权重")),
                    full_score=p.dec(row.get("full_score"), "items.full_score", where, _tr("满分")),
                    is_veto=bool(row.get("is_veto")),
                    veto_below=p.opt(
                        row.get("veto_below"), "items.veto_below", where, _tr("否决线")
                    ),
                    veto_max_grade=row.get("_max") or SchemeItem("", "", Decimal(0)).veto_max_grade,
                    key_topic=str(row.get("key_topic") or ""),
                    key_topic_weight=p.dec(
                        row.get("key_topic_weight"),
                        "items.key_topic_weight",
                        where,
                        _tr("重点加权"),
                    ),
                )
            )
        groups = [
            RaterGroup(
                str(g.get("code") or ""),
                str(g.get("name") or ""),
                p.dec(
                    g.get("weight"),
                    "rater_groups.weight",
                    _tr("评价组“{name}”").format(name=g["name"])
                    if str(g.get("name") or "").strip()
                    else _tr("第 {n} 个评价组").format(n=n),
                    _tr("权重"),
                ),
            )
            for n, g in enumerate(self.groups_model.rows, start=1)
        ]
        votes = [
            VoteValue(
                str(v.get("label") or ""),
                p.dec(
                    v.get("value"),
                    "vote_values.value",
                    _tr("测评票“{n}”").format(n=v.get("label")),
                    _tr("分值"),
                ),
            )
            for v in self.votes_model.rows
        ]
        composite, thresholds, quota, ties = self.grading.read(self.base.quota, p)
        quota = dataclasses.replace(quota, named_pools=tuple(self.pools_box.pools))
        quarterly = self.quarter_box.read(self.base.quarterly, p)
        rules = dataclasses.replace(
            self.base,
            name=self.name.text().strip(),
            items=tuple(items),
            rater_groups=tuple(groups),
            vote_values=tuple(votes),
            composite=composite,
            thresholds=thresholds,
            quota=quota,
            tie_break=ties,
            quarterly=quarterly,
            sanction_count=SanctionCount(self.grading.sanction_count.currentText()),
        )
        return rules, p.issues

    def revalidate(self) -> None:
        if self._loading:
            return
        rules, issues = self.current_rules()
        if rules is not None:
            base = sum((i.weight for i in rules.items), Decimal(0))
            extra = sum((i.key_topic_weight for i in rules.items), Decimal(0))
            text = _tr("项目权重合计 {w}").format(w=fmt_number(base))
            if extra:
                text += _tr("，另有重点内容加权 {x}").format(x=fmt_number(extra))
            self.weight_sum.setText(text)
        else:
            self.weight_sum.setText("")
        if rules is not None and not issues:
            issues = validate_rules(rules)
        self.show_issues(issues)

    def show_issues(self, issues: list[FieldIssue]) -> None:
        self.issues = list(issues)
        self.issue_list.clear()
        for i in issues:
            self.issue_list.addItem(f"{i.label}：{i.message}")
        locked = self.round is None or self.round.locked
        self.save_button.setEnabled(not issues and not locked)
        if self.round is None:
            text, colour = _tr("请先选择考核轮次"), "#444"
        elif self.round.locked:
            text, colour = _tr("本轮考核已审定锁定，方案只能查看"), "#444"
        elif issues:
            text = _tr("有 {n} 处问题，改正后才能保存").format(n=len(issues))
            colour = "#b00020"
        else:
            text, colour = _tr("方案检查通过"), "#1b5e20"
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {colour}; font-weight: bold;")

    def save(self) -> bool:
        if self.round is None:
            return False
        rules, issues = self.current_rules()
        if rules is None or issues:
            self.show_issues(issues)
            return False
        try:
            problems = save_rules(
                self.round.id,
                rules,
                reason=self.reason.text().strip(),
                expected_version=self.round.version,
            )
        except RoundChangedError as exc:
            self._show_conflict(str(exc))
            self.outdated.emit()
            return False
        except DomainError as exc:
            self.show_issues([FieldIssue("round", _tr("保存"), str(exc))])
            return False
        if problems:
            self.show_issues(problems)
            return False
        self.reason.clear()
        self.reload()
        self.status.setText(_tr("已保存"))
        self.saved.emit()
        return True

    def _show_conflict(self, text: str) -> None:
        """Someone else changed the round: show the newest scheme and say why the edits
        are gone."""
        self.reload()
        self.issue_list.insertItem(0, _tr("保存：{text}").format(text=text))
        note = _tr("未保存：本轮考核已被他人修改，已重新读取最新方案，请核对后重新修改")
        if self.round is not None and self.round.locked:
            note += _tr("（本轮考核已审定锁定，方案只能查看）")
        self.status.setText(note)
        self.status.setStyleSheet("color: #b00020; font-weight: bold;")
