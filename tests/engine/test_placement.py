"""Sensor placement planner (engine/placement.py) and ``anran plan-sensors``."""

from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks.networks import meshed_grid
from engine.geojson_io import load_network, save_network
from engine.placement import PlacementError, _Greedy, _Model, farthest_points, plan_sensors


@pytest.fixture(scope="module")
def grid():
    return meshed_grid(nx_=8, ny=8, n_sensors=6, seed=3)


@pytest.fixture(scope="module")
def plan(grid):
    return plan_sensors(grid, 6)


def test_plan_beats_farthest_points_and_current_sensors(plan):
    assert len(plan.nodes) == len(set(plan.nodes)) == 6
    assert plan.objective < plan.fps_objective
    assert plan.current_objective is not None and plan.objective < plan.current_objective
    # Each step lowers the objective and the steps chain.
    for a, b in zip(plan.steps, plan.steps[1:], strict=False):
        assert b.objective_before == pytest.approx(a.objective_after)
    assert all(s.objective_after < s.objective_before for s in plan.steps)
    assert plan.steps[0].objective_before == pytest.approx(1.0)  # no sensor: everything confused


def test_greedy_first_pick_is_the_best_single_sensor(grid, plan):
    model = _Model(grid, [n.id for n in grid.nodes.values() if n.kind == "junction"], 0.06, 0, 600)
    single = {n: model.objective([n]) for n in model.nodes}
    assert plan.nodes[0] == min(single, key=single.get)


def test_incremental_scores_match_a_direct_objective(grid):
    nodes = [n.id for n in grid.nodes.values() if n.kind == "junction"]
    model = _Model(grid, nodes, 0.06, 0, 600)
    greedy = _Greedy(model)
    for nid in ("G00_05", "G07_07", "G03_01"):
        greedy.add(model.index[nid])
    cand = np.array([model.index[n] for n in ("G05_05", "G01_06", "G06_00")])
    direct = [model.objective(["G00_05", "G07_07", "G03_01", model.nodes[c]]) for c in cand]
    np.testing.assert_allclose(greedy.score(cand), direct, rtol=1e-4)


def test_deterministic_for_a_seed_with_sampled_leak_points(grid):
    a = plan_sensors(grid, 4, seed=7, max_leak_points=40, max_pool=20)
    b = plan_sensors(grid, 4, seed=7, max_leak_points=40, max_pool=20)
    assert a.nodes == b.nodes and a.objective == b.objective
    assert a.leak_points <= 40 and a.pool == 20


def test_keep_is_honoured(grid):
    r = plan_sensors(grid, 5, keep=["G07_00", "G00_07"])
    assert r.nodes[:2] == ["G07_00", "G00_07"] and len(set(r.nodes)) == 5
    assert r.keep == ["G07_00", "G00_07"] and len(r.steps) == 3
    assert r.fps_nodes[:2] == ["G07_00", "G00_07"]


def test_candidates_restrict_the_choice(grid):
    allowed = ["G01_01", "G06_06", "G03_05", "G05_02"]
    r = plan_sensors(grid, 2, candidates=allowed)
    assert set(r.nodes) <= set(allowed)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"n_sensors": 0}, "n_sensors must be a whole number ≥ 1"),
    ({"n_sensors": 65}, "exceeds the 64 candidate junctions"),
    ({"n_sensors": 3, "keep": ["NOPE"]}, "keep: no node 'NOPE'"),
    ({"n_sensors": 3, "keep": ["SRC"]}, "keep: node 'SRC' is a source, not a junction"),
    ({"n_sensors": 1, "keep": ["G01_01", "G02_02"]}, "fewer than the 2 kept"),
    ({"n_sensors": 2, "candidates": ["G01_01", "X9"]}, "candidates: no node 'X9'"),
    ({"n_sensors": 2, "leak_rate_frac": -1}, "leak_rate_frac must be a positive"),
])
def test_bad_input_is_named(grid, kwargs, message):
    n = kwargs.pop("n_sensors")
    with pytest.raises(PlacementError, match=message):
        plan_sensors(grid, n, **kwargs)


def test_farthest_points_spread_out():
    xy = np.array([[0.0, 0.0], [1.0, 0.0], [10.0, 0.0], [5.0, 0.0]])
    assert farthest_points(xy, 3, start=[0]) == [0, 2, 3]


def test_cli_writes_a_loadable_network_with_the_planned_sensors(grid, tmp_path, capsys):
    from anran_desktop.cli import main

    src, out = tmp_path / "grid.geojson", tmp_path / "planned.geojson"
    save_network(grid, src)
    kept_node = grid.sensors["PT-01"].node
    assert main(["plan-sensors", str(src), "--n", "5", "--keep", "PT-01", "--out", str(out)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["nodes"][0] == kept_node and len(doc["nodes"]) == 5
    assert doc["objective"]["planned"] <= doc["objective"]["fps"]
    net = load_network(out)
    pressure = {s.id: s for s in net.sensors.values() if s.quantity == "pressure_kpa"}
    assert sorted(s.node for s in pressure.values()) == sorted(doc["nodes"])
    assert pressure["PT-01"].node == kept_node
    new_ids = set(doc["out"]["added"])
    assert len(new_ids) == 4 and not new_ids & set(grid.sensors)  # never an existing sensor id
    for sid, nid in doc["out"]["added"].items():
        assert pressure[sid].node == nid
        assert (pressure[sid].lon, pressure[sid].lat) == (grid.nodes[nid].lon, grid.nodes[nid].lat)
    assert "FT-IN1" in net.sensors  # flow meters stay
    assert set(doc["out"]["dropped"]) == {f"PT-0{i}" for i in range(2, 7)}


@pytest.mark.parametrize(("argv", "message"), [
    (["--n", "3", "--keep", "PT-01,ZZ-9"], "--keep: 'ZZ-9' is neither a sensor nor a node"),
    (["--n", "3", "--keep", "FT-IN1"], "--keep: sensor 'FT-IN1' is not a pressure sensor"),
    (["--n", "0"], "--n must be at least 1, not 0"),
    (["--n", "99"], "n_sensors (99) exceeds the 64 candidate junctions"),
])
def test_cli_rejects_bad_arguments(grid, tmp_path, capsys, argv, message):
    from anran_desktop.cli import main

    src, out = tmp_path / "grid.geojson", tmp_path / "out.geojson"
    save_network(grid, src)
    assert main(["plan-sensors", str(src), *argv, "--out", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
