"""The inlet meter alone (``LocateSettings.meter_detect``): the leaks it adds to the gauges, and its cost.

    python -m benchmarks.meter_step [--cases N] [--quiet N] [--periods N] [--only demo,grid] [--workers 2]

At night a leak can hardly move the gauges (the flows are small, and pressure drops grow with the square of
the flow), while the inlet meter sees its whole rate. The desktop's leak watch
therefore also reports a leak from the meter's largest rise in the window when the gauges stay under their
threshold (at least ``meter_z`` standard errors and ``meter_min_frac`` of the inflow). Scored here:

* **Single windows**, as the locate benchmark makes them (issue 3's model errors, 45 minutes at 1-minute
  readings, a random time of day): leaks of 3–10 % of the total demand at a uniformly random point, onset in
  the middle third; no-leak windows with every consumer's demand stepping by −5 … +5 % at a random time.
  Per network: leaks found by the gauges, added by the meter (at night, 22:00–06:00 local, and by day), their
  coverage, stated confidence and interval length, the rate's error; false alarms of each on the no-leak
  windows.
* **The watch**: two-hour no-leak periods checked every minute on the watch's 60-minute window, each with one
  ±5 % demand step; a meter detection must hold as any detection does (``leak_confirm``: 6 of the last 9
  minutes) before it is an alarm. Counted: the periods that would raise an alarm from the meter.

The thresholds (z 12, 8 %) were chosen on development cases (seed 4242, 150 leaks + 150 no-leak windows
per network, never scored here). Seeds here: 50_000 + network index (windows), 60_000 + network index
(periods). The gauges' own figures are the locate benchmark's; this only adds the meter.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from concurrent.futures import ProcessPoolExecutor

from anran_desktop.services.leak_confirm import Confirmation, alarms_raised
from anran_desktop.services.leak_watch import LeakWatch
from benchmarks.locate import NETS
from benchmarks.locate_follow import QUIET_MIN, WINDOW_MIN, window
from benchmarks.report import markdown_table, write_section
from engine.confidence import leak_cases, run_window
from engine.locate import LocateSettings, Locator

NIGHT_H = (22, 6)  # local hours counted as night (the demo site's UTC+8)
UTC_OFFSET_H = 8


def _night(t_epoch_s: float) -> bool:
    h = (t_epoch_s / 3600 + UTC_OFFSET_H) % 24
    return h >= NIGHT_H[0] or h < NIGHT_H[1]


def _windows(key: str, n_leak: int, n_quiet: int, seed: int) -> dict:
    net = NETS[key][1]()
    loc = Locator(net, LocateSettings(meter_detect=True))
    rows, quiet, secs = [], [], []
    for case in leak_cases(net, n_leak, seed=seed):
        t = time.perf_counter()
        res = loc.locate(case.readings)
        secs.append(time.perf_counter() - t)
        onset = float(case.readings.times[0]) + 30 * 60  # the latest onset a case can have: night or day below
        rows.append({"by": res.detected_by, "night": _night(onset), "in": case.pipe in res.interval_pipes,
                     "conf": res.confidence, "len": res.interval_length_m / net.total_length_m,
                     "rate_err": abs(res.leak_m3h - case.rate_m3h) / case.rate_m3h if res.leak_detected else None})
    rng = random.Random(seed)
    for c in range(n_quiet):
        swing = (rng.uniform(15, 30) * 60, 1 + rng.uniform(-0.05, 0.05))
        res = loc.locate(run_window(net, seed * 100_000 + c, 45, None, swing))
        quiet.append(res.detected_by)
    return {"rows": rows, "quiet": quiet, "ms": 1000 * statistics.median(secs)}


def _periods(key: str, n: int, seed: int) -> dict:
    """Per no-leak period: the minutes the meter alone detected, and the alarms the watch's rule raises."""
    net = NETS[key][1]()
    loc = Locator(net, LocateSettings(meter_detect=True))
    alarms, fired, checks = 0, 0, 0
    for c in range(n):
        rng = random.Random(seed * 7919 + c)
        swing = (rng.uniform(WINDOW_MIN, WINDOW_MIN + QUIET_MIN) * 60, 1 + rng.uniform(-0.05, 0.05))
        r = run_window(net, seed * 100_003 + c, WINDOW_MIN + QUIET_MIN, None, swing)
        seq = []
        for d in range(QUIET_MIN + 1):
            end = float(r.times[0]) + (WINDOW_MIN + d) * 60
            by = loc.locate(window(r, end)).detected_by
            seq.append((end, by == "meter"))
            fired += by == "meter"
            checks += 1
        rule = Confirmation(LeakWatch.CONFIRM_S, LeakWatch.CONFIRM_SPAN_S)
        alarms += bool(alarms_raised(seq, rule, 600.0))
    return {"periods": n, "with_alarm": alarms, "meter_checks": fired, "checks": checks}


