"""点位健康度 — how far each point can be trusted, 0–100, with the reasons.

Every check takes plain arrays so it is testable without the engine: the point's recent ``(t, v)``,
optionally the model's estimate at the same times and the values its neighbours imply. Penalties
add up; ``score = max(0, 100 − Σ penalty)``; ``good ≥ 80 > degraded ≥ 50 > bad``.

A point that turns bad is a *maintenance* matter (a sick sensor), not a leak alarm:
:func:`maintenance_events` turns level changes into :class:`EventSuggestion` s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

Series = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True, slots=True)
class QualitySpec:
    """What is normal for one point."""

    expected_interval_s: float = 1.0
    valid_min: float | None = None
    valid_max: float | None = None
    #: Flat-lining: max − min over the window below this is "stuck" (a live gauge always shows noise).
    flat_tolerance: float = 1e-6
    flat_window_s: float = 600.0
    #: a flat zero is live (a consumer's own meter while the consumer is off), not a stuck transmitter
    zero_is_live: bool = False
    #: Spike: a jump larger than this many robust standard deviations of the point's changes.
    spike_sigma: float = 8.0
    #: Drift/disagreement tolerances in the point's unit (e.g. kPa).
    model_tolerance: float = 5.0
    neighbour_tolerance: float = 5.0
    #: the point's unit, printed with the figures of its findings (``kPa``, ``m³/h``)
    unit: str = ""


@dataclass(frozen=True, slots=True)
class PointHealth:
    point: str
    score: float
    level: str  # "good" | "degraded" | "bad"
    reasons: list[str] = field(default_factory=list)  # human text (Chinese), one per finding
    codes: list[str] = field(default_factory=list)  # machine keys, same order: stale, flat, spikes, …
    #: each finding's figures, same order (``widgets/health_text.py`` words them in the interface language)
    params: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class EventSuggestion:
    """What the desktop should raise; the lead wires it into the event feed."""

    kind: str  # "maintenance" (a point went bad) | "recovered"
    point: str
    reason: str


def level_of(score: float) -> str:
    return "good" if score >= 80 else "degraded" if score >= 50 else "bad"


def assess_point(point: str, t: np.ndarray, v: np.ndarray, now: float, spec: QualitySpec = QualitySpec(), *,
                 model: np.ndarray | None = None, neighbours: np.ndarray | None = None) -> PointHealth:
    """Health of one point from its recent samples ``(t, v)`` (ascending times).

    ``model``: the engine's estimate at the same times; ``neighbours``: the value the neighbouring
    points imply at the same times (e.g. the mean of adjacent gauges corrected by the model's
    pressure drop). Either may contain NaN where unknown.
    """
    t, v = np.asarray(t, float), np.asarray(v, float)
    findings: list[tuple[str, float, str, dict[str, str]]] = []
    if t.size == 0:
        return PointHealth(point, 0.0, "bad", ["无数据"], ["no_data"], [{}])
    # staleness
    age = now - t[-1]
    late = age / max(spec.expected_interval_s, 1e-9)
    if late > 3:
        pen = min(60.0, 10.0 * np.log2(late / 3) + 10.0)
        findings.append(("stale", pen, f"数据陈旧：最后一次上报在 {age:.0f} s 前", {"age_s": f"{age:.0f}"}))
    # flat-lining
    recent = t >= t[-1] - spec.flat_window_s
    vr = v[recent]
    span_s = t[recent][-1] - t[recent][0] if vr.size else 0.0
    off = spec.zero_is_live and vr.size > 0 and abs(float(vr[-1])) <= spec.flat_tolerance
    if vr.size >= 10 and span_s >= 0.5 * spec.flat_window_s and np.ptp(vr) <= spec.flat_tolerance and not off:
        # A live gauge always shows some noise: a stuck one is not to be trusted at all (→ bad).
        findings.append(("flat", 55.0, f"读数僵直：{span_s:.0f} s 内恒为 {vr[-1]:g}",
                         {"span_s": f"{span_s:.0f}", "value": f"{vr[-1]:g}"}))
    # spikes
    if v.size >= 8:
        d = np.diff(v)
        med = np.median(d)
        mad = 1.4826 * np.median(np.abs(d - med))
        scale = max(mad, spec.flat_tolerance * 10)
        jumps = int(np.count_nonzero(np.abs(d - med) > spec.spike_sigma * scale))
        n_spikes = (jumps + 1) // 2  # a spike is a jump out and a jump back
        if n_spikes:
            frac = n_spikes / v.size
            pen = min(60.0, 5.0 + 500.0 * frac)  # a few spikes: degraded; >11 % of readings: bad
            findings.append(("spikes", pen, f"尖峰：{n_spikes} 次突跳", {"count": str(n_spikes)}))
    # out of range
    bad = np.zeros(v.size, bool)
    if spec.valid_min is not None:
        bad |= v < spec.valid_min
    if spec.valid_max is not None:
        bad |= v > spec.valid_max
    if bad.any():
        frac = bad.mean()
        findings.append(("out_of_range", min(50.0, 10.0 + 100.0 * frac),
                         f"超量程：{100 * frac:.0f}% 的读数不在 [{spec.valid_min}, {spec.valid_max}]",
                         {"percent": f"{100 * frac:.0f}", "low": str(spec.valid_min), "high": str(spec.valid_max)}))
    # drift against the model
    if model is not None:
        r = v - np.asarray(model, float)
        r = r[np.isfinite(r)]
        if r.size >= 5:
            bias = float(np.median(r[-max(5, r.size // 2):]))
            if abs(bias) > spec.model_tolerance:
                pen = min(60.0, 20.0 * abs(bias) / spec.model_tolerance)  # ≥ 2.5× the tolerance: bad
                text = f"{bias:+.1f} {spec.unit}".rstrip()
                findings.append(("drift", pen, f"偏离模型估计 {text}", {"bias": text}))
    # neighbour disagreement
    if neighbours is not None:
        r = v - np.asarray(neighbours, float)
        r = r[np.isfinite(r)]
        if r.size >= 5:
            dis = float(np.median(np.abs(r)))
            if dis > spec.neighbour_tolerance:
                pen = min(30.0, 10.0 * dis / spec.neighbour_tolerance)
                text = f"{dis:.1f} {spec.unit}".rstrip()
                findings.append(("neighbours", pen, f"与相邻点位不一致（中位差 {text}）", {"diff": text}))
    score = max(0.0, 100.0 - sum(f[1] for f in findings))
    findings.sort(key=lambda f: -f[1])
    return PointHealth(point, round(score, 1), level_of(score), [f[2] for f in findings], [f[0] for f in findings],
                       [f[3] for f in findings])


def assess_points(series: Mapping[str, Series], now: float, specs: Mapping[str, QualitySpec] | None = None, *,
                  model: Mapping[str, np.ndarray] | None = None,
                  neighbours: Mapping[str, np.ndarray] | None = None) -> dict[str, PointHealth]:
    """:func:`assess_point` for every point in ``series``; ``model``/``neighbours`` are keyed by point
    and aligned with that point's times."""
    specs = specs or {}
    return {p: assess_point(p, t, v, now, specs.get(p, QualitySpec()),
                            model=(model or {}).get(p), neighbours=(neighbours or {}).get(p))
            for p, (t, v) in series.items()}


