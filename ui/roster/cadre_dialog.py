"""Add / edit one cadre. Fields validate as the user types (``roster.check``) and the reason
shows beside the field: red for errors (保存 stays disabled), orange for warnings (saving asks
for confirmation)."""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from models.core.dates import parse_date
from models.core.errors import ConflictError, DomainError, FieldIssue, ValidationError
from models.roster import (
    FIELD_LABELS,
    PICKLIST_FIELDS,
    STAFF_CATEGORIES,
    STATUSES,
    CadreDTO,
    CadreInput,
    Checked,
    idcard,
)
from models.roster import service as roster
from ui import messages
from ui.settings import apply_print_font

log = logging.getLogger(__name__)

ERROR_COLOR = "#c62828"
WARNING_COLOR = "#d97706"
VALIDATE_DELAY_MS = 150

# Groups of the form; each row holds up to two fields (left, right). None leaves a gap.
GROUPS: list[tuple[str, list[tuple[str | None, str | None]]]] = [
    (
        "基本信息",
        [
            ("name", "id_card"),
            ("sex", "birth_date"),
            ("ethnicity", "political_status"),
            ("native_place", "birthplace"),
            ("party_date", "work_start_date"),
            ("health", "phone"),
        ],
    ),
    (
        "学历学位",
        [
            ("ft_education", "pt_education"),
            ("ft_degree", "pt_degree"),
            ("ft_school", "pt_school"),
        ],
    ),
    (
        "职务职级",
        [
            ("unit_id", "status"),
            ("post_title", "post_since"),
            ("leadership_level", "rank"),
            ("staff_category", None),
        ],
    ),
    ("其他", [("notes", None)]),
]

