"""Ticket detail: the card's facts and its timeline (plain data in)."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from widgets.ticket_board import status_text
from widgets.timefmt import local_time


class TicketDetailPanel(QWidget):
    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.header = QLabel(self.tr("选择一张工单查看详情"))
        self.header.setWordWrap(True)
        self.header.setStyleSheet("color:#37474f;")
        self.timeline = QTreeWidget()
        self.timeline.setHeaderLabels([self.tr("时间"), self.tr("操作人"), self.tr("动作"), self.tr("说明")])
        self.timeline.setRootIsDecorated(False)
        header = self.timeline.header()
        for col in range(3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.timeline.setWordWrap(True)
        layout.addWidget(self.header)
        layout.addWidget(self.timeline)

    def show_detail(self, detail) -> None:  # noqa: ANN001
        c = detail.card
        interval = detail.suspect_interval or {}
        lines = [f"<b>{c.title}</b>", f"{c.id} · {status_text(c.status)}"
                 + (f" · {self.tr('指派')}：{c.assignee}" if c.assignee else "")]
        if interval.get("pipes"):
            lines.append(f"{self.tr('疑似区间')}：{', '.join(interval['pipes'][:8])}"
                         f"{'…' if len(interval['pipes']) > 8 else ''} · {interval.get('length_m', 0):.0f} m · "
                         f"{self.tr('置信度')} {interval.get('confidence', 0):.2f}")
        self.header.setText("<br>".join(lines))
        self.timeline.clear()
        for h in detail.history:
            action = h.action
            if h.to_status:
                action = f"{status_text(h.from_status)} → {status_text(h.to_status)}"
            row = QTreeWidgetItem(self.timeline, [local_time(h.time), h.actor, action, h.note])
            row.setToolTip(3, h.note)

    def clear(self) -> None:
        self.header.setText(self.tr("选择一张工单查看详情"))
        self.timeline.clear()
