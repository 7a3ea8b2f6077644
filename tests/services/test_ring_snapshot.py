"""Live rings are copied on the worker while the feed keeps pushing: every copy is consistent, and the
GUI thread's part of a health/leak check only takes the dict of rings, not a copy of their samples."""

import threading

import numpy as np

from anran_desktop.services.live import Ring


def test_copies_taken_during_pushes_are_never_torn():
    ring = Ring(500)
    stop = threading.Event()

    def feed() -> None:
        k = 0
        while not stop.is_set():
            ring.push(float(k), float(k))
            k += 1

    th = threading.Thread(target=feed)
    th.start()
    try:
        bad = 0
        for _ in range(3000):
            t, v = ring.arrays()
            if t.size and (not np.array_equal(t, v) or np.any(np.diff(t) != 1.0)):
                bad += 1
    finally:
        stop.set()
        th.join()
    assert bad == 0
    t, v = ring.arrays()
    assert t.size == 500 and np.array_equal(t, v) and np.all(np.diff(t) == 1.0)


def test_wrapped_ring_is_oldest_first():
    ring = Ring(4)
    for k in range(6):
        ring.push(float(k), 10.0 * k)
    t, v = ring.arrays()
    assert t.tolist() == [2.0, 3.0, 4.0, 5.0] and v.tolist() == [20.0, 30.0, 40.0, 50.0]
    t[0] = -1.0  # a copy: the ring is unchanged
    assert ring.arrays()[0][0] == 2.0


def test_check_hands_the_live_rings_to_the_worker(monkeypatch):
    """start_check passes the rings themselves; health_and_leaks copies them (on the worker)."""
    from types import SimpleNamespace

    from anran_desktop.services import point_health
    from anran_desktop.ui import point_health_view

    rings = {"PT-01": Ring(8), "XX": Ring(8)}
    rings["PT-01"].push(1.0, 2.0)
    got = {}

    def fake_run(fn, *args, **kwargs):  # noqa: ANN001, ANN003 - captures what goes to the worker
        got["fn"], got["rings"] = fn, args[2]

    monkeypatch.setattr(point_health_view, "run_in_worker", fake_run)
    window = SimpleNamespace(point_health=object(), leak_watch=object(), _on_watch_error=None, network_generation=0,
                             svc=SimpleNamespace(network_model=SimpleNamespace(sensors={"PT-01": None})),
                             pipeline=SimpleNamespace(rings=rings))
    point_health_view.start_check(window, 0.0)
    assert got["fn"] is point_health.health_and_leaks
    assert list(got["rings"]) == ["PT-01"] and got["rings"]["PT-01"] is rings["PT-01"]
