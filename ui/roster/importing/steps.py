"""The step pages of the roster import wizard (ui.roster.importing.wizard): building the four
pages and step 2, checking the column mapping. Mixed into ImportWizard."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from models.roster.import_plan import ImportPlan
from models.roster.intake import ColumnInfo, SheetLayout, header_key
from models.roster.intake.identity import ACCEPT_BIRTH_MISMATCH, ALLOW_MISSING_ID
from ui import jobs, messages
from ui.roster.importing.models import (
    COLUMN_ATTRIBUTES,
    AttributeDelegate,
    ColumnMappingModel,
    PreviewModel,
)
from ui.settings import settings


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImportWizard", text)


DUPLICATE_CHOICES = {
    "update": "更新：用文件中的内容更新已有人员",
    "skip": "跳过：已有人员保持不变，只导入新人员",
    "stop": "遇到已有人员即停止：有任何已有人员就不导入",
}


class ImportWizardSteps:
    """The pages and the column-mapping step of ImportWizard (a mixin; ImportWizard is the
    QDialog)."""

    # -- pages ------------------------------------------------------------------------------

    def _source_page(self) -> QWidget:
        page = QWidget()
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("path_edit")
        self.path_edit.setPlaceholderText(_tr("文件或文件夹的位置"))
        self.path_edit.textChanged.connect(self._update_buttons)
        self.path_edit.returnPressed.connect(self.go_next)
        file_button = QPushButton(_tr("选择文件(&F)…"))
        file_button.setObjectName("choose_file_button")
        file_button.clicked.connect(self.choose_file)
        folder_button = QPushButton(_tr("选择文件夹(&D)…"))
        folder_button.setObjectName("choose_folder_button")
        folder_button.clicked.connect(self.choose_folder)
        self.recursive_check = QCheckBox(_tr("包括子文件夹中的文件"))
        self.recursive_check.setObjectName("recursive_check")
        note = QLabel(
            _tr(
                "可以导入：\n"
                "· 花名册：Excel 工作簿（.xlsx）或 CSV 文本（UTF-8、GBK 均可），"
                "表头上方可以有标题行；\n"
                "· 干部任免审批表：.lrmx 或旧版 .lrm（照片 .pic 放在同一文件夹）；\n"
                "· 一个文件夹：其中所有这些文件一起导入。\n\n"
                "导入前会先显示预览，确认无误后才写入名册；任何一行有错误都不会写入。"
            )
        )
        note.setWordWrap(True)
        grid = QGridLayout(page)
        grid.addWidget(QLabel(_tr("文件或文件夹：")), 0, 0)
        grid.addWidget(self.path_edit, 0, 1)
        grid.addWidget(file_button, 0, 2)
        grid.addWidget(folder_button, 0, 3)
        grid.addWidget(self.recursive_check, 1, 1)
        grid.addWidget(note, 2, 0, 1, 4)
        grid.setRowStretch(3, 1)
        grid.setColumnStretch(1, 1)
        return page

    def _mapping_page(self) -> QWidget:
        page = QWidget()
        self.mapping_intro = QLabel()
        self.mapping_intro.setObjectName("mapping_intro")
        self.mapping_intro.setWordWrap(True)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setObjectName("sheet_combo")
        self.sheet_combo.currentIndexChanged.connect(self._show_layout)
        self.sheet_label = QLabel(_tr("工作表："))
        self.sheet_label.setBuddy(self.sheet_combo)
        self.mapping_model = ColumnMappingModel(self)
        self.mapping_table = QTableView()
        self.mapping_table.setObjectName("mapping_table")
        self.mapping_table.setModel(self.mapping_model)
        self.mapping_table.setItemDelegateForColumn(
            ColumnMappingModel.ATTRIBUTE_COLUMN, AttributeDelegate(self.mapping_table)
        )
        self.mapping_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.mapping_table.verticalHeader().setVisible(False)
        self.mapping_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        char = self.fontMetrics().horizontalAdvance("中")
        for col, width in enumerate((3, 14, 12)):
            self.mapping_table.setColumnWidth(col, char * width + 16)
        self.mapping_table.horizontalHeader().setStretchLastSection(True)
        self.mapping_model.modelReset.connect(self._open_editors)
        note = QLabel(_tr("您的选择会被记住，下次导入同样列名的表时自动使用。"))
        note.setObjectName("mapping_note")
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(self.sheet_label)
        sheet_row.addWidget(self.sheet_combo, 1)
        layout = QVBoxLayout(page)
        layout.addWidget(self.mapping_intro)
        layout.addLayout(sheet_row)
        layout.addWidget(self.mapping_table, 1)
        layout.addWidget(note)
        self._layouts: list[SheetLayout] = []
        self._choices: dict[str, str | None] = {}
        return page

    def _options_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(
            QLabel(_tr("名册中已有的人员（按身份证号识别；没有身份证号时按姓名和出生年月）："))
        )
        self.duplicate_group = QButtonGroup(self)
        self.duplicate_buttons: dict[str, QRadioButton] = {}
        for key, text in DUPLICATE_CHOICES.items():
            button = QRadioButton(_tr(text))
            button.setObjectName(f"duplicate_{key}")
            self.duplicate_group.addButton(button)
            self.duplicate_buttons[key] = button
            layout.addWidget(button)
        self.duplicate_buttons["update"].setChecked(True)
        layout.addSpacing(12)
        layout.addWidget(QLabel(_tr("没有写单位的人员（如任免审批表）归入：")))
        self.unit_combo = QComboBox()
        self.unit_combo.setObjectName("default_unit")
        self.unit_combo.setMaxVisibleItems(25)
        layout.addWidget(self.unit_combo)
        hint = QLabel(
            _tr(
                "不指定时，任免审批表按“现任职务”在单位中查找（如“市委组织部干部科科长”归入"
                "市委组织部），找不到或不能确定的算作错误；指定后一律归入所选单位。"
                "已有人员保留原单位。"
            )
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addSpacing(12)
        self.allow_missing_id = QCheckBox(_tr(ALLOW_MISSING_ID))
        self.allow_missing_id.setObjectName("allow_missing_id")
        self.allow_missing_id.setToolTip(
            _tr(
                "名册没有身份证号时勾选：按姓名+出生年月（同名同月时再按单位）与已有人员对应；"
                "新人员不带身份证号存入，名册中显示为“缺身份证号”，以后导入带身份证号的文件时补上"
            )
        )
        layout.addWidget(self.allow_missing_id)
        layout.addStretch(1)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        self.counts_label = QLabel()
        self.counts_label.setObjectName("counts_label")
        font = self.counts_label.font()
        font.setBold(True)
        self.counts_label.setFont(font)
        self.notes_label = QLabel()
        self.notes_label.setObjectName("notes_label")
        self.notes_label.setWordWrap(True)
        self.notes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.only_problems = QCheckBox(_tr("只看有问题的行"))
        self.only_problems.setObjectName("only_problems")
        self.save_issues_button = QPushButton(_tr("保存问题清单(&S)…"))
        self.save_issues_button.setObjectName("save_issues_button")
        self.save_issues_button.setToolTip(_tr("把所有问题存为 Excel，发给填表人改正"))
        self.preview_model = PreviewModel(self)
        self.preview_table = QTableView()
        self.preview_table.setObjectName("preview_table")
        self.preview_table.setModel(self.preview_model)
        self.preview_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.setWordWrap(False)
        self.preview_table.verticalHeader().setVisible(False)
        self.preview_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.preview_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.preview_table.horizontalHeader().setStretchLastSection(True)
        self.preview_model.modelReset.connect(self._size_preview_columns)
        self.detail_label = QLabel()
        self.detail_label.setObjectName("row_problems")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.not_imported_label = QLabel()
        self.not_imported_label.setObjectName("not_imported")
        self.not_imported_label.setWordWrap(True)
        self.not_imported_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.not_imported_label.setVisible(False)
        self.status_label = QLabel()
        self.status_label.setObjectName("import_status")
        self.status_label.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.counts_label)
        top.addStretch(1)
        top.addWidget(self.only_problems)
        top.addWidget(self.save_issues_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.notes_label)
        layout.addWidget(self._confirm_box())
        layout.addWidget(self.preview_table, 1)
        layout.addWidget(self.detail_label)
        layout.addWidget(self.not_imported_label)
        layout.addWidget(self.status_label)
        self.only_problems.toggled.connect(self.preview_model.set_only_problems)
        self.save_issues_button.clicked.connect(self.save_issues)
        self.preview_table.selectionModel().currentRowChanged.connect(self._show_row_problems)
        self.preview_model.modelReset.connect(self._show_row_problems)
        self.preview_model.modelReset.connect(self._show_not_imported)
        return page

    def _show_not_imported(self) -> None:
        """“未导入的列” under the preview: every source column with data not imported."""
        columns = self.preview_model.not_imported
        if not columns:
            self.not_imported_label.setVisible(False)
            return
        several = len({(c.file, c.sheet) for c in columns}) > 1
        lines = [c.text() if several else c.describe() for c in columns]
        head = _tr("未导入的列（{n} 列，其中的内容不会存入名册）：").format(n=len(columns))
        self.not_imported_label.setText(head + "\n" + "\n".join(lines))
        self.not_imported_label.setVisible(True)

    def _confirm_box(self) -> QWidget:
        """需确认: rows whose 出生年月 contradicts their 身份证号, and the box that accepts them."""
        self.confirm_box = QGroupBox(_tr("需确认：出生年月与身份证号不符"))
        self.confirm_box.setObjectName("confirm_box")
        self.confirm_list = QLabel()
        self.confirm_list.setObjectName("confirm_list")
        self.confirm_list.setWordWrap(True)
        self.confirm_list.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.accept_birth_mismatch = QCheckBox(_tr(ACCEPT_BIRTH_MISMATCH))
        self.accept_birth_mismatch.setObjectName("accept_birth_mismatch")
        self.accept_birth_mismatch.setToolTip(
            _tr("身份证号中的出生日期通常是对的；只有核对过、确认表中正确时才勾选")
        )
        self.accept_birth_mismatch.toggled.connect(self._replan)
        box = QVBoxLayout(self.confirm_box)
        box.addWidget(self.confirm_list)
        box.addWidget(self.accept_birth_mismatch)
        self.confirm_box.setVisible(False)
        return self.confirm_box

    def identity_options(self) -> tuple[bool, bool]:
        """(允许没有身份证号的人员, 按表中出生年月导入) as the user ticked them."""
        return self.allow_missing_id.isChecked(), self.accept_birth_mismatch.isChecked()

    def show_to_confirm(self, plan: ImportPlan) -> None:
        rows = plan.to_confirm
        lines = [
            _tr("“{0}”{1} {2}：表中出生年月 {3}，身份证号中为 {4}").format(
                r.source.file,
                _tr("第{0}行").format(r.source.row) if r.source.row else "",
                r.preview.get("姓名", ""),
                *r.birth_mismatch,
            )
            for r in rows[:20]
        ]
        if len(rows) > 20:
            lines.append(_tr("……共 {0} 行").format(len(rows)))
        self.confirm_list.setText("\n".join(lines))
        self.confirm_box.setVisible(bool(rows))

    @Slot()
    def _replan(self) -> None:
        if self.plan is not None and self.job is None:  # type: ignore[attr-defined]
            self.start_plan()  # type: ignore[attr-defined]

    # -- step 2: the column mapping -------------------------------------------------------

    def _set_up_mapping(self, layouts: list[SheetLayout]) -> None:
        self._layouts = list(layouts)
        self._choices = {}
        for layout in self._layouts:
            for c in layout.columns:
                self._choices.setdefault(header_key(c.header), c.attribute)
        unmapped = [c for layout in self._layouts for c in layout.unmapped]
        names = "、".join(f"{c.letter}列“{c.header}”" for c in unmapped[:6])
        more = _tr("等") if len(unmapped) > 6 else ""
        self.mapping_intro.setText(
            _tr(
                "有 {n} 列没有自动识别：{names}{more}。请为每列选择对应的信息，"
                "不需要的列选“忽略”。其他列也可以改。"
            ).format(n=len(unmapped), names=names, more=more)
        )
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        for layout in self._layouts:
            name = layout.file + (f" · {layout.sheet}" if layout.sheet else "")
            count = len(layout.unmapped)
            label = _tr("{name}（{n} 列未识别）").format(name=name, n=count) if count else name
            self.sheet_combo.addItem(label)
        first = next((i for i, lay in enumerate(self._layouts) if lay.unmapped), 0)
        self.sheet_combo.setCurrentIndex(first)
        self.sheet_combo.blockSignals(False)
        several = len(self._layouts) > 1
        self.sheet_combo.setVisible(several)
        self.sheet_label.setVisible(several)
        self._show_layout(first)

    @Slot(int)
    def _show_layout(self, index: int) -> None:
        layout = self._layouts[index] if 0 <= index < len(self._layouts) else None
        self.mapping_model.set_layout(layout, self._choices)

    @Slot()
    def _open_editors(self) -> None:
        for row in range(self.mapping_model.rowCount()):
            self.mapping_table.openPersistentEditor(
                self.mapping_model.index(row, ColumnMappingModel.ATTRIBUTE_COLUMN)
            )

    def set_column_choice(self, letter: str, attribute: str | None) -> None:
        """Choose ``attribute`` (None: 忽略) for column ``letter`` of the sheet shown, as the
        combo does."""
        for row in range(self.mapping_model.rowCount()):
            if self.mapping_model.column_info(row).letter == letter:
                index = self.mapping_model.index(row, ColumnMappingModel.ATTRIBUTE_COLUMN)
                editor = self.mapping_table.indexWidget(index)
                if isinstance(editor, QComboBox):
                    editor.setCurrentIndex(editor.findData(attribute or ""))
                    editor.activated.emit(editor.currentIndex())
                else:
                    self.mapping_model.setData(index, attribute or "")
                return
        raise KeyError(letter)

    def chosen_mapping(self) -> dict[str, str | None]:
        """Header -> attribute for every column the user decided (or changed)."""
        out: dict[str, str | None] = {}
        for layout in self._layouts:
            for c in layout.columns:
                choice = self._choices.get(header_key(c.header), c.attribute)
                if c.status in ("unmapped", "user") or choice != c.attribute:
                    out[c.header] = choice
        return out

    def mapping_conflicts(self) -> list[str]:
        """Chinese lines naming columns of one sheet mapped to the same attribute."""
        lines: list[str] = []
        for layout in self._layouts:
            seen: dict[str, ColumnInfo] = {}
            for c in layout.columns:
                choice = self._choices.get(header_key(c.header), c.attribute)
                if c.status == "duplicate" and choice is None:
                    continue
                if choice is None:
                    continue
                if choice in seen:
                    first = seen[choice]
                    sheet = f"工作表“{layout.sheet}”" if layout.sheet else f"“{layout.file}”"
                    lines.append(
                        f"{sheet}的{first.letter}列和{c.letter}列都对应到"
                        f"“{COLUMN_ATTRIBUTES[choice]}”"
                    )
                else:
                    seen[choice] = c
        return lines

    def accept_mapping(self) -> jobs.Job | None:
        conflicts = self.mapping_conflicts()
        if conflicts:
            messages.error(
                self,
                _tr("一个信息只能对应一列，请改正：\n{lines}").format(lines="\n".join(conflicts)),
                _tr("列对应有重复"),
            )
            return None
        chosen = self.chosen_mapping()
        s = settings()
        remembered = s.import_column_mapping
        remembered.update(chosen)
        s.import_column_mapping = remembered
        mapping = {**self.mapping_used, **chosen}
        if mapping == self.mapping_used and self.result is not None:
            self._show_page(self.OPTIONS)
            return None
        return self.start_read(mapping)

    # -- layout helpers ---------------------------------------------------------------------

    @Slot()
    def _size_preview_columns(self) -> None:
        fm = self.fontMetrics()
        char = fm.horizontalAdvance("中")
        widths = {"文件": 10, "行号": 3, "处理": 3, "姓名": 4, "性别": 2, "出生年月": 4.5,
                  "民族": 3.5, "政治面貌": 4.5, "单位": 11, "现任职务": 8, "领导职务层次": 6,
                  "职级": 6, "任现职时间": 5}  # fmt: skip
        for col in range(self.preview_model.columnCount()):
            header = str(self.preview_model.headerData(col, Qt.Orientation.Horizontal))
            if header == "身份证号":
                width = fm.horizontalAdvance("0" * 18 + "X")
            elif header == "问题":
                width = char * 26
            else:
                width = int(char * max(widths.get(header, 5), len(header)))
            self.preview_table.setColumnWidth(col, width + 16)
