"""Point health on the demo site with the engine's simulator and model: a stuck gauge and a dead one
are found (drift against the model, flat-lining, staleness); the healthy gauges stay good."""

from __future__ import annotations

import warnings

import numpy as np

from anran_desktop.ingest.quality import QualitySpec, assess_points, maintenance_events, neighbour_consensus
from anran_desktop.resources import demo_site_path
from engine.geojson_io import load_network
from engine.simulate import LiveSimulator


def test_stuck_and_dead_gauges_on_xinghai():
    net = load_network(demo_site_path())
    t0 = 1_795_500_000.0
    sim = LiveSimulator(net, seed=3, start_time=t0)
    gauges = [s for s in net.sensors.values() if s.quantity == "pressure_kpa"]
    assert len(gauges) >= 5
    stuck, dead = gauges[1].id, gauges[2].id
    times = t0 + np.arange(0.0, 1800.0, 10.0)
    meas: dict[str, list[tuple[float, float]]] = {g.id: [] for g in gauges}
    model: dict[str, list[float]] = {g.id: [] for g in gauges}
    for i, t in enumerate(times):
        if i == len(times) // 2:
            sim.fail_sensor(stuck, "stuck")
            sim.fail_sensor(dead, "dead")
        sol = sim.solution_at(float(t))
        for g in gauges:
            model[g.id].append(sol.pressure_kpa[g.node])
        for sid, _q, v in sim.step(float(t)):
            if sid in meas:
                meas[sid].append((float(t), v))
    now = float(times[-1] + 10)
    series = {p: (np.array([a for a, _ in r]), np.array([b for _, b in r])) for p, r in meas.items()}
    # the model's estimate at each point's own times
    mod = {p: np.interp(series[p][0], times, np.array(model[p])) for p in series}
    spec = {p: QualitySpec(expected_interval_s=10, valid_min=0, valid_max=1000, flat_window_s=600,
                           model_tolerance=2.0) for p in series}
    first_half = {p: (t[t < times[len(times) // 2]], v[t < times[len(times) // 2]]) for p, (t, v) in series.items()}
    before = assess_points(first_half, float(times[len(times) // 2]), spec,
                           model={p: mod[p][: len(first_half[p][0])] for p in series})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        after = assess_points(series, now, spec, model=mod)
    assert all(h.level == "good" for h in before.values()), before
    assert after[stuck].level == "bad" and {"flat", "drift"} <= set(after[stuck].codes)
    assert after[dead].level == "bad" and after[dead].codes == ["stale"]  # silent for 15 min
    healthy = [p for p in series if p not in (stuck, dead)]
    assert all(after[p].level == "good" for p in healthy), {p: after[p] for p in healthy}
    events = maintenance_events(before, after)
    assert sorted(e.point for e in events if e.kind == "maintenance") == sorted([stuck, dead])
    assert all(e.kind == "maintenance" for e in events)


def test_neighbour_consensus_uses_the_model_drop():
    vals = {"A": np.array([300.0, 301.0]), "B": np.array([290.0, 291.0]), "C": np.array([280.0, 281.0])}
    model = {"A": np.array([300.0, 300.0]), "B": np.array([290.0, 290.0]), "C": np.array([280.0, 280.0])}
    c = neighbour_consensus(vals, {"A": ["B", "C"]}, model)
    assert np.allclose(c["A"], [300.0, 301.0])
    assert np.allclose(neighbour_consensus(vals, {"A": ["B", "C"]})["A"], [285.0, 286.0])
