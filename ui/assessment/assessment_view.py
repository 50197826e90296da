"""年度考核 section: pick a round (year and kind) and a unit, see its status and move it through
录入 → 审核 → 审定 (locked); tabs for score entry, the people's records, the scheme, the
results (with a 考核范围 approved on its own) and the 反馈与指导 of 一项指导.

Every step goes through the services of models.assessment; a refusal is shown with the service's
Chinese message. Unlocking a 审定 round needs a reason (asked, then checked by the service).

Optimistic locking: each step passes the version of the round the section shows. When
someone else changed the round meanwhile the step is refused (RoundChangedError); its message
is shown and the section reads the round again, so the other person's state is on screen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from models.assessment import (
    KIND_ANNUAL,
    KIND_QUARTERLY,
    STATUS_ENTRY,
    STATUS_REVIEW,
    RoundChangedError,
    RoundDTO,
    approve_round,
    create_round,
    get_round,
    list_rounds,
    return_to_entry,
    submit_for_review,
    unlock_round,
)
from models.core.errors import ConflictError, DomainError
from models.roster import UnitDTO
from models.roster import service as roster
from ui import messages
from ui.assessment.score_grid import ScoreGrid
from ui.common import button, ok_cancel

if TYPE_CHECKING:
    from ui.assessment.feedback_view import FeedbackView
    from ui.assessment.overview_view import OverviewView
    from ui.assessment.people import PeopleView
    from ui.assessment.scheme import SchemeEditor

STATUS_COLOURS = {"录入": "#1565c0", "审核": "#8a5a00", "审定": "#1b5e20"}
#: the tabs after 评分录入, built the first time they are shown (or asked for)
LATER_TABS = (("people", "人员情况"), ("scheme", "考核方案"), ("overview", "结果汇总"),
              ("feedback", "反馈与指导"))  # fmt: skip


def _tr(text: str) -> str:
    return QCoreApplication.translate("AssessmentView", text)


def units_in_tree_order(units: list[UnitDTO]) -> list[tuple[UnitDTO, int]]:
    """(unit, depth) depth-first in sort order, the way the unit tree shows them."""
    children: dict[int | None, list[UnitDTO]] = {}
    ids = {u.id for u in units}
    for u in units:
        parent = u.parent_id if u.parent_id in ids else None
        children.setdefault(parent, []).append(u)
    for kids in children.values():
        kids.sort(key=lambda u: (u.sort_order, u.id))
    out: list[tuple[UnitDTO, int]] = []
    stack = [(u, 0) for u in reversed(children.get(None, []))]
    seen: set[int] = set()
    while stack:
        u, depth = stack.pop()
        if u.id in seen:
            continue
        seen.add(u.id)
        out.append((u, depth))
        stack += [(c, depth + 1) for c in reversed(children.get(u.id, []))]
    return out


def round_label(r: RoundDTO) -> str:
    return _tr("{name}（{status}，{n} 人）").format(name=r.name, status=r.status, n=r.members)


@dataclass(frozen=True)
class NewRound:
    year: int
    kind: str
    quarter: int | None
    copy_previous: bool


class NewRoundDialog(QDialog):
    """新建考核轮次: year, kind (and quarter), and whether to copy last year's scheme."""

    def __init__(self, rounds: list[RoundDTO], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("new_round_dialog")
        self.setWindowTitle(_tr("新建考核轮次"))
        self.rounds = rounds
        self.year = QSpinBox()
        self.year.setObjectName("new_round_year")
        self.year.setRange(1949, 2100)
        self.year.setValue(max([r.year + 1 for r in rounds], default=dt.date.today().year))
        self.kind = QComboBox()
        self.kind.setObjectName("new_round_kind")
        self.kind.addItems([KIND_ANNUAL, KIND_QUARTERLY])
        self.quarter = QSpinBox()
        self.quarter.setObjectName("new_round_quarter")
        self.quarter.setRange(1, 4)
        self.copy = QCheckBox(_tr("复制上年方案"))
        self.copy.setObjectName("new_round_copy")
        self.source = QLabel()
        self.source.setObjectName("new_round_source")
        for w in (self.year, self.quarter):
            w.valueChanged.connect(self._update)
        self.kind.currentIndexChanged.connect(self._update)
        form = QFormLayout(self)
        form.addRow(_tr("考核年度"), self.year)
        form.addRow(_tr("考核类型"), self.kind)
        form.addRow(_tr("季度"), self.quarter)
        form.addRow(_tr("考核方案"), self.copy)
        form.addRow("", self.source)
        form.addRow(ok_cancel(self))
        self._update()

    def previous(self) -> RoundDTO | None:
        kind, year = self.kind.currentText(), self.year.value()
        earlier = [r for r in self.rounds if r.kind == kind and r.year < year]
        return max(earlier, key=lambda r: (r.year, r.id), default=None)

    def _update(self) -> None:
        self.quarter.setEnabled(self.kind.currentText() == KIND_QUARTERLY)
        prev = self.previous()
        self.copy.setEnabled(prev is not None)
        self.copy.setChecked(prev is not None)
        self.source.setText(
            _tr("复制自“{name}”").format(name=prev.name)
            if prev
            else _tr("没有更早的轮次，使用默认方案（德20/能15/勤15/绩30/廉20）")
        )

    def choice(self) -> NewRound:
        quarterly = self.kind.currentText() == KIND_QUARTERLY
        return NewRound(
            self.year.value(),
            self.kind.currentText(),
            self.quarter.value() if quarterly else None,
            self.copy.isChecked() and self.copy.isEnabled(),
        )

    @classmethod
    def ask(cls, parent: QWidget | None, rounds: list[RoundDTO]) -> NewRound | None:
        dlg = cls(rounds, parent)
        return dlg.choice() if dlg.exec() == QDialog.DialogCode.Accepted else None


class AssessmentView(QWidget):
    """The 年度考核 section."""

    roundChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assessment_view")
        self.round: RoundDTO | None = None
        self.round_combo = QComboBox()
        self.round_combo.setObjectName("assessment_round")
        # wide enough for '2025年第4季度平时考核（审定，12345 人）', whatever is listed first
        self.round_combo.setMinimumContentsLength(27)
        self.round_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.new_button = button(_tr("新建轮次…"), "assessment_new_round", self.new_round)
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("assessment_unit")
        self.unit_combo.setMinimumContentsLength(14)
        self.status_label = QLabel()
        self.status_label.setObjectName("assessment_status")
        self.submit_button = button(_tr("提交审核"), "assessment_submit", self.submit)
        self.return_button = button(_tr("退回录入"), "assessment_return", self.send_back)
        self.approve_button = button(_tr("审定锁定"), "assessment_approve", self.approve)
        self.unlock_button = button(_tr("解锁…"), "assessment_unlock", self.unlock)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(_tr("考核轮次")))
        bar.addWidget(self.round_combo, 2)
        bar.addWidget(self.new_button)
        bar.addSpacing(12)
        bar.addWidget(QLabel(_tr("单位")))
        bar.addWidget(self.unit_combo, 2)
        bar.addSpacing(12)
        bar.addWidget(self.status_label)
        bar.addStretch(1)
        for b in (self.submit_button, self.return_button, self.approve_button, self.unlock_button):
            bar.addWidget(b)

        self.grid = ScoreGrid()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("assessment_tabs")
        self.tabs.addTab(self.grid, _tr("评分录入"))
        # the other tabs hold an empty page until first shown (their modules, the charts of
        # 结果汇总 among them, load then): see _page
        self._pages: dict[str, QWidget] = {}
        self._replacing = False
        for _name, title in LATER_TABS:
            self.tabs.addTab(QWidget(), _tr(title))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)

        self.round_combo.currentIndexChanged.connect(lambda _i: self._round_picked())
        self.unit_combo.currentIndexChanged.connect(lambda _i: self._unit_picked())
        self.grid.stored.connect(self._grid_stored)
        self.tabs.currentChanged.connect(lambda _i: self._tab_shown())
        self._overview_stale = True
        self._people_stale = True
        self._feedback_stale = True  # results approved elsewhere change who can be seen
        self._grid_stale = False
        self.reload()

    # -- the tabs -------------------------------------------------------------------------

    @property
    def people(self) -> PeopleView:
        return cast("PeopleView", self._page("people"))

    @property
    def scheme(self) -> SchemeEditor:
        return cast("SchemeEditor", self._page("scheme"))

    @property
    def overview(self) -> OverviewView:
        return cast("OverviewView", self._page("overview"))

    @property
    def feedback(self) -> FeedbackView:
        return cast("FeedbackView", self._page("feedback"))

    def _page(self, name: str) -> QWidget:
        """The tab ``name`` of LATER_TABS, built in place of its empty page on first use."""
        page = self._pages.get(name)
        if page is not None:
            return page
        page = self._pages[name] = self._build_page(name)
        index, title = next((i + 1, t) for i, (n, t) in enumerate(LATER_TABS) if n == name)
        empty, current = self.tabs.widget(index), self.tabs.currentIndex()
        self._replacing = True  # the tab bar moves while the page is swapped: no reaction
        try:
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, page, _tr(title))
            self.tabs.setCurrentIndex(current)
        finally:
            self._replacing = False
        empty.deleteLater()
        return page

    def _build_page(self, name: str) -> QWidget:
        # each tab's modules load the first time it is shown (the section opens sooner)
        if name == "people":
            from ui.assessment.people import PeopleView  # lazy: first shown

            people = PeopleView()
            people.changed.connect(self._people_changed)
            return people
        if name == "scheme":
            from ui.assessment.scheme import SchemeEditor  # lazy: first shown

            scheme = SchemeEditor()
            scheme.saved.connect(self._scheme_saved)
            scheme.outdated.connect(self._round_updated)
            scheme.set_round(self.round)
            return scheme
        if name == "overview":
            from ui.assessment.overview_view import OverviewView  # lazy: first shown (charts)

            overview = OverviewView()
            overview.graded.connect(self._reload_round)
            overview.roundUpdated.connect(self._round_updated)
            overview.personWanted.connect(self.show_person_scores)
            return overview
        from ui.assessment.feedback_view import FeedbackView  # lazy: first shown

        return FeedbackView()

    def _built_scheme(self) -> SchemeEditor | None:
        return cast("SchemeEditor | None", self._pages.get("scheme"))

    # -- contents -------------------------------------------------------------------------

    def reload(self, select: int | None = None) -> None:
        """Re-read rounds and units; keep (or pick) the round ``select``."""
        keep = select if select is not None else (self.round.id if self.round else None)
        rounds = list_rounds()
        self.round_combo.blockSignals(True)
        self.round_combo.clear()
        for r in rounds:
            self.round_combo.addItem(round_label(r), r.id)
        k = self.round_combo.findData(keep) if keep is not None else 0
        self.round_combo.setCurrentIndex(max(k, 0) if rounds else -1)
        self.round_combo.blockSignals(False)
        unit = self.unit_combo.currentData()
        self.unit_combo.blockSignals(True)
        self.unit_combo.clear()
        self.unit_combo.addItem(_tr("全部单位"), None)
        for u, depth in units_in_tree_order(roster.list_units()):
            self.unit_combo.addItem("　" * depth + u.name, u.id)
        self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(unit), 0))
        self.unit_combo.blockSignals(False)
        self._round_picked()

    def select_round(self, round_id: int) -> None:
        self.round_combo.setCurrentIndex(self.round_combo.findData(round_id))

    def select_unit(self, unit_id: int | None) -> None:
        self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(unit_id), 0))

    def unit_id(self) -> int | None:
        data = self.unit_combo.currentData()
        return None if data is None else int(data)

    def _round_picked(self) -> None:
        rid = self.round_combo.currentData()
        self.round = get_round(int(rid)) if rid is not None else None
        if (scheme := self._built_scheme()) is not None:
            scheme.set_round(self.round)
        self._show_round()
        self.roundChanged.emit()

    def _unit_picked(self) -> None:
        self._show_round(scheme=False)

    def _show_round(self, *, scheme: bool = False) -> None:
        unit_name = self.unit_combo.currentText().strip() if self.unit_id() is not None else ""
        self.grid.set_round(self.round, self.unit_id(), unit_name)
        if scheme and (editor := self._built_scheme()) is not None:
            editor.set_round(self.round)
        self._overview_stale = True
        self._people_stale = True
        self._feedback_stale = True
        self._grid_stale = False
        self._tab_shown()
        self._update_status()

    def _tab_shown(self) -> None:
        index = self.tabs.currentIndex()
        if self._replacing or index < 0:
            return
        name = "grid" if index == 0 else LATER_TABS[index - 1][0]
        if name != "grid":
            self._page(name)  # built on its first showing
        if name == "overview" and self._overview_stale:
            self.overview.set_round(self.round, self.unit_id())
            self._overview_stale = False
        elif name == "people" and self._people_stale:
            self.people.set_round(self.round, self.unit_id())
            self._people_stale = False
        elif name == "feedback" and self._feedback_stale:
            self.feedback.set_round(self.round, self.unit_id())
            self._feedback_stale = False
        elif name == "grid" and self._grid_stale:
            self.grid.refresh()
            self._grid_stale = False

    def show_person_scores(self, cadre_id: int) -> bool:
        """评分录入 with the cursor on the person (from the 待录入 list); the unit selector
        goes to 全部单位 when the person is not in the selected unit's grid."""
        self.tabs.setCurrentWidget(self.grid)
        self._tab_shown()
        if self.grid.select_person(cadre_id):
            return True
        if self.unit_id() is None:
            return False
        self.select_unit(None)
        return self.grid.select_person(cadre_id)

    def _people_changed(self) -> None:
        """Flags, quarters, sanctions, adjustments or vetoes changed: results and grid totals
        (and who takes part) must be read again."""
        self._overview_stale = True
        self._grid_stale = True

    def _mark_overview_stale(self) -> None:
        self._overview_stale = True
        self._people_stale = True
        self._feedback_stale = True

    def _grid_stored(self) -> None:
        """Scores stored or members added (which changes the round's version): results are
        stale and the round is read again, so the next step sends the current version."""
        self._mark_overview_stale()
        self._reload_round()

    def _reload_round(self) -> None:
        """The round changed (graded, status): refresh the combo text and the status, and
        let the scheme editor take the newer read."""
        if self.round is None:
            return
        self.round = get_round(self.round.id)
        k = self.round_combo.findData(self.round.id)
        if k >= 0:
            self.round_combo.setItemText(k, round_label(self.round))
        self._update_status()
        if (scheme := self._built_scheme()) is not None:
            scheme.round_changed(self.round)

    def _scheme_saved(self) -> None:
        self._round_updated()

    def _round_updated(self) -> None:
        """The round itself was written in a tab, or found changed by someone else: read it
        again for the status, the buttons, the grid and the other tabs."""
        self._reload_round()
        self.grid.set_round(self.round, self.grid.unit_id, self.grid.unit_name)
        self._overview_stale = True
        self._people_stale = True
        self._feedback_stale = True

    def _update_status(self) -> None:
        r = self.round
        if r is None:
            self.status_label.setText(_tr("还没有考核轮次，请新建"))
            self.status_label.setStyleSheet("")
        else:
            text = _tr("状态：{status}").format(status=r.status)
            if r.locked:
                text += _tr("（{by} {at:%Y-%m-%d} 锁定）").format(by=r.locked_by, at=r.locked_at)
            self.status_label.setText(text)
            colour = STATUS_COLOURS.get(r.status, "#444")
            self.status_label.setStyleSheet(f"color: {colour}; font-weight: bold;")
        status = r.status if r else ""
        self.submit_button.setEnabled(status == STATUS_ENTRY)
        self.return_button.setEnabled(status == STATUS_REVIEW)
        self.approve_button.setEnabled(status == STATUS_REVIEW)
        self.unlock_button.setEnabled(bool(r and r.locked))

    # -- workflow -------------------------------------------------------------------------

    def _apply(self, title: str, change: object) -> bool:
        try:
            self.round = change()  # type: ignore[operator]
        except RoundChangedError as exc:
            note = _tr("已重新读取本轮考核的最新状态，请核对后再操作。")
            messages.error(self, f"{exc}\n\n{note}", title)
            self._reload_round()
            self._show_round()
            return False
        except DomainError as exc:
            messages.error(self, str(exc), title)
            return False
        self._reload_round()
        self._show_round(scheme=True)
        return True

    def submit(self) -> bool:
        if self.round is None:
            return False
        rid, ver = self.round.id, self.round.version
        return self._apply(_tr("提交审核"), lambda: submit_for_review(rid, expected_version=ver))

    def send_back(self) -> bool:
        if self.round is None:
            return False
        reason = messages.ask_text(self, _tr("退回录入"), _tr("退回修改的理由："))
        if reason is None:
            return False
        rid, ver = self.round.id, self.round.version
        return self._apply(
            _tr("退回录入"), lambda: return_to_entry(rid, reason=reason, expected_version=ver)
        )

    def approve(self) -> bool:
        if self.round is None:
            return False
        if not messages.ask_yes_no(
            self,
            _tr("审定锁定"),
            _tr("审定后“{name}”将锁定，得分、方案和等次都不能再修改。确定审定吗？").format(
                name=self.round.name
            ),
        ):
            return False
        rid, ver = self.round.id, self.round.version
        return self._apply(_tr("审定锁定"), lambda: approve_round(rid, expected_version=ver))

    def unlock(self) -> bool:
        if self.round is None:
            return False
        reason = messages.ask_text(
            self,
            _tr("解除审定锁定"),
            _tr("解锁“{name}”的理由（必填）：").format(name=self.round.name),
        )
        if reason is None:
            return False
        rid, ver = self.round.id, self.round.version
        return self._apply(
            _tr("解除审定锁定"),
            lambda: unlock_round(rid, reason=reason, expected_version=ver),
        )

    def new_round(self) -> RoundDTO | None:
        choice = NewRoundDialog.ask(self, list_rounds())
        if choice is None:
            return None
        try:
            rnd = create_round(
                choice.year,
                kind=choice.kind,
                quarter=choice.quarter,
                copy_previous=choice.copy_previous,
            )
        except ConflictError as exc:  # created by someone else at the same moment
            self.reload()  # the message says the section is current
            messages.conflict(self, str(exc))
            return None
        except DomainError as exc:
            messages.error(self, str(exc), _tr("不能新建考核轮次"))
            return None
        self.reload(select=rnd.id)
        self.tabs.setCurrentWidget(self.scheme)
        return rnd
