"""The noise of the leak watch's 1-minute means, measured from the samples within the minutes."""

from __future__ import annotations

import json

import numpy as np
import pytest

from engine.confidence import (
    StoredCalibration,
    calibration_key,
    load_calibrations,
    noise_settings,
    save_calibration,
)
from engine.feed_noise import (
    METER_FRAC,
    MIN_CLASS,
    NOISE_KPA,
    FeedNoise,
    at_class,
    averaged,
    bin_spread,
    class_value,
    estimate_feed_noise,
    noise_class,
)
from engine.locate import LocateSettings

EDGES = np.arange(0.0, 3600.0 + 1e-9, 60.0)  # a 60-minute window of 1-minute bins


def _feed(rng: np.random.Generator, hz_per_min: int, sigma: float, level: float = 300.0,
          t0: float = 0.0, t1: float = 3600.0) -> tuple[np.ndarray, np.ndarray]:
    t = np.arange(t0, t1, 60.0 / hz_per_min) + 0.5
    drift = 0.02 * np.sin(t / 900.0)  # a slowly moving true pressure under the noise
    return t, level + drift + rng.normal(0, sigma, len(t))


def test_the_spread_within_minutes_is_the_samples_noise():
    rng = np.random.default_rng(1)
    t, v = _feed(rng, 60, 0.03)
    s = bin_spread(t, v, EDGES)
    assert s.sd == pytest.approx(0.03, rel=0.05) and s.low_count == 60 and s.multi == 60
    assert s.rho == 0.0 and s.step == 0.0 and s.effective_count == 60  # independent, continuous samples


def test_a_1hz_feed_is_classed_just_above_its_minute_means_noise():
    rng = np.random.default_rng(2)
    series = {f"PT-{i}": _feed(rng, 60, 0.03) for i in range(6)}
    series["FT-IN"] = _feed(rng, 60, 0.005 * 1500.0, level=1500.0)
    quantities = {p: "pressure_kpa" for p in series} | {"FT-IN": "flow_m3h"}
    noise = estimate_feed_noise(series, quantities, EDGES)
    true_kpa, true_frac = 0.03 / np.sqrt(60), 0.005 / np.sqrt(60)
    assert true_kpa <= noise.pressure_kpa < true_kpa * 2 ** 0.25  # the next class above, never below
    assert true_frac <= noise.meter_frac < true_frac * 2 ** 0.25
    assert noise == averaged(60)


def test_one_reading_a_minute_keeps_what_was_assumed():
    rng = np.random.default_rng(3)
    series = {"PT-1": _feed(rng, 1, 0.03), "PT-2": _feed(rng, 1, 0.03)}
    quantities = dict.fromkeys(series, "pressure_kpa")
    assert estimate_feed_noise(series, quantities, EDGES) == FeedNoise()
    quiet = averaged(60)
    assert estimate_feed_noise(series, quantities, EDGES, current=quiet) == quiet  # nothing measured: no change


def test_a_window_partly_from_a_slower_history_is_as_noisy_as_its_sparse_minutes():
    rng = np.random.default_rng(4)
    series = {}
    for i in range(4):  # 50 minutes of a 10 s history, then 10 minutes of the 1 Hz live feed
        old_t, old_v = _feed(rng, 6, 0.03, t1=3000.0)
        new_t, new_v = _feed(rng, 60, 0.03, t0=3000.0)
        series[f"PT-{i}"] = (np.concatenate([old_t, new_t]), np.concatenate([old_v, new_v]))
    noise = estimate_feed_noise(series, dict.fromkeys(series, "pressure_kpa"), EDGES)
    assert noise.pressure_kpa == averaged(6).pressure_kpa > averaged(60).pressure_kpa
    assert noise == averaged(6)  # no flow point: the meter is taken as averaged like the pressures


def test_a_noisier_feed_is_classed_noisier_than_issue_3():
    rng = np.random.default_rng(5)
    series = {f"PT-{i}": _feed(rng, 2, 0.1) for i in range(3)}  # 2 samples a minute, σ 0.1 kPa each
    noise = estimate_feed_noise(series, dict.fromkeys(series, "pressure_kpa"), EDGES)
    # a class below the measured σ only within two standard errors of the measurement (60 bins of two, 3 points)
    assert 0.1 / np.sqrt(2) * 0.8 <= noise.pressure_kpa < 0.1 / np.sqrt(2) * 1.2 and noise.pressure_kpa > NOISE_KPA