TEXT_FIELDS = {
    "name",
    "native_place",
    "birthplace",
    "ft_school",
    "pt_school",
    "post_title",
    "id_card",
    "phone",
}
DATE_FIELDS = {"birth_date", "party_date", "work_start_date", "post_since"}
# Shorter labels where the 花名册 name would crowd the form (the full name is the tooltip).
SHORT_LABELS = {
    "ft_school": "全日制院校专业",
    "pt_school": "在职院校专业",
}
PLACEHOLDERS = {
    "name": "如 张三",
    "id_card": "18 位，末位可为 X",
    "birth_date": "1975.03 或 1975.03.01",
    "party_date": "如 1998.07",
    "work_start_date": "如 1996.08",
    "post_since": "如 2021.09",
    "native_place": "如 甘肃会宁",
    "birthplace": "如 甘肃会宁",
    "phone": "如 0943-8221234",
    "ft_school": "如 兰州大学法学专业",
    "pt_school": "如 中央党校经济管理专业",
    "post_title": "如 市委组织部副部长",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("CadreDialog", text)


def date_text(value: dt.date | None) -> str:
    """Show a stored date so that reading it back gives the same date."""
    if value is None:
        return ""
    if value.day == 1:
        return f"{value.year:04d}.{value.month:02d}"
    return f"{value.year:04d}.{value.month:02d}.{value.day:02d}"


def _unit_paths_in_tree_order() -> list[tuple[int, str]]:
    units = roster.list_units()
    paths = roster.unit_paths()
    children: dict[int | None, list[int]] = {}
    for u in units:  # already in sort order
        children.setdefault(u.parent_id, []).append(u.id)
    out: list[tuple[int, str]] = []
    todo = list(reversed(children.get(None, [])))
    while todo:
        uid = todo.pop()
        out.append((uid, paths[uid]))
        todo.extend(reversed(children.get(uid, [])))
    return out


class CadreDialog(QDialog):
    """The add/edit dialog. Use :meth:`ask`; tests build it directly and press 保存."""

    def __init__(self, parent: QWidget | None = None, cadre_id: int | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cadre_dialog")
        self.result_dto: CadreDTO | None = None
        self._cadre_id = cadre_id
        self._version: int | None = None
        self._loading = False
        self._touched: set[str] = set()
        self._local_errors: dict[str, str] = {}
        self._checked: Checked | None = None
        self.widgets: dict[str, QWidget] = {}
        self.issue_labels: dict[str, QLabel] = {}
        self._unit_ids: dict[str, int] = {}

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATE_DELAY_MS)
        self._timer.timeout.connect(self.validate_now)

        self._build()
        if cadre_id is not None:
            dto = roster.get_cadre(cadre_id)
            self.setWindowTitle(_tr("编辑干部：{name}").format(name=dto.name))
            self._load(CadreInput.from_dto(dto))
            self._touched = set(FIELD_LABELS)
        else:
            self.setWindowTitle(_tr("新增干部"))
            self._load(CadreInput())
        self.validate_now()

    # -- public -----------------------------------------------------------------------------

    @classmethod
    def ask(cls, parent: QWidget | None, cadre_id: int | None = None) -> CadreDTO | None:
        """Show the dialog modally; the saved cadre, or None when the user cancels."""
        dlg = cls(parent, cadre_id)
        try:
            if dlg.exec() == QDialog.DialogCode.Accepted:
                return dlg.result_dto
            return None
        finally:
            dlg.deleteLater()

    @property
    def save_button(self) -> QPushButton:
        return self._save_button

    def issue_text(self, name: str) -> str:
        """The reason shown beside field ``name`` ('' when none)."""
        return self.issue_labels[name].text()

    # -- building ---------------------------------------------------------------------------

    def _make_widget(self, name: str) -> QWidget:
        w: QWidget
        if name in TEXT_FIELDS or name in DATE_FIELDS:
            edit = QLineEdit()
            edit.setPlaceholderText(_tr(PLACEHOLDERS.get(name, "")))
            if name == "id_card":
                edit.setMaxLength(20)
            edit.textEdited.connect(lambda _t, n=name: self._on_edited(n))
            edit.textChanged.connect(self._schedule)
            if name == "id_card":
                edit.textChanged.connect(self._fill_from_id_card)
            w = edit
        elif name == "notes":
            notes = QPlainTextEdit()
            notes.setTabChangesFocus(True)
            notes.setFixedHeight(notes.fontMetrics().lineSpacing() * 3 + 12)
            notes.textChanged.connect(lambda: self._on_edited("notes"))
            w = notes
        elif name == "unit_id":
            combo = QComboBox()
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.addItem("", None)
            for uid, path in _unit_paths_in_tree_order():
                combo.addItem(path, uid)
                self._unit_ids[path] = uid
            completer = QCompleter(list(self._unit_ids), combo)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            combo.setCompleter(completer)
            line = combo.lineEdit()
            line.setPlaceholderText(_tr("输入单位名称的一部分可筛选"))
            line.textEdited.connect(lambda _t: self._on_edited("unit_id"))
            combo.currentTextChanged.connect(self._schedule)
            combo.activated.connect(lambda _i: self._on_edited("unit_id"))
            w = combo
        else:
            combo = QComboBox()
            if name == "sex":
                items = ["", "男", "女"]
            elif name == "status":
                items = list(STATUSES)
            elif name == "staff_category":  # '': judged from the unit's type
                items = ["", *STAFF_CATEGORIES]
                combo.setToolTip(_tr("决定年度考核登记表的标题；不选则按所在单位的类型判断"))
            else:
                items = ["", *roster.picklist(PICKLIST_FIELDS[name])]
            combo.addItems(items)
            combo.setMaxVisibleItems(20)
            combo.activated.connect(lambda _i, n=name: self._on_edited(n))
            combo.currentTextChanged.connect(self._schedule)
            w = combo
        w.setObjectName(f"field_{name}")
        w.setSizePolicy(QSizePolicy.Policy.Expanding, w.sizePolicy().verticalPolicy())
        return w

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        fm = self.fontMetrics()
        issue_width = fm.horizontalAdvance("身" * 17)
        label_width = 8 + max(
            fm.horizontalAdvance(_tr(SHORT_LABELS.get(n, FIELD_LABELS[n])) + "：")
            for n in FIELD_LABELS
        )
        order: list[QWidget] = []
        for title, rows in GROUPS:
            box = QGroupBox(_tr(title))
            grid = QGridLayout(box)
            grid.setHorizontalSpacing(8)
            grid.setColumnStretch(1, 3)
            grid.setColumnStretch(4, 3)
            grid.setColumnMinimumWidth(0, label_width)
            grid.setColumnMinimumWidth(3, label_width)
            grid.setColumnMinimumWidth(2, issue_width)
            grid.setColumnMinimumWidth(5, issue_width)
            for r, pair in enumerate(rows):
                for side, name in enumerate(pair):
                    if name is None:
                        continue
                    widget = self._make_widget(name)
                    label = QLabel(_tr(SHORT_LABELS.get(name, FIELD_LABELS[name])) + "：")
                    label.setToolTip(_tr(FIELD_LABELS[name]))
                    label.setBuddy(widget)
                    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    issue = QLabel()
                    issue.setObjectName(f"issue_{name}")
                    issue.setWordWrap(True)
                    issue.setFixedWidth(issue_width)
                    issue.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
                    col = side * 3
                    span = 4 if pair[1] is None else 1
                    grid.addWidget(label, r, col)
                    grid.addWidget(widget, r, col + 1, 1, span)
                    grid.addWidget(issue, r, col + 1 + span)
                    self.widgets[name] = widget
                    self.issue_labels[name] = issue
                    order.append(widget)
            outer.addWidget(box)

        self._summary = QLabel()
        self._summary.setObjectName("summary")
        self._summary.setWordWrap(True)
        outer.addWidget(self._summary)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self._save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self._save_button.setText(_tr("保存"))
        self._save_button.setObjectName("save_button")
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_tr("取消"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)

        for a, b in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(a, b)
        QWidget.setTabOrder(order[-1], self._save_button)
        QWidget.setTabOrder(self._save_button, cancel)
        self.setMinimumWidth(issue_width * 2 + 620)

    # -- reading and writing the widgets ----------------------------------------------------

    def _set(self, name: str, value: object) -> None:
        w = self.widgets[name]
        if name == "unit_id":
            assert isinstance(w, QComboBox)
            i = w.findData(value) if value is not None else 0
            w.setCurrentIndex(max(i, 0))
        elif isinstance(w, QComboBox):
            text = "" if value is None else str(value)
            i = w.findText(text)
            if i < 0:  # a value no longer on the pick-list: show it (check() will flag it)
                w.addItem(text)
                i = w.count() - 1
            w.setCurrentIndex(i)
        elif isinstance(w, QLineEdit):
            w.setText(date_text(value) if name in DATE_FIELDS else str(value or ""))  # type: ignore[arg-type]
        elif isinstance(w, QPlainTextEdit):
            w.setPlainText(str(value or ""))

    def _load(self, inp: CadreInput) -> None:
        self._loading = True
        try:
            self._version = inp.version
            for name in FIELD_LABELS:
                self._set(name, getattr(inp, name))
        finally:
            self._loading = False

    def _text(self, name: str) -> str:
        w = self.widgets[name]
        if isinstance(w, QLineEdit):
            return w.text()
        if isinstance(w, QComboBox):
            return w.currentText()
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        return ""

    def current_input(self) -> CadreInput:
        """The form as a CadreInput; unreadable dates and units go to ``_local_errors``."""
        self._local_errors = {}
        values: dict[str, object] = {}
        for name in FIELD_LABELS:
            text = self._text(name)
            if name in DATE_FIELDS:
                try:
                    values[name] = parse_date(text)
                except ValueError as e:
                    values[name] = None
                    self._local_errors[name] = str(e)
            elif name == "unit_id":
                text = text.strip()
                values[name] = self._unit_ids.get(text)
                if text and values[name] is None:
                    self._local_errors[name] = _tr("没有这个单位，请从列表中选择")
            else:
                values[name] = text
        return CadreInput(**values, id=self._cadre_id, version=self._version)  # type: ignore[arg-type]

    # -- validation -------------------------------------------------------------------------

    def _on_edited(self, name: str) -> None:
        if not self._loading:
            self._touched.add(name)
            self._schedule()

    @Slot()
    def _schedule(self) -> None:
        if not self._loading:
            self._timer.start()

    @Slot(str)
    def _fill_from_id_card(self, text: str) -> None:
        """A valid 身份证号 fills 性别 and 出生年月 when they are still empty."""
        if self._loading:
            return
        try:
            info = idcard.parse(text)
        except idcard.IdCardError:
            return
        if not self._text("sex"):
            self._set("sex", info.sex)
        if not self._text("birth_date").strip():
            self._set("birth_date", info.birth_date)

    @Slot()
    def validate_now(self) -> Checked:
        """Check the form now, show every issue beside its field and enable 保存 or not."""
        self._timer.stop()
        inp = self.current_input()
        checked = roster.check(inp)
        self._checked = checked
        issues: dict[str, list[FieldIssue]] = {}
        for issue in checked.issues:
            if issue.field in self._local_errors:
                continue  # the typed text is unreadable: say that, not "必填"
            issues.setdefault(issue.field, []).append(issue)
        for name, message in self._local_errors.items():
            issues[name] = [FieldIssue(name, FIELD_LABELS[name], message)]
        glyphs = self._unprintable_name_issue()
        if glyphs is not None:
            issues.setdefault("name", []).append(glyphs)

        blocking: list[str] = []
        for name, label in self.issue_labels.items():
            found = issues.get(name, [])
            errors = [i for i in found if not i.warning]
            if errors:
                blocking.append(FIELD_LABELS[name])
            show = bool(found) and (
                name in self._touched or bool(self._text(name).strip()) or not errors
            )
            if not show:
                label.clear()
                label.setToolTip("")
                label.setMinimumHeight(0)
                continue
            shown = errors or found
            text = "；".join(i.message for i in shown)
            color = ERROR_COLOR if errors else WARNING_COLOR
            label.setText(text)
            label.setToolTip(text)
            label.setStyleSheet(f"color: {color};")
            # Grow the row so a long reason wraps instead of being cut off.
            label.setMinimumHeight(label.heightForWidth(label.width()))

        self._save_button.setEnabled(not blocking)
        if blocking:
            self._summary.setText(
                _tr("还不能保存，请填写或更正：{fields}").format(fields="、".join(blocking))
            )
            self._summary.setStyleSheet(f"color: {ERROR_COLOR};")
        elif checked.warnings:
            self._summary.setText(_tr("橙色提示请核对；保存时需要确认。"))
            self._summary.setStyleSheet(f"color: {WARNING_COLOR};")
        else:
            self._summary.clear()
        return checked

    def _unprintable_name_issue(self) -> FieldIssue | None:
        """An orange note when the typed name has characters no installed font can print
        (they would come out blank on the 考核登记表 and other PDFs). Never blocks saving."""
        name = self._text("name").strip()
        if not name:
            return None
        from reports.common import fonts  # lazy: start-up time (reportlab)

        try:
            apply_print_font()  # the font the settings name (set up after start: no work)
            bad = fonts.unprintable(name)
        except Exception:  # noqa: BLE001 (a font problem must not break typing a name)
            log.exception("checking the printability of a name failed")
            return None
        if not bad:
            return None
        chars = "、".join(f"“{ch}”" for ch in bad)
        message = _tr("{chars}在打印字体中缺字，打印时会显示为空白（不影响保存）")
        return FieldIssue("name", FIELD_LABELS["name"], message.format(chars=chars), warning=True)

    def has_errors(self) -> bool:
        return not self._save_button.isEnabled()

    # -- saving -----------------------------------------------------------------------------

    @Slot()
    def save(self) -> None:
        checked = self.validate_now()
        if self.has_errors():
            return
        inp = self.current_input()
        record = checked.values.name or _tr("新干部")
        if checked.warnings and not messages.confirm_warnings(self, record, checked.warnings):
            return
        try:
            dto = roster.save_cadre(inp, accept_warnings=bool(checked.warnings))
        except ValidationError as e:
            self._touched = set(FIELD_LABELS)
            self.validate_now()
            messages.error(self, str(e), _tr("未保存"))
            return
        except ConflictError as e:
            # someone else saved this person meanwhile: show what is stored now, then say so
            if self._cadre_id is not None:
                self._load(CadreInput.from_dto(roster.get_cadre(self._cadre_id)))
                self.validate_now()
            messages.conflict(self, str(e))
            return
        except DomainError as e:
            messages.error(self, str(e), _tr("未保存"))
            return
        log.info("cadre %s saved (id %s)", dto.name, dto.id)
        self.result_dto = dto
        self.accept()
