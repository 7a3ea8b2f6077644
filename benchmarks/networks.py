"""Seeded generators of benchmark gas networks (engine model objects, no files needed).

* :func:`meshed_grid` — a city-block grid of mains (every edge a pipe, all loops), one regulator station.
* :func:`large_network` — 2,000+ pipes: a looped grid of mains with tree-like service branches hanging
  off it, two regulator stations.

Both carry ~15 pressure sensors spread over the network (farthest-point sampling) and an inlet flow meter
on every station outlet pipe, so the localization benchmark sees the same instrumentation as the demo
site. Demands are a few m³/h per consumer node; diameters are real steel/PE inner diameters.
"""

from __future__ import annotations

import random

import networkx as nx
import numpy as np

from engine.geo import LocalProjection
from engine.network import Network, Node, Pipe, Sensor

PROJ = LocalProjection(113.30, 23.10)
# Inner diameters (mm): steel DN150 / DN100, PE100 SDR11 de90 / de63 / de32.
DIAMETERS = {"main": 159.3, "dist": 106.3, "pe90": 73.6, "pe63": 51.4, "pe32": 26.2}


def _add_node(net: Network, nid: str, x: float, y: float, **kw: object) -> None:
    lon, lat = PROJ.to_lonlat(x, y)
    net.nodes[nid] = Node(nid, str(kw.pop("kind", "junction")), lon, lat, **kw)  # type: ignore[arg-type]


def _add_pipe(net: Network, pid: str, a: str, b: str, diameter: float, rng: random.Random) -> None:
    na, nb = net.nodes[a], net.nodes[b]
    xa, ya = PROJ.to_xy(na.lon, na.lat)
    xb, yb = PROJ.to_xy(nb.lon, nb.lat)
    length = max(float(np.hypot(xb - xa, yb - ya)), 5.0)
    net.pipes[pid] = Pipe(pid, "pipe", a, b, round(length, 2), diameter, [(na.lon, na.lat), (nb.lon, nb.lat)],
                          roughness_mm=rng.choice([0.05, 0.1, 0.1, 0.2]), material="steel" if diameter > 100 else "PE")


def _pressure_sensors(net: Network, nodes: list[str]) -> None:
    """Pressure sensors PT-01, PT-02, … at ``nodes`` (replacing any the network had)."""
    for sid in [k for k, s in net.sensors.items() if s.quantity == "pressure_kpa"]:
        del net.sensors[sid]
    for i, nid in enumerate(nodes, 1):
        n = net.nodes[nid]
        net.sensors[f"PT-{i:02d}"] = Sensor(f"PT-{i:02d}", "pressure_kpa", n.lon, n.lat, node=nid, accuracy_kpa=0.1)


def _instrument(net: Network, n_pressure: int, rng: random.Random, outlet_pipes: list[str]) -> None:
    """Pressure sensors by farthest-point sampling over the junctions; a flow meter on each outlet pipe."""
    from engine.placement import farthest_points

    ids = [n.id for n in net.nodes.values() if n.kind == "junction"]
    xy = np.array([PROJ.to_xy(net.nodes[i].lon, net.nodes[i].lat) for i in ids])
    _pressure_sensors(net, [ids[k] for k in farthest_points(xy, n_pressure, start=[rng.randrange(len(ids))])])
    for i, pid in enumerate(outlet_pipes, 1):
        a = net.nodes[net.pipes[pid].from_node]
        net.sensors[f"FT-IN{i}"] = Sensor(f"FT-IN{i}", "flow_m3h", a.lon, a.lat, pipe=pid)


def _plan(net: Network, n_pressure: int) -> None:
    """Replace the pressure sensors by the placement planner's choice (``engine.placement``), same count and ids."""
    from engine.placement import plan_sensors

    _pressure_sensors(net, plan_sensors(net, n_pressure).nodes)


