"""Meter-reading benchmark on generated photos with exact ground truth → docs/benchmarks.md.

Usage: .venv/bin/python -m benchmarks.meters [--n 60]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

from benchmarks.report import markdown_table, write_section
from vision import MeterReader
from vision.synth.gauge import draw_gauge, make_gauge
from vision.synth.photo import degrade
from vision.synth.register import make_register


def fixed_camera_frames(seed: int, fracs: list[float]) -> list[tuple[np.ndarray, float]]:
    """Frames of one fixed camera on one gauge (same design and pose), needle at ``fracs``."""
    out = []
    for f in fracs:
        card, truth = draw_gauge(np.random.default_rng(seed), value_frac=f)
        photo, _ = degrade(card, np.random.default_rng(seed + 1), "clear")
        out.append((photo, truth.value))
    return out


def run(n: int, seed_base: int = 130_000) -> tuple[list[list[str]], dict]:
    reader = MeterReader()
    rows = []
    raw: dict = {}
    # held-out seeds: never looked at while developing the reader. Used for reports so far and therefore no
    # longer held out: 10000+/20000+, 50000+/60000+ (development, also of the 2026-12-03 scale fit),
    # 70000+/80000+ (stop 11's report), 130000+/140000+, 150000+/160000+ (the 2026-12-02 report),
    # 210000+/220000+ (the 2026-12-03 report), 300000+…330000+ (development of the outline fallback),
    # 230000+/240000+ (its report).
    for tier, base in (("clear", seed_base), ("degraded", seed_base + 10_000)):
        err_r, err_a, rev_d, lat_d, silent_d = [], [], 0, [], 0
        cal = {"right": 0, "wrong": 0, "wrong_unflagged": 0, "none": 0}
        for i in range(n):
            img, t = make_gauge(base + i, tier)
            span = t.value_range[1] - t.value_range[0]
            t0 = time.perf_counter()
            r = reader.read(img, kind="dial", value_range=t.value_range)
            lat_d.append(time.perf_counter() - t0)
            err_r.append(100 * abs((r.value if r.value is not None else t.value_range[0] - span) - t.value) / span)
            rev_d += r.needs_review
            silent_d += (not r.needs_review) and err_r[-1] > 1.5  # wrong beyond the degraded target, not flagged
            a = reader.read(img, kind="dial")
            if a.value is None or a.value_range is None:
                cal["none"] += 1  # the range is asked for
                err_a.append(100.0)
            elif a.value_range != t.value_range:
                cal["wrong"] += 1  # a wrong range proposed: the worst outcome
                cal["wrong_unflagged"] += not a.needs_review
                err_a.append(min(100.0, 100 * abs(a.value - t.value) / span))
            else:
                cal["right"] += 1
                err_a.append(100 * abs(a.value - t.value) / span)
        ok, rev_r, lat_r, ok_trusted, n_trusted = 0, 0, [], 0, 0
        for i in range(n):
            img, t = make_register(base + 5000 + i, tier)
            t0 = time.perf_counter()
            r = reader.read(img, kind="register")
            lat_r.append(time.perf_counter() - t0)
            good = r.value is not None and (abs(r.value - t.value) < 1e-9 or abs(r.value - t.value_upper) < 1e-9)
            ok += good
            rev_r += r.needs_review
            if not r.needs_review:
                n_trusted += 1
                ok_trusted += good
        raw[tier] = dict(err_r=err_r, err_a=err_a)
        rows.append([
            tier, f"{statistics.mean(err_r):.2f}", f"{statistics.median(err_r):.2f}", f"{statistics.mean(err_a):.2f}",
            f"{cal['right']} / {cal['wrong']} ({cal['wrong_unflagged']}) / {cal['none']}", f"{100 * rev_d / n:.0f} %", f"{silent_d}/{n}", f"{1000 * statistics.median(lat_d):.0f}",
            f"{100 * ok / n:.1f} %", f"{100 * ok_trusted / max(n_trusted, 1):.1f} % of {n_trusted}",
            f"{100 * rev_r / n:.0f} %", f"{1000 * statistics.median(lat_r):.0f}",
        ])
    # fixed camera
    fr = fixed_camera_frames(777, [0.5] + list(np.linspace(0.05, 0.95, 19)))
    img0, v0 = fr[0]
    card, truth = draw_gauge(np.random.default_rng(777), value_frac=0.5)
    prof = reader.calibrate(img0, truth.value_range, truth.unit)
    span = truth.value_range[1] - truth.value_range[0]
    errs, lats = [], []
    for img, v in fr[1:]:
        t0 = time.perf_counter()
        r = reader.read(img, profile=prof)
        lats.append(time.perf_counter() - t0)
        errs.append(100 * abs(r.value - v) / span)
    raw["fixed"] = (statistics.mean(errs), 1000 * statistics.median(lats), 1000 * max(lats))
    return rows, raw


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=60, help="photos per kind and tier")
    ap.add_argument("--seed-base", type=int, default=130_000,
                    help="first seed of the clear tier (degraded: +10000); pick seeds nobody tuned on")
    a = ap.parse_args()
    t0 = time.time()
    load0 = os.getloadavg()[0]
    rows, raw = run(a.n, a.seed_base)
    load1 = os.getloadavg()[0]
    fx = raw["fixed"]
    headers = ["tier", "dial MAE % span (range given)", "dial median err %", "dial MAE % (auto-cal by OCR)",
               "auto-cal range right / wrong (not flagged) / not read", "dial needs_review", "dial > 1.5 % and not flagged", "dial ms (median)", "register exact",
               "register exact when not flagged", "register needs_review", "register ms (median)"]
    md = markdown_table(headers, rows)
    md += (f"\n\nFixed camera (profile from one frame, 19 further frames): MAE {fx[0]:.2f} % of span, "
           f"latency median {fx[1]:.1f} ms, max {fx[2]:.1f} ms.\n\n"
           f"{a.n} generated photos per kind and tier (seeds {a.seed_base}+/{a.seed_base + 10_000}+, vision.synth; "
           "seeds not used while developing the reader). The digit templates are Hershey fonts other than the generator's and "
           "seven-segment shapes like the generator's LCD, so register figures are optimistic for real meters. Targets: dial ≤ 0.5 % clear, "
           "≤ 1.5 % degraded, auto-cal ≤ 1.0 % clear; register ≥ 99.5 % clear, ≥ 97 % degraded; ≤ 50 ms fixed-camera "
           "frame, ≤ 300 ms register photo. An auto-calibration that reads no range (the range is then asked for) counts as "
           "100 % error in its MAE; a wrong range counts its error (at most 100 %). "
           f"Run took {time.time() - t0:.0f} s on the shared 2-core machine (load average {load0:.1f} at the start, "
           f"{load1:.1f} at the end: latencies include that contention).\n")
    print(md)
    write_section("meters", "Meter reading (vision)", f".venv/bin/python -m benchmarks.meters --n {a.n} --seed-base {a.seed_base}", md)


if __name__ == "__main__":
    main()
