"""Copying the live rings for a point-health/leak check: what the GUI thread pays, what the worker pays.

    python -m benchmarks.ring_copy [--sensors 500] [--seconds 3600] [--n 20]

Rings are full (``--seconds`` samples each, wrapped). Reported, median and max over ``--n`` checks:
- *GUI thread, before*: the copy ``start_check`` used to make on the GUI thread (``np.roll`` of every ring);
- *GUI thread, now*: what it does now (a dict of the network's rings);
- *worker copy*: ``point_health.freeze`` of those rings, now on the worker under each ring's lock;
- *push while the worker copies*: the longest single ``Ring.push`` (the feed, on the GUI loop) measured
  while the worker copies — what the lock can cost the GUI thread.
"""

from __future__ import annotations

import argparse
import os
import statistics
import threading
import time

import numpy as np

from anran_desktop.services.live import Ring
from anran_desktop.services.point_health import freeze
from benchmarks.report import markdown_table, write_section


def _rings(sensors: int, seconds: int) -> dict[str, Ring]:
    out = {}
    for k in range(sensors):
        r = Ring(seconds)
        for j in range(seconds + 17):  # wrapped, as after a running feed
            r.t[j % seconds], r.v[j % seconds] = float(j), 150.0 + 0.01 * k
        r.i, r.n = 17 % seconds, seconds
        out[f"PT-{k:04d}"] = r
    return out


def _timed(fn, n: int) -> list[float]:  # noqa: ANN001
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sensors", type=int, default=500)
    ap.add_argument("--seconds", type=int, default=3600)
    ap.add_argument("--n", type=int, default=20)
    args = ap.parse_args(argv)
    rings = _rings(args.sensors, args.seconds)
    names = set(rings)
    load0 = os.getloadavg()[0]
    before = _timed(lambda: {p: (np.roll(r.t, -r.i), np.roll(r.v, -r.i)) for p, r in rings.items() if p in names},
                    args.n)
    now = _timed(lambda: {p: r for p, r in list(rings.items()) if p in names}, args.n)
    worker = _timed(lambda: freeze({p: r for p, r in rings.items() if p in names}), args.n)
    # the feed pushing into one ring while a worker copies them all
    pushes: list[float] = []
    done = threading.Event()

    def copier() -> None:
        for _ in range(args.n):
            freeze(rings)
        done.set()

    th = threading.Thread(target=copier)
    ring = next(iter(rings.values()))
    th.start()
    k = 0
    while not done.is_set():
        t = time.perf_counter()
        ring.push(1e9 + k, 1.0)
        pushes.append((time.perf_counter() - t) * 1000)
        k += 1
        time.sleep(0.001)
    th.join()
    load = (load0 + os.getloadavg()[0]) / 2
    rows = [["GUI thread, before (np.roll copy of every ring)", statistics.median(before), max(before)],
            ["GUI thread, now (dict of the rings)", statistics.median(now), max(now)],
            ["worker: copy under each ring's lock", statistics.median(worker), max(worker)],
            [f"one Ring.push while the worker copies ({len(pushes)} pushes)", statistics.median(pushes),
             max(pushes)]]
    body = (f"{args.sensors} sensors × {args.seconds} samples per ring (full, wrapped), {args.n} checks; "
            f"load average ≈ {load:.1f} on the shared 2 cores during the run.\n\n"
            + markdown_table(["what", "median ms", "max ms"], rows)
            + "\n\nThe push maximum includes waiting for the GIL while numpy copies on the worker, not only the "
              "ring's lock (held for one ring's copy).")
    print(body)
    write_section("ring_copy", "Live ring copies for point health / leak watch",
                  f"python -m benchmarks.ring_copy --sensors {args.sensors} --seconds {args.seconds} --n {args.n}",
                  body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
