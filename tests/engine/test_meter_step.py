"""A leak the pressure gauges cannot show, reported from the inlet meter's rise alone
(``LocateSettings.meter_detect``): at night the flows are small, pressure drops grow with their square,
and a leak of a third of the inflow on the demo site's east ring (P039) leaves the gauges under the
threshold."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

import engine
from anran_desktop.resources import demo_site_path
from engine.confidence import run_window
from engine.inflow_step import scan_inflow_step
from engine.locate import LocateSettings, Locator
from engine.simulate import ScheduledLeak, parse_time, simulate

NIGHT = parse_time("2026-11-23T19:00:00Z")  # 03:00 at the demo site (UTC+8)


@pytest.fixture(scope="module")
def net():
    return engine.load_network(demo_site_path())


def _night_leak(net, seed: int = 1, pipe: str = "P039"):  # noqa: ANN001, ANN202
    rate = 0.07 * net.total_demand_m3h
    return simulate(net, 45, leaks=[ScheduledLeak(engine.Leak(pipe, rate), NIGHT + 25 * 60)], seed=seed,
                    start=NIGHT), rate


def test_the_largest_rise_of_the_inflow_is_found_where_it_is():
    rng = np.random.default_rng(3)
    t = np.arange(46) * 60.0
    f = 100 + 0.2 * np.arange(46) + rng.normal(0, 0.5, 46)
    f[25:] += 12.0
    step = scan_inflow_step(f, t, range(5, 41))
    assert step is not None and step.k == 25 and step.step_m3h == pytest.approx(12.0, abs=1.0)
    assert step.z > 12 and step.frac == pytest.approx(0.12, abs=0.02)
    down = 100 - 0.2 * np.arange(46) + rng.normal(0, 0.5, 46)
    down[25:] -= 12.0
    best = scan_inflow_step(down, t, range(5, 41))
    assert best is None or best.z < 4  # a fall is no leak


def test_a_night_leak_near_the_inlet_is_reported_from_the_meter_and_placed_near_it(net):
    plain, meter = Locator(net), Locator(net, LocateSettings(meter_detect=True))
    for seed in (1, 2, 3):
        r, rate = _night_leak(net, seed)
        assert not plain.locate(r).leak_detected  # the gauges do not show it
        res = meter.locate(r)
        assert res.leak_detected and res.detected_by == "meter"
        assert res.onset == "2026-11-23T19:25:00Z"
        assert res.meter_step_m3h == pytest.approx(rate, rel=0.1) and res.leak_m3h == pytest.approx(rate, rel=0.1)
        assert "P039" in res.interval_pipes and res.confidence >= 0.89
        assert res.interval_length_m < 0.5 * net.total_length_m
        assert res.to_json()["detected_by"] == "meter"


def test_a_leak_the_gauges_show_is_still_theirs(net):
    pipe = next(p for p in net.segment_pipes("S4") if net.pipes[p].kind == "pipe")
    r = simulate(net, 60, leaks=[ScheduledLeak(engine.Leak(pipe, 30.0), NIGHT + 1800)], seed=11, start=NIGHT)
    a = Locator(net).locate(r)
    b = Locator(net, LocateSettings(meter_detect=True)).locate(r)
    assert a.leak_detected and b.detected_by == "pressure" and b.interval_pipes == a.interval_pipes


def test_no_meter_alarm_on_quiet_windows_whose_demand_steps_by_five_percent(net):
    meter = Locator(net, LocateSettings(meter_detect=True))
    day0 = parse_time("2026-11-23T16:00:00Z")  # each window starts at a random time of the following day
    for seed in range(6):
        for factor in (1.05, 0.95):
            r = run_window(net, 900 + seed, 45, swing=(20 * 60, factor), day0=day0)
            res = meter.locate(r)
            assert not res.leak_detected, (seed, factor, res.meter_step_m3h)


def test_anran_locate_meter_step(tmp_path, net):
    r, _rate = _night_leak(net)
    path = tmp_path / "night.csv"
    r.write_csv(path)
    base = [sys.executable, "-m", "anran_desktop", "locate", str(demo_site_path()), str(path)]
    off = subprocess.run(base, capture_output=True, text=True, timeout=120)
    on = subprocess.run([*base, "--meter-step"], capture_output=True, text=True, timeout=120)
    assert off.returncode == 0 and on.returncode == 0, off.stderr + on.stderr
    assert json.loads(off.stdout)["leak_detected"] is False and json.loads(off.stdout)["detected_by"] is None
    out = json.loads(on.stdout)
    assert out["leak_detected"] is True and out["detected_by"] == "meter" and "P039" in out["interval"]["pipes"]


def test_the_scan_is_inflow_step_at_every_split():
    from engine.inflow_step import inflow_step

    rng = np.random.default_rng(8)
    t = np.arange(61) * 60.0
    f = 80 + 5 * np.sin(np.arange(61) / 20) + rng.normal(0, 0.8, 61)
    f[37:] += 3.0
    best = scan_inflow_step(f, t, range(5, 56))
    each = {k: inflow_step(f, t, k) for k in range(5, 56)}
    z = {k: q / se for k, (q, se) in each.items() if q > 0}
    k = max(z, key=z.get)
    assert best is not None and best.k == k
    assert best.step_m3h == pytest.approx(each[k][0], rel=1e-9) and best.se_m3h == pytest.approx(each[k][1], rel=1e-9)
