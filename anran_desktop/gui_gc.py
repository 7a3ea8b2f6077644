"""Python's cyclic garbage collection only on the GUI thread.

CPython runs the cyclic collector in whichever thread happens to allocate when a generation's threshold is
passed. In ``anran app`` that is often a worker: a relay sync round, the leak engine's calibration, an
executor thread. A window, dialog or QObject left in a reference cycle (a lambda slot that holds its
widget, ``self.me = self``) is then destroyed on that worker, and Qt's destructors run on a thread that does
not own the object. Depending on timing the process deadlocks (``~QWidget`` → ``QWindow::close`` waits for
the GUI thread) or crashes. CI hit this as a segmentation fault in the crew window test.

:func:`install` turns the automatic collector off and collects on a timer of the GUI thread instead, with
the collector's own thresholds (:func:`collect_if_due`). This module imports Qt only inside
:func:`install`, so the test suite can also call :func:`collect_if_due` at each test's end.
"""

from __future__ import annotations

import gc
import threading
from typing import Any

INTERVAL_MS = 500


def collect_if_due() -> int:
    """Collect the oldest generation whose allocation count passed its threshold, as the automatic
    collector would have; returns what was freed. Call on the GUI (main) thread only."""
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("collect_if_due() belongs on the GUI thread, not on " + threading.current_thread().name)
    counts, thresholds = gc.get_count(), gc.get_threshold()
    due = [g for g in range(3) if counts[g] > thresholds[g]]
    return gc.collect(due[-1]) if due else 0


def install(app: Any, interval_ms: int = INTERVAL_MS) -> Any:
    """Disable automatic collection and collect every ``interval_ms`` on ``app``'s (the GUI) thread.
    Idempotent; returns the QTimer (a child of ``app``)."""
    gc.disable()
    timer = getattr(app, "_anran_gc_timer", None)
    if timer is not None:
        return timer
    from PySide6.QtCore import QTimer

    timer = QTimer(app)
    timer.setObjectName("anran-gui-gc")
    timer.timeout.connect(collect_if_due)
    timer.start(interval_ms)
    app._anran_gc_timer = timer
    return timer
