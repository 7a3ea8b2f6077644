"""The audit log on screen: who did what when, and a button that verifies the hash chain."""

from __future__ import annotations

import json

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

from anran_desktop.services.audit import AuditService
from widgets.timefmt import local_time


class AuditDialog(QDialog):
    def __init__(self, audit: AuditService, parent: QWidget | None = None, limit: int = 500) -> None:
        super().__init__(parent)
        self.audit = audit
        self.limit = limit
        self.setWindowTitle(self.tr("审计日志"))
        self.resize(980, 560)
        lay = QVBoxLayout(self)
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels([self.tr("序号"), self.tr("时间"), self.tr("操作人"), self.tr("动作"),
                                    self.tr("对象"), self.tr("内容")])
        h = self.table.header()
        for col in range(5):
            h.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        h.setStretchLastSection(True)
        lay.addWidget(self.table)
        row = QHBoxLayout()
        self.verify_btn = QPushButton(self.tr("校验哈希链"))
        self.verify_btn.setMinimumHeight(32)
        self.verify_btn.clicked.connect(self.verify)
        self.result = QLabel(self.tr("尚未校验"))
        self.result.setWordWrap(True)
        row.addWidget(self.verify_btn)
        row.addWidget(self.result, 1)
        lay.addLayout(row)
        self.reload()

    def reload(self) -> None:
        self.table.clear()
        for e in self.audit.recent(self.limit):
            entity = f"{e.entity}:{e.entity_id}" if e.entity_id else e.entity
            QTreeWidgetItem(self.table, [str(e.id), local_time(e.time), e.actor, e.action, entity,
                                         json.dumps(e.detail, ensure_ascii=False) if e.detail else ""])

    def verify(self) -> bool:
        check = self.audit.verify()
        if check.ok:
            self.result.setText(self.tr("哈希链完整：共 {n} 条记录，未发现篡改。").replace("{n}", str(check.rows)))
            self.result.setStyleSheet("color:#2e7d32;font-weight:bold;")
        else:
            self.result.setText(self.tr("哈希链断裂：第 {id} 条记录被修改、删除或调换了顺序！")
                                .replace("{id}", str(check.first_bad_id)))
            self.result.setStyleSheet("color:#c62828;font-weight:bold;")
        return check.ok
