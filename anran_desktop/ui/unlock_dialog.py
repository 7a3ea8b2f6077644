"""Locked sign-in accounts and their unlock (dispatcher/admin; every unlock is audited)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from anran_desktop.services.sign_in_guard import iso
from anran_desktop.services.users import UserService
from widgets.timefmt import local_time


class UnlockDialog(QDialog):
    def __init__(self, users: UserService, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.users, self.actor = users, actor
        self.setWindowTitle(self.tr("账户锁定与解锁"))
        self.resize(520, 320)
        lay = QVBoxLayout(self)
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels([self.tr("用户名"), self.tr("锁定至（本地时间）")])
        self.table.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.table)
        row = QHBoxLayout()
        self.unlock_btn = QPushButton(self.tr("解锁所选账户"))
        self.unlock_btn.setMinimumHeight(32)
        self.unlock_btn.clicked.connect(self.unlock_selected)
        self.result = QLabel("")
        self.result.setWordWrap(True)
        row.addWidget(self.unlock_btn)
        row.addWidget(self.result, 1)
        lay.addLayout(row)
        self.reload()

    def reload(self) -> None:
        self.table.clear()
        for name, until in self.users.guard.locked_names():
            QTreeWidgetItem(self.table, [name, local_time(iso(until))])
        empty = self.table.topLevelItemCount() == 0
        self.unlock_btn.setEnabled(not empty)
        if empty and not self.result.text():
            self.result.setText(self.tr("当前没有被锁定的账户"))
        if not empty:
            self.table.setCurrentItem(self.table.topLevelItem(0))

    def unlock_selected(self) -> bool:
        item = self.table.currentItem()
        if item is None:
            return False
        name = item.text(0)
        try:
            done = self.users.unlock(name, actor=self.actor)
        except PermissionError:
            self.result.setText(self.tr("只有调度员或管理员可以解锁账户"))
            return False
        self.result.setText(self.tr("已解锁「%1」（已记入审计日志）").replace("%1", name) if done
                            else self.tr("「%1」已不再锁定").replace("%1", name))
        self.reload()
        return done
