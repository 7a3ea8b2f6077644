"""The sign-in dialog driven like a user: wrong passwords, the delay, the lock with its local end time,
the lock still there in a new dialog (restart), and a dispatcher's unlock from the View menu."""

from PySide6.QtCore import Qt

from anran_desktop.services.sign_in_guard import LockoutPolicy, SignInGuard
from anran_desktop.services.users import UserService
from anran_desktop.ui.sign_in import SignInDialog

FAST = LockoutPolicy(delay_s=0.2, max_delay_s=0.2)


def _submit(qtbot, dlg, password):
    dlg.password.setText(password)
    qtbot.waitUntil(dlg.ok_button.isEnabled, timeout=5000)
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert dlg.busy and dlg.error.text() == "正在验证…" and not dlg.ok_button.isEnabled()
    qtbot.waitUntil(lambda: not dlg.busy, timeout=15000)
    return dlg.last_result


def test_wrong_passwords_delay_then_lock_and_the_lock_outlives_the_dialog(qtbot, demo_db):
    _path, store, _network = demo_db
    users = UserService(store, SignInGuard(store, FAST))
    dlg = SignInDialog(users, username="crew01")
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.role_label.text() == "抢修员"
    r = _submit(qtbot, dlg, "wrong")
    assert r.status == "bad_credentials" and dlg.user is None
    assert "不正确" in dlg.error.text() and "再失败 4 次" in dlg.error.text()
    assert not dlg.ok_button.isEnabled() and "秒" in dlg.ok_button.text()  # the delay shows on the button
    for _ in range(4):
        r = _submit(qtbot, dlg, "wrong")
    assert r.status == "locked"
    until_local = r.until.astimezone().strftime("%H:%M:%S")
    text = dlg.error.text()
    assert "「crew01」" in text and "已被锁定" in text and until_local in text and "调度员或管理员" in text
    assert not dlg.ok_button.isEnabled() and dlg.ok_button.text() == "已锁定"
    dlg.grab().save("/tmp/c/sign_in_locked.png")

    again = SignInDialog(UserService(store, SignInGuard(store, FAST)), username="crew01")  # as after a restart
    qtbot.addWidget(again)
    assert "已被锁定" in again.error.text() and until_local in again.error.text()
    assert not again.ok_button.isEnabled()
    again.username.setCurrentText("crew02")  # another name is not locked (only the short cross-name delay)
    assert again.error.text() == ""
    qtbot.waitUntil(again.ok_button.isEnabled, timeout=3000)
    assert _submit(qtbot, again, "crew02").ok and again.user.username == "crew02"
    with store.read() as c:
        rows = c.exec_driver_sql("SELECT actor, action FROM audit_log WHERE entity_id='crew01' "
                                 "AND action LIKE 'user.%' ORDER BY id").fetchall()
    assert [a for _, a in rows].count("user.sign_in_failed") == 5 and ("system", "user.locked") in rows


def test_dispatcher_unlocks_from_the_view_menu_and_crew_is_not_offered_it(qtbot, demo_db):
    from anran_desktop.ui.loop_menus import open_unlock
    from anran_desktop.ui.main_window import MainWindow, Services

    _path, store, network = demo_db
    users = UserService(store)
    for _ in range(5):
        users.guard.record("crew01", None)  # five audited failures, as the dialog would write
    assert users.guard.state("crew01").locked
    crew = MainWindow(Services.create(store, network), user="crew02")
    qtbot.addWidget(crew)
    assert not crew.unlock_action.isVisible()
    w = MainWindow(Services.create(store, network), user="dispatcher")
    qtbot.addWidget(w)
    assert w.unlock_action.isVisible() and w.unlock_action.text() == "账户锁定与解锁…"
    dlg = open_unlock(w)
    assert dlg.table.topLevelItemCount() == 1 and dlg.table.topLevelItem(0).text(0) == "crew01"
    qtbot.mouseClick(dlg.unlock_btn, Qt.MouseButton.LeftButton)
    assert "已解锁「crew01」" in dlg.result.text() and dlg.table.topLevelItemCount() == 0
    assert not users.guard.state("crew01").locked
    with store.read() as c:
        last = c.exec_driver_sql("SELECT actor, action FROM audit_log WHERE action='user.unlock'").fetchall()
    assert last == [("dispatcher", "user.unlock")]
