"""Kanban board of tickets: 待派 / 在途 / 已结, with drag and drop between columns.

Plain data in (``set_cards(cards)``, objects with id, title, status, column, priority, area, assignee,
created_at, is_drill); a drop emits ``moveRequested(ticket_id, column)`` and changes nothing by itself —
the caller applies the move (or refuses it) and refreshes the board from its source of truth.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from widgets.event_feed import ticket_title
from widgets.ticket_text import kind_text, status_text
from widgets.wrapping_list import WrappingList

PRIORITY_COLOUR = {1: "#c62828", 2: "#ef6c00", 3: "#546e7a"}
TICKET_ID_ROLE = Qt.ItemDataRole.UserRole + 1


CARD_INSET_PX = 5  # QListWidget::item padding 4 px + border 1 px


class TicketColumn(WrappingList):
    ticketDropped = Signal(str, str)  # ticket id, column

    def __init__(self, column: str, parent=None) -> None:  # noqa: ANN001
        # Cards take the column's width and wrap (a narrow board on a 1366 × 768 screen), never a sideways
        # scrollbar that hides half of every title.
        super().__init__(parent, inset_px=CARD_INSET_PX)
        self.column = column
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSpacing(3)
        self.setStyleSheet("QListWidget{background:#f4f6f8;border:1px solid #dde3e8;border-radius:4px;}"
                           "QListWidget::item{background:white;border:1px solid #d5dce3;border-radius:4px;"
                           "padding:4px;color:#263238;}"
                           "QListWidget::item:selected{border:2px solid #1565c0;background:#e3f2fd;color:#0d47a1;}")

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        source = event.source()
        if not isinstance(source, TicketColumn) or source is self:
            event.ignore()
            return
        items = source.selectedItems()
        event.setDropAction(Qt.DropAction.IgnoreAction)  # the board is redrawn from the store
        event.accept()
        for item in items:
            self.ticketDropped.emit(item.data(TICKET_ID_ROLE), self.column)


class TicketBoard(QWidget):
    moveRequested = Signal(str, str)  # ticket id, target column: pending | active | closed
    ticketSelected = Signal(str)

    COLUMNS = (("pending", "待派"), ("active", "在途"), ("closed", "已结"))

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.columns: dict[str, TicketColumn] = {}
        self.headers: dict[str, QLabel] = {}
        for key, title in self.COLUMNS:
            box = QVBoxLayout()
            header = QLabel(self.tr(title))
            header.setStyleSheet("font-weight:bold;color:#37474f;padding:2px;")
            col = TicketColumn(key)
            col.ticketDropped.connect(self.moveRequested)
            col.itemClicked.connect(lambda item: self.ticketSelected.emit(item.data(TICKET_ID_ROLE)))
            box.addWidget(header)
            box.addWidget(col)
            layout.addLayout(box)
            self.columns[key] = col
            self.headers[key] = header

    def set_cards(self, cards) -> None:  # noqa: ANN001
        titles = dict(self.COLUMNS)
        counts = {k: 0 for k in self.columns}
        for col in self.columns.values():
            col.clear()
        for c in cards:
            col = self.columns[c.column]
            counts[c.column] += 1
            drill = QCoreApplication.translate("EventFeed", "【演练】") if c.is_drill else ""
            title = ticket_title(c)
            text = f"{drill}{title}\n{kind_text(c.kind)} · {status_text(c.status)}"
            if c.assignee:
                text += f" · {c.assignee}"
            text += f"\n{c.id}"
            item = QListWidgetItem(text)
            item.setData(TICKET_ID_ROLE, c.id)
            item.setForeground(QColor("#263238"))
            item.setToolTip(f"{title}\n{c.id}")
            item.setData(Qt.ItemDataRole.DecorationRole, QColor(PRIORITY_COLOUR.get(c.priority, "#546e7a")))
            col.addItem(item)
        for col in self.columns.values():
            col.fit_items()
        for key, header in self.headers.items():
            header.setText(self.tr("{column}（{count}）").format(column=self.tr(titles[key]), count=counts[key]))

    def ticket_ids(self, column: str) -> list[str]:
        col = self.columns[column]
        return [col.item(i).data(TICKET_ID_ROLE) for i in range(col.count())]

    def item_for(self, ticket_id: str) -> tuple[TicketColumn, QListWidgetItem] | None:
        for col in self.columns.values():
            for i in range(col.count()):
                if col.item(i).data(TICKET_ID_ROLE) == ticket_id:
                    return col, col.item(i)
        return None
