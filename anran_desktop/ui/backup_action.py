"""文件 → 备份数据库与证据…: the site's database and evidence photos into one zip, from the desktop.

The copy is SQLite's consistent backup (the live feed, the leak watch and sync go on writing meanwhile) and
runs on a worker thread: a large site's database takes seconds. Offered to roles with ``store.backup``
(the zip holds residents' data too). Restoring is ``anran restore`` with the window closed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from anran_desktop.store.backup import default_name
from anran_desktop.ui.workers import run_in_worker

if TYPE_CHECKING:
    from anran_desktop.ui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("BackupAction", text)


def add_backup_action(window: MainWindow, menu: QMenu) -> QAction:
    """文件 → 备份数据库与证据… and 自动备份设置… (``window.auto_backup_action``); starts the nightly check
    (``window.auto_backup``). Returns the first."""
    from anran_desktop.ui.auto_backup_view import AutoBackup, open_auto_backup_dialog

    action = menu.addAction(_tr("备份数据库与证据…"))
    action.triggered.connect(lambda: backup_dialog(window))
    window.auto_backup_action = menu.addAction(_tr("自动备份设置…"))
    window.auto_backup_action.triggered.connect(lambda: open_auto_backup_dialog(window))
    window.auto_backup = AutoBackup(window)
    return action


def backup_dialog(window: MainWindow) -> None:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    suggested = str(Path(folder) / default_name(window.view.site.get("name", "")))
    path, _ = QFileDialog.getSaveFileName(window, _tr("备份数据库与证据"), suggested, _tr("备份 (*.zip)"))
    if path:
        start_backup(window, path if path.lower().endswith(".zip") else path + ".zip")


def start_backup(window: MainWindow, path: str) -> None:
    """Write the backup to ``path`` on a worker; the status bar says when it is done, a dialog if it failed."""
    from anran_desktop.store.backup import write_backup

    window.statusBar().showMessage(_tr("正在备份数据库与证据…"))
    evidence = window.svc.loop.evidence.evidence_root
    run_in_worker(write_backup, window.svc.store.path, evidence, path,
                  on_done=lambda s: window.statusBar().showMessage(
                      _tr("备份已保存：{path}（数据库 {mb:.1f} MB，证据照片 {n} 个）").format(
                          path=s.path, mb=s.db_bytes / 1e6, n=s.evidence_files), 30_000),
                  on_error=lambda msg: _failed(window, msg))


def _failed(window: MainWindow, message: str) -> None:
    window.statusBar().showMessage(_tr("备份失败"), 30_000)
    QMessageBox.critical(window, _tr("备份失败"), message.split("\n", 1)[0])  # the reason, not the traceback
