"""The 学员 tab of a class: enrol from the roster (filters by unit, level, age and last
year's approved 年度考核 grade — e.g. the 基本称职 and 不称职 for targeted training —, a
search by name, pinyin initials or full pinyin as the user types, multi-select), the refusals
with their reasons, discussion groups with conveners, and class officers (班长, 组长)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from models import training
from models.core.errors import ConflictError, DomainError
from models.roster import RosterFilter, RosterRow
from models.roster import service as roster
from models.training import get_class
from models.training.tables import TRAINEE_ROLES
from ui import messages
from ui.common import Column, RowsModel, table_view

SEARCH_DELAY_MS = 150  # as the roster's search box


def _tr(text: str) -> str:
    return QCoreApplication.translate("TraineesView", text)


def trainee_columns() -> list[Column[training.TraineeDTO]]:
    return [
        Column(_tr("组别"), lambda t: f"第{t.group_no}组" if t.group_no else "未分组", True),
        Column(_tr("召集人"), lambda t: "召集人" if t.is_convener else "", True),
        Column(_tr("姓名"), lambda t: t.name, True),
        Column(_tr("性别"), lambda t: t.sex, True),
        Column(_tr("出生年月"), lambda t: f"{t.birth_date.year}.{t.birth_date.month:02d}", True),
        Column(_tr("单位"), lambda t: t.unit_name),
        Column(_tr("职务"), lambda t: t.post_title),
        Column(_tr("领导职务层次"), lambda t: t.leadership_level, True),
        Column(_tr("职级"), lambda t: t.rank, True),
        Column(
            _tr("班内职务"),
            lambda t: t.role,
            True,
            foreground=lambda t: "#1d4ed8" if t.role != "学员" else None,
        ),
    ]


#: the 上年度考核 filter: label → the grades it keeps (empty: every cadre)
GRADE_FILTERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("不限", ()),
    ("基本称职和不称职（针对性培训）", ("基本称职", "不称职")),
    ("优秀", ("优秀",)),
    ("称职", ("称职",)),
    ("基本称职", ("基本称职",)),
    ("不称职", ("不称职",)),
)


def last_year_grades(ids: Sequence[int], year: int) -> Mapping[int, str]:
    """The approved 年度考核 grade of ``year`` per cadre (models.assessment)."""
    # lazy: the assessment results load when the enrol dialog first searches
    from models.assessment.results import approved_grades

    return {cid: g[year] for cid, g in approved_grades(ids, year, year).items()}


def candidate_columns(
    grades: Mapping[int, str] | None = None, year: int | None = None
) -> list[Column[RosterRow]]:
    """The candidate list's columns; ``grades``: the approved grade of ``year`` per cadre."""
    shown = grades if grades is not None else {}
    grade_header = _tr("{year}年度考核").format(year=year) if year else _tr("上年度考核")
    return [
        Column(_tr("姓名"), lambda r: r.name, True),
        Column(_tr("性别"), lambda r: r.sex, True),
        Column(_tr("年龄"), lambda r: r.age, True),
        Column(_tr("单位"), lambda r: r.unit_name),
        Column(_tr("职务"), lambda r: r.post_title),
        Column(_tr("领导职务层次"), lambda r: r.leadership_level, True),
        Column(_tr("职级"), lambda r: r.rank, True),
        Column(grade_header, lambda r: shown.get(r.id, ""), True),
    ]


@dataclass(frozen=True)
class EnrolRequest:
    """What the enrol dialog asks for: the chosen cadres, or everyone the filter finds."""

    cadre_ids: tuple[int, ...] = ()
    unit_id: int | None = None
    level: str = ""
    min_age: int | None = None
    max_age: int | None = None
    by_filter: bool = False


