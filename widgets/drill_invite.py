"""Drill check-in view: pick the areas whose residents are invited, send, and follow invited / checked-in counts.

Plain data in (``set_areas``, ``set_rows``, ``set_allowed``, ``set_status``); the button only emits
``inviteRequested(areas, title)`` — the caller sends through its channel adapter off the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from widgets.area_checklist import AreaChecklist
from widgets.timefmt import local_time

#: outbox status -> label (Chinese source text, translated when shown)
STATUS_LABELS = {"pending": "待发送", "delivered": "已送达中继", "rejected": "中继拒收"}


@dataclass(frozen=True)
class InviteRow:
    area: str
    title: str
    sent_at: str  # UTC ISO 8601
    status: str  # pending | delivered | rejected
    issued: int
    invited: int
    checked_in: int


class DrillInviteView(QWidget):
    inviteRequested = Signal(list, str)  # area names, title

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        left = QGroupBox(self.tr("邀请居民参加演练签到"))
        ll = QVBoxLayout(left)
        ll.addWidget(QLabel(self.tr("选择区域（可多选）：")))
        self.areas = AreaChecklist()
        ll.addWidget(self.areas)
        ll.addWidget(QLabel(self.tr("邀请标题：")))
        self.title = QLineEdit(self.tr("燃气应急演练签到"))
        ll.addWidget(self.title)
        self.button = QPushButton(self.tr("邀请所选区域居民签到"))
        self.button.clicked.connect(self._request)
        ll.addWidget(self.button)
        self.status = QLabel()
        self.status.setWordWrap(True)
        ll.addWidget(self.status)
        lay.addWidget(left, 1)
        right = QVBoxLayout()
        self.totals = QLabel()
        self.totals.setStyleSheet("font-weight:bold;")
        right.addWidget(self.totals)
        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels([self.tr("区域"), self.tr("标题"), self.tr("发送时间"), self.tr("状态"),
                                              self.tr("已发码"), self.tr("已邀请（已注册）"), self.tr("已签到")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the title takes the spare width
        right.addWidget(self.table)
        lay.addLayout(right, 3)
        self._allowed = True
        self._busy = False
        self.set_rows([])

    def set_areas(self, names: list[str]) -> None:
        self.areas.set_areas(names)

    def check_areas(self, names: list[str]) -> None:
        self.areas.check_areas(names)

    def checked_areas(self) -> list[str]:
        return self.areas.checked_areas()

    def set_allowed(self, allowed: bool, reason: str = "") -> None:
        """Roles the permission matrix does not allow see the figures but no working button."""
        self._allowed = allowed
        self.button.setToolTip("" if allowed else reason)
        if not allowed:
            self.set_status(reason, ok=False)
        self._sync_button()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._sync_button()

    def _sync_button(self) -> None:
        self.button.setEnabled(self._allowed and not self._busy)

    def set_status(self, text: str, ok: bool = True) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("" if ok else "color:#c62828;")

    def set_rows(self, rows: list[InviteRow]) -> None:
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = [row.area, row.title, local_time(row.sent_at, "%m-%d %H:%M:%S"),
                     self.tr(STATUS_LABELS.get(row.status, row.status)), str(row.issued), str(row.invited),
                     str(row.checked_in)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c >= 4:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(r, c, item)
        invited, checked = sum(x.invited for x in rows), sum(x.checked_in for x in rows)
        self.totals.setText(self.tr("合计：邀请 {n} 户 · 已签到 {m} 户").format(n=invited, m=checked))

    def _request(self) -> None:
        areas = self.checked_areas()
        if not areas:
            self.set_status(self.tr("请至少选择一个区域"), ok=False)
            return
        self.inviteRequested.emit(areas, self.title.text())
