"""解除告警（误报）: the dispatcher clears an alarm that needs no crew, saying why (services/false_alarm.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from anran_desktop.services.false_alarm import CAUSES, NOTE_MAX, DismissError, dismiss_alarm
from anran_desktop.store import StoreError
from widgets.event_feed import card_title
from widgets.false_alarm_text import cause_text

if TYPE_CHECKING:
    from anran_desktop.ui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("DismissAlarm", text)


class DismissAlarmDialog(QDialog):
    """The alarm's title, a cause, a note (needed for 其他); OK dismisses it, a refusal is shown in the dialog."""

    def __init__(self, window: MainWindow, card, parent: QWidget | None = None) -> None:  # noqa: ANN001 - an EventCard
        super().__init__(parent or window)
        self.window = window
        self.card = card
        self.setWindowTitle(_tr("解除告警（误报）"))
        self.setMinimumWidth(560)
        title = QLabel(card_title(card))
        title.setWordWrap(True)
        self.cause = QComboBox()
        self.cause.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # the longest cause in full
        for key in CAUSES:
            self.cause.addItem(cause_text(key), key)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(_tr("例如：锅炉房 7:00 开机，已电话确认；或现场复核人员与结论"))
        self.note.setFixedHeight(80)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #b3261e")
        self.error.setWordWrap(True)
        hint = QLabel(_tr("解除后告警不再派单，计入周报、月报的误报统计；若仍在检测到同一异常，不会再次告警。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #546e7a")
        form = QFormLayout(self)
        form.addRow(_tr("告警"), title)
        form.addRow(_tr("误报原因"), self.cause)
        form.addRow(_tr("说明"), self.note)
        form.addRow(hint)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_tr("解除告警"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def save(self) -> bool:
        """Dismiss the alarm and close; a refusal (no note for 其他, already has a ticket, …) stays in the dialog."""
        key = str(self.cause.currentData())
        note = self.note.toPlainText().strip()
        if key == "other" and not note:
            self.error.setText(_tr("原因为「其他」时请写明说明。"))
            return False
        if len(note) > NOTE_MAX:
            self.error.setText(_tr("说明过长：{n} 字（最多 {max} 字）。").format(n=len(note), max=NOTE_MAX))
            return False
        try:
            dismiss_alarm(self.window.svc.alarms, self.card.alarm_id, self.window.user, key, note)
        except (DismissError, StoreError) as exc:
            self.error.setText(str(exc))
            return False
        self.accept()
        w = self.window
        w.refresh_events()
        w.canvas.clear_overlay()
        w.statusBar().showMessage(_tr("已解除告警 {alarm}（误报：{cause}）").format(
            alarm=self.card.alarm_id, cause=cause_text(key)), 8000)
        return True


def open_dismiss_dialog(window: MainWindow, card) -> DismissAlarmDialog:  # noqa: ANN001 - an EventCard
    dlg = DismissAlarmDialog(window, card)
    dlg.show()
    window._dismiss_dialog = dlg
    return dlg