class EnrolDialog(QDialog):
    """Filter the roster (在职 only), pick people, or take everyone the filter finds."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("enrol_dialog")
        self.setWindowTitle(_tr("从干部名册报名"))
        self.request: EnrolRequest | None = None
        self.unit = QComboBox()
        self.unit.setObjectName("enrol_unit")
        self.unit.addItem(_tr("全部单位"), None)
        for uid, path in sorted(roster.unit_paths().items(), key=lambda x: x[1]):
            self.unit.addItem(path, uid)
        self.level = QComboBox()
        self.level.setObjectName("enrol_level")
        self.level.addItem(_tr("全部职级"), "")
        for name in roster.level_choices():
            self.level.addItem(name, name)
        self.year = dt.date.today().year - 1
        self.grades: dict[int, str] = {}
        self.grade = QComboBox()
        self.grade.setObjectName("enrol_grade")
        for label, kept in GRADE_FILTERS:
            self.grade.addItem(_tr(label), kept)
        self.grade.currentIndexChanged.connect(lambda _i: self.search())
        self.min_age, self.max_age = QSpinBox(), QSpinBox()
        for spin in (self.min_age, self.max_age):
            spin.setRange(0, 80)
            spin.setSpecialValueText(_tr("不限"))
        self.text = QLineEdit()
        self.text.setObjectName("enrol_search")
        self.text.setPlaceholderText(_tr("姓名、拼音首字母（如 zs）或全拼"))
        self.text.setClearButtonEnabled(True)
        self._typing = QTimer(self)  # search once the user pauses, not at every key
        self._typing.setSingleShot(True)
        self._typing.setInterval(SEARCH_DELAY_MS)
        self._typing.timeout.connect(self.search)
        self.text.textChanged.connect(self._typing.start)
        find = QPushButton(_tr("查找"))
        find.clicked.connect(self.search)
        grid = QGridLayout()
        grid.addWidget(QLabel(_tr("姓名")), 0, 0)
        grid.addWidget(self.text, 0, 1, 1, 3)
        grid.addWidget(find, 0, 4)
        grid.addWidget(QLabel(_tr("单位")), 1, 0)
        grid.addWidget(self.unit, 1, 1, 1, 3)
        grid.addWidget(QLabel(_tr("职级")), 2, 0)
        grid.addWidget(self.level, 2, 1)
        grid.addWidget(QLabel(_tr("年龄")), 2, 2)
        ages = QHBoxLayout()
        ages.addWidget(self.min_age)
        ages.addWidget(QLabel(_tr("至")))
        ages.addWidget(self.max_age)
        ages.addStretch(1)
        grid.addLayout(ages, 2, 3)
        grid.addWidget(QLabel(_tr("{year}年度考核").format(year=self.year)), 3, 0)
        grid.addWidget(self.grade, 3, 1)
        grid.setColumnStretch(3, 1)  # the labels and the level box keep their own width
        self.model: RowsModel[RosterRow] = RowsModel(
            candidate_columns(self.grades, self.year), lambda r: r.id, self
        )
        self.table = table_view(
            self.model,
            "candidate_table",
            selection=QAbstractItemView.SelectionMode.ExtendedSelection,
            resize=QHeaderView.ResizeMode.ResizeToContents,
            stretch=(3, 4),  # 单位 and 职务 take the width left: long titles not cut
        )
        self.count = QLabel()
        pick = QPushButton(_tr("报名选中的干部"))
        pick.setObjectName("enrol_selected")
        pick.clicked.connect(self.take_selected)
        take_all = QPushButton(_tr("按条件全部报名"))
        take_all.setObjectName("enrol_all")
        take_all.clicked.connect(self.take_all)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(pick, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(take_all, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addWidget(buttons)
        self.resize(860, 560)

    def _ages(self) -> tuple[int | None, int | None]:
        return (self.min_age.value() or None, self.max_age.value() or None)

    @Slot()
    def search(self) -> None:
        f = RosterFilter(
            unit_id=self.unit.currentData(),
            level=self.level.currentData() or "",
            text=self.text.text(),  # name, "zs"-style initials or full pinyin
        )
        ids = roster.query_ids(f)
        rows = roster.fetch_rows(ids)
        lo, hi = self._ages()
        in_order = (rows[cid] for cid in ids if cid in rows)  # the roster's display order
        found = [r for r in in_order if (lo is None or r.age >= lo) and (hi is None or r.age <= hi)]
        self.grades.clear()
        self.grades.update(last_year_grades([r.id for r in found], self.year))
        kept = self.grade.currentData() or ()
        if kept:
            found = [r for r in found if self.grades.get(r.id) in kept]
        self.model.set_rows(found)
        self.count.setText(_tr("找到 {n} 名在职干部").format(n=len(found)))

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [cid for r in rows if (cid := self.model.id_at(r)) is not None]

    @Slot()
    def take_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            messages.error(self, _tr("请先在列表中选择要报名的干部（可按 Ctrl 或 Shift 多选）"))
            return
        self.request = EnrolRequest(cadre_ids=tuple(ids))
        self.accept()

    @Slot()
    def take_all(self) -> None:
        if self.text.text().strip() or self.grade.currentData():
            # a name search or a grade: exactly the people it found
            self.request = EnrolRequest(cadre_ids=tuple(r.id for r in self.model.rows))
            self.accept()
            return
        lo, hi = self._ages()
        self.request = EnrolRequest(
            unit_id=self.unit.currentData(),
            level=self.level.currentData() or "",
            min_age=lo,
            max_age=hi,
            by_filter=True,
        )
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None = None) -> EnrolRequest | None:
        dlg = cls(parent)
        dlg.search()
        dlg.exec()
        return dlg.request


class TraineesView(QWidget):
    traineesChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainees_view")
        self.class_id: int | None = None
        self.model: RowsModel[training.TraineeDTO] = RowsModel(
            trainee_columns(), lambda t: t.cadre_id, self
        )
        enrol = QPushButton(_tr("从名册报名…"))
        enrol.setObjectName("enrol_button")
        enrol.clicked.connect(self.enrol_dialog)
        withdraw = QPushButton(_tr("撤销报名"))
        withdraw.setObjectName("withdraw_button")
        withdraw.clicked.connect(self.withdraw_selected)
        self.groups = QSpinBox()
        self.groups.setObjectName("group_count")
        self.groups.setRange(1, 50)
        self.groups.setValue(4)
        self.groups.setPrefix(_tr("分成 "))
        self.groups.setSuffix(_tr(" 个组"))
        split = QPushButton(_tr("分组"))
        split.setObjectName("split_button")
        split.clicked.connect(lambda: self.split(self.groups.value()))
        self.role = QComboBox()
        self.role.setObjectName("role_combo")
        self.role.addItems(list(TRAINEE_ROLES))
        set_role = QPushButton(_tr("设为班内职务"))
        set_role.setObjectName("set_role_button")
        set_role.clicked.connect(lambda: self.set_role_selected(self.role.currentText()))
        bar = QHBoxLayout()
        for w in (enrol, withdraw, self.groups, split, self.role, set_role):
            bar.addWidget(w)
        bar.addStretch(1)

        self.table = table_view(
            self.model,
            "trainee_table",
            selection=QAbstractItemView.SelectionMode.ExtendedSelection,
            resize=QHeaderView.ResizeMode.ResizeToContents,
            stretch=(5, 6),
        )
        self.summary = QLabel()
        self.summary.setObjectName("group_summary")
        self.summary.setWordWrap(True)
        self.refusals = QListWidget()
        self.refusals.setObjectName("refusal_list")
        self.refusals.setMaximumHeight(110)
        self.refusal_title = QLabel(_tr("未能报名的干部及原因："))
        self.refusal_title.hide()
        self.refusals.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.refusal_title)
        layout.addWidget(self.refusals)

    def set_class(self, class_id: int | None) -> None:
        self.class_id = class_id
        self.refusals.clear()
        self.refusals.hide()
        self.refusal_title.hide()
        self.reload()

    def reload(self) -> None:
        self.setEnabled(self.class_id is not None)
        rows = training.list_trainees(self.class_id) if self.class_id is not None else []
        self.model.set_rows(rows)
        groups: dict[int, list[training.TraineeDTO]] = {}
        for t in rows:
            if t.group_no:
                groups.setdefault(t.group_no, []).append(t)
        parts = []
        for no, members in sorted(groups.items()):
            convener = next((m.name for m in members if m.is_convener), "—")
            parts.append(
                _tr("第{no}组 {n} 人，召集人 {c}").format(no=no, n=len(members), c=convener)
            )
        monitor = next((t.name for t in rows if t.role == "班长"), "")
        head = _tr("学员 {n} 人").format(n=len(rows))
        if monitor:
            head += _tr("，班长 {name}").format(name=monitor)
        self.summary.setText(head + ("；" + "；".join(parts) if parts else ""))

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [cid for r in rows if (cid := self.model.id_at(r)) is not None]

    def version_of(self, cadre_id: int) -> int | None:
        """The version of the trainee as this screen shows them (what an edit carries)."""
        row = self.model.row_of(cadre_id)
        t = self.model.row(row) if row is not None else None
        return t.version if t is not None else None

    def _conflict(self, error: ConflictError) -> None:
        """Someone else changed the class's trainees meanwhile: say who and when, and show
        what is stored now."""
        messages.conflict(self, str(error))
        self.reload()
        self.traineesChanged.emit()

    def select_ids(self, ids: Sequence[int]) -> None:
        self.table.clearSelection()
        for cid in ids:
            row = self.model.row_of(cid)
            if row is not None:
                self.table.selectRow(row)

    # -- actions --------------------------------------------------------------------------

    @Slot()
    def enrol_dialog(self) -> None:
        if self.class_id is None:
            return
        req = EnrolDialog.ask(self)
        if req is None:
            return
        if req.by_filter:
            self.enrol(
                unit_id=req.unit_id, level=req.level, min_age=req.min_age, max_age=req.max_age
            )
        else:
            self.enrol(cadre_ids=req.cadre_ids)

    def enrol(
        self,
        *,
        cadre_ids: Sequence[int] = (),
        unit_id: int | None = None,
        level: str = "",
        min_age: int | None = None,
        max_age: int | None = None,
    ) -> training.EnrolResult | None:
        """Enrol and list whoever was refused, with the reason."""
        if self.class_id is None:
            return None
        try:
            result = training.enrol(
                self.class_id,
                cadre_ids=cadre_ids,
                unit_id=unit_id,
                level=level,
                min_age=min_age,
                max_age=max_age,
                expected_trainees=[t.cadre_id for t in self.model.rows],
            )
        except ConflictError as e:
            self._conflict(e)
            return None
        except DomainError as e:
            messages.error(self, str(e))
            return None
        self.refusals.clear()
        for r in result.refused:
            self.refusals.addItem(f"{r.name or r.cadre_id}：{r.reason}")
        if result.refused:
            text = _tr("已报名 {a} 人；未能报名 {b} 人及原因：").format(
                a=len(result.added), b=len(result.refused)
            )
        else:  # nothing follows: no dangling colon
            text = _tr("已报名 {a} 人，全部报名成功。").format(a=len(result.added))
        self.refusal_title.setText(text)
        self.refusal_title.setVisible(True)
        self.refusals.setVisible(bool(result.refused))
        self.reload()
        self.traineesChanged.emit()
        return result

    @Slot()
    def withdraw_selected(self) -> None:
        ids = self.selected_ids()
        if self.class_id is None or not ids:
            return
        names = "、".join(t.name for t in self.model.rows if t.cadre_id in ids)
        if not messages.ask_yes_no(
            self, _tr("撤销报名"), _tr("撤销 {names} 的报名吗？").format(names=names)
        ):
            return
        try:
            for cid in ids:
                training.withdraw(self.class_id, cid, expected_version=self.version_of(cid))
        except ConflictError as e:
            self._conflict(e)
            return
        except DomainError as e:
            messages.error(self, str(e))
        self.reload()
        self.traineesChanged.emit()

    def split(self, n: int) -> list[training.GroupDTO] | None:
        if self.class_id is None:
            return None
        if any(t.group_no for t in self.model.rows) and not messages.ask_yes_no(
            self, _tr("分组"), _tr("重新分组会替换现有的组和召集人，继续吗？")
        ):
            return None
        shown = {t.cadre_id: t.version for t in self.model.rows}
        try:
            groups = training.split_groups(self.class_id, n, expected_versions=shown)
        except ConflictError as e:
            self._conflict(e)
            return None
        except DomainError as e:
            messages.error(self, str(e))
            return None
        self.reload()
        self.traineesChanged.emit()
        return groups

    def set_role_selected(self, role: str) -> None:
        ids = self.selected_ids()
        if self.class_id is None or not ids:
            return
        try:
            for cid in ids:
                training.set_role(self.class_id, cid, role, expected_version=self.version_of(cid))
                self.reload()  # a new 班长 steps the old one down: shown as stored now
        except ConflictError as e:
            self._conflict(e)
            return
        except DomainError as e:
            messages.error(self, str(e))
        self.reload()
        self.select_ids(ids)
        self.traineesChanged.emit()

    def class_name(self) -> str:
        return get_class(self.class_id).name if self.class_id is not None else ""