def test_a_class_is_kept_near_its_boundary_and_left_when_clearly_out():
    k = noise_class(0.0045, NOISE_KPA)
    assert class_value(NOISE_KPA, k) >= 0.0045 > class_value(NOISE_KPA, k + 1)
    edge = class_value(NOISE_KPA, k)
    assert noise_class(edge * 1.03, NOISE_KPA) == k - 1  # a little over the class: the next noisier one ...
    assert noise_class(edge * 1.03, NOISE_KPA, current=k) == k  # ... unless it is the class already in use
    assert noise_class(edge * 1.1, NOISE_KPA, current=k) == k - 1
    assert noise_class(1e-9, NOISE_KPA) == 12 and noise_class(10.0, NOISE_KPA) == -8  # bounded ladder
    assert noise_class(float("nan"), NOISE_KPA, current=3) == 3


def test_a_calibration_is_kept_per_noise_class_and_old_files_read_as_issue_3s(tmp_path):
    path = tmp_path / "cal.json"
    default = StoredCalibration("abc", 0.5, 0.93, 0.93, 100, 200, 60, 4.0, 0.93, 5)
    quiet = averaged(60)
    fast = StoredCalibration("abc", 0.3, 0.93, 0.93, 106, 200, 60, 5.8, 0.93, 5, quiet.pressure_kpa, quiet.meter_frac)
    save_calibration(path, default)
    save_calibration(path, fast)
    got = load_calibrations(path)
    assert got[calibration_key("abc")] == default and got[calibration_key("abc", quiet)] == fast
    assert calibration_key("abc") == calibration_key("abc", FeedNoise()) == "abc" != calibration_key("abc", quiet)
    old = {"abc": {k: v for k, v in json.loads(path.read_text())["abc"].items()
                   if k not in ("noise_kpa", "meter_frac")}}
    path.write_text(json.dumps(old))
    assert load_calibrations(path)["abc"].noise == FeedNoise()
    settings = LocateSettings()
    fast.apply(settings)
    assert (settings.temperature, settings.sensor_sigma_kpa, settings.meter_sigma_frac) == (
        0.3, quiet.pressure_kpa, quiet.meter_frac)
    noise_settings(settings, FeedNoise())
    assert settings.sensor_sigma_kpa == NOISE_KPA and settings.meter_sigma_frac == METER_FRAC


def _pressures(values_by_point: dict[str, np.ndarray], t: np.ndarray) -> FeedNoise:
    series = {p: (t, v) for p, v in values_by_point.items()}
    return estimate_feed_noise(series, dict.fromkeys(series, "pressure_kpa"), EDGES)


def _true_mean_sigma(sigma: float, n: int, rho: float) -> float:
    """The noise of the mean of n samples of an AR(1) series with marginal σ ``sigma``."""
    k = np.arange(1, n)
    return sigma / np.sqrt(n) * np.sqrt(1 + 2 * np.sum((1 - k / n) * rho ** k))


def test_a_poller_repeating_a_slower_transmitter_is_not_taken_for_independent_samples():
    # Polled every second, the transmitter updates every 10 s: 6 independent values a minute, each held 10 times.
    rng = np.random.default_rng(6)
    t = np.arange(0.0, 3600.0, 1.0) + 0.5
    held = {f"PT-{i}": np.repeat(300 + rng.normal(0, 0.03, 360), 10) for i in range(4)}
    noise = _pressures(held, t)
    assert bin_spread(t, held["PT-0"], EDGES).rho > 0.8
    assert noise.pressure_kpa >= 0.03 / np.sqrt(6)  # what its minutes really carry, not 60 samples' worth
    assert noise.pressure_kpa > averaged(60).pressure_kpa * 3


