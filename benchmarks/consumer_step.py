"""Large consumers switching on or off: the alarms they raise without their own meter, and with it.

    python -m benchmarks.consumer_step [--quiet N] [--cases N] [--only demo,grid] [--workers 2]

A boiler house (or a canteen, a factory) that starts takes tens of m³/h at one place at once: to the inlet
meter and the gauges that is what a leak looks like. Each network gets three boiler houses on short service
pipes (DN80, 27 m) at random junctions of pipes of DN65 or wider, each with a flow meter on its service pipe
(``engine.consumer_meters``);
their nominal demand is 0 (a switching load, not part of the diurnal demand). Windows as in the locate
benchmark (issue 3's model errors, 45 minutes of 1-minute readings at a random time of day), localized as
the leak watch does (``meter_detect`` on), at the uncalibrated default (fixed-mass 0.9 interval, temperature 1).

* **No-leak windows**: one boiler house switches on (two thirds of the windows) or off (one third) by 4–15 %
  of the network's nominal total demand, at a time in the middle third. Scored twice on the same readings:
  without the boiler houses' meters (their columns left out: what the localizer did before, and does for a
  consumer with no meter) and with them.
* **Leak windows**: leaks of 3–10 % of the total demand anywhere on the network's own pipes (onset in the
  middle third), once with the boiler houses off throughout and once with one of them switching on at
  another time of the window (metered). Detection, coverage and interval length of both.

Seeds: 70_000 + network index (never used elsewhere).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from benchmarks.locate import NETS
from benchmarks.networks import PROJ
from benchmarks.report import markdown_table, write_section
from engine.confidence import run_window
from engine.locate import LocateSettings, Locator
from engine.network import Network, Node, Pipe, Sensor
from engine.simulate import Readings, ScheduledDemand, ScheduledLeak
from engine.solver import Leak

BOILERS = 3
MINUTES = 45


MIN_FEED_MM = 70.0  # a boiler house hangs off a pipe at least this wide (DN65; PE90 is 73.6 mm inside)


def with_boilers(net: Network, rng: random.Random, n: int = BOILERS) -> list[str]:
    """Attach ``n`` boiler houses BH1… (nominal demand 0) with a flow meter FT-BH1… on their service pipe, at
    junctions on a pipe of at least ``MIN_FEED_MM`` (a boiler house of tens of m³/h is not fed by a DN25
    service line)."""
    widest: dict[str, float] = {}
    for p in net.pipes.values():
        for end in (p.from_node, p.to_node):
            widest[end] = max(widest.get(end, 0.0), p.diameter_mm)
    junctions = [x for x in net.nodes.values() if x.kind == "junction" and widest.get(x.id, 0.0) >= MIN_FEED_MM]
    out = []
    for i, j in enumerate(rng.sample(junctions, n), 1):
        x, y = PROJ.to_xy(j.lon, j.lat)
        lon, lat = PROJ.to_lonlat(x + 25.0, y + 10.0)
        node, pipe = f"BH{i}", f"BH{i}-P"
        net.nodes[node] = Node(node, "junction", lon, lat, name=f"boiler house {i}")
        net.pipes[pipe] = Pipe(pipe, "pipe", j.id, node, 27.0, 80.0, [(j.lon, j.lat), (lon, lat)])
        net.sensors[f"FT-BH{i}"] = Sensor(f"FT-BH{i}", "flow_m3h", lon, lat, pipe=pipe)
        out.append(node)
    return out


def without_meters(r: Readings) -> Readings:
    """The same readings without the boiler houses' meters."""
    keep = [j for j, p in enumerate(r.points) if not p.startswith("FT-BH")]
    return Readings(r.times, [r.points[j] for j in keep], [r.quantities[j] for j in keep], r.values[:, keep])


def _switch(node: str, m3h: float, onset_s: float, on: bool) -> list[ScheduledDemand]:
    """Switching on at ``onset_s``, or off then (on since an hour before the window)."""
    return [ScheduledDemand(node, m3h, onset_s)] if on else [ScheduledDemand(node, m3h, -3600.0),
                                                             ScheduledDemand(node, -m3h, onset_s)]


def _onset(rng: random.Random) -> float:
    t = rng.uniform(MINUTES / 3, 2 * MINUTES / 3) * 60
    return t - t % 60


