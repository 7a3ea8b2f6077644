"""文件 → 从备份恢复…: put a backup in place of the site's database, from the desktop (admins only).

A window cannot replace the database it has open, and two processes must never both have it. So the
window verifies the chosen zip on a worker, says what it holds and what a restore means (the backup's site
and time, the alarms, tickets and audit entries newer than it that the restored database will not have,
where the current database is kept), and on confirmation starts ``anran app --restore ZIP`` and closes. That
process waits for this window's one-window lock — released only after the window has written its last
state — restores under it (``store.backup.restore_recorded``: audited as ``desktop:<user who asked>``) and
opens on the restored database. If the restore fails the database is left as it was, and the new window
opens on it and says why.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QProcess
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QPushButton

from anran_desktop.store.backup import BackupSummary, NewerRecords, newer_records, verify_backup
from anran_desktop.ui.workers import run_in_worker
from widgets.timefmt import local_time

if TYPE_CHECKING:
    from anran_desktop.ui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("RestoreAction", text)


def add_restore_action(window: MainWindow, menu: QMenu) -> QAction:
    action = menu.addAction(_tr("从备份恢复…"))
    action.triggered.connect(lambda: restore_dialog(window))
    return action


def restore_dialog(window: MainWindow) -> None:
    path, _ = QFileDialog.getOpenFileName(window, _tr("从备份恢复"), "", _tr("备份 (*.zip)"))
    if path:
        check_backup(window, path)


def check_backup(window: MainWindow, path: str) -> None:
    """Verify ``path`` on a worker (every checksum, the database's integrity and schema), then ask."""
    window.statusBar().showMessage(_tr("正在校验备份…"))

    def verified(summary: BackupSummary) -> None:
        window.statusBar().clearMessage()
        newer = newer_records(window.svc.store, summary.created_at)
        if confirm(window, summary, newer):
            relaunch_to_restore(window, str(summary.path))

    run_in_worker(verify_backup, path, on_done=verified, on_error=lambda msg: _refused(window, msg))


def confirm_text(window: MainWindow, summary: BackupSummary, newer: NewerRecords) -> str:
    """What the confirmation says: the backup, what will be lost, where the current database is kept."""
    current = str(window.view.site.get("name", ""))
    lines = []
    if summary.site != current:
        lines.append(_tr("注意：这份备份属于站点「{backup}」，不是当前站点「{current}」。").format(
            backup=summary.site or _tr("（未命名）"), current=current or _tr("（未命名）")))
    lines.append(_tr("将用这份备份替换本站数据库：\n备份站点：{site}\n备份时间：{taken}\n数据库 {mb:.1f} MB，证据照片 {n} 个").format(
        site=summary.site or _tr("（未命名）"), taken=local_time(summary.created_at, "%Y-%m-%d %H:%M"),
        mb=summary.db_bytes / 1e6, n=summary.evidence_files))
    if newer.any:
        lines.append(_tr("当前数据库中晚于备份时间的 {alarms} 条告警、{tickets} 个工单的变动和 {audit} 条审计记录不在备份里，"
                         "恢复后将不在数据库中。").format(alarms=newer.alarms, tickets=newer.tickets, audit=newer.audit))
    lines.append(_tr("当前数据库会保留在同一文件夹中（.before-restore-….bak），需要时可再找回。"))
    lines.append(_tr("恢复时本窗口将关闭，恢复完成后重新打开，请重新登录。"))
    return "\n\n".join(lines)


def confirm_box(window: MainWindow, summary: BackupSummary, newer: NewerRecords) -> tuple[QMessageBox, QPushButton]:
    """The confirmation (not shown yet) and its restore button; Cancel is the default."""
    box = QMessageBox(QMessageBox.Icon.Warning, _tr("从备份恢复"), confirm_text(window, summary, newer),
                      QMessageBox.StandardButton.Cancel, window)
    restore = box.addButton(_tr("恢复并重新打开"), QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # Enter does not replace a site's records
    return box, restore


def confirm(window: MainWindow, summary: BackupSummary, newer: NewerRecords) -> bool:
    box, restore = confirm_box(window, summary, newer)
    box.exec()
    return box.clickedButton() is restore


def relaunch_to_restore(window: MainWindow, backup: str) -> bool:
    """Start the process that restores ``backup`` and reopens the window, then close this one."""
    from anran_desktop.ui.main_window import relaunch_command

    db = str(Path(window.svc.store.path).resolve())
    program, args = relaunch_command(["--db", db, "--restore", str(Path(backup).resolve()), "--restore-by", window.user])
    if not QProcess.startDetached(program, args):
        QMessageBox.critical(window, _tr("无法恢复"), _tr("无法启动恢复进程，数据库未改动。"))
        return False
    window.close()
    return True


def _refused(window: MainWindow, message: str) -> None:
    window.statusBar().showMessage(_tr("备份未通过校验，数据库未改动"), 30_000)
    QMessageBox.critical(window, _tr("无法恢复"), message.split("\n", 1)[0])  # the reason, not the traceback


def tell_restored(window: MainWindow, ok: bool, text: str, *, modal: bool = True) -> None:
    """The window opened after a restore says how it went: the status bar, and a dialog if it failed."""
    window.statusBar().showMessage(text, 60_000)
    if not ok and modal:
        QMessageBox.critical(window, _tr("无法恢复"), text)
