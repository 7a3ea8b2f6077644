"""Ticket detail: facts, next-step buttons, assignee, SOP checklist, evidence, interval history, timeline.

Plain data in (``show_detail(detail, extras)``); every button only emits a signal — the caller applies the
action through its services (which may refuse it) and redraws from its source of truth. ``extras`` says
which steps the signed-in user may take and why a step is blocked; steps the role may never take are not
passed at all, so they are not shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.interval import quoted
from widgets.event_feed import ticket_title
from widgets.evidence_text import actor_text, history_note
from widgets.ticket_text import action_text, status_text
from widgets.timefmt import local_time

ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 3
EVIDENCE_BUTTONS = (("gauge_reading", "现场压力读数…"), ("retest_reading", "复测读数…"), ("photo_before", "处置前照片…"),
                    ("photo_after", "处置后照片…"), ("valve_test", "关阀试验…"), ("note", "备注…"))


@dataclass(frozen=True)
class StepButton:
    to_status: str
    enabled: bool
    reason: str = ""  # why it is disabled (shown under the buttons and as tooltip)


@dataclass(frozen=True)
class ChecklistRow:
    item_id: str
    text: str
    stage: str
    required: bool
    done: bool
    enabled: bool


@dataclass(frozen=True)
class TicketExtras:
    steps: tuple[StepButton, ...] = ()
    checklist: tuple[ChecklistRow, ...] = ()
    evidence: tuple[str, ...] = ()
    intervals: tuple[str, ...] = ()
    crew: tuple[tuple[str, str], ...] = ()  # (username, label)
    can_assign: bool = False
    can_attach: bool = False
    sla: str = ""
    # the title as it read when the ticket was made (worded from the alarm's parts), for the creation row;
    # "" = the title as it reads now
    raised_title: str = ""
    can_notify: bool = False  # may send the area's residents a notice (notice.send_area)


class TicketDetailPanel(QWidget):
    stepRequested = Signal(str, str)  # noqa: N815 - ticket id, to status
    assignRequested = Signal(str, str)  # noqa: N815 - ticket id, username
    checklistToggled = Signal(str, str, bool)  # noqa: N815 - ticket id, item id, done
    evidenceRequested = Signal(str, str)  # noqa: N815 - ticket id, evidence kind
    noticeRequested = Signal(str)  # noqa: N815 - ticket id: notify the residents of its areas

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        self.ticket_id = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.header = QLabel(self.tr("选择一张工单查看详情"))
        self.header.setWordWrap(True)
        self.header.setStyleSheet("color:#37474f;")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.header)

        row = QHBoxLayout()
        self.assignee_box = QComboBox()
        self.assign_btn = QPushButton(self.tr("指派给所选人员"))
        self.assign_btn.clicked.connect(self._on_assign)
        row.addWidget(QLabel(self.tr("抢修人员：")))
        row.addWidget(self.assignee_box, 1)
        row.addWidget(self.assign_btn)
        layout.addLayout(row)
        self.steps_row = QHBoxLayout()
        layout.addLayout(self.steps_row)
        # on a row of its own: beside 指派 it held the panel wider than a 1366 px screen leaves it
        self.notice_btn = QPushButton(self.tr("通知片区居民…"))
        self.notice_btn.setToolTip(self.tr("在「区域通知」中按本工单的区域准备抢修或恢复供气通知"))
        self.notice_btn.clicked.connect(lambda: self.noticeRequested.emit(self.ticket_id))
        self.notice_btn.setEnabled(False)
        notice_row = QHBoxLayout()
        notice_row.addStretch(1)
        notice_row.addWidget(self.notice_btn)
        layout.addLayout(notice_row)
        self.step_buttons: dict[str, QPushButton] = {}
        self.blocked = QLabel("")
        self.blocked.setWordWrap(True)
        self.blocked.setStyleSheet("color:#b71c1c;")
        layout.addWidget(self.blocked)

        self.tabs = QTabWidget()
        self.timeline = QTreeWidget()
        self.timeline.setHeaderLabels([self.tr("时间"), self.tr("操作人"), self.tr("动作"), self.tr("说明")])
        self.timeline.setRootIsDecorated(False)
        header = self.timeline.header()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.timeline.setWordWrap(True)
        self.checklist = QListWidget()
        self.checklist.itemChanged.connect(self._on_check)
        ev = QWidget()
        evl = QVBoxLayout(ev)
        evl.setContentsMargins(0, 0, 0, 0)
        self.evidence_list = QListWidget()
        self.evidence_list.setWordWrap(True)
        evl.addWidget(self.evidence_list)
        buttons = QGridLayout()  # two rows of three: one row of six kept the panel ≥ 560 px wide
        self.evidence_buttons: dict[str, QPushButton] = {}
        for i, (kind, label) in enumerate(EVIDENCE_BUTTONS):
            b = QPushButton(self.tr(label))
            b.clicked.connect(lambda _=False, k=kind: self.evidenceRequested.emit(self.ticket_id, k))
            buttons.addWidget(b, i // 3, i % 3)
            self.evidence_buttons[kind] = b
        evl.addLayout(buttons)
        self.intervals = QListWidget()
        self.intervals.setWordWrap(True)
        self.tabs.addTab(self.timeline, self.tr("时间线"))
        self.tabs.addTab(self.checklist, self.tr("检查项"))
        self.tabs.addTab(ev, self.tr("证据"))
        self.tabs.addTab(self.intervals, self.tr("区间变化"))
        layout.addWidget(self.tabs)
        self._set_enabled(False)

    def _set_enabled(self, on: bool) -> None:
        for w in (self.assignee_box, self.assign_btn, self.notice_btn, *self.evidence_buttons.values()):
            w.setEnabled(on)

    def show_detail(self, detail, extras: TicketExtras | None = None) -> None:  # noqa: ANN001
        extras = extras or TicketExtras()
        c = detail.card
        self.ticket_id = c.id
        interval = detail.suspect_interval or {}
        title = ticket_title(c)
        lines = [f"<b>{title}</b>", f"{c.id} · {status_text(c.status)}"
                 + (f" · {self.tr('指派')}：{c.assignee}" if c.assignee else "")]
        if interval.get("pipes"):
            lines.append(f"{self.tr('疑似区间')}：{', '.join(interval['pipes'][:8])}"
                         f"{'…' if len(interval['pipes']) > 8 else ''} · <b>{interval.get('length_m', 0):.0f} m</b> · "
                         f"{self.tr('置信度')} <b>{quoted(interval.get('confidence', 0)):.2f}</b>")
        if extras.sla:
            lines.append(extras.sla)
        self.header.setText("<br>".join(lines))
        self.timeline.clear()
        items = {r.item_id: r.text for r in extras.checklist}
        for h in detail.history:
            action = action_text(h.action)
            if h.to_status:
                action = f"{status_text(h.from_status)} → {status_text(h.to_status)}"
            # The creation (and a relay copy's arrival) note the stored title: worded like the title itself.
            note = (extras.raised_title or title) if h.note == c.title else history_note(h.action, h.note, items)
            row = QTreeWidgetItem(self.timeline, [local_time(h.time), actor_text(h.actor), action, note])
            row.setToolTip(3, note)
        self.assignee_box.clear()
        for username, label in extras.crew:
            self.assignee_box.addItem(label, username)
        i = self.assignee_box.findData(c.assignee)
        if i >= 0:
            self.assignee_box.setCurrentIndex(i)
        closed = c.status == "closed"
        self.assignee_box.setEnabled(extras.can_assign and not closed)
        self.assign_btn.setEnabled(extras.can_assign and not closed)
        self.notice_btn.setEnabled(extras.can_notify)
        for b in self.step_buttons.values():
            self.steps_row.removeWidget(b)
            b.deleteLater()
        self.step_buttons = {}
        reasons = []
        order = ("alarm", "dispatched", "onsite", "handling", "retest", "closed")
        for s in extras.steps:
            back = c.status in order and order.index(s.to_status) < order.index(c.status)
            b = QPushButton((self.tr("↩ 退回「{s}」") if back else "→ {s}").replace("{s}", status_text(s.to_status)))
            b.setMinimumHeight(30)
            b.setEnabled(s.enabled)
            if s.reason:
                b.setToolTip(s.reason)
                if not s.enabled:
                    reasons.append(f"{status_text(s.to_status)}：{s.reason}")
            b.clicked.connect(lambda _=False, to=s.to_status: self.stepRequested.emit(self.ticket_id, to))
            self.steps_row.addWidget(b)
            self.step_buttons[s.to_status] = b
        self.blocked.setText("\n".join(reasons))
        self.checklist.blockSignals(True)
        self.checklist.clear()
        for r in extras.checklist:
            it = QListWidgetItem(f"[{status_text(r.stage)}] {r.text}" + ("" if r.required else self.tr("（可选）")))
            it.setData(ITEM_ID_ROLE, r.item_id)
            flags = Qt.ItemFlag.ItemIsUserCheckable | (Qt.ItemFlag.ItemIsEnabled if r.enabled else Qt.ItemFlag.NoItemFlags)
            it.setFlags(flags)
            it.setCheckState(Qt.CheckState.Checked if r.done else Qt.CheckState.Unchecked)
            self.checklist.addItem(it)
        self.checklist.blockSignals(False)
        self.evidence_list.clear()
        self.evidence_list.addItems(list(extras.evidence) or [self.tr("尚无证据")])
        for b in self.evidence_buttons.values():
            b.setEnabled(extras.can_attach and not closed)
            b.setVisible(extras.can_attach)
        self.intervals.clear()
        self.intervals.addItems(list(extras.intervals) or [self.tr("无区间记录")])

    def _on_assign(self) -> None:
        if self.ticket_id and self.assignee_box.currentData():
            self.assignRequested.emit(self.ticket_id, str(self.assignee_box.currentData()))

    def _on_check(self, item: QListWidgetItem) -> None:
        if self.ticket_id:
            self.checklistToggled.emit(self.ticket_id, str(item.data(ITEM_ID_ROLE)),
                                       item.checkState() == Qt.CheckState.Checked)

    def clear(self) -> None:
        self.ticket_id = ""
        self.header.setText(self.tr("选择一张工单查看详情"))
        self.timeline.clear()
        self.checklist.clear()
        self.evidence_list.clear()
        self.intervals.clear()
        self.blocked.setText("")
        for b in self.step_buttons.values():
            b.setEnabled(False)
        self._set_enabled(False)