def _job(key: str, n_leak: int, n_quiet: int, n_periods: int) -> dict:
    i = list(NETS).index(key)
    t = time.time()
    out = {"key": key, "name": NETS[key][0], **_windows(key, n_leak, n_quiet, 50_000 + i)}
    out["watch"] = _periods(key, n_periods, 60_000 + i) if n_periods else None
    out["minutes"] = (time.time() - t) / 60
    return out


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.0f} %)" if b else "–"


def render(results: list[dict]) -> str:
    head = ["network", "leaks", "gauges", "+ meter alone (night / day)", "meter alone: covered",
            "stated", "interval, mean (median)", "rate error, median", "no-leak windows: gauges / meter",
            "watch periods with a meter alarm", "ms / window"]
    body = []
    for r in results:
        rows = r["rows"]
        gauges = sum(x["by"] == "pressure" for x in rows)
        meter = [x for x in rows if x["by"] == "meter"]
        night = sum(x["night"] for x in meter)
        lens = [x["len"] for x in meter]
        w = r["watch"]
        body.append([
            r["name"], len(rows), _pct(gauges, len(rows)), f"+{len(meter)} ({night} / {len(meter) - night})",
            _pct(sum(x["in"] for x in meter), len(meter)),
            f"{statistics.mean(x['conf'] for x in meter):.2f}" if meter else "–",
            f"{100 * statistics.mean(lens):.0f} % ({100 * statistics.median(lens):.0f} %)" if lens else "–",
            f"{100 * statistics.median(x['rate_err'] for x in meter):.0f} %" if meter else "–",
            f"{r['quiet'].count('pressure')} / {r['quiet'].count('meter')} of {len(r['quiet'])}",
            f"{w['with_alarm']} of {w['periods']} ({w['meter_checks']} of {w['checks']} checks)" if w else "–",
            f"{r['ms']:.0f}"])
    note = ("Interval: % of the network's pipe length (the fixed-mass 0.9 interval at temperature 1.0, which "
            "meter-alone detections use instead of the site's calibration). Night: 22:00–06:00 local. "
            "A leak found by the meter alone is placed where a leak of its size would leave the gauges as they "
            "are: many pipes, hence the long intervals.")
    return markdown_table(head, body) + "\n\n" + note


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=150, help="leak windows per network")
    ap.add_argument("--quiet", type=int, default=150, help="no-leak windows per network")
    ap.add_argument("--periods", type=int, default=30, help="two-hour no-leak watch periods per network")
    ap.add_argument("--only", default="", help="comma-separated subset: demo,grid,large")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--quick", action="store_true", help="10 + 10 windows, 2 periods; do not write docs")
    args = ap.parse_args()
    n = (10, 10, 2) if args.quick else (args.cases, args.quiet, args.periods)
    keys = [k for k in NETS if not args.only or k in args.only.split(",")]
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        futs = [pool.submit(_job, k, *n) for k in keys]
        results = [f.result() for f in futs]
    for r in results:
        print(f"{r['name']}: {r['minutes']:.1f} min")
    body = render(results)
    if not args.quick:
        only = f" --only {args.only}" if args.only else ""
        write_section("meter_step", "Leaks found by the inlet meter alone (the leak watch)",
                      f"python -m benchmarks.meter_step --cases {args.cases} --quiet {args.quiet} "
                      f"--periods {args.periods}{only}", body)
    print(body)


if __name__ == "__main__":
    main()
