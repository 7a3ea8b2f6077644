"""Plain threshold and rate-of-change alarms per point — what sites run today — so the engine's
alarms can be compared with them on the same data (false alarms, detection time)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict, Field


class ThresholdRule(BaseModel):
    """Limits for one point. An alarm starts when a condition has held for ``delay_s`` and ends when
    the value is back inside the limit by ``hysteresis``. ``rate_per_min`` limits |Δv| per minute
    (over ``rate_window_s``)."""

    model_config = ConfigDict(extra="forbid")
    point: str = Field(min_length=1)
    low: float | None = None
    high: float | None = None
    rate_per_min: float | None = Field(None, gt=0)
    rate_window_s: float = Field(60.0, gt=0)
    hysteresis: float = Field(0.0, ge=0)
    delay_s: float = Field(0.0, ge=0)


@dataclass(frozen=True, slots=True)
class ThresholdAlarm:
    point: str
    kind: str  # "low" | "high" | "rate"
    start: float
    end: float | None  # None: still active at the end of the data
    extreme: float  # lowest/highest value (or steepest rate per minute) during the alarm


def _runs(cond: np.ndarray, release: np.ndarray) -> list[tuple[int, int | None]]:
    """Index runs: start where ``cond`` turns true, end where ``release`` is true afterwards."""
    out: list[tuple[int, int | None]] = []
    i, n = 0, cond.size
    while i < n:
        starts = np.flatnonzero(cond[i:])
        if starts.size == 0:
            break
        a = i + int(starts[0])
        ends = np.flatnonzero(release[a:])
        if ends.size == 0:
            out.append((a, None))
            break
        b = a + int(ends[0])
        out.append((a, b))
        i = b + 1
    return out


def evaluate(rule: ThresholdRule, t: np.ndarray, v: np.ndarray) -> list[ThresholdAlarm]:
    """All alarms a rule raises over ``(t, v)`` (ascending times), in order of start."""
    t, v = np.asarray(t, float), np.asarray(v, float)
    alarms: list[ThresholdAlarm] = []
    checks: list[tuple[str, np.ndarray, np.ndarray, np.ndarray, bool]] = []
    if rule.low is not None:
        checks.append(("low", v < rule.low, v >= rule.low + rule.hysteresis, v, False))
    if rule.high is not None:
        checks.append(("high", v > rule.high, v <= rule.high - rule.hysteresis, v, True))
    if rule.rate_per_min is not None and t.size > 1:
        j = np.searchsorted(t, t - rule.rate_window_s)
        dt = t - t[j]
        rate = np.where(dt > 0, (v - v[j]) / np.where(dt > 0, dt, 1) * 60.0, 0.0)
        a = np.abs(rate)
        checks.append(("rate", a > rule.rate_per_min, a <= rule.rate_per_min * 0.8, a, True))
    for kind, cond, release, measure, is_max in checks:
        for a, b in _runs(cond, release):
            # the delay: the condition must hold continuously for delay_s
            if rule.delay_s > 0:
                stop = b if b is not None else t.size
                broke = np.flatnonzero(~cond[a:stop])
                held_until = t[a + int(broke[0]) - 1] if broke.size else t[stop - 1]
                if held_until - t[a] < rule.delay_s:
                    continue
                start = t[a] + rule.delay_s
            else:
                start = t[a]
            seg = measure[a:(b if b is not None else t.size)]
            alarms.append(ThresholdAlarm(rule.point, kind, float(start), None if b is None else float(t[b]),
                                         float(seg.max() if is_max else seg.min())))
    alarms.sort(key=lambda x: x.start)
    return alarms


@dataclass(frozen=True, slots=True)
class AlarmComparison:
    detected: bool
    detection_delay_s: float | None  # first alarm at or after the onset, minus the onset
    false_alarms: int  # alarms that started before the onset (or all of them when there was no event)


def compare(alarms: Sequence[ThresholdAlarm], onset: float | None, window_s: float = 3600.0) -> AlarmComparison:
    """Score alarms against a known event (leak onset at ``onset``; ``None`` = no event in the data):
    an alarm within ``window_s`` after the onset detects it; earlier alarms are false."""
    if onset is None:
        return AlarmComparison(False, None, len(alarms))
    false = sum(1 for a in alarms if a.end is not None and a.end < onset)
    hits = [a.start for a in alarms if (a.end is None or a.end >= onset) and a.start <= onset + window_s]
    if not hits:
        return AlarmComparison(False, None, false)
    return AlarmComparison(True, max(0.0, min(hits) - onset), false)


def rules_from_baseline(series: Mapping[str, tuple[np.ndarray, np.ndarray]], *, low_margin: float,
                        high_margin: float | None = None, rate_per_min: float | None = None,
                        delay_s: float = 0.0, hysteresis: float = 0.0) -> list[ThresholdRule]:
    """Rules the way sites set them: low/high limits a fixed margin outside the range seen in a quiet
    baseline period (``series`` holds that period)."""
    rules = []
    for p, (_t, v) in series.items():
        v = np.asarray(v, float)
        v = v[np.isfinite(v)]
        if v.size == 0:
            continue
        rules.append(ThresholdRule(point=p, low=float(v.min() - low_margin),
                                   high=None if high_margin is None else float(v.max() + high_margin),
                                   rate_per_min=rate_per_min, delay_s=delay_s, hysteresis=hysteresis))
    return rules


def evaluate_all(rules: Sequence[ThresholdRule], series: Mapping[str, tuple[np.ndarray, np.ndarray]]
                 ) -> list[ThresholdAlarm]:
    """Every rule over its point's series (points without data raise nothing), ordered by start."""
    out: list[ThresholdAlarm] = []
    for r in rules:
        if r.point in series:
            out.extend(evaluate(r, *series[r.point]))
    out.sort(key=lambda a: a.start)
    return out
