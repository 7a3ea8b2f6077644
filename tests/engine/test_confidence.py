"""Calibrated confidence: re-tempering a scan, the shortest interval, stored per-site calibrations."""

import numpy as np
import pytest

import engine
from anran_desktop.resources import demo_site_path
from engine.confidence import (
    StoredCalibration,
    load_calibrations,
    network_fingerprint,
    save_calibration,
)
from engine.locate import LocateSettings, Locator
from engine.simulate import ScheduledLeak, parse_time, simulate
from engine.solver import Leak

T0 = parse_time("2026-11-24T01:00:00Z")


@pytest.fixture(scope="module")
def net():
    return engine.load_network(demo_site_path())


@pytest.fixture(scope="module")
def leak_window(net):
    pipe = [p for p in net.segment_pipes("S4") if net.pipes[p].kind == "pipe"][0]
    return pipe, simulate(net, 45, leaks=[ScheduledLeak(Leak(pipe, 20.0), T0 + 1500)], seed=21, start=T0)


def test_retempering_a_scan_equals_locating_at_that_temperature(net, leak_window):
    _pipe, r = leak_window
    loc = Locator(net)
    scan = loc.scan(r)
    for temp in (0.3, 2.0):
        direct = Locator(net, LocateSettings(temperature=temp)).locate(r)
        again = loc.result(scan, temperature=temp)
        assert again.interval_pipes == direct.interval_pipes
        assert again.confidence == pytest.approx(direct.confidence)
    # A colder posterior is sharper: its interval is not longer.
    assert loc.result(scan, temperature=0.3).interval_length_m <= loc.result(scan, temperature=2.0).interval_length_m


def test_interval_is_the_densest_set_of_pipes(net, leak_window):
    _pipe, r = leak_window
    res = Locator(net).locate(r)
    assert res.leak_detected and res.confidence >= 0.9
    density = {p: pr / max(net.pipes[p].length_m, 1.0) for p, pr in res.pipe_probability.items()}
    inside = min(density[p] for p in res.interval_pipes)
    outside = [d for p, d in density.items() if p not in res.interval_pipes]
    assert not outside or max(outside) <= inside + 1e-15
    # Dropping its least dense pipe would leave less than the target mass.
    last = min(res.interval_pipes, key=lambda p: density[p])
    assert sum(res.pipe_probability[p] for p in res.interval_pipes if p != last) < 0.9


def test_nonlinear_refinement_corrects_a_large_night_leak(net):
    # At night (02:00 local) a 30 m³/h leak is a fifth of the flow: the linear signature underestimates the
    # pressure drop on its path and overestimates the rate; re-solving the likely pipes fixes that.
    night = parse_time("2026-11-24T18:00:00Z")
    pipe = [p for p in net.segment_pipes("S4") if net.pipes[p].kind == "pipe"][0]
    r = simulate(net, 45, leaks=[ScheduledLeak(Leak(pipe, 30.0), night + 1500)], seed=3, start=night)
    # (the rate from the pressures alone: the inlet meter's estimate, LocateSettings.rate_prior, is apart)
    linear = Locator(net, LocateSettings(refine=0, rate_prior=0.0)).locate(r)
    refined = Locator(net, LocateSettings(rate_prior=0.0)).locate(r)
    assert linear.leak_detected and refined.leak_detected
    assert abs(refined.leak_m3h - 30.0) < abs(linear.leak_m3h - 30.0)
    assert pipe in refined.interval_pipes


def test_meter_noise_does_not_alarm_on_a_meshed_grid():
    from benchmarks.networks import meshed_grid
    from engine.confidence import run_window

    grid = meshed_grid()
    loc = Locator(grid)
    for seed in range(3):
        r = run_window(grid, 500 + seed, 30, None, (900.0, 1.04))
        res = loc.locate(r)
        assert not res.leak_detected, res.statistic


def test_fingerprint_follows_what_the_confidence_depends_on(net):
    fp = network_fingerprint(net)
    assert fp == network_fingerprint(engine.load_network(demo_site_path()))
    import copy

    other = copy.deepcopy(net)
    pid = next(p for p in other.pipes.values() if p.kind == "pipe").id
    other.pipes[pid].diameter_mm *= 1.5
    assert network_fingerprint(other) != fp
    fewer = copy.deepcopy(net)
    fewer.sensors.pop(next(iter(fewer.sensors)))
    assert network_fingerprint(fewer) != fp


def test_stored_calibrations_round_trip_and_survive_a_corrupt_file(tmp_path):
    path = tmp_path / "cal.json"
    assert load_calibrations(path) == {}
    a = StoredCalibration("abc", 0.5, 0.92, 0.93, 30, 40, 60)
    save_calibration(path, a)
    save_calibration(path, StoredCalibration("def", 1.0, 0.9, 0.91, 20, 40, 45))
    got = load_calibrations(path)
    assert got["abc"] == a and got["def"].temperature == 1.0
    path.write_text("{not json", encoding="utf-8")
    assert load_calibrations(path) == {}
    save_calibration(path, a)  # an unreadable file is replaced, never half-written
    assert load_calibrations(path) == {"abc": a}
    assert not np.isnan(load_calibrations(path)["abc"].coverage)


def test_a_calibration_file_from_before_the_density_rule_still_loads(tmp_path):
    """Entries written before the interval's density level existed load as the fixed-mass rule."""
    import json

    path = tmp_path / "old.json"
    path.write_text(json.dumps({"abc": {"fingerprint": "abc", "temperature": 0.75, "coverage": 0.91,
                                        "mean_confidence": 0.93, "detected": 33, "cases": 80, "minutes": 60}}),
                    encoding="utf-8")
    old = load_calibrations(path)["abc"]
    assert old.density_level == 0.0 and old.temperature == 0.75
    settings = LocateSettings(density_level=3.0)
    old.apply(settings)
    assert settings.temperature == 0.75 and settings.density_level == 0.0
