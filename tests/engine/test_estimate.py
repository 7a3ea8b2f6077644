"""State estimation: WLS demand level, EKF innovations and an onset that a leak raises and a demand swing does not."""

import numpy as np
import pytest

import engine
from anran_desktop.resources import demo_site_path
from engine.estimate import cusum_onset, track, wls
from engine.simulate import LiveSimulator, Readings, ScheduledLeak, parse_time, simulate
from engine.solver import Leak

T0 = parse_time("2026-11-24T01:00:00Z")


@pytest.fixture(scope="module")
def net():
    return engine.load_network(demo_site_path())


def test_wls_demand_factor_follows_the_inlet_meter(net):
    r = simulate(net, 5, seed=2, start=parse_time("2026-11-24T10:00:00Z"))
    est = wls(net, r, 0)
    inflow = r.column("FT-IN")[0]
    assert est.factors["global"] == pytest.approx(inflow / net.total_demand_m3h, rel=0.03)
    assert set(est.residual) == {s for s in net.sensors}


def test_ekf_onset_at_the_leak_and_none_for_a_demand_swing(net):
    pipe = [p for p in net.segment_pipes("S4") if net.pipes[p].kind == "pipe"][0]
    r = simulate(net, 40, seed=11, start=T0, leaks=[ScheduledLeak(Leak(pipe, 30.0), T0 + 1200)])
    tr = track(net, r)
    assert tr.onset_index is not None and abs(tr.onset_index - 20) <= 2
    assert np.nanmean(tr.nis[:20]) < 2 * len(tr.points)  # white before: NIS ≈ its degrees of freedom

    sim = LiveSimulator(net, seed=4, start_time=T0, resolve_s=0.0)
    times = T0 + np.arange(0, 2401, 60.0)
    rows = []
    for t in times:
        if t >= T0 + 1200:  # every consumer +5 %
            sim.nominal = np.array([net.nodes[c].demand_m3h for c in sim.consumers]) * 1.05
        rows.append({p: v for p, _q, v in sim.step(float(t))})
    points = list(net.sensors)
    swing = Readings(times, points, [net.sensors[p].quantity for p in points],
                     np.array([[row[p] for p in points] for row in rows]))
    assert track(net, swing).onset_index is None


def test_cusum_onset_traces_back_to_where_the_sum_left_zero():
    nis = np.array([3.0] * 10 + [20.0] * 5)
    assert cusum_onset(nis, dof=3, threshold=25.0) == 10
    assert cusum_onset(np.full(30, 3.0), dof=3) is None
