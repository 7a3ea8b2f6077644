"""What the dispatcher sees: the leak watch's sliding window followed minute by minute (issue 3, item 7).

    python -m benchmarks.locate_follow [--cases N] [--quiet N] [--only demo,grid,large] [--workers 2]

The locate benchmark (``benchmarks/locate.py``) scores one 45-minute window per case with the onset in its
middle third. The desktop does something else: its leak watch locates on the last 60 minutes every 30 s,
raises the alarm once the detection is confirmed (``LeakWatch.CONFIRM_S`` of the last ``CONFIRM_SPAN_S``), and
keeps following the leak; a ticket's evidence is located on the window that ends 45 minutes after the onset
once the onset has left the live window (``anran_desktop/services/interval_refine.py``). This benchmark
replays that, with the desktop's own calibration (``engine.confidence.calibrate_site``: 200 simulated leaks of
60-minute windows, seed 2026, as a site's first start makes it):

* **Leak cases**: the simulator's model errors of the locate benchmark, a leak of 3–10 % of the total demand
  at a uniformly random point, onset 60 minutes into the run; the 60-minute window ending 1, 2, … 45 minutes
  after the onset is located. Reported per minute after the onset: how many leaks are detected, the coverage
  and stated confidence of the intervals then, and their mean length; and the interval the alarm is raised
  with (the confirming check).
* **No-leak periods**: two hours of the watch (a check every minute) with no leak, starting at a random time
  of day (so the diurnal demand moves), every consumer's demand stepping by a random −5 … +5 % once at a
  random time. An alarm raised is a false alarm; one raised again after 10 minutes without a detection is
  another (the watch's ``clear_after_s``).

Every check's detection statistic is kept, so alarm rules are replayed on the same checks: the watch's
confirmation (``anran_desktop/services/leak_confirm.py``: detected for N of the last M minutes of readings)
for several N and M, and higher single-check thresholds, each with its alarms and their delay, the interval it
raises the alarm with, and its false alarms. The benchmark checks every minute, the desktop every 30 s (each
check then counts for 30 s: the same minutes of readings at twice as many checks). ``--raw DIR`` writes the
checks as JSON, and with ``--from-log`` replays the rules on them again.

Seeds: leaks 20_000 + network index, no-leak periods 30_000 + network index (never used elsewhere), each
plus ``--seed-offset`` (another set of cases for a check on cases a choice was not made on).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from anran_desktop.services.leak_confirm import Confirmation, alarms_raised
from anran_desktop.services.leak_watch import LeakWatch
from benchmarks.locate import NETS
from benchmarks.report import markdown_table, write_section
from engine.confidence import (
    StoredCalibration,
    calibrate_site,
    load_calibrations,
    network_fingerprint,
    run_window,
)
from engine.locate import LocateSettings, Locator
from engine.network import Network
from engine.simulate import Readings, ScheduledLeak
from engine.solver import Leak

WINDOW_MIN = 60  # the leak watch's window (LeakWatch.window_s)
FOLLOW_MIN = 45  # minutes after the onset followed (the ticket's stored window ends at onset + 0.75 window)
QUIET_MIN = 120  # a no-leak period's length of watching
CLEAR_MIN = 10  # LeakWatch.clear_after_s
REPORT_AT = (5, 10, 15, 20, 30, 45)
WATCH_RULE = (round(LeakWatch.CONFIRM_S / 60), round(LeakWatch.CONFIRM_SPAN_S / 60), 14.0)  # the desktop's
#: alarm rules replayed on the same checks: (minutes detected, of the last minutes, detection threshold)
RULES = ((0, 0, 14.0), (3, 3, 14.0), (6, 6, 14.0), (4, 6, 14.0), (6, 9, 14.0), (8, 12, 14.0), (0, 0, 18.0),
         (0, 0, 22.0), (3, 3, 18.0))


@dataclass
class Follow:
    """One leak case followed: per minute after the onset, (detected, in interval, length m, confidence,
    detection statistic)."""

    pipe: str
    rate: float
    checks: dict[int, tuple[bool, bool, float, float, float]] = field(default_factory=dict)


def window(r: Readings, end_s: float) -> Readings:
    """The watch's window: the readings of the last WINDOW_MIN minutes up to ``end_s``."""
    keep = (r.times > end_s - WINDOW_MIN * 60 + 1e-6) & (r.times <= end_s + 1e-6)
    return Readings(r.times[keep], r.points, r.quantities, r.values[keep])


