"""用户管理 (admin only): the site's accounts, and adding, renaming, re-roling, resetting and deactivating
them (``services/user_admin.py`` holds the rules; every change is audited). A refusal is shown in the
dialog in the interface language; nothing is changed then."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from anran_desktop.services.user_admin import MIN_PASSWORD, AccountError, UserAdmin
from anran_desktop.services.users import ROLE_LABELS, ROLES, User

#: refusals by code (``services/user_admin.py``), worded with their figures
REFUSALS = {
    "not_allowed": QT_TRANSLATE_NOOP("UsersDialog", "只有管理员可以管理账户"),
    "unknown_user": QT_TRANSLATE_NOOP("UsersDialog", "没有账户 {name}"),
    "username_invalid": QT_TRANSLATE_NOOP("UsersDialog", "用户名 {name} 须为 2–32 位字母、数字、_ . -"),
    "username_taken": QT_TRANSLATE_NOOP("UsersDialog", "用户名 {name} 已被使用（停用的账户也保留其用户名）"),
    "name_empty": QT_TRANSLATE_NOOP("UsersDialog", "请填写姓名"),
    "role_unknown": QT_TRANSLATE_NOOP("UsersDialog", "未知角色 {role}"),
    "password_short": QT_TRANSLATE_NOOP("UsersDialog", "密码至少 {n} 位"),
    "self": QT_TRANSLATE_NOOP("UsersDialog", "不能停用或降级自己的管理员账户"),
    "last_admin": QT_TRANSLATE_NOOP("UsersDialog", "{name} 是最后一个在用的管理员，不能停用或降级"),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("UsersDialog", text)


def refusal_text(exc: AccountError) -> str:
    """The refusal in the interface language (its English message for a code this version lacks)."""
    return _tr(REFUSALS[exc.code]).format(**exc.params) if exc.code in REFUSALS else str(exc)


def role_text(role: str) -> str:
    return QCoreApplication.translate("LoopController", ROLE_LABELS.get(role, role))


class AccountForm(QDialog):
    """Username, name, role and password (twice) of a new account."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("新增用户"))
        form = QFormLayout(self)
        self.username, self.name = QLineEdit(), QLineEdit()
        self.role = QComboBox()
        for r in ROLES:
            self.role.addItem(role_text(r), r)
        self.password, self.again = QLineEdit(), QLineEdit()
        for w in (self.password, self.again):
            w.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_tr("至少 {n} 位").format(n=MIN_PASSWORD))
        form.addRow(_tr("用户名"), self.username)
        form.addRow(_tr("姓名"), self.name)
        form.addRow(_tr("角色"), self.role)
        form.addRow(_tr("密码"), self.password)
        form.addRow(_tr("再输一次"), self.again)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class UsersDialog(QDialog):
    def __init__(self, admin: UserAdmin, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.admin, self.actor = admin, actor
        self.setWindowTitle(_tr("用户管理"))
        self.resize(640, 400)
        lay = QVBoxLayout(self)
        self.table = QTreeWidget()
        self.table.setRootIsDecorated(False)
        self.table.setHeaderLabels([_tr("用户名"), _tr("姓名"), _tr("角色"), _tr("状态")])
        self.table.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.currentItemChanged.connect(lambda *_: self._buttons())
        lay.addWidget(self.table)
        row = QHBoxLayout()
        self.add_btn = QPushButton(_tr("新增用户…"))
        self.rename_btn = QPushButton(_tr("改姓名…"))
        self.role_btn = QPushButton(_tr("改角色…"))
        self.password_btn = QPushButton(_tr("重置密码…"))
        self.active_btn = QPushButton(_tr("停用"))
        for b, slot in ((self.add_btn, self.ask_add), (self.rename_btn, self.ask_rename),
                        (self.role_btn, self.ask_role), (self.password_btn, self.ask_password),
                        (self.active_btn, self.toggle_active)):
            b.setMinimumHeight(32)
            b.clicked.connect(slot)
            row.addWidget(b)
        lay.addLayout(row)
        self.result = QLabel(_tr("账户不会被删除：离职人员请停用，其工单与审计记录保留原名。"))
        self.result.setWordWrap(True)
        lay.addWidget(self.result)
        self.reload()

    # -- view ------------------------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        current = select or self.selected()
        self.table.clear()
        for u in self.admin.users.list():
            item = QTreeWidgetItem(self.table, [u.username, u.display_name, role_text(u.role),
                                                _tr("在用") if u.active else _tr("已停用")])
            item.setData(0, Qt.ItemDataRole.UserRole, u.username)
            if not u.active:
                for col in range(4):
                    item.setForeground(col, Qt.GlobalColor.gray)
            if u.username == current:
                self.table.setCurrentItem(item)
        if self.table.currentItem() is None and self.table.topLevelItemCount():
            self.table.setCurrentItem(self.table.topLevelItem(0))
        self._buttons()

    def selected(self) -> str | None:
        item = self.table.currentItem()
        return None if item is None else str(item.data(0, Qt.ItemDataRole.UserRole))

    def _user(self) -> User | None:
        name = self.selected()
        return None if name is None else next((u for u in self.admin.users.list() if u.username == name), None)

    def _buttons(self) -> None:
        u = self._user()
        for b in (self.rename_btn, self.role_btn, self.password_btn, self.active_btn):
            b.setEnabled(u is not None)
        self.active_btn.setText(_tr("启用") if u is not None and not u.active else _tr("停用"))

    def _run(self, done: str, fn, *args) -> bool:  # noqa: ANN001
        """Run one change; say what was done (audited) or why it was refused."""
        try:
            fn(self.actor, *args)
        except AccountError as exc:
            self.result.setText(f"<span style='color:#c62828'>{refusal_text(exc)}</span>")
            return False
        self.result.setText(done + _tr("（已记入审计日志）"))
        self.reload(args[0] if args else None)
        return True

    # -- changes (the ask_* slots prompt, the others take the values: tests call them) --------------------
    def add(self, username: str, name: str, role: str, password: str, again: str | None = None) -> bool:
        if again is not None and again != password:
            self.result.setText(f"<span style='color:#c62828'>{_tr('两次输入的密码不一致')}</span>")
            return False
        username = username.strip()
        return self._run(_tr("已新增 {name}").format(name=username), self.admin.add, username, name, role, password)

    def rename(self, username: str, name: str) -> bool:
        return self._run(_tr("已更改 {name} 的姓名").format(name=username), self.admin.rename, username, name)

    def set_role(self, username: str, role: str) -> bool:
        return self._run(_tr("{name} 的角色改为 {role}").format(name=username, role=role_text(role)),
                         self.admin.set_role, username, role)

    def reset_password(self, username: str, password: str) -> bool:
        return self._run(_tr("已重置 {name} 的密码，请当面告知本人").format(name=username),
                         self.admin.reset_password, username, password)

    def set_active(self, username: str, active: bool) -> bool:
        done = _tr("已启用 {name}") if active else _tr("已停用 {name}：不能再登录，也不会被派单")
        return self._run(done.format(name=username), self.admin.set_active, username, active)

    def ask_add(self) -> None:
        form = AccountForm(self)
        if form.exec() == QDialog.DialogCode.Accepted:
            self.add(form.username.text(), form.name.text(), str(form.role.currentData()), form.password.text(),
                     form.again.text())

    def ask_rename(self) -> None:
        u = self._user()
        if u is None:
            return
        name, ok = QInputDialog.getText(self, _tr("改姓名"), _tr("{name} 的姓名").format(name=u.username),
                                        text=u.display_name)
        if ok:
            self.rename(u.username, name)

    def ask_role(self) -> None:
        u = self._user()
        if u is None:
            return
        labels = [role_text(r) for r in ROLES]
        label, ok = QInputDialog.getItem(self, _tr("改角色"), _tr("{name} 的角色").format(name=u.username), labels,
                                         ROLES.index(u.role) if u.role in ROLES else 0, False)
        if ok:
            self.set_role(u.username, ROLES[labels.index(label)])

    def ask_password(self) -> None:
        u = self._user()
        if u is None:
            return
        pw, ok = QInputDialog.getText(self, _tr("重置密码"), _tr("{name} 的新密码（至少 {n} 位）").format(
            name=u.username, n=MIN_PASSWORD), QLineEdit.EchoMode.Password)
        if not ok:
            return
        again, ok = QInputDialog.getText(self, _tr("重置密码"), _tr("再输一次"), QLineEdit.EchoMode.Password)
        if not ok:
            return
        if again != pw:
            self.result.setText(f"<span style='color:#c62828'>{_tr('两次输入的密码不一致')}</span>")
            return
        self.reset_password(u.username, pw)

    def toggle_active(self) -> None:
        u = self._user()
        if u is not None:
            self.set_active(u.username, not u.active)
