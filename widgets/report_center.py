"""Report centre view: choose a report kind (and its ticket or period end), generate, list and open PDFs.

Plain data in (``set_entries``, ``set_subjects``); buttons only emit signals — the caller generates on a
worker thread and opens files with the system viewer.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from widgets.timefmt import local_time

PATH_ROLE = Qt.ItemDataRole.UserRole + 5
#: report kind -> label (Chinese source text, translated when shown); which kinds need a ticket
KIND_LABELS = (("incident", "结案报告"), ("weekly", "周报"), ("monthly", "月报"), ("drill", "演练报告"))
NEEDS_TICKET = ("incident", "drill")


@dataclass(frozen=True)
class ReportRow:
    path: str
    kind: str
    title: str
    period: str
    created_at: str  # UTC ISO 8601


class ReportCenterView(QWidget):
    generateRequested = Signal(str, str, str)  # kind, ticket id ("" if none), period end day YYYY-MM-DD
    openRequested = Signal(str)  # PDF path
    kindChanged = Signal(str)  # the caller answers with set_subjects for this kind

    def __init__(self, parent=None) -> None:  # noqa: ANN001
        super().__init__(parent)
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.kind = QComboBox()
        for k, label in KIND_LABELS:
            self.kind.addItem(self.tr(label), k)
        self.subject = QComboBox()
        self.subject.setMinimumWidth(260)
        self.end_day = QDateEdit(QDate.currentDate())
        self.end_day.setCalendarPopup(True)
        self.end_day.setDisplayFormat("yyyy-MM-dd")
        self.generate_btn = QPushButton(self.tr("生成报告"))
        self.open_btn = QPushButton(self.tr("打开"))
        self.open_btn.setEnabled(False)
        for w in (QLabel(self.tr("类型")), self.kind, QLabel(self.tr("工单")), self.subject, QLabel(self.tr("截止日期")),
                  self.end_day, self.generate_btn):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.open_btn)
        lay.addLayout(bar)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("类型"), self.tr("标题"), self.tr("工单/统计区间"), self.tr("生成时间")])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        lay.addWidget(self.table, 1)
        self._hint = self.tr("尚未生成报告。选择类型后点击“生成报告”，双击列表中的报告用系统阅读器打开。")
        self._open_hint = self.tr("双击列表中的报告用系统阅读器打开。")
        self._no_ticket = self.tr("没有可生成该报告的工单（结案报告需已结案的工单，演练报告需演练工单）。")
        self.status = QLabel(self._hint)
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.kind.currentIndexChanged.connect(self._on_kind)
        self.generate_btn.clicked.connect(self._on_generate)
        self.open_btn.clicked.connect(self._on_open)
        self.table.itemSelectionChanged.connect(lambda: self.open_btn.setEnabled(bool(self.table.selectedItems())))
        self.table.itemDoubleClicked.connect(lambda _i: self._on_open())
        self._on_kind()

    def showEvent(self, event) -> None:  # noqa: ANN001, N802
        """Ask for the current tickets again each time the tab is shown (tickets close while it is hidden)."""
        super().showEvent(event)
        self.kindChanged.emit(self.current_kind())

    # -- data in -----------------------------------------------------------------------------------
    def set_subjects(self, subjects: list[tuple[str, str]]) -> None:
        """(ticket id, title) for the current kind; the selected ticket stays selected if still offered."""
        keep = self.subject.currentData()
        self.subject.clear()
        for tid, title in subjects:
            self.subject.addItem(f"{tid}  {title}", tid)
        if keep is not None and (i := self.subject.findData(keep)) >= 0:
            self.subject.setCurrentIndex(i)
        self._update_enabled()

    def set_entries(self, rows: list[ReportRow]) -> None:
        labels = dict(KIND_LABELS)
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            cells = [self.tr(labels.get(r.kind, r.kind)), r.title, r.period, local_time(r.created_at)]
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(PATH_ROLE, r.path)
                item.setToolTip(r.path)
                self.table.setItem(i, j, item)
        for col in (0, 2, 3):
            self.table.resizeColumnToContents(col)
        if rows and self.status.text() == self._hint:
            self.status.setText(self._open_hint)

    def set_busy(self, busy: bool, message: str = "") -> None:
        self.generate_btn.setEnabled(not busy and self._can_generate())
        if message:
            self.status.setText(message)

    # -- user actions ------------------------------------------------------------------------------
    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def _can_generate(self) -> bool:
        return self.current_kind() not in NEEDS_TICKET or self.subject.count() > 0

    def _update_enabled(self) -> None:
        needs = self.current_kind() in NEEDS_TICKET
        self.subject.setEnabled(needs and self.subject.count() > 0)
        self.end_day.setEnabled(not needs)
        self.generate_btn.setEnabled(self._can_generate())
        if needs and self.subject.count() == 0:
            self.status.setText(self._no_ticket)
        elif self.status.text() == self._no_ticket:
            self.status.setText(self._open_hint if self.table.rowCount() else self._hint)

    def _on_kind(self) -> None:
        self.subject.clear()
        self.kindChanged.emit(self.current_kind())
        self._update_enabled()

    def _on_generate(self) -> None:
        kind = self.current_kind()
        subject = str(self.subject.currentData() or "") if kind in NEEDS_TICKET else ""
        self.generateRequested.emit(kind, subject, self.end_day.date().toString("yyyy-MM-dd"))

    def selected_path(self) -> str | None:
        items = self.table.selectedItems()
        return str(items[0].data(PATH_ROLE)) if items else None

    def _on_open(self) -> None:
        path = self.selected_path()
        if path:
            self.openRequested.emit(path)