def desktop_calibration(net: Network) -> tuple[StoredCalibration, str]:
    """The calibration the desktop would use for this site: the bundled one when it is current (the demo
    site), else the one a first start computes."""
    from anran_desktop.services.site_confidence import bundled_path

    cal = load_calibrations(bundled_path()).get(network_fingerprint(net))
    if cal is not None and cal.current and cal.minutes == WINDOW_MIN:
        return cal, "bundled"
    return calibrate_site(net, cases=200, minutes=WINDOW_MIN), "computed as a first start does"


def _locator(net: Network, cal: StoredCalibration) -> Locator:
    loc = Locator(net, LocateSettings())
    cal.apply(loc.settings)
    return loc


def _leaks(net: Network, n: int, seed: int) -> list[tuple[int, str, float, float, float]]:
    """(case, pipe, position m, rate m³/h, run seed): drawn like ``engine.confidence.leak_cases``."""
    rng = random.Random(seed)
    pipes = [p for p in net.pipes.values() if p.kind == "pipe" and p.is_open]
    weights = [p.length_m for p in pipes]
    out = []
    for c in range(n):
        p = rng.choices(pipes, weights=weights)[0]
        rate = net.total_demand_m3h * rng.uniform(0.03, 0.10)
        out.append((c, p.id, rng.uniform(0, p.length_m), rate, seed * 100_003 + c))
    return out


def _follow_leaks(key: str, cal: StoredCalibration, cases: list[tuple[int, str, float, float, float]]) -> list[Follow]:
    net = NETS[key][1]()
    loc = _locator(net, cal)
    out = []
    for _c, pid, pos, rate, run_seed in cases:
        onset_s = WINDOW_MIN * 60.0
        r = run_window(net, int(run_seed), WINDOW_MIN + FOLLOW_MIN, ScheduledLeak(Leak(pid, rate, pos), onset_s))
        f = Follow(pid, rate)
        for d in range(1, FOLLOW_MIN + 1):
            res = loc.locate(window(r, float(r.times[0]) + onset_s + 60 * d))
            f.checks[d] = (res.leak_detected, pid in res.interval_pipes, res.interval_length_m, res.confidence,
                           res.statistic)
        out.append(f)
    return out


def _watch_quiet(key: str, cal: StoredCalibration, seed: int, cases: list[int]) -> list[list[float]]:
    """Each no-leak period's detection statistic at every check (minute 0 … QUIET_MIN)."""
    net = NETS[key][1]()
    loc = _locator(net, cal)
    out = []
    for c in cases:
        rng = random.Random(seed * 7919 + c)
        swing = (rng.uniform(WINDOW_MIN, WINDOW_MIN + QUIET_MIN) * 60, 1 + rng.uniform(-0.05, 0.05))
        r = run_window(net, seed * 100_003 + c, WINDOW_MIN + QUIET_MIN, None, swing)
        out.append([loc.locate(window(r, float(r.times[0]) + (WINDOW_MIN + d) * 60)).statistic
                    for d in range(0, QUIET_MIN + 1)])
    return out


def rule_row(follows: list[Follow], quiet: list[list[float]], rule: tuple[int, int, float],
             total_m: float) -> dict[str, object]:
    """One alarm rule replayed on the recorded checks (``alarms_raised`` with the watch's own
    ``Confirmation``): detected ``rule[0]`` of the last ``rule[1]`` minutes at threshold ``rule[2]``."""
    held, span, threshold = rule

    def replay(checks: list[tuple[float, bool]]) -> list[int]:
        return alarms_raised(checks, Confirmation(60.0 * held, 60.0 * span), 60.0 * CLEAR_MIN)

    # The watch has been checking before the onset: the check at the onset (no leak in its window yet) is taken
    # as undetected, so index i of a replay is minute i after the onset.
    hits = [replay([(0.0, False)] + [(60.0 * d, c[4] >= threshold) for d, c in sorted(f.checks.items())])
            for f in follows]
    raised = [f.checks[h[0]] for f, h in zip(follows, hits, strict=True) if h]
    firsts = [h[0] for h in hits if h]
    alarms = [len(replay([(60.0 * d, s >= threshold) for d, s in enumerate(q)])) for q in quiet]
    return {"held_min": held, "span_min": span, "threshold": threshold, "detected": len(firsts),
            "first_median": float(np.median(firsts)) if firsts else None,
            "first_p90": float(np.percentile(firsts, 90)) if firsts else None,
            "coverage": float(np.mean([c[1] for c in raised])) if raised else None,
            "confidence": float(np.mean([c[3] for c in raised])) if raised else None,
            "len_pct": 100 * float(np.mean([c[2] for c in raised])) / total_m if raised else None,
            "quiet_with_alarm": sum(a > 0 for a in alarms), "quiet_alarms": sum(alarms)}


