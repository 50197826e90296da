"""New / edit a 讲坛 series: its name, 主办单位, the 学时 one attended lecture credits by
default, and notes. Saved through the service (checked there; the reason is shown beside the
field); an edit carries the version read."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from models.core.errors import ConflictError, DomainError, ValidationError
from models.training import lectures as lt
from ui import messages
from ui.common import ok_cancel

ERROR_STYLE = "color:#c62828;"


def _tr(text: str) -> str:
    return QCoreApplication.translate("SeriesDialog", text)


class SeriesDialog(QDialog):
    def __init__(self, series: lt.SeriesDTO | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("series_dialog")
        self.setWindowTitle(_tr("编辑讲坛") if series else _tr("新建讲坛"))
        self.series = series
        self.saved: lt.SeriesDTO | None = None
        self.name = QLineEdit(series.name if series else _tr("领导干部讲坛"))
        self.name.setObjectName("series_name")
        self.organiser = QLineEdit(series.organiser if series else "")
        self.organiser.setObjectName("series_organiser")
        self.organiser.setPlaceholderText(_tr("如 中共白银市委组织部"))
        self.hours = QDoubleSpinBox()
        self.hours.setObjectName("series_hours")
        self.hours.setRange(0.25, 24)
        self.hours.setDecimals(2)
        self.hours.setSingleStep(0.5)
        self.hours.setSuffix(_tr(" 学时"))
        self.hours.setValue(float(series.hours_per_lecture) if series else 3.0)
        self.notes = QPlainTextEdit(series.notes if series else "")
        self.notes.setFixedHeight(70)
        # 每讲学时 changed: the 已举办 lectures using it have their 学时档案 corrected, with this
        self.reason = QLineEdit()
        self.reason.setObjectName("series_reason")
        self.reason.setPlaceholderText(_tr("修改每讲学时会更正已举办讲座的学时档案，须写明原因"))
        self.issue = QLabel()
        self.issue.setObjectName("series_issue")
        self.issue.setStyleSheet(ERROR_STYLE)
        self.issue.setWordWrap(True)
        self.issue.hide()
        form = QFormLayout()
        form.addRow(_tr("讲坛名称"), self.name)
        form.addRow(_tr("主办单位"), self.organiser)
        form.addRow(_tr("每讲学时"), self.hours)
        form.addRow(_tr("备注"), self.notes)
        if series is not None:
            form.addRow(_tr("修改原因"), self.reason)
        hint = QLabel(_tr("每讲学时：听一讲登记的学时，某一讲另有规定的可在讲座中单独填写。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#4b5563;")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.issue)
        self.buttons = ok_cancel(self)
        layout.addWidget(self.buttons)
        self.resize(460, 300)

    def values(self) -> lt.SeriesInput:
        s = self.series
        return lt.SeriesInput(
            self.name.text(),
            self.organiser.text(),
            Decimal(str(round(self.hours.value(), 2))),
            self.notes.toPlainText(),
            s.id if s else None,
            s.version if s else None,
            self.reason.text(),
        )

    @Slot()
    def accept(self) -> None:
        try:
            self.saved = lt.save_series(self.values())
        except ValidationError as e:
            self.issue.setText("；".join(f"{i.label}：{i.message}" for i in e.issues))
            self.issue.show()
            return
        except ConflictError as e:
            messages.conflict(self, str(e))
            self.reject()
            return
        except DomainError as e:
            messages.error(self, str(e), _tr("不能保存讲坛"))
            return
        super().accept()

    @classmethod
    def ask(cls, series: lt.SeriesDTO | None, parent: QWidget | None = None) -> lt.SeriesDTO | None:
        """The series saved, or None when the user cancelled."""
        dialog = cls(series, parent)
        return dialog.saved if dialog.exec() == QDialog.DialogCode.Accepted else None
