"""The desktop's nightly backup: the check that runs it (every 10 minutes, on a worker when due) and
文件 → 自动备份设置… (folder, how many kept, from which hour). See ``services/auto_backup.py``."""

from __future__ import annotations

import logging
import time
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from anran_desktop.services.auto_backup import (
    AutoBackupConfig,
    backup_if_due,
    hour_has_come,
    last_backup,
    load_config,
    save_config,
)
from anran_desktop.ui.workers import run_in_worker

if TYPE_CHECKING:
    from anran_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)
CHECK_MS = 10 * 60 * 1000
RETRY_AFTER_FAILURE_S = 3600.0


def _tr(text: str) -> str:
    return QCoreApplication.translate("AutoBackup", text)


class AutoBackup(QObject):
    """Takes the day's backup when it is due; never on the interface thread, never two at once."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.busy = False
        self.failed_at: float | None = None
        self.done_on: date | None = None  # the local day whose backup is known to be there
        self.timer = QTimer(self)  # children: they stop with the window
        self.timer.timeout.connect(self._tick)
        self.timer.start(CHECK_MS)
        self._first = QTimer(self)
        self._first.setSingleShot(True)
        self._first.timeout.connect(self._tick)
        self._first.start(60_000)  # soon after start: catch up a night the workstation was off

    def _tick(self) -> None:
        try:
            self.check()
        except Exception:  # a background check must never break the window; it is tried again later
            log.exception("automatic backup: the check failed")

    def check(self, now: datetime | None = None) -> bool:
        """Start a worker that takes the day's backup if it is due; True if one was started. Only the stored
        configuration and the hour are looked at here: listing the backup folder (perhaps a slow network
        share) is the worker's."""
        if self.busy:
            return False
        cfg = load_config(self.window.svc.store)
        if cfg is None:
            return False
        if self.failed_at is not None and time.time() - self.failed_at < RETRY_AFTER_FAILURE_S:
            return False
        now = now or datetime.now()
        if not hour_has_come(cfg, now) or self.done_on == now.date():
            return False
        self.busy = True
        run_in_worker(backup_if_due, cfg, Path(self.window.svc.store.path), self.window.svc.loop.evidence.evidence_root,
                      now, on_done=lambda result: self._done(result, now.date()), on_error=self._failed)
        return True

    def _done(self, result, day: date) -> None:  # noqa: ANN001 - (BackupSummary, removed paths) or None
        self.busy, self.failed_at, self.done_on = False, None, day
        if result is None:  # today's was there already (taken by an earlier start or a scheduled task)
            return
        summary, removed = result
        log.info("automatic backup written: %s (%d older removed)", summary.path, len(removed))
        self.window.statusBar().showMessage(_tr("自动备份已保存：{path}").format(path=summary.path), 60_000)

    def _failed(self, message: str) -> None:
        self.busy, self.failed_at = False, time.time()
        reason = message.split("\n", 1)[0]
        log.warning("automatic backup failed: %s", reason)
        # no dialog: nobody may be there at night to close it; the status bar says it, and it is retried in an hour
        self.window.statusBar().showMessage(_tr("自动备份失败：{reason}（一小时后重试）").format(reason=reason), 0)


class AutoBackupDialog(QDialog):
    """Folder, how many to keep, from which hour; off when unticked."""

    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.window = window
        self.setWindowTitle(_tr("自动备份设置"))
        self.setMinimumWidth(480)  # room for a folder path
        cfg = load_config(window.svc.store)
        self.enabled = QCheckBox(_tr("每天自动备份数据库与证据"))
        self.enabled.setChecked(cfg is not None)
        self.folder = QLineEdit(cfg.folder if cfg else "")
        browse = QPushButton(_tr("浏览…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.keep = QSpinBox()
        self.keep.setRange(1, 3650)
        self.keep.setValue(cfg.keep if cfg else 14)
        self.hour = QSpinBox()
        self.hour.setRange(0, 23)
        self.hour.setValue(cfg.hour if cfg else 2)
        self.hour.setSuffix(_tr(" 点起"))
        # the folder may be a network share that takes seconds to list: looked up on a worker
        self.last = QLabel(_tr("正在查看…") if cfg else _tr("尚无"))
        if cfg:
            run_in_worker(last_backup, cfg, Path(window.svc.store.path), on_done=self._show_last,
                          on_error=lambda _m: self.last.setText(_tr("无法读取备份文件夹")))
        self.error = QLabel("")
        self.error.setStyleSheet("color: #b3261e")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.enabled)
        form.addRow(_tr("备份文件夹"), row)
        form.addRow(_tr("保留份数"), self.keep)
        form.addRow(_tr("备份时间"), self.hour)
        form.addRow(_tr("上次自动备份"), self.last)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _show_last(self, last: datetime | None) -> None:
        self.last.setText(last.strftime("%Y-%m-%d %H:%M") if last else _tr("尚无"))

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _tr("备份文件夹"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    def save(self) -> bool:
        """Store the settings (audited) and close; a folder that does not exist is refused with the reason."""
        actor = self.window.user or "unknown"
        if not self.enabled.isChecked():
            save_config(self.window.svc.store, None, actor)
            self.accept()
            return True
        folder = self.folder.text().strip()
        if not folder or not Path(folder).expanduser().is_dir():
            self.error.setText(_tr("文件夹不存在：{folder}").format(folder=folder or "—"))
            return False
        save_config(self.window.svc.store, AutoBackupConfig(folder, self.keep.value(), self.hour.value()), actor)
        self.accept()
        return True


def open_auto_backup_dialog(window: MainWindow) -> AutoBackupDialog:
    dlg = AutoBackupDialog(window)
    dlg.show()
    window._auto_backup_dialog = dlg
    return dlg
