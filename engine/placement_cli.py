"""``anran plan-sensors``: plan a network's pressure sensors (``engine.placement``)."""

from __future__ import annotations

import argparse
import json
import sys


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "plan-sensors", help="choose pressure-sensor nodes that tell leaks apart best",
        description="Plan N pressure sensors on a network (greedy on the leak localizer's confusion objective) "
                    "and print one JSON object: the chosen nodes in order and the objective of the plan, of "
                    "farthest-point sampling and of the network's current sensors (expected length confused "
                    "with a leak per unit network length; lower is better).")
    p.add_argument("network", help="network GeoJSON file")
    p.add_argument("--n", type=int, required=True, help="number of pressure sensors in total (kept ones included)")
    p.add_argument("--keep", default="", metavar="ID,ID,…",
                   help="existing pressure sensors (sensor ids) or junctions (node ids) to keep in the plan")
    p.add_argument("--out", metavar="NETWORK_OUT.geojson",
                   help="write the network with the plan's pressure sensors: the kept sensors plus new ones at the "
                        "planned nodes (new ids never reuse an existing id); other pressure sensors are left out")
    p.add_argument("--seed", type=int, default=0, help="seed of the leak-point sample (default 0)")
    p.add_argument("--leak-rate", type=float, default=0.06, metavar="FRACTION",
                   help="typical leak as a share of the total demand (default 0.06)")
    p.set_defaults(func=run_plan_sensors)


def _fail(message: str) -> int:
    print(f"anran: error: {message}", file=sys.stderr)
    return 2


def _keep_nodes(network, text: str) -> tuple[list[str], list[str]]:  # noqa: ANN001
    """``--keep`` → (junction ids, the kept sensor ids)."""
    nodes, sensors = [], []
    for item in (t.strip() for t in text.split(",")):
        if not item:
            continue
        s = network.sensors.get(item)
        if s is not None:
            if s.quantity != "pressure_kpa" or not s.node:
                raise ValueError(f"--keep: sensor '{item}' is not a pressure sensor at a node")
            nodes.append(s.node)
            sensors.append(item)
        elif item in network.nodes:
            nodes.append(item)
            sensors += [s.id for s in network.sensors.values() if s.quantity == "pressure_kpa" and s.node == item][:1]
        else:
            raise ValueError(f"--keep: '{item}' is neither a sensor nor a node of the network")
    return nodes, sensors


def planned_network(network, nodes: list[str], kept_sensors: list[str]):  # noqa: ANN001, ANN201
    """A copy of ``network`` whose pressure sensors are ``kept_sensors`` plus a new one at each of ``nodes`` not
    already covered by them; returns (network, {new sensor id: node}, dropped sensor ids)."""
    import copy

    from engine.network import Sensor

    out = copy.deepcopy(network)
    taken = set(network.sensors) | set(network.nodes) | set(network.pipes)
    pressure = [s for s in network.sensors.values() if s.quantity == "pressure_kpa"]
    dropped = [s.id for s in pressure if s.id not in kept_sensors]
    for sid in dropped:
        del out.sensors[sid]
    covered = {network.sensors[s].node for s in kept_sensors}
    accuracy = next((s.accuracy_kpa for s in pressure if s.accuracy_kpa is not None), None)
    added: dict[str, str] = {}
    k = 0
    for nid in nodes:
        if nid in covered:
            continue
        k += 1
        while f"PT-{k:02d}" in taken:
            k += 1
        sid = f"PT-{k:02d}"
        n = network.nodes[nid]
        out.sensors[sid] = Sensor(sid, "pressure_kpa", n.lon, n.lat, node=nid, accuracy_kpa=accuracy,
                                  properties={"planned_by": "anran plan-sensors"})
        taken.add(sid)
        added[sid] = nid
    return out, added, dropped


def run_plan_sensors(args: argparse.Namespace) -> int:
    from engine.geojson_io import load_network, save_network
    from engine.network import NetworkError
    from engine.placement import PlacementError, plan_sensors
    from engine.solver import SolverError

    if args.n < 1:
        return _fail(f"--n must be at least 1, not {args.n}")
    try:
        network = load_network(args.network)
        keep, kept_sensors = _keep_nodes(network, args.keep)
        result = plan_sensors(network, args.n, keep=keep, seed=args.seed, leak_rate_frac=args.leak_rate)
    except (NetworkError, PlacementError, ValueError) as exc:
        return _fail(str(exc))
    except SolverError as exc:
        return _fail(f"the network could not be solved: {exc}")
    doc = {
        "network": str(args.network),
        "n_sensors": len(result.nodes),
        "nodes": result.nodes,
        "keep": result.keep,
        "steps": [{"node": s.node, "objective": round(s.objective_after, 5)} for s in result.steps],
        "objective": {"planned": round(result.objective, 5), "fps": round(result.fps_objective, 5),
                      "current": None if result.current_objective is None else round(result.current_objective, 5)},
        "current_nodes": result.current_nodes,
        "leak_points": result.leak_points, "pool": result.pool, "seconds": round(result.seconds, 2),
    }
    if args.out:
        out, added, dropped = planned_network(network, result.nodes, kept_sensors)
        try:
            save_network(out, args.out)
        except OSError as exc:
            return _fail(f"--out: cannot write {args.out}: {exc.strerror or exc}")
        doc["out"] = {"path": str(args.out), "added": added, "kept": kept_sensors, "dropped": dropped}
    print(json.dumps(doc, ensure_ascii=False))
    return 0
