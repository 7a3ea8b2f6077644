"""The output interval: which pipes a crew should search, from the probability of each pipe.

Two rules, both taking pipes in order of probability per metre (the shortest way to hold a given mass):

* **Fixed mass** (``density_level = 0``): the shortest set of pipes holding ``confidence`` (e.g. 0.9) of the
  probability, whatever it costs in metres.
* **Density level** (``density_level = λ > 0``): every pipe whose probability per metre is at least λ times
  the uniform density (1 / network length), but at least ``min_confidence`` of the mass. This is the rule
  of optimal search (Koopman): searching where the density is above one fixed level makes the total search
  length over many incidents the least for the share of leaks found. A sharp posterior gets a short
  interval holding nearly all the mass; a vague one a longer interval holding less, and the stated
  confidence says so. λ is fitted per site so the intervals hold a target mass on average
  (:func:`engine.confidence.calibrate_temperature`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class IntervalRule:
    confidence: float = 0.9  # fixed-mass rule: the mass to hold
    density_level: float = 0.0  # > 0: the density-level rule (times the uniform density)
    min_confidence: float = 0.5  # density-level rule: never hold less than this

    def __post_init__(self) -> None:
        if not 0 < self.confidence <= 1:
            raise ValueError(f"interval confidence must be in (0, 1], got {self.confidence}")
        if not (np.isfinite(self.density_level) and self.density_level >= 0):
            raise ValueError(f"density_level must be finite and ≥ 0, got {self.density_level}")
        if not 0 <= self.min_confidence <= 1:
            raise ValueError(f"min_confidence must be in [0, 1], got {self.min_confidence}")


def interval(prob: np.ndarray, lengths_m: np.ndarray, rule: IntervalRule) -> tuple[np.ndarray, float]:
    """Indices of the pipes in the interval (densest first) and the probability mass they hold.

    ``prob`` is the probability per pipe (summing to 1), ``lengths_m`` their lengths."""
    prob = np.asarray(prob, dtype=float)
    lengths = np.maximum(np.asarray(lengths_m, dtype=float), 1.0)
    if prob.size == 0:
        return np.zeros(0, dtype=int), 0.0
    density = prob / lengths
    order = np.argsort(-density, kind="stable")
    mass = np.cumsum(prob[order])
    total = float(mass[-1])

    def holding(c: float) -> int:  # pipes needed to hold mass c
        return int(min(np.searchsorted(mass, c * total - 1e-12) + 1, len(order)))

    if rule.density_level > 0:
        uniform = 1.0 / float(np.sum(lengths))
        n = max(int(np.sum(density >= rule.density_level * uniform)), holding(rule.min_confidence), 1)
    else:
        n = holding(rule.confidence)
    return order[:n], float(mass[n - 1] / total) if total > 0 else 0.0


def level_for_mass(probs: list[np.ndarray], lengths_m: np.ndarray, target: float,
                   min_confidence: float = 0.5) -> float:
    """The density level λ at which the intervals of these posteriors hold ``target`` of their mass on
    average (bisection on log λ; the mean mass falls as λ rises). Uses only the posteriors, not where the
    leaks were."""
    if not probs:
        return 0.0
    lengths = np.maximum(np.asarray(lengths_m, dtype=float), 1.0)
    uniform = 1.0 / float(np.sum(lengths))
    sorted_density, cum_mass, floor_n = [], [], []
    for p in probs:
        p = np.asarray(p, dtype=float) / max(float(np.sum(p)), 1e-300)
        density = p / lengths
        order = np.argsort(-density, kind="stable")
        cm = np.cumsum(p[order])
        sorted_density.append(-density[order])  # ascending, for searchsorted
        cum_mass.append(cm)
        floor_n.append(int(min(np.searchsorted(cm, min_confidence - 1e-12) + 1, len(cm))))

    def mean_mass(lam: float) -> float:
        out = 0.0
        for sd, cm, fn in zip(sorted_density, cum_mass, floor_n, strict=True):
            n = max(int(np.searchsorted(sd, -lam * uniform, side="right")), fn, 1)
            out += cm[n - 1]
        return out / len(cum_mass)

    lo, hi = 1e-3, 1e5
    for _ in range(48):
        mid = float(np.sqrt(lo * hi))
        if mean_mass(mid) >= target:
            lo = mid
        else:
            hi = mid
    return lo


def quoted(confidence: float, digits: int = 2) -> float:
    """A stated confidence as it may be quoted with ``digits`` decimals: rounded *down*, so that a mass of
    0.996 reads 0.99 (99 %), never 1.00 — the interval is not certain, and a rounded-up figure overstates it."""
    scale = 10**digits
    return math.floor(float(confidence) * scale + 1e-9) / scale
