"""Garbage cycles holding Qt objects are freed on the GUI thread, never by a worker that happens to allocate
(``anran_desktop/gui_gc.py``; a worker freeing a window deadlocks or crashes the app)."""

from __future__ import annotations

import gc
import threading

import pytest

from anran_desktop import gui_gc


def test_make_app_moves_collection_to_the_gui_thread(qtbot) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QLabel, QWidget

    from anran_desktop.ui.app import make_app

    gc.enable()  # as in a fresh `anran app` process
    app = make_app("zh_CN")
    assert not gc.isenabled()
    timer = app.findChild(type(gui_gc.install(app)), "anran-gui-gc")
    assert timer is not None and timer.isActive()

    freed_on: list[str] = []

    class Cycle(QWidget):
        def __init__(self) -> None:
            super().__init__()
            self.me = self  # only the cyclic collector frees this
            QLabel("管网", self)

    w = Cycle()
    w.destroyed.connect(lambda *_: freed_on.append(threading.current_thread().name))
    del w

    def allocate() -> None:  # far past the youngest generation's threshold
        junk = []
        for i in range(20 * gc.get_threshold()[0]):
            d: dict = {"i": i}
            d["self"] = d
            junk.append(d)

    t = threading.Thread(target=allocate, name="sync-worker")
    t.start()
    t.join(10)
    assert freed_on == []  # the worker's allocations did not run the collector
    qtbot.waitUntil(lambda: bool(freed_on), timeout=5000)  # the GUI thread's timer did
    assert freed_on == [threading.main_thread().name]


def test_collect_if_due_refuses_a_worker_thread() -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            gui_gc.collect_if_due()
        except RuntimeError as exc:
            errors.append(exc)

    t = threading.Thread(target=work, name="relay-round")
    t.start()
    t.join(5)
    assert len(errors) == 1 and "relay-round" in str(errors[0])


def test_collect_if_due_collects_only_when_a_threshold_is_passed() -> None:
    gc.collect()
    assert gui_gc.collect_if_due() == 0  # nothing allocated since: nothing due
    junk = []
    for _ in range(gc.get_threshold()[0] + 50):
        a: list = []
        a.append(a)
        junk.append(a)
    del junk, a
    assert gui_gc.collect_if_due() >= gc.get_threshold()[0]


@pytest.fixture(autouse=True)
def _restore_disabled():
    yield
    gc.disable()
