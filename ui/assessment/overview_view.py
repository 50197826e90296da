"""结果汇总 tab of 年度考核: per unit (quota pool) the ranking with composite, rank, proposed
and final grade, grade counts against the quota, people without scores and people with
warnings; the selected person's Chinese explanation and change history. 计算等次 grades the
pools of the selected unit (all units: every pool) whose people are all complete; the 待录入
list names the others by name and unit, and a click on one asks the section to show that
person in 评分录入 (personWanted). 计算等次 and the xlsx export run as background jobs;
the committee's override goes through models.assessment.grading.service.set_override,
which refuses with its own message. An override (or its withdrawal) carries the version of
the person's result the tab shows; when someone else changed that result meanwhile, the
conflict message says who and when and the tab reads the results again.

提高名额 is a change to the round itself: it is saved with the version of the round the tab
shows (optimistic locking). When someone else changed the round meanwhile the service refuses
(RoundChangedError); the message is shown and the tab reads the round again."""

from __future__ import annotations

import html
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from models.assessment import (
    KIND_QUARTERLY,
    RoundChangedError,
    RoundDTO,
    get_round,
    person_history,
    set_raised_quota,
)
from models.assessment.grading import (
    GradingOutcome,
    PendingPerson,
    QuarterPoolRow,
    clear_override,
    compute_quarter_grades,
    grade_and_store,
    pending_people,
    quarter_overview,
    set_override,
)
from models.assessment.results import OverviewRow, PoolOverview, RoundOverview, round_overview
from models.core.audit import ChangeDTO
from models.core.errors import ConflictError, DomainError
from ui import jobs, messages
from ui.assessment.overview_chart import OverviewChart
from ui.assessment.overview_parts import (
    GRADES,
    OverrideDialog,
    history_columns,
    pending_columns,
    pool_columns,
    pools_total,
    quarter_columns,
    ranking_columns,
    titled,
    toggle_pool_approval,
)
from ui.common import RowsModel, button, export_file, last_export_folder, table_view


def _tr(text: str) -> str:
    return QCoreApplication.translate("AssessmentOverview", text)


def _pending(round_id: int, unit_id: int | None, **_job: Any) -> tuple[PendingPerson, ...]:
    return pending_people(round_id, unit_id)


def _compute(
    round_id: int, unit_id: int | None, quarterly: bool, **_job: Any
) -> GradingOutcome | str:
    """计算等次 of the round: under the annual rules the pools of ``unit_id`` (all units when
    None) whose people are all complete; or the quarter grades of a 平时考核 round (stored
    as the people's 平时考核 grades; the summary text is returned for the user)."""
    if quarterly:
        return compute_quarter_grades(round_id).summary
    return grade_and_store(round_id, unit_id=unit_id)


def _table(
    model: RowsModel[Any], name: str, *, stretch: tuple[int, ...] = (), stretch_last: bool = False
) -> QTableView:
    """The tab's read-only lists: one row selected at a time, no row numbers."""
    return table_view(
        model,
        name,
        read_only=True,
        row_numbers=False,
        row_padding=8,
        stretch=stretch,
        stretch_last=stretch_last,
    )