@pytest.mark.parametrize("rho", [0.5, 0.8, 0.95])
def test_samples_that_wander_together_count_as_fewer(rho):
    rng = np.random.default_rng(7)
    t = np.arange(0.0, 3600.0, 1.0) + 0.5
    wander = {}
    for i in range(5):
        e = np.zeros(len(t))
        for j in range(1, len(t)):
            e[j] = rho * e[j - 1] + rng.normal(0, 0.03 * np.sqrt(1 - rho ** 2))
        wander[f"PT-{i}"] = 300 + e
    true = _true_mean_sigma(0.03, 60, rho)
    s = bin_spread(t, wander["PT-0"], EDGES)
    assert s.rho == pytest.approx(rho, abs=0.05)
    assert true * 0.8 <= s.mean_sigma <= true * 2.0  # over ρ 0.9 a minute counts as one sample: on the noisy side
    assert _pressures(wander, t).pressure_kpa >= true * 0.95  # classed at (or above) what the means carry


def test_a_register_s_resolution_bounds_how_quiet_a_mean_is_taken_to_be():
    # 0.01 kPa steps, noise a tenth of that: nearly every sample reads the same step, whose error no mean removes
    rng = np.random.default_rng(8)
    t = np.arange(0.0, 3600.0, 1.0) + 0.5
    steps = {f"PT-{i}": np.round((300 + 0.0042 * i + rng.normal(0, 0.003, len(t))) / 0.01) * 0.01 for i in range(4)}
    s = bin_spread(t, steps["PT-0"], EDGES)
    assert s.step == pytest.approx(0.01, rel=1e-6) and s.mean_sigma == pytest.approx(0.01 / 4, rel=1e-6)
    assert _pressures(steps, t).pressure_kpa >= 0.0025 * (1 - 1e-6)
    fine = 300 + rng.normal(0, 0.03, len(t))  # a continuous feed has no resolution to speak of
    assert bin_spread(t, fine, EDGES).step == 0.0


def test_a_jump_within_a_minute_is_not_taken_for_noise_of_every_minute():
    # the inlet flow steps by a leak's 30 m³/h (4 σ of one sample) inside one minute of a 10 s feed
    rng = np.random.default_rng(9)
    t = np.arange(0.0, 3600.0, 10.0) + 0.5
    flow = 1500.0 + rng.normal(0, 7.5, len(t))
    stepped = flow + np.where(t > 1825.0, 300.0, 0.0)  # and a valve's ten times that
    calm = bin_spread(t, flow, EDGES)
    jump = bin_spread(t, stepped, EDGES)
    assert calm.multi == 60 and jump.multi == 59  # the minute of the jump is left out ...
    assert jump.mean_sigma == pytest.approx(calm.mean_sigma, rel=0.05)  # ... and the others measure the same
    series = {"FT-IN": (t, flow + np.where(t > 1825.0, 30.0, 0.0))}  # the leak's step: the class is the calm one
    assert estimate_feed_noise(series, {"FT-IN": "flow_m3h"}, EDGES).meter_frac == averaged(6).meter_frac


def test_a_meter_noisier_than_the_pressures_puts_the_whole_feed_in_its_class():
    rng = np.random.default_rng(10)
    series = {f"PT-{i}": _feed(rng, 60, 0.03) for i in range(6)}
    series["FT-IN"] = _feed(rng, 60, 0.02 * 1500.0, level=1500.0)  # 2 % a sample: four times issue 3's meter
    quantities = {p: "pressure_kpa" for p in series} | {"FT-IN": "flow_m3h"}
    noise = estimate_feed_noise(series, quantities, EDGES)
    assert noise.meter_frac >= 0.02 / np.sqrt(60) * 0.8 and noise.meter_frac > averaged(60).meter_frac * 3
    assert noise.pressure_kpa / NOISE_KPA == pytest.approx(noise.meter_frac / METER_FRAC)  # one class for both


def test_a_10hz_feed_counts_all_its_samples():
    rng = np.random.default_rng(11)
    series = {f"PT-{i}": _feed(rng, 600, 0.03) for i in range(3)}
    noise = estimate_feed_noise(series, dict.fromkeys(series, "pressure_kpa"), EDGES)
    true = 0.03 / np.sqrt(600)
    assert noise == averaged(600) == at_class(MIN_CLASS)  # measured finer than trusted: the quietest class
    s = bin_spread(*series["PT-0"], EDGES)
    assert s.effective_count == 600 and s.mean_sigma == pytest.approx(true, rel=0.05)
