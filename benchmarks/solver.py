"""Our steady-state solver against pandapipes on the same networks: pressure agreement and time.

    python -m benchmarks.solver [--quick]

pandapipes is a benchmark-only extra (never imported by ``engine``). Both solvers get the same pipes
(lengths, inner diameters, roughness), the same source pressures and the same standard-volume demands,
converted to mass flow with the pandapipes fluid's own normal density (our model is given that density
too). Gas temperature 15 °C. pandapipes uses its own Colebrook iteration, viscosity and compressibility;
ours uses Swamee–Jain, μ = 1.1e-5 Pa·s and Z = 1, so small differences in the pressure *drops* are
expected; the table states them.
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings

import numpy as np

import engine
from anran_desktop.resources import demo_site_path
from benchmarks.networks import large_network, meshed_grid
from benchmarks.report import markdown_table, write_section
from engine.network import Network
from engine.solver import T_GAS, T_NORMAL

FLUID = "lgas"


def to_pandapipes(net: Network):  # noqa: ANN201
    import pandapipes as pp

    pn = pp.create_empty_network(fluid=FLUID)
    rho_n = float(pn.fluid.get_density(T_NORMAL))
    ids = list(net.nodes)
    jidx = pp.create_junctions(pn, len(ids), pn_bar=1.5, tfluid_k=T_GAS, name=ids)
    j = dict(zip(ids, jidx, strict=True))
    pipes = [p for p in net.pipes.values() if p.is_open]
    pp.create_pipes_from_parameters(
        pn, [j[p.from_node] for p in pipes], [j[p.to_node] for p in pipes],
        length_km=np.array([p.length_m / 1000 for p in pipes]), diameter_m=np.array([p.diameter_mm / 1000 for p in pipes]),
        k_mm=np.array([p.roughness_mm for p in pipes]), name=[p.id for p in pipes])
    for s in net.sources:
        pp.create_ext_grid(pn, j[s.id], p_bar=(s.pressure_kpa or 0.0) / 100.0, t_k=T_GAS)
    dem = [n for n in net.nodes.values() if n.demand_m3h > 0]
    pp.create_sinks(pn, [j[n.id] for n in dem], mdot_kg_per_s=np.array([n.demand_m3h / 3600 * rho_n for n in dem]))
    return pn, rho_n, j


def run_pandapipes(pn) -> None:  # noqa: ANN001
    import pandapipes as pp

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pp.pipeflow(pn, friction_model="colebrook", max_iter_hyd=100, tol_p=1e-6, tol_m=1e-6)


def _median_time(fn, repeats: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def bench(name: str, net: Network, repeats: int) -> list[object]:
    pn, rho_n, j = to_pandapipes(net)
    net.gas["normal_density_kg_m3"] = rho_n
    ours = engine.solve(net)
    run_pandapipes(pn)
    p_theirs = pn.res_junction.p_bar.to_numpy() * 100.0  # gauge kPa
    nodes = [n for n in net.nodes if net.nodes[n].kind != "source"]
    a = np.array([ours.pressure_kpa[n] for n in nodes])
    b = np.array([p_theirs[j[n]] for n in nodes])
    src = max(s.pressure_kpa or 0.0 for s in net.sources)
    drop_theirs = src - b
    diff = np.abs(a - b)
    rel_drop = float(np.max(diff) / max(np.max(drop_theirs), 1e-9))
    t_ours = _median_time(lambda: engine.solve(net), repeats)
    sol0 = ours
    t_warm = _median_time(lambda: engine.solve(net, demand_scale=1.02, initial=sol0), repeats)
    t_pp = _median_time(lambda: run_pandapipes(pn), repeats)
    return [name, len(net.pipes), len(net.nodes), round(float(np.max(drop_theirs)), 3), round(float(np.max(diff)), 4),
            f"{100 * rel_drop:.2f} %", ours.iterations, round(t_ours, 1), round(t_warm, 1), round(t_pp, 1),
            f"{t_pp / t_ours:.1f}×"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats, do not write docs")
    args = ap.parse_args()
    repeats = 3 if args.quick else 9
    nets = [("demo site 星海花园", engine.load_network(demo_site_path())), ("meshed grid", meshed_grid()),
            ("large network", large_network())]
    rows = []
    for name, net in nets:
        row = bench(name, net, repeats)
        print(row, flush=True)
        rows.append(row)
    table = markdown_table(["network", "pipes", "nodes", "max drop (kPa, pandapipes)", "max |Δp| (kPa)",
                            "max |Δp| / max drop", "Newton its", "ours cold (ms)", "ours warm (ms)",
                            "pandapipes (ms)", "speed-up"], rows)
    body = (table + "\n\nSame pipes, source pressures and demands in both; times are medians of "
            f"{repeats} solves in one process (cold = from scratch, warm = 2 % demand change started from the "
            "previous solution, as the live simulator does). Pressure agreement is stated against the largest "
            "pressure drop in the network, since absolute pressures agree trivially at the source; remaining "
            "differences come from the gas property models (pandapipes lgas viscosity and compressibility vs "
            "our μ = 1.1e-5 Pa·s, Z = 1) and Swamee–Jain vs iterated Colebrook. Target: agreement within 2 % "
            "of the drop, and no slower than pandapipes.")
    if not args.quick:
        write_section("solver", "Steady-state solver vs pandapipes (issue 3)", "python -m benchmarks.solver", body)
    print(body)


if __name__ == "__main__":
    main()
