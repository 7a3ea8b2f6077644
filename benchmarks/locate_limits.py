"""What limits the leak interval: the same leak cases with one model error or one method setting changed.

    python -m benchmarks.locate_limits [--cases N] [--only demo,grid,large] [--workers 2]

The locate benchmark (``benchmarks/locate.py``) misses the target "mean interval ≤ 5 % of the network
length at coverage ≥ 90 %". This benchmark asks whether any part of the method or of the data is the
bottleneck. Every variant runs the *same* leaks (seed, pipe, position, rate, onset and window start are
shared; development seeds, never used by the locate benchmark) and changes one thing:

* the simulated model errors — no per-consumer demand error at all (simulated and modelled), or pressure
  sensors three times less noisy;
* the data — 60-minute windows (the desktop's leak watch) or 90-minute windows instead of 45 (more readings
  after the onset);
* the method — the nonlinear refinement on the 16 most likely pipes (the default before 2026-12-02) or on
  120 instead of 48, or with one pass instead of two; the error floor of the covariance halved; the inlet
  meter's rate left out of the posterior, or weighed more (σ × 2 instead of × 8);
* the instruments — 20 pressure sensors (the most issue 3 allows) or 30 (farthest-point sampling, the
  existing sensors kept).

For each variant the detected cases' posteriors are computed at every temperature of a grid, and the
density-level interval (``engine.interval``) at every level of a grid. Two figures are reported, each the
best over the temperature × level grid **on the very cases it is scored on** (so optimistic — an upper
bound on what calibration could reach, not a calibrated result): the shortest mean interval whose coverage
is ≥ 90 %, and the highest coverage whose mean interval is ≤ 5 % of the network length.
"""

from __future__ import annotations

import argparse
import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import engine
from anran_desktop.resources import demo_site_path
from benchmarks.networks import PROJ, large_network, meshed_grid
from benchmarks.report import markdown_table, write_section
from engine.confidence import DENSITY_TARGET, calibrate_temperature, leak_cases
from engine.confidence import TEMPERATURES as CALIBRATION_TEMPERATURES
from engine.interval import IntervalRule, interval
from engine.locate import LocateSettings, Locator
from engine.network import Network, Sensor
from engine.placement import farthest_points

SEED = 4242  # development seed family (the locate benchmark scores on 7 + i and calibrates on 10_000 + …)
TEMPERATURES = CALIBRATION_TEMPERATURES  # 0.15 … 4
LEVELS = tuple(float(x) for x in np.geomspace(0.5, 60.0, 48))
TARGET_COVERAGE = 0.9
TARGET_LENGTH = 0.05
MAX_GAP = 0.05


@dataclass(frozen=True)
class Variant:
    label: str
    errors: dict[str, float] = field(default_factory=dict)  # simulator keywords
    settings: dict[str, Any] = field(default_factory=dict)  # LocateSettings keywords
    minutes: int = 45
    sensors: int = 0  # 0: the network's own pressure sensors; else add farthest points up to this count


VARIANTS = (
    Variant("as benchmarked"),
    Variant("no demand error", errors={"consumer_sigma": 0.0}, settings={"consumer_sigma": 0.0}),
    Variant("sensor noise 0.01 kPa", errors={"noise_kpa": 0.01}, settings={"sensor_sigma_kpa": 0.01}),
    Variant("60-minute windows (the desktop's)", minutes=60),
    Variant("90-minute windows", minutes=90),
    Variant("refinement of 16 pipes (default before 2026-12-02)", settings={"refine": 16}),
    Variant("refinement of 120 pipes", settings={"refine": 120}),
    Variant("one refinement pass", settings={"refine_passes": 1}),
    Variant("error floor 0.005 kPa", settings={"floor_kpa": 0.005}),
    Variant("no meter-rate prior in the posterior", settings={"rate_posterior": 0.0}),
    Variant("meter-rate prior σ × 2 in the posterior", settings={"rate_posterior": 2.0}),
    Variant("20 pressure sensors", sensors=20),
    Variant("30 pressure sensors", sensors=30),
)
LARGE_VARIANTS = ("as benchmarked", "no demand error", "sensor noise 0.01 kPa")


def _demo() -> Network:
    return engine.load_network(demo_site_path())


NETS = {"demo": ("demo site 星海花园", _demo), "grid": ("meshed grid 16×16", meshed_grid),
        "large": ("large network", large_network)}


def with_sensors(net: Network, total: int) -> Network:
    """Add pressure sensors by farthest-point sampling over the junctions (keeping the existing ones) up to
    ``total``."""
    ids = [n.id for n in net.nodes.values() if n.kind == "junction"]
    have = [s.node for s in net.sensors.values() if s.quantity == "pressure_kpa" and s.node in ids]
    xy = np.array([PROJ.to_xy(net.nodes[i].lon, net.nodes[i].lat) for i in ids])
    chosen = farthest_points(xy, total, start=[ids.index(n) for n in have])
    for k in chosen[len(have):]:
        n = net.nodes[ids[k]]
        sid = f"PX-{len(net.sensors):03d}"
        net.sensors[sid] = Sensor(sid, "pressure_kpa", n.lon, n.lat, node=n.id, accuracy_kpa=0.1)
    return net