def meshed_grid(nx_: int = 16, ny: int = 16, spacing_m: float = 60.0, seed: int = 1,
                n_sensors: int = 15, source_kpa: float = 150.0, placement: str = "fps") -> Network:
    """A fully meshed ``nx_ × ny`` grid of blocks (≈ 2·nx·ny pipes), source at a corner."""
    rng = random.Random(seed)
    net = Network(site={"name": f"meshed grid {nx_}×{ny}"}, gas={"normal_density_kg_m3": 0.72})
    for i in range(nx_):
        for j in range(ny):
            jitter = (rng.uniform(-6, 6), rng.uniform(-6, 6))
            _add_node(net, f"G{i:02d}_{j:02d}", i * spacing_m + jitter[0], j * spacing_m + jitter[1],
                      demand_m3h=round(rng.uniform(1.0, 4.0), 3))
    _add_node(net, "SRC", -40.0, -40.0, kind="source", pressure_kpa=source_kpa)
    n = 0
    for i in range(nx_):
        for j in range(ny):
            for di, dj in ((1, 0), (0, 1)):
                if i + di < nx_ and j + dj < ny:
                    n += 1
                    main = (i % 5 == 0 and di == 0) or (j % 5 == 0 and dj == 0)
                    _add_pipe(net, f"P{n:04d}", f"G{i:02d}_{j:02d}", f"G{i + di:02d}_{j + dj:02d}",
                              DIAMETERS["pe90"] if main else DIAMETERS["pe63"], rng)
    _add_pipe(net, "P0000", "SRC", "G00_00", DIAMETERS["main"], rng)
    _instrument(net, n_sensors, rng, ["P0000"])
    if placement == "planned":
        _plan(net, n_sensors)
    net.validate()
    return net


def large_network(target_pipes: int = 2500, seed: int = 2, n_sensors: int = 18,
                  source_kpa: float = 200.0, placement: str = "fps") -> Network:
    """A looped grid of mains with tree-like branches, two stations; at least ``target_pipes`` pipes."""
    rng = random.Random(seed)
    net = Network(site={"name": f"large network ({target_pipes}+ pipes)"}, gas={"normal_density_kg_m3": 0.72})
    g = 14
    spacing = 110.0
    for i in range(g):
        for j in range(g):
            _add_node(net, f"M{i:02d}_{j:02d}", i * spacing + rng.uniform(-10, 10), j * spacing + rng.uniform(-10, 10),
                      demand_m3h=0.0)
    n = 0
    edges = [(f"M{i:02d}_{j:02d}", f"M{i + di:02d}_{j + dj:02d}", i, j, di)
             for i in range(g) for j in range(g) for di, dj in ((1, 0), (0, 1)) if i + di < g and j + dj < g]
    # Drop some mains but stay connected: a realistic partly-looped mains grid.
    graph = nx.Graph()
    graph.add_edges_from((a, b) for a, b, *_ in edges)
    for a, b, i, j, di in edges:
        main = (i % 4 == 0 and di == 0) or (j % 4 == 0 and di == 1)
        if not main and rng.random() < 0.25:
            graph.remove_edge(a, b)
            if not nx.is_connected(graph):
                graph.add_edge(a, b)
                n += 1
                _add_pipe(net, f"P{n:05d}", a, b, DIAMETERS["pe90"], rng)
            continue
        n += 1
        _add_pipe(net, f"P{n:05d}", a, b, DIAMETERS["dist"] if main else DIAMETERS["pe90"], rng)
    mains = [nid for nid in net.nodes]
    k = 0
    while n < target_pipes:
        root = rng.choice(mains)
        x0, y0 = PROJ.to_xy(net.nodes[root].lon, net.nodes[root].lat)
        angle = rng.uniform(0, 2 * np.pi)
        prev = root
        for step in range(rng.randint(2, 6)):
            k += 1
            r = 18.0 * (step + 1)
            nid = f"B{k:05d}"
            _add_node(net, nid, x0 + r * np.cos(angle) + rng.uniform(-4, 4), y0 + r * np.sin(angle) + rng.uniform(-4, 4),
                      demand_m3h=round(rng.uniform(0.3, 1.5), 3))
            n += 1
            _add_pipe(net, f"P{n:05d}", prev, nid, DIAMETERS["pe63"] if step < 2 else DIAMETERS["pe32"], rng)
            prev = nid
    _add_node(net, "SRC1", -50.0, -50.0, kind="source", pressure_kpa=source_kpa)
    _add_node(net, "SRC2", (g - 1) * spacing + 50.0, (g - 1) * spacing + 50.0, kind="source", pressure_kpa=source_kpa)
    _add_pipe(net, "PS0001", "SRC1", "M00_00", DIAMETERS["main"], rng)
    _add_pipe(net, "PS0002", "SRC2", f"M{g - 1:02d}_{g - 1:02d}", DIAMETERS["main"], rng)
    _instrument(net, n_sensors, rng, ["PS0001", "PS0002"])
    if placement == "planned":
        _plan(net, n_sensors)
    net.validate()
    return net


if __name__ == "__main__":
    for net in (meshed_grid(), large_network()):
        print(net.site["name"], len(net.nodes), "nodes", len(net.pipes), "pipes",
              round(net.total_length_m), "m", round(net.total_demand_m3h, 1), "m³/h")
