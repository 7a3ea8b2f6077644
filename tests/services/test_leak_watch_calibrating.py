"""A new site's first confidence calibration takes minutes; the leak watch detects and locates meanwhile, and
its alarm says the confidence is not calibrated yet (置信度校准中) until the calibration is there."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import threading

import pytest

import engine
from anran_desktop.resources import demo_site_path
from anran_desktop.services import site_confidence
from anran_desktop.services.events import AlarmService
from anran_desktop.services.leak_watch import LeakWatch
from anran_desktop.store import open_store
from engine.confidence import load_calibrations
from engine.simulate import ScheduledLeak, parse_time, simulate


@pytest.fixture
def new_site():
    net = copy.deepcopy(engine.load_network(demo_site_path()))
    node = next(n for n in net.nodes.values() if n.demand_m3h > 0)
    node.demand_m3h *= 1.02  # not the demo site's fingerprint: no bundled calibration applies
    leak_pipe = next(p for p in net.segment_pipes("S4") if net.pipes[p].kind == "pipe")
    t0 = parse_time("2026-11-24T01:00:00Z")
    readings = simulate(net, 60, leaks=[ScheduledLeak(engine.Leak(leak_pipe, 25.0), t0 + 1800)], seed=12, start=t0)
    return net, readings


def _demo_calibration(fingerprint: str):  # noqa: ANN202
    (cal,) = list(load_calibrations(site_confidence.bundled_path()).values())[:1]
    return dataclasses.replace(cal, fingerprint=fingerprint)


@contextlib.contextmanager
def _watch_after_failed_calibration(net, tmp_path, monkeypatch, message: str):  # noqa: ANN001, ANN202
    """A leak watch on its own store whose site calibration raised ``message`` (and has finished)."""

    def broken(network, cases, minutes, noise):  # noqa: ANN001, ANN202
        raise RuntimeError(message)

    monkeypatch.setattr(site_confidence, "calibrate_site", broken)
    store = open_store(tmp_path / "site.sqlite3")
    try:
        watch = LeakWatch(net, AlarmService(store), confirm_s=0)  # an alarm at the first detection
        watch.confidence.calibrated(timeout=10)
        yield watch
    finally:
        store.close()


def test_detection_does_not_wait_for_a_first_calibration(new_site, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    net, readings = new_site
    release, started = threading.Event(), threading.Event()

    def slow_calibration(network, cases, minutes, noise):  # noqa: ANN001, ANN202 - minutes of simulated leaks, held here
        started.set()
        assert release.wait(30)
        return _demo_calibration(engine.confidence.network_fingerprint(network))

    monkeypatch.setattr(site_confidence, "calibrate_site", slow_calibration)
    store = open_store(tmp_path / "site.sqlite3")
    try:
        watch = LeakWatch(net, AlarmService(store), confirm_s=0)  # an alarm at the first detection
        assert started.wait(10) and watch.confidence.pending
        out = watch.check(readings)
        assert out.result is not None and out.result.leak_detected and out.calibration == "pending"
        assert out.alarm is not None and out.alarm.title.endswith("，置信度校准中）"), out.alarm.title
        assert out.alarm.location["interval"]["calibrated"] is False
        default_t = watch.locator.settings.temperature
        release.set()
        watch.confidence.calibrated(timeout=10)
        assert not watch.confidence.pending
        watch.alarms.clear(out.alarm.id, "dispatcher")  # the first alarm was handled; the leak is still there
        watch.active_alarm = None
        again = watch.check(readings)
        cal = watch.confidence.calibration
        assert again.calibration == "" and again.alarm is not None and "校准" not in again.alarm.title
        assert again.alarm.location["interval"]["calibrated"] is True
        assert watch.locator.settings.temperature == cal.temperature != default_t
    finally:
        release.set()
        store.close()


def test_a_failed_calibration_is_named_on_the_alarm(new_site, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    net, readings = new_site
    with _watch_after_failed_calibration(net, tmp_path, monkeypatch, "solver did not converge") as watch:
        assert "solver did not converge" in watch.confidence.error
        out = watch.check(readings)
        assert out.calibration == "failed" and out.alarm is not None and "置信度未校准" in out.alarm.title


def test_an_uncalibrated_confidence_does_not_lower_the_alarm(new_site, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    """A low stated confidence lowers a calibrated site's alarm to level 1; before calibration the figure is not
    known to be honest, so the alarm stays urgent (level 2)."""
    net, readings = new_site
    with _watch_after_failed_calibration(net, tmp_path, monkeypatch, "no calibration on this machine") as watch:
        real = watch.locator.locate
        monkeypatch.setattr(watch.locator, "locate",
                            lambda *a, **k: dataclasses.replace(real(*a, **k), confidence=0.55))
        out = watch.check(readings)
        assert out.calibration == "failed" and out.alarm is not None and out.alarm.level == 2
        # Calibrated, the same low confidence gives level 1.
        watch.confidence.calibration = _demo_calibration(engine.confidence.network_fingerprint(net))
        watch.confidence.error = None
        monkeypatch.setattr(watch.confidence, "calibrated", lambda timeout=0: watch.confidence.calibration)
        watch.alarms.clear(out.alarm.id, "dispatcher")
        watch.active_alarm = None
        again = watch.check(readings)
        assert again.calibration == "" and again.alarm is not None and again.alarm.level == 1
