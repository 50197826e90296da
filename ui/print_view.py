"""The 报表打印 section: choose a report (考核登记表 as filed, 考核评分表, 汇总表, 审定表,
名册), paper and duplex padding for the per-person forms, the year's round, a unit (with its
sub-units) or people; 预览 builds the PDF in the background and shows it; 批量生成 writes one
combined PDF, one file per person, or the report as PDF/xlsx, with progress and 取消."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from models.assessment import KIND_ANNUAL, MemberDTO, RoundDTO, list_members, list_rounds
from models.roster import service as roster
from reports.common import fonts
from reports.common.files import safe_part
from reports.sheets import PageSize, PrintOptions, SheetVariant, batch
from ui import jobs, messages
from ui.common import PdfPreview, ask_save_path, export_file, run_export
from ui.settings import apply_print_font, settings

log = logging.getLogger(__name__)


#: (key, label); sheet keys carry the variant.
REPORT_CHOICES = (
    ("sheet_official", "考核登记表（归档用，不印分数和等次）"),
    ("sheet_scored", "考核评分表（每人一页，含评分和拟定等次）"),
    ("summary", "考核结果汇总表"),
    ("approval", "年度考核结果审定表"),
    ("register", "年度考核结果名册"),
    ("feedback", "考核结果反馈表（一项指导谈话记录）"),
)
#: (label, header rows): None leaves it to each personnel category's template
HEADER_ROW_CHOICES: tuple[tuple[str, tuple[str, ...] | None], ...] = (
    ("按人员类别的模板", None),
    ("不加印", ()),
    ("文化程度", ("文化程度",)),
    ("参加脱产培训情况", ("参加脱产培训情况",)),
    ("文化程度、参加脱产培训情况", ("文化程度", "参加脱产培训情况")),
)
_VARIANTS = {"sheet_official": SheetVariant.OFFICIAL, "sheet_scored": SheetVariant.SCORED}


def _tr(text: str) -> str:
    return QCoreApplication.translate("PrintView", text)


class PrintView(QWidget):
    """Choices on the left, the preview on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("print_view")
        self.rounds: list[RoundDTO] = []
        self.job: jobs.Job | None = None

        self.report = QComboBox()
        self.report.setObjectName("print_report")
        for key, label in REPORT_CHOICES:
            self.report.addItem(_tr(label), key)
        self.round = QComboBox()
        self.round.setObjectName("print_round")
        self.unit = QComboBox()
        self.unit.setObjectName("print_unit")
        self.unit.setMinimumContentsLength(16)
        self.page_size = QComboBox()
        self.page_size.setObjectName("print_page_size")
        for size in PageSize:
            self.page_size.addItem(size.label, size)
        # the optional header rows of the 登记表: the template's (per personnel category), or
        # chosen for this print
        self.header_rows = QComboBox()
        self.header_rows.setObjectName("print_header_rows")
        for label, rows in HEADER_ROW_CHOICES:
            self.header_rows.addItem(_tr(label), rows)
        self.people = QListWidget()
        self.people.setObjectName("print_people")
        self.people.setUniformItemSizes(True)  # 50,000 names list at once
        self._ids: list[int] = []  # cadre id per row of the list
        self._loading: tuple[int, int | None] | None = None  # the list read in the background
        self.people_job: jobs.Job | None = None
        self.people.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.people_hint = QLabel()
        self.people_search = QLineEdit()
        self.people_search.setObjectName("print_people_search")
        self.people_search.setPlaceholderText(_tr("查找：姓名或单位"))
        self.people_search.setClearButtonEnabled(True)
        self.people_search.textChanged.connect(self._filter_people)
        self.people_hint.setObjectName("print_people_hint")
        self.people_hint.setWordWrap(True)
        self.split = QCheckBox(_tr("每人一个文件（单位_姓名_年度考核登记表.pdf）"))
        self.split.setObjectName("print_split")
        self.duplex = QCheckBox(_tr("双面打印：每人补足偶数页（加“本页空白”页）"))
        self.duplex.setObjectName("print_duplex")
        self.preview_button = QPushButton(_tr("预览"))
        self.preview_button.setObjectName("print_preview")
        self.batch_button = QPushButton(_tr("批量生成…"))
        self.batch_button.setObjectName("print_batch")
        self.reload_button = QPushButton(_tr("刷新"))
        self.reload_button.setObjectName("print_reload")
        self.font_label = QLabel()
        self.font_label.setObjectName("print_font_label")
        self.font_label.setWordWrap(True)
        self.font_button = QPushButton(_tr("选择字体…"))
        self.font_button.setObjectName("print_font_choose")
        self.font_reset = QPushButton(_tr("自动选择"))
        self.font_reset.setObjectName("print_font_reset")

        form = QFormLayout()
        form.addRow(_tr("报表"), self.report)
        form.addRow(_tr("年度"), self.round)
        form.addRow(_tr("单位"), self.unit)
        form.addRow(_tr("纸张"), self.page_size)
        form.addRow(_tr("表头加印"), self.header_rows)
        form.addRow(_tr("字体"), self.font_label)
        font_buttons = QHBoxLayout()
        font_buttons.addWidget(self.font_button)
        font_buttons.addWidget(self.font_reset)
        font_buttons.addStretch(1)
        form.addRow("", font_buttons)
        left = QWidget()
        lay = QVBoxLayout(left)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(form)
        lay.addWidget(QLabel(_tr("人员（不选则为所选单位全部人员）")))
        lay.addWidget(self.people_search)
        lay.addWidget(self.people, 1)
        lay.addWidget(self.people_hint)
        lay.addWidget(self.split)
        lay.addWidget(self.duplex)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reload_button)
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.batch_button)
        lay.addLayout(buttons)

        self.preview = PdfPreview()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 900])
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(splitter)

        self.font_button.clicked.connect(self.choose_font)
        self.font_reset.clicked.connect(lambda: self.set_font(""))
        self._show_font()
        self.report.currentIndexChanged.connect(self._report_changed)
        self.round.currentIndexChanged.connect(self.load_people)
        self.unit.currentIndexChanged.connect(self.load_people)
        self.people.itemSelectionChanged.connect(self._update_hint)
        self.preview_button.clicked.connect(self.start_preview)
        self.batch_button.clicked.connect(self.start_batch)
        self.reload_button.clicked.connect(self.reload)
        self.reload()

    # -- choices ----------------------------------------------------------------------------

    def report_key(self) -> str:
        return str(self.report.currentData())

    def is_sheet(self) -> bool:
        return self.report_key() in _VARIANTS

    def round_dto(self) -> RoundDTO | None:
        i = self.round.currentIndex()
        return self.rounds[i] if 0 <= i < len(self.rounds) else None

    def unit_id(self) -> int | None:
        value = self.unit.currentData()
        return int(value) if value is not None else None

    def print_options(self) -> PrintOptions:
        """The form, paper and duplex choice of a per-person form (read on the GUI thread)."""
        page: PageSize = self.page_size.currentData()
        variant = _VARIANTS.get(self.report_key(), SheetVariant.OFFICIAL)
        return PrintOptions(
            variant=variant,
            page_size=page,
            duplex=self.duplex.isChecked(),
            header_rows=self.header_rows.currentData(),
        )

    def selected_ids(self) -> list[int]:
        return [self._ids[self.people.row(it)] for it in self.people.selectedItems()]

    @Slot()
    def reload(self) -> None:
        """Rounds (annual, newest first) and units from the database."""
        keep_round = self.round_dto().id if self.round_dto() else None
        keep_unit = self.unit_id()
        self.rounds = [r for r in list_rounds() if r.kind == KIND_ANNUAL]
        for combo in (self.round, self.unit):
            combo.blockSignals(True)
        try:
            self.round.clear()
            for r in self.rounds:
                self.round.addItem(_tr("{name}（{status}）").format(name=r.name, status=r.status))
            ids = [r.id for r in self.rounds]
            self.round.setCurrentIndex(ids.index(keep_round) if keep_round in ids else 0)
            self.unit.clear()
            self.unit.addItem(_tr("全部单位"), None)
            for uid, path in sorted(roster.unit_paths().items(), key=lambda x: x[1]):
                self.unit.addItem(path, uid)
            found = self.unit.findData(keep_unit) if keep_unit is not None else 0
            self.unit.setCurrentIndex(max(found, 0))
        finally:
            for combo in (self.round, self.unit):
                combo.blockSignals(False)
        self.load_people()
        self._report_changed()

    @Slot()
    def load_people(self) -> None:
        """The round's people of the unit; a big round's are read in the background (the
        screen stays usable, the hint says 正在读取…)."""
        self.people.clear()
        self._ids = []
        self._loading = None
        rnd = self.round_dto()
        if rnd is None or rnd.members <= jobs.BACKGROUND_ROWS:
            self._fill(list_members(rnd.id, self.unit_id()) if rnd is not None else [])
            return
        key = self._loading = (rnd.id, self.unit_id())
        self.people_hint.setText(_tr("正在读取 {n} 人的名单…").format(n=rnd.members))

        def read(**_progress_and_cancel: object) -> list[MemberDTO]:
            return list_members(*key)

        def show(members: list[MemberDTO]) -> None:
            if self._loading == key:  # not another round or unit chosen meanwhile
                self._loading = None
                self._fill(members)

        self.people_job = jobs.runner().run(
            read, title=_tr("读取人员名单"), parent_widget=self, on_success=show, quiet=True
        )

    def _fill(self, members: Sequence[MemberDTO]) -> None:
        absent = _tr("［未参加考核］")
        self.people.addItems(
            [f"{m.name}（{m.unit_name}）{absent if m.not_participating else ''}" for m in members]
        )
        self._ids = [m.cadre_id for m in members]
        self._filter_people()
        self._update_hint()

    @Slot()
    def _filter_people(self) -> None:
        """Show only the people whose name or unit holds the text typed (the chosen ones stay
        chosen, found or not)."""
        text = self.people_search.text().strip()
        for i in range(self.people.count()):
            item = self.people.item(i)
            item.setHidden(bool(text) and text not in item.text() and not item.isSelected())

    @Slot()
    def _report_changed(self) -> None:
        sheet = self.is_sheet()
        self.people.setEnabled(sheet)
        self.page_size.setEnabled(sheet)
        self.header_rows.setEnabled(self.report_key() == "sheet_official")
        self.split.setEnabled(sheet)
        self.duplex.setEnabled(sheet)
        has_round = self.round_dto() is not None
        self.preview_button.setEnabled(has_round)
        self.batch_button.setEnabled(has_round)
        self._update_hint()

    @Slot()
    def _update_hint(self) -> None:
        if self.round_dto() is None:
            self.people_hint.setText(_tr("还没有年度考核轮次，请先在考核中建立并计算等次"))
            return
        if self._loading is not None:
            return  # the hint says the list is being read
        n, chosen = self.people.count(), len(self.people.selectedItems())
        if not self.is_sheet():
            text = _tr("报表包括所选单位（含下级单位）的全部 {n} 人").format(n=n)
        elif chosen:
            text = _tr("已选 {k} 人（共 {n} 人）").format(k=chosen, n=n)
        else:
            text = _tr("将打印全部 {n} 人").format(n=n)
        self.people_hint.setText(text)

    def _file_stem(self) -> str:
        """'2025年度考核登记表_市委组织部'; for the people chosen: their name, or how many."""
        rnd = self.round_dto()
        label = dict(REPORT_CHOICES)[self.report_key()]
        label = _VARIANTS[self.report_key()].label if self.is_sheet() else label
        year = rnd.year if rnd else ""
        whom = self.unit.currentText().rsplit("/", 1)[-1]
        chosen = self.people.selectedItems() if self.is_sheet() else []
        if len(chosen) == 1:
            whom = chosen[0].text().split(_tr("［"))[0]  # 姓名（单位）
        elif chosen:
            whom = _tr("{unit}所选{k}人").format(unit=whom, k=len(chosen))
        return safe_part(f"{year}年度{label.removeprefix('年度')}_{whom}")

    # -- preview ----------------------------------------------------------------------------

    @Slot()
    def start_preview(self) -> jobs.Job | None:
        rnd = self.round_dto()
        if rnd is None:
            return None
        key = self.report_key()
        name = f"{self._file_stem()}.pdf"

        def show(data: bytes) -> None:
            self.preview.set_pdf(data, name)

        if self.is_sheet():
            # read the widgets here, on the GUI thread; the worker only gets plain values
            ids = self.selected_ids() or None
            unit_id, options = self.unit_id(), self.print_options()
            count = len(ids) if ids else self.people.count()
            if count > batch.PREVIEW_SHEETS:  # a whole city would be 100,000 pages
                name = _tr("{stem}（预览前 {k} 份，共 {n} 份）.pdf").format(
                    stem=self._file_stem(), k=batch.PREVIEW_SHEETS, n=count
                )

            def build(**kw: object) -> bytes:
                data, _result = batch.build_sheets_pdf(
                    rnd.id, unit_id, cadre_ids=ids, options=options,
                    limit=batch.PREVIEW_SHEETS,
                    **kw,  # type: ignore[arg-type]
                )  # fmt: skip
                return data

            title = _tr("生成{label}预览").format(label=options.variant.label)
            self.job = jobs.runner().run(build, title=title, parent_widget=self, on_success=show)
        else:
            from reports.assessment import summary as ar  # lazy: openpyxl, charts (first use)

            self.job = jobs.runner().run(
                ar.report_pdf_bytes, key, rnd, unit_id=self.unit_id(),
                title=_tr("生成{name}预览").format(name=dict(REPORT_CHOICES)[key]),
                parent_widget=self, on_success=show,
            )  # fmt: skip
        return self.job

    # -- batch ------------------------------------------------------------------------------

    @Slot()
    def start_batch(self) -> jobs.Job | None:
        rnd = self.round_dto()
        if rnd is None:
            return None
        key = self.report_key()
        if self.is_sheet():
            return self._batch_sheets(rnd, key)
        label = dict(REPORT_CHOICES)[key]
        from reports.assessment import summary as ar  # lazy: openpyxl, charts (first use)

        job = export_file(
            self,
            title=_tr("保存{label}").format(label=label),
            suggested=Path(f"{self._file_stem()}.pdf"),
            filters="PDF (*.pdf);;Excel (*.xlsx)",
            suffixes=(".pdf", ".xlsx"),
            write=partial(ar.print_report, key, rnd, unit_id=self.unit_id()),
            job_title=_tr("生成{label}").format(label=label),
            done=lambda dest, _n: _tr("已保存到 {path}").format(path=dest),
            done_title=_tr("已生成"),
        )
        if job is not None:
            self.job = job
        return job

    def _batch_sheets(self, rnd: RoundDTO, key: str) -> jobs.Job | None:
        split = self.split.isChecked()
        options = self.print_options()
        label = options.variant.label
        if split:
            title = _tr("选择保存{label}的文件夹").format(label=label)
            out = messages.open_folder(self, title, Path.home())
        else:
            out = ask_save_path(
                self,
                _tr("保存{label}").format(label=label),
                Path(f"{self._file_stem()}.pdf"),
                "PDF (*.pdf)",
                suffixes=(".pdf",),
            )
        if out is None:
            return None
        ids = self.selected_ids() or None

        def done(dest: Path, result: batch.BatchResult) -> str:
            if not split and len(result.files) > 1:
                text = _tr(
                    "已生成 {n} 份{label}（{pages} 页），分为 {k} 个部分文件（单位不拆开），"
                    "保存在 {path}：{first} 等"
                ).format(
                    n=result.sheets, label=label, pages=result.pages, k=len(result.files),
                    path=result.files[0].parent, first=result.files[0].name,
                )  # fmt: skip
            else:
                where = dest if split else result.files[0]
                text = _tr("已生成 {n} 份{label}（{pages} 页），保存在 {path}").format(
                    n=result.sheets, label=label, pages=result.pages, path=where
                )
            if result.warnings:
                text += "\n\n" + "\n".join(result.warnings[:10])
            return text

        def cancelled() -> None:
            messages.info(self, _tr("已取消"), _tr("已取消批量生成，没有留下未完成的文件"))

        self.job = run_export(
            self,
            out,
            partial(
                batch.print_sheets, rnd.id, self.unit_id(), split=split, options=options,
                cadre_ids=ids,
            ),
            job_title=_tr("批量生成{label}").format(label=label),
            done=done,
            done_title=_tr("已生成"),
            on_cancelled=cancelled,
        )  # fmt: skip
        return self.job

    # -- the print font ----------------------------------------------------------------------

    @Slot()
    def choose_font(self) -> None:
        current = settings().print_font
        start = Path(current).parent if current else Path.home()
        path = messages.open_file(
            self,
            _tr("选择打印字体（TrueType：.ttf 或 .ttc）"),
            start,
            _tr("TrueType 字体 (*.ttf *.ttc)"),
        )
        if path is not None:
            self.set_font(str(path))

    def set_font(self, path: str) -> None:
        """Use ``path`` for PDFs ('' = automatic), remembered in the settings."""
        settings().print_font = path
        warning = apply_print_font()
        self._show_font()
        if warning:
            messages.error(self, warning, _tr("字体"))

    def _show_font(self) -> None:
        self.font_label.setText(_font_text())
        self.font_reset.setEnabled(bool(settings().print_font))


# -- the print font ------------------------------------------------------------------------

_SOURCES = {"user": "所选字体", "system": "系统字体", "bundled": "程序自带字体"}


def _font_text() -> str:
    apply_print_font()  # the font the settings name (set up after start-up: no work then)
    setup = fonts.current_setup()
    main = setup.main
    if main.source == "cid":
        return _tr("未找到可嵌入的中文字体（PDF 依赖阅读器的字体）")
    return _tr("{source}：{name}").format(
        source=_tr(_SOURCES.get(main.source, main.source)), name=Path(main.path).name
    )
