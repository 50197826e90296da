"""The selected person's part of the 人员情况 tab: 加分/扣分, 处分/组织处理 and 一票否决 with
add and delete (each through a dialog and a service, a reason required), and the person's
change history. After a change :attr:`PersonPanel.personChanged` asks the people table to
read the person again.

Each change carries what the panel shows (the records listed, the version of the one
deleted, whether an item is failed); when someone else changed it meanwhile the service
refuses, the conflict message says who and when, and :attr:`PersonPanel.outdated` asks the
tab to read everything again."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.assessment import (
    LOCKED_MESSAGE,
    AdjustmentDTO,
    RoundDTO,
    SanctionDTO,
    add_adjustment,
    add_sanction,
    delete_adjustment,
    delete_sanction,
    in_force,
    list_adjustments,
    list_sanctions,
    person_history,
    set_veto_failure,
)
from models.assessment.rules import AssessmentRules, fmt_number
from models.core.audit import ChangeDTO
from models.core.errors import ConflictError, DomainError
from ui import messages
from ui.assessment.overview_parts import history_columns
from ui.assessment.people.dialogs import AdjustmentDialog, SanctionDialog, VetoDialog, veto_items
from ui.assessment.people.model import WARN_TEXT, PersonRow, adjustments_text
from ui.common import Column, RowsModel, button, table_view


def _tr(text: str) -> str:
    return QCoreApplication.translate("AssessmentPeople", text)


@dataclass(frozen=True)
class SanctionLine:
    sanction: SanctionDTO
    effect: str  # its effect on the round's year, or why it has none


@dataclass(frozen=True)
class VetoLine:
    code: str
    name: str
    reason: str
    user: str
    at: str


def adjustment_columns() -> list[Column[AdjustmentDTO]]:
    return [
        Column(
            _tr("分值"),
            lambda a: ("+" if a.points > 0 else "") + fmt_number(a.points),
            centered=True,
            foreground=lambda a: WARN_TEXT if a.points < 0 else "#1b5e20",
        ),
        Column(_tr("理由"), lambda a: a.reason, tooltip=lambda a: a.reason),
    ]


def sanction_columns() -> list[Column[SanctionLine]]:
    return [
        Column(_tr("处分"), lambda s: s.sanction.name),
        Column(_tr("日期"), lambda s: s.sanction.start_date.isoformat(), centered=True),
        Column(
            _tr("结束"),
            lambda s: s.sanction.end_date.isoformat() if s.sanction.end_date else "",
            centered=True,
        ),
        Column(_tr("本年度影响"), lambda s: s.effect, tooltip=lambda s: s.effect),
        Column(_tr("说明"), lambda s: s.sanction.note, tooltip=lambda s: s.sanction.note),
    ]


def veto_columns() -> list[Column[VetoLine]]:
    return [
        Column(_tr("否决项目"), lambda v: v.name),
        Column(_tr("理由"), lambda v: v.reason, tooltip=lambda v: v.reason),
        Column(_tr("认定"), lambda v: f"{v.user} {v.at}".strip()),
    ]


def sanction_effect(rules: AssessmentRules, year: int, s: SanctionDTO) -> str:
    """Its effect on the assessment of ``year``: '不得评为优秀', '影响期第 2 年：不定等次',
    or '不影响2025年度'."""
    f = in_force(s.start_date, s.end_date, s.code, year, rules)
    if f is None:
        return _tr("不影响{year}年度").format(year=year)
    rule = rules.sanctions_by_code.get(f.code)
    if rule is None:
        return _tr("不在处分影响表中")
    effect = rule.effects[f.year_offset].value
    if f.year_offset:
        return _tr("影响期第 {n} 年：{effect}").format(n=f.year_offset + 1, effect=effect)
    return effect


def _list(model: RowsModel[Any], name: str) -> QTableView:
    """One of the panel's read-only lists: one row selected at a time, no row numbers."""
    return table_view(
        model, name, read_only=True, row_numbers=False, row_padding=8, stretch_last=True
    )


