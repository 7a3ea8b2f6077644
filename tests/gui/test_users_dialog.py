"""用户管理 in the View menu: offered to an admin only; a new crew member added there can sign in and be
dispatched to; one who left is deactivated (greyed, no sign-in, not suggested for tickets); refusals are
shown in the dialog in the window's language and change nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from anran_desktop.ui.loop_menus import open_users
from anran_desktop.ui.main_window import MainWindow, Services


@pytest.fixture
def admin_window(qtbot, demo_db):  # noqa: ANN001
    _path, store, network = demo_db
    w = MainWindow(Services.create(store, network), user="admin")
    qtbot.addWidget(w)
    return w


def _rows(dlg) -> dict[str, list[str]]:  # noqa: ANN001
    t = dlg.table
    return {t.topLevelItem(i).text(0): [t.topLevelItem(i).text(c) for c in range(1, 4)]
            for i in range(t.topLevelItemCount())}


def test_only_an_admin_is_offered_user_management(qtbot, demo_db, admin_window) -> None:  # noqa: ANN001
    _path, store, network = demo_db
    dispatcher = MainWindow(Services.create(store, network), user="dispatcher")
    qtbot.addWidget(dispatcher)
    assert not dispatcher.users_action.isVisible()
    assert admin_window.users_action.isVisible() and admin_window.users_action.text() == "用户管理…"


def test_an_admin_adds_a_crew_member_and_deactivates_one_who_left(qtbot, admin_window) -> None:  # noqa: ANN001
    dlg = open_users(admin_window)
    qtbot.addWidget(dlg)
    assert _rows(dlg)["crew01"] == ["抢修员 01", "抢修员", "在用"]
    assert dlg.add("crew07", "抢修员 07", "crew", "crew07-pass", "crew07-pass")
    assert _rows(dlg)["crew07"] == ["抢修员 07", "抢修员", "在用"] and dlg.selected() == "crew07"
    assert "已新增 crew07（已记入审计日志）" in dlg.result.text()
    users = admin_window.svc.loop.users
    assert users.authenticate("crew07", "crew07-pass") is not None
    # crew02 has left: deactivated from the dialog's button
    item = next(dlg.table.topLevelItem(i) for i in range(dlg.table.topLevelItemCount())
                if dlg.table.topLevelItem(i).text(0) == "crew02")
    dlg.table.setCurrentItem(item)
    assert dlg.active_btn.text() == "停用"
    qtbot.mouseClick(dlg.active_btn, Qt.MouseButton.LeftButton)
    assert _rows(dlg)["crew02"][2] == "已停用" and dlg.active_btn.text() == "启用"
    assert users.authenticate("crew02", "crew02") is None and users.role_of("crew02") == ""
    offered = [s.username for s in admin_window.svc.loop.crew.suggest(None, None)]
    assert "crew07" in offered and "crew02" not in offered  # the dispatcher is offered who is there


def test_refusals_are_shown_and_change_nothing(qtbot, admin_window) -> None:  # noqa: ANN001
    dlg = open_users(admin_window)
    qtbot.addWidget(dlg)
    before = _rows(dlg)
    assert not dlg.add("crew01", "又一个", "crew", "long-enough-1")
    assert "用户名 crew01 已被使用" in dlg.result.text()
    assert not dlg.add("crew09", "某人", "crew", "short", "short")
    assert "密码至少 8 位" in dlg.result.text()
    assert not dlg.add("crew09", "某人", "crew", "long-enough-1", "long-enough-2")
    assert "两次输入的密码不一致" in dlg.result.text()
    assert not dlg.set_active("admin", False)
    assert "不能停用或降级自己的管理员账户" in dlg.result.text()
    assert _rows(dlg) == before


def test_refusals_in_english(qtbot, admin_window, english) -> None:  # noqa: ANN001
    dlg = open_users(admin_window)
    qtbot.addWidget(dlg)
    assert dlg.windowTitle() == "User management"
    header = dlg.table.headerItem()
    assert [header.text(c) for c in range(4)] == ["User name", "Full name", "Role", "Status"]
    assert not dlg.set_role("admin", "crew")
    assert "You cannot deactivate or demote your own admin account" in dlg.result.text()
    assert dlg.reset_password("crew01", "a-new-pass-42")
    assert "Password of crew01 reset: tell them in person (recorded in the audit log)" in dlg.result.text()


def test_a_signed_in_dispatcher_follows_an_admins_change_to_the_account(qtbot, demo_db, monkeypatch) -> None:  # noqa: ANN001
    """Another admin (another workstation, ``anran users``) changes the account of a signed-in user: the
    window stops offering what the new role may not do, and a deactivated account is told so and left
    read-only — before, its buttons stayed and every click was refused."""
    from PySide6.QtWidgets import QMessageBox

    from anran_desktop.services.user_admin import UserAdmin

    _path, store, network = demo_db
    w = MainWindow(Services.create(store, network), user="dispatcher")
    qtbot.addWidget(w)
    card = w.svc.tickets.create(title="燃气味", kind="odor", actor="dispatcher", assignee="crew01")
    w.show_ticket(card.id)
    assert w.feed.create_btn.isVisibleTo(w) and w.ticket_detail.step_buttons
    assert w.loop.check_account() == "dispatcher"  # nothing changed: nothing happens
    admin = UserAdmin(w.svc.loop.users)
    admin.set_role("admin", "dispatcher", "property_manager")
    assert w.loop.check_account() == "property_manager"
    assert w.feed.create_btn.isVisibleTo(w) and w.ticket_detail.step_buttons == {}  # may report, not dispatch
    assert "物业经理" in w.user_label.text() and w.audit_action.isVisible()
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: said.append((title, text)))
    admin.set_active("admin", "dispatcher", False)
    assert w.loop.check_account() == ""
    assert said and said[0][0] == "账户已停用" and "dispatcher" in said[0][1]
    assert "账户已停用（只读）" in w.user_label.text()
    assert not w.audit_action.isVisible() and not w.ticket_detail.assign_btn.isEnabled()
    assert not w.feed.create_btn.isVisibleTo(w)
    w.loop.check_account()
    assert len(said) == 1  # said once, not every 15 s


def test_the_deactivation_notice_in_english(qtbot, demo_db, english, monkeypatch) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QMessageBox

    from anran_desktop.services.user_admin import UserAdmin

    _path, store, network = demo_db
    w = MainWindow(Services.create(store, network), user="crew01")
    qtbot.addWidget(w)
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text: said.append((title, text)))
    UserAdmin(w.svc.loop.users).set_active("admin", "crew01", False)
    w.loop.check_account()
    assert said == [("Account deactivated", said[0][1])] and "deactivated the account crew01" in said[0][1]
    assert w.user_label.text() == "User: crew01 · account deactivated (read-only)"
