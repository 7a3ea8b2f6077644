"""文件 → 备份数据库与证据…: the backup runs off the interface thread, is a verified zip, and is offered only to
the roles that may take the site's records away."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import QMessageBox

from anran_desktop.store.backup import default_name, verify_backup
from anran_desktop.ui.backup_action import start_backup
from anran_desktop.ui.loop_menus import apply_role


def test_a_backup_from_the_window_is_a_verified_zip_and_the_status_bar_says_so(window, qtbot, tmp_path) -> None:
    out = tmp_path / "site-backup.zip"
    start_backup(window, str(out))
    qtbot.waitUntil(lambda: "备份已保存" in window.statusBar().currentMessage(), timeout=30_000)
    assert str(out) in window.statusBar().currentMessage()
    assert verify_backup(out).schema  # the window's own database, checked


def test_a_backup_that_cannot_be_written_says_why(window, qtbot, tmp_path, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: shown.append(a[2]))
    start_backup(window, str(tmp_path / "no such folder" / "b.zip"))
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    assert shown == [f"{tmp_path / 'no such folder'}: no such folder"]  # the reason, without a traceback
    assert window.statusBar().currentMessage() == "备份失败"


def test_only_dispatchers_and_admins_are_offered_the_backup(window) -> None:
    for role, offered in (("dispatcher", True), ("admin", True), ("crew", False), ("property_manager", False)):
        apply_role(window, role)
        assert window.backup_action.isVisible() is offered, role
        assert window.auto_backup_action.isVisible() is offered, role


def test_the_suggested_name_says_site_and_time_and_is_a_valid_file_name() -> None:
    when = datetime(2026, 12, 4, 11, 30)
    assert default_name("星海花园", when) == "安燃云备份-星海花园-20261204-1130.zip"
    assert default_name('A/B:园区"1"', when) == "安燃云备份-AB园区1-20261204-1130.zip"
    assert default_name("", when) == "安燃云备份-20261204-1130.zip"


def test_the_backup_menu_reads_in_english(english, window) -> None:
    from anran_desktop.ui.backup_action import _tr

    assert _tr("备份数据库与证据…") == "Back up database and evidence…"
    assert _tr("备份已保存：{path}（数据库 {mb:.1f} MB，证据照片 {n} 个）").startswith("Backup saved: {path}")


def test_the_nightly_backup_runs_when_due_and_not_twice(window, qtbot, tmp_path) -> None:
    from anran_desktop.services.auto_backup import AutoBackupConfig, save_config

    folder = tmp_path / "nightly"
    folder.mkdir()
    auto = window.auto_backup
    assert auto.check(datetime(2026, 12, 4, 3, 0)) is False  # not configured: off
    save_config(window.svc.store, AutoBackupConfig(str(folder), keep=5, hour=2), "admin")
    assert auto.check(datetime(2026, 12, 4, 1, 0)) is False  # before its hour
    assert auto.check(datetime.now().replace(hour=23)) is True
    assert auto.check(datetime.now().replace(hour=23)) is False  # one at a time
    qtbot.waitUntil(lambda: not auto.busy, timeout=30_000)
    assert "自动备份已保存" in window.statusBar().currentMessage()
    (made,) = folder.iterdir()
    assert verify_backup(made).schema
    assert auto.check(datetime.now().replace(hour=23)) is False  # today's is there


def test_a_failed_nightly_backup_says_so_without_a_dialog_and_waits_an_hour(window, qtbot, tmp_path,
                                                                            monkeypatch) -> None:
    from anran_desktop.services.auto_backup import AutoBackupConfig, save_config

    dialogs: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *a, **k: dialogs.append(a[2]))
    folder = tmp_path / "gone"
    folder.mkdir()
    save_config(window.svc.store, AutoBackupConfig(str(folder), keep=5, hour=0), "admin")
    folder.rmdir()  # the backup drive was unplugged
    auto = window.auto_backup
    assert auto.check() is True
    qtbot.waitUntil(lambda: not auto.busy, timeout=30_000)
    assert "自动备份失败" in window.statusBar().currentMessage() and "no such folder" in window.statusBar().currentMessage()
    assert dialogs == [] and auto.check() is False  # retried in an hour, not every ten minutes


def test_the_settings_dialog_refuses_a_missing_folder_and_saves_a_real_one(window, tmp_path) -> None:
    from anran_desktop.services.auto_backup import load_config
    from anran_desktop.ui.auto_backup_view import AutoBackupDialog

    dlg = AutoBackupDialog(window)
    assert not dlg.enabled.isChecked() and dlg.keep.value() == 14 and dlg.hour.value() == 2
    dlg.enabled.setChecked(True)
    dlg.folder.setText(str(tmp_path / "nowhere"))
    assert dlg.save() is False and "nowhere" in dlg.error.text() and load_config(window.svc.store) is None
    dlg.folder.setText(str(tmp_path))
    dlg.keep.setValue(30)
    assert dlg.save() is True
    assert load_config(window.svc.store).keep == 30
    again = AutoBackupDialog(window)
    assert again.enabled.isChecked() and again.folder.text() == str(tmp_path)
    again.enabled.setChecked(False)
    assert again.save() is True and load_config(window.svc.store) is None


def test_the_nightly_check_lists_the_backup_folder_only_on_a_worker_and_keeps_a_backup_already_there(
        window, qtbot, tmp_path, monkeypatch) -> None:
    import threading

    from anran_desktop.services import auto_backup as service
    from anran_desktop.services.auto_backup import AutoBackupConfig, save_config
    from anran_desktop.store.backup import backup_into

    folder = tmp_path / "share"  # a network share may take seconds to list
    folder.mkdir()
    save_config(window.svc.store, AutoBackupConfig(str(folder), keep=5, hour=0), "admin")
    backup_into(window.svc.store.path, None, folder, 5)  # today's, taken by a scheduled task
    listed_on: list[bool] = []
    real = service.site_backups
    monkeypatch.setattr(service, "site_backups", lambda *a: listed_on.append(
        threading.current_thread() is threading.main_thread()) or real(*a))
    auto = window.auto_backup
    assert auto.check() is True  # a worker looks
    qtbot.waitUntil(lambda: not auto.busy, timeout=30_000)
    assert listed_on == [False] and len(list(folder.iterdir())) == 1  # not on the interface thread; no second one
    assert auto.check() is False and listed_on == [False]  # known for today: the folder is not listed again


def test_the_settings_dialog_reads_the_last_backup_on_a_worker(window, qtbot, tmp_path, monkeypatch) -> None:
    import threading

    from anran_desktop.services import auto_backup as service
    from anran_desktop.services.auto_backup import AutoBackupConfig, save_config
    from anran_desktop.store.backup import backup_into
    from anran_desktop.ui.auto_backup_view import AutoBackupDialog

    folder = tmp_path / "share"  # a network share may take seconds to list
    folder.mkdir()
    save_config(window.svc.store, AutoBackupConfig(str(folder), keep=5, hour=0), "admin")
    backup_into(window.svc.store.path, None, folder, 5)
    listed_on: list[bool] = []
    real = service.site_backups
    monkeypatch.setattr(service, "site_backups", lambda *a: listed_on.append(
        threading.current_thread() is threading.main_thread()) or real(*a))
    dlg = AutoBackupDialog(window)
    assert dlg.last.text() == "正在查看…"  # the dialog is there at once
    qtbot.waitUntil(lambda: dlg.last.text() != "正在查看…", timeout=30_000)
    assert listed_on == [False]
    assert dlg.last.text()[:4].isdigit() and len(dlg.last.text()) == len("2026-12-08 02:00")
