"""The leak watch counts the noise its 1-minute means really have (engine.feed_noise) and takes the site's
calibration for that noise."""

from __future__ import annotations

import numpy as np
import pytest

import engine
from anran_desktop.resources import demo_site_path
from anran_desktop.services import site_confidence
from anran_desktop.services.events import AlarmService
from anran_desktop.services.leak_watch import LeakWatch
from anran_desktop.store import open_store
from engine.feed_noise import FeedNoise, averaged
from engine.simulate import parse_time, simulate

T0 = parse_time("2026-11-24T01:00:00Z")


@pytest.fixture
def watch(tmp_path, monkeypatch):
    calibrated: list[FeedNoise] = []

    def recorded(network, cases, minutes, noise):  # noqa: ANN001, ANN202 - a new class's calibration, not run here
        calibrated.append(noise)
        raise RuntimeError("not calibrated in this test")

    monkeypatch.setattr(site_confidence, "calibrate_site", recorded)
    net = engine.load_network(demo_site_path())
    store = open_store(tmp_path / "site.sqlite3")
    w = LeakWatch(net, AlarmService(store))
    assert w.confidence.calibrated(timeout=30) is not None  # the demo site's bundled calibration
    yield w, net, calibrated
    store.close()


def _series(net, interval_s: float, seed: int = 11):  # noqa: ANN001, ANN202
    r = simulate(net, 60, seed=seed, start=T0, interval_s=interval_s)
    return {p: (r.times, r.values[:, j]) for j, p in enumerate(r.points)}


def test_a_10s_feed_is_located_with_its_quieter_means_and_the_bundled_calibration_for_them(watch):
    w, net, calibrated = watch
    assert w.noise == FeedNoise() and w.locator.settings.sensor_sigma_kpa == 0.03
    readings = w.readings_from_series(_series(net, 10.0), T0 + 3600)
    assert w.noise == averaged(6)
    assert w.locator.settings.sensor_sigma_kpa == averaged(6).pressure_kpa < 0.03 / 2
    cal = w.confidence.calibrated(timeout=30)
    assert cal is not None and cal.noise == averaged(6) and calibrated == []  # shipped, not computed
    outcome = w.check(readings)
    assert outcome.calibration == "" and outcome.alarm is None  # a calm hour
    assert (w.locator.settings.temperature, w.locator.settings.density_level) == (cal.temperature, cal.density_level)
    assert w.locator.settings.sensor_sigma_kpa == averaged(6).pressure_kpa
    w.readings_from_series(_series(net, 10.0, seed=12), T0 + 3600)  # another hour of the same feed: same class
    assert w.noise == averaged(6) and w.confidence.calibrated(timeout=0) is cal


def test_a_poller_repeating_a_10s_transmitter_every_second_is_not_counted_as_a_1hz_feed(watch):
    w, net, calibrated = watch
    held = {p: (np.arange(T0, T0 + 3600, 1.0) + 0.5, np.repeat(v, 10)[:3600])
            for p, (_, v) in _series(net, 10.0).items()}
    w.readings_from_series(held, T0 + 3600)
    assert w.noise.pressure_kpa >= averaged(6).pressure_kpa > averaged(60).pressure_kpa
    # a class the site has no calibration for: calibrated in the background, located meanwhile as on a new site
    assert w.confidence.calibrated(timeout=30) is None and calibrated == [w.noise]
    assert w.calibration_state() == "failed"


def test_a_watch_told_not_to_measure_keeps_one_readings_noise(tmp_path):
    net = engine.load_network(demo_site_path())
    store = open_store(tmp_path / "site.sqlite3")
    try:
        w = LeakWatch(net, AlarmService(store), measure_noise=False)
        w.readings_from_series(_series(net, 10.0), T0 + 3600)
        assert w.noise == FeedNoise() and w.locator.settings.sensor_sigma_kpa == 0.03
    finally:
        store.close()


def test_a_tickets_re_read_of_the_readings_leaves_the_watchs_noise_alone(watch, tmp_path):
    from anran_desktop.services.interval_refine import stored_readings

    w, net, calibrated = watch
    before = w.confidence
    fed = _series(net, 10.0)
    r = w.readings_from_series(fed, T0 + 3600, adopt_noise=False)  # the refinement worker's re-read
    assert len(r.points) == len(net.sensors) and np.isfinite(r.values).all()
    assert w.noise == FeedNoise() and w.confidence is before and calibrated == []

    class Stored:  # the store's telemetry: the same 10 s samples
        def series(self, point, start, end):  # noqa: ANN001, ANN202
            return fed[point]

    stored_readings(w, Stored(), T0 + 3600)
    assert w.noise == FeedNoise() and w.confidence is before
