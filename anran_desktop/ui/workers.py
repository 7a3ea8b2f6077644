"""Run plain functions off the GUI thread and get the result back on it through a signal."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(str)


class _Job(QRunnable):
    def __init__(self, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
        super().__init__()
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.fn(*self.args, **self.kwargs)
        except Exception as exc:  # reported to the GUI, never swallowed
            self.signals.failed.emit(f"{exc}\n{traceback.format_exc(limit=3)}")
        else:
            self.signals.done.emit(result)


_jobs: set[_Job] = set()


def run_in_worker(fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None] | None = None,
                  on_error: Callable[[str], None] | None = None, **kwargs: Any) -> _Job:
    job = _Job(fn, args, kwargs)
    job.setAutoDelete(False)
    _jobs.add(job)

    def finish(_: object = None) -> None:
        # Let go of the job on the next turn of the event loop, not inside its own signal's delivery: the
        # other queued slots of this emission and the pool thread's return from run() may still use it.
        QTimer.singleShot(0, lambda: _jobs.discard(job))

    if on_done:
        job.signals.done.connect(on_done)
    if on_error:
        job.signals.failed.connect(on_error)
    job.signals.done.connect(finish)
    job.signals.failed.connect(finish)
    QThreadPool.globalInstance().start(job)
    return job


def wait_for_workers(msecs: int = 5000) -> bool:
    return QThreadPool.globalInstance().waitForDone(msecs)
