"""What `anran app --restore` shows before its window exists: the window that asked for the restore has
closed, and the new start first waits for it to let go of the database (up to a minute) and then restores
(unpack, check, migrate). Without this the person who clicked 恢复 sees nothing for that time and may start
AnRan again. A small busy window says which backup and what is happening; the waiting and the restore pump
its events so it stays painted and its bar moves."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from anran_desktop.ui.instance_guard import InstanceGuard

T = TypeVar("T")
_SLICE_MS = 100  # how often the wait lets the busy window repaint


def _tr(text: str) -> str:
    return QCoreApplication.translate("RestoreAction", text)


class RestoreProgress(QWidget):
    """A small frameless busy window: the backup's name, and the step under way."""

    def __init__(self, backup: str) -> None:
        super().__init__(None, Qt.WindowType.SplashScreen | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle("安燃云")
        self.setObjectName("restoreProgress")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#restoreProgress { border: 1px solid #7a7a7a; background: palette(window); }")
        self.title = QLabel(_tr("正在从备份恢复：{name}").format(name=Path(backup).name))
        self.title.setStyleSheet("font-weight: bold;")
        self.step = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy: neither step has a known length
        self.bar.setTextVisible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 20)
        for w in (self.title, self.step, self.bar):
            lay.addWidget(w)
        self.setMinimumWidth(420)
        self.set_step(_tr("正在等待原窗口关闭…"))
        self.show()
        self.pump()

    def set_step(self, text: str) -> None:
        self.step.setText(text)
        self.pump()

    def pump(self) -> None:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def acquire_showing(guard: InstanceGuard, wait_s: float, progress: RestoreProgress) -> bool:
    """:meth:`InstanceGuard.acquire` with ``wait_s``, in slices so ``progress`` stays painted."""
    deadline = time.monotonic() + wait_s
    while True:
        if guard.acquire(wait_ms=_SLICE_MS):
            return True
        progress.pump()
        if time.monotonic() >= deadline:
            return False


def run_showing(job: Callable[[], T], progress: RestoreProgress, step: str) -> T:
    """Run ``job`` on a thread while ``progress`` says ``step`` and keeps painting; its result or exception."""
    progress.set_step(step)
    out: dict[str, object] = {}

    def target() -> None:
        try:
            out["value"] = job()
        except BaseException as exc:  # noqa: BLE001 - raised again on the calling thread
            out["error"] = exc

    thread = threading.Thread(target=target, name="anran-restore", daemon=True)
    thread.start()
    while thread.is_alive():
        thread.join(_SLICE_MS / 1000)
        progress.pump()
    if "error" in out:
        raise out["error"]  # type: ignore[misc]
    return out["value"]  # type: ignore[return-value]
