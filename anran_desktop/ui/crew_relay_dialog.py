"""中继设置 — the crew member's relay sign-in on a crew laptop (relay URL, user, password, 测试连接).

Where it is stored: ``services/crew_credentials.py`` (URL and user as settings, the password in a mode-600
file named by the ``crew_password_file`` setting, never in the database). 测试连接 signs in and reads
my tickets on a worker thread; 保存 stores and hands the new sign-in to the running crew sync.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from anran_desktop.services import crew_credentials as cc
from anran_desktop.store import Store


class CrewRelayDialog(QDialog):
    def __init__(self, store: Store, signed_in: str, parent: QWidget | None = None, *,
                 directory: Path | None = None, on_saved: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.store, self._dir, self._on_saved = store, directory, on_saved
        self.setWindowTitle(self.tr("中继设置"))
        self.setStyleSheet("QLineEdit,QPushButton,QLabel{font-size:18px;} QPushButton{min-height:48px;}")
        self.url = QLineEdit(store.setting("relay_url") or "")
        self.url.setPlaceholderText("https://relay.example.cn")
        self.user = QLineEdit(cc.relay_user(store, signed_in))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        if store.setting(cc.PASSWORD_FILE_SETTING):
            self.password.setPlaceholderText(self.tr("已保存（留空则不变）"))
        form = QFormLayout()
        form.addRow(self.tr("中继地址"), self.url)
        form.addRow(self.tr("中继用户"), self.user)
        form.addRow(self.tr("密码"), self.password)
        self.test_btn = QPushButton(self.tr("测试连接"))
        self.test_btn.clicked.connect(self.test)
        self.result = QLabel("")
        self.result.setWordWrap(True)
        self.where = QLabel(self.tr("密码只保存在本机用户目录的受保护文件中（仅本人可读），不写入数据库。"))
        self.where.setWordWrap(True)
        self.where.setStyleSheet("font-size:14px;color:#546e7a;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.test_btn)
        lay.addWidget(self.result)
        lay.addWidget(self.where)
        lay.addWidget(buttons)
        self.resize(620, 380)

    def _creds(self) -> cc.CrewCredentials | None:
        pw = self.password.text()
        if not pw and self.store.setting(cc.PASSWORD_FILE_SETTING):
            from anran_desktop.ui.crew_sync import crew_password

            try:
                pw = crew_password(self.store) or ""
            except (OSError, ValueError) as exc:
                self._show(self.tr("已保存的密码无法读取：") + str(exc), False)
                return None
        try:
            return cc.check(self.url.text(), self.user.text(), pw)
        except ValueError as exc:
            self._show(str(exc), False)
            return None

    def _show(self, text: str, ok: bool) -> None:
        self.result.setText(text)
        self.result.setStyleSheet("color:#2e7d32;" if ok else "color:#c62828;")

    def test(self) -> None:
        creds = self._creds()
        if creds is None:
            return
        from anran_desktop.ui.workers import run_in_worker

        self.test_btn.setEnabled(False)
        self._show(self.tr("正在连接…"), True)

        def done(n: int) -> None:
            self.test_btn.setEnabled(True)
            self._show(self.tr("连接成功：{user} 在中继上有 {n} 张工单").format(user=creds.user, n=n), True)

        def failed(msg: str) -> None:
            self.test_btn.setEnabled(True)
            self._show(self.tr("连接失败：") + msg.split("\n", 1)[0][:200], False)

        run_in_worker(lambda: asyncio.run(cc.try_connection(creds)), on_done=done, on_error=failed)

    def save(self) -> None:
        creds = self._creds()
        if creds is None:
            return
        try:
            cc.save(self.store, creds, self._dir)
        except OSError as exc:
            self._show(self.tr("无法保存密码文件：") + str(exc), False)
            return
        if self._on_saved is not None:
            self._on_saved()
        self.accept()