def interval_grid(loc: Locator, scans: list[tuple[int, Any]], total_m: float
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every temperature × density level × case: is the leak pipe inside the interval, the interval's
    share of the network length, and the probability mass it holds (its stated confidence)."""
    hit = np.zeros((len(TEMPERATURES), len(LEVELS), len(scans)), dtype=bool)
    share = np.zeros(hit.shape)
    mass = np.zeros(hit.shape)
    for a, temp in enumerate(TEMPERATURES):
        for c, (j, scan) in enumerate(scans):
            prob = loc.posterior(scan, temperature=temp)[1]
            for b, lam in enumerate(LEVELS):
                chosen, mass[a, b, c] = interval(prob, loc.pipe_lengths, IntervalRule(0.9, lam, 0.5))
                hit[a, b, c] = j in set(chosen.tolist())
                share[a, b, c] = float(loc.pipe_lengths[chosen].sum()) / total_m
    return hit, share, mass


def bounds(hit: np.ndarray, share: np.ndarray, mass: np.ndarray, mask: np.ndarray, *, max_gap: float = 1.0
           ) -> dict[str, tuple[float, float, float, float] | None]:
    """Over the temperature × level grid, on the cases in ``mask``, among the settings whose calibration gap
    |mean stated confidence − coverage| is at most ``max_gap``: the shortest mean interval whose coverage is
    ≥ 90 % and the highest coverage whose mean interval is ≤ 5 %, each as (length share, coverage, mean
    stated confidence, temperature)."""
    out: dict[str, tuple[float, float, float, float] | None] = {"len_at_cov": None, "cov_at_len": None}
    if not mask.any():
        return out
    cov = hit[:, :, mask].mean(axis=2)
    length = share[:, :, mask].mean(axis=2)
    stated = mass[:, :, mask].mean(axis=2)
    fair = np.abs(stated - cov) <= max_gap + 1e-12

    def pick(ok: np.ndarray, key: np.ndarray) -> tuple[float, float, float, float]:
        a, b = np.unravel_index(np.argmin(np.where(ok, key, np.inf)), ok.shape)
        return float(length[a, b]), float(cov[a, b]), float(stated[a, b]), TEMPERATURES[a]

    ok = fair & (cov >= TARGET_COVERAGE)
    if ok.any():
        out["len_at_cov"] = pick(ok, length)
    ok = fair & (length <= TARGET_LENGTH)
    if ok.any():
        out["cov_at_len"] = pick(ok, -cov)
    return out


def cross_validated(loc: Locator, scans: list[tuple[int, Any]], total_m: float) -> tuple[float, float, float, int]:
    """The localizer's own calibration (``engine.confidence.calibrate_temperature``, density level for a mean
    mass of ``DENSITY_TARGET``) made on one half of the detected cases and scored on the other, both ways:
    (coverage, mean stated confidence, mean interval share, cases scored)."""
    folds = (scans[0::2], scans[1::2])
    hits, stated, share = [], [], []
    for calib, scored in ((folds[0], folds[1]), (folds[1], folds[0])):
        if not calib or not scored:
            continue
        rep = calibrate_temperature(loc, [], apply=False, target_mass=DENSITY_TARGET, scans=calib)
        rule = IntervalRule(loc.settings.confidence, rep.density_level, loc.settings.min_confidence)
        for j, scan in scored:
            chosen, mass = interval(loc.posterior(scan, temperature=rep.temperature)[1], loc.pipe_lengths, rule)
            hits.append(j in set(chosen.tolist()))
            stated.append(mass)
            share.append(float(loc.pipe_lengths[chosen].sum()) / total_m)
    if not hits:
        return 0.0, 0.0, 0.0, 0
    return float(np.mean(hits)), float(np.mean(stated)), float(np.mean(share)), len(hits)


def run_variant(key: str, variant: Variant, n: int) -> dict[str, Any]:
    name, make = NETS[key]
    net = make()
    if variant.sensors:
        net = with_sensors(net, variant.sensors)
    n_sensors = sum(s.quantity == "pressure_kpa" for s in net.sensors.values())
    t0 = time.perf_counter()
    loc = Locator(net, LocateSettings(**variant.settings))
    cases = leak_cases(net, n, seed=SEED, minutes=variant.minutes, errors=variant.errors)
    index = {p: i for i, p in enumerate(loc.pipe_ids)}
    scans = [(index[c.pipe], loc.scan(c.readings)) for c in cases if c.pipe is not None]
    detected = np.array([s.stat_max >= loc.settings.threshold for _j, s in scans])
    found = [js for js, d in zip(scans, detected, strict=True) if d]
    grids = interval_grid(loc, found, net.total_length_m)
    cv = cross_validated(loc, found, net.total_length_m)
    # Back to one column per case (undetected: never inside, length 0 — masked out when scoring).
    full_hit = np.zeros((len(TEMPERATURES), len(LEVELS), len(scans)), dtype=bool)
    full_share, full_mass = np.zeros(full_hit.shape), np.zeros(full_hit.shape)
    full_hit[:, :, detected], full_share[:, :, detected], full_mass[:, :, detected] = grids
    row = {"key": key, "network": name, "variant": variant.label, "sensors": n_sensors, "cases": len(cases),
           "detected": detected, "hit": full_hit, "share": full_share, "mass": full_mass, "cv": cv,
           "wall_s": round(time.perf_counter() - t0, 1)}
    print({k: v for k, v in row.items() if k not in ("hit", "share", "mass", "detected")} | {
        "detected": int(detected.sum()), "any": bounds(full_hit, full_share, full_mass, detected),
        "calibrated": bounds(full_hit, full_share, full_mass, detected, max_gap=MAX_GAP)}, flush=True)
    return row


def render(rows: list[dict[str, Any]], n: int) -> str:
    def len_cell(b: tuple[float, ...] | None) -> str:
        return "none reaches 90 %" if b is None else f"{100 * b[0]:.1f} % ({100 * b[1]:.0f} % / {b[2]:.2f})"

    def cov_cell(b: tuple[float, ...] | None) -> str:
        return "—" if b is None else f"{100 * b[1]:.0f} % ({100 * b[0]:.1f} % / {b[2]:.2f})"

    base = {r["key"]: r for r in rows if r["variant"] == VARIANTS[0].label}
    table_rows = []
    for r in rows:
        grids = (r["hit"], r["share"], r["mass"])
        free = bounds(*grids, r["detected"])
        fair = bounds(*grids, r["detected"], max_gap=MAX_GAP)
        b0 = base.get(r["key"])
        both = r["detected"] & b0["detected"] if b0 is not None else r["detected"]
        paired = bounds(*grids, both, max_gap=MAX_GAP)
        cov, stated, share, _n = r["cv"]
        table_rows.append([r["network"], r["variant"], r["sensors"], f"{int(r['detected'].sum())} / {r['cases']}",
                           f"{100 * cov:.0f} % / {stated:.2f} / **{100 * share:.1f} %**",
                           len_cell(fair["len_at_cov"]), cov_cell(fair["cov_at_len"]),
                           f"{int(both.sum())}: " + len_cell(paired["len_at_cov"]), len_cell(free["len_at_cov"])])
    table = markdown_table(
        ["network", "variant", "pressure sensors", "detected",
         "calibrated on the other half: coverage / stated / mean interval",
         "in-sample: shortest mean interval at coverage ≥ 90 %, gap ≤ 0.05",
         "in-sample: best coverage at mean interval ≤ 5 %, gap ≤ 0.05",
         "in-sample, shortest at ≥ 90 %, gap ≤ 0.05, on the cases the first row detects too",
         "in-sample, shortest at ≥ 90 %, any stated confidence"], table_rows)
    return (
        f"{n} development leak cases per variant (seed family {SEED}, never used by the locate benchmark), "
        "the same leaks in every variant of a network; the model errors of the locate benchmark except where "
        "a variant changes one. Intervals follow the density-level rule. **Calibrated on the other half**: the "
        "detected cases are split in two (alternately); the localizer's own calibration (temperature and density "
        "level, as the locate benchmark and the desktop make it) is made on one half and scored on the other, "
        "both ways, so every detected case is scored once by a calibration that never saw it — what the variant "
        "would really give. **In-sample** figures are the best over a grid of "
        f"{len(TEMPERATURES)} posterior temperatures × {len(LEVELS)} density levels chosen on the cases they are "
        "scored on: optimistic bounds (on development cases a choice that held 91 % in-sample held 66 % on "
        "other cases), useful only to see which variants leave no room at all. In-sample cells: mean interval "
        "(coverage / mean stated confidence).\n\n" + table
        + "\n\nA variant that detects more also adds weaker, harder leaks; the column \"on the cases the first row detects too\" compares it with its "
        "network's first row on the leaks both detect. Halves of fewer than about 40 detected cases are too few "
        "to calibrate on (the coverage curve over the temperatures is then noisier than its slope), so such "
        "cross-validated cells swing between variants for no physical reason; there the in-sample columns say more."
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=120)
    ap.add_argument("--only", default="demo,grid,large")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-write", action="store_true", help="print the table only")
    args = ap.parse_args()
    jobs = [(k, v) for k in args.only.split(",") for v in VARIANTS
            if k != "large" or v.label in LARGE_VARIANTS]
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        rows = list(pool.map(run_variant, *zip(*jobs, strict=True), [args.cases] * len(jobs)))
    body = render(rows, args.cases)
    print(body)
    if not args.no_write:
        cmd = "python -m benchmarks.locate_limits" + (f" --cases {args.cases}" if args.cases != 120 else "") + (
            f" --only {args.only}" if args.only != "demo,grid,large" else "")
        write_section("locate_limits", "What limits the leak interval (issue 3)", cmd, body)
        print("written to docs/benchmarks.md", os.linesep)


if __name__ == "__main__":
    main()
