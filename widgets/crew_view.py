"""Crew mode view: large controls for rugged laptops and touch screens (plain data in, signals out).

Left: my tickets as big cards. Right: the selected ticket with one big button per action — accept, locate
on the map, the next step, read a gauge, attach a photo — and the SOP checklist as big check boxes. A
second page holds the meter-reading panel (any widget passed as ``reading_panel``).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from widgets.ticket_text import status_text
from widgets.wrapping_list import WrappingList

TICKET_ROLE = Qt.ItemDataRole.UserRole + 4
BIG = "font-size:20px;"
BUTTON_CSS = ("QPushButton{font-size:20px;min-height:64px;padding:6px 14px;border-radius:8px;background:#1565c0;"
              "color:white;} QPushButton:disabled{background:#b0bec5;color:#eceff1;}")


@dataclass(frozen=True)
class CrewTicket:
    id: str
    title: str
    status: str
    interval_text: str
    accepted: bool
    can_accept: bool
    next_status: str | None
    next_enabled: bool
    next_reason: str
    checklist: tuple[tuple[str, str, bool, bool], ...]  # (item id, text, done, enabled)
    evidence: tuple[str, ...]


class CrewView(QWidget):
    ticketSelected = Signal(str)  # noqa: N815
    acceptRequested = Signal(str)  # noqa: N815
    locateRequested = Signal(str)  # noqa: N815
    stepRequested = Signal(str, str)  # noqa: N815
    checklistToggled = Signal(str, str, bool)  # noqa: N815
    photoRequested = Signal(str)  # noqa: N815
    readRequested = Signal(str)  # noqa: N815
    relaySettingsRequested = Signal()  # noqa: N815
    valveTestRequested = Signal(str)  # noqa: N815

    def __init__(self, reading_panel: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ticket_id = ""
        self.setStyleSheet(BUTTON_CSS)
        self.stack = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        top = QHBoxLayout()
        self.user_label = QLabel("")
        self.user_label.setStyleSheet(BIG + "font-weight:bold;color:#263238;")
        self.sync_label = QLabel("")
        self.sync_label.setStyleSheet("font-size:16px;")
        self.sync_label.setWordWrap(True)
        top.addWidget(self.user_label)
        top.addStretch(1)
        self.relay_btn = QPushButton(self.tr("中继设置…"))
        self.relay_btn.setMinimumHeight(48)
        self.relay_btn.setStyleSheet("padding:0 18px;")
        self.relay_btn.clicked.connect(self.relaySettingsRequested.emit)
        top.addWidget(self.relay_btn)
        outer.addLayout(top)
        outer.addWidget(self.sync_label)  # its own line: a refusal or a draining queue can be long
        outer.addWidget(self.stack)

        main = QWidget()
        lay = QHBoxLayout(main)
        lay.setContentsMargins(0, 0, 0, 0)
        left = QVBoxLayout()
        head = QLabel(self.tr("我的工单"))
        head.setStyleSheet(BIG + "font-weight:bold;")
        left.addWidget(head)
        # Items wrap to the list's width with every line kept (title, then status): a fixed size cut the
        # status line of long titles off.
        self.tickets = WrappingList(inset_px=7, min_height_px=72)  # padding 6 px + border 1 px
        self.tickets.setStyleSheet("QListWidget{font-size:18px;} QListWidget::item{min-height:72px;padding:6px;"
                                   "border-bottom:1px solid #cfd8dc;} QListWidget::item:selected{background:#bbdefb;"
                                   "color:#0d47a1;}")
        self.tickets.currentItemChanged.connect(self._on_pick)
        left.addWidget(self.tickets)
        lay.addLayout(left, 2)

        right = QVBoxLayout()
        self.title = QLabel(self.tr("选择左侧的工单"))
        self.title.setWordWrap(True)
        self.title.setStyleSheet(BIG + "font-weight:bold;color:#263238;")
        self.info = QLabel("")
        self.info.setWordWrap(True)
        self.info.setStyleSheet("font-size:18px;color:#37474f;")
        right.addWidget(self.title)
        right.addWidget(self.info)
        grid = QGridLayout()
        self.accept_btn = QPushButton(self.tr("接单"))
        self.locate_btn = QPushButton(self.tr("在地图上定位"))
        self.next_btn = QPushButton(self.tr("下一步"))
        self.read_btn = QPushButton(self.tr("读压力表/拍表"))
        self.photo_btn = QPushButton(self.tr("附照片"))
        self.valve_btn = QPushButton(self.tr("关阀试验…"))
        for i, b in enumerate((self.accept_btn, self.locate_btn, self.next_btn, self.read_btn, self.photo_btn,
                               self.valve_btn)):
            grid.addWidget(b, i // 2, i % 2)
        self.accept_btn.clicked.connect(lambda: self.ticket_id and self.acceptRequested.emit(self.ticket_id))
        self.locate_btn.clicked.connect(lambda: self.ticket_id and self.locateRequested.emit(self.ticket_id))
        self.next_btn.clicked.connect(self._on_next)
        self.read_btn.clicked.connect(self._on_read)
        self.photo_btn.clicked.connect(lambda: self.ticket_id and self.photoRequested.emit(self.ticket_id))
        self.valve_btn.clicked.connect(lambda: self.ticket_id and self.valveTestRequested.emit(self.ticket_id))
        right.addLayout(grid)
        self.reason = QLabel("")
        self.reason.setWordWrap(True)
        self.reason.setStyleSheet("font-size:17px;color:#b71c1c;")
        right.addWidget(self.reason)
        steps_head = QLabel(self.tr("检查项"))
        steps_head.setStyleSheet(BIG + "font-weight:bold;")
        right.addWidget(steps_head)
        self.check_box = QWidget()
        self.check_layout = QVBoxLayout(self.check_box)
        self.check_layout.setContentsMargins(0, 0, 0, 0)
        self.check_layout.setAlignment(Qt.AlignmentFlag.AlignTop)  # items from the top, not centred in the box
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # long items wrap instead
        scroll.setWidget(self.check_box)
        right.addWidget(scroll, 1)
        self.evidence = QLabel("")
        self.evidence.setWordWrap(True)
        self.evidence.setStyleSheet("font-size:16px;color:#455a64;")
        right.addWidget(self.evidence)
        lay.addLayout(right, 3)
        self.stack.addWidget(main)
        self.checks: dict[str, QCheckBox] = {}  # item id → its tick box; the text is beside it, wrapped
        self.check_labels: dict[str, QLabel] = {}
        self._check_rows: list[QWidget] = []
        self._next_status: str | None = None

        reading = QWidget()
        rl = QVBoxLayout(reading)
        self.back_btn = QPushButton(self.tr("← 返回工单"))
        self.back_btn.clicked.connect(lambda: self.stack.setCurrentIndex(0))
        rl.addWidget(self.back_btn)
        self.reading_panel = reading_panel
        if reading_panel is not None:
            rl.addWidget(reading_panel, 1)
        self.stack.addWidget(reading)
        self._set_buttons(None)

    def set_user(self, text: str) -> None:
        self.user_label.setText(text)

    def set_sync(self, text: str, ok: bool) -> None:
        self.sync_label.setText(text)
        self.sync_label.setStyleSheet("font-size:16px;" + ("color:#2e7d32;" if ok else "color:#ef6c00;"))

    def set_tickets(self, rows: list[tuple[str, str]]) -> None:
        """``rows``: (ticket id, card text); keeps the selection when the ticket is still there."""
        keep = self.ticket_id
        self.tickets.blockSignals(True)
        self.tickets.clear()
        for tid, text in rows:
            it = QListWidgetItem(text)
            it.setData(TICKET_ROLE, tid)
            self.tickets.addItem(it)
            if tid == keep:
                self.tickets.setCurrentItem(it)
        self.tickets.blockSignals(False)
        self.tickets.fit_items()
        if not rows:
            self.show_ticket(None)

    def select(self, ticket_id: str) -> bool:
        for i in range(self.tickets.count()):
            if self.tickets.item(i).data(TICKET_ROLE) == ticket_id:
                self.tickets.setCurrentRow(i)
                return True
        return False

    def _on_pick(self, item: QListWidgetItem | None, _prev: object = None) -> None:
        if item is not None:
            self.ticketSelected.emit(str(item.data(TICKET_ROLE)))

    def _set_buttons(self, t: CrewTicket | None) -> None:
        self.accept_btn.setEnabled(bool(t and t.can_accept and not t.accepted))
        self.accept_btn.setText(self.tr("已接单") if t and t.accepted else self.tr("接单"))
        for b in (self.locate_btn, self.read_btn, self.photo_btn, self.valve_btn):
            b.setEnabled(t is not None and t.status != "closed")
        self.next_btn.setEnabled(bool(t and t.next_status and t.next_enabled))
        self.next_btn.setText(("→ " + status_text(t.next_status)) if t and t.next_status else self.tr("下一步"))

    def show_ticket(self, t: CrewTicket | None) -> None:
        self.ticket_id = t.id if t else ""
        self._next_status = t.next_status if t else None
        self._set_buttons(t)
        for row in self._check_rows:
            self.check_layout.removeWidget(row)
            row.hide()  # gone from the screen now, freed by the event loop
            row.deleteLater()
        self.checks, self.check_labels, self._check_rows = {}, {}, []
        if t is None:
            self.title.setText(self.tr("没有指派给我的工单") if not self.tickets.count() else self.tr("选择左侧的工单"))
            self.info.setText("")
            self.reason.setText("")
            self.evidence.setText("")
            return
        self.title.setText(t.title)
        self.info.setText(f"{t.id} · {status_text(t.status)}" + (f"<br>{t.interval_text}" if t.interval_text else ""))
        self.reason.setText(t.next_reason if t.next_status and not t.next_enabled else "")
        for item_id, text, done, enabled in t.checklist:
            row, cb, label = _check_row(text, done, enabled)
            cb.toggled.connect(lambda on, i=item_id: self.checklistToggled.emit(self.ticket_id, i, on))
            self.check_layout.addWidget(row)
            self.checks[item_id], self.check_labels[item_id] = cb, label
            self._check_rows.append(row)
        self.evidence.setText(self.tr("证据：") + ("；".join(t.evidence) if t.evidence else self.tr("无")))

    def _on_next(self) -> None:
        if self.ticket_id and self._next_status:
            self.stepRequested.emit(self.ticket_id, self._next_status)

    def _on_read(self) -> None:
        if self.ticket_id:
            self.stack.setCurrentIndex(1)
            self.readRequested.emit(self.ticket_id)


class _ToggleLabel(QLabel):
    """The wrapped text of a checklist item: a tap on it ticks the box, as on the box itself."""

    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__(text)
        self.box = box
        self.setWordWrap(True)
        self.setStyleSheet("font-size:19px;")

    def mouseReleaseEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt override
        if self.box.isEnabled() and event.button() == Qt.MouseButton.LeftButton:
            self.box.toggle()
        super().mouseReleaseEvent(event)


def _check_row(text: str, done: bool, enabled: bool) -> tuple[QWidget, QCheckBox, QLabel]:
    """A checklist row: a large tick box and the item's text beside it, wrapped (an SOP step is never cut
    off on a narrow crew screen)."""
    row = QWidget()
    lay = QHBoxLayout(row)
    lay.setContentsMargins(0, 2, 0, 2)
    box = QCheckBox()
    box.setStyleSheet("QCheckBox{min-height:48px;} QCheckBox::indicator{width:36px;height:36px;}")
    box.setChecked(done)
    box.setEnabled(enabled)
    box.setAccessibleName(text)
    label = _ToggleLabel(text, box)
    label.setEnabled(enabled)
    lay.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
    lay.addWidget(label, 1)
    return row, box, label
