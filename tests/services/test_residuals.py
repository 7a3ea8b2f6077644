"""Residual history of stored pressure readings: measured − the no-leak model at the metered inflow."""

import numpy as np
import pytest

import engine
from anran_desktop.resources import demo_site_path
from anran_desktop.services.residuals import ResidualHistory
from engine.simulate import ScheduledLeak
from engine.solver import Leak, solve


@pytest.fixture(scope="module")
def net():
    return engine.load_network(demo_site_path())


def _series(readings, point):
    return readings.times.copy(), readings.column(point).copy()


def _windows(net, leaks=()):
    r = engine.simulate(net, 60, leaks=leaks, seed=11, interval_s=30.0)
    pressure = {p: _series(r, p) for p in r.points if p.startswith("PT-")}
    return r, pressure, {"FT-IN": _series(r, "FT-IN")}


def _step(t, v, onset):
    return float(np.mean(v[t >= onset + 120]) - np.mean(v[t < onset]))


def test_residual_is_measured_minus_the_no_leak_model_at_the_metered_inflow(net):
    r, pressure, inflow = _windows(net)
    out = ResidualHistory(net).residuals(pressure, inflow)
    assert set(out) == set(pressure)
    t, res = out["PT-09"]
    i = 40
    sol = solve(net, demand_scale=inflow["FT-IN"][1][i] / net.total_demand_m3h)
    expected = pressure["PT-09"][1][i] - sol.pressure_kpa["N148"]
    assert t[i] == pressure["PT-09"][0][i]
    assert res[i] == pytest.approx(expected, abs=2e-3)  # levels 5 % apart, interpolated


def test_a_leak_shows_as_a_step_that_the_metered_demand_does_not_explain(net):
    """The same consumers and sensor noise (same seed) with and without a leak: before the onset the residuals
    agree; after it the leak's pressure drop, net of what the model expects for the larger metered inflow,
    stays in the residuals near the leak (P074 is in 东区: the east ring's PT-02 and PT-03 see it most)."""
    onset = float(engine.simulate(net, 1, seed=11).times[0]) + 1800.0
    quiet = ResidualHistory(net).residuals(*_windows(net)[1:])
    leak = ResidualHistory(net).residuals(*_windows(net, [ScheduledLeak(Leak("P074", 60.0), onset)])[1:])
    diff = {p: leak[p][1] - quiet[p][1] for p in leak}
    t = leak["PT-01"][0]
    assert max(np.abs(d[t < onset]).max() for d in diff.values()) < 1e-9
    after = {p: float(np.mean(d[t >= onset])) for p, d in diff.items()}
    worst = min(after, key=after.get)
    assert after[worst] < -0.05, after
    assert worst in ("PT-02", "PT-03"), after
    assert abs(after["PT-01"]) < 0.2 * abs(after[worst])  # the regulator outlet: the model follows the meter


def test_no_residual_where_the_inlet_meter_has_no_reading_nearby(net):
    _r, pressure, inflow = _windows(net)
    t, f = inflow["FT-IN"]
    gap = (t > t[0] + 900) & (t < t[0] + 1800)  # the meter silent for 15 minutes
    out = ResidualHistory(net, max_gap_s=120.0).residuals(pressure, {"FT-IN": (t[~gap], f[~gap])})
    rt, _ = out["PT-04"]
    inside = (rt > t[0] + 900 + 120) & (rt < t[0] + 1800 - 120)
    assert not inside.any()
    assert len(rt) > 0.6 * len(t)
    assert ResidualHistory(net).residuals(pressure, {}) == {}
    assert ResidualHistory(net).residuals({"FT-IN": inflow["FT-IN"]}, inflow) == {}  # flow is no pressure point
