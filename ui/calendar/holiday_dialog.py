"""The form for one 节假日 day: 日期, 类型 (放假 / 调休上班), 名称 and 来源. It saves through the
service itself, so a refusal shows beside the fields and the form stays open; an edit someone
else overtook is told with the conflict box and the form closes (the list re-reads)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from models import calendar
from models.calendar import DAY_OFF, HOLIDAY_KINDS, WORKDAY, HolidayDTO, HolidayInput
from models.core.errors import ConflictError, DomainError
from ui import messages

NAMES = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")


def _tr(text: str) -> str:
    return QCoreApplication.translate("HolidayDialog", text)


class HolidayDialog(QDialog):
    """New (``holiday`` None, on ``day``) or edit one day."""

    def __init__(
        self, holiday: HolidayDTO | None, day: dt.date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("holiday_dialog")
        self.holiday = holiday
        self.setWindowTitle(_tr("修改节假日") if holiday else _tr("新增节假日"))
        start = holiday.day if holiday else day
        self.day = QDateEdit(QDate(start.year, start.month, start.day))
        self.day.setObjectName("holiday_day")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.kind = QComboBox()
        self.kind.setObjectName("holiday_kind")
        self.kind.addItems(list(HOLIDAY_KINDS))
        self.kind.setCurrentText(
            holiday.kind if holiday else (WORKDAY if start.weekday() >= 5 else DAY_OFF)
        )
        self.name = QComboBox()
        self.name.setObjectName("holiday_name")
        self.name.setEditable(True)
        self.name.addItems(list(NAMES))
        self.name.setCurrentText(holiday.name if holiday else "")
        self.name.lineEdit().setPlaceholderText(_tr("如 元旦、春节"))
        self.source = QLineEdit(holiday.source if holiday else "")
        self.source.setObjectName("holiday_source")
        self.source.setPlaceholderText(_tr("如 国办发明电〔2026〕×号；可不填"))
        self.error = QLabel()
        self.error.setObjectName("holiday_error")
        self.error.setStyleSheet("color:#c62828;")
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_tr("日期"), self.day)
        form.addRow(_tr("类型"), self.kind)
        form.addRow(_tr("名称"), self.name)
        form.addRow(_tr("来源"), self.source)
        form.addRow(self.error)
        form.addRow(buttons)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("中") * 30)
        self.saved: HolidayDTO | None = None
        self.conflicted = False  # someone else changed the day meanwhile: nothing saved

    def entered(self) -> HolidayInput:
        q = self.day.date()
        return HolidayInput(
            day=dt.date(q.year(), q.month(), q.day()),
            kind=self.kind.currentText(),
            name=self.name.currentText(),
            source=self.source.text(),
            id=self.holiday.id if self.holiday else None,
            version=self.holiday.version if self.holiday else None,
        )

    def save(self) -> None:
        try:
            self.saved = calendar.save_holiday(self.entered())
        except ConflictError as e:
            self.conflicted = True
            messages.conflict(self, str(e))
            self.reject()
            return
        except DomainError as e:
            self.error.setText(str(e))
            self.error.show()
            return
        self.accept()

    @classmethod
    def ask(
        cls, holiday: HolidayDTO | None, day: dt.date, parent: QWidget | None = None
    ) -> tuple[HolidayDTO | None, bool]:
        """(the day as saved or None, whether the list must re-read: saved or overtaken)."""
        dlg = cls(holiday, day, parent)
        dlg.exec()
        return dlg.saved, dlg.saved is not None or dlg.conflicted


__all__ = ["HolidayDialog"]
