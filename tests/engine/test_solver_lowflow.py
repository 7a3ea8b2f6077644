"""Meshed networks have links with almost no flow; Newton must still converge on every demand state."""

import numpy as np

from benchmarks.networks import meshed_grid
from engine.simulate import LiveSimulator
from engine.solver import solve


def test_meshed_grid_converges_cold_over_a_day_of_random_demand_states():
    net = meshed_grid()
    sim = LiveSimulator(net, seed=1000, start_time=0.0)
    for k in range(48):
        demands = sim.demands_at(k * 1800.0)
        sol = solve(net, demands=demands)
        # Mass balance at the source: the inflow equals the demand.
        assert abs(sol.flow_m3h["P0000"] - sum(demands.values())) < 1e-3
        assert np.isfinite(list(sol.pressure_kpa.values())).all()