class PersonPanel(QWidget):
    """Lists and actions for one person; ``personChanged(cadre_id, vetoes or None)``;
    ``outdated(cadre_id)`` after a change refused because someone else changed the person's
    records meanwhile (the tab then reads everything again)."""

    personChanged = Signal(int, object)
    outdated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("people_person_panel")
        self.round: RoundDTO | None = None
        self.row: PersonRow | None = None
        self.history: list[ChangeDTO] = []
        self.person_label = QLabel()
        self.person_label.setObjectName("people_person")
        self.person_label.setTextFormat(Qt.TextFormat.RichText)

        self.adjust_model: RowsModel[AdjustmentDTO] = RowsModel(
            adjustment_columns(), lambda a: a.id, self
        )
        self.sanction_model: RowsModel[SanctionLine] = RowsModel(
            sanction_columns(), lambda s: s.sanction.id, self
        )
        self.veto_model: RowsModel[VetoLine] = RowsModel(veto_columns(), lambda v: 0, self)
        self.history_model: RowsModel[ChangeDTO] = RowsModel(history_columns(), lambda c: 0, self)
        self.adjust_table = _list(self.adjust_model, "people_adjustments")
        self.sanction_table = _list(self.sanction_model, "people_sanctions")
        self.veto_table = _list(self.veto_model, "people_vetoes")
        self.history_table = _list(self.history_model, "people_history")
        self.adjust_total = QLabel()
        self.adjust_total.setObjectName("people_adjust_total")
        self.adjust_total.setWordWrap(True)
        self.veto_note = QLabel()
        self.veto_note.setObjectName("people_veto_note")
        self.veto_note.setWordWrap(True)

        self.add_adjust_button = button(
            _tr("加分/扣分…"), "people_add_adjustment", self.add_adjustment
        )
        self.del_adjust_button = button(
            _tr("删除…"), "people_delete_adjustment", self.delete_adjustment
        )
        self.add_sanction_button = button(
            _tr("添加处分…"), "people_add_sanction", self.add_sanction
        )
        self.del_sanction_button = button(
            _tr("删除…"), "people_delete_sanction", self.delete_sanction
        )
        self.add_veto_button = button(_tr("认定否决…"), "people_add_veto", self.add_veto)
        self.del_veto_button = button(_tr("撤销否决…"), "people_clear_veto", self.clear_veto)

        panes = QSplitter(Qt.Orientation.Horizontal)
        panes.addWidget(
            self._pane(
                _tr("加分/扣分"),
                self.adjust_table,
                [self.add_adjust_button, self.del_adjust_button],
                self.adjust_total,
            )
        )
        panes.addWidget(
            self._pane(
                _tr("处分/组织处理"),
                self.sanction_table,
                [self.add_sanction_button, self.del_sanction_button],
            )
        )
        panes.addWidget(
            self._pane(
                _tr("一票否决"),
                self.veto_table,
                [self.add_veto_button, self.del_veto_button],
                self.veto_note,
            )
        )
        panes.addWidget(self._pane(_tr("变更记录"), self.history_table, []))
        panes.setSizes([220, 440, 220, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.person_label)
        layout.addWidget(panes, 1)
        for t in (self.adjust_table, self.sanction_table, self.veto_table):
            t.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self._update_buttons()

    # -- building blocks ------------------------------------------------------------------

    def _pane(
        self,
        title: str,
        table: QTableView,
        buttons: list[QPushButton],
        extra: QWidget | None = None,
    ) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel(f"<b>{html.escape(title)}</b>"))
        lay.addWidget(table, 1)
        if extra is not None:
            lay.addWidget(extra)
        if buttons:
            row = QHBoxLayout()
            for b in buttons:
                row.addWidget(b)
            row.addStretch(1)
            lay.addLayout(row)
        return w

    def _fit(self, table: QTableView, chars: int = 14) -> None:
        table.resizeColumnsToContents()
        cap = table.fontMetrics().horizontalAdvance("中") * chars
        for c in range(table.model().columnCount()):
            table.setColumnWidth(c, min(table.columnWidth(c), cap))

    # -- contents -------------------------------------------------------------------------

    # -- contents -------------------------------------------------------------------------

    def show_person(self, rnd: RoundDTO | None, row: PersonRow | None) -> None:
        """Show ``row`` (None: nobody) of round ``rnd``."""
        self.round, self.row = rnd, row
        r = row
        if r is None or rnd is None:
            self.person_label.setText("")
            for m in (self.adjust_model, self.sanction_model, self.veto_model, self.history_model):
                m.set_rows(())
            self.adjust_total.setText("")
            self.history = []
            self._update_buttons()
            return
        rules = rnd.rules
        m = r.member
        e = html.escape
        status = [] if r.participating else [_tr("不参加考核：") + m.not_participating]
        post = f"，{e(m.post_title)}" if m.post_title else ""
        text = f"<b>{e(m.name)}</b>（{e(m.unit_name)}{post}）"
        if status:
            text += f" <span style='color:{WARN_TEXT}'>{e('；'.join(status))}</span>"
        self.person_label.setText(text)
        adjustments = list_adjustments(rnd.id, m.cadre_id)
        self.adjust_model.set_rows(adjustments)
        self.adjust_total.setText(self._adjust_total_text(rules, adjustments))
        self.sanction_model.set_rows(
            [
                SanctionLine(s, sanction_effect(rules, rnd.year, s))
                for s in list_sanctions(m.cadre_id)
            ]
        )
        try:
            self.history = person_history(rnd.id, m.cadre_id)
        except DomainError:
            self.history = []
        self.history_model.set_rows(self.history)
        self.veto_model.set_rows(self._veto_lines(rules, r))
        for t, chars in (
            (self.adjust_table, 14),
            (self.sanction_table, 9),
            (self.veto_table, 10),
            (self.history_table, 10),
        ):
            self._fit(t, chars)
        self._update_buttons()

    def _adjust_total_text(self, rules: AssessmentRules, adjustments: list[AdjustmentDTO]) -> str:
        if not adjustments:
            return ""
        text = _tr("合计 {t}").format(t=adjustments_text([a.points for a in adjustments]))
        c = rules.composite
        caps = []
        if c.bonus_cap is not None:
            caps.append(_tr("加分上限 {n}").format(n=fmt_number(c.bonus_cap)))
        if c.penalty_cap is not None:
            caps.append(_tr("扣分上限 {n}").format(n=fmt_number(c.penalty_cap)))
        return text + (f"（{'，'.join(caps)}）" if caps else "")

    def _veto_lines(self, rules: AssessmentRules, r: PersonRow) -> list[VetoLine]:
        out = []
        items = rules.items_by_code
        for code in r.vetoes:
            name = items[code].name if code in items else code
            key = f"一票否决/{name}"
            change = next(
                (c for c in self.history if c.field == key and c.new_value == "否决"), None
            )
            out.append(
                VetoLine(
                    code,
                    name,
                    change.reason if change else "",
                    change.user if change else "",
                    change.at.strftime("%Y-%m-%d") if change else "",
                )
            )
        return out

    def writable(self) -> bool:
        return self.round is not None and not self.round.locked

    def _update_buttons(self) -> None:
        writable = self.writable()
        person = self.row is not None
        rules = self.round.rules if self.round else None
        has_veto_items = rules is not None and bool(veto_items(rules))
        self.add_adjust_button.setEnabled(writable and person)
        self.del_adjust_button.setEnabled(writable and self._current(self.adjust_table) >= 0)
        self.add_sanction_button.setEnabled(writable and person)
        self.del_sanction_button.setEnabled(writable and self._current(self.sanction_table) >= 0)
        self.add_veto_button.setEnabled(writable and person and has_veto_items)
        no_items = _tr("本轮考核方案没有一票否决项目（可在“考核方案”中设置）")
        self.add_veto_button.setToolTip("" if has_veto_items else no_items)
        self.veto_note.setText("" if has_veto_items or rules is None else no_items)
        self.veto_note.setVisible(not has_veto_items and rules is not None)
        self.del_veto_button.setEnabled(writable and self._current(self.veto_table) >= 0)

    def _current(self, table: QTableView) -> int:
        idx = table.currentIndex()
        return idx.row() if idx.isValid() else -1

    # -- actions ----------------------------------------------------------------------------

    def _target(self) -> tuple[RoundDTO, PersonRow] | None:
        """The round and the selected person when changes are allowed."""
        r = self.row
        if self.round is None or r is None:
            return None
        if self.round.locked:
            messages.error(self, LOCKED_MESSAGE, _tr("不能修改"))
            return None
        return self.round, r

    def _call(self, title: str, change: Callable[[], object]) -> object | None:
        try:
            return change() or True
        except ConflictError as exc:  # changed by someone else since the panel read it
            if self.row is not None:  # the message says the tab is current
                self.outdated.emit(self.row.cadre_id)
            messages.conflict(self, str(exc))
            return None
        except DomainError as exc:
            messages.error(self, str(exc), title)
            return None

    def add_adjustment(self) -> bool:
        target = self._target()
        if target is None:
            return False
        rnd, r = target
        choice = AdjustmentDialog.ask(self, r.member.name, rnd.rules)
        if choice is None:
            return False
        shown = [a.id for a in self.adjust_model.rows]
        dto = self._call(
            _tr("不能添加加减分"),
            lambda: add_adjustment(
                rnd.id, r.cadre_id, choice.points, choice.reason, expected_ids=shown
            ),
        )
        if dto is None:
            return False
        self.personChanged.emit(r.cadre_id, None)
        if isinstance(dto, AdjustmentDTO) and dto.warnings:
            messages.info(self, _tr("加减分超过上限"), "\n".join(dto.warnings))
        return True

    def delete_adjustment(self) -> bool:
        target = self._target()
        a = self.adjust_model.row(self._current(self.adjust_table))
        if target is None or a is None:
            return False
        _rnd, r = target
        reason = messages.ask_text(
            self,
            _tr("删除加减分"),
            _tr("删除“{name}”的加减分 {p}（{why}），理由（必填）：").format(
                name=r.member.name, p=fmt_number(a.points), why=a.reason
            ),
        )
        if reason is None:
            return False
        if not self._call(
            _tr("不能删除加减分"),
            lambda: delete_adjustment(a.id, reason=reason, expected_version=a.version),
        ):
            return False
        self.personChanged.emit(r.cadre_id, None)
        return True

    def add_sanction(self) -> bool:
        target = self._target()
        if target is None:
            return False
        rnd, r = target
        choice = SanctionDialog.ask(self, r.member.name, rnd.rules, rnd.year)
        if choice is None:
            return False
        shown = [line.sanction.id for line in self.sanction_model.rows]
        if not self._call(
            _tr("不能添加处分"),
            lambda: add_sanction(
                r.cadre_id,
                choice.code,
                choice.start,
                end_date=choice.end,
                note=choice.note,
                expected_ids=shown,
            ),
        ):
            return False
        self.personChanged.emit(r.cadre_id, None)
        return True

    def delete_sanction(self) -> bool:
        target = self._target()
        line = self.sanction_model.row(self._current(self.sanction_table))
        if target is None or line is None:
            return False
        _rnd, r = target
        s = line.sanction
        reason = messages.ask_text(
            self,
            _tr("删除处分记录"),
            _tr("删除“{name}”的处分“{s}”（{d}），理由（必填）：").format(
                name=r.member.name, s=s.name, d=s.start_date.isoformat()
            ),
        )
        if reason is None:
            return False
        if not self._call(
            _tr("不能删除处分"),
            lambda: delete_sanction(s.id, reason=reason, expected_version=s.version),
        ):
            return False
        self.personChanged.emit(r.cadre_id, None)
        return True

    def add_veto(self) -> bool:
        target = self._target()
        if target is None:
            return False
        rnd, r = target
        items = veto_items(rnd.rules)
        if not items:
            messages.error(
                self, _tr("本轮考核方案没有一票否决项目（可在“考核方案”中设置）"), _tr("一票否决")
            )
            return False
        choice = VetoDialog.ask(self, r.member.name, items)
        if choice is None:
            return False
        if not self._call(
            _tr("不能认定一票否决"),
            lambda: set_veto_failure(
                rnd.id,
                r.cadre_id,
                choice.item_code,
                True,
                reason=choice.reason,
                expected=choice.item_code in r.vetoes,
            ),
        ):
            return False
        vetoes = r.vetoes if choice.item_code in r.vetoes else (*r.vetoes, choice.item_code)
        self.personChanged.emit(r.cadre_id, vetoes)
        return True

    def clear_veto(self) -> bool:
        target = self._target()
        line = self.veto_model.row(self._current(self.veto_table))
        if target is None or line is None:
            return False
        rnd, r = target
        reason = messages.ask_text(
            self,
            _tr("撤销一票否决"),
            _tr("撤销“{name}”的一票否决“{item}”，理由（必填）：").format(
                name=r.member.name, item=line.name
            ),
        )
        if reason is None:
            return False
        if not self._call(
            _tr("不能撤销一票否决"),
            lambda: set_veto_failure(
                rnd.id, r.cadre_id, line.code, False, reason=reason, expected=True
            ),
        ):
            return False
        self.personChanged.emit(r.cadre_id, tuple(v for v in r.vetoes if v != line.code))
        return True
