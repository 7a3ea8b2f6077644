"""Wires the report-centre view to :class:`ReportCenter`: reports are generated on a worker thread (never the GUI
thread) and opened with the system PDF viewer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QUrl
from PySide6.QtGui import QDesktopServices

from anran_desktop.services.report_center import ReportCenter, ReportEntry
from anran_desktop.ui.workers import run_in_worker
from widgets.report_center import ReportCenterView, ReportRow


class ReportCenterPanel(QObject):
    def __init__(self, store, folder: Path, evidence_root: Path | None = None,  # noqa: ANN001
                 view: ReportCenterView | None = None) -> None:
        super().__init__()
        self.center = ReportCenter(store, folder, evidence_root)
        self.view = view or ReportCenterView()
        self.busy = False
        self.last: ReportEntry | None = None
        self.view.kindChanged.connect(self.load_subjects)
        self.view.generateRequested.connect(self.generate)
        self.view.openRequested.connect(self.open)
        self.load_subjects(self.view.current_kind())
        self.refresh()

    def refresh(self) -> None:
        self.view.set_entries([ReportRow(str(e.path), e.kind, e.title, e.period, e.created_at)
                               for e in self.center.list()])

    def load_subjects(self, kind: str) -> None:
        self.view.set_subjects(self.center.subjects(kind))

    def generate(self, kind: str, subject: str, end_day: str) -> None:
        if self.busy:
            return
        self.busy = True
        self.view.set_busy(True, self.tr("正在生成报告…"))
        day = dt.date.fromisoformat(end_day) if end_day else None
        run_in_worker(self.center.generate, kind, subject or None, day, on_done=self._done, on_error=self._failed)

    def _done(self, entry: ReportEntry) -> None:
        self.busy = False
        self.last = entry
        self.refresh()
        self.view.set_busy(False, self.tr("已生成：") + str(entry.path))

    def _failed(self, message: str) -> None:
        self.busy = False
        self.view.set_busy(False, self.tr("报告生成失败：") + message.splitlines()[0])

    def open(self, path: str) -> bool:
        if not Path(path).is_file():
            self.view.set_busy(False, self.tr("文件不存在：") + path)
            return False
        ok = QDesktopServices.openUrl(QUrl.fromLocalFile(path))
        if not ok:
            self.view.set_busy(False, self.tr("无法用系统阅读器打开：") + path)
        return ok


def attach_report_center(window, store) -> ReportCenterPanel:  # noqa: ANN001
    """Add the report centre as a bottom panel of ``window``; reports go into ``reports`` beside the database."""
    from anran_desktop.reports.loaders import evidence_root_for

    panel = ReportCenterPanel(store, Path(store.path).resolve().parent / "reports", evidence_root_for(store.path))
    window.add_panel(QCoreApplication.translate("MainWindow", "报告中心"), panel.view)
    window._report_center = panel  # keep the controller alive with the window
    return panel
