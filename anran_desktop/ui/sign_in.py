"""Sign-in at start: username and password checked against the users table; every attempt audited."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from anran_desktop.services.users import ROLE_LABELS, User, UserService


class SignInDialog(QDialog):
    """``exec()`` → Accepted with :attr:`user` set, or Rejected (cancel)."""

    def __init__(self, users: UserService, parent: QWidget | None = None, username: str = "") -> None:
        super().__init__(parent)
        self.users = users
        self.user: User | None = None
        self.setWindowTitle(self.tr("登录 安燃云"))
        self.setMinimumWidth(380)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("<b>请登录</b>（调度员 / 抢修员 / 物业经理 / 管理员）")))
        form = QFormLayout()
        self.username = QComboBox()
        self.username.setEditable(True)
        for u in users.list():
            if u.active:
                self.username.addItem(f"{u.username}", u.username)
        if username:
            self.username.setCurrentText(username)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.role_label = QLabel("")
        self.username.currentTextChanged.connect(self._show_role)
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        form.addRow(self.tr("角色"), self.role_label)
        lay.addLayout(form)
        self.error = QLabel("")
        self.error.setStyleSheet("color:#c62828;")
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("登录"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.try_sign_in)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self._show_role(self.username.currentText())
        self.password.setFocus()

    def _show_role(self, name: str) -> None:
        role = self.users.role_of(name.strip())
        self.role_label.setText(self.tr(ROLE_LABELS[role]) if role in ROLE_LABELS else "—")

    def try_sign_in(self) -> bool:
        name = self.username.currentText().strip()
        user = self.users.authenticate(name, self.password.text())
        self.users.record_sign_in(name, user is not None)
        if user is None:
            self.error.setText(self.tr("用户名或密码不正确（已记入审计日志）"))
            self.password.clear()
            return False
        self.user = user
        self.accept()
        return True


def sign_in(users: UserService, username: str = "") -> User | None:
    """Show the dialog modally; the signed-in user or None when cancelled."""
    dlg = SignInDialog(users, username=username)
    return dlg.user if dlg.exec() == QDialog.DialogCode.Accepted else None
