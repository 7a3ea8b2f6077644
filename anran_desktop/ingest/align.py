"""Alignment of samples from different clocks and rates onto one time grid for the engine.

* :func:`estimate_offset_by_arrival` — clock skew of a source from its time stamps and our arrival
  times (the transport delay is never negative, so the lower envelope of ``arrival − stamp`` is the
  offset).
* :func:`estimate_offset_by_xcorr` — clock skew between two series that see the same process
  (e.g. a pressure gauge and the inlet flow meter), by cross-correlation of their changes.
* :func:`align` — put each point on a common grid: bins with a measurement are ``MEASURED``; short
  gaps are linearly interpolated (``INTERPOLATED``); longer gaps take the engine's model estimate
  (``MODEL``); with no estimate they stay ``NaN`` and are reported missing. A filled value always
  carries its flag, so it is never mistaken for a measured one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from anran_desktop.ingest.base import Sample, SampleFlag

Series = tuple[np.ndarray, np.ndarray]
#: A model estimate: either a series ``(t, v)`` or a function ``times -> values``.
ModelEstimate = Series | Callable[[np.ndarray], np.ndarray]


def estimate_offset_by_arrival(stamps: np.ndarray, arrivals: np.ndarray, quantile: float = 0.02) -> float:
    """Seconds the source clock runs *ahead* of ours (subtract it from the source's stamps)."""
    stamps, arrivals = np.asarray(stamps, float), np.asarray(arrivals, float)
    if stamps.size == 0 or stamps.shape != arrivals.shape:
        raise ValueError("need equally long, non-empty stamp and arrival arrays")
    return -float(np.quantile(arrivals - stamps, quantile))


def estimate_offset_by_xcorr(ref: Series, other: Series, step: float, max_lag_s: float) -> float:
    """Seconds ``other``'s clock runs ahead of ``ref``'s, by cross-correlating first differences on a
    common grid of ``step`` seconds; resolution is ``step`` (refined by a parabola through the peak)."""
    t0 = max(ref[0][0], other[0][0])
    t1 = min(ref[0][-1], other[0][-1])
    if t1 - t0 < 4 * max_lag_s:
        raise ValueError("the series overlap too little for this maximum lag")
    grid = np.arange(t0, t1, step)
    a = np.diff(np.interp(grid, ref[0], ref[1]))
    b = np.diff(np.interp(grid, other[0], other[1]))
    a = (a - a.mean()) / (a.std() or 1.0)
    b = (b - b.mean()) / (b.std() or 1.0)
    k = int(round(max_lag_s / step))
    n = len(a)
    lags = np.arange(-k, k + 1)
    corr = np.array([np.dot(a[max(0, -lag):n - max(0, lag)], b[max(0, lag):n - max(0, -lag)]) for lag in lags])
    i = int(np.argmax(corr))
    frac = 0.0
    if 0 < i < len(corr) - 1:
        y0, y1, y2 = corr[i - 1], corr[i], corr[i + 1]
        den = y0 - 2 * y1 + y2
        frac = 0.5 * (y0 - y2) / den if den != 0 else 0.0
    return float((lags[i] + frac) * step)


def correct_skew(samples: list[Sample], offset_s: float) -> list[Sample]:
    """The samples with ``offset_s`` subtracted from their times (flags and values untouched)."""
    return [Sample(s.time - offset_s, s.point, s.quantity, s.value, s.flags) for s in samples]


@dataclass(slots=True)
class AlignedFrame:
    """Values on a grid: ``values[i, j]`` is point ``points[j]`` at ``times[i]``, ``flags`` says how
    each value came to be; ``missing`` marks cells with no value at all (``NaN``)."""

    times: np.ndarray
    points: list[str]
    values: np.ndarray
    flags: np.ndarray
    missing: np.ndarray

    def column(self, point: str) -> tuple[np.ndarray, np.ndarray]:
        j = self.points.index(point)
        return self.values[:, j], self.flags[:, j]

    def filled_fraction(self) -> dict[str, float]:
        """Per point, the share of grid cells that are not measured (filled or missing)."""
        bad = (self.flags != SampleFlag.MEASURED) | self.missing
        return {p: float(bad[:, j].mean()) for j, p in enumerate(self.points)}

    def filled_samples(self, quantities: Mapping[str, str]) -> list[Sample]:
        """The filled (not measured, not missing) cells as samples with their flags, for storing."""
        out = []
        for j, p in enumerate(self.points):
            for i in np.flatnonzero((self.flags[:, j] != 0) & ~self.missing[:, j]):
                out.append(Sample(float(self.times[i]), p, quantities.get(p, ""), float(self.values[i, j]),
                                  SampleFlag(int(self.flags[i, j]))))
        return out


def align(series: Mapping[str, Series], start: float, end: float, step: float, *,
          max_interp_gap_s: float | None = None, model: Mapping[str, ModelEstimate] | None = None,
          offsets: Mapping[str, float] | None = None) -> AlignedFrame:
    """Align each point's ``(t, v)`` onto ``start, start+step, … < end``.

    A grid cell takes the mean of the measurements within ±step/2 of it. A run of empty cells whose
    neighbouring measurements are at most ``max_interp_gap_s`` apart (default 5 steps) is linearly
    interpolated; longer runs take ``model[point]`` where given, else stay missing. ``offsets[point]``
    (source clock ahead of ours, seconds) is subtracted from that point's times first.
    """
    if step <= 0 or end <= start:
        raise ValueError("need step > 0 and end > start")
    max_gap = 5 * step if max_interp_gap_s is None else max_interp_gap_s
    times = start + step * np.arange(int(np.ceil((end - start) / step)))
    points = list(series)
    n, m = len(times), len(points)
    values = np.full((n, m), np.nan)
    flags = np.zeros((n, m), dtype=np.int64)
    for j, p in enumerate(points):
        t, v = (np.asarray(x, float) for x in series[p])
        if offsets and p in offsets:
            t = t - offsets[p]
        ok = np.isfinite(v) & np.isfinite(t)
        t, v = t[ok], v[ok]
        idx = np.floor((t - start) / step + 0.5).astype(np.int64)
        inside = (idx >= 0) & (idx < n)
        sums = np.bincount(idx[inside], weights=v[inside], minlength=n)
        counts = np.bincount(idx[inside], minlength=n)
        col = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
        empty = counts == 0
        if empty.any() and t.size >= 2:
            order = np.argsort(t)
            ts, vs = t[order], v[order]
            k = np.searchsorted(ts, times[empty])
            has_both = (k > 0) & (k < ts.size)
            kk = np.clip(k, 1, max(ts.size - 1, 1))
            span = ts[kk] - ts[kk - 1]
            short = has_both & (span <= max_gap + 1e-9)
            cells = np.flatnonzero(empty)[short]
            col[cells] = np.interp(times[cells], ts, vs)
            flags[cells, j] = SampleFlag.INTERPOLATED
        still = np.isnan(col)
        if still.any() and model and p in model:
            est = model[p]
            if callable(est):
                mv = np.asarray(est(times[still]), float)
            else:
                mt, mvals = (np.asarray(x, float) for x in est)
                mv = np.interp(times[still], mt, mvals, left=np.nan, right=np.nan)
            cells = np.flatnonzero(still)
            got = np.isfinite(mv)
            col[cells[got]] = mv[got]
            flags[cells[got], j] = SampleFlag.MODEL
        values[:, j] = col
    return AlignedFrame(times, points, values, flags, np.isnan(values))