def weights(health: Mapping[str, PointHealth]) -> dict[str, float]:
    """Weights for the engine (0 for bad points, score/100 otherwise) — poor points count less."""
    return {p: 0.0 if h.level == "bad" else h.score / 100.0 for p, h in health.items()}


def maintenance_events(previous: Mapping[str, PointHealth], current: Mapping[str, PointHealth]) -> list[EventSuggestion]:
    """A ``maintenance`` suggestion for each point that became bad; ``recovered`` when it is good again."""
    out = []
    for p, h in current.items():
        before = previous.get(p)
        was = before.level if before else "good"
        if h.level == "bad" and was != "bad":
            out.append(EventSuggestion("maintenance", p, "；".join(h.reasons) or "健康度过低"))
        elif h.level == "good" and was == "bad":
            out.append(EventSuggestion("recovered", p, f"健康度恢复到 {h.score:.0f}"))
    return out


def neighbour_consensus(values: Mapping[str, np.ndarray], neighbours: Mapping[str, list[str]],
                        model: Mapping[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """For each point, what its neighbours imply at the same (aligned) times: the median over
    neighbours of ``neighbour value + (model[point] − model[neighbour])`` — the model's pressure drop
    between them corrects for their different places in the network (without a model: plain median)."""
    out: dict[str, np.ndarray] = {}
    for p, ns in neighbours.items():
        cols = []
        for n in ns:
            if n not in values or n == p:
                continue
            col = np.asarray(values[n], float)
            if model is not None and p in model and n in model:
                col = col + (np.asarray(model[p], float) - np.asarray(model[n], float))
            cols.append(col)
        if cols:
            with np.errstate(all="ignore"):
                out[p] = np.nanmedian(np.vstack(cols), axis=0) if len(cols) > 1 else cols[0]
    return out
