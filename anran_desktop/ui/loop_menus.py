"""Hook the emergency loop into the main window with a few lines: controller, signed-in user in the
status bar, View-menu entries for crew mode, the audit log, account unlock and user management (offered only
to roles that may use them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel

from anran_desktop.services.users import ROLE_LABELS
from anran_desktop.ui.loop_controller import LoopController
from anran_desktop.workflow.permissions import can

if TYPE_CHECKING:
    from anran_desktop.ui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("LoopController", text)


def install_loop(window: MainWindow) -> LoopController:
    window.loop = LoopController(window)
    window.user_label = QLabel()
    window.statusBar().addWidget(window.user_label)
    v = window.view_menu
    v.addSeparator()
    crew = v.addAction(_tr("抢修模式（大按钮·触屏）"))
    crew.setShortcut(QKeySequence("Ctrl+Shift+K"))
    crew.triggered.connect(lambda: open_crew_mode(window))
    window.crew_mode_action = crew
    audit = v.addAction(_tr("审计日志与校验…"))
    audit.triggered.connect(lambda: open_audit(window))
    window.audit_action = audit
    unlock = v.addAction(_tr("账户锁定与解锁…"))
    unlock.triggered.connect(lambda: open_unlock(window))
    window.unlock_action = unlock
    users = v.addAction(_tr("用户管理…"))
    users.triggered.connect(lambda: open_users(window))
    window.users_action = users
    apply_role(window, window.loop.role)
    return window.loop


def apply_role(window: MainWindow, role: str) -> None:
    """Offer what ``role`` may do: the status-bar name, the alarm card's create button, the View-menu
    entries. Called at sign-in and again when an admin changes or deactivates the account meanwhile."""
    if role in ROLE_LABELS:
        text = _tr("用户：") + f"{window.user} · " + _tr(ROLE_LABELS[role])
    elif window.loop.deactivated:
        text = _tr("用户：") + f"{window.user} · " + _tr("账户已停用（只读）")
    else:
        text = _tr("用户：") + f"{window.user} · " + _tr("未登录/未知用户（只读）")
    window.user_label.setText(text)
    window.feed.set_can_create(can(role, "ticket.create"))
    window.feed.set_can_dismiss(can(role, "alarm.dismiss"))
    window.audit_action.setVisible(can(role, "audit.verify"))
    window.unlock_action.setVisible(can(role, "user.unlock"))
    window.users_action.setVisible(can(role, "user.manage"))
    window.backup_action.setVisible(can(role, "store.backup"))
    window.auto_backup_action.setVisible(can(role, "store.backup"))
    window.restore_action.setVisible(can(role, "store.restore"))


def open_audit(window: MainWindow):  # noqa: ANN201
    from anran_desktop.ui.audit_dialog import AuditDialog

    dlg = AuditDialog(window.svc.loop.audit, window)
    dlg.show()
    window._audit_dialog = dlg
    return dlg


def open_unlock(window: MainWindow):  # noqa: ANN201
    from anran_desktop.ui.unlock_dialog import UnlockDialog

    dlg = UnlockDialog(window.svc.loop.users, window.user, window)
    dlg.show()
    window._unlock_dialog = dlg
    return dlg


def open_users(window: MainWindow):  # noqa: ANN201
    from anran_desktop.services.user_admin import UserAdmin
    from anran_desktop.ui.users_dialog import UsersDialog

    dlg = UsersDialog(UserAdmin(window.svc.loop.users), window.user, window)
    dlg.show()
    window._users_dialog = dlg
    return dlg


def open_crew_mode(window: MainWindow):  # noqa: ANN201
    from anran_desktop.ui.crew_mode import CrewModeWindow

    if getattr(window, "crew_window", None) is None:
        window.crew_window = CrewModeWindow(window)
    window.crew_window.showMaximized()
    window.crew_window.refresh()
    return window.crew_window
