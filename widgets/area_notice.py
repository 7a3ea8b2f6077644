"""Area notice view: pick the areas, start from a template, send; follow reach and acknowledgements; withdraw.

Plain data in (``set_areas``, ``set_templates``, ``set_rows``, ``set_allowed``, ``set_status``); the buttons only
emit ``sendRequested(areas, title, body)`` and ``withdrawRequested(event_id)`` — the caller sends through its
channel adapter off the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from widgets.area_checklist import AreaChecklist
from widgets.drill_invite import STATUS_LABELS
from widgets.timefmt import local_time

EVENT_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class NoticeRow:
    event_id: str
    area: str
    title: str
    body: str
    sent_at: str  # UTC ISO 8601
    status: str  # pending | delivered | rejected
    reach: int
    acks: int
    withdrawn: bool


class AreaNoticeView(QWidget):
    sendRequested = Signal(list, str, str)  # area names, title, body
    withdrawRequested = Signal(str)  # the notice's event id
    templateChosen = Signal(str, list)  # template key, the checked areas: the caller fills title and body

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        lay = QHBoxLayout(self)
        left = QGroupBox(self.tr("向所选区域居民发送通知"))
        ll = QVBoxLayout(left)
        ll.addWidget(QLabel(self.tr("选择区域（可多选）：")))
        self.areas = AreaChecklist()
        self.areas.setMaximumHeight(110)
        ll.addWidget(self.areas)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("模板：")))
        self.template = QComboBox()
        self.template.activated.connect(lambda _i: self.templateChosen.emit(str(self.template.currentData() or ""),
                                                                             self.checked_areas()))
        row.addWidget(self.template, 1)
        ll.addLayout(row)
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("通知标题"))
        ll.addWidget(self.title)
        self.body = QPlainTextEdit()
        self.body.setPlaceholderText(self.tr("通知内容（居民在小程序中看到的文字）"))
        ll.addWidget(self.body, 1)
        self.button = QPushButton(self.tr("发送给所选区域居民"))
        self.button.clicked.connect(self._request)
        ll.addWidget(self.button)
        self.status = QLabel()
        self.status.setWordWrap(True)
        ll.addWidget(self.status)
        lay.addWidget(left, 2)
        right = QVBoxLayout()
        self.totals = QLabel()
        self.totals.setStyleSheet("font-weight:bold;")
        right.addWidget(self.totals)
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("区域"), self.tr("标题"), self.tr("发送时间"), self.tr("状态"),
                                              self.tr("已注册住户"), self.tr("已回执")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._sync_button)
        right.addWidget(self.table)
        self.withdraw_btn = QPushButton(self.tr("撤回所选通知"))
        self.withdraw_btn.clicked.connect(self._withdraw)
        right.addWidget(self.withdraw_btn, 0, Qt.AlignmentFlag.AlignRight)
        lay.addLayout(right, 3)
        self._allowed = True
        self._busy = False
        self._rows: list[NoticeRow] = []
        self.set_rows([])

    def set_areas(self, names: list[str]) -> None:
        self.areas.set_areas(names)

    def check_areas(self, names: list[str]) -> None:
        self.areas.check_areas(names)

    def checked_areas(self) -> list[str]:
        return self.areas.checked_areas()

    def set_templates(self, names: list[tuple[str, str]]) -> None:
        """(key, label) of each template, the label already in the interface language."""
        self.template.clear()
        for key, label in names:
            self.template.addItem(label, key)

    def fill(self, title: str, body: str) -> None:
        self.title.setText(title)
        self.body.setPlainText(body)

    def set_allowed(self, allowed: bool, reason: str = "") -> None:
        """Roles the permission matrix does not allow see the notices and figures but no working buttons."""
        self._allowed = allowed
        self.button.setToolTip("" if allowed else reason)
        if not allowed:
            self.set_status(reason, ok=False)
        self._sync_button()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._sync_button()

    def _selected(self) -> NoticeRow | None:
        rows = {i.row() for i in self.table.selectedItems()}
        return self._rows[rows.pop()] if len(rows) == 1 and next(iter(rows)) < len(self._rows) else None

    def _sync_button(self) -> None:
        self.button.setEnabled(self._allowed and not self._busy)
        sel = self._selected()
        self.withdraw_btn.setEnabled(self._allowed and not self._busy and sel is not None and not sel.withdrawn)

    def set_status(self, text: str, ok: bool = True) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("" if ok else "color:#c62828;")

    def set_rows(self, rows: list[NoticeRow]) -> None:
        chosen = self._selected()
        self._rows = list(rows)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            status = self.tr("已撤回") if row.withdrawn else self.tr(STATUS_LABELS.get(row.status, row.status))
            cells = [row.area, row.title, local_time(row.sent_at, "%m-%d %H:%M:%S"), status, str(row.reach),
                     str(row.acks)]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(EVENT_ROLE, row.event_id)
                if c == 1:
                    item.setToolTip(row.body)
                if c >= 4:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if row.withdrawn:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(r, c, item)
            if chosen is not None and row.event_id == chosen.event_id:
                self.table.selectRow(r)
        live = [x for x in rows if not x.withdrawn]
        self.totals.setText(self.tr("合计：通知 {n} 条 · 覆盖 {reach} 户 · 已回执 {acks} 户").format(
            n=len(live), reach=sum(x.reach for x in live), acks=sum(x.acks for x in live)))
        self._sync_button()

    def _request(self) -> None:
        areas = self.checked_areas()
        if not areas:
            self.set_status(self.tr("请至少选择一个区域"), ok=False)
            return
        if not self.title.text().strip() or not self.body.toPlainText().strip():
            self.set_status(self.tr("请填写通知标题和内容"), ok=False)
            return
        self.sendRequested.emit(areas, self.title.text(), self.body.toPlainText())

    def _withdraw(self) -> None:
        sel = self._selected()
        if sel is not None and not sel.withdrawn:
            self.withdrawRequested.emit(sel.event_id)
