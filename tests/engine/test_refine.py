"""The localizer's nonlinear signatures: chord-Newton responses on one factorized Jacobian."""

import numpy as np

import engine
from anran_desktop.resources import demo_site_path
from engine.solver import newton_responses, solve


def test_chord_steps_capture_the_quadratic_growth_of_a_night_leak():
    net = engine.load_network(demo_site_path())
    base = solve(net, demand_scale=0.3)  # night: a 6 %-of-nominal leak is a fifth of the flow
    sensors = [s.node for s in net.sensors.values() if s.quantity == "pressure_kpa"]
    ix = [base.graph.index[n] for n in sensors]
    total = net.total_demand_m3h * 0.3
    rate = 0.06 * net.total_demand_m3h
    far = min(net.nodes, key=lambda n: base.pressure_kpa[n])  # the lowest pressure: far from the source
    demand = base.graph.demand * 3600.0 * (total - rate) / total
    demand[base.graph.index[far]] += rate
    linear = newton_responses(base, [demand], net.normal_density, steps=1)[0]
    chord = newton_responses(base, [demand], net.normal_density, steps=3)[0]
    exact = solve(net, demands={n: float(demand[base.graph.index[n]]) for n in net.nodes}, initial=base)
    want = np.array([exact.pressure_kpa[n] for n in sensors])
    change = np.max(np.abs(want - np.array([base.pressure_kpa[n] for n in sensors])))
    assert change > 0.05  # the leak moves the sensors noticeably
    assert np.max(np.abs(linear[ix] - want)) > 0.1 * change  # the linear response misses a good part
    assert np.max(np.abs(chord[ix] - want)) < 0.02 * change
    # Withdrawals unchanged: the response is the state itself.
    same = newton_responses(base, [base.graph.demand * 3600.0], net.normal_density)[0]
    assert np.nanmax(np.abs(same[ix] - np.array([base.pressure_kpa[n] for n in sensors]))) < 1e-6


def test_what_ifs_solved_together_equal_each_solved_alone():
    net = engine.load_network(demo_site_path())
    base = solve(net, demand_scale=0.5)
    d0 = base.graph.demand * 3600.0
    rng = np.random.default_rng(3)
    what_ifs = []
    for k in rng.choice(len(d0), 4, replace=False):
        d = d0 * 0.95
        d[k] += 0.05 * d0.sum()
        what_ifs.append(d)
    together = newton_responses(base, what_ifs, net.normal_density, steps=3)
    alone = [newton_responses(base, [d], net.normal_density, steps=3)[0] for d in what_ifs]
    assert len(together) == 4 and newton_responses(base, [], net.normal_density) == []
    for a, b in zip(together, alone, strict=True):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-9, equal_nan=True)
    assert np.nanmax(np.abs(together[0] - together[1])) > 1e-3  # different leaks, different responses


def test_a_second_refinement_pass_fixes_a_large_leak_on_a_small_pipe():
    """185 m³/h (9.5 % of the demand) on a 74 mm pipe carrying 7 m³/h: the linear signature fits 289 m³/h
    there, and the secant taken at that rate was so far off that the true pipe lost 60 in χ² to the best
    candidate. The second pass takes the secant at the rate the first fitted."""
    from benchmarks.networks import large_network
    from engine.confidence import run_window
    from engine.locate import LocateSettings, Locator
    from engine.simulate import ScheduledLeak
    from engine.solver import Leak

    net = large_network()
    readings = run_window(net, 434313083, 45, ScheduledLeak(Leak("P00083", 185.28, 66.9), 1740.0))
    gaps, rates = [], []
    for passes in (1, 2):
        loc = Locator(net, LocateSettings(refine_passes=passes))
        scan = loc.scan(readings)
        j = loc.pipe_ids.index("P00083")
        stats, q = scan.stats.reshape(-1, 3), scan.q.reshape(-1, 3)
        gaps.append(float(stats.max() - stats[j].max()))
        rates.append(float(q[j][np.argmax(stats[j])]))
    assert gaps[0] > 30 and gaps[1] < 10  # χ² behind the best candidate (60 → 7)
    assert abs(rates[1] - 185.28) < 0.5 * abs(rates[0] - 185.28)
