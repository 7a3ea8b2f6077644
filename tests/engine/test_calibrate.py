"""Calibration recovers a rougher steel group from a no-leak period and improves the fit."""

import copy

import pytest

import engine
from anran_desktop.resources import demo_site_path
from engine.calibrate import calibrate, roughness_group
from engine.simulate import parse_time, simulate


def test_calibration_finds_rougher_steel_and_reduces_residuals():
    net = engine.load_network(demo_site_path())
    true = copy.deepcopy(net)
    for p in true.pipes.values():
        if roughness_group(p) == "steel":
            p.roughness_mm *= 4
    r = simulate(true, 360, seed=3, start=parse_time("2026-11-24T08:00:00Z"), interval_s=600)
    res = calibrate(net, r, max_times=6)
    assert res.rms_after_kpa < 0.5 * res.rms_before_kpa
    assert res.roughness_factor["steel"] > 2.0
    calibrated = res.apply(net)
    steel = next(p for p in net.pipes.values() if roughness_group(p) == "steel")
    assert calibrated.pipes[steel.id].roughness_mm == pytest.approx(steel.roughness_mm * res.roughness_factor["steel"])
    assert net.pipes[steel.id].roughness_mm == true.pipes[steel.id].roughness_mm / 4  # original untouched


def test_calibration_refuses_readings_without_the_inlet_meter():
    net = engine.load_network(demo_site_path())
    r = simulate(net, 10, seed=1)
    keep = [i for i, q in enumerate(r.quantities) if q == "pressure_kpa"]
    r.points = [r.points[i] for i in keep]
    r.quantities = [r.quantities[i] for i in keep]
    r.values = r.values[:, keep]
    with pytest.raises(ValueError, match="inlet flow meter"):
        calibrate(net, r)
