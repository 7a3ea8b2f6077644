"""Leak detection and localization benchmark (issue 3): many random cases on three networks.

    python -m benchmarks.locate [--quick] [--cases N]

For every network (the demo site, a meshed grid, a 2,500-pipe network) and every case the simulator runs a
window of readings at 1-minute intervals with the model errors of issue 3: each consumer's real demand is
its nominal demand times an independent random factor (σ = 10 %, slowly varying), every pressure sensor has
a constant bias (σ = 0.15 kPa) and white noise (σ = 0.03 kPa), the inlet meter 0.5 % noise, and the
window starts at a random time of day (so the diurnal demand moves during it).

* **Leak cases**: one leak at a point drawn uniformly along the network's pipes, 3–10 % of the total
  nominal demand, onset in the middle third of the window.
* **No-leak cases**: no leak, but every consumer's demand steps by a random −5 … +5 % at a random time
  (a demand swing).

The localizer sees only the readings and the nominal model. A plain threshold alarm (largest pressure
drop of any sensor against its own first-third baseline) is scored on the same data, its threshold set
so it detects as many leak cases as ours; then the false alarms of both on the no-leak cases are compared.
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import dataclass

import numpy as np

import engine
from anran_desktop.resources import demo_site_path
from benchmarks.networks import large_network, meshed_grid
from benchmarks.report import markdown_table, write_section
from engine.locate import Locator
from engine.network import Network
from engine.simulate import LiveSimulator, Readings, ScheduledLeak, parse_time
from engine.solver import Leak

DAY0 = parse_time("2026-11-24T00:00:00Z")


@dataclass
class Case:
    leak_pipe: str | None
    rate: float
    detected: bool
    in_interval: bool
    interval_m: float
    confidence: float
    seconds: float
    threshold_stat: float
    rank: int


def _run(net: Network, seed: int, minutes: int, leak: ScheduledLeak | None,
         swing: tuple[float, float] | None) -> Readings:
    """Simulate a window; ``swing`` = (time, factor) multiplies every consumer's demand from that time."""
    rng = random.Random(seed)
    start = DAY0 + rng.uniform(0, 86400.0)
    start -= start % 60
    sim = LiveSimulator(net, seed=seed, start_time=start, resolve_s=0.0)
    if leak is not None:
        sim.add_leak(leak.leak, start + leak.onset_s)
    nominal = sim.nominal.copy()
    times = start + np.arange(0, minutes * 60 + 1, 60.0)
    points = list(net.sensors)
    col = {p: j for j, p in enumerate(points)}
    values = np.full((len(times), len(points)), np.nan)
    for i, t in enumerate(times):
        if swing is not None and t >= start + swing[0]:
            sim.nominal = nominal * swing[1]
        for sid, _q, v in sim.step(float(t)):
            values[i, col[sid]] = v
    return Readings(times, points, [net.sensors[p].quantity for p in points], values)


def _threshold_stat(net: Network, r: Readings) -> float:
    """Largest drop of any pressure sensor: mean of the last third against the mean of the first third."""
    cols = [j for j, q in enumerate(r.quantities) if q == "pressure_kpa"]
    v = r.values[:, cols]
    n = len(v) // 3
    return float(np.max(np.nanmean(v[:n], axis=0) - np.nanmean(v[-n:], axis=0)))


