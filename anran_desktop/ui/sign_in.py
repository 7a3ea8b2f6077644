"""Sign-in at start: the password is checked off the GUI thread under the lockout and rate limit of
:mod:`anran_desktop.services.sign_in_guard`; the dialog says why an attempt is refused and until when."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer
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

from anran_desktop.services.sign_in_guard import SignInResult
from anran_desktop.services.users import ROLE_LABELS, User, UserService
from anran_desktop.ui.workers import run_in_worker


def _local(t: dt.datetime) -> str:
    """A UTC instant as local wall time; the date only when it is not today."""
    loc = t.astimezone()
    return loc.strftime("%H:%M:%S") if loc.date() == dt.datetime.now().astimezone().date() \
        else loc.strftime("%Y-%m-%d %H:%M:%S")


class SignInDialog(QDialog):
    """``exec()`` → Accepted with :attr:`user` set, or Rejected (cancel).

    :meth:`try_sign_in` starts the check in a worker thread; :attr:`busy` is True until
    :meth:`_on_result` has shown the outcome (:attr:`last_result`).
    """

    def __init__(self, users: UserService, parent: QWidget | None = None, username: str = "") -> None:
        super().__init__(parent)
        self.users = users
        self.user: User | None = None
        self.busy = False
        self.last_result: SignInResult | None = None
        self._wait_until: dt.datetime | None = None
        self.setWindowTitle(self.tr("登录 安燃云"))
        self.setMinimumWidth(420)
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
        self.username.currentTextChanged.connect(self._name_changed)
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        form.addRow(self.tr("角色"), self.role_label)
        lay.addLayout(form)
        self.error = QLabel("")
        self.error.setStyleSheet("color:#c62828;")
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("登录"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.try_sign_in)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self._tick = QTimer(self)
        self._tick.setInterval(500)
        self._tick.timeout.connect(self._update_wait)
        self._name_changed(self.username.currentText())
        self.password.setFocus()

    def _say(self, text: str, color: str = "#c62828") -> None:
        """Show a message under the form; the dialog grows so a wrapped message is never cut off."""
        self.error.setStyleSheet(f"color:{color};")
        self.error.setText(text)
        if self.isVisible():
            lay = self.layout()
            lay.activate()
            need = lay.totalHeightForWidth(self.width()) if lay.hasHeightForWidth() else self.sizeHint().height()
            if need > self.height():
                self.resize(self.width(), need)

    def _name_changed(self, name: str) -> None:
        name = name.strip()
        role = self.users.role_of(name)
        self.role_label.setText(self.tr(ROLE_LABELS[role]) if role in ROLE_LABELS else "—")
        st = self.users.guard.state(name) if name else None
        if st is not None and st.locked_until is not None:
            self._show_locked(name, st.locked_until)
        elif not self.busy:
            self._say("")
            self._wait(st.retry_at if st is not None else None)  # the delay after failures, on the button

    def try_sign_in(self) -> bool:
        """Start checking the entered name and password; False if a check is already running."""
        if self.busy:
            return False
        self.busy = True
        self.ok_button.setEnabled(False)
        self._say(self.tr("正在验证…"), "#455a64")
        name, password = self.username.currentText().strip(), self.password.text()
        self.password.clear()
        run_in_worker(self.users.sign_in, name, password, on_done=lambda r: self._on_result(name, r),
                      on_error=self._on_error)
        return True

    def _on_error(self, message: str) -> None:
        self.busy = False
        self.ok_button.setEnabled(True)
        self._say(self.tr("登录检查失败：%1").replace("%1", message.splitlines()[0]))

    def _on_result(self, name: str, result: SignInResult) -> None:
        self.busy = False
        self.last_result = result
        if result.ok:
            self.user = result.user  # type: ignore[assignment]
            self.accept()
            return
        if result.status == "locked":
            self._show_locked(name, result.until)
        elif result.status == "throttled":
            self._say(self.tr("尝试过于频繁：请在 %1 之后再试（已记入审计日志）").replace("%1", _local(result.until)))
            self._wait(result.until)
        else:
            self._say(self.tr("用户名或密码不正确（已记入审计日志）。再失败 %1 次，该账户将被锁定。")
                      .replace("%1", str(result.remaining)))
            self._wait(result.until)
        self.password.setFocus()

    def _show_locked(self, name: str, until: dt.datetime | None) -> None:
        policy = self.users.guard.policy
        self._say(self.tr("账户「%1」因 %2 分钟内连续 %3 次登录失败已被锁定，将于 %4（本地时间）自动解锁。"
                          "如需提前解锁，请联系调度员或管理员。")
                  .replace("%1", name).replace("%2", str(round(policy.window_s / 60)))
                  .replace("%3", str(policy.max_failures)).replace("%4", _local(until) if until else "?"))
        self._wait(until)

    def _wait(self, until: dt.datetime | None) -> None:
        """Keep the sign-in button off until ``until`` (the delay or the lock), with a countdown on it."""
        self._wait_until = until
        if until is None:
            self._tick.stop()
        else:
            self._tick.start()
        self._update_wait()

    def _update_wait(self) -> None:
        left = (self._wait_until - dt.datetime.now(dt.UTC)).total_seconds() if self._wait_until else 0.0
        if left <= 0:
            self._tick.stop()
            self._wait_until = None
            self.ok_button.setText(self.tr("登录"))
            self.ok_button.setEnabled(not self.busy)
            return
        self.ok_button.setEnabled(False)
        self.ok_button.setText(self.tr("登录（%1 秒）").replace("%1", str(int(left) + 1)) if left < 120
                               else self.tr("已锁定"))


def sign_in(users: UserService, username: str = "") -> User | None:
    """Show the dialog modally; the signed-in user or None when cancelled."""
    dlg = SignInDialog(users, username=username)
    return dlg.user if dlg.exec() == QDialog.DialogCode.Accepted else None