def _job(key: str, n_quiet: int, n_leak: int) -> dict:
    i = list(NETS).index(key)
    seed = 70_000 + i
    rng = random.Random(seed)
    net = NETS[key][1]()
    own_pipes = [p for p in net.pipes.values() if p.kind == "pipe" and p.is_open]
    total = net.total_demand_m3h
    boilers = with_boilers(net, rng)
    loc = Locator(net, LocateSettings(meter_detect=True))
    t0 = time.time()
    quiet, secs = [], []
    for c in range(n_quiet):
        size = total * rng.uniform(0.04, 0.15)
        steps = _switch(boilers[c % BOILERS], size, _onset(rng), on=c % 3 != 2)
        r = run_window(net, seed * 100_000 + c, MINUTES, steps=steps)
        bare = loc.locate(without_meters(r)).detected_by
        t = time.perf_counter()
        metered = loc.locate(r).detected_by
        secs.append(time.perf_counter() - t)
        quiet.append({"bare": bare, "metered": metered, "frac": size / total})
    leaks = []
    for c in range(n_leak):
        p = rng.choices(own_pipes, weights=[x.length_m for x in own_pipes])[0]
        leak = ScheduledLeak(Leak(p.id, total * rng.uniform(0.03, 0.10), rng.uniform(0, p.length_m)), _onset(rng))
        other = rng.uniform(5, MINUTES - 5) * 60
        steps = [ScheduledDemand(boilers[c % BOILERS], total * rng.uniform(0.04, 0.15), other - other % 60)]
        row = {}
        for name, st in (("plain", ()), ("switch", steps)):
            res = loc.locate(run_window(net, seed * 100_003 + c, MINUTES, leak, steps=st))
            row[name] = {"by": res.detected_by, "in": p.id in res.interval_pipes,
                         "len": res.interval_length_m / net.total_length_m}
        leaks.append(row)
    return {"key": key, "name": NETS[key][0], "quiet": quiet, "leaks": leaks,
            "ms": 1000 * statistics.median(secs) if secs else 0.0, "minutes": (time.time() - t0) / 60}


def _alarms(rows: list[dict], which: str) -> str:
    by = [r[which] for r in rows]
    return f"{sum(b != '' for b in by)} of {len(by)} ({by.count('pressure')} / {by.count('meter')})"


def _leak_cells(rows: list[dict], which: str) -> list[str]:
    found = [r[which] for r in rows if r[which]["by"]]
    if not found:
        return ["0", "–", "–"]
    return [f"{len(found)} of {len(rows)}", f"{100 * np.mean([f['in'] for f in found]):.0f} %",
            f"{100 * statistics.mean(f['len'] for f in found):.1f} %"]


def render(results: list[dict]) -> str:
    head = ["network", "no-leak windows: alarms without the meters (gauges / inlet meter)", "with the meters",
            "leaks: found, boilers off", "covered", "interval", "found, a boiler switching on", "covered",
            "interval", "ms / window (metered)"]
    body = []
    for r in results:
        body.append([r["name"], _alarms(r["quiet"], "bare"), _alarms(r["quiet"], "metered"),
                     *_leak_cells(r["leaks"], "plain"), *_leak_cells(r["leaks"], "switch"), f"{r['ms']:.0f}"])
    note = ("A boiler house switches on or off by 4–15 % of the nominal total demand (2 of 3 windows on). "
            "Alarms: windows in which the localizer reports a leak (by the gauges / by the inlet meter alone). "
            "Interval: mean over the leaks found, % of the network's pipe length, fixed-mass 0.9 at temperature "
            "1 (uncalibrated, the same for both columns).")
    return markdown_table(head, body) + "\n\n" + note


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quiet", type=int, default=120, help="no-leak windows per network")
    ap.add_argument("--cases", type=int, default=60, help="leak windows per network (each run twice)")
    ap.add_argument("--only", default="", help="comma-separated subset: demo,grid,large")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--quick", action="store_true", help="6 + 4 windows; do not write docs")
    args = ap.parse_args()
    n = (6, 4) if args.quick else (args.quiet, args.cases)
    keys = [k for k in NETS if not args.only or k in args.only.split(",")]
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        results = [f.result() for f in [pool.submit(_job, k, *n) for k in keys]]
    for r in results:
        print(f"{r['name']}: {r['minutes']:.1f} min")
    body = render(results)
    if not args.quick:
        only = f" --only {args.only}" if args.only else ""
        write_section("consumer_step", "Large consumers switching on or off (metered consumers)",
                      f"python -m benchmarks.consumer_step --quiet {args.quiet} --cases {args.cases}{only}", body)
    print(body)


if __name__ == "__main__":
    main()