def replay_rules(follows: list[Follow], quiet: list[list[float]], total_m: float) -> tuple[list[dict], dict]:
    """Every rule of RULES replayed, and the desktop's (WATCH_RULE)."""
    return [rule_row(follows, quiet, rule, total_m) for rule in RULES], rule_row(follows, quiet, WATCH_RULE, total_m)


def run_network(key: str, n_leak: int, n_quiet: int, workers: int, raw: Path | None = None,
                seed_offset: int = 0) -> dict[str, object]:
    t0 = time.perf_counter()
    index = list(NETS).index(key)
    net = NETS[key][1]()
    cal, where = desktop_calibration(net)
    cal_text = f"temperature {cal.temperature}, density level {cal.density_level:.2f} ({where})"
    leaks = _leaks(net, n_leak, 20_000 + index + seed_offset)
    chunks = [leaks[i::workers] for i in range(workers)]
    quiet = [list(range(n_quiet))[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        lf = [pool.submit(_follow_leaks, key, cal, ch) for ch in chunks]
        qf = [pool.submit(_watch_quiet, key, cal, 30_000 + index + seed_offset, ch) for ch in quiet]
        follows = [f for fut in lf for f in fut.result()]
        quiet_stats = [q for fut in qf for q in fut.result()]
    if raw is not None:
        raw.write_text(json.dumps({"key": key, "follows": [[f.pipe, f.rate, f.checks] for f in follows],
                                   "quiet": quiet_stats}), encoding="utf-8")
    total = net.total_length_m
    rules, watch = replay_rules(follows, quiet_stats, total)
    per_minute = []
    for d in REPORT_AT:
        det = [f.checks[d] for f in follows if f.checks[d][0]]
        per_minute.append({
            "minutes": d, "detected": len(det), "coverage": float(np.mean([c[1] for c in det])) if det else None,
            "confidence": float(np.mean([c[3] for c in det])) if det else None,
            "len_pct": 100 * float(np.mean([c[2] for c in det])) / total if det else None})
    return {
        "key": key, "name": NETS[key][0], "seed_offset": seed_offset, "pipes": len(net.pipe_ids()),
        "n_leak": len(follows), "n_quiet": len(quiet_stats),
        "calibration": cal_text, "per_minute": per_minute, "rules": rules, "watch": watch,
        "quiet_hours": len(quiet_stats) * QUIET_MIN / 60, "wall_s": time.perf_counter() - t0,
        "load": os.getloadavg()[1],
    }


def rescore(row: dict, raw: Path) -> dict:
    """``row`` (a printed result row) with its alarm rules replayed again on the checks ``--raw`` wrote:
    the rules (or the watch's) may change without locating every window again."""
    data = json.loads(raw.read_text(encoding="utf-8"))
    follows = [Follow(pipe, rate, {int(d): tuple(c) for d, c in checks.items()})
               for pipe, rate, checks in data["follows"]]
    rules, watch = replay_rules(follows, data["quiet"], NETS[row["key"]][1]().total_length_m)
    return dict(row, rules=rules, watch=watch)


def _pct(v: object, digits: int = 0) -> str:
    return "–" if v is None else f"{100 * float(v):.{digits}f} %"


def _rule_cells(x: dict, r: dict) -> list[object]:
    """A rule's cells: its alarms on the leak cases, their delay and interval, its false alarms."""
    return [f"{x['detected']} / {r['n_leak']}",
            "–" if x["first_median"] is None else f"{x['first_median']:.0f} / {x['first_p90']:.0f}",
            _pct(x["coverage"]), _pct(x["confidence"]), "–" if x["len_pct"] is None else f"{x['len_pct']:.1f} %",
            f"{x['quiet_with_alarm']} / {r['n_quiet']}", f"{x['quiet_alarms'] / max(r['quiet_hours'], 1e-9):.3f}"]


def _rule(x: dict) -> str:
    if not x["held_min"]:
        return f"first detection, threshold {x['threshold']:g}"
    return f"detected {x['held_min']} of the last {x['span_min']} min, threshold {x['threshold']:g}"


def render(rows: list[dict]) -> str:
    follow = markdown_table(
        ["network", "minutes after onset", "detected", "coverage (detected)", "mean stated confidence",
         "mean interval (% of length)"],
        [[r["name"], m["minutes"], f"{m['detected']} / {r['n_leak']}", _pct(m["coverage"]), _pct(m["confidence"]),
          "–" if m["len_pct"] is None else f"{m['len_pct']:.1f} %"] for r in rows for m in r["per_minute"]])
    head = ["alarms within 45 min", "minutes to the alarm (median / 90th percentile)",
            "coverage of the raised interval", "its mean stated confidence", "its mean length (% of length)",
            "no-leak periods with a false alarm", "false alarms per hour watched"]
    raised = markdown_table(["network", *head, "calibration used", "wall s"],
                            [[r["name"], *_rule_cells(r["watch"], r), r["calibration"], f"{r['wall_s']:.0f}"] for r in rows])
    rules = markdown_table(["network", "rule", *head],
                           [[r["name"], _rule(x), *_rule_cells(x, r)] for r in rows for x in r["rules"]])
    return (
        "The leak watch as the desktop runs it: the 60-minute window ending 1 … 45 minutes after the onset, "
        "located with the desktop's calibration (module docstring of `benchmarks/locate_follow.py`). The "
        "locate benchmark above scores one 45-minute window per case instead; these figures are a different "
        "question (what the dispatcher is shown as time goes on) and do not replace it.\n\n"
        + follow + f"\n\nThe alarm as the desktop raises it ({_rule(rows[0]['watch'])}) and the no-leak periods:\n\n"
        + raised + "\n\nAlarm rules replayed on the same checks (detected N of the last M min: the alarm is "
        "raised at a detecting check once N of the last M minutes' checks detected; threshold: the detection "
        "statistic a check needs):\n\n" + rules)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=150, help="leak cases per network")
    ap.add_argument("--quiet", type=int, default=50, help="two-hour no-leak periods per network")
    ap.add_argument("--only", default="", help="comma-separated subset: demo,grid,large")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed-offset", type=int, default=0, help="shift every seed (other cases)")
    ap.add_argument("--raw", metavar="DIR", help="also write every check's figures to DIR/NETWORK.json; with "
                    "--from-log, replay the alarm rules on them again")
    ap.add_argument("--from-log", metavar="LOG", help="write the section from the result rows runs printed")
    args = ap.parse_args()
    if args.from_log:
        import ast

        rows = [ast.literal_eval(line) for path in args.from_log.split(",")
                for line in Path(path).read_text(encoding="utf-8").splitlines() if line.startswith("{")]
        rows.sort(key=lambda r: list(NETS).index(r["key"]))
        if args.raw:
            rows = [rescore(r, Path(args.raw) / f"{r['key']}.json") for r in rows]
        body = render(rows)
        write_section("locate_follow", "The leak watch followed minute by minute (issue 3, item 7)",
                      "python -m benchmarks.locate_follow --only NETWORK --raw DIR > LOG` per network, then "
                      "`python -m benchmarks.locate_follow --from-log LOG,LOG,LOG --raw DIR", body)
        print(body)
        return
    rows = []
    for key in [k for k in NETS if not args.only or k in args.only.split(",")]:
        row = run_network(key, args.cases, args.quiet, args.workers,
                          Path(args.raw) / f"{key}.json" if args.raw else None, args.seed_offset)
        print(row, flush=True)
        rows.append(row)
    print(render(rows))
    if not args.only:
        write_section("locate_follow", "The leak watch followed minute by minute (issue 3, item 7)",
                      "python -m benchmarks.locate_follow", render(rows))


if __name__ == "__main__":
    main()
