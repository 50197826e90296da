"""人员情况 tab of 年度考核: the members of the round with their status flags (试用期, 立案审查,
病事假天数, 不参加考核), the four 平时考核 quarters, sanctions in force, 加分/扣分 and 一票否决;
above the table the 平时考核 rules and the count of 好 per quarter against the cap; below it
the selected person's lists (:class:`ui.assessment.people.person_panel.PersonPanel`).

Flags and quarter grades are edited in the table and stored at once by the services; every
other change goes through a dialog and a service; a refusal is shown with the service's
message and nothing changes. An edit made on data someone else changed meanwhile is refused
(optimistic locking): the conflict message says who and when, and the tab reads the round's
people again. On a locked (审定) round everything is read-only.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.assessment import RoundDTO
from models.assessment.rules import fmt_number, pool_key_of
from ui import messages
from ui.assessment.people.model import (
    QUARTER_NAMES,
    WARN_TEXT,
    PeopleDelegate,
    PeopleModel,
    PersonRow,
    PoolGood,
    good_counts,
)
from ui.assessment.people.person_panel import PersonPanel

SHOWN_POOLS = 3  # pools over the 好 cap named above the table


def _tr(text: str) -> str:
    return QCoreApplication.translate("AssessmentPeople", text)


class PeopleView(QWidget):
    """The 人员情况 tab; ``changed`` is emitted after anything the grading uses changed."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assessment_people")
        self.round: RoundDTO | None = None
        self.unit_id: int | None = None
        self.pool_goods: list[PoolGood] = []

        self.model = PeopleModel(self)
        self.table = QTableView()
        self.table.setObjectName("people_table")
        self.table.setModel(self.model)
        self.table.setItemDelegate(PeopleDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.setTabKeyNavigation(True)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.hint = QLabel()
        self.hint.setObjectName("people_hint")
        self.cap_label = QLabel()
        self.cap_label.setObjectName("people_good_cap")
        self.cap_label.setWordWrap(True)
        self.cap_label.setTextFormat(Qt.TextFormat.RichText)
        self.panel = PersonPanel()

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.panel)
        split.setSizes([400, 260])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.hint)
        layout.addWidget(self.cap_label)
        layout.addWidget(split, 1)

        self.model.refused.connect(lambda text: messages.error(self, text, _tr("不能修改")))
        # queued: the table's editor is still committing when the model reports the conflict
        self.model.conflicted.connect(self._conflict, Qt.ConnectionType.QueuedConnection)
        self.panel.outdated.connect(self._reread)
        self.model.changed.connect(self._model_changed)
        self.model.modelReset.connect(self._update_cap)
        self.panel.personChanged.connect(self.model.refresh_person)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_person())

    def _fit(self, table: QTableView, chars: int = 14) -> None:
        table.resizeColumnsToContents()
        cap = table.fontMetrics().horizontalAdvance("中") * chars
        for c in range(table.model().columnCount()):
            table.setColumnWidth(c, min(table.columnWidth(c), cap))

    # -- contents -------------------------------------------------------------------------

    def set_round(self, rnd: RoundDTO | None, unit_id: int | None) -> None:
        self.round, self.unit_id = rnd, unit_id
        self.refresh()

    def refresh(self) -> None:
        keep = self.current_row()
        column = max(self.table.currentIndex().column(), 0)
        self.model.load(self.round, self.unit_id)
        self._fit(self.table, 12)
        fm = self.table.fontMetrics()
        self.table.setColumnWidth(1, max(self.table.columnWidth(1), fm.horizontalAdvance("中") * 8))
        if self.round is None:
            self.hint.setText(_tr("请先选择或新建考核轮次"))
        elif self.round.locked:
            self.hint.setText(
                _tr("“{name}”已审定锁定，只能查看；如需修改请先解锁").format(name=self.round.name)
            )
        else:
            self.hint.setText(
                _tr(
                    "勾选或直接输入即保存：空格键勾选试用期/立案审查，"
                    "回车或双击修改病事假天数、不参加考核原因和季度等次"
                )
            )
        row = self.model.row_of(keep.cadre_id) if keep else None
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(row or 0, column))
        self._show_person()

    def writable(self) -> bool:
        return self.round is not None and not self.round.locked

    def _conflict(self, text: str) -> None:
        """Someone else changed what a cell showed: show the stored data, and say why."""
        self._reread()
        messages.conflict(self, text)

    def _reread(self, cadre_id: int | None = None) -> None:
        """Read every row again (after a conflict), keeping the selected person."""
        self.refresh()
        if cadre_id is not None:
            self.select_person(cadre_id, max(self.table.currentIndex().column(), 0))
        self.changed.emit()

    def current_row(self) -> PersonRow | None:
        return self.model.row(self.table.currentIndex().row())

    def select_person(self, cadre_id: int, column: int = 0) -> bool:
        k = self.model.row_of(cadre_id)
        if k is None:
            return False
        index = self.model.index(k, column)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def _model_changed(self, cadre_id: int) -> None:
        self._update_cap()
        r = self.current_row()
        if r is not None and r.cadre_id == cadre_id:
            self._show_person()
        self.changed.emit()

    def _update_cap(self) -> None:
        rules = self.model.rules
        if rules is None:
            self.pool_goods = []
            self.cap_label.setText("")
            return
        self.pool_goods = good_counts(rules, self.model.rows)
        e = html.escape
        qr = rules.quarterly
        parts = []
        if qr.good_cap_percent is not None:
            parts.append(
                _tr("每季度“好”等次不超过本单位参加考核人数的 {p}%（{r}）").format(
                    p=fmt_number(qr.good_cap_percent), r=rules.quota.rounding.value
                )
            )
        if qr.bar_excellent_grades:
            parts.append(
                _tr("有季度为“{g}”的不得评为优秀").format(g="/".join(qr.bar_excellent_grades))
            )
        if qr.min_good_for_excellent:
            parts.append(
                _tr("“好”等次少于 {n} 次的不得评为优秀").format(n=qr.min_good_for_excellent)
            )
        lines = [_tr("<b>平时考核</b>：") + e("；".join(parts) or _tr("本轮方案未设规则"))]
        focus = self._focus_pool()
        if focus is not None:
            lines.append(self._pool_line(focus))
        elif self.pool_goods:
            lines.append(e(_tr("选择人员可查看其所在单位各季度“好”等次人数")))
        over = [p for p in self.pool_goods if p.any_over and p.cap is not None]
        if over:
            shown = []
            for p in over[:SHOWN_POOLS]:
                cap = p.cap.quota if p.cap is not None else 0
                qs = "、".join(
                    _tr("{q} {n}/{cap}").format(q=QUARTER_NAMES[q - 1], n=p.good[q - 1], cap=cap)
                    for q in (1, 2, 3, 4)
                    if p.over(q)
                )
                shown.append(f"{p.pool} {qs}")
            more = _tr(" 等") if len(over) > SHOWN_POOLS else ""
            text = _tr("“好”等次超过上限（{n} 个单位）：").format(n=len(over))
            text += "；".join(shown) + more
            lines.append(f"<span style='color:{WARN_TEXT}'>{e(text)}</span>")
        self.cap_label.setText("<br>".join(lines))

    def _focus_pool(self) -> PoolGood | None:
        rules = self.model.rules
        r = self.current_row()
        if rules is not None and r is not None and r.participating:
            key = pool_key_of(rules, r.member.unit_name, r.member.layer)
            found = next((p for p in self.pool_goods if p.pool == key), None)
            if found is not None:
                return found
        return self.pool_goods[0] if len(self.pool_goods) == 1 else None

    def _pool_line(self, p: PoolGood) -> str:
        e = html.escape
        if p.cap is None:
            head = _tr("{pool}：{n} 人，“好”等次未设上限").format(pool=p.pool, n=p.people)
        else:
            head = _tr("{pool}：{n} 人，“好”等次上限 {text}").format(
                pool=p.pool, n=p.people, text=p.cap.text
            )
        quarters = []
        for q in (1, 2, 3, 4):
            cap = "" if p.cap is None else f"/{p.cap.quota}"
            t = e(_tr("{q} 好 {n}{cap}").format(q=QUARTER_NAMES[q - 1], n=p.good[q - 1], cap=cap))
            if p.over(q):
                t = f"<span style='color:{WARN_TEXT}'><b>{t} {e(_tr('超过上限'))}</b></span>"
            quarters.append(t)
        return f"{e(head)}；" + "，".join(quarters)

    def _show_person(self) -> None:
        self.panel.show_person(self.round, self.current_row())
        self._update_cap()