def run_network(name: str, net: Network, n_leak: int, n_quiet: int, minutes: int, seed: int) -> dict[str, object]:
    loc = Locator(net)
    pipes = [p for p in net.pipes.values() if p.kind == "pipe" and p.is_open]
    lengths = np.array([p.length_m for p in pipes])
    total = net.total_demand_m3h
    rng = random.Random(seed)
    leak_cases: list[Case] = []
    quiet: list[Case] = []
    for c in range(n_leak + n_quiet):
        case_seed = seed * 100_000 + c
        if c < n_leak:
            p = rng.choices(pipes, weights=lengths)[0]
            rate = total * rng.uniform(0.03, 0.10)
            onset = rng.uniform(minutes / 3, 2 * minutes / 3) * 60
            onset -= onset % 60
            leak = ScheduledLeak(Leak(p.id, rate, rng.uniform(0, p.length_m)), onset)
            r = _run(net, case_seed, minutes, leak, None)
        else:
            p, rate = None, 0.0
            swing = (rng.uniform(minutes / 3, 2 * minutes / 3) * 60, 1 + rng.uniform(-0.05, 0.05))
            r = _run(net, case_seed, minutes, None, swing)
        t = time.perf_counter()
        res = loc.locate(r)
        dt_s = time.perf_counter() - t
        ranked = [cd.pipe for cd in res.candidates]
        rank = ranked.index(p.id) + 1 if p is not None and p.id in ranked else 0
        case = Case(p.id if p else None, rate, res.leak_detected,
                    p is not None and p.id in res.interval_pipes, res.interval_length_m, res.confidence, dt_s,
                    _threshold_stat(net, r), rank)
        (leak_cases if p is not None else quiet).append(case)
        if (c + 1) % 25 == 0:
            print(f"  {name}: {c + 1}/{n_leak + n_quiet}", flush=True)
    det = [c for c in leak_cases if c.detected]
    detection = len(det) / max(len(leak_cases), 1)
    fa = sum(c.detected for c in quiet) / max(len(quiet), 1)
    # Threshold alarm tuned to the same detection rate on the leak cases.
    stats = sorted((c.threshold_stat for c in leak_cases), reverse=True)
    k = max(len(det), 1)
    thr = stats[k - 1] if stats else 0.0
    fa_thr = sum(c.threshold_stat >= thr for c in quiet) / max(len(quiet), 1)
    coverage = sum(c.in_interval for c in det) / max(len(det), 1)
    mean_conf = float(np.mean([c.confidence for c in det])) if det else 0.0
    mean_len = float(np.mean([c.interval_m for c in det])) if det else 0.0
    times = [c.seconds for c in leak_cases + quiet]
    top1 = sum(c.rank == 1 for c in det) / max(len(det), 1)
    return {
        "name": name, "pipes": len(pipes), "length": net.total_length_m, "n_leak": len(leak_cases),
        "n_quiet": len(quiet), "detection": detection, "fa": fa, "fa_thr": fa_thr, "thr": thr,
        "coverage": coverage, "coverage_all": sum(c.in_interval for c in leak_cases) / max(len(leak_cases), 1),
        "mean_conf": mean_conf, "gap": abs(mean_conf - coverage), "mean_len": mean_len,
        "mean_len_pct": 100 * mean_len / net.total_length_m, "top1": top1,
        "t_med": float(np.median(times)) * 1000, "t_max": float(np.max(times)) * 1000,
        "sensors": sum(s.quantity == "pressure_kpa" for s in net.sensors.values()),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="20 + 10 cases per network, do not write docs")
    ap.add_argument("--cases", type=int, default=100, help="leak cases per network (no-leak cases: half)")
    ap.add_argument("--minutes", type=int, default=45)
    ap.add_argument("--only", default="", help="comma-separated subset: demo,grid,large")
    args = ap.parse_args()
    n_leak = 20 if args.quick else args.cases
    n_quiet = 10 if args.quick else max(args.cases // 2, 50)
    nets = {"demo": ("demo site 星海花园", lambda: engine.load_network(demo_site_path())),
            "grid": ("meshed grid 16×16", meshed_grid), "large": ("large network", large_network)}
    chosen = [k for k in nets if not args.only or k in args.only.split(",")]
    out = []
    for i, key in enumerate(chosen):
        name, make = nets[key]
        t = time.perf_counter()
        row = run_network(name, make(), n_leak, n_quiet, args.minutes, seed=7 + i)
        row["wall"] = time.perf_counter() - t
        print(row, flush=True)
        out.append(row)
    table = markdown_table(
        ["network", "pipes", "pressure sensors", "leak / no-leak cases", "detection rate", "false alarms (ours)",
         "false alarms (threshold alarm, same detection)", "coverage (detected)", "coverage (all leak cases)",
         "mean stated confidence", "calibration gap", "mean interval (m)", "mean interval (% of length)",
         "top-1 pipe", "localization ms (median / max)"],
        [[r["name"], r["pipes"], r["sensors"], f"{r['n_leak']} / {r['n_quiet']}", f"{100 * r['detection']:.0f} %",
          f"{100 * r['fa']:.1f} %", f"{100 * r['fa_thr']:.1f} %", f"{100 * r['coverage']:.0f} %",
          f"{100 * r['coverage_all']:.0f} %", f"{r['mean_conf']:.3f}", f"{r['gap']:.3f}", round(r["mean_len"]),
          f"{r['mean_len_pct']:.1f} %", f"{100 * r['top1']:.0f} %", f"{r['t_med']:.0f} / {r['t_max']:.0f}"]
         for r in out])
    body = (
        table + "\n\n"
        f"Each case is a {args.minutes}-minute window at 1-minute readings starting at a random time of day. Model "
        "errors as issue 3 asks: per-consumer demand ±10 % (independent, slowly varying) around the nominal demands "
        "the localizer uses, constant sensor biases (σ 0.15 kPa), noise (σ 0.03 kPa), inlet meter noise 0.5 %. "
        "Leaks: 3–10 % of total demand at a uniformly random point of the network, onset in the middle third. "
        "No-leak cases: every consumer's demand steps by a random −5 … +5 % mid-window. Coverage = share of "
        "detected leaks whose pipe is inside the stated interval; calibration gap = |mean stated confidence − "
        "coverage|. The threshold alarm (largest pressure drop of any sensor, last third vs first third of the "
        "window) gets the threshold that gives it the same detection rate as ours on the leak cases. Localization "
        "time excludes the one-off model set-up (one solve and one factorization per network), which the desktop "
        "does once. The 2-core machine was shared with other work during the run, so times may be pessimistic."
    )
    if not args.quick and not args.only:
        write_section("locate", "Leak detection and localization (issue 3)", "python -m benchmarks.locate", body)
    print(body)


if __name__ == "__main__":
    main()
