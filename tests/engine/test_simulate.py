import json
import subprocess
import sys

import numpy as np
import pytest

import engine
from anran_desktop.resources import demo_site_path
from engine.simulate import (
    LiveSimulator,
    ReadingsError,
    ScheduledLeak,
    diurnal_factor,
    parse_time,
    read_readings_csv,
    simulate,
)
from engine.solver import Leak


@pytest.fixture(scope="module")
def net():
    return engine.load_network(demo_site_path())


def test_diurnal_profile_has_evening_peak_and_night_trough():
    day = parse_time("2026-11-24T00:00:00+08:00")
    evening = diurnal_factor(day + 18.5 * 3600)
    night = diurnal_factor(day + 3 * 3600)
    assert evening > 1.5 > 0.4 > night
    assert np.mean([diurnal_factor(day + h * 900) for h in range(96)]) == pytest.approx(1.0, abs=0.02)


def test_leak_onset_shows_in_inlet_flow(net):
    t0 = parse_time("2026-11-24T02:00:00Z")
    leak = ScheduledLeak(Leak(net.segment_pipes("S4")[0], 40.0), t0 + 1800)
    with_leak = simulate(net, 60, leaks=[leak], seed=3, start=t0).column("FT-IN")
    without = simulate(net, 60, seed=3, start=t0).column("FT-IN")
    extra = with_leak - without
    assert np.abs(extra[:30]).max() < 1e-9  # identical before the onset (same seed)
    assert extra[31:].mean() == pytest.approx(40.0, rel=0.05)


def test_csv_round_trip(tmp_path, net):
    r = simulate(net, 5, seed=1)
    path = tmp_path / "r.csv"
    r.write_csv(path)
    back = read_readings_csv(path, net)
    assert back.values.shape == r.values.shape
    assert np.allclose(back.column("PT-01"), r.column("PT-01"), atol=1e-4)


def test_malformed_csv_names_the_line(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("time,point,quantity,value\n2026-11-24T00:00:00Z,PT-01,pressure_kpa,abc\n", encoding="utf-8")
    with pytest.raises(ReadingsError, match="line 2"):
        read_readings_csv(p)


def test_live_simulator_is_continuous_and_fast_enough(net):
    t0 = parse_time("2026-11-24T10:00:00Z")
    sim = LiveSimulator(net, seed=2, start_time=t0)
    a = dict((p, v) for p, _q, v in sim.step(t0))
    b = dict((p, v) for p, _q, v in sim.step(t0 + 1))
    assert set(a) == set(net.sensors)
    assert abs(a["PT-01"] - b["PT-01"]) < 0.5


def test_simulate_cli_writes_readings_and_truth(tmp_path):
    out = tmp_path / "r.csv"
    cmd = [sys.executable, "-m", "anran_desktop", "simulate", str(demo_site_path()), "--leak", "P074:25@10",
           "--minutes", "10", "--out", str(out)]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    truth = json.loads(out.with_suffix(".truth.json").read_text())
    assert truth["leaks"][0] == {"pipe": "P074", "rate_m3h": 25.0, "position_m": 10.0,
                                 "onset": "2026-11-24T02:05:00Z"}
    bad_cmd = [c if c != "P074:25@10" else "P074:fast" for c in cmd]
    bad = subprocess.run(bad_cmd, capture_output=True, text=True, timeout=120)
    assert bad.returncode != 0 and "PIPE:RATE_M3H" in bad.stderr


def test_simulator_state_restores_the_demand_factors_and_continues_without_a_step():
    net = engine.load_network(demo_site_path())
    t0 = 1_795_000_000.0
    a = LiveSimulator(net, seed=3, start_time=t0)
    for k in range(1, 4):
        a.demands_at(t0 + 900.0 * k)  # the factors drift away from their first draw
    state = json.loads(json.dumps(a.state()))  # as stored: plain JSON
    assert state["time"] == t0 + 2700.0 and set(state["factors"]) == set(a.consumers)
    fresh = LiveSimulator(net, seed=3, start_time=t0 + 2700.0)
    b = LiveSimulator(net, seed=3, start_time=t0 + 2700.0)
    b.restore(state)
    want, got, other = (sum(s.demands_at(t0 + 2700.0).values()) for s in (a, b, fresh))
    assert got == pytest.approx(want, rel=1e-5)
    assert abs(other / want - 1) > 1e-3  # without the state the feed would start elsewhere


def test_simulator_restore_refuses_a_malformed_state_and_keeps_its_own():
    net = engine.load_network(demo_site_path())
    sim = LiveSimulator(net, seed=3, start_time=1_795_000_000.0)
    before = sim.state()
    consumer = sim.consumers[0]
    for bad in ({"factors": [1.0]}, {"time": "noon", "factors": {}}, {"factors": {consumer: -1.0}},
                {"factors": {consumer: float("nan")}}):
        with pytest.raises(ValueError, match="simulator state"):
            sim.restore(bad)
        assert sim.state() == before
    sim.restore({"time": None, "factors": {"no-such-consumer": 2.0, consumer: 1.5}})  # an edited network
    assert sim.state()["factors"][consumer] == 1.5 and sim.state()["time"] == before["time"]