class OverviewView(QWidget):
    graded = Signal()  # grades were computed or changed
    personWanted = Signal(int)  # a cadre of the 待录入 list was picked: show their scores
    roundUpdated = Signal()  # the round itself was changed here, or found changed elsewhere

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assessment_overview")
        self.round: RoundDTO | None = None
        self.unit_id: int | None = None
        self.overview: RoundOverview | None = None
        self.pending_job: jobs.Job | None = None  # reading the 待录入 list

        self.compute_button = button(_tr("计算等次"), "overview_compute", self.compute)
        self.override_button = button(_tr("调整等次…"), "overview_override", self.override)
        self.clear_button = button(_tr("撤销调整…"), "overview_clear_override", self.clear_override)
        self.export_button = button(_tr("导出结果…"), "overview_export", self.export)
        self.raise_button = button(
            _tr("提高名额（经批准）…"), "overview_raise_quota", self.toggle_raised_quota
        )
        self.approve_pool_button = button(
            _tr("审定本范围…"), "overview_approve_pool", self.toggle_pool_approval
        )
        self.graded_label = QLabel()
        self.graded_label.setObjectName("overview_graded_at")
        # what the last 计算等次 did: how many graded, which pools wait for whom
        self.result_label = QLabel()
        self.result_label.setObjectName("overview_compute_result")
        self.result_label.setWordWrap(True)
        self.result_label.hide()
        # the overall 优秀 share above the rules' ceiling, with the pools that cause it
        self.ceiling_label = QLabel()
        self.ceiling_label.setObjectName("overview_ceiling_warning")
        self.ceiling_label.setWordWrap(True)
        self.ceiling_label.setStyleSheet("color: #b00020;")
        self.ceiling_label.hide()
        bar = QHBoxLayout()
        for b in (
            self.compute_button,
            self.override_button,
            self.clear_button,
            self.raise_button,
            self.approve_pool_button,
        ):
            bar.addWidget(b)
        self.chart = OverviewChart()  # 图表: shown in place of the ranking
        bar.addWidget(self.graded_label, 1)
        bar.addWidget(self.chart.button)
        bar.addWidget(self.export_button)

        self.pool_model: RowsModel[PoolOverview] = RowsModel(pool_columns(), lambda p: 0, self)
        self.rank_model: RowsModel[OverviewRow] = RowsModel(
            ranking_columns(), lambda r: r.cadre_id, self
        )
        self.history_model: RowsModel[ChangeDTO] = RowsModel(history_columns(), lambda c: 0, self)
        self.pending_model: RowsModel[PendingPerson] = RowsModel(
            pending_columns(), lambda p: p.cadre_id, self
        )
        self.pool_table = _table(self.pool_model, "overview_pools", stretch=(0,))
        self.rank_table = _table(self.rank_model, "overview_ranking", stretch_last=True)
        self.history_table = _table(self.history_model, "overview_history", stretch_last=True)
        self.pending_table = _table(self.pending_model, "overview_pending", stretch_last=True)
        self.pending_table.setToolTip(_tr("单击一人，到“评分录入”中定位到此人"))
        self.pending_table.clicked.connect(lambda index: self.open_pending(index.row()))
        self.pending_title = QLabel()
        self.pending_title.setObjectName("overview_pending_title")
        self.pending_title.setWordWrap(True)
        self.pool_info = QLabel()
        self.pool_info.setObjectName("overview_pool_info")
        self.pool_info.setWordWrap(True)
        self.pool_info.setTextFormat(Qt.TextFormat.RichText)
        self.explanation = QTextBrowser()
        self.explanation.setObjectName("overview_explanation")
        self.pool_table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_pool())
        self.rank_table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_person())

        self.pending_box = QWidget()
        pl = QVBoxLayout(self.pending_box)
        pl.setContentsMargins(0, 0, 0, 0)
        pl.addWidget(self.pending_title)
        pl.addWidget(self.pending_table, 1)
        # the 合计 line under the pools
        self.pool_total = QLabel()
        self.pool_total.setObjectName("overview_pool_total")
        self.pool_total.setWordWrap(True)
        pools = QWidget()
        pt = QVBoxLayout(pools)
        pt.setContentsMargins(0, 0, 0, 0)
        pt.addWidget(self.pool_table, 1)
        pt.addWidget(self.pool_total)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(pools)
        left.addWidget(self.pending_box)
        left.setSizes([260, 170])
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(left)
        ranking = QWidget()
        rl = QVBoxLayout(ranking)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.pool_info)
        rl.addWidget(self.rank_table, 1)
        top.addWidget(ranking)
        top.addWidget(self.chart)
        self.chart.swaps_with(ranking)
        top.setSizes([560, 700])
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(titled(_tr("等次说明"), self.explanation))
        bottom.addWidget(titled(_tr("变更记录"), self.history_table))
        bottom.setSizes([560, 680])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setSizes([430, 270])
        # a 平时考核 round has no annual results: its quarter grades are listed in 人员情况
        self.quarter_note = QLabel(
            _tr(
                "这是平时考核轮次：“计算等次”按季度得分线和“好”的比例上限计算每人本季度的"
                "平时考核等次（好/较好/一般/较差）并保存；下表是各单位现有的季度等次，"
                "各人的等次在“人员情况”中查看和逐人调整。年度考核的名额、排名和委员会调整不适用于本轮。"
            )
        )
        self.quarter_note.setObjectName("overview_quarter_note")
        self.quarter_note.setWordWrap(True)
        self.quarter_model: RowsModel[QuarterPoolRow] = RowsModel(
            quarter_columns(), lambda p: 0, self
        )
        self.quarter_table = _table(self.quarter_model, "overview_quarter_pools", stretch=(0,))
        self.quarter_box = QWidget()
        ql = QVBoxLayout(self.quarter_box)
        ql.setContentsMargins(0, 0, 0, 0)
        ql.addWidget(self.quarter_note)
        ql.addWidget(self.quarter_table, 1)
        self.split = split
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.result_label)
        layout.addWidget(self.ceiling_label)
        layout.addWidget(split, 1)
        layout.addWidget(self.quarter_box, 1)
        self.quarter_box.hide()
        self._update_buttons()

    def _fit(self, table: QTableView, chars: int = 20) -> None:
        """Columns as wide as their contents, but none wider than ``chars`` characters."""
        table.resizeColumnsToContents()
        cap = table.fontMetrics().horizontalAdvance("中") * chars
        for c in range(table.model().columnCount()):
            table.setColumnWidth(c, min(table.columnWidth(c), cap))

    # -- contents -------------------------------------------------------------------------

    def set_round(self, rnd: RoundDTO | None, unit_id: int | None) -> None:
        if (rnd and rnd.id, unit_id) != (self.round and self.round.id, self.unit_id):
            self.show_result("")  # the last 计算等次 was of another round or unit
        self.round, self.unit_id = rnd, unit_id
        self.refresh()

    def show_result(self, text: str) -> None:
        self.result_label.setText(text)
        self.result_label.setVisible(bool(text))

    def _quarterly(self) -> bool:
        return self.round is not None and self.round.kind == KIND_QUARTERLY

    def refresh(self) -> None:
        keep_pool = self.current_pool()
        keep_person = self.current_person()
        quarterly = self._quarterly()
        if quarterly and self.round is not None:
            self.round = get_round(self.round.id)  # when it was last computed
        self.split.setVisible(not quarterly)
        self.quarter_box.setVisible(quarterly)
        self.quarter_model.set_rows(
            quarter_overview(self.round.id, self.unit_id) if quarterly else ()
        )
        for c in range(1, self.quarter_model.columnCount()):
            self.quarter_table.resizeColumnToContents(c)
        self.overview = (
            round_overview(self.round.id, self.unit_id) if self.round and not quarterly else None
        )
        ov = self.overview
        if ov is not None:
            self.round = ov.round  # the version that goes with the pools shown
        self.pool_model.set_rows(ov.pools if ov else ())
        self.pool_total.setText(pools_total(ov.pools) if ov else "")
        self.chart.set_overview(ov)
        ceiling = ov.ceiling_warning if ov else ""
        self.ceiling_label.setText(_tr("注意：{text}").format(text=ceiling) if ceiling else "")
        self.ceiling_label.setVisible(bool(ceiling))
        # the 待录入 list reads the round's inputs again (seconds at 50,000 people): only when
        # the overview shows someone with scores still to enter, and off the GUI thread
        self._show_pending(())
        if ov is not None and any(p.without_scores for p in ov.pools):
            key = (ov.round.id, self.unit_id)
            self.pending_title.setText(_tr("正在读取待录入名单…"))
            self.pending_box.show()
            self.pending_job = jobs.runner().run(
                _pending, *key, title=_tr("读取待录入名单"), parent_widget=self, quiet=True,
                on_success=lambda p: self._show_pending(p) if key == self._key() else None,
            )  # fmt: skip
        for c in range(1, self.pool_model.columnCount()):
            self.pool_table.resizeColumnToContents(c)
        graded_at = ov.graded_at if ov else (self.round.graded_at if quarterly else None)
        if graded_at:
            self.graded_label.setText(_tr("最近计算：{at:%Y-%m-%d %H:%M}").format(at=graded_at))
        else:
            self.graded_label.setText(_tr("尚未计算等次") if ov or quarterly else "")
        row = 0
        if keep_pool is not None and ov:
            row = next((k for k, p in enumerate(ov.pools) if p.pool_key == keep_pool.pool_key), 0)
        if ov and ov.pools:
            self.pool_table.selectRow(row)
        self._show_pool()
        if keep_person is not None:
            self.select_person(keep_person.cadre_id)
        self._update_buttons()

    def _key(self) -> tuple[int | None, int | None]:
        return (self.round.id if self.round else None, self.unit_id)

    def _show_pending(self, pending: tuple[PendingPerson, ...]) -> None:
        self.pending_model.set_rows(pending)
        self._fit(self.pending_table, 12)
        pools = len({p.pool_key for p in pending})
        self.pending_title.setText(
            _tr(
                "<b>待录入 {n} 人</b>（{k} 个考核范围因此暂不计算等次）："
                "单击一人，到“评分录入”中补录"
            ).format(n=len(pending), k=pools)
        )
        self.pending_box.setVisible(bool(pending))

    def open_pending(self, row: int) -> bool:
        """Show the person of row ``row`` of the 待录入 list in 评分录入 (personWanted)."""
        p = self.pending_model.row(row)
        if p is None:
            return False
        self.personWanted.emit(p.cadre_id)
        return True

    def select_pool(self, pool_key: str) -> bool:
        for k, p in enumerate(self.pool_model.rows):
            if p.pool_key == pool_key:
                self.pool_table.selectRow(k)
                return True
        return False

    def select_person(self, cadre_id: int) -> bool:
        r = self.rank_model.row_of(cadre_id)
        if r is None:
            return False
        self.rank_table.selectRow(r)
        return True

    def current_pool(self) -> PoolOverview | None:
        return self.pool_model.row(self.pool_table.currentIndex().row())

    def current_person(self) -> OverviewRow | None:
        return self.rank_model.row(self.rank_table.currentIndex().row())

    def _show_pool(self) -> None:
        p = self.current_pool()
        self.rank_model.set_rows(p.rows if p else ())
        self._fit(self.rank_table)
        if p is None:
            self.pool_info.setText("")
        else:
            e = html.escape
            parts = [
                _tr("<b>{unit}</b>：{n} 人，优秀名额 {q} 名（{text}）{raised}").format(
                    unit=e(p.unit + (f"｜{p.layer}" if p.layer else "")),
                    n=p.people,
                    q=p.quota,
                    text=e(p.quota_text),
                    raised=_tr("，经批准按最高比例") if p.raised_quota else "",
                )
            ]
            counts = "，".join(f"{g} {p.counts.get(g, 0)}" for g in GRADES)
            parts.append(_tr("等次：") + e(counts))
            if p.approved:
                note = _tr("本范围已单独审定（{at}），得分、记录和等次已锁定").format(at=p.approved)
                parts.append(f"<span style='color:#1b5e20'>{e(note)}</span>")
            if p.over_quota:
                parts.append(f"<span style='color:#b00020'>{_tr('优秀人数超过名额')}</span>")
            parts += [f"<span style='color:#8a5a00'>{e(w)}</span>" for w in p.warnings]
            if p.without_scores:
                names = "、".join(r.name for r in p.without_scores)
                parts.append(_tr("未录入完整：") + e(names))
                if any(p.counts.values()):
                    note = _tr("以上等次是上次计算的结果，补录后需重新计算")
                    parts.append(f"<span style='color:#b00020'>{note}</span>")
            if p.with_warnings:
                parts.append(_tr("有提示：") + e("、".join(r.name for r in p.with_warnings)))
            self.pool_info.setText("<br>".join(parts))
        if self.rank_model.rowCount():
            self.rank_table.selectRow(0)
        self._show_person()

    def _show_person(self) -> None:
        r = self.current_person()
        if r is None or self.round is None:
            self.explanation.setHtml("")
            self.history_model.set_rows(())
            self._update_buttons()
            return
        e = html.escape
        grade = r.final_grade or _tr("未定")
        lines = [
            f"<p><b>{e(r.name)}</b>（{e(r.unit_name)}，{e(r.post_title)}）："
            f"{_tr('最终等次')} <b>{e(grade)}</b></p>",
            f"<p>{e(r.explanation)}</p>",
        ]
        if r.override_reason:
            ok = _tr("（经批准）") if r.override_approved else ""
            lines.append(
                f"<p>{_tr('考核委员会调整：')}{e(r.override_reason)}{ok}；"
                f"{_tr('拟定等次')} {e(r.proposed_grade)}</p>"
            )
        lines += [f"<p style='color:#8a5a00'>{e(w)}</p>" for w in r.warnings]
        if r.missing:
            lines.append(f"<p style='color:#b00020'>{_tr('未录入：')}{e('、'.join(r.missing))}</p>")
        self.explanation.setHtml("".join(lines))
        try:
            self.history_model.set_rows(person_history(self.round.id, r.cadre_id))
        except DomainError:
            self.history_model.set_rows(())
        self._fit(self.history_table, 12)
        self._update_buttons()

    def _update_buttons(self) -> None:
        writable = self.round is not None and not self.round.locked
        person = self.current_person()
        pool = self.current_pool()
        open_pool = writable and pool is not None and not pool.approved
        self.compute_button.setEnabled(writable)
        self.override_button.setEnabled(open_pool and person is not None and person.graded)
        self.clear_button.setEnabled(
            open_pool and person is not None and bool(person.override_reason)
        )
        self.export_button.setEnabled(self.overview is not None and bool(self.overview.pools))
        self.raise_button.setEnabled(open_pool and not self._quarterly())
        approved = pool is not None and bool(pool.approved)
        self.approve_pool_button.setEnabled(  # a pool with someone still to enter waits
            writable and pool is not None and not self._quarterly()
            and (approved or not pool.without_scores)
        )  # fmt: skip
        self.approve_pool_button.setText(_tr("解除范围审定…") if approved else _tr("审定本范围…"))
        raised = pool is not None and pool.raised_quota
        self.raise_button.setText(_tr("撤销提高名额…") if raised else _tr("提高名额（经批准）…"))

    # -- actions --------------------------------------------------------------------------

    def compute(self) -> jobs.Job | None:
        if self.round is None:
            return None

        def done(outcome: GradingOutcome | str) -> None:
            if isinstance(outcome, str):  # 平时考核: the grades are in 人员情况
                messages.info(self, _tr("计算季度等次"), outcome)
            else:  # how many were graded; who waits is listed under 待录入
                self.show_result(outcome.message)
            self.refresh()
            self.graded.emit()

        return jobs.runner().run(
            _compute,
            self.round.id,
            self.unit_id,
            self.round.kind == KIND_QUARTERLY,
            title=_tr("计算等次"),
            parent_widget=self,
            on_success=done,
        )

    def override(self) -> bool:
        r = self.current_person()
        if self.round is None or r is None:
            return False
        choice = OverrideDialog.ask(self, r.name, r.final_grade)
        if choice is None:
            return False
        try:
            set_override(
                self.round.id,
                r.cadre_id,
                choice.grade,
                choice.reason,
                approved=choice.approved,
                expected_version=r.version,
            )
        except ConflictError as exc:  # the result changed since the tab read it
            self.refresh()  # the message says the tab is current
            messages.conflict(self, str(exc))
            return False
        except DomainError as exc:
            messages.error(self, str(exc), _tr("不能调整等次"))
            return False
        self.refresh()
        self.graded.emit()
        return True

    def clear_override(self) -> bool:
        r = self.current_person()
        if self.round is None or r is None:
            return False
        reason = messages.ask_text(
            self, _tr("撤销调整"), _tr("撤销“{name}”的等次调整，理由：").format(name=r.name)
        )
        if reason is None:
            return False
        try:
            clear_override(self.round.id, r.cadre_id, reason=reason, expected_version=r.version)
        except ConflictError as exc:  # the result changed since the tab read it
            self.refresh()  # the message says the tab is current
            messages.conflict(self, str(exc))
            return False
        except DomainError as exc:
            messages.error(self, str(exc), _tr("不能撤销调整"))
            return False
        self.refresh()
        self.graded.emit()
        return True

    def toggle_raised_quota(self) -> jobs.Job | None:
        """Allow the selected pool the approved maximum 优秀 percentage (or withdraw it), with
        the approval as reason; then grade again (the returned job) so the quota applies."""
        p = self.current_pool()
        if self.round is None or p is None:
            return None
        label = p.unit + (f"｜{p.layer}" if p.layer else "")
        raise_it = not p.raised_quota
        if raise_it:
            prompt = _tr("“{pool}”经批准按最高比例 {pct}% 确定优秀名额，批准依据（必填）：")
        else:
            prompt = _tr("撤销“{pool}”提高的优秀名额（恢复 {pct}%），理由（必填）：")
        rules = self.round.rules.quota
        pct = rules.max_percent if raise_it else rules.percent
        reason = messages.ask_text(
            self,
            _tr("提高优秀名额") if raise_it else _tr("撤销提高名额"),
            prompt.format(pool=label, pct=f"{pct:g}"),
        )
        if reason is None:
            return None
        try:
            self.round = set_raised_quota(
                self.round.id,
                p.pool_key,
                raise_it,
                reason=reason,
                expected_version=self.round.version,
            )
        except RoundChangedError as exc:
            messages.error(
                self,
                str(exc) + "\n\n" + _tr("已重新读取本轮考核的最新结果，请核对后再操作。"),
                _tr("不能修改优秀名额"),
            )
            self.refresh()
            self.roundUpdated.emit()
            return None
        except DomainError as exc:
            messages.error(self, str(exc), _tr("不能修改优秀名额"))
            return None
        self.roundUpdated.emit()
        return self.compute()

    def toggle_pool_approval(self) -> bool:
        """审定 the selected pool on its own, or withdraw that (see overview_parts)."""
        p = self.current_pool()
        if self.round is None or p is None:
            return False
        if not toggle_pool_approval(self, self.round, p):
            return False
        self.refresh()
        self.roundUpdated.emit()
        return True

    def export(self) -> jobs.Job | None:
        ov = self.overview
        if ov is None or not ov.pools:
            return None
        from reports.assessment import write_overview_xlsx  # lazy: openpyxl, on first export

        return export_file(
            self,
            title=_tr("导出考核结果"),
            suggested=last_export_folder() / f"{ov.round.name}结果.xlsx",
            filters="Excel (*.xlsx)",
            remember_folder=True,
            write=partial(write_overview_xlsx, ov),
            done=lambda dest, n: _tr("已导出 {n} 人到\n{path}").format(n=n, path=dest),
        )
